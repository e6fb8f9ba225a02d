/* SPDX-License-Identifier: MIT */
/* users.c: the users table. */
#include "users.h"

#include <stdlib.h>
#include <string.h>

char *
users_name(struct store *s, const char *key)
{
    char *name = NULL;

    if (key == NULL)
        return strdup("-");
    if (store_query_text(s, NULL, &name,
                         "SELECT name FROM users WHERE id = ? AND name IS NOT NULL",
                         "s", key) > 0 && name != NULL)
        return name;
    return strdup(key);
}

char *
users_id_by_name(struct store *s, const char *name)
{
    char *id = NULL;

    store_query_text(s, NULL, &id,
                     "SELECT id FROM users WHERE name = ? ORDER BY updated_at DESC",
                     "s", name);
    return id;
}

bool
users_known(struct store *s, const char *id, bool *has_tz)
{
    int64_t tz = 0;
    int found = store_query_int(s, NULL, &tz,
                                "SELECT tz IS NOT NULL FROM users"
                                " WHERE id = ? AND name IS NOT NULL", "s", id);

    *has_tz = found > 0 && tz;
    return found > 0;
}

int
users_set(struct store *s, int64_t now, const char *id, const char *name,
          const char *tz, const char *locale, struct err *err)
{
    if (id == NULL || name == NULL)
        return 0;
    return store_exec(s, err,
                      "INSERT INTO users(id, name, tz, locale, updated_at)"
                      " VALUES (?, ?, ?, ?, ?)"
                      " ON CONFLICT(id) DO UPDATE SET name = excluded.name,"
                      " tz = coalesce(excluded.tz, tz),"
                      " locale = coalesce(excluded.locale, locale),"
                      " updated_at = excluded.updated_at"
                      /* most calls confirm what is known: no write then */
                      " WHERE name IS NOT excluded.name"
                      " OR (excluded.tz IS NOT NULL AND tz IS NOT excluded.tz)"
                      " OR (excluded.locale IS NOT NULL AND locale IS NOT excluded.locale)",
                      "ssssI", id, name, tz, locale, now);
}

char *
users_dm(struct store *s, const char *id)
{
    char *dm = NULL;

    store_query_text(s, NULL, &dm,
                     "SELECT dm FROM users WHERE id = ? AND dm IS NOT NULL", "s", id);
    return dm;
}

int
users_set_dm(struct store *s, int64_t now, const char *id, const char *dm,
             struct err *err)
{
    return store_exec(s, err,
                      "INSERT INTO users(id, dm, updated_at) VALUES (?, ?, ?)"
                      " ON CONFLICT(id) DO UPDATE SET dm = excluded.dm",
                      "ssI", id, dm, now);
}
