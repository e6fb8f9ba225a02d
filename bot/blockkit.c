/* SPDX-License-Identifier: MIT */
/* blockkit.c: Block Kit rendering and Slack's size limits. */
#include "blockkit.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "text.h"

void
blockkit_escape(const char *text, size_t len, struct strbuf *out)
{
    for (size_t i = 0; i < len; i++) {
        switch (text[i]) {
        case '&': strbuf_puts(out, "&amp;"); break;
        case '<': strbuf_puts(out, "&lt;"); break;
        case '>': strbuf_puts(out, "&gt;"); break;
        default: strbuf_putc(out, text[i]);
        }
    }
}

char *
blockkit_unescape(const char *text)
{
    struct strbuf sb;

    strbuf_init(&sb, 0);
    strbuf_puts(&sb, "");
    while (*text) {
        if (strncmp(text, "&amp;", 5) == 0) {
            strbuf_putc(&sb, '&');
            text += 5;
        } else if (strncmp(text, "&lt;", 4) == 0) {
            strbuf_putc(&sb, '<');
            text += 4;
        } else if (strncmp(text, "&gt;", 4) == 0) {
            strbuf_putc(&sb, '>');
            text += 4;
        } else {
            strbuf_putc(&sb, *text++);
        }
    }
    return strbuf_detach(&sb);
}

static json_t *
plain(const char *text)
{
    return json_pack("{s:s, s:s}", "type", "plain_text", "text", text);
}

static json_t *
section(const char *escaped, size_t len)
{
    json_t *text = json_pack("{s:s, s:s%}", "type", "mrkdwn", "text", escaped, len);

    return json_pack("{s:s, s:o}", "type", "section", "text", text);
}

/* Sections of at most BK_SECTION_MAX escaped chars, split at line ends. */
static void
add_sections(json_t *blocks, const char *escaped, size_t max_blocks)
{
    const char *p = escaped;
    size_t len = strlen(escaped);

    while (len > 0 && json_array_size(blocks) < max_blocks) {
        size_t cut = len;

        if (cut > BK_SECTION_MAX) {
            cut = 0;
            for (size_t i = BK_SECTION_MAX; i > 0 && cut == 0; i--)
                if (p[i] == '\n')
                    cut = i;
            if (cut == 0) {
                /* do not cut an escape (&amp;) or a character in two */
                cut = text_utf8_floor(p, BK_SECTION_MAX);
                for (size_t i = cut; i > 0 && i + 5 > cut; i--)
                    if (p[i - 1] == '&') {
                        cut = i - 1;
                        break;
                    }
            }
            /* a cut of nothing (an escape first) would never move on */
            if (cut == 0)
                cut = text_utf8_floor(p, BK_SECTION_MAX);
        }
        json_array_append_new(blocks, section(p, cut));
        p += cut;
        len -= cut;
        while (len > 0 && *p == '\n') {
            p++;
            len--;
        }
    }
}

static json_t *
actions_block(const char *card)
{
    json_error_t jerr;
    json_t *root = json_loads(card, 0, &jerr), *elements, *act, *out = NULL;
    const char *lead;
    size_t i;

    if (root == NULL)
        return NULL;
    lead = json_string_value(json_object_get(root, "lead"));
    if (lead == NULL || !json_is_array(json_object_get(root, "actions")))
        goto done;
    elements = json_array();
    json_array_foreach(json_object_get(root, "actions"), i, act) {
        const char *name = json_string_value(act);
        char action_id[64], label[32];
        json_t *b;

        if (name == NULL || strlen(name) > 20)
            continue;
        snprintf(action_id, sizeof(action_id), "lead_%s", name);
        snprintf(label, sizeof(label), "%s", name);
        label[0] = (char)toupper((unsigned char)label[0]);
        b = json_pack("{s:s, s:s, s:s, s:o}", "type", "button",
                      "action_id", action_id, "value", lead,
                      "text", plain(label));
        if (strcmp(name, "accept") == 0)
            json_object_set_new(b, "style", json_string("primary"));
        else if (strcmp(name, "reject") == 0)
            json_object_set_new(b, "style", json_string("danger"));
        json_array_append_new(elements, b);
    }
    if (json_array_size(elements) > 0)
        out = json_pack("{s:s, s:s, s:o}", "type", "actions",
                        "block_id", "lead_actions", "elements", elements);
    else
        json_decref(elements);
done:
    json_decref(root);
    return out;
}

