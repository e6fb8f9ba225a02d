/* SPDX-License-Identifier: MIT */
/* log.h: one line per event, filtered by level before formatting: logfmt
 * (ts=… level=info module=slack msg="…") or JSON lines, on stderr or a
 * file that SIGHUP reopens (logrotate). */
#ifndef SMK_LOG_H
#define SMK_LOG_H

#include <stdio.h>

#include "err.h"

enum log_level { LOG_ERR, LOG_WARN, LOG_INFO, LOG_DEBUG };
enum log_format { LOG_LOGFMT, LOG_JSON };

struct log {
    enum log_level level;
    enum log_format format;
    FILE *fp;               /* NULL = stderr */
    char *path;             /* log_open's file, for log_reopen; NULL = stderr */
};

/* Parses "error", "warn", "info" or "debug"; returns -1 for anything else. */
int log_level_parse(const char *name);
/* Parses "logfmt" or "json"; returns -1 for anything else. */
int log_format_parse(const char *name);

/* Writes to path (appending, created 0640 if missing), or to stderr when
 * path is NULL or "". 0, or -1 with err (lg unchanged). */
int log_open(struct log *lg, const char *path, struct err *err);
/* Opens log_open's file again (it was rotated); stderr stays stderr. On
 * failure the old file goes on being written. 0, or -1 with err. */
int log_reopen(struct log *lg, struct err *err);
/* Closes a file log_open opened; lg then writes to stderr. */
void log_close(struct log *lg);

/* Writes one line: the stamp, the level, the subsystem and the message.
 * Use the macros. */
void log_write(const struct log *lg, enum log_level level, const char *sub,
               const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#define log_at(lg, lvl, sub, ...)                                   \
    do {                                                            \
        if ((lg) != NULL && (lg)->level >= (lvl))                   \
            log_write((lg), (lvl), (sub), __VA_ARGS__);             \
    } while (0)
#define log_err(lg, sub, ...) log_at(lg, LOG_ERR, sub, __VA_ARGS__)
#define log_warn(lg, sub, ...) log_at(lg, LOG_WARN, sub, __VA_ARGS__)
#define log_info(lg, sub, ...) log_at(lg, LOG_INFO, sub, __VA_ARGS__)
#define log_debug(lg, sub, ...) log_at(lg, LOG_DEBUG, sub, __VA_ARGS__)

#endif
