/* SPDX-License-Identifier: MIT */
/* resolve.c: getaddrinfo() in a detached thread; the thread and the loop
 * hand the struct over through one atomic state, and whoever is last frees
 * it. */
#include "resolve.h"

#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

enum { LOOKING, DONE, ABANDONED };

struct resolve {
    _Atomic int state;
    int rc;                     /* getaddrinfo's answer */
    char host[256];
    char addr[64];
};

static void *
run(void *arg)
{
    struct resolve *r = arg;
    struct addrinfo hints, *res = NULL;
    int expected = LOOKING;

    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    r->rc = getaddrinfo(r->host, NULL, &hints, &res);
    if (r->rc == 0 &&
        getnameinfo(res->ai_addr, res->ai_addrlen, r->addr, sizeof(r->addr), NULL, 0,
                    NI_NUMERICHOST) != 0)
        r->rc = EAI_FAIL;
    if (res)
        freeaddrinfo(res);
    /* the loop gave up on us meanwhile: nobody else will free it */
    if (!atomic_compare_exchange_strong(&r->state, &expected, DONE))
        free(r);
    return NULL;
}

struct resolve *
resolve_start(const char *host, struct err *err)
{
    struct resolve *r = calloc(1, sizeof(*r));
    pthread_attr_t attr;
    pthread_t t;
    int rc;

    if (r == NULL || strlen(host) >= sizeof(r->host)) {
        err_set(err, r ? "host name too long" : "out of memory");
        free(r);
        return NULL;
    }
    snprintf(r->host, sizeof(r->host), "%s", host);
    atomic_init(&r->state, LOOKING);
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    rc = pthread_create(&t, &attr, run, r);
    pthread_attr_destroy(&attr);
    if (rc != 0) {
        err_set(err, "cannot start a resolver thread: %s", strerror(rc));
        free(r);
        return NULL;
    }
    return r;
}

int
resolve_poll(struct resolve *r, char *addr, size_t len, struct err *err)
{
    int rc;

    if (atomic_load(&r->state) != DONE)
        return 0;
    if (r->rc == 0) {
        snprintf(addr, len, "%s", r->addr);
        rc = 1;
    } else {
        err_set(err, "cannot resolve %s: %s", r->host, gai_strerror(r->rc));
        rc = -1;
    }
    free(r);
    return rc;
}

void
resolve_abandon(struct resolve *r)
{
    int expected = LOOKING;

    if (r == NULL)
        return;
    /* still looking: the thread frees it when it ends; done: we do */
    if (!atomic_compare_exchange_strong(&r->state, &expected, ABANDONED))
        free(r);
}
