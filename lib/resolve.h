/* SPDX-License-Identifier: MIT */
/* resolve.h: a host name looked up off the event loop. libwebsockets as
 * Debian builds it resolves with a blocking getaddrinfo() inside the loop,
 * so a slow DNS server would stall every ack on every open link; this runs
 * getaddrinfo() in a thread of its own and the loop polls for the answer. */
#ifndef SMK_RESOLVE_H
#define SMK_RESOLVE_H

#include <stddef.h>

#include "err.h"

struct resolve;

/* Starts looking up host. NULL with err when no thread can be started. */
struct resolve *resolve_start(const char *host, struct err *err);
/* 1 done (addr: the first address, numeric), 0 still looking, -1 failed
 * (err says why). After 1 or -1, r is freed. */
int resolve_poll(struct resolve *r, char *addr, size_t len, struct err *err);
/* The answer is no longer wanted: r goes when its thread ends. */
void resolve_abandon(struct resolve *r);

#endif
