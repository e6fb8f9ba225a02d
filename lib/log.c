/* SPDX-License-Identifier: MIT */
/* log.c: the bot's log lines. */
#include "log.h"

#include <stdarg.h>
#include <string.h>
#include <time.h>

#include "clock.h"

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

void
log_write(const struct log *lg, enum log_level level, const char *sub,
          const char *fmt, ...)
{
    FILE *fp = lg->fp ? lg->fp : stderr;
    time_t now = (time_t)clock_real();
    struct tm tm;
    char stamp[32];
    va_list ap;

    /* Log stamps are wall-clock UTC on purpose: they tell the operator
     * when something happened, whatever the bot's virtual clock says. */
    gmtime_r(&now, &tm);
    strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
    fprintf(fp, "%s %s %s: ", stamp, level_names[level], sub);
    va_start(ap, fmt);
    vfprintf(fp, fmt, ap);
    va_end(ap);
    fputc('\n', fp);
    fflush(fp);
}
