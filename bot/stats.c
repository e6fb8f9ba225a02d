/* SPDX-License-Identifier: MIT */
/* stats.c: the bot's metrics (see stats.h). */
#include "stats.h"

#include <stddef.h>

struct metric stats_build_info = {
    .name = "smarkbot_build_info", .type = METRIC_GAUGE,
    .help = "Always 1; the version of the running binary is its label.",
    .labels = { "version" },
};
struct metric stats_start_time = {
    .name = "smarkbot_start_time_seconds", .type = METRIC_GAUGE,
    .help = "When the process started, in Unix seconds.",
};
struct metric stats_link_up = {
    .name = "smarkbot_link_up", .type = METRIC_GAUGE,
    .help = "1 when the link to the chat platform is up (the console always is), else 0.",
    .labels = { "platform" },
};
struct metric stats_link_reconnects = {
    .name = "smarkbot_link_reconnects_total", .type = METRIC_COUNTER,
    .help = "Times the platform link had to open a new connection, by reason: closed "
            "(the connection ended), connect_error, lookup_failed (the host name), no_url "
            "(the platform gave no URL), dropped (the bot closed it), replaced (the server "
            "asked for a new one).",
    .labels = { "link", "reason" },
};
struct metric stats_events_received = {
    .name = "smarkbot_events_received_total", .type = METRIC_COUNTER,
    .help = "Commands, messages and clicks received from the platform.",
    .labels = { "platform" },
};
struct metric stats_events_deduplicated = {
    .name = "smarkbot_events_deduplicated_total", .type = METRIC_COUNTER,
    .help = "Received events that had been handled before (redeliveries, double clicks).",
    .labels = { "platform" },
};
struct metric stats_ack_latency = {
    .name = "smarkbot_ack_latency_seconds", .type = METRIC_HISTOGRAM,
    .help = "From an envelope's arrival (or its replay, once users.info named its sender) "
            "to its acknowledgement queued on the socket, the command committed.",
    .labels = { "platform" },
    .buckets = { 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5 },
};
struct metric stats_commands = {
    .name = "smarkbot_commands_total", .type = METRIC_COUNTER,
    .help = "Commands run, by name and outcome: ok, refused (usage, role, rule) or "
            "error (the database).",
    .labels = { "command", "outcome" },
};
struct metric stats_outbox_pending = {
    .name = "smarkbot_outbox_pending", .type = METRIC_GAUGE,
    .help = "Posts waiting in the outbox, by kind.",
    .labels = { "kind" },
};
struct metric stats_outbox_oldest = {
    .name = "smarkbot_outbox_oldest_pending_seconds", .type = METRIC_GAUGE,
    .help = "Age of the oldest post waiting in the outbox, by kind (0 when none).",
    .labels = { "kind" },
};
struct metric stats_sends = {
    .name = "smarkbot_sends_total", .type = METRIC_COUNTER,
    .help = "Requests that sent a post, by result: ok, retry (network, 5xx), "
            "ratelimited (429) or failed (given up); and by the outbox kind: channel, dm, "
            "ephemeral, response, update, webhook, crm (the CRM's syncs).",
    .labels = { "result", "kind" },
};
struct metric stats_sched_firings = {
    .name = "smarkbot_sched_firings_total", .type = METRIC_COUNTER,
    .help = "Scheduled jobs handled, by kind and outcome: fired, cancelled (nothing left to "
            "say) or dropped (too late to be useful).",
    .labels = { "kind", "outcome" },
};

const char *
stats_send_result(enum deliver_result res)
{
    switch (res) {
    case DELIVER_OK:
    case DELIVER_ALREADY:
        return "ok";
    case DELIVER_RETRY:
    case DELIVER_REPLAN:
        return "retry";
    case DELIVER_RATELIMITED:
        return "ratelimited";
    case DELIVER_FAILED:
    case DELIVER_FATAL:
        break;
    }
    return "failed";
}

struct metric stats_reloads = {
    .name = "smarkbot_reloads_total", .type = METRIC_COUNTER,
    .help = "SIGHUP reloads of the config: ok (applied, perhaps with keys that need a "
            "restart) or error (the file had an error; nothing changed).",
    .labels = { "result" },
};

void
stats_register(void)
{
    static const char *const results[] = { "ok", "retry", "ratelimited", "failed" };
    static const char *const kinds[] = { "channel", "dm" };
    struct metric *const all[] = {
        &stats_build_info, &stats_start_time, &stats_link_up, &stats_link_reconnects,
        &stats_events_received, &stats_events_deduplicated, &stats_ack_latency,
        &stats_commands,
        &stats_outbox_pending, &stats_outbox_oldest, &stats_sends, &stats_sched_firings,
        &stats_reloads,
    };

    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
        metric_register(all[i]);
    for (size_t i = 0; i < sizeof(results) / sizeof(results[0]); i++)
        for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
            metric_add(&stats_sends, 0, results[i], kinds[k]);
}
