/* SPDX-License-Identifier: MIT */
/* sched_post.c: what each scheduler job says when it fires: the SLA
 * reminder, breach and escalation, the meeting reminder with its agenda,
 * the weekly nudge, the digest and monthly report, the revisit and persona
 * review reminders. Each reads the data as it is at the firing, so a lead
 * answered since the job was planned posts nothing. */
#include "sched_post.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bot.h"
#include "digest.h"
#include "format.h"
#include "i18n.h"
#include "meeting.h"
#include "persona.h"
#include "reply.h"
#include "report.h"
#include "revisit.h"
#include "sla.h"

/* Lines of a list inside a post before "... N more". */
#define SCHED_MAX_LINES 15

struct lead_info {
    char *name, *company, *owner, *stage;
    int64_t handed_off_at, due_at;
};

static void
lead_info_release(struct lead_info *li)
{
    free(li->name);
    free(li->company);
    free(li->owner);
    free(li->stage);
    memset(li, 0, sizeof(*li));
}

/* 1 found, 0 gone, -1 error. */
static int
lead_info_load(struct bot *bot, int64_t id, struct lead_info *li, struct err *err)
{
    sqlite3_stmt *st = store_query(bot->store, err,
        "SELECT name, company, owner, stage, handed_off_at, due_at"
        " FROM leads WHERE id = ?", "I", id);
    int rc;

    memset(li, 0, sizeof(*li));
    if (st == NULL)
        return -1;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        li->name = store_col_dup(st, 0);
        li->company = store_col_dup(st, 1);
        li->owner = store_col_dup(st, 2);
        li->stage = store_col_dup(st, 3);
        li->handed_off_at = sqlite3_column_int64(st, 4);
        li->due_at = sqlite3_column_int64(st, 5);
    }
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return 1;
    if (rc == SQLITE_DONE)
        return 0;
    err_set(err, _("database error: %s"), sqlite3_errmsg(store_db(bot->store)));
    return -1;
}

/* "L-3 Jane Doe (ACME)" into buf. */
static void
lead_label(int64_t id, const char *name, const char *company, char *buf,
           size_t len)
{
    if (company && company[0])
        snprintf(buf, len, "L-%lld %s (%s)", (long long)id, name ? name : "",
                 company);
    else
        snprintf(buf, len, "L-%lld %s", (long long)id, name ? name : "");
}

/* Is user key (an id or a name) the manager entry? */
static bool
same_user(struct bot *bot, const char *key, const char *entry)
{
    char *name;
    bool same;

    if (strcmp(key, entry) == 0)
        return true;
    name = bot_user_name(bot, key);
    same = name && strcmp(name, entry) == 0;
    free(name);
    return same;
}

/* 0 posted, 1 nothing to post any more (the lead moved on), -1 error. */
/* An SLA point that fell due while the bot was down says so. */
static void
mark_late(char *text, size_t size, const struct job *j, int64_t now)
{
    char due[40];
    size_t n = strlen(text);

    if (now - j->due < SCHED_MAX_LATE || n + 1 >= size)
        return;
    clock_format_human(j->due, due, sizeof(due));
    snprintf(text + n, size - n, _(" (sent late: smarkbot was not running when this was due, %s)"),
             due);
}

