/* SPDX-License-Identifier: MIT */
/* metrics.c: the registry and its text exposition (see metrics.h). */
#include "metrics.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_COLLECTORS 8

struct metric_series {
    struct metric_series *next;
    char *values[METRIC_MAX_LABELS];
    double value;                           /* counter, gauge */
    uint64_t counts[METRIC_MAX_BUCKETS + 1];  /* histogram, per bucket; last +Inf */
    uint64_t count;
    double sum;
};

static struct metric *first, **last = &first;
static struct {
    metrics_collect_fn fn;
    void *ud;
} collectors[MAX_COLLECTORS];

void
metric_register(struct metric *m)
{
    if (m->listed)
        return;
    m->listed = true;
    m->next = NULL;
    *last = m;
    last = &m->next;
}

static int
nlabels(const struct metric *m)
{
    int n = 0;

    while (n < METRIC_MAX_LABELS && m->labels[n])
        n++;
    return n;
}

static int
nbuckets(const struct metric *m)
{
    int n = 0;

    while (n < METRIC_MAX_BUCKETS && (n == 0 || m->buckets[n] > m->buckets[n - 1]) &&
           m->buckets[n] != 0)
        n++;
    return n;
}

static bool
same(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

/* The series of m for the values, made on first use; NULL when out of
 * memory. */
static struct metric_series *
series_of(struct metric *m, const char *l1, const char *l2)
{
    const char *want[METRIC_MAX_LABELS] = { l1, l2 };
    int n = nlabels(m);
    struct metric_series *s, **tail = &m->series;

    metric_register(m);
    for (s = m->series; s; tail = &s->next, s = s->next) {
        int i = 0;

        while (i < n && same(s->values[i], want[i]))
            i++;
        if (i == n)
            return s;
    }
    if ((s = calloc(1, sizeof(*s))) == NULL)
        return NULL;
    for (int i = 0; i < n; i++)
        if ((s->values[i] = strdup(want[i] ? want[i] : "")) == NULL) {
            while (i-- > 0)
                free(s->values[i]);
            free(s);
            return NULL;
        }
    /* in the order of first use: a scrape reads them in a stable order */
    *tail = s;
    return s;
}

void
metric_add(struct metric *m, double v, const char *l1, const char *l2)
{
    struct metric_series *s;

    if (!(v >= 0) || (s = series_of(m, l1, l2)) == NULL)
        return;
    s->value += v;
}

void
metric_set(struct metric *m, double v, const char *l1, const char *l2)
{
    struct metric_series *s = series_of(m, l1, l2);

    if (s)
        s->value = v;
}

void
metric_observe(struct metric *m, double v, const char *l1, const char *l2)
{
    struct metric_series *s = series_of(m, l1, l2);
    int i = 0, n = nbuckets(m);

    if (s == NULL || isnan(v))
        return;
    while (i < n && v > m->buckets[i])
        i++;
    s->counts[i]++;
    s->count++;
    s->sum += v;
}

static void
series_free(struct metric_series *s)
{
    while (s) {
        struct metric_series *next = s->next;

        for (int i = 0; i < METRIC_MAX_LABELS; i++)
            free(s->values[i]);
        free(s);
        s = next;
    }
}

void
metric_clear(struct metric *m)
{
    series_free(m->series);
    m->series = NULL;
}

int
metrics_collector(metrics_collect_fn fn, void *ud, bool add)
{
    for (int i = 0; i < MAX_COLLECTORS; i++)
        if (collectors[i].fn == fn && collectors[i].ud == ud) {
            if (!add)
                collectors[i].fn = NULL;
            return 0;
        }
    if (!add)
        return 0;
    for (int i = 0; i < MAX_COLLECTORS; i++)
        if (collectors[i].fn == NULL) {
            collectors[i].fn = fn;
            collectors[i].ud = ud;
            return 0;
        }
    return -1;
}

/* A sample value: integers without a fraction, +Inf/-Inf/NaN as the
 * format spells them. */
static void
put_value(struct strbuf *out, double v)
{
    if (isnan(v))
        strbuf_puts(out, "NaN");
    else if (isinf(v))
        strbuf_puts(out, v > 0 ? "+Inf" : "-Inf");
    else if (v == floor(v) && fabs(v) < 1e15)
        strbuf_printf(out, "%.0f", v);
    else
        strbuf_printf(out, "%.10g", v);
}

/* Label values escape backslash, double quote and line feed; HELP text
 * escapes backslash and line feed. */
static void
put_escaped(struct strbuf *out, const char *s, bool quote)
{
    for (; *s; s++) {
        if (*s == '\\')
            strbuf_puts(out, "\\\\");
        else if (*s == '\n')
            strbuf_puts(out, "\\n");
        else if (*s == '"' && quote)
            strbuf_puts(out, "\\\"");
        else
            strbuf_putc(out, *s);
    }
}

/* name{a="x",b="y"[,le="…"]} */
static void
put_sample_name(struct strbuf *out, const struct metric *m, const char *suffix,
                const struct metric_series *s, const char *le)
{
    int n = nlabels(m);

    strbuf_puts(out, m->name);
    strbuf_puts(out, suffix);
    if (n == 0 && le == NULL)
        return;
    strbuf_putc(out, '{');
    for (int i = 0; i < n; i++) {
        if (i)
            strbuf_putc(out, ',');
        strbuf_printf(out, "%s=\"", m->labels[i]);
        put_escaped(out, s->values[i], true);
        strbuf_putc(out, '"');
    }
    if (le) {
        strbuf_printf(out, "%sle=\"%s\"", n ? "," : "", le);
    }
    strbuf_putc(out, '}');
}

static void
put_histogram(struct strbuf *out, const struct metric *m, const struct metric_series *s)
{
    int n = nbuckets(m);
    uint64_t cum = 0;
    char le[32];

    for (int i = 0; i <= n; i++) {
        cum += s->counts[i];
        if (i < n)
            snprintf(le, sizeof(le), "%g", m->buckets[i]);
        else
            snprintf(le, sizeof(le), "+Inf");
        put_sample_name(out, m, "_bucket", s, le);
        strbuf_printf(out, " %llu\n", (unsigned long long)cum);
    }
    put_sample_name(out, m, "_sum", s, NULL);
    strbuf_putc(out, ' ');
    put_value(out, s->sum);
    strbuf_putc(out, '\n');
    put_sample_name(out, m, "_count", s, NULL);
    strbuf_printf(out, " %llu\n", (unsigned long long)s->count);
}

int
metrics_write(struct strbuf *out)
{
    static const char *const types[] = { "counter", "gauge", "histogram" };

    for (int i = 0; i < MAX_COLLECTORS; i++)
        if (collectors[i].fn)
            collectors[i].fn(collectors[i].ud);
    for (const struct metric *m = first; m; m = m->next) {
        strbuf_printf(out, "# HELP %s ", m->name);
        put_escaped(out, m->help, false);
        strbuf_printf(out, "\n# TYPE %s %s\n", m->name, types[m->type]);
        /* a family without labels has its one sample from the start */
        if (m->series == NULL && nlabels(m) == 0 && m->type != METRIC_HISTOGRAM) {
            strbuf_printf(out, "%s 0\n", m->name);
            continue;
        }
        for (const struct metric_series *s = m->series; s; s = s->next) {
            if (m->type == METRIC_HISTOGRAM) {
                put_histogram(out, m, s);
                continue;
            }
            put_sample_name(out, m, "", s, NULL);
            strbuf_putc(out, ' ');
            put_value(out, s->value);
            strbuf_putc(out, '\n');
        }
    }
    return out->truncated ? -1 : 0;
}

void
metrics_reset(void)
{
    struct metric *m = first;

    while (m) {
        struct metric *next = m->next;

        metric_clear(m);
        m->listed = false;
        m->next = NULL;
        m = next;
    }
    first = NULL;
    last = &first;
    memset(collectors, 0, sizeof(collectors));
}
