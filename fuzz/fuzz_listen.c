/* SPDX-License-Identifier: MIT */
/* fuzz_listen.c: libFuzzer target for the HTTP listener's own parsing.
 * lws (libwebsockets) parses the request line and headers and hands
 * bot/listen.c only finished fields, so what is ours to fuzz is what the
 * listener does with them: the Content-Length check (args_number), the
 * listen address (config_parse_listen), response headers a handler adds
 * (listen_resp_header), the form body (listen_form_get/count) and the
 * secret comparison (listen_secret_eq).
 *
 * Input: one byte for nth, then the key up to the first '\n', then the
 * value or body. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "config.h"
#include "listen.h"
#include "strbuf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const fields[] = { "user_id", "text", "user_mentions",
                                      "user_mentions_ids", "command", "", NULL };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf, *key, *body, *nl, host[64];
    struct strbuf out;
    struct listen_resp resp;
    struct err err = { 0 };
    int nth, count, port;
    int64_t n;

    if (size < 1)
        return 0;
    nth = data[0] % 8;
    buf = malloc(size);
    if (buf == NULL)
        return 0;
    memcpy(buf, data + 1, size - 1);
    buf[size - 1] = '\0';
    key = buf;
    nl = strchr(buf, '\n');
    if (nl) {
        *nl = '\0';
        body = nl + 1;
    } else {
        body = buf + strlen(buf);
    }

    strbuf_init(&out, 0);
    count = listen_form_count(body, key);
    if (count < 0)
        abort();
    /* every field the count names can be asked for; one past is absent */
    for (int i = 0; i < count && i < 8; i++)
        (void)listen_form_get(body, key, i, &out);
    if (listen_form_get(body, key, count, &out) == 0)
        abort();
    (void)listen_form_get(body, key, nth, &out);
    (void)listen_form_get(body, key, -1, &out);
    for (size_t f = 0; fields[f]; f++) {
        int c = listen_form_count(body, fields[f]);

        for (int i = 0; i < c && i < 3; i++)
            if (listen_form_get(body, fields[f], i, &out) == 0 &&
                memchr(strbuf_str(&out), '\0', out.len) != NULL)
                abort();        /* %00 is refused: a value is a C string */
    }
    strbuf_release(&out);

    /* a Content-Length header's value */
    if (args_number(key, 0, INT64_MAX, &n) == 0 && n < 0)
        abort();
    (void)args_number(body, 0, INT64_MAX, &n);

    memset(&err, 0, sizeof(err));
    if (config_parse_listen(key, host, sizeof(host), &port, &err) == 0) {
        if (port < 0 || port > 65535 || memchr(host, '\0', sizeof(host)) == NULL)
            abort();
    } else if (!err.set) {
        abort();
    }

    memset(&resp, 0, sizeof(resp));
    strbuf_init(&resp.body, 0);
    for (int i = 0; i < LISTEN_MAX_HEADERS + 1; i++)
        if (listen_resp_header(&resp, key, body) == 0 &&
            (strpbrk(resp.headers[resp.nheaders - 1].name, "\r\n") ||
             strpbrk(resp.headers[resp.nheaders - 1].value, "\r\n")))
            abort();            /* no header splitting */
    if (resp.nheaders > LISTEN_MAX_HEADERS)
        abort();
    strbuf_release(&resp.body);

    (void)listen_secret_eq(body, key);
    (void)listen_secret_eq(key, body);
    free(buf);
    return 0;
}
