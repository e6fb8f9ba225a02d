/* SPDX-License-Identifier: MIT */
/* meeting.c: `meeting add`, `meeting list`, `meeting remove`, `meeting skip`. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "bot.h"
#include "clock.h"
#include "args.h"
#include "commands.h"
#include "config.h"
#include "event.h"
#include "i18n.h"
#include "meeting.h"
#include "reply.h"
#include "text.h"

#define TITLE_MAX_LEN 200
/* A reminder more than a week ahead would come before the previous
 * weekly occurrence. */
#define REMIND_MAX (7 * 86400)
#define REMIND_DEFAULT (15 * 60)

static const char *
cadence_help(void)
{
    return _("every= must be weekly:mon, biweekly:mon, monthly:1 (day 1-28), "
             "monthly:first-mon, quarterly:first-mon, every-6w:tue, every-26w:mon (every 1 to 26 weeks) or once:2026-12-15");
}

/* Replaces *user by its spelling in [roles] when one matches in any case. */
static void
role_spelling(const struct config *cfg, char **user)
{
    const struct strlist *lists[] = { &cfg->marketing, &cfg->sales, &cfg->managers };

    for (size_t l = 0; l < sizeof(lists) / sizeof(lists[0]); l++)
        for (int i = 0; i < lists[l]->n; i++)
            if (strcasecmp(lists[l]->v[i], *user) == 0) {
                char *known = strdup(lists[l]->v[i]);

                if (known) {
                    free(*user);
                    *user = known;
                }
                return;
            }
}

/* with=@bob,@alice: people of the teams ([roles]), kept as their keys in
 * m->attendees; both teams' attendance is alignment's evidence. */
static int
parse_with(struct cmd_ctx *ctx, const char *v, struct meeting *m)
{
    struct strbuf keys;
    const char *p = v;
    int n = 0;

    strbuf_init(&keys, 0);
    while (*p) {
        size_t len = strcspn(p, ",");
        char word[128], *user;

        if (len == 0 || len >= sizeof(word)) {
            strbuf_release(&keys);
            return reply_error(ctx, _("with= takes people, comma-separated: with=@bob,@alice"));
        }
        memcpy(word, p, len);
        word[len] = '\0';
        user = args_user(word);
        if (user == NULL && word[0] != '@' && word[0] != '<')
            user = strdup(word);    /* a bare name, as handoff takes it */
        /* @Bob is bob of [roles], as handoff reads names */
        if (user != NULL)
            role_spelling(&ctx->bot->cfg, &user);
        if (user == NULL || !config_has_role(&ctx->bot->cfg,
                                             ROLE_MARKETING | ROLE_SALES | ROLE_MANAGERS,
                                             user, user)) {
            reply_error(ctx, _("'%.60s' is in no team of [roles]; a meeting's attendees are people of the teams"),
                        word);
            free(user);
            strbuf_release(&keys);
            return -1;
        }
        strbuf_printf(&keys, "%s%s", n++ ? " " : "", user);
        free(user);
        p += len;
        if (*p == ',')
            p++;
    }
    free(m->attendees);
    m->attendees = n ? strdup(strbuf_str(&keys)) : NULL;
    strbuf_release(&keys);
    return 0;
}

/* Loads the meeting named by ref that is not removed, or replies
 * "no meeting M-9" and returns -1. */
static int
find_meeting(struct cmd_ctx *ctx, const char *ref, struct meeting *m)
{
    int64_t id = args_ref_id(ref, 'M');
    int rc = id > 0 ? meeting_find(ctx->bot->store, id, m, &ctx->err) : 0;

    if (rc > 0 && m->removed_at == 0)
        return 0;
    if (rc > 0)
        meeting_release(m);
    if (rc >= 0)
        reply_error(ctx, _("no meeting %s; see /smk meeting list"), ref);
    return -1;
}

