/* SPDX-License-Identifier: MIT */
/* bench_commands.c: drives the whole command path (router, dispatch, SQLite
 * transaction, outbox) N times on a fresh database file and prints commands
 * per second, per-command latency percentiles and peak RSS.
 *
 *   bench/bin/bench_commands [N]     (default 2000 leads = 6000 commands) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "bot.h"
#include "router.h"

static int
cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

    return (x > y) - (x < y);
}

/* One command as user; its time in microseconds. */
static int64_t
run(struct bot *bot, const char *user, const char *text, int *failed)
{
    struct chat_msg msg = { 0 };
    struct strbuf reply;
    int64_t start;

    msg.user_id = (char *)user;
    msg.user_name = (char *)user;
    msg.text = (char *)text;
    strbuf_init(&reply, 0);
    start = clock_mono_us();
    if (router_handle(bot, &msg, &reply) < 0)
        (*failed)++;
    strbuf_release(&reply);
    return clock_mono_us() - start;
}

int
main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 2000, failed = 0, k = 0;
    char dir[] = "/tmp/smk-bench-XXXXXX", path[600], text[128];
    struct bot bot = { 0 };
    struct err err = { 0 };
    struct rusage ru;
    int64_t *lat, total = 0;

    if (n <= 0 || mkdtemp(dir) == NULL)
        return 2;
    snprintf(path, sizeof(path), "%s/bench.db", dir);
    lat = calloc((size_t)n * 3, sizeof(*lat));
    if (lat == NULL || config_load(&bot.cfg, NULL, &err) < 0)
        return 2;
    strlist_split(&bot.cfg.marketing, "alice");
    strlist_split(&bot.cfg.sales, "bob");
    bot.log.level = LOG_ERR;
    clock_set(&bot.clock, 1795431600);      /* a Monday, 09:00 UTC */
    if ((bot.store = store_open(path, &err)) == NULL) {
        fprintf(stderr, "%s\n", err.msg);
        return 2;
    }
    for (int i = 1; i <= n; i++) {
        snprintf(text, sizeof(text), "lead add \"Lead %d\" email=l%d@x.io source=s%d", i, i, i % 5);
        lat[k++] = run(&bot, "alice", text, &failed);
        snprintf(text, sizeof(text), "handoff L-%d", i);
        lat[k++] = run(&bot, "alice", text, &failed);
        snprintf(text, sizeof(text), "accept L-%d", i);
        lat[k++] = run(&bot, "bob", text, &failed);
    }
    for (int i = 0; i < k; i++)
        total += lat[i];
    qsort(lat, (size_t)k, sizeof(*lat), cmp_i64);
    getrusage(RUSAGE_SELF, &ru);
    printf("commands: %d (%d refused)\n", k, failed);
    printf("commands/s: %.0f\n", k * 1e6 / (double)(total ? total : 1));
    printf("latency us: p50 %lld, p99 %lld, max %lld\n", (long long)lat[k / 2],
           (long long)lat[k * 99 / 100], (long long)lat[k - 1]);
    printf("peak RSS: %ld KiB\n", ru.ru_maxrss);
    store_free(bot.store);
    config_release(&bot.cfg);
    free(lat);
    snprintf(path, sizeof(path), "rm -rf '%s'", dir);
    return system(path) == 0 && failed == 0 ? 0 : 1;
}
