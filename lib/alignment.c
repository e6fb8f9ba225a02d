/* SPDX-License-Identifier: MIT */
/* alignment.c: the six criteria of product.md section 6, evaluated from the
 * data, and the level they add up to. */
#include "alignment.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "followup.h"
#include "clock.h"
#include "glossary.h"
#include "i18n.h"
#include "period.h"
#include "persona.h"
#include "report.h"
#include "sla.h"

#define DAY 86400
/* The longest gap between meetings that still keeps both teams in touch. */
#define MEETING_MAX_WEEKS 6

static const char *const criteria[ALIGNMENT_NCRITERIA] = {
    N_("a shared goal for the current period"),
    N_("a recurring meeting of both teams at least every 6 weeks"),
    N_("the glossary defines MQL and SQL"),
    N_("feedback flowed both ways in the last 14 days"),
    N_("the response SLA was met for at least 80% of leads in the last 30 days"),
    N_("rejections carry reasons and marketing handles recycled leads"),
    N_("the buyer personas were reviewed with both teams in the last 6 months"),
    N_("sales rated the content marketing published in the last 30 days"),
};

static const char *const levels[] = {
    N_("completely misaligned"),
    N_("somewhat misaligned"),
    N_("somewhat aligned"),
    N_("completely aligned"),
};

enum alignment_level
alignment_level(int met)
{
    if (met >= ALIGNMENT_NCRITERIA)
        return ALIGN_COMPLETELY_ALIGNED;
    if (met * 3 >= ALIGNMENT_NCRITERIA * 2)
        return ALIGN_SOMEWHAT_ALIGNED;
    if (met * 3 >= ALIGNMENT_NCRITERIA)
        return ALIGN_SOMEWHAT_MISALIGNED;
    return ALIGN_COMPLETELY_MISALIGNED;
}

const char *
alignment_level_name(enum alignment_level level)
{
    return _(levels[level]);
}

const char *
alignment_criterion_name(int i)
{
    return _(criteria[i]);
}

#define EVIDENCE(al, i, ...) \
    snprintf((al)->crit[i].evidence, sizeof((al)->crit[i].evidence), __VA_ARGS__)

static int
crit_goal(struct store *s, int64_t now, struct alignment *al, struct err *err)
{
    sqlite3_stmt *st;
    int rc, current = 0;

    st = store_query(s, err,
                     "SELECT id, title, period FROM goals WHERE removed_at IS NULL"
                     " ORDER BY id",
                     "");
    if (st == NULL)
        return -1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *period = (const char *)sqlite3_column_text(st, 2);
        int64_t from, to;

        if (period_parse(period, &from, &to) < 0 || now < from || now >= to)
            continue;
        if (current++ == 0)
            EVIDENCE(al, 0, "G-%lld %s (%s)", (long long)sqlite3_column_int64(st, 0),
                     (const char *)sqlite3_column_text(st, 1), period);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return store_error(s, err);
    al->crit[0].met = current > 0;
    if (current > 1) {
        size_t n = strlen(al->crit[0].evidence);

        snprintf(al->crit[0].evidence + n, sizeof(al->crit[0].evidence) - n,
                 _(" and %d more"), current - 1);
    } else if (current == 0) {
        EVIDENCE(al, 0, "%s", _("no goal covers today; add one with /smk goal add"));
    }
    return 0;
}

/* Weeks between two meetings of a cadence at most ("monthly:1" = 5, a
 * month being up to 5 weeks long); 0 when unknown. */
static int
cadence_weeks(const char *cadence)
{
    int n = 0, used = 0;

    if (strncmp(cadence, "weekly:", 7) == 0)
        return 1;
    if (strncmp(cadence, "biweekly:", 9) == 0)
        return 2;
    if (strncmp(cadence, "monthly:", 8) == 0)
        return 5;
    if (strncmp(cadence, "quarterly:", 10) == 0)
        return 14;
    if (sscanf(cadence, "every-%dw:%n", &n, &used) == 1 && used > 0)
        return n;
    return 0;
}

/* Both teams on a meeting's list: the guides' "attended by both". A list
 * with one team only does not meet the criterion. */
static void
attendance(const struct config *cfg, const char *with, struct alignment *al)
{
    int mkt = 0, sales = 0;
    size_t n;

    for (const char *p = with; *p; p += n + (p[n] == ' ')) {
        char who[128];

        n = strcspn(p, " ");
        snprintf(who, sizeof(who), "%.*s", (int)(n < sizeof(who) ? n : sizeof(who) - 1), p);
        mkt += config_has_role(cfg, ROLE_MARKETING, who, who);
        sales += config_has_role(cfg, ROLE_SALES, who, who);
        if (n == 0)
            break;
    }
    n = strlen(al->crit[1].evidence);
    snprintf(al->crit[1].evidence + n, sizeof(al->crit[1].evidence) - n,
             _(", attended by %d of marketing and %d of sales"), mkt, sales);
    al->crit[1].met = mkt > 0 && sales > 0;
}

static int
crit_meeting(struct store *s, const struct config *cfg, struct alignment *al,
             struct err *err)
{
    sqlite3_stmt *st;
    int rc, rare = 0, listed = 0;

