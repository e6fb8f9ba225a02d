/* SPDX-License-Identifier: MIT */
/* users.h: the users table, the only code that reads or writes it: what
 * the platform told us of each person (name, time zone, language) and the
 * DM channel opened to them. Keys are platform user ids (the console: the
 * name itself). */
#ifndef SMK_USERS_H
#define SMK_USERS_H

#include <stdbool.h>
#include <stdint.h>

#include "err.h"
#include "store.h"

/* The display name of key, else key itself ("-" for NULL). Owned. */
char *users_name(struct store *s, const char *key);
/* The id of the user called name (the newest such), or NULL. Owned. */
char *users_id_by_name(struct store *s, const char *name);
/* Does the table know id's name? *has_tz tells whether its zone too. */
bool users_known(struct store *s, const char *id, bool *has_tz);

/* Records what the platform said of id: name, and tz and locale where
 * not NULL (an unknown field keeps what was known). 0 or -1. */
int users_set(struct store *s, int64_t now, const char *id, const char *name,
              const char *tz, const char *locale, struct err *err);

/* The DM channel opened to id, or NULL. Owned. */
char *users_dm(struct store *s, const char *id);
int users_set_dm(struct store *s, int64_t now, const char *id, const char *dm,
                 struct err *err);

#endif
