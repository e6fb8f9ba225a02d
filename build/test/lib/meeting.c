/* SPDX-License-Identifier: MIT */
/* meeting.c: TEMPORARY body until meetings land (helper "scheduler"). */
#include "meeting.h"

int
meetings_upcoming(struct store *s, int64_t from, int64_t to, struct strbuf *out,
                  struct err *err)
{
    (void)s; (void)from; (void)to; (void)out; (void)err;
    return 0;
}