    st = store_query(s, err,
                     "SELECT id, title, cadence, attendees FROM meetings WHERE removed_at IS NULL"
                     " ORDER BY id",
                     "");
    if (st == NULL)
        return -1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *cadence = (const char *)sqlite3_column_text(st, 2);
        int weeks = cadence_weeks(cadence);

        if (strncmp(cadence, "once:", 5) == 0)
            continue;           /* a one-off keeps no one in touch */
        if (weeks > 0 && weeks <= MEETING_MAX_WEEKS) {
            const char *with = (const char *)sqlite3_column_text(st, 3);

            al->crit[1].met = true;
            EVIDENCE(al, 1, "M-%lld %s (%s)", (long long)sqlite3_column_int64(st, 0),
                     (const char *)sqlite3_column_text(st, 1), cadence);
            if (with)
                attendance(cfg, with, al);
            listed = 1;
            break;
        }
        rare++;
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return store_error(s, err);
    if (!listed)
        EVIDENCE(al, 1, "%s", rare ? _("the meetings are less often than every 6 weeks")
                                   : _("no recurring meeting; add one with /smk meeting add"));
    return 0;
}

static int
crit_glossary(struct store *s, struct alignment *al, struct err *err)
{
    static const char *const terms[] = { "MQL", "SQL" };
    char missing[32] = "";

    for (size_t i = 0; i < 2; i++) {
        char *name, *def;
        int rc = glossary_get(s, terms[i], &name, &def, err);

        if (rc < 0)
            return -1;
        if (rc == 0)
            snprintf(missing + strlen(missing), sizeof(missing) - strlen(missing),
                     "%s%s", missing[0] ? " " : "", terms[i]);
        free(name);
        free(def);
    }
    al->crit[2].met = missing[0] == '\0';
    if (al->crit[2].met)
        EVIDENCE(al, 2, "%s", _("both defined (/smk glossary MQL)"));
    else
        EVIDENCE(al, 2, _("not defined: %s; define with /smk glossary set"), missing);
    return 0;
}

/* Both directions: sales rated leads, marketing rated follow-ups. */
static int
crit_feedback(struct store *s, int64_t now, struct alignment *al,
              struct err *err)
{
    int64_t since = now - 14 * DAY, ratings = 0, followups = 0;
    char rated[96], followed[96];

    if (store_query_int(s, err, &ratings,
                        "SELECT count(*) FROM feedback WHERE at >= ? AND at <= ?",
                        "II", since, now) < 0 ||
        followup_count(s, since, now + 1, &followups, err) < 0)
        return -1;
    al->crit[3].met = ratings > 0 && followups > 0;
    snprintf(rated, sizeof(rated),
             P_("%lld lead-quality rating by sales", "%lld lead-quality ratings by sales",
                ratings), (long long)ratings);
    snprintf(followed, sizeof(followed),
             P_("%lld follow-up rating by marketing", "%lld follow-up ratings by marketing",
                followups), (long long)followups);
    EVIDENCE(al, 3, "%s, %s", rated, followed);
    return 0;
}

/* The same share as `sla` shows for the window: report_sla_share. */
static int
crit_sla(struct store *s, const struct config *cfg, int64_t now,
         struct alignment *al, struct err *err)
{
    struct report_response r;
    struct strbuf share;
    int64_t due;

    if (report_sla_share(s, cfg, now - REPORT_SLA_WINDOW_DAYS * DAY, now, &r, err) < 0)
        return -1;
    due = r.n + r.overdue;
    if (due == 0) {
        EVIDENCE(al, 4, "%s", _("no handoffs answered or due: nothing shows the SLA works"));
        return 0;
    }
    al->crit[4].met = r.within * 100 >= ALIGNMENT_SLA_PERCENT * due;
    strbuf_init(&share, 0);
    report_format_share(&r, &share);
    EVIDENCE(al, 4, _("%s (as /smk sla shows for the last %d days)"), strbuf_str(&share),
             REPORT_SLA_WINDOW_DAYS);
    strbuf_release(&share);
    return 0;
}

static int
crit_recycled(struct store *s, int64_t now, struct alignment *al,
              struct err *err)
{
    int64_t since = now - 30 * DAY, rejected = 0, bare = 0, waiting = 0,
            oldest = 0;

