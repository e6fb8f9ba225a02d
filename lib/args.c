/* SPDX-License-Identifier: MIT */
/* args.c: command-line splitting. */
#include "args.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "strbuf.h"

/* Length of the quote mark at p (1 for ", 3 for the UTF-8 curly ones), or 0. */
static size_t
quote_len(const char *p, bool closing)
{
    if (*p == '"')
        return 1;
    /* U+201C and U+201D; either may close, as phones mix them up */
    if ((unsigned char)p[0] == 0xE2 && (unsigned char)p[1] == 0x80 &&
        ((unsigned char)p[2] == 0x9C || (unsigned char)p[2] == 0x9D))
        return (closing || (unsigned char)p[2] == 0x9C) ? 3 : 0;
    return 0;
}

static bool
is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int
push_word(struct args *a, struct strbuf *word, bool quoted, struct err *err)
{
    char **argv;
    bool *q;

    if (a->argc >= ARGS_MAX) {
        err_set(err, _("too many arguments (at most %d)"), ARGS_MAX);
        return -1;
    }
    argv = realloc(a->argv, sizeof(*argv) * (size_t)(a->argc + 2));
    if (argv == NULL)
        return -1;
    a->argv = argv;
    q = realloc(a->quoted, sizeof(*q) * (size_t)(a->argc + 1));
    if (q == NULL)
        return -1;
    a->quoted = q;
    a->argv[a->argc] = strbuf_detach(word);
    a->quoted[a->argc] = quoted;
    a->argc++;
    a->argv[a->argc] = NULL;
    return 0;
}

static int
build_eol(struct args *a)
{
    size_t total = 1, off = 0;

    for (int i = 0; i < a->argc; i++)
        total += strlen(a->argv[i]) + 1;
    a->eol_buf = malloc(total);
    a->argv_eol = calloc((size_t)a->argc + 1, sizeof(char *));
    if (a->eol_buf == NULL || a->argv_eol == NULL)
        return -1;
    a->eol_buf[0] = '\0';
    for (int i = 0; i < a->argc; i++) {
        size_t n = strlen(a->argv[i]);

        a->argv_eol[i] = a->eol_buf + off;
        memcpy(a->eol_buf + off, a->argv[i], n);
        off += n;
        a->eol_buf[off++] = ' ';
    }
    if (off > 0)
        off--;
    a->eol_buf[off] = '\0';
    return 0;
}

int
args_split(struct args *a, const char *line, struct err *err)
{
    struct strbuf word;
    const char *p = line;
    int rc = -1;

    memset(a, 0, sizeof(*a));
    strbuf_init(&word, 0);
    while (*p) {
        bool quoted = false, any = false;
        size_t ql;

        while (is_space(*p))
            p++;
        if (*p == '\0')
            break;
        while (*p && !is_space(*p)) {
            if ((ql = quote_len(p, false)) > 0) {
                if (!any)
                    quoted = true;
                p += ql;
                for (;;) {
                    if (*p == '\0') {
                        err_set(err, _("unclosed quote; close it with \""));
                        goto out;
                    }
                    if ((ql = quote_len(p, true)) > 0) {
                        p += ql;
                        break;
                    }
                    if (*p == '\\' && (p[1] == '"' || p[1] == '\\'))
                        p++;
                    strbuf_putc(&word, *p++);
                }
            } else {
                strbuf_putc(&word, *p++);
            }
            any = true;
        }
        if (word.truncated || push_word(a, &word, quoted, err) < 0)
            goto out;
    }
    if (build_eol(a) < 0)
        goto out;
    rc = 0;
out:
    strbuf_release(&word);
    if (rc < 0)
        args_release(a);
    return rc;
}

void
args_release(struct args *a)
{
    for (int i = 0; i < a->argc; i++)
        free(a->argv[i]);
    free(a->argv);
    free(a->quoted);
    free(a->argv_eol);
    free(a->eol_buf);
    memset(a, 0, sizeof(*a));
}

