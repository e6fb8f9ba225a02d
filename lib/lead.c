/* SPDX-License-Identifier: MIT */
/* lead.c: lead rows and the stage machine. */
#include "args.h"
#include "format.h"
#include "lead.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "i18n.h"

#define LEAD_COLS                                                          \
    "id, name, company, email, source, note, stage, owner, created_by,"    \
    " reason, score, created_at, handed_off_at, due_at, responded_at,"     \
    " closed_at, amount"

void
lead_release(struct lead *l)
{
    free(l->name);
    free(l->company);
    free(l->email);
    free(l->source);
    free(l->note);
    free(l->stage);
    free(l->owner);
    free(l->created_by);
    free(l->reason);
    memset(l, 0, sizeof(*l));
}

static int64_t
col_int(sqlite3_stmt *st, int i, int64_t unset)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? unset
                                                      : sqlite3_column_int64(st, i);
}

static void
read_row(sqlite3_stmt *st, struct lead *l)
{
    l->id = sqlite3_column_int64(st, 0);
    l->name = store_col_dup(st, 1);
    l->company = store_col_dup(st, 2);
    l->email = store_col_dup(st, 3);
    l->source = store_col_dup(st, 4);
    l->note = store_col_dup(st, 5);
    l->stage = store_col_dup(st, 6);
    l->owner = store_col_dup(st, 7);
    l->created_by = store_col_dup(st, 8);
    l->reason = store_col_dup(st, 9);
    l->score = (int)col_int(st, 10, -1);
    l->created_at = col_int(st, 11, 0);
    l->handed_off_at = col_int(st, 12, 0);
    l->due_at = col_int(st, 13, 0);
    l->responded_at = col_int(st, 14, 0);
    l->closed_at = col_int(st, 15, 0);
    l->amount = col_int(st, 16, -1);
}

int
lead_find(struct store *s, const char *ref, struct lead *l, struct err *err)
{
    int64_t id = args_ref_id(ref, 'L');
    sqlite3_stmt *st;
    int rc;

    memset(l, 0, sizeof(*l));
    if (id > 0)
        st = store_query(s, err, "SELECT " LEAD_COLS " FROM leads WHERE id = ?",
                         "I", id);
    else if (strchr(ref, '@') != NULL)
        st = store_query(s, err,
                         "SELECT " LEAD_COLS " FROM leads WHERE lower(email) = lower(?)",
                         "s", ref);
    else
        return 0;
    if (st == NULL)
        return -1;
    if ((rc = store_row(s, st, err)) > 0) {
        read_row(st, l);
        sqlite3_reset(st);
    }
    return rc;
}

int64_t
lead_id_by_email(struct store *s, const char *email, struct err *err)
{
    int64_t id = 0;

    if (store_query_int(s, err, &id,
                        "SELECT id FROM leads WHERE lower(email) = lower(?)",
                        "s", email) < 0)
        return -1;
    return id;
}

int
lead_source_spelling(struct store *s, const char *source, char **out,
                     struct err *err)
{
    *out = NULL;
    return store_query_text(s, err, out,
                            "SELECT source FROM leads WHERE lower(source) = lower(?)"
                            " ORDER BY id LIMIT 1", "s", source) < 0 ? -1 : 0;
}

int64_t
lead_insert(struct store *s, struct lead *l, struct err *err)
{
    if (l->stage == NULL)
        l->stage = strdup(STAGE_MQL);
    if (store_exec(s, err,
                   "INSERT INTO leads(name, company, email, source, note, stage,"
                   " created_by, score, created_at)"
                   " VALUES (?, ?, ?, ?, ?, ?, ?, nullif(?, -1), ?)",
                   "sssssssiI", l->name, l->company, l->email, l->source,
                   l->note, l->stage, l->created_by, l->score,
                   l->created_at) < 0)
        return -1;
    l->id = store_last_id(s);
    return l->id;
}

int
lead_update(struct store *s, const struct lead *l, struct err *err)
{
    return store_exec(s, err,
                      "UPDATE leads SET name = ?, company = ?, email = ?,"
                      " source = ?, note = ?, stage = ?, owner = ?, reason = ?,"
                      " score = nullif(?, -1), handed_off_at = nullif(?, 0),"
                      " due_at = nullif(?, 0), responded_at = nullif(?, 0),"
                      " closed_at = nullif(?, 0), amount = nullif(?, -1)"
                      " WHERE id = ?",
                      "ssssssssiIIIIII", l->name, l->company, l->email,
                      l->source, l->note, l->stage, l->owner, l->reason,
                      l->score, l->handed_off_at, l->due_at, l->responded_at,
                      l->closed_at, l->amount, l->id);
}

