/* SPDX-License-Identifier: MIT */
/* chart.c: the text charts of reports and digests: bars drawn in eighth
 * blocks, labelled columns, and a figure beside the one before. Widths
 * count characters, not bytes, so accented labels line up. */
#include "chart.h"

#include <stdio.h>

#include "format.h"
#include "i18n.h"
#include "text.h"

static const char *const eighths[] = {
    "", "▏", "▎", "▍", "▌", "▋", "▊", "▉",
};

/* Bytes taken by the first nchars characters of s. */
static size_t
utf8_prefix(const char *s, size_t nchars)
{
    size_t i = 0;

    while (s[i] && nchars > 0) {
        i++;
        while (((unsigned char)s[i] & 0xC0) == 0x80)
            i++;
        nchars--;
    }
    return i;
}

void
chart_label(struct strbuf *out, const char *label, size_t width)
{
    size_t chars = text_utf8_len(label);

    if (chars > CHART_LABEL_MAX) {
        strbuf_add(out, label, utf8_prefix(label, CHART_LABEL_MAX - 1));
        strbuf_puts(out, "…");
        chars = CHART_LABEL_MAX;
    } else {
        strbuf_puts(out, label);
    }
    for (; chars < width; chars++)
        strbuf_putc(out, ' ');
}

size_t
chart_label_width(const char *label)
{
    size_t n = text_utf8_len(label);

    return n > CHART_LABEL_MAX ? CHART_LABEL_MAX : n;
}

void
chart_versus(struct strbuf *out, int64_t cur, int64_t prev, const char *money)
{
    int64_t d = cur - prev;
    char before[64], change[64];

    if (money) {
        format_money_cur(prev, money, before, sizeof(before));
        format_money_cur(d < 0 ? -d : d, money, change, sizeof(change));
    } else {
        snprintf(before, sizeof(before), "%lld", (long long)prev);
        snprintf(change, sizeof(change), "%lld", (long long)(d < 0 ? -d : d));
    }
    if (d == 0)
        strbuf_printf(out, _(" (before: %s, no change)"), before);
    else
        strbuf_printf(out, _(" (before: %s, %s%s)"), before, d > 0 ? "+" : "-", change);
}

void
chart_bar(struct strbuf *out, int64_t value, int64_t max, int width)
{
    int64_t units;

    if (value <= 0 || max <= 0 || width <= 0)
        return;
    if (value > max)
        value = max;
    /* in eighths of a cell, rounded to the nearest */
    units = (value * width * 8 + max / 2) / max;
    if (units == 0)
        units = 1;      /* something is not nothing */
    for (int64_t i = 0; i < units / 8; i++)
        strbuf_puts(out, "█");
    strbuf_puts(out, eighths[units % 8]);
}

void
chart_columns(struct strbuf *out, const char *const *labels,
             const int64_t *values, size_t n, int width)
{
    size_t w = 0;
    int64_t max = 0;

    for (size_t i = 0; i < n; i++) {
        if (chart_label_width(labels[i]) > w)
            w = chart_label_width(labels[i]);
        if (values[i] > max)
            max = values[i];
    }
    for (size_t i = 0; i < n; i++) {
        strbuf_puts(out, "  ");
        chart_label(out, labels[i], w);
        strbuf_puts(out, "  ");
        chart_bar(out, values[i], max, width);
        strbuf_printf(out, "%s%lld\n", values[i] > 0 ? " " : "",
                      (long long)values[i]);
    }
}
