/* SPDX-License-Identifier: MIT */
/* backup.h: a consistent copy of the database while the bot runs. */
#ifndef SMK_BACKUP_H
#define SMK_BACKUP_H

#include "err.h"

/* Copies the database at src into dest with SQLite's online backup API:
 * one read transaction, so the copy is the database as of one commit,
 * whatever the bot writes meanwhile (WAL readers do not block it). The
 * copy is written beside dest, checked (quick_check), made a single file
 * (journal_mode DELETE) and renamed over dest, so dest is never half
 * written. src must exist and differ from dest. 0, or -1 with err. */
int backup_copy(const char *src, const char *dest, struct err *err);

#endif
