/* SPDX-License-Identifier: MIT */
/* content.c: content marketing published, for sales to read in the digest. */
#include "content.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "clock.h"
#include "i18n.h"

bool
content_url_valid(const char *url)
{
    size_t skip, len = strlen(url), host;

    if (strncasecmp(url, "https://", 8) == 0)
        skip = 8;
    else if (strncasecmp(url, "http://", 7) == 0)
        skip = 7;
    else
        return false;
    if (len > CONTENT_URL_MAX)
        return false;
    for (const char *p = url; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == 0x7f || *p == '<' || *p == '>' ||
            *p == '"')
            return false;
    /* a host: something before the first / ? # and not only a port or
     * user part */
    host = strcspn(url + skip, "/?#");
    return host > 0 && url[skip] != ':' && url[skip] != '@' &&
           url[skip + host - 1] != '@';
}

int64_t
content_add(struct store *s, const char *title, const char *url,
            const char *campaign, int64_t planned_at, const char *author,
            int64_t now, struct err *err)
{
    if (store_exec(s, err,
                   "INSERT INTO content(title, url, campaign, author, at, planned_at)"
                   " VALUES (?, ?, ?, ?, ?, nullif(?, 0))",
                   "ssssII", title, url, campaign, author, now, planned_at) < 0)
        return -1;
    return store_last_id(s);
}

int
content_find(struct store *s, int64_t id, char **title, struct err *err)
{
    *title = NULL;
    return store_query_text(s, err, title,
                            "SELECT title FROM content WHERE id = ? AND removed_at IS NULL",
                            "I", id);
}

int
content_remove(struct store *s, int64_t id, int64_t now, struct err *err)
{
    return store_exec(s, err, "UPDATE content SET removed_at = ? WHERE id = ?", "II", now, id);
}

int
content_rate(struct store *s, int64_t id, const char *rater, int rating,
             const char *comment, int64_t now, struct err *err)
{
    return store_exec(s, err,
                      "INSERT INTO content_ratings(content, rater, rating, comment, at)"
                      " VALUES (?, ?, ?, ?, ?)",
                      "IsisI", id, rater, rating, comment, now);
}

/* Each rater's newest rating of a piece. */
#define NEWEST_RATING                                                       \
    "r.id = (SELECT r2.id FROM content_ratings r2 WHERE r2.content = r.content" \
    " AND r2.rater = r.rater ORDER BY r2.at DESC, r2.id DESC LIMIT 1)"

/* Appends "C-3 \"Title\" url, <when> (campaign x), rated 4.5 by 2" for
 * each row of st: id, title, url, campaign, published-or-planned time,
 * planned (0/1), average, ratings. */
static int
put_rows(struct store *s, sqlite3_stmt *st, struct strbuf *out, struct err *err)
{
    int rc, n = 0;

    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *campaign = (const char *)sqlite3_column_text(st, 3);
        int64_t ratings = sqlite3_column_int64(st, 7);
        char day[16];

        clock_format_date(sqlite3_column_int64(st, 4), day, sizeof(day));
        strbuf_printf(out, "%sC-%lld \"%s\" %s, ", n++ ? "\n" : "",
                      (long long)sqlite3_column_int64(st, 0),
                      (const char *)sqlite3_column_text(st, 1),
                      (const char *)sqlite3_column_text(st, 2));
        if (sqlite3_column_int(st, 5))
            strbuf_printf(out, _("planned for %s"), day);
        else
            strbuf_printf(out, _("published %s"), day);
        if (campaign && campaign[0])
            strbuf_printf(out, _(" (campaign %s)"), campaign);
        if (ratings > 0)
            strbuf_printf(out, P_(", rated %.1f by %lld in sales", ", rated %.1f by %lld in sales",
                                  ratings),
                          sqlite3_column_double(st, 6), (long long)ratings);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        err_set(err, _("database error: %s"), sqlite3_errmsg(store_db(s)));
        return -1;
    }
    return n;
}

#define ROW_COLUMNS                                                         \
    "SELECT c.id, c.title, c.url, c.campaign, coalesce(c.planned_at, c.at),"  \
    " coalesce(c.planned_at, 0) > ?1,"                                       \
    " (SELECT avg(r.rating) FROM content_ratings r WHERE r.content = c.id AND " NEWEST_RATING ")," \
    " (SELECT count(*) FROM content_ratings r WHERE r.content = c.id AND " NEWEST_RATING ")" \
    " FROM content c WHERE c.removed_at IS NULL"

int
content_list_all(struct store *s, int64_t now, const char *campaign, bool planned,
                 struct strbuf *out, struct err *err)
{
    sqlite3_stmt *st = store_query(s, err,
        ROW_COLUMNS " AND (?2 IS NULL OR c.campaign = ?2 COLLATE NOCASE)"
        " AND (?3 = 0 OR coalesce(c.planned_at, 0) > ?1)"
        " ORDER BY coalesce(c.planned_at, c.at) DESC, c.id DESC",
        "Isi", now, campaign, planned ? 1 : 0);

    return st ? put_rows(s, st, out, err) : -1;
}

int
content_planned(struct store *s, int64_t from, int64_t to, struct strbuf *out,
                struct err *err)
{
    sqlite3_stmt *st = store_query(s, err,
        ROW_COLUMNS " AND c.planned_at >= ?1 AND c.planned_at < ?2"
        " ORDER BY c.planned_at, c.id",
        "II", from, to);

    return st ? put_rows(s, st, out, err) : -1;
}

int
content_top_rated(struct store *s, int max, struct strbuf *out, struct err *err)
{
    sqlite3_stmt *st = store_query(s, err,
        "SELECT c.id, c.title, c.url, c.campaign, coalesce(c.planned_at, c.at), 0,"
        " avg(r.rating), count(*) FROM content c"
        " JOIN content_ratings r ON r.content = c.id AND " NEWEST_RATING
        " WHERE c.removed_at IS NULL GROUP BY c.id ORDER BY 7 DESC, 8 DESC, c.id LIMIT ?",
        "i", max);

    return st ? put_rows(s, st, out, err) : -1;
}

int
content_list(struct store *s, int64_t from, int64_t to, struct strbuf *out,
             struct err *err)
{
    sqlite3_stmt *st;
    int rc, n = 0;

    st = store_query(s, err,
                     "SELECT title, url, coalesce(campaign, '') FROM content"
                     " WHERE coalesce(planned_at, at) >= ? AND coalesce(planned_at, at) < ?"
                     " AND removed_at IS NULL ORDER BY coalesce(planned_at, at), id",
                     "II", from, to);
    if (st == NULL)
        return -1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *campaign = (const char *)sqlite3_column_text(st, 2);

        strbuf_printf(out, "%s\"%s\" %s", n++ ? "\n" : "",
                      (const char *)sqlite3_column_text(st, 0),
                      (const char *)sqlite3_column_text(st, 1));
        if (campaign[0])
            strbuf_printf(out, _(" (campaign %s)"), campaign);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        err_set(err, _("database error: %s"), sqlite3_errmsg(store_db(s)));
        return -1;
    }
    return n;
}