void
args_shift(struct args *a, int n)
{
    if (n > a->argc)
        n = a->argc;
    if (n <= 0)
        return;
    for (int i = 0; i < n; i++)
        free(a->argv[i]);
    memmove(a->argv, a->argv + n, sizeof(char *) * (size_t)(a->argc - n + 1));
    memmove(a->quoted, a->quoted + n, sizeof(bool) * (size_t)(a->argc - n));
    memmove(a->argv_eol, a->argv_eol + n,
            sizeof(char *) * (size_t)(a->argc - n + 1));
    a->argc -= n;
}

const char *
args_kv(const struct args *a, int i, char *key, size_t keylen)
{
    const char *w, *eq;
    size_t n;

    if (i < 0 || i >= a->argc || a->quoted[i])
        return NULL;
    w = a->argv[i];
    eq = strchr(w, '=');
    if (eq == NULL || eq == w)
        return NULL;
    n = (size_t)(eq - w);
    if (n >= keylen)
        return NULL;
    for (size_t k = 0; k < n; k++)
        if (!(islower((unsigned char)w[k]) || w[k] == '_'))
            return NULL;
    memcpy(key, w, n);
    key[n] = '\0';
    return eq + 1;
}

/* "<Xid>" or "<Xid|name>" with sigil X: the id. */
static char *
angle_ref(const char *w, char sigil)
{
    size_t n;

    if (w[0] != '<' || w[1] != sigil)
        return NULL;
    n = strcspn(w + 2, "|>");
    if (n == 0 || (w[2 + n] == '|' ? strchr(w + 2 + n, '>') == NULL
                                   : w[2 + n] != '>'))
        return NULL;
    if (w[strlen(w) - 1] != '>')
        return NULL;
    return strndup(w + 2, n);
}

static bool
valid_name(const char *s)
{
    if (*s == '\0')
        return false;
    for (; *s; s++)
        if (!(isalnum((unsigned char)*s) || *s == '.' || *s == '_' ||
              *s == '-'))
            return false;
    return true;
}

char *
args_user(const char *word)
{
    if (word[0] == '<')
        return angle_ref(word, '@');
    if (word[0] == '@' && valid_name(word + 1))
        return strdup(word + 1);
    return NULL;
}

char *
args_channel(const char *word)
{
    if (word[0] == '<')
        return angle_ref(word, '#');
    if (word[0] == '#' && valid_name(word + 1))
        return strdup(word + 1);
    return NULL;
}

int64_t
args_ref_id(const char *ref, char prefix)
{
    int64_t v = 0;

    if (toupper((unsigned char)ref[0]) == prefix && ref[1] == '-')
        ref += 2;
    if (!isdigit((unsigned char)*ref))
        return 0;
    for (; *ref; ref++) {
        if (!isdigit((unsigned char)*ref) || v > 100000000000LL)
            return 0;
        v = v * 10 + (*ref - '0');
    }
    return v;
}

int
args_number(const char *s, int64_t min, int64_t max, int64_t *out)
{
    int64_t v = 0;

    if (*s == '\0')
        return -1;
    for (; *s; s++) {
        if (!isdigit((unsigned char)*s) || v > (INT64_MAX - 9) / 10)
            return -1;
        v = v * 10 + (*s - '0');
    }
    if (v < min || v > max)
        return -1;
    *out = v;
    return 0;
}

enum args_fields_result
args_fields(const struct args *a, int from, const char *const keys[],
            const char *vals[], const char **bad)
{
    char key[32];

    for (int i = from; i < a->argc; i++) {
        const char *v = args_kv(a, i, key, sizeof(key));
        int k;

        *bad = a->argv[i];
        if (v == NULL)
            return ARGS_NOT_KV;
        for (k = 0; keys[k] && strcmp(keys[k], key) != 0; k++)
            ;
        if (keys[k] == NULL)
            return ARGS_UNKNOWN_KEY;
        if (vals[k] != NULL)
            return ARGS_TWICE;
        vals[k] = v;
    }
    return ARGS_FIELDS_OK;
}