static int
post_sla(struct bot *bot, const struct job *j, int64_t now, struct err *err)
{
    struct lead_info li;
    char label[300], window[32], deadline[32], handed[32], *rep = NULL;
    char text[1024];
    int rc;

    if ((rc = lead_info_load(bot, j->id, &li, err)) <= 0)
        return rc < 0 ? -1 : 1;
    /* answered or reassigned since the job was planned */
    if (li.stage == NULL || strcmp(li.stage, "handed_off") != 0 ||
        li.handed_off_at != j->at || li.owner == NULL) {
        rc = 1;
        goto out;
    }
    /* a reminder of half the time is moot once the deadline has passed
     * (an SLA change moved it, or the bot was down): the breach says it */
    if (j->kind == JOB_SLA50 && li.due_at > 0 && now >= li.due_at) {
        rc = 1;
        goto out;
    }
    rc = -1;
    lead_label(j->id, li.name, li.company, label, sizeof(label));
    /* business time, written as sla set and lead show write it */
    format_bizdur(&bot->cfg.hours, sla_window(bot->store, &bot->cfg, li.handed_off_at, li.due_at), window,
                  sizeof(window));
    clock_format_human(li.due_at > 0 ? li.due_at
                                     : sla_point(bot->store, &bot->cfg, j->at, 100),
                       deadline, sizeof(deadline));
    clock_format_human(j->at, handed, sizeof(handed));
    rep = bot_user_name(bot, li.owner);
    switch (j->kind) {
    case JOB_SLA50:
        snprintf(text, sizeof(text),
                 _("Reminder: %s is waiting for your answer; half of the %s response time has passed (deadline %s). "
                   "Answer with /smk accept L-%lld or /smk reject L-%lld <reason>"),
                 label, window, deadline, (long long)j->id, (long long)j->id);
        mark_late(text, sizeof(text), j, now);
        if (post_dm(bot, now, li.owner, text, NULL, err) < 0)
            goto out;
        break;
    case JOB_SLA100:
        snprintf(text, sizeof(text),
                 _("SLA breach: %s, handed to you at %s, has had no answer within %s (deadline %s). "
                   "Accept or reject it now: /smk accept L-%lld or /smk reject L-%lld <reason>"),
                 label, handed, window, deadline, (long long)j->id, (long long)j->id);
        mark_late(text, sizeof(text), j, now);
        if (post_dm(bot, now, li.owner, text, NULL, err) < 0)
            goto out;
        snprintf(text, sizeof(text),
                 _("SLA breach: %s, handed to @%s at %s, has had no answer within %s (deadline %s)."),
                 label, rep, handed, window, deadline);
        mark_late(text, sizeof(text), j, now);
        for (int i = 0; i < bot->cfg.managers.n; i++) {
            const char *mgr = bot->cfg.managers.v[i];

            if (same_user(bot, li.owner, mgr))
                continue;       /* the rep already has the breach */
            if (post_dm(bot, now, mgr, text, NULL, err) < 0)
                goto out;
        }
        break;
    case JOB_SLA200:
        snprintf(text, sizeof(text),
                 _("Escalation: %s has waited twice the %s response time for @%s (handed off %s, deadline %s). "
                   "A manager should step in or reassign it with /smk handoff L-%lld @rep"),
                 label, window, rep, handed, deadline, (long long)j->id);
        mark_late(text, sizeof(text), j, now);
        if (post_channel(bot, now, reply_channel(bot, CHANNEL_SALES), text, NULL,
                         err) < 0)
            goto out;
        break;
    default:
        break;
    }
    rc = 0;
out:
    free(rep);
    lead_info_release(&li);
    return rc;
}

/* Appends "\n  L-3 Jane Doe (ACME), extra" for each row of st (columns id,
 * name, company, extra or NULL, and optionally a deadline passed by now),
 * "... N more" past the cap, or " none" when there is no row and none is
 * given. Returns the rows shown, or -1. */
static int
append_leads(struct bot *bot, sqlite3_stmt *st, int64_t now, struct strbuf *out,
             const char *none, struct err *err)
{
    int rc, shown = 0, more = 0;

    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        char label[300];
        const unsigned char *extra = sqlite3_column_text(st, 3);

        if (shown >= SCHED_MAX_LINES) {
            more++;
            continue;
        }
        lead_label(sqlite3_column_int64(st, 0),
                   (const char *)sqlite3_column_text(st, 1),
                   (const char *)sqlite3_column_text(st, 2), label, sizeof(label));
        strbuf_printf(out, "\n  %s%s%s", label, extra ? ", " : "",
                      extra ? (const char *)extra : "");
        /* a fifth column is a deadline passed: how long ago, in business
         * time, as lead show and the SLA report say it */
        if (sqlite3_column_count(st) > 4 && sqlite3_column_type(st, 4) != SQLITE_NULL) {
            char over[32];

            format_bizdur(&bot->cfg.hours,
                          bizhours_between(&bot->cfg.hours,
                                           sqlite3_column_int64(st, 4), now),
                          over, sizeof(over));
            strbuf_printf(out, _(", %s over"), over);
        }
        shown++;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        err_set(err, _("database error: %s"), sqlite3_errmsg(store_db(bot->store)));
        return -1;
    }
    if (more) {
        strbuf_puts(out, "\n  ");
        strbuf_printf(out, P_("... %d more", "... %d more", more), more);
    }
    if (shown == 0 && none)
        strbuf_printf(out, " %s", none);
    return shown;
}

/* Appends " budget 2, timing 1" (or " none"): the rejections in
 * [since, now], by reason. Counted from the events, not the leads' stage,
 * so a lead rejected and handed off again still counts. */