json_t *
blockkit_message(const char *text, const char *card)
{
    char *cut = text_cut(text ? text : "", BK_PART_MAX);
    json_t *blocks = json_array(), *actions = card ? actions_block(card) : NULL;
    struct strbuf esc;
    json_t *msg;

    strbuf_init(&esc, 0);
    blockkit_escape(cut, strlen(cut), &esc);
    add_sections(blocks, strbuf_str(&esc), BK_BLOCKS_MAX - 1);
    if (actions)
        json_array_append_new(blocks, actions);
    /* the fallback: notifications and clients without blocks show it */
    msg = json_pack("{s:s, s:o}", "text", esc.len ? strbuf_str(&esc) : " ",
                    "blocks", blocks);
    strbuf_release(&esc);
    free(cut);
    return msg;
}

/* A plain_text of at most max bytes, cut on a character boundary (Slack
 * refuses a modal whose title is over 24 characters). */
static json_t *
plain_max(const char *text, size_t max)
{
    char buf[256];
    size_t n = strlen(text);

    if (n >= sizeof(buf))
        n = sizeof(buf) - 1;
    if (n > max)
        n = text_utf8_floor(text, max);
    memcpy(buf, text, n);
    buf[n] = '\0';
    return plain(buf);
}

json_t *
blockkit_reject_modal(const char *lead, const struct strlist *reasons,
                      const char *metadata)
{
    json_t *options = json_array(), *blocks;
    struct strbuf codes;
    char title[64];

    strbuf_init(&codes, 0);
    for (int i = 0; i < reasons->n && i < 100; i++) {
        json_array_append_new(options, json_pack("{s:o, s:s}",
                              "text", plain_max(reasons->v[i], 75),
                              "value", reasons->v[i]));
        strbuf_printf(&codes, "%s%s", i ? ", " : "", reasons->v[i]);
    }
    /* the codes in the hint too: the same words /smk reject and /smk lost
     * take, so the rep learns them here */
    snprintf(title, sizeof(title), _("Reject %s"), lead);
    blocks = json_pack(
        "[{s:s, s:s, s:o, s:o, s:{s:s, s:s, s:o, s:o}},"
        " {s:s, s:s, s:b, s:o, s:{s:s, s:s, s:b, s:i}}]",
        "type", "input", "block_id", "reason", "label", plain_max(_("Reason"), 200),
        "hint", plain_max(strbuf_str(&codes), 2000),
        "element", "type", "static_select", "action_id", "reason",
        "placeholder", plain_max(_("Why is this lead rejected?"), 150), "options", options,
        "type", "input", "block_id", "note", "optional", 1,
        "label", plain_max(_("Note"), 200),
        "element", "type", "plain_text_input", "action_id", "note",
        "multiline", 1, "max_length", 1000);
    strbuf_release(&codes);
    return json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:o}",
                     "type", "modal", "callback_id", "smk_reject",
                     "private_metadata", metadata ? metadata : "",
                     "title", plain_max(title, 24), "submit", plain_max(_("Reject"), 24),
                     "close", plain_max(_("Cancel"), 24), "blocks", blocks);
}

json_t *
blockkit_ack_payload(const char *envelope_id, const char *reply,
                     size_t max_parts, char ***rest, size_t *nrest)
{
    /* escaping and the blocks copy can triple the size: try smaller
     * parts until the ack fits */
    static const size_t sizes[] = { 6000, 3000, 1500, 700 };
    const size_t nsizes = sizeof(sizes) / sizeof(sizes[0]);

    *rest = NULL;
    *nrest = 0;
    for (size_t i = 0; i < nsizes; i++) {
        char **parts, *text;
        size_t n = text_split(reply, sizes[i], max_parts, &parts), len;
        json_t *payload = blockkit_message(n ? parts[0] : reply, NULL);
        json_t *ack;

        json_object_set_new(payload, "response_type", json_string("ephemeral"));
        ack = json_pack("{s:s, s:O}", "envelope_id", envelope_id, "payload", payload);
        text = json_dumps(ack, JSON_COMPACT);
        len = text ? strlen(text) : 0;
        free(text);
        json_decref(ack);
        if (len <= BK_ACK_MAX || i + 1 == nsizes) {
            if (n > 1) {
                *rest = parts;
                *nrest = n;
            } else {
                text_parts_free(parts, n);
            }
            return payload;
        }
        json_decref(payload);
        text_parts_free(parts, n);
    }
    return NULL;
}
