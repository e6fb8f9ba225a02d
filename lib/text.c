/* SPDX-License-Identifier: MIT */
/* text.c: long texts into message-sized parts, cut at blank lines, line
 * ends or UTF-8 boundaries, the same for every platform. */
#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strbuf.h"

size_t
text_utf8_floor(const char *s, size_t len)
{
    while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
        len--;
    return len;
}

size_t
text_utf8_len(const char *s)
{
    size_t n = 0;

    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

char *
text_trim(const char *s)
{
    size_t n;

    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' ||
                     s[n - 1] == '\r'))
        n--;
    return strndup(s, n);
}

static size_t
count_lines(const char *s)
{
    size_t n = 0;

    if (*s == '\0')
        return 0;
    for (; *s; s++)
        if (*s == '\n' && s[1] != '\0')
            n++;
    return n + 1;
}

char *
text_cut(const char *text, size_t max)
{
    size_t len = strlen(text), keep = 0, total = count_lines(text);
    const char *p = text;
    char more[48];
    struct strbuf sb;

    if (len <= max)
        return strdup(text);
    /* keep whole lines while the kept text plus the "more" line fits; the
     * count in the last line is at most total, so reserve for that */
    snprintf(more, sizeof(more), "\n... %zu more", total);
    while (*p) {
        size_t n = strcspn(p, "\n");

        if ((size_t)(p - text) + n + strlen(more) > max)
            break;
        p += n;
        keep++;
        if (*p == '\n')
            p++;
    }
    strbuf_init(&sb, 0);
    if (keep == 0) {
        /* one huge first line: cut inside it */
        size_t n = max > strlen(more) + 3 ? max - strlen(more) - 3 : 0;

        n = text_utf8_floor(text, n);
        strbuf_add(&sb, text, n);
        strbuf_puts(&sb, "...");
        keep = 1;
    } else {
        size_t n = (size_t)(p - text);

        while (n > 0 && text[n - 1] == '\n')
            n--;
        strbuf_add(&sb, text, n);
    }
    if (total > keep)
        strbuf_printf(&sb, "\n... %zu more", total - keep);
    return strbuf_detach(&sb);
}

/* Length of the longest prefix of s (len bytes) of at most max bytes that
 * ends at a blank line, else at a line end, else at a UTF-8 boundary. */
static size_t
split_point(const char *s, size_t len, size_t max)
{
    size_t best_line = 0;

    if (len <= max)
        return len;
    for (size_t i = max; i > 0; i--) {
        if (s[i] == '\n' && s[i - 1] == '\n')
            return i;
        if (s[i] == '\n' && best_line == 0)
            best_line = i;
    }
    if (best_line > 0)
        return best_line;
    return text_utf8_floor(s, max);
}

size_t
text_split(const char *text, size_t max, size_t max_parts, char ***parts)
{
    size_t n = 0, len = strlen(text);
    char **v = calloc(max_parts ? max_parts : 1, sizeof(char *));

    *parts = v;
    if (v == NULL)
        return 0;
    while (n < max_parts) {
        size_t cut;

        while (len > 0 && *text == '\n') {
            text++;
            len--;
        }
        if (len == 0 && n > 0)
            break;
        if (n == max_parts - 1) {
            v[n++] = text_cut(text, max);
            break;
        }
        cut = split_point(text, len, max);
        /* nothing fits: take a character anyway; an empty text (or only
         * line ends) is one empty part, and has no byte at max to read */
        if (cut == 0 && len > 0)
            cut = text_utf8_floor(text, max > 0 ? max : 1);
        v[n++] = strndup(text, cut);
        text += cut;
        len -= cut;
        if (len == 0)
            break;
    }
    return n;
}

void
text_parts_free(char **parts, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(parts[i]);
    free(parts);
}
