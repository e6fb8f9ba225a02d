/* SPDX-License-Identifier: MIT */
/* qual.c: lead qualification (BANT, persona) and the handoff's lead
 * specification. */
#include "qual.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"

static const char *const bant_keys[] = { "budget", "authority", "need", "timing" };

static char **
bant_slot(struct qual *q, int i)
{
    char **slots[] = { &q->budget, &q->authority, &q->need, &q->timing };

    return slots[i];
}

static const char *
bant_value(const struct qual *q, int i)
{
    const char *v[] = { q->budget, q->authority, q->need, q->timing };

    return v[i];
}

void
qual_release(struct qual *q)
{
    free(q->budget);
    free(q->authority);
    free(q->need);
    free(q->timing);
    free(q->persona);
    memset(q, 0, sizeof(*q));
}

int
qual_load(struct store *s, int64_t lead, struct qual *q, struct err *err)
{
    sqlite3_stmt *st;
    int rc;

    memset(q, 0, sizeof(*q));
    st = store_query(s, err,
                     "SELECT budget, authority, need, timing, persona FROM lead_qual"
                     " WHERE lead = ?",
                     "I", lead);
    if (st == NULL || (rc = store_row(s, st, err)) < 0)
        return -1;
    if (rc == 0)
        return 0;
    q->budget = store_col_dup(st, 0);
    q->authority = store_col_dup(st, 1);
    q->need = store_col_dup(st, 2);
    q->timing = store_col_dup(st, 3);
    q->persona = store_col_dup(st, 4);
    sqlite3_reset(st);
    return 0;
}

int
qual_save(struct store *s, int64_t lead, const struct qual *q, struct err *err)
{
    return store_exec(s, err,
                      "INSERT OR REPLACE INTO lead_qual(lead, budget, authority, need,"
                      " timing, persona) VALUES (?, ?, ?, ?, ?, ?)",
                      "Isssss", lead, q->budget, q->authority, q->need, q->timing,
                      q->persona);
}

bool
qual_is_key(const char *key)
{
    for (size_t i = 0; i < 4; i++)
        if (strcmp(key, bant_keys[i]) == 0)
            return true;
    return strcmp(key, "bant") == 0 || strcmp(key, "persona") == 0;
}

static int
set_text(char **slot, const char *value)
{
    char *copy = value[0] ? strdup(value) : NULL;

    if (value[0] && copy == NULL)
        return -1;
    free(*slot);
    *slot = copy;
    return 0;
}

/* bant=bnt: the letters confirmed; the rest unknown. */
static int
set_bant(struct qual *q, const char *value, char *why, size_t len)
{
    bool on[4] = { false, false, false, false };

    if (strcmp(value, "-") != 0) {
        if (value[0] == '\0' || strlen(value) > 4)
            goto bad;
        for (const char *p = value; *p; p++) {
            const char *hit = strchr("bant", tolower((unsigned char)*p));

            if (hit == NULL || on[hit - "bant"])
                goto bad;
            on[hit - "bant"] = true;
        }
    }
    for (int i = 0; i < 4; i++)
        if (set_text(bant_slot(q, i), on[i] ? "yes" : "") < 0)
            goto oom;
    return 0;
bad:
    snprintf(why, len, _("bant= takes the letters of what is confirmed, e.g. bant=bnt (budget, need, timing), or bant=- for none; not '%.20s'"),
             value);
    return -1;
oom:
    snprintf(why, len, "%s", _("out of memory"));
    return -1;
}

int
qual_set(struct qual *q, const char *key, const char *value, char *why,
         size_t len)
{
    if (strlen(value) > QUAL_VALUE_MAX) {
        snprintf(why, len, _("%s is too long (at most %d characters)"), key,
                 QUAL_VALUE_MAX);
        return -1;
    }
    if (strcmp(key, "bant") == 0)
        return set_bant(q, value, why, len);
    for (int i = 0; i < 4; i++)
        if (strcmp(key, bant_keys[i]) == 0) {
            if (set_text(bant_slot(q, i), value) == 0)
                return 0;
            snprintf(why, len, "%s", _("out of memory"));
            return -1;
        }
    if (strcmp(key, "persona") == 0 && set_text(&q->persona, value) == 0)
        return 0;
    snprintf(why, len, _("unknown qualification field '%s'"), key);
    return -1;
}

int
qual_bant_count(const struct qual *q)
{
    int n = 0;

    for (int i = 0; i < 4; i++)
        n += bant_value(q, i) != NULL;
    return n;
}

void
qual_format_bant(const struct qual *q, struct strbuf *out)
{
    int n = qual_bant_count(q);

    if (n == 0)
        return;
    for (int i = 0; i < 4; i++) {
        const char *v = bant_value(q, i);

        strbuf_printf(out, "%s%s: %s", i ? ", " : "", _(bant_keys[i]), v ? v : "?");
    }
    strbuf_printf(out, _(" (%d of 4 known)"), n);
}

bool
qual_field_valid(const char *name)
{
    static const char *const fields[] = {
        "email", "company", "source", "score", "budget", "authority", "need",
        "timing", "persona",
    };

    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
        if (strcmp(name, fields[i]) == 0)
            return true;
    return false;
}

/* The value of a required field of l or q, NULL when it is not known. */
static const char *
field_value(const struct lead *l, const struct qual *q, const char *name)
{
    if (strcmp(name, "email") == 0)
        return l->email;
    if (strcmp(name, "company") == 0)
        return l->company;
    if (strcmp(name, "source") == 0)
        return l->source;
    if (strcmp(name, "score") == 0)
        return l->score >= 0 ? "" : NULL;
    if (strcmp(name, "persona") == 0)
        return q->persona;
    for (int i = 0; i < 4; i++)
        if (strcmp(name, bant_keys[i]) == 0)
            return bant_value(q, i);
    return "";
}

int
qual_missing(const struct lead *l, const struct qual *q,
             const struct config *cfg, struct strbuf *missing)
{
    int n = 0;

    if (cfg->handoff_min_score > 0 && l->score < cfg->handoff_min_score) {
        if (l->score < 0)
            strbuf_printf(missing, _("a score (at least %d)"), cfg->handoff_min_score);
        else
            strbuf_printf(missing, _("score %d < %d"), l->score, cfg->handoff_min_score);
        n++;
    }
    for (int i = 0; i < cfg->handoff_requires.n; i++) {
        const char *name = cfg->handoff_requires.v[i];
        const char *v = field_value(l, q, name);

        if (v != NULL && (v[0] != '\0' || strcmp(name, "score") == 0))
            continue;
        if (strcmp(name, "score") == 0 && cfg->handoff_min_score > 0)
            continue;           /* said above already */
        strbuf_printf(missing, "%s%s", n++ ? ", " : "", name);
    }
    return n;
}
