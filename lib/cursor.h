/* SPDX-License-Identifier: MIT */
/* cursor.h: the cursors table, the only code that reads or writes it: the
 * newest post the bot has read in each channel, to catch up from after a
 * gap. */
#ifndef SMK_CURSOR_H
#define SMK_CURSOR_H

#include <stdbool.h>
#include <stdint.h>

#include "err.h"
#include "store.h"

struct cursor {
    char channel[64];
    char post[64];
    int64_t at;                 /* the post's time, ms */
    bool direct;                /* a DM channel */
};

/* Moves channel's cursor to post (at ms) unless it is there or later
 * already. 0 or -1 with err. */
int cursor_advance(struct store *s, const char *channel, const char *post,
                   int64_t at, bool direct, struct err *err);
/* Up to max cursors, newest first, into out. Returns how many, or -1. */
int cursor_list(struct store *s, struct cursor *out, int max, struct err *err);

#endif