static int
append_rejections(struct bot *bot, int64_t since, int64_t now,
                  struct strbuf *out, struct err *err)
{
    sqlite3_stmt *st = store_query(bot->store, err,
        "SELECT coalesce(json_extract(data, '$.reason'), '?'), count(*)"
        " FROM events WHERE kind = 'rejected' AND at >= ? AND at <= ?"
        " GROUP BY 1 ORDER BY 2 DESC, 1", "II", since, now);
    int step, n = 0;

    if (st == NULL)
        return -1;
    while ((step = sqlite3_step(st)) == SQLITE_ROW)
        strbuf_printf(out, "%s %s %lld", n++ ? "," : "",
                      (const char *)sqlite3_column_text(st, 0),
                      (long long)sqlite3_column_int64(st, 1));
    sqlite3_reset(st);
    if (step != SQLITE_DONE) {
        err_set(err, _("database error: %s"), sqlite3_errmsg(store_db(bot->store)));
        return -1;
    }
    if (n == 0)
        strbuf_printf(out, " %s", _("none"));
    return 0;
}

/* The reminder of a meeting occurrence with its agenda. 0 posted, 1
 * nothing to post (removed or skipped since), -1 error. */
static int
post_meeting(struct bot *bot, const struct job *j, int64_t now, struct err *err)
{
    struct meeting m;
    struct strbuf text, topics;
    sqlite3_stmt *st;
    char when[64], since_s[64], in[32];
    int64_t since;
    int rc;

    if ((rc = meeting_find(bot->store, j->id, &m, err)) <= 0)
        return rc < 0 ? -1 : 1;
    strbuf_init(&text, 0);
    strbuf_init(&topics, 0);
    if (m.removed_at != 0 ||
        (rc = meeting_is_skipped(bot->store, m.id, j->at, err)) != 0) {
        rc = m.removed_at != 0 || rc > 0 ? 1 : -1;
        goto out;
    }
    rc = -1;
    meeting_format_when(j->at, when, sizeof(when));
    clock_format_duration(j->at > now ? j->at - now : 0, in, sizeof(in));
    strbuf_printf(&text, _("Reminder: M-%lld %s starts %s (in %s)."),
                  (long long)m.id, m.title, when, in);
    strbuf_printf(&text, "\n%s", _("Agenda:"));

    strbuf_printf(&text, "\n1. %s", _("Leads over their deadline:"));
    st = store_query(bot->store, err,
        "SELECT l.id, l.name, l.company, '@' || coalesce(u.name, l.owner), l.due_at"
        " FROM leads l LEFT JOIN users u ON u.id = l.owner"
        " WHERE l.stage = 'handed_off' AND l.due_at < ? ORDER BY l.due_at, l.id",
        "I", now);
    if (st == NULL || append_leads(bot, st, now, &text, _("none"), err) < 0)
        goto out;

    /* since the previous occurrence, or the meeting's creation */
    since = meeting_prev(&m, j->at);
    if (since == 0)
        since = m.created_at;
    clock_format_human(since, since_s, sizeof(since_s));
    strbuf_puts(&text, "\n2. ");
    strbuf_printf(&text, _("Rejections since %s:"), since_s);
    if (append_rejections(bot, since, now, &text, err) < 0)
        goto out;

    strbuf_printf(&text, "\n3. %s\n", _("SLA status:"));
    if (report_sla_status(bot->store, &bot->cfg, now, &text, err) < 0 ||
        report_agenda_more(bot->store, &bot->cfg, now, 4, &text, err) < 0)
        goto out;
    /* the topics added since the last occurrence */
    strbuf_printf(&text, "\n7. %s", _("Topics added:"));
    if ((rc = meeting_topics(bot->store, m.id, since, now, &topics, err)) < 0) {
        rc = -1;
        goto out;
    }
    strbuf_printf(&text, rc ? "\n%s" : " %s", rc ? strbuf_str(&topics) : _("none"));
    rc = -1;
    if (post_channel(bot, now, m.channel ? m.channel : reply_channel(bot, CHANNEL_DIGEST),
                     strbuf_str(&text), NULL, err) < 0)
        goto out;
    /* each attendee (with=) by DM, pointing at the agenda */
    for (const char *p = m.attendees ? m.attendees : ""; *p;) {
        size_t len = strcspn(p, " ");
        char who[128], dm[512];

        snprintf(who, sizeof(who), "%.*s", (int)(len < sizeof(who) ? len : sizeof(who) - 1), p);
        snprintf(dm, sizeof(dm), _("Reminder: M-%lld %s starts %s (in %s); you are on its list. The agenda is in #%s"),
                 (long long)m.id, m.title, when, in,
                 m.channel ? m.channel : reply_channel(bot, CHANNEL_DIGEST));
        if (post_dm(bot, now, who, dm, NULL, err) < 0)
            goto out;
        p += len;
        while (*p == ' ')
            p++;
    }
    rc = 0;
out:
    strbuf_release(&text);
    strbuf_release(&topics);
    meeting_release(&m);
    return rc;
}