/* The stage machine of product.md section 2: every legal move. */
static const struct {
    const char *from, *action;
} moves[] = {
    { STAGE_MQL, "handoff" },
    { STAGE_HANDED_OFF, "handoff" },     /* reassign */
    { STAGE_HANDED_OFF, "accept" },
    { STAGE_HANDED_OFF, "reject" },
    { STAGE_RECYCLED, "handoff" },
    { STAGE_SQL, "won" },
    { STAGE_SQL, "lost" },
    { STAGE_WON, "reopen" },     /* a manager undoes a close made by mistake */
    { STAGE_LOST, "reopen" },
};
#define NMOVES (sizeof(moves) / sizeof(moves[0]))

static const char *const stages[] = {
    STAGE_MQL, STAGE_HANDED_OFF, STAGE_SQL, STAGE_RECYCLED, STAGE_WON,
    STAGE_LOST,
};

bool
lead_can(const char *from, const char *action)
{
    for (size_t i = 0; i < NMOVES; i++)
        if (strcmp(moves[i].from, from) == 0 && strcmp(moves[i].action, action) == 0)
            return true;
    return false;
}

void
lead_stages_for(const char *action, char *buf, size_t len)
{
    const char *found[NMOVES];
    size_t n = 0, off = 0;

    for (size_t i = 0; i < NMOVES; i++)
        if (strcmp(moves[i].action, action) == 0)
            found[n++] = moves[i].from;
    buf[0] = '\0';
    for (size_t i = 0; i < n && off < len; i++) {
        const char *sep = i == 0 ? "" : i + 1 == n ? _(" or ") : ", ";

        off += (size_t)snprintf(buf + off, len - off, "%s%s", sep, found[i]);
    }
}

const char *
lead_stage_named(const char *s)
{
    for (size_t i = 0; i < sizeof(stages) / sizeof(stages[0]); i++)
        if (strcasecmp(stages[i], s) == 0)
            return stages[i];
    return NULL;
}

void
lead_title(const struct lead *l, char *buf, size_t len)
{
    snprintf(buf, len, "L-%lld %s%s%s", (long long)l->id, l->name ? l->name : "",
             l->company ? ", " : "", l->company ? l->company : "");
}

/* Ten billion in any currency is no plausible deal: a typo, refused. */
#define AMOUNT_MAX_CENTS (10000000000LL * 100)

int
lead_parse_amount(const char *s, int64_t *cents)
{
    const char *p = s;
    int64_t units = 0, frac = 0, mult = 1, total;
    int run = 0, nfrac = 0;
    bool grouped = false;

    if (!isdigit((unsigned char)*p))
        return -1;
    for (; isdigit((unsigned char)*p) || *p == ','; p++) {
        if (*p == ',') {
            /* thousands separators only: 1-3 digits first, then 3 each */
            if (grouped ? run != 3 : (run < 1 || run > 3))
                return -1;
            grouped = true;
            run = 0;
            continue;
        }
        if (units > AMOUNT_MAX_CENTS)
            return -1;
        units = units * 10 + (*p - '0');
        run++;
    }
    if (grouped && run != 3)
        return -1;
    if (*p == '.') {
        /* at most cents: "12.000" is ambiguous (a European 12000?) */
        for (p++; isdigit((unsigned char)*p); p++) {
            if (++nfrac > 2)
                return -1;
            frac = frac * 10 + (*p - '0');
        }
        if (nfrac == 0)
            return -1;
        if (nfrac == 1)
            frac *= 10;
    }
    if (*p == 'k' || *p == 'K') {
        mult = 1000;
        p++;
    } else if (*p == 'm' || *p == 'M') {
        mult = 1000000;
        p++;
    }
    if (*p != '\0' || units > AMOUNT_MAX_CENTS / 100)
        return -1;
    total = units * 100 + frac;
    if (total > AMOUNT_MAX_CENTS / mult)
        return -1;
    total *= mult;
    if (total <= 0)
        return -1;
    *cents = total;
    return 0;
}

bool
lead_is_currency(const char *word, const char *currency)
{
    return currency != NULL && currency[0] != '\0' && strcasecmp(word, currency) == 0;
}

/* Is c part of a currency mark: '$', an uppercase code letter, or a byte
 * of a non-ASCII symbol (€, £, ¥ ...)? */
static bool
mark_char(char c)
{
    return c == '$' || isupper((unsigned char)c) || (unsigned char)c >= 0x80;
}

/* Bytes of the currency mark at p ("$", "US$", "EUR", "€"), 0 if none. */
static size_t
mark_len(const char *p)
{
    size_t n = 0, letters = 0;

    while (n < 6 && p[n] && mark_char(p[n]))
        if (isupper((unsigned char)p[n++]) && ++letters > 3)
            return 0;       /* a word in capitals, not a code */
    return n;
}

