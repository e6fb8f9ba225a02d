/* SPDX-License-Identifier: MIT */
/* format.h: how amounts and business durations read in every message. */
#ifndef SMK_FORMAT_H
#define SMK_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "bizhours.h"

/* "12,000" or "12,000.50" for an amount in cents. */
void format_money(int64_t cents, char *buf, size_t len);
/* The same with the currency of [bot] currency: "$12,000" for a sign,
 * "USD 12,000" for a code of letters; as format_money when currency is
 * NULL or "". */
void format_money_cur(int64_t cents, const char *currency, char *buf, size_t len);
/* A business duration to the nearest minute, the one way every message
 * writes one: "2d 4h", "4h", "1h 30m", "45m", "<1m". A day is a business
 * day of bh (9 hours for mon-fri 09:00-18:00), as "2d" means when typed
 * (sla set response=2d); NULL bh counts hours only. */
void format_bizdur(const struct bizhours *bh, int64_t secs, char *buf,
                   size_t len);

#endif
