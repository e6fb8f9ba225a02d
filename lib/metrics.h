/* SPDX-License-Identifier: MIT */
/* metrics.h: a small registry of counters, gauges and histograms for the
 * process, written out in Prometheus' text exposition format 0.0.4. A
 * metric is a static struct in its owner's file; its series (one per
 * combination of label values) appear on first use. The loop is single-
 * threaded, so nothing here locks. Everything starts at 0 with the
 * process, as Prometheus expects of counters. */
#ifndef SMK_METRICS_H
#define SMK_METRICS_H

#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"

enum metric_type { METRIC_COUNTER, METRIC_GAUGE, METRIC_HISTOGRAM };

#define METRIC_MAX_LABELS 2
#define METRIC_MAX_BUCKETS 16

struct metric_series;

struct metric {
    const char *name;           /* [a-zA-Z_:][a-zA-Z0-9_:]*, counters end in _total */
    const char *help;
    enum metric_type type;
    const char *labels[METRIC_MAX_LABELS];  /* label names; NULL past the last */
    double buckets[METRIC_MAX_BUCKETS];     /* histogram: upper bounds,
                                             * ascending, 0 past the last
                                             * (+Inf is implicit) */
    /* the registry's own */
    struct metric_series *series;
    struct metric *next;
    bool listed;
};

/* Lists m (once) so that it is written even before its first use. */
void metric_register(struct metric *m);

/* The series of m for the label values l1, l2 (NULL for a label m does not
 * have): a counter grows by v (v < 0 is ignored), a gauge is set to v, a
 * histogram observes v. Out of memory loses the update, nothing else. */
void metric_add(struct metric *m, double v, const char *l1, const char *l2);
void metric_set(struct metric *m, double v, const char *l1, const char *l2);
void metric_observe(struct metric *m, double v, const char *l1, const char *l2);
#define metric_inc(m, l1, l2) metric_add((m), 1, (l1), (l2))

/* Forgets the series of m (a gauge about to be collected afresh). */
void metric_clear(struct metric *m);

/* Something to run just before the metrics are written: it sets the gauges
 * that are read rather than counted (queue depths, link state). */
typedef void (*metrics_collect_fn)(void *ud);
/* Adds (or, with add false, removes) a collector. 0, or -1 when full. */
int metrics_collector(metrics_collect_fn fn, void *ud, bool add);

/* Runs the collectors, then appends every listed metric to out in the text
 * format: # HELP, # TYPE, then its series. 0, or -1 when out is full. */
int metrics_write(struct strbuf *out);

/* The content type of what metrics_write writes. */
#define METRICS_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

/* Frees every series and forgets every metric and collector (the end of
 * the process, and between tests). */
void metrics_reset(void);

#endif