/* Replies the usage line of the command called name; returns -1. */
static int
usage(struct cmd_ctx *ctx, const char *name)
{
    for (size_t i = 0; i < ncommands; i++)
        if (strcmp(commands[i].name, name) == 0)
            return cmd_usage(ctx, &commands[i]);
    return -1;
}

/* Where the meeting's reminders go, for people. */
static const char *
meeting_channel(const struct cmd_ctx *ctx, const struct meeting *m)
{
    return m->channel ? m->channel : reply_channel(ctx->bot, CHANNEL_DIGEST);
}

int
cmd_meeting_add(struct cmd_ctx *ctx, const struct args *a)
{
    struct meeting m = { 0 };
    json_t *data = NULL;
    bool have_every = false, have_at = false;
    char key[32], when[64], remind[32];
    int64_t next;
    int rc = -1;

    m.remind = REMIND_DEFAULT;
    if (args_kv(a, 0, key, sizeof(key)) != NULL) {
        rc = reply_error(ctx, _("the meeting's title comes first: /smk meeting add \"Pipeline review\" every=weekly:mon at=10:00"));
        goto out;
    }
    if (a->argv[0][0] == '\0' || strlen(a->argv[0]) > TITLE_MAX_LEN) {
        rc = reply_error(ctx, _("a title has 1 to %d characters"), TITLE_MAX_LEN);
        goto out;
    }
    m.title = strdup(a->argv[0]);
    for (int i = 1; i < a->argc; i++) {
        const char *v = args_kv(a, i, key, sizeof(key));

        if (v == NULL) {
            rc = reply_error(ctx, _("'%s' is not key=value; a meeting has every=, at=, with=, channel= and remind="),
                             a->argv[i]);
            goto out;
        }
        if (strcmp(key, "every") == 0) {
            if (cadence_parse(v, &m.cad) < 0) {
                rc = reply_error(ctx, "%s", cadence_help());
                goto out;
            }
            free(m.cadence);
            m.cadence = strdup(v);
            have_every = true;
        } else if (strcmp(key, "with") == 0) {
            if (parse_with(ctx, v, &m) < 0) {
                rc = -1;
                goto out;
            }
        } else if (strcmp(key, "at") == 0) {
            if (clock_parse_hhmm(v, &m.hour, &m.min) < 0) {
                rc = reply_error(ctx, _("at= must be a time such as 09:00, not '%s'"), v);
                goto out;
            }
            have_at = true;
        } else if (strcmp(key, "channel") == 0) {
            free(m.channel);
            if ((m.channel = args_channel(v)) == NULL || m.channel[0] == '\0') {
                rc = reply_error(ctx, _("channel= must be a channel such as #sales, not '%s'"), v);
                goto out;
            }
        } else if (strcmp(key, "remind") == 0) {
            if (strcmp(v, "0") == 0) {
                m.remind = 0;
            } else if (clock_parse_duration(v, &m.remind) < 0 || m.remind > REMIND_MAX) {
                rc = reply_error(ctx, _("remind= must be a duration up to 7d such as 15m or 1h, not '%s'"), v);
                goto out;
            }
        } else {
            rc = reply_error(ctx, _("unknown field '%s'; a meeting has every=, at=, with=, channel= and remind="),
                             key);
            goto out;
        }
    }
    if (!have_every || !have_at) {
        rc = usage(ctx, "meeting add");
        goto out;
    }
    /* a one-off meeting is ahead, with its reminder */
    if (m.cad.kind == CADENCE_ONCE && meeting_next(&m, ctx->now + m.remind) == 0) {
        rc = reply_error(ctx, _("%s is past (or its reminder is); a one-off meeting is ahead"),
                         m.cadence);
        goto out;
    }
    m.created_by = strdup(ctx->actor);
    m.created_at = ctx->now;
    if (meeting_insert(ctx->bot->store, &m, &ctx->err) < 0)
        goto out;
    data = json_pack("{s:I, s:s, s:s, s:s, s:I}", "meeting", (json_int_t)m.id,
                     "title", m.title, "cadence", m.cadence, "channel",
                     meeting_channel(ctx, &m), "remind", (json_int_t)m.remind);
    json_object_set_new(data, "at", json_sprintf("%02d:%02d", m.hour, m.min));
    if (event_append(ctx->bot->store, 0, "meeting_add", ctx->actor, ctx->now,
                     data, &ctx->err) < 0)
        goto out;
    next = meeting_next(&m, ctx->now);
    if (next > 0)
        meeting_format_when(next, when, sizeof(when));
    else
        snprintf(when, sizeof(when), "-");
    clock_format_duration(m.remind, remind, sizeof(remind));
    reply_text(ctx, _("M-%lld scheduled: %s, %s at %02d:%02d in #%s, reminder %s before. Next: %s"),
               (long long)m.id, m.title, m.cadence, m.hour, m.min,
               meeting_channel(ctx, &m), remind, when);
    rc = 0;
out:
    json_decref(data);
    meeting_release(&m);
    return rc;
}