/* The weekly DM to each rep: leads they accepted in the 7 days before due
 * that have no feedback from them. Reps with none get nothing. */
static int
post_nudge(struct bot *bot, const struct job *j, int64_t now, struct err *err)
{
    sqlite3_stmt *st;
    struct owner {
        char *key;
    } *owners = NULL;
    int n = 0, alloc = 0, rc;

    st = store_query(bot->store, err,
        "SELECT DISTINCT owner FROM leads"
        " WHERE owner IS NOT NULL AND stage IN ('sql', 'won', 'lost')"
        " AND responded_at > ? AND responded_at <= ?"
        " AND NOT EXISTS (SELECT 1 FROM feedback f"
        "   WHERE f.lead = leads.id AND f.rep = leads.owner)"
        " ORDER BY owner", "II", j->due - 7 * 86400, j->due);
    if (st == NULL)
        return -1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == alloc) {
            struct owner *nv;

            alloc = alloc ? alloc * 2 : 8;
            if ((nv = realloc(owners, (size_t)alloc * sizeof(*nv))) == NULL) {
                rc = SQLITE_NOMEM;
                break;
            }
            owners = nv;
        }
        owners[n++].key = store_col_dup(st, 0);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        err_set(err, _("database error: %s"), sqlite3_errmsg(store_db(bot->store)));
        rc = -1;
        goto out;
    }
    rc = 0;
    for (int i = 0; i < n && rc == 0; i++) {
        struct strbuf text;

        strbuf_init(&text, 0);
        strbuf_puts(&text, _("Feedback please: you accepted these leads in the last 7 days and have not rated them yet:"));
        st = store_query(bot->store, err,
            "SELECT id, name, company, NULL FROM leads"
            " WHERE owner = ? AND stage IN ('sql', 'won', 'lost')"
            " AND responded_at > ? AND responded_at <= ?"
            " AND NOT EXISTS (SELECT 1 FROM feedback f"
            "   WHERE f.lead = leads.id AND f.rep = leads.owner)"
            " ORDER BY responded_at, id", "sII", owners[i].key,
            j->due - 7 * 86400, j->due);
        if (st == NULL || append_leads(bot, st, now, &text, NULL, err) < 0) {
            rc = -1;
        } else {
            strbuf_printf(&text, "\n%s",
                          _("Rate each one with /smk feedback <lead> <1-5|good|bad> [comment]"));
            if (post_dm(bot, now, owners[i].key, strbuf_str(&text), NULL, err) < 0)
                rc = -1;
        }
        strbuf_release(&text);
    }
out:
    for (int i = 0; i < n; i++)
        free(owners[i].key);
    free(owners);
    return rc;
}

static int
post_report(struct bot *bot, const struct job *j, int64_t now, struct err *err)
{
    struct strbuf text;
    int rc = -1;

    strbuf_init(&text, 0);
    /* the report covers the window it was due for, even when late */
    if ((j->kind == JOB_DIGEST
             ? digest_weekly(bot->store, &bot->cfg, j->due, &text, err)
             : report_monthly(bot->store, &bot->cfg, j->due, &text, err)) < 0)
        goto out;
    if (text.len > 0 &&
        post_channel(bot, now, reply_channel(bot, CHANNEL_DIGEST), strbuf_str(&text),
                     NULL, err) < 0)
        goto out;
    rc = 0;
out:
    strbuf_release(&text);
    return rc;
}

/* Marketing's reminder to look again at a recycled or lost lead. 0
 * posted, 1 nothing to post (handed off, reopened or closed again since),
 * -1 error. */
