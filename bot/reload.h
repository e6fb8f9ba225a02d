/* SPDX-License-Identifier: MIT */
/* reload.h: what SIGHUP does. */
#ifndef SMK_RELOAD_H
#define SMK_RELOAD_H

struct bot;

/* Reopens the log file (logrotate moved it), then reads the config file
 * again and applies what is safe while running: [roles], [channels],
 * [sla], [schedule], and [bot] log_level, log_format, log_file and
 * currency. Every other change is logged as needing a restart; a config
 * with errors changes nothing (the errors are logged). */
void reload_run(struct bot *bot);

#endif
