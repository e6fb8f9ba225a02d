/* SPDX-License-Identifier: MIT */
/* digest.h: the weekly closed-loop digest both teams read. */
#ifndef SMK_DIGEST_H
#define SMK_DIGEST_H

#include <stdint.h>

#include "config.h"
#include "err.h"
#include "store.h"
#include "strbuf.h"

/* The weekly digest (product.md section 5) for the 7 days before now, with
 * the 7 days before that as comparison, appended to out. */
int digest_weekly(struct store *s, const struct config *cfg, int64_t now,
                  struct strbuf *out, struct err *err);

#endif
