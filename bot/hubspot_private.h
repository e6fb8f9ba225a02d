/* SPDX-License-Identifier: MIT */
/* hubspot_private.h: what the two halves of the HubSpot backend share:
 * bot/hubspot.c (the pushes, start and stop) and bot/hubspot_poll.c (the
 * search for new MQLs). Not for other modules. */
#ifndef SMK_HUBSPOT_PRIVATE_H
#define SMK_HUBSPOT_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>
#include <libwebsockets.h>

#include "http.h"
#include "strbuf.h"

#define HS_RETRY_AFTER_MS 10000     /* a 429 without Retry-After */
#define HS_ACTOR "crm"
#define HS_JSON "application/json"

struct hubspot {
    struct bot *bot;
    char base[600];                 /* .../crm/v3/objects */
    lws_sorted_usec_list_t sul;
    bool busy;                      /* a search is in flight */
    bool stopped;
    int64_t last_search_ms;
    int64_t hold_ms;                /* the rate-limit headers said: none left
                                     * until then (monotonic) */
    /* the pass being made */
    int64_t since_ms, seen_ms;
    char after[64];
    int results;
    struct strbuf body, url;
};

/* A contact's property, or NULL when absent or empty. */
const char *hubspot_prop(json_t *contact, const char *name);
/* "HTTP 400 VALIDATION_ERROR: Property values were not valid" from an
 * error answer, into why. */
void hubspot_why(const struct http_resp *resp, char *why, size_t len);
/* The next search in ms from now (0: at once), unless stopped. */
void hubspot_poll_later(struct hubspot *h, int64_t ms);

#endif