int
cmd_meeting_list(struct cmd_ctx *ctx, const struct args *a)
{
    struct meeting *v = NULL;
    int n = 0;

    (void)a;
    if (meetings_load(ctx->bot->store, &v, &n, &ctx->err) < 0)
        return -1;
    if (n == 0)
        reply_text(ctx, _("no meetings yet; a manager adds one with /smk meeting add \"Pipeline review\" every=weekly:mon at=10:00"));
    for (int i = 0; i < n; i++) {
        int64_t next = meeting_next_held(ctx->bot->store, &v[i], ctx->now, &ctx->err);
        char when[64];

        if (next < 0)
            break;
        if (next > 0)
            meeting_format_when(next, when, sizeof(when));
        else
            snprintf(when, sizeof(when), "-");
        reply_text(ctx, _("M-%lld %s (%s at %02d:%02d, #%s): next %s"),
                   (long long)v[i].id, v[i].title, v[i].cadence, v[i].hour,
                   v[i].min, meeting_channel(ctx, &v[i]), when);
    }
    meetings_free(v, n);
    return ctx->err.set ? -1 : 0;
}

int
cmd_meeting_remove(struct cmd_ctx *ctx, const struct args *a)
{
    struct meeting m;
    json_t *data;
    int rc = -1;

    if (find_meeting(ctx, a->argv[0], &m) < 0)
        return -1;
    data = json_pack("{s:I, s:s}", "meeting", (json_int_t)m.id, "title", m.title);
    if (meeting_remove(ctx->bot->store, m.id, ctx->now, &ctx->err) < 0 ||
        event_append(ctx->bot->store, 0, "meeting_remove", ctx->actor, ctx->now,
                     data, &ctx->err) < 0)
        goto out;
    reply_text(ctx, _("M-%lld removed: %s"), (long long)m.id, m.title);
    rc = 0;
out:
    json_decref(data);
    meeting_release(&m);
    return rc;
}

