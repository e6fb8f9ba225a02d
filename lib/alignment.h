/* SPDX-License-Identifier: MIT */
/* alignment.h: the alignment level of product.md section 6, from the data.
 *
 * Eight criteria, each met or not with its evidence. The level is a
 * share: all met = completely aligned, at least two thirds = somewhat
 * aligned, at least a third = somewhat misaligned, less = completely
 * misaligned. */
#ifndef SMK_ALIGNMENT_H
#define SMK_ALIGNMENT_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "err.h"
#include "store.h"
#include "strbuf.h"

#define ALIGNMENT_NCRITERIA 8
/* Share of the last 30 days' deadlines that must be met, in percent. */
#define ALIGNMENT_SLA_PERCENT 80
/* Days a recycled lead may wait for marketing before it counts as unhandled. */
#define ALIGNMENT_RECYCLED_DAYS 14

enum alignment_level {
    ALIGN_COMPLETELY_MISALIGNED,
    ALIGN_SOMEWHAT_MISALIGNED,
    ALIGN_SOMEWHAT_ALIGNED,
    ALIGN_COMPLETELY_ALIGNED,
};

struct alignment {
    int met;                            /* criteria met, 0..ALIGNMENT_NCRITERIA */
    struct {
        bool met;
        bool unknown;                   /* no data yet to judge it: not met */
        char evidence[256];
    } crit[ALIGNMENT_NCRITERIA];
};

/* Evaluates every criterion at now. */
int alignment_eval(struct store *s, const struct config *cfg, int64_t now,
                   struct alignment *al, struct err *err);

/* The level for a number of criteria met. */
enum alignment_level alignment_level(int met);
/* "somewhat aligned" (translated). */
const char *alignment_level_name(enum alignment_level level);
/* "a shared goal for the current period" (translated). */
const char *alignment_criterion_name(int i);

/* The level line and one line per criterion, appended to out. */
void alignment_format(const struct alignment *al, struct strbuf *out);

#endif
