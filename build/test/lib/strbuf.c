/* SPDX-License-Identifier: MIT */
/* strbuf.c: growable strings with a cap. */
#include "strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
strbuf_init(struct strbuf *sb, size_t cap)
{
    memset(sb, 0, sizeof(*sb));
    sb->cap = cap ? cap : STRBUF_DEFAULT_CAP;
}

void
strbuf_release(struct strbuf *sb)
{
    free(sb->buf);
    sb->buf = NULL;
    sb->len = sb->alloc = 0;
    sb->truncated = false;
}

void
strbuf_reset(struct strbuf *sb)
{
    sb->len = 0;
    sb->truncated = false;
    if (sb->buf)
        sb->buf[0] = '\0';
}

static int
strbuf_grow(struct strbuf *sb, size_t need)
{
    size_t want;
    char *p;

    if (sb->len + need + 1 <= sb->alloc)
        return 0;
    want = sb->alloc ? sb->alloc : 64;
    while (want < sb->len + need + 1)
        want *= 2;
    if (want > sb->cap + 1)
        want = sb->cap + 1;
    p = realloc(sb->buf, want);
    if (p == NULL)
        return -1;
    sb->buf = p;
    sb->alloc = want;
    return 0;
}

int
strbuf_add(struct strbuf *sb, const char *data, size_t len)
{
    int rc = 0;

    if (sb->len + len > sb->cap) {
        len = sb->cap - sb->len;
        sb->truncated = true;
        rc = -1;
    }
    if (strbuf_grow(sb, len) < 0) {
        sb->truncated = true;
        return -1;
    }
    memcpy(sb->buf + sb->len, data, len);
    sb->len += len;
    sb->buf[sb->len] = '\0';
    return rc;
}

int
strbuf_puts(struct strbuf *sb, const char *s)
{
    return strbuf_add(sb, s, strlen(s));
}

int
strbuf_putc(struct strbuf *sb, char c)
{
    return strbuf_add(sb, &c, 1);
}

int
strbuf_vprintf(struct strbuf *sb, const char *fmt, va_list ap)
{
    char small[256];
    va_list aq;
    char *big;
    int n, rc;

    va_copy(aq, ap);
    n = vsnprintf(small, sizeof(small), fmt, aq);
    va_end(aq);
    if (n < 0)
        return -1;
    if ((size_t)n < sizeof(small))
        return strbuf_add(sb, small, (size_t)n);
    big = malloc((size_t)n + 1);
    if (big == NULL)
        return -1;
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    rc = strbuf_add(sb, big, (size_t)n);
    free(big);
    return rc;
}

int
strbuf_printf(struct strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    int rc;

    va_start(ap, fmt);
    rc = strbuf_vprintf(sb, fmt, ap);
    va_end(ap);
    return rc;
}

const char *
strbuf_str(const struct strbuf *sb)
{
    return sb->buf ? sb->buf : "";
}

char *
strbuf_detach(struct strbuf *sb)
{
    char *s = sb->buf ? sb->buf : strdup("");

    sb->buf = NULL;
    sb->len = sb->alloc = 0;
    sb->truncated = false;
    return s;
}
