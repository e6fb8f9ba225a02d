/* SPDX-License-Identifier: MIT */
/* export.h: `smarkbot export`: the database's data for spreadsheets. */
#ifndef SMK_EXPORT_H
#define SMK_EXPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "err.h"
#include "store.h"

/* Opens the database of an export, refusing one that does not exist
 * (rather than creating it empty). NULL with err on failure. */
struct store *export_open(const char *database, struct err *err);

/* Writes what ("leads", "events" or "feedback") as format ("csv" or
 * "jsonl") to out, a CSV after a UTF-8 byte order mark when bom (for
 * Excel). Times are ISO 8601 with offset in the local zone; amounts are in
 * the currency's units (12000.5), in CSV and JSONL alike, in the leads'
 * amount and in the events' data. Returns 0 or -1 with err. */
int export_write(struct store *s, const char *what, const char *format,
                 bool bom, FILE *out, struct err *err);

#endif
