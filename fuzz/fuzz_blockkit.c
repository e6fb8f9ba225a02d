/* SPDX-License-Identifier: MIT */
/* fuzz_blockkit.c: libFuzzer target for the Block Kit builder: a reply
 * split into sections and parts (blockkit_message, blockkit_ack_payload),
 * escaping both ways, a card and the reject modal. What Slack gets must
 * stay within its limits: sections of at most BK_SECTION_MAX, at most
 * BK_BLOCKS_MAX blocks, an ack of at most BK_ACK_MAX bytes.
 *
 * Input: one byte for max_parts, then the text; a card is the text after
 * a NUL, when there is one. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "blockkit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_message(json_t *msg)
{
    json_t *blocks = json_object_get(msg, "blocks"), *b;
    size_t i;

    if (msg == NULL)
        return;                 /* text that is not UTF-8: jansson refuses it */
    if (!json_is_string(json_object_get(msg, "text")) || !json_is_array(blocks) ||
        json_array_size(blocks) > BK_BLOCKS_MAX)
        abort();
    json_array_foreach(blocks, i, b) {
        const char *t = json_string_value(json_object_get(json_object_get(b, "text"), "text"));

        if (t && text_utf8_len(t) > BK_SECTION_MAX)
            abort();
        if (t && *t == '\0')
            abort();            /* Slack refuses an empty section */
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text, *card, *s, **rest = NULL;
    size_t max_parts, nrest = 0, tlen;
    json_t *msg;
    struct strbuf sb;

    if (size < 1)
        return 0;
    max_parts = 1 + data[0] % 8;
    text = malloc(size + 1);
    if (text == NULL)
        return 0;
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    text[size] = '\0';
    tlen = strlen(text);
    card = tlen + 1 < size ? text + tlen + 1 : NULL;

    /* without a card, blockkit_ack_payload below builds the same message
     * from the text's first part: build it here only with a card */
    if (card) {
        msg = blockkit_message(text, card);
        check_message(msg);
        json_decref(msg);
    }

    msg = blockkit_ack_payload("1d2c3b4a-5f6e-4d7c-8b9a-0f1e2d3c4b5a", text,
                               max_parts, &rest, &nrest);
    check_message(msg);
    if (msg) {
        json_t *ack = json_pack("{s:s, s:O}", "envelope_id",
                                "1d2c3b4a-5f6e-4d7c-8b9a-0f1e2d3c4b5a", "payload", msg);

        s = json_dumps(ack, JSON_COMPACT);
        if (s == NULL || strlen(s) > BK_ACK_MAX)
            abort();
        free(s);
        json_decref(ack);
    }
    if ((rest == NULL) != (nrest == 0) || nrest > max_parts || nrest == 1)
        abort();
    text_parts_free(rest, nrest);
    json_decref(msg);

    /* escaping and back gives what was typed (a prefix: unescaping is
     * strncmp at every byte, slow under the fuzzer's comparison hooks) */
    if (tlen > 512)
        text[tlen = 512] = '\0';
    strbuf_init(&sb, 0);
    blockkit_escape(text, tlen, &sb);
    s = blockkit_unescape(strbuf_str(&sb));
    if (s == NULL || strcmp(s, text) != 0)
        abort();
    free(s);
    strbuf_release(&sb);
    s = blockkit_unescape(text);
    free(s);

    if (card) {
        struct strlist reasons = { 0 };

        if (strlist_split(&reasons, card) == 0) {
            msg = blockkit_reject_modal(text, &reasons, card);
            json_decref(msg);
        }
        strlist_release(&reasons);
    }
    free(text);
    return 0;
}
