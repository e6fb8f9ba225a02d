/* SPDX-License-Identifier: MIT */
/* strbuf.h: a growable string with a size cap (curl's dynbuf). */
#ifndef SMK_STRBUF_H
#define SMK_STRBUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct strbuf {
    char *buf;      /* always NUL-terminated once anything was added */
    size_t len;
    size_t alloc;
    size_t cap;     /* appends past this fail and set truncated */
    bool truncated;
};

#define STRBUF_DEFAULT_CAP (4u * 1024 * 1024)

/* Starts an empty buffer that refuses to grow past cap bytes (0 = default). */
void strbuf_init(struct strbuf *sb, size_t cap);
/* Frees the contents; the struct may be reused after strbuf_init. */
void strbuf_release(struct strbuf *sb);
/* Empties the buffer, keeping its memory. */
void strbuf_reset(struct strbuf *sb);

/* Appends; return 0, or -1 when the cap or memory ran out (the buffer then
 * holds what fitted and truncated is set). */
int strbuf_add(struct strbuf *sb, const char *data, size_t len);
int strbuf_puts(struct strbuf *sb, const char *s);
int strbuf_putc(struct strbuf *sb, char c);
int strbuf_printf(struct strbuf *sb, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int strbuf_vprintf(struct strbuf *sb, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/* The text so far; "" for an empty buffer. Borrowed. */
const char *strbuf_str(const struct strbuf *sb);
/* Hands the text over to the caller (who free()s it) and empties sb. */
char *strbuf_detach(struct strbuf *sb);

#endif
