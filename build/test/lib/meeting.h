/* SPDX-License-Identifier: MIT */
/* meeting.h: recurring alignment meetings and their cadences. */
#ifndef SMK_MEETING_H
#define SMK_MEETING_H

#include <stdint.h>

#include "err.h"
#include "store.h"
#include "strbuf.h"

/* Appends one line per meeting occurrence in [from, to), in time order
 * ("Mon 2026-11-30 10:00  M-1 Pipeline review"), to out; nothing when
 * there are none. Skipped dates are left out. */
int meetings_upcoming(struct store *s, int64_t from, int64_t to,
                      struct strbuf *out, struct err *err);

#endif
