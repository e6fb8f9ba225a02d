/* SPDX-License-Identifier: MIT */
/* A getaddrinfo() that stalls for one host name: preloaded into the bot by
 * test_slack_dns.py to play a slow name server (SMK_STALL_HOST takes
 * SMK_STALL_SECS, then resolves as 127.0.0.1). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int
getaddrinfo(const char *node, const char *service, const struct addrinfo *hints,
            struct addrinfo **res)
{
    typedef int (*real_fn)(const char *, const char *, const struct addrinfo *,
                           struct addrinfo **);
    real_fn real = (real_fn)dlsym(RTLD_NEXT, "getaddrinfo");
    const char *stall = getenv("SMK_STALL_HOST");

    if (node && stall && strcmp(node, stall) == 0) {
        const char *secs = getenv("SMK_STALL_SECS");

        sleep(secs ? (unsigned)atoi(secs) : 3);
        node = "127.0.0.1";
    }
    return real(node, service, hints, res);
}
