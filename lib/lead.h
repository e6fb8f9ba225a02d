/* SPDX-License-Identifier: MIT */
/* lead.h: leads, their stages and the moves between them. */
#ifndef SMK_LEAD_H
#define SMK_LEAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bizhours.h"
#include "err.h"
#include "store.h"

/* Stage names as stored. */
#define STAGE_MQL "mql"
#define STAGE_HANDED_OFF "handed_off"
#define STAGE_SQL "sql"
#define STAGE_RECYCLED "recycled"
#define STAGE_WON "won"
#define STAGE_LOST "lost"

struct lead {
    int64_t id;
    char *name, *company, *email, *source, *note, *stage, *owner, *created_by,
        *reason;
    int score;                  /* -1 = not set */
    int64_t created_at, handed_off_at, due_at, responded_at, closed_at;
    int64_t amount;             /* cents; -1 = not set */
};

void lead_release(struct lead *l);

/* Finds a lead by "L-3", "l-3", "3" or its email into l (owned fields).
 * Returns 1 found, 0 not found, -1 error. */
int lead_find(struct store *s, const char *ref, struct lead *l,
              struct err *err);

/* The spelling of source already on a lead ("webinar" for "Webinar"), so
 * reports count one source once: *out is owned, NULL when no lead has it.
 * Returns 0 or -1. */
int lead_source_spelling(struct store *s, const char *source, char **out,
                         struct err *err);

/* Inserts l (id, stage and times are filled in). Returns the id or -1. */
int64_t lead_insert(struct store *s, struct lead *l, struct err *err);

/* Writes every field of l back. */
int lead_update(struct store *s, const struct lead *l, struct err *err);

/* Id of the lead with this email (case-insensitive), 0 if none, -1 error. */
int64_t lead_id_by_email(struct store *s, const char *email, struct err *err);

/* Is the move from stage `from` by `action` (handoff, accept, reject, won,
 * lost, reopen) legal? */
bool lead_can(const char *from, const char *action);
/* The stages action is legal from, "mql, handed_off or recycled", into buf
 * (for refusals that name what would have been allowed). */
void lead_stages_for(const char *action, char *buf, size_t len);
/* The stage s names, in any case ("SQL" is sql), or NULL when s is none
 * of the six. */
const char *lead_stage_named(const char *s);

/* "L-3 Jane Doe, ACME" into buf. */
void lead_title(const struct lead *l, char *buf, size_t len);

/* Parses a deal amount: 12000, 12,000.50, 12.5k, 2m (no currency sign)
 * into cents (> 0). Returns 0, or -1 for anything else. */
int lead_parse_amount(const char *s, int64_t *cents);

/* What a word typed where an amount may stand turned out to be. */
enum lead_money {
    LEAD_MONEY_OK,          /* an amount, into *cents */
    LEAD_MONEY_NONE,        /* not amount-like: the start of a note */
    LEAD_MONEY_BAD,         /* amount-like, but no amount */
    LEAD_MONEY_NEGATIVE,    /* "-500" */
    LEAD_MONEY_SIGN,        /* a currency sign other than the configured one */
};

/* Reads word as an amount: lead_parse_amount's forms, with currency (the
 * configured sign, "" for none) before or after the number in any case
 * ("$5,000", "5000 usd" split by the caller, "€12k"). A word is
 * amount-like when it starts with a digit, or with a sign, '$', an
 * uppercase code of up to 3 letters or a non-ASCII symbol followed by a
 * digit: such a word is never a note. */
enum lead_money lead_parse_money(const char *word, const char *currency,
                                 int64_t *cents);
/* Does word name the configured currency (case-insensitive)? */
bool lead_is_currency(const char *word, const char *currency);
/* Is word a currency mark on its own: a symbol ("$", "€", "R$") or a code
 * of three uppercase letters ("USD")? */
bool lead_is_mark(const char *word);

/* The response clock of l at now, for people, in business time: "due in
 * 2h" or "overdue by 1h30m" while handed_off, "answered in 1h20m, met" (or
 * "missed") once answered, "" for a lead never handed off. */
void lead_sla_state(const struct lead *l, const struct bizhours *bh,
                    int64_t now, char *buf, size_t len);

/* The setting that remembers the last rep round-robin picked, so a restart
 * continues the rotation instead of starting it over. */
#define LEAD_SETTING_ROUND_ROBIN "handoff.last_rep"

/* The next of reps[0..n) after the one picked last, skipping `skip` (the
 * lead's current owner) when someone else is available, and remembers the
 * pick. Returns the key (owned), or NULL when n is 0 or on error (err). */
char *lead_next_rep(struct store *s, int n, char *const *reps,
                    const char *skip, struct err *err);

/* One row of the events table. */
struct lead_event {
    int64_t id, at;
    char *kind, *actor, *data;  /* owned; data is JSON object text */
};

void lead_event_release(struct lead_event *ev);
/* Every event of lead, oldest first, into *out (owned: free each with
 * lead_event_release, then the array). Returns the count or -1. */
int lead_events(struct store *s, int64_t lead, struct lead_event **out,
                struct err *err);
/* The newest `accepted` or `rejected` event of lead into ev. Returns 1
 * found, 0 none, -1 error. */
int lead_last_answer(struct store *s, int64_t lead, struct lead_event *ev,
                     struct err *err);

/* What `leads` filters by; NULL or false = no filter on that field. */
struct lead_filter {
    const char *stage;
    const char *source;             /* case-insensitive */
    const char *rep, *rep_alt;      /* owner is one of these (id, name) */
    const char *me, *me_alt;        /* creator, or owner of a lead not recycled */
    bool open;                      /* not won or lost */
    bool overdue;                   /* handed_off and past due_at */
    const char *q;                  /* in the name, company or email (any case) */
    int offset;                     /* leads skipped first (paging) */
};

/* Leads matching f, newest first: at most limit of them after the first
 * f->offset into *out (owned: lead_release each, then free the array), and
 * how many matched in all into *total (0 when the page is past the end).
 * Returns the count in *out, or -1. */
int lead_list(struct store *s, const struct lead_filter *f, int64_t now,
              int limit, struct lead **out, int64_t *total, struct err *err);

/* A rep's rating of a lead: history is kept (one row each time); reports
 * read the newest row per (lead, rep). */
int lead_feedback_add(struct store *s, int64_t lead, const char *rep,
                      int rating, const char *comment, int64_t at,
                      struct err *err);
/* The rep's newest rating of lead: 1..5, 0 when none, -1 on error. */
int lead_feedback_latest(struct store *s, int64_t lead, const char *rep,
                         struct err *err);

#endif