static int
post_revisit(struct bot *bot, const struct job *j, int64_t now, struct err *err)
{
    sqlite3_stmt *st;
    char day[11], label[300], when[16], *rep = NULL, *reason = NULL, *kind = NULL;
    char text[1024];
    int rc;

    /* the key holds the day: revisit:<lead>:<day> */
    snprintf(day, sizeof(day), "%s", strrchr(j->key, ':') + 1);
    if ((rc = revisit_stands(bot->store, j->id, day, err)) <= 0)
        return rc < 0 ? -1 : 1;
    st = store_query(bot->store, err,
        "SELECT l.name, l.company, coalesce(l.reason, '?'), r.kind,"
        " coalesce(r.set_by, l.owner) FROM leads l JOIN revisits r ON r.lead = l.id"
        " WHERE l.id = ?", "I", j->id);
    if (st == NULL || (rc = store_row(bot->store, st, err)) <= 0)
        return rc == 0 ? 1 : -1;
    lead_label(j->id, (const char *)sqlite3_column_text(st, 0),
               (const char *)sqlite3_column_text(st, 1), label, sizeof(label));
    reason = store_col_dup(st, 2);
    kind = store_col_dup(st, 3);
    rep = store_col_dup(st, 4);
    sqlite3_reset(st);
    rc = -1;
    if (reason == NULL || kind == NULL) {
        err_set(err, _("out of memory"));
        goto out;
    }
    clock_format_date(j->at, when, sizeof(when));
    {
        char *name = rep ? bot_user_name(bot, rep) : NULL;

        if (strcmp(kind, "lost") == 0)
            snprintf(text, sizeof(text),
                     _("Time to look again at %s: @%s closed it as lost (%s) on %s, to be looked at again from %s. "
                       "If the deal is alive again, a manager can reopen it with /smk reopen L-%lld"),
                     label, name ? name : "?", reason, when, day, (long long)j->id);
        else
            snprintf(text, sizeof(text),
                     _("Time to re-qualify %s: @%s rejected it (%s) on %s, to be looked at again from %s. "
                       "When it qualifies again, hand it off with /smk handoff L-%lld"),
                     label, name ? name : "?", reason, when, day, (long long)j->id);
        free(name);
    }
    if (post_channel(bot, now, reply_channel(bot, CHANNEL_MARKETING), text, NULL, err) < 0)
        goto out;
    rc = 0;
out:
    free(rep);
    free(reason);
    free(kind);
    return rc;
}

/* The managers' DM to review the personas with both teams. 0 posted, 1
 * nothing to post (reviewed or removed since), -1 error. */
static int
post_persona_review(struct bot *bot, const struct job *j, int64_t now,
                    struct err *err)
{
    struct strbuf names, text;
    int64_t last;
    char when[16];
    int n, rc = -1;

    if (persona_review_due(bot->store, &bot->cfg, err) != j->due)
        return err->set ? -1 : 1;
    strbuf_init(&names, 0);
    strbuf_init(&text, 0);
    if ((n = persona_names(bot->store, &names, err)) < 0 ||
        (last = persona_last_review(bot->store, err)) < 0)
        goto out;
    if (last > 0) {
        clock_format_date(last, when, sizeof(when));
        strbuf_printf(&text, _("Time to review the buyer personas with both teams (last reviewed %s): %s."),
                      when, strbuf_str(&names));
    } else {
        strbuf_printf(&text, _("Time to review the buyer personas with both teams (not reviewed since they were added): %s."),
                      strbuf_str(&names));
    }
    strbuf_printf(&text, " %s",
                  _("Go through them with sales and marketing, change them with /smk persona edit, then record it with /smk persona reviewed"));
    for (int i = 0; i < bot->cfg.managers.n; i++)
        if (post_dm(bot, now, bot->cfg.managers.v[i], strbuf_str(&text), NULL, err) < 0)
            goto out;
    rc = 0;
out:
    strbuf_release(&names);
    strbuf_release(&text);
    return rc;
}

int
sched_post(struct bot *bot, const struct job *j, int64_t now, struct err *err)
{
    switch (j->kind) {
    case JOB_SLA50:
    case JOB_SLA100:
    case JOB_SLA200:
        return post_sla(bot, j, now, err);
    case JOB_MEETING:
        return post_meeting(bot, j, now, err);
    case JOB_NUDGE:
        return post_nudge(bot, j, now, err);
    case JOB_DIGEST:
    case JOB_MONTHLY:
        return post_report(bot, j, now, err);
    case JOB_REVISIT:
        return post_revisit(bot, j, now, err);
    case JOB_PERSONA_REVIEW:
        return post_persona_review(bot, j, now, err);
    }
    return 1;
}
