/* SPDX-License-Identifier: MIT */
/* qual.h: a lead's qualification, the BANT fields the guides name (budget,
 * authority, need, timing) and its buyer persona, and the lead
 * specification of the SLA a handoff must meet ([sla] handoff_min_score,
 * handoff_requires). Kept in lead_qual, one row per lead. */
#ifndef SMK_QUAL_H
#define SMK_QUAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "err.h"
#include "lead.h"
#include "store.h"
#include "strbuf.h"

#define QUAL_VALUE_MAX 200

/* Every field is owned and NULL when unknown. */
struct qual {
    char *budget, *authority, *need, *timing;
    char *persona;
};

void qual_release(struct qual *q);

/* Loads lead's qualification into q (all NULL when it has none). Returns 0
 * or -1. */
int qual_load(struct store *s, int64_t lead, struct qual *q, struct err *err);
/* Writes q as lead's qualification (insert or replace). */
int qual_save(struct store *s, int64_t lead, const struct qual *q,
              struct err *err);

/* Is key one of budget authority need timing bant persona? */
bool qual_is_key(const char *key);

/* Applies key=value to q. The four BANT keys take free text ("yes",
 * "50k approved", "CFO signs"); an empty value clears. bant= takes the
 * letters of what is confirmed, in any order and case ("bnt": budget,
 * need and timing are "yes", authority unknown; "-" clears all four).
 * Returns 0, or -1 with why (for the person) filled. */
int qual_set(struct qual *q, const char *key, const char *value, char *why,
             size_t len);

/* How many of the four BANT fields are known. */
int qual_bant_count(const struct qual *q);

/* "budget: 50k approved, authority: ?, need: yes, timing: Q1 (3 of 4)",
 * or nothing when no BANT field is known. */
void qual_format_bant(const struct qual *q, struct strbuf *out);

/* Is name a field handoff_requires may name (email company source score
 * budget authority need timing persona)? */
bool qual_field_valid(const char *name);

/* What l (with qualification q) lacks for the lead specification of cfg,
 * one item per string appended to missing as "score 30 < 50", "email",
 * "budget" ..., separated by ", ". Returns how many items. */
int qual_missing(const struct lead *l, const struct qual *q,
                 const struct config *cfg, struct strbuf *missing);

#endif
