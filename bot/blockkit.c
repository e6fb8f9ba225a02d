/* SPDX-License-Identifier: MIT */
/* blockkit.c: Block Kit rendering and Slack's size limits. */
#include "blockkit.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Largest n <= len that does not split a UTF-8 sequence of s. */
static size_t
utf8_floor(const char *s, size_t len)
{
    while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
        len--;
    return len;
}

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

static size_t
count_lines(const char *s)
{
    size_t n = 0;

    if (*s == '\0')
        return 0;
    for (; *s; s++)
        if (*s == '\n' && s[1] != '\0')
            n++;
    return n + 1;
}

char *
blockkit_cut(const char *text, size_t max)
{
    size_t len = strlen(text), keep = 0, total = count_lines(text);
    const char *p = text;
    char more[48];
    struct strbuf sb;

    if (len <= max)
        return strdup(text);
    /* keep whole lines while the kept text plus the "more" line fits; the
     * count in the last line is at most total, so reserve for that */
    snprintf(more, sizeof(more), "\n... %zu more", total);
    while (*p) {
        size_t n = strcspn(p, "\n");

        if ((size_t)(p - text) + n + strlen(more) > max)
            break;
        p += n;
        keep++;
        if (*p == '\n')
            p++;
    }
    strbuf_init(&sb, 0);
    if (keep == 0) {
        /* one huge first line: cut inside it */
        size_t n = max > strlen(more) + 3 ? max - strlen(more) - 3 : 0;

        n = utf8_floor(text, n);
        strbuf_add(&sb, text, n);
        strbuf_puts(&sb, "...");
        keep = 1;
    } else {
        size_t n = (size_t)(p - text);

        while (n > 0 && text[n - 1] == '\n')
            n--;
        strbuf_add(&sb, text, n);
    }
    if (total > keep)
        strbuf_printf(&sb, "\n... %zu more", total - keep);
    return strbuf_detach(&sb);
}

/* Length of the longest prefix of s (len bytes) of at most max bytes that
 * ends at a blank line, else at a line end, else at a UTF-8 boundary. */
static size_t
split_point(const char *s, size_t len, size_t max)
{
    size_t best_line = 0;

    if (len <= max)
        return len;
    for (size_t i = max; i > 0; i--) {
        if (s[i] == '\n' && s[i - 1] == '\n')
            return i;
        if (s[i] == '\n' && best_line == 0)
            best_line = i;
    }
    if (best_line > 0)
        return best_line;
    return utf8_floor(s, max);
}

size_t
blockkit_split(const char *text, size_t max, size_t max_parts, char ***parts)
{
    size_t n = 0, len = strlen(text);
    char **v = calloc(max_parts ? max_parts : 1, sizeof(char *));

    *parts = v;
    if (v == NULL)
        return 0;
    while (n < max_parts) {
        size_t cut;

        while (len > 0 && *text == '\n') {
            text++;
            len--;
        }
        if (len == 0 && n > 0)
            break;
        if (n == max_parts - 1) {
            v[n++] = blockkit_cut(text, max);
            break;
        }
        cut = split_point(text, len, max);
        if (cut == 0)
            cut = utf8_floor(text, max > 0 ? max : 1);
        v[n++] = strndup(text, cut);
        text += cut;
        len -= cut;
        if (len == 0)
            break;
    }
    return n;
}

void
blockkit_parts_free(char **parts, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(parts[i]);
    free(parts);
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
                cut = utf8_floor(p, BK_SECTION_MAX);
                for (size_t i = cut; i > 0 && i + 5 > cut; i--)
                    if (p[i - 1] == '&') {
                        cut = i - 1;
                        break;
                    }
            }
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
    char *cut = blockkit_cut(text ? text : "", BK_PART_MAX);
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

json_t *
blockkit_reject_modal(const char *lead, const struct strlist *reasons,
                      const char *metadata)
{
    json_t *options = json_array(), *blocks;
    char title[25];

    for (int i = 0; i < reasons->n && i < 100; i++)
        json_array_append_new(options, json_pack("{s:o, s:s}",
                              "text", plain(reasons->v[i]),
                              "value", reasons->v[i]));
    snprintf(title, sizeof(title), "Reject %s", lead);
    blocks = json_pack(
        "[{s:s, s:s, s:o, s:{s:s, s:s, s:o, s:o}},"
        " {s:s, s:s, s:b, s:o, s:{s:s, s:s, s:b, s:i}}]",
        "type", "input", "block_id", "reason", "label", plain("Reason"),
        "element", "type", "static_select", "action_id", "reason",
        "placeholder", plain("Why is this lead rejected?"), "options", options,
        "type", "input", "block_id", "note", "optional", 1,
        "label", plain("Note"),
        "element", "type", "plain_text_input", "action_id", "note",
        "multiline", 1, "max_length", 1000);
    return json_pack("{s:s, s:s, s:s, s:o, s:o, s:o, s:o}",
                     "type", "modal", "callback_id", "smk_reject",
                     "private_metadata", metadata ? metadata : "",
                     "title", plain(title), "submit", plain("Reject"),
                     "close", plain("Cancel"), "blocks", blocks);
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
        size_t n = blockkit_split(reply, sizes[i], max_parts, &parts), len;
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
                blockkit_parts_free(parts, n);
            }
            return payload;
        }
        json_decref(payload);
        blockkit_parts_free(parts, n);
    }
    return NULL;
}
