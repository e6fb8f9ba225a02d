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

/* Logs a piece of content; campaign may be NULL. Returns its id or -1. */
int64_t content_add(struct store *s, const char *title, const char *url,
                    const char *campaign, const char *author, int64_t now,
                    struct err *err);

/* Appends one line per piece logged in [from, to), oldest first; returns
 * the count or -1. */
int content_list(struct store *s, int64_t from, int64_t to,
                 struct strbuf *out, struct err *err);

#endif
