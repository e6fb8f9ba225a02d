/* SPDX-License-Identifier: MIT */
/* persona.h: the buyer personas both teams sell to (`persona add` ...):
 * a name and a description each, named by leads (persona=, kept in
 * lead_qual), split out by `funnel by=persona`, and reviewed with both
 * teams every [schedule] persona_review_months (the review is an event,
 * `persona reviewed`). */
#ifndef SMK_PERSONA_H
#define SMK_PERSONA_H

#include <stdint.h>

#include "config.h"
#include "err.h"
#include "store.h"
#include "strbuf.h"

#define PERSONA_NAME_MAX 60
#define PERSONA_DESC_MAX 500

struct persona {
    int64_t id;
    char *name, *description;   /* owned */
    int64_t created_at;
};

void persona_release(struct persona *p);

/* Loads the live persona named ref ("P-2", or its name in any case) into
 * p. 1 found, 0 not, -1 error. */
int persona_find(struct store *s, const char *ref, struct persona *p,
                 struct err *err);

/* Inserts a persona; returns its id, or -1. The caller checks the name is
 * free (persona_find). */
int64_t persona_add(struct store *s, const char *name, const char *description,
                    const char *actor, int64_t now, struct err *err);
int persona_set_description(struct store *s, int64_t id, const char *description,
                            struct err *err);
/* Marks persona id removed at now; the leads naming it keep the name. */
int persona_remove(struct store *s, int64_t id, int64_t now, struct err *err);

/* The live personas' names, "CFO, IT lead", appended to out. Returns how
 * many, or -1. */
int persona_names(struct store *s, struct strbuf *out, struct err *err);

/* One line per live persona with its description and how many leads name
 * it, appended to out. Returns how many, or -1. */
int persona_list(struct store *s, struct strbuf *out, struct err *err);

/* The time of the last `persona reviewed`, or 0 when never. -1 on error. */
int64_t persona_last_review(struct store *s, struct err *err);

/* When the managers are next reminded to review the personas: months
 * ([schedule] persona_review_months) after the last review, or after the
 * first live persona was added when none was made, at the opening of
 * business hours of that day. 0 when reviews are off (months 0) or there
 * is no persona; -1 on error. */
int64_t persona_review_due(struct store *s, const struct config *cfg,
                           struct err *err);

#endif
