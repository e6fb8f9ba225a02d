/* SPDX-License-Identifier: MIT */
/* period.h: periods as people write them: a year, a quarter or a month. */
#ifndef SMK_PERIOD_H
#define SMK_PERIOD_H

#include <stddef.h>
#include <stdint.h>

/* Parses a period: "2026" (a year), "2026-Q1" (a quarter, q or Q) or
 * "2026-11" (a month) into [from, to), local midnights. Returns 0 or -1. */
int period_parse(const char *s, int64_t *from, int64_t *to);

/* The period before: 2026 -> 2025, 2026-Q1 -> 2025-Q4, 2026-01 ->
 * 2025-12, into buf. Returns 0, or -1 when s is no period. */
int period_prev(const char *s, char *buf, size_t len);

#endif