bool
lead_is_mark(const char *word)
{
    size_t n = strlen(word);
    bool upper = n == 3;

    if (n == 0 || mark_len(word) != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (word[i] == '$' || (unsigned char)word[i] >= 0x80)
            return true;        /* a symbol */
        else if (!isupper((unsigned char)word[i]))
            upper = false;
    return upper;
}

enum lead_money
lead_parse_money(const char *word, const char *currency, int64_t *cents)
{
    const char *p = word, *end;
    size_t cl = currency ? strlen(currency) : 0, k;
    bool neg = false, plus = false, foreign = false;
    char num[64];

    if (*p == '-' || *p == '+') {
        neg = *p == '-';
        plus = *p == '+';
        p++;
    }
    if (cl > 0 && strncasecmp(p, currency, cl) == 0 && isdigit((unsigned char)p[cl])) {
        p += cl;
    } else if (!isdigit((unsigned char)*p)) {
        k = mark_len(p);
        if (k == 0 || !isdigit((unsigned char)p[k]))
            return LEAD_MONEY_NONE;
        foreign = true;
        p += k;
    }
    end = p + strspn(p, "0123456789,.");
    if (strchr("kKmM", *end) != NULL && *end != '\0' &&
        !islower((unsigned char)end[1]))
        end++;
    if (*end != '\0' && !(cl > 0 && strcasecmp(end, currency) == 0)) {
        for (const char *q = end; *q; q++)
            if (!mark_char(*q))
                return LEAD_MONEY_BAD;
        foreign = true;
    }
    if ((size_t)(end - p) >= sizeof(num))
        return LEAD_MONEY_BAD;
    memcpy(num, p, (size_t)(end - p));
    num[end - p] = '\0';
    if (lead_parse_amount(num, cents) < 0 || plus)
        return LEAD_MONEY_BAD;
    if (foreign)
        return LEAD_MONEY_SIGN;
    return neg ? LEAD_MONEY_NEGATIVE : LEAD_MONEY_OK;
}

void
lead_sla_state(const struct lead *l, const struct bizhours *bh, int64_t now,
               char *buf, size_t len)
{
    char span[32];

    buf[0] = '\0';
    if (l->handed_off_at == 0)
        return;
    if (l->responded_at != 0) {
        format_bizdur(bh, bizhours_between(bh, l->handed_off_at, l->responded_at),
                         span, sizeof(span));
        snprintf(buf, len, l->responded_at <= l->due_at ? _("answered in %s, met")
                                                        : _("answered in %s, missed"),
                 span);
    } else if (strcmp(l->stage, STAGE_HANDED_OFF) == 0) {
        if (now <= l->due_at) {
            format_bizdur(bh, bizhours_between(bh, now, l->due_at), span, sizeof(span));
            snprintf(buf, len, _("due in %s"), span);
        } else {
            format_bizdur(bh, bizhours_between(bh, l->due_at, now), span, sizeof(span));
            snprintf(buf, len, _("overdue by %s"), span);
        }
    }
}

char *
lead_next_rep(struct store *s, int n, char *const *reps, const char *skip,
              struct err *err)
{
    char *last, *pick = NULL;
    int start = 0;

    if (n <= 0)
        return NULL;
    last = store_get_setting(s, LEAD_SETTING_ROUND_ROBIN);
    /* a rep who left the list restarts the rotation at the top */
    for (int i = 0; last != NULL && i < n; i++)
        if (strcmp(reps[i], last) == 0) {
            start = i + 1;
            break;
        }
    for (int k = 0; k < n && pick == NULL; k++) {
        const char *r = reps[(start + k) % n];

        /* a reassignment should reach someone new, when there is one */
        if (n > 1 && skip != NULL && strcmp(r, skip) == 0)
            continue;
        pick = strdup(r);
    }
    if (pick == NULL) {
        err_set(err, _("out of memory"));
    } else if (store_set_setting(s, LEAD_SETTING_ROUND_ROBIN, pick, err) < 0) {
        free(pick);
        pick = NULL;
    }
    free(last);
    return pick;
}

void
lead_event_release(struct lead_event *ev)
{
    free(ev->kind);
    free(ev->actor);
    free(ev->data);
    memset(ev, 0, sizeof(*ev));
}

static void
read_event(sqlite3_stmt *st, struct lead_event *ev)
{
    ev->id = sqlite3_column_int64(st, 0);
    ev->kind = store_col_dup(st, 1);
    ev->actor = store_col_dup(st, 2);
    ev->at = sqlite3_column_int64(st, 3);
    ev->data = store_col_dup(st, 4);
}

int
lead_events(struct store *s, int64_t lead, struct lead_event **out,
            struct err *err)
{
    sqlite3_stmt *st = store_query(s, err,
        "SELECT id, kind, actor, at, data FROM events WHERE lead = ?"
        " ORDER BY id", "I", lead);
    struct lead_event *v = NULL;
    int n = 0, cap = 0, rc;

    *out = NULL;
    if (st == NULL)
        return -1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            struct lead_event *nv;

            cap = cap ? cap * 2 : 16;
            nv = realloc(v, sizeof(*v) * (size_t)cap);
            if (nv == NULL) {
                err_set(err, _("out of memory"));
                rc = SQLITE_NOMEM;
                break;
            }
            v = nv;
        }
        read_event(st, &v[n++]);
    }
    if (rc != SQLITE_DONE) {
        err_set(err, "database error: %s", sqlite3_errmsg(store_db(s)));
        sqlite3_reset(st);
        for (int i = 0; i < n; i++)
            lead_event_release(&v[i]);
        free(v);
        return -1;
    }
    sqlite3_reset(st);
    *out = v;
    return n;
}

