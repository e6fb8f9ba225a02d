/* SPDX-License-Identifier: MIT */
/* export.h: `smarkbot export`: the database's data for spreadsheets. */
#ifndef SMK_EXPORT_H
#define SMK_EXPORT_H

#include <stdio.h>

#include "err.h"
#include "store.h"

/* Writes what ("leads", "events" or "feedback") as format ("csv" or
 * "jsonl") to out. Times are ISO 8601 with offset in the local zone.
 * Returns 0 or -1 with err. */
int export_write(struct store *s, const char *what, const char *format,
                 FILE *out, struct err *err);

#endif
