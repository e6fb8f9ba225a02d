/* SPDX-License-Identifier: MIT */
/* event.c: appending events. */
#include "event.h"

#include <stdlib.h>

#include "i18n.h"

/* Hooks by store: the store itself knows nothing of who listens. */
static struct {
    struct store *store;
    event_hook_fn fn;
    void *ud;
} hooks[EVENT_MAX_HOOKS];

int
event_hook_add(struct store *s, event_hook_fn fn, void *ud)
{
    for (int i = 0; i < EVENT_MAX_HOOKS; i++)
        if (hooks[i].fn == NULL) {
            hooks[i].store = s;
            hooks[i].fn = fn;
            hooks[i].ud = ud;
            return 0;
        }
    return -1;
}

void
event_hook_remove(void *ud)
{
    for (int i = 0; i < EVENT_MAX_HOOKS; i++)
        if (hooks[i].ud == ud)
            hooks[i].fn = NULL;
}

static int
run_hooks(struct store *s, int64_t id, int64_t lead, const char *kind,
          const char *actor, int64_t at, json_t *data, struct err *err)
{
    for (int i = 0; i < EVENT_MAX_HOOKS; i++)
        if (hooks[i].fn && hooks[i].store == s &&
            hooks[i].fn(hooks[i].ud, s, id, lead, kind, actor, at, data, err) < 0)
            return -1;
    return 0;
}

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
    if (rc == 0)
        rc = run_hooks(s, store_last_id(s), lead, kind, actor, at, data, err);
    return rc;
}