int
lead_last_answer(struct store *s, int64_t lead, struct lead_event *ev,
                 struct err *err)
{
    sqlite3_stmt *st = store_query(s, err,
        "SELECT id, kind, actor, at, data FROM events WHERE lead = ?"
        " AND kind IN ('accepted', 'rejected') ORDER BY id DESC LIMIT 1",
        "I", lead);
    int rc;

    memset(ev, 0, sizeof(*ev));
    if (st == NULL)
        return -1;
    if ((rc = store_row(s, st, err)) > 0) {
        read_event(st, ev);
        sqlite3_reset(st);
    }
    return rc;
}

int
lead_list(struct store *s, const struct lead_filter *f, int64_t now,
          int limit, struct lead **out, int64_t *total, struct err *err)
{
    /* one cached statement for every combination: a NULL or 0 parameter
     * switches its condition off. A lead the rep rejected is back with
     * marketing: no longer "mine" for the rep who still owns it. */
    sqlite3_stmt *st = store_query(s, err,
        "SELECT " LEAD_COLS ", count(*) OVER () FROM leads"
        " WHERE (?1 IS NULL OR stage = ?1)"
        " AND (?2 IS NULL OR lower(source) = lower(?2))"
        " AND (?3 IS NULL OR owner IN (?3, ?4))"
        " AND (?5 IS NULL OR (owner IN (?5, ?6) AND stage <> 'recycled')"
        "   OR created_by IN (?5, ?6))"
        " AND (?7 = 0 OR stage NOT IN ('won', 'lost'))"
        " AND (?8 = 0 OR (stage = 'handed_off' AND due_at < ?9))"
        " AND (?11 IS NULL OR instr(lower(name), lower(?11)) > 0"
        "   OR instr(lower(coalesce(company, '')), lower(?11)) > 0"
        "   OR instr(lower(coalesce(email, '')), lower(?11)) > 0)"
        " ORDER BY created_at DESC, id DESC LIMIT ?10 OFFSET ?12",
        "ssssssiiIisi", f->stage, f->source, f->rep, f->rep_alt, f->me,
        f->me_alt, (int)f->open, (int)f->overdue, now, limit, f->q,
        f->offset > 0 ? f->offset : 0);
    struct lead *v;
    int n = 0, rc;

    *out = NULL;
    *total = 0;
    if (st == NULL)
        return -1;
    v = calloc(limit > 0 ? (size_t)limit : 1, sizeof(*v));
    if (v == NULL) {
        err_set(err, _("out of memory"));
        return -1;
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < limit) {
        read_row(st, &v[n++]);
        *total = sqlite3_column_int64(st, 17);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        err_set(err, "database error: %s", sqlite3_errmsg(store_db(s)));
        for (int i = 0; i < n; i++)
            lead_release(&v[i]);
        free(v);
        return -1;
    }
    *out = v;
    return n;
}

int
lead_feedback_add(struct store *s, int64_t lead, const char *rep, int rating,
                  const char *comment, int64_t at, struct err *err)
{
    return store_exec(s, err,
                      "INSERT INTO feedback(lead, rep, rating, comment, at)"
                      " VALUES (?, ?, ?, ?, ?)",
                      "IsisI", lead, rep, rating, comment, at);
}

int
lead_feedback_latest(struct store *s, int64_t lead, const char *rep,
                     struct err *err)
{
    int64_t rating = 0;

    if (store_query_int(s, err, &rating,
                        "SELECT rating FROM feedback WHERE lead = ? AND rep = ?"
                        " ORDER BY at DESC, id DESC LIMIT 1",
                        "Is", lead, rep) < 0)
        return -1;
    return (int)rating;
}