    if (store_query_int(s, err, &rejected,
                        "SELECT count(*) FROM events WHERE kind = 'rejected'"
                        " AND at >= ? AND at <= ?",
                        "II", since, now) < 0 ||
        store_query_int(s, err, &bare,
                        "SELECT count(*) FROM events WHERE kind = 'rejected'"
                        " AND at >= ? AND at <= ?"
                        " AND coalesce(json_extract(data, '$.reason'), '') = ''",
                        "II", since, now) < 0 ||
        store_query_int(s, err, &waiting,
                        "SELECT count(*) FROM leads WHERE stage = 'recycled'"
                        " AND coalesce(responded_at, created_at) < ?",
                        "I", now - ALIGNMENT_RECYCLED_DAYS * DAY) < 0 ||
        store_query_int(s, err, &oldest,
                        "SELECT id FROM leads WHERE stage = 'recycled'"
                        " AND coalesce(responded_at, created_at) < ?"
                        " ORDER BY coalesce(responded_at, created_at), id LIMIT 1",
                        "I", now - ALIGNMENT_RECYCLED_DAYS * DAY) < 0)
        return -1;
    /* with no rejection, nothing shows that rejections carry reasons */
    al->crit[5].unknown = rejected == 0 && waiting == 0;
    al->crit[5].met = rejected > 0 && bare == 0 && waiting == 0;
    if (al->crit[5].unknown)
        EVIDENCE(al, 5, _("not yet known: no rejection in the last 30 days to show it, and no recycled lead waiting over %d days"),
                 ALIGNMENT_RECYCLED_DAYS);
    else if (waiting > 0)
        EVIDENCE(al, 5, P_("%lld recycled lead waiting over %d days for marketing (oldest L-%lld)",
                           "%lld recycled leads waiting over %d days for marketing (oldest L-%lld)",
                           waiting),
                 (long long)waiting, ALIGNMENT_RECYCLED_DAYS, (long long)oldest);
    else if (bare > 0)
        EVIDENCE(al, 5, P_("%lld of %lld rejection in the last 30 days has no reason",
                           "%lld of %lld rejections in the last 30 days have no reason", rejected),
                 (long long)bare, (long long)rejected);
    else
        EVIDENCE(al, 5, P_("%lld rejection in the last 30 days, with a reason; no recycled lead waiting over %d days",
                           "%lld rejections in the last 30 days, all with a reason; no recycled lead waiting over %d days",
                           rejected),
                 (long long)rejected, ALIGNMENT_RECYCLED_DAYS);
    return 0;
}

/* Reviewed within the guides' half year (the reminder's own interval does
 * not lower the bar). */
static int
crit_personas(struct store *s, int64_t now, struct alignment *al, struct err *err)
{
    int64_t personas = 0, last;
    char when[16];

    if (store_query_int(s, err, &personas,
                        "SELECT count(*) FROM personas WHERE removed_at IS NULL", "") < 0 ||
        (last = persona_last_review(s, err)) < 0)
        return -1;
    if (personas == 0) {
        EVIDENCE(al, 6, "%s", _("no buyer personas; define them with /smk persona add"));
        return 0;
    }
    al->crit[6].met = last > 0 && last >= now - 183 * DAY;
    if (last > 0) {
        clock_format_date(last, when, sizeof(when));
        EVIDENCE(al, 6, P_("%lld persona, last reviewed %s", "%lld personas, last reviewed %s",
                           personas), (long long)personas, when);
    } else {
        EVIDENCE(al, 6, P_("%lld persona, never reviewed (/smk persona reviewed)",
                           "%lld personas, never reviewed (/smk persona reviewed)", personas),
                 (long long)personas);
    }
    return 0;
}

static int
crit_content(struct store *s, int64_t now, struct alignment *al, struct err *err)
{
    int64_t since = now - 30 * DAY, published = 0, rated = 0;

    if (store_query_int(s, err, &published,
                        "SELECT count(*) FROM content WHERE removed_at IS NULL"
                        " AND coalesce(planned_at, at) >= ? AND coalesce(planned_at, at) <= ?",
                        "II", since, now) < 0 ||
        store_query_int(s, err, &rated,
                        "SELECT count(DISTINCT content) FROM content_ratings WHERE at >= ? AND at <= ?",
                        "II", since, now) < 0)
        return -1;
    al->crit[7].met = published > 0 && rated > 0;
    EVIDENCE(al, 7, _("%lld published, %lld rated by sales (/smk content rate)"),
             (long long)published, (long long)rated);
    return 0;
}

int
alignment_eval(struct store *s, const struct config *cfg, int64_t now,
               struct alignment *al, struct err *err)
{
    memset(al, 0, sizeof(*al));
    if (crit_goal(s, now, al, err) < 0 || crit_meeting(s, cfg, al, err) < 0 ||
        crit_glossary(s, al, err) < 0 || crit_feedback(s, now, al, err) < 0 ||
        crit_sla(s, cfg, now, al, err) < 0 || crit_recycled(s, now, al, err) < 0 ||
        crit_personas(s, now, al, err) < 0 || crit_content(s, now, al, err) < 0)
        return -1;
    for (int i = 0; i < ALIGNMENT_NCRITERIA; i++)
        al->met += al->crit[i].met;
    return 0;
}

void
alignment_format(const struct alignment *al, struct strbuf *out)
{
    strbuf_printf(out, _("Alignment: %s (%d of %d criteria met)"),
                  alignment_level_name(alignment_level(al->met)), al->met,
                  ALIGNMENT_NCRITERIA);
    for (int i = 0; i < ALIGNMENT_NCRITERIA; i++)
        strbuf_printf(out, "\n%s %s: %s",
                      al->crit[i].met ? "✓" : al->crit[i].unknown ? "?" : "✗",
                      alignment_criterion_name(i), al->crit[i].evidence);
}
