/* SPDX-License-Identifier: MIT */
/* funnel.h: the lead funnel by source: how many leads reach each stage,
 * the conversion between stages, and where each source leaks most.
 *
 * A funnel is a cohort: the leads created in a period, counted at every
 * stage they have reached by now (handed off, accepted as SQL, won, lost,
 * recycled at least once). Rates are therefore never above 100%, and the
 * previous period's cohort is the fair comparison. */
#ifndef SMK_FUNNEL_H
#define SMK_FUNNEL_H

#include <stdint.h>

#include "config.h"
#include "err.h"
#include "store.h"
#include "strbuf.h"

enum funnel_stage {
    FUNNEL_MQL,
    FUNNEL_HANDED_OFF,
    FUNNEL_SQL,
    FUNNEL_WON,
    FUNNEL_LOST,
    FUNNEL_RECYCLED,
    FUNNEL_NSTAGES
};

/* The steps between stages: MQL -> handed off -> SQL -> won. */
#define FUNNEL_NSTEPS 3

/* What a funnel is split by. */
enum funnel_by { FUNNEL_BY_SOURCE, FUNNEL_BY_PERSONA };

struct funnel_row {
    char *label;                /* owned; "" = no source (or persona) */
    int64_t n[FUNNEL_NSTAGES];
};

struct funnel {
    struct funnel_row total;    /* label NULL */
    struct funnel_row *rows;    /* owned, largest first */
    int nrows;
};

void funnel_release(struct funnel *f);

/* Counts the cohort of leads created in [from, to), split by `by`; only
 * is a source (persona) to keep alone, case-insensitive, or NULL. */
int funnel_count(struct store *s, int64_t from, int64_t to,
                 enum funnel_by by, const char *only, struct funnel *f,
                 struct err *err);

/* The row of f labelled label (case-insensitive), or NULL. */
const struct funnel_row *funnel_find(const struct funnel *f,
                                     const char *label);

/* Conversion of step (0: MQL -> handed off, 1: handed off -> SQL, 2: SQL
 * -> won) in percent, rounded down; -1 when the step's start is empty. */
int funnel_rate(const struct funnel_row *r, int step);

/* The step with the lowest conversion (the first of equals), or -1 when
 * no step has a start or every step converts fully. */
int funnel_leak(const struct funnel_row *r);

/* "handed off -> SQL" (translated). */
const char *funnel_step_name(int step);
/* "MQL", "handed off" ... (translated). */
const char *funnel_stage_name(enum funnel_stage st);

/* The `funnel` command's report for period (a goal period: 2026, 2026-Q4,
 * 2026-11) against the period before, appended to out. */
int funnel_report(struct store *s, const char *period, enum funnel_by by,
                  const char *only, struct strbuf *out, struct err *err);

/* One line per source ("webinar: 4 MQL → 3 handed off (75%) → ..."), for
 * the digest and the monthly report: the cohort of [from, to). */
int funnel_compact(struct store *s, int64_t from, int64_t to,
                   struct strbuf *out, struct err *err);

/* Leads closed as lost in [from, to), by reason and source: "budget:
 * webinar 1, ads 1; timing: ads 1"; nothing when none. Returns the number of losses, or -1. */
int funnel_losses(struct store *s, int64_t from, int64_t to,
                  struct strbuf *out, struct err *err);

#endif
