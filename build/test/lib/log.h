/* SPDX-License-Identifier: MIT */
/* log.h: one line per event on stderr, filtered by level before formatting. */
#ifndef SMK_LOG_H
#define SMK_LOG_H

#include <stdio.h>

enum log_level { LOG_ERR, LOG_WARN, LOG_INFO, LOG_DEBUG };

struct log {
    enum log_level level;
    FILE *fp;               /* NULL = stderr */
};

/* Parses "error", "warn", "info" or "debug"; returns -1 for anything else. */
int log_level_parse(const char *name);

/* Writes "LEVEL subsystem: message" with a timestamp. Use the macros. */
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
