/* SPDX-License-Identifier: MIT */
/* content.h: content marketing published (its internal newsletter). */
#ifndef SMK_CONTENT_H
#define SMK_CONTENT_H

#include <stdbool.h>
#include <stdint.h>

#include "err.h"
#include "store.h"
#include "strbuf.h"

#define CONTENT_URL_MAX 2000

/* An absolute http or https URL with a host, no spaces or controls. */
bool content_url_valid(const char *url);

/* Logs a piece of content; campaign may be NULL. planned_at > 0 puts it on
 * the content calendar for that day (published then). Returns its id or
 * -1. */
int64_t content_add(struct store *s, const char *title, const char *url,
                    const char *campaign, int64_t planned_at, const char *author,
                    int64_t now, struct err *err);

/* 1 when content id exists (not removed), copying its title into *title
 * (owned); 0 not, -1 error. */
int content_find(struct store *s, int64_t id, char **title, struct err *err);
int content_remove(struct store *s, int64_t id, int64_t now, struct err *err);
/* rater's rating of content id (1..5), with an optional comment. */
int content_rate(struct store *s, int64_t id, const char *rater, int rating,
                 const char *comment, int64_t now, struct err *err);

/* The `content list` lines: every piece (not removed), newest first, with
 * its C-n, date (published or planned), campaign and sales' average
 * rating; only those of campaign (any case) when not NULL, only planned
 * ones (after now) with planned. Returns the count or -1. */
int content_list_all(struct store *s, int64_t now, const char *campaign, bool planned,
                     struct strbuf *out, struct err *err);

/* Planned pieces due in [from, to), soonest first, for the digest. */
int content_planned(struct store *s, int64_t from, int64_t to, struct strbuf *out,
                    struct err *err);

/* The pieces sales rated most useful (by average of each rater's newest
 * rating, at most max), for the digest. Returns the count or -1. */
int content_top_rated(struct store *s, int max, struct strbuf *out, struct err *err);

/* Appends one line per piece published in [from, to) (logged then, or
 * planned for a day then), oldest first; returns the count or -1. */
int content_list(struct store *s, int64_t from, int64_t to,
                 struct strbuf *out, struct err *err);

#endif