int
cmd_meeting_skip(struct cmd_ctx *ctx, const struct args *a)
{
    struct meeting m;
    json_t *data = NULL;
    char day[16], today[16], when[64], next_when[64];
    int y, mo, d, added, rc = -1;
    int64_t occ, next;

    if (find_meeting(ctx, a->argv[0], &m) < 0)
        return -1;
    if (clock_parse_date(a->argv[1], &y, &mo, &d) < 0) {
        rc = reply_error(ctx, _("'%s' is not a date; write it as 2026-11-30"), a->argv[1]);
        goto out;
    }
    snprintf(day, sizeof(day), "%04d-%02d-%02d", y, mo, d);
    clock_format_date(ctx->now, today, sizeof(today));
    if (strcmp(day, today) < 0) {
        /* a past day has nothing left to skip, whatever the cadence */
        if ((next = meeting_next_held(ctx->bot->store, &m, ctx->now, &ctx->err)) < 0)
            goto out;
        if (next > 0)
            meeting_format_when(next, next_when, sizeof(next_when));
        rc = reply_error(ctx, _("%s is past (today is %s); skip a coming occurrence of M-%lld, the next is %s"),
                         day, today, (long long)m.id, next > 0 ? next_when : "-");
        goto out;
    }
    /* the date must be one the meeting falls on */
    occ = meeting_next(&m, clock_from_local(y, mo, d, 0, 0));
    if (occ > 0)
        clock_format_date(occ, when, sizeof(when));
    if (occ == 0 || strcmp(when, day) != 0) {
        if (occ > 0)
            meeting_format_when(occ, when, sizeof(when));
        rc = reply_error(ctx, _("M-%lld does not meet on %s (%s); the next occurrence after it is %s"),
                         (long long)m.id, day, m.cadence, occ ? when : "-");
        goto out;
    }
    meeting_format_when(occ, when, sizeof(when));
    if (occ <= ctx->now) {
        rc = reply_error(ctx, _("M-%lld on %s has already started"), (long long)m.id, when);
        goto out;
    }
    if ((added = meeting_skip(ctx->bot->store, m.id, day, &ctx->err)) < 0)
        goto out;
    if (added) {
        data = json_pack("{s:I, s:s, s:s}", "meeting", (json_int_t)m.id, "title",
                         m.title, "day", day);
        if (event_append(ctx->bot->store, 0, "meeting_skip", ctx->actor, ctx->now,
                         data, &ctx->err) < 0)
            goto out;
    }
    if ((next = meeting_next_held(ctx->bot->store, &m, ctx->now, &ctx->err)) < 0)
        goto out;
    if (next > 0)
        meeting_format_when(next, next_when, sizeof(next_when));
    else
        snprintf(next_when, sizeof(next_when), "-");
    reply_text(ctx, added ? _("M-%lld %s is skipped on %s. Next: %s")
                          : _("M-%lld %s was already skipped on %s. Next: %s"),
               (long long)m.id, m.title, when, next_when);
    rc = 0;
out:
    json_decref(data);
    meeting_release(&m);
    return rc;
}

/* A topic or the notes of a meeting: the text from word 1 on. */
static int
add_item(struct cmd_ctx *ctx, const struct args *a, const char *kind)
{
    struct meeting m;
    json_t *data = NULL;
    const char *text = a->argv_eol[1];
    int rc = -1;

    if (find_meeting(ctx, a->argv[0], &m) < 0)
        return -1;
    if (text_utf8_len(text) > CMD_NOTE_MAX) {
        reply_error(ctx, _("a topic or notes have at most %d characters"), CMD_NOTE_MAX);
        goto out;
    }
    data = json_pack("{s:I, s:s}", "meeting", (json_int_t)m.id, "text", text);
    if (data == NULL) {
        err_set(&ctx->err, _("out of memory"));
        goto out;
    }
    if (meeting_add_item(ctx->bot->store, m.id, kind, text, ctx->actor, ctx->now, &ctx->err) < 0 ||
        event_append(ctx->bot->store, 0, strcmp(kind, "topic") == 0 ? "meeting_topic"
                                                                     : "meeting_notes",
                     ctx->actor, ctx->now, data, &ctx->err) < 0)
        goto out;
    if (strcmp(kind, "topic") == 0)
        reply_text(ctx, _("topic added to the agenda of M-%lld %s: it is in the next reminder"),
                   (long long)m.id, m.title);
    else
        reply_text(ctx, _("notes of M-%lld %s kept; the digest shares them with both teams"),
                   (long long)m.id, m.title);
    rc = 0;
out:
    json_decref(data);
    meeting_release(&m);
    return rc;
}

int
cmd_meeting_topic(struct cmd_ctx *ctx, const struct args *a)
{
    return add_item(ctx, a, "topic");
}

int
cmd_meeting_notes(struct cmd_ctx *ctx, const struct args *a)
{
    return add_item(ctx, a, "notes");
}
