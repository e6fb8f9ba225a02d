/* SPDX-License-Identifier: MIT */
/* chart.h: text charts for reports and digests. */
#ifndef SMK_CHART_H
#define SMK_CHART_H

#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

/* Labels longer than this many characters are cut with "…". */
#define CHART_LABEL_MAX 16

/* A value beside the one before, said plainly: " (before: 1, +3)",
 " (before: 4, -4)", " (before: 2, no change)", appended to out. With
 * money, the numbers are amounts in cents with that currency sign (""
 * for none); NULL for counts. */
void chart_versus(struct strbuf *out, int64_t cur, int64_t prev,
                  const char *money);

/* Appends a bar of value / max over width cells drawn in eighth blocks
 * (█▉▊▋▌▍▎▏); a value above zero always shows at least "▏". */
void chart_bar(struct strbuf *out, int64_t value, int64_t max, int width);

/* A bar chart: one line per label, "  label   ██▍ 3", labels padded with
 * spaces (counted in characters, not bytes) and cut at 16 characters. */
void chart_columns(struct strbuf *out, const char *const *labels,
                   const int64_t *values, size_t n, int width);

/* Appends label, cut at CHART_LABEL_MAX characters, padded with spaces
 * to width characters. */
void chart_label(struct strbuf *out, const char *label, size_t width);
/* The characters chart_label() takes for label, before padding. */
size_t chart_label_width(const char *label);

#endif
