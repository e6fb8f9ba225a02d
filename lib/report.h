/* SPDX-License-Identifier: MIT */
/* report.h: the numbers both teams read: SLA figures, the monthly SLA
 * report, and the pieces the weekly digest (digest.h) is built of.
 * Computed from the events and leads tables. */
#ifndef SMK_REPORT_H
#define SMK_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "err.h"
#include "store.h"
#include "strbuf.h"

/* Last calendar month's SLA report for both sides (the month before the
 * one containing now), appended to out. */
int report_monthly(struct store *s, const struct config *cfg, int64_t now,
                   struct strbuf *out, struct err *err);

/* A few lines of SLA status for meeting agendas, appended to out. */
int report_sla_status(struct store *s, const struct config *cfg, int64_t now,
                      struct strbuf *out, struct err *err);

/* The rest of a meeting's agenda, numbered from first: the current goals
 * and their pace, the funnel's weakest step of this month's leads, and
 * the open campaigns, appended to out. */
int report_agenda_more(struct store *s, const struct config *cfg, int64_t now,
                       int first, struct strbuf *out, struct err *err);

/* The `sla` command's report: this month so far, and the leads over their
 * deadline now, appended to out. */
int report_sla(struct store *s, const struct config *cfg, int64_t now,
               struct strbuf *out, struct err *err);

/* Sales' answers (accept or reject) in [from, to). */
struct report_response {
    int n;                      /* answers */
    int within;                 /* of them, within the target in force */
    int64_t median, p90;        /* business seconds; -1 when n == 0 */
    int64_t overdue;            /* not answered, past a deadline in the window:
                                 * against the share (set by the caller) */
};

/* What "within the SLA" means, everywhere (sla, the digest, the monthly
 * report, alignment): the answers given in [from, now] within the target
 * in force, out of those answers plus the leads still unanswered whose
 * deadline fell in [from, now). Fills r, overdue included. */
int report_sla_share(struct store *s, const struct config *cfg, int64_t from,
                     int64_t now, struct report_response *r, struct err *err);

/* "2 of 4 within target (50%), counting 2 unanswered past their deadline"
 * for r, appended to out; "no handoffs answered or due" when r is empty. */
void report_format_share(const struct report_response *r, struct strbuf *out);

/* The window the alignment criterion judges the SLA over, in days; `sla`
 * shows it beside the month so the two read the same numbers. */
#define REPORT_SLA_WINDOW_DAYS 30

/* Fills r from the accepted and rejected events of [from, to). An event
 * without a `met` flag counts as within when its time is at most
 * target_secs. */
int report_responses(struct store *s, int64_t from, int64_t to,
                     int64_t target_secs, struct report_response *r,
                     struct err *err);

/* MQLs marketing delivered in the calendar month containing now. */
struct report_pace {
    int64_t actual;             /* leads created since the 1st */
    int64_t target;             /* the month's target in force */
    int64_t expected;           /* target pro rata of the month elapsed */
};

int report_mql_pace(struct store *s, const struct config *cfg, int64_t now,
                    struct report_pace *p, struct err *err);

/* The MQL target in force at time t: the last `sla set` before t, or the
 * value before the first one, or the current target when none was made. */
int64_t report_mql_target_at(struct store *s, const struct config *cfg,
                             int64_t t);

/* The p-th percentile (0..100) of n sorted values, interpolating linearly
 * between the closest ranks (so p = 50 is the usual median); -1 when
 * n == 0. */
int64_t report_percentile(const int64_t *sorted, size_t n, int p);

/* [from, to) of the local calendar month containing t. */
void report_month_bounds(int64_t t, int64_t *from, int64_t *to);

/* The pieces reports share. */
/* A lead's source as a label: "(no source)" for none. */
const char *report_source_label(const char *source);
/* Appends text line by line, each line prefixed by indent and ended by a
 * newline (lists made by other modules are flush left). */
void report_append_indented(struct strbuf *out, const char *text, const char *indent);
/* Distinct leads with an event of kind in [from, to), into *n. */
int report_count_leads(struct store *s, const char *kind, int64_t from, int64_t to,
                       int64_t *n, struct err *err);
/* Recycled leads that marketing handed off again in [from, to), into *n. */
int report_count_rehandoffs(struct store *s, int64_t from, int64_t to, int64_t *n,
                            struct err *err);
/* "12 of 200 (6%)" */
void report_put_of_target(struct strbuf *out, int64_t actual, int64_t target);
/* "; 149 expected by now at an even pace, 137 behind" */
void report_put_pace(struct strbuf *out, const struct report_pace *p);
/* "response median 1h30m, 90th percentile 3h50m (target 4h)", sep, "8 of
 * 10 within target (80%)", or that nothing was answered. sep lets a chat
 * post break the line where a status line keeps it whole. */
void report_put_responses(struct strbuf *out, const struct bizhours *bh,
                          const struct report_response *r, int64_t target,
                          const char *sep);
/* "Rejected: budget 3, timing 2" for [from, to); nothing when none. */
int report_put_reasons(struct store *s, int64_t from, int64_t to, struct strbuf *out,
                       struct err *err);

#endif
