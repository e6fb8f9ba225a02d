/* SPDX-License-Identifier: MIT */
/* event.c: appending events. */
#include "event.h"

#include <stdlib.h>

#include "i18n.h"

int
event_append(struct store *s, int64_t lead, const char *kind, const char *actor,
              int64_t at, json_t *data, struct err *err)
{
    char *text = data ? json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    int rc;

    if (data && text == NULL) {
        err_set(err, _("out of memory"));
        return -1;
    }
    if (lead > 0)
        rc = store_exec(s, err,
                        "INSERT INTO events(lead, kind, actor, at, data)"
                        " VALUES (?, ?, ?, ?, ?)",
                        "IssIs", lead, kind, actor, at, text ? text : "{}");
    else
        rc = store_exec(s, err,
                        "INSERT INTO events(lead, kind, actor, at, data)"
                        " VALUES (NULL, ?, ?, ?, ?)",
                        "ssIs", kind, actor, at, text ? text : "{}");
    free(text);
    return rc;
}
