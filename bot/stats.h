/* SPDX-License-Identifier: MIT */
/* stats.h: every metric the bot exposes on GET /metrics, in one place so
 * that the names stay consistent; each is counted by a one-line call in
 * the file that sees the event (lib/metrics.h). */
#ifndef SMK_STATS_H
#define SMK_STATS_H

#include "deliver.h"
#include "metrics.h"

extern struct metric stats_build_info;          /* version */
extern struct metric stats_start_time;
extern struct metric stats_link_up;             /* platform */
extern struct metric stats_link_reconnects;     /* link, reason */
extern struct metric stats_events_received;     /* platform */
extern struct metric stats_events_deduplicated; /* platform */
extern struct metric stats_ack_latency;         /* platform */
extern struct metric stats_commands;            /* command, outcome */
extern struct metric stats_outbox_pending;      /* kind */
extern struct metric stats_outbox_oldest;       /* kind */
extern struct metric stats_sends;               /* result, kind */
extern struct metric stats_sched_firings;       /* kind, outcome */
extern struct metric stats_reloads;             /* result */

/* The result label of smarkbot_sends_total for a send's outcome. */
const char *stats_send_result(enum deliver_result res);

/* Lists every metric, in this order, with the series an alert needs from
 * the start at 0 (sends by result). */
void stats_register(void);

#endif
