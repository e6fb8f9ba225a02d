/* SPDX-License-Identifier: MIT */
/* format.h: how amounts and business durations read in every message. */
#ifndef SMK_FORMAT_H
#define SMK_FORMAT_H

#include <stddef.h>
#include <stdint.h>

/* "12,000" or "12,000.50" for an amount in cents. */
void format_money(int64_t cents, char *buf, size_t len);
/* The same with the currency of [bot] currency: "$12,000" for a sign,
 * "USD 12,000" for a code of letters; as format_money when currency is
 * NULL or "". */
void format_money_cur(int64_t cents, const char *currency, char *buf, size_t len);
/* A business duration to the nearest minute: "4h", "1h30m", "45m", "<1m".
 * Hours are not folded into days: a business day is not 24 hours. */
void format_bizdur(int64_t secs, char *buf, size_t len);

#endif
