/* SPDX-License-Identifier: MIT */
/* log.c: the bot's log lines. */
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "i18n.h"

static const char *const level_names[] = { "error", "warn", "info", "debug" };

int
log_level_parse(const char *name)
{
    for (size_t i = 0; i < sizeof(level_names) / sizeof(level_names[0]); i++)
        if (strcmp(name, level_names[i]) == 0)
            return (int)i;
    if (strcmp(name, "warning") == 0)
        return LOG_WARN;
    return -1;
}

int
log_format_parse(const char *name)
{
    if (strcmp(name, "logfmt") == 0)
        return LOG_LOGFMT;
    if (strcmp(name, "json") == 0)
        return LOG_JSON;
    return -1;
}

static FILE *
open_append(const char *path, struct err *err)
{
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
    FILE *fp;

    if (fd < 0 || (fp = fdopen(fd, "a")) == NULL) {
        err_set(err, _("cannot open log file '%s': %s"), path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    return fp;
}

int
log_open(struct log *lg, const char *path, struct err *err)
{
    FILE *fp;
    char *copy;

    if (path == NULL || path[0] == '\0') {
        log_close(lg);
        return 0;
    }
    if ((copy = strdup(path)) == NULL) {
        err_set(err, _("out of memory"));
        return -1;
    }
    if ((fp = open_append(path, err)) == NULL) {
        free(copy);
        return -1;
    }
    log_close(lg);
    lg->fp = fp;
    lg->path = copy;
    return 0;
}

int
log_reopen(struct log *lg, struct err *err)
{
    FILE *fp;

    if (lg->path == NULL)
        return 0;
    if ((fp = open_append(lg->path, err)) == NULL)
        return -1;
    if (lg->fp)
        fclose(lg->fp);
    lg->fp = fp;
    return 0;
}

void
log_close(struct log *lg)
{
    if (lg->path != NULL && lg->fp != NULL)
        fclose(lg->fp);
    if (lg->path != NULL)
        lg->fp = NULL;
    free(lg->path);
    lg->path = NULL;
}

/* The length of the valid UTF-8 sequence at s (1-4), or 0 when it is not
 * one: JSON must be valid UTF-8 whatever bytes a platform sent. */
static int
utf8_seq(const unsigned char *s)
{
    int n, i;
    unsigned cp;

    if (s[0] < 0x80)
        return 1;
    if ((s[0] & 0xE0) == 0xC0)
        n = 2, cp = s[0] & 0x1F;
    else if ((s[0] & 0xF0) == 0xE0)
        n = 3, cp = s[0] & 0x0F;
    else if ((s[0] & 0xF8) == 0xF0)
        n = 4, cp = s[0] & 0x07;
    else
        return 0;
    for (i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

/* A quoted value: logfmt's and JSON's escapes are the same for what a
 * message holds (quote, backslash, control characters). */
static void
put_quoted(FILE *fp, const char *s, bool json)
{
    fputc('"', fp);
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        int n;

        switch (*p) {
        case '"': fputs("\\\"", fp); p++; continue;
        case '\\': fputs("\\\\", fp); p++; continue;
        case '\n': fputs("\\n", fp); p++; continue;
        case '\r': fputs("\\r", fp); p++; continue;
        case '\t': fputs("\\t", fp); p++; continue;
        default: break;
        }
        if (*p < 0x20 || *p == 0x7F) {
            fprintf(fp, json ? "\\u%04x" : "\\x%02x", *p);
            p++;
            continue;
        }
        if ((n = utf8_seq(p)) == 0) {
            fputs("\\ufffd", fp);
            p++;
            continue;
        }
        fwrite(p, 1, (size_t)n, fp);
        p += n;
    }
    fputc('"', fp);
}

void
log_write(const struct log *lg, enum log_level level, const char *sub,
          const char *fmt, ...)
{
    FILE *fp = lg->fp ? lg->fp : stderr;
    time_t now = (time_t)clock_real();
    struct tm tm;
    char stamp[32], small[1024], *msg = small;
    va_list ap;
    int n;

    /* Log stamps are wall-clock UTC on purpose: they tell the operator
     * when something happened, whatever the bot's virtual clock says. */
    gmtime_r(&now, &tm);
    strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
    va_start(ap, fmt);
    n = vsnprintf(small, sizeof(small), fmt, ap);
    va_end(ap);
    if (n >= (int)sizeof(small) && (msg = malloc((size_t)n + 1)) != NULL) {
        va_start(ap, fmt);
        vsnprintf(msg, (size_t)n + 1, fmt, ap);
        va_end(ap);
    } else if (msg == NULL) {
        msg = small;    /* out of memory: the start of it is better than nothing */
    }
    if (lg->format == LOG_JSON) {
        fprintf(fp, "{\"ts\":\"%s\",\"level\":\"%s\",\"module\":", stamp, level_names[level]);
        put_quoted(fp, sub, true);
        fputs(",\"msg\":", fp);
        put_quoted(fp, msg, true);
        fputs("}\n", fp);
    } else {
        fprintf(fp, "ts=%s level=%s module=", stamp, level_names[level]);
        /* a bare word stays bare, as logfmt readers expect */
        if (sub[0] != '\0' && sub[strcspn(sub, " =\"\\\n\r\t")] == '\0')
            fputs(sub, fp);
        else
            put_quoted(fp, sub, false);
        fputs(" msg=", fp);
        put_quoted(fp, msg, false);
        fputc('\n', fp);
    }
    fflush(fp);
    if (msg != small)
        free(msg);
}
