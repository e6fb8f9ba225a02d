/* SPDX-License-Identifier: MIT */
/* content.c: content marketing published, for sales to read in the digest. */
#include "content.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
            const char *campaign, const char *author, int64_t now,
            struct err *err)
{
    if (store_exec(s, err,
                   "INSERT INTO content(title, url, campaign, author, at)"
                   " VALUES (?, ?, ?, ?, ?)",
                   "ssssI", title, url, campaign, author, now) < 0)
        return -1;
    return store_last_id(s);
}

int
content_list(struct store *s, int64_t from, int64_t to, struct strbuf *out,
             struct err *err)
{
    sqlite3_stmt *st;
    int rc, n = 0;

    st = store_query(s, err,
                     "SELECT title, url, coalesce(campaign, '') FROM content"
                     " WHERE at >= ? AND at < ? ORDER BY at, id",
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
