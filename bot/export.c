/* SPDX-License-Identifier: MIT */
/* export.c: CSV (RFC 4180) and JSON Lines exports with stable keys. */
#include "export.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "clock.h"
#include "i18n.h"

/* Significant digits of a number in JSON: enough for any amount (at most
 * 10 billion with cents), few enough that 1234.56 is not 1234.5599999. */
#define EXPORT_PRECISION 15

enum col_type { COL_TEXT, COL_INT, COL_TIME, COL_LEAD, COL_MONEY, COL_JSON };

struct col {
    const char *key;
    enum col_type type;
};

struct table {
    const char *name;
    const char *sql;
    struct col cols[20];
};

static const struct table tables[] = {
    /* reason is the current one: a recycled or lost lead's (an accepted
     * lead's old rejection stays in the events); close_note is the note
     * of the won or lost event that closed it */
    { "leads",
      "SELECT id, stage, name, company, email, source, score, owner,"
      " created_by, created_at, handed_off_at, due_at, responded_at,"
      " closed_at, amount,"
      " CASE WHEN stage IN ('recycled', 'lost') THEN reason END, note,"
      " CASE WHEN stage IN ('won', 'lost') THEN (SELECT json_extract(e.data, '$.note')"
      "  FROM events e WHERE e.lead = leads.id AND e.kind = leads.stage"
      "  ORDER BY e.id DESC LIMIT 1) END"
      " FROM leads ORDER BY id",
      { { "id", COL_LEAD }, { "stage", COL_TEXT }, { "name", COL_TEXT },
        { "company", COL_TEXT }, { "email", COL_TEXT }, { "source", COL_TEXT },
        { "score", COL_INT }, { "owner", COL_TEXT }, { "created_by", COL_TEXT },
        { "created_at", COL_TIME }, { "handed_off_at", COL_TIME },
        { "due_at", COL_TIME }, { "responded_at", COL_TIME },
        { "closed_at", COL_TIME }, { "amount", COL_MONEY },
        { "reason", COL_TEXT }, { "note", COL_TEXT }, { "close_note", COL_TEXT },
        { NULL, COL_TEXT } } },
    { "events",
      "SELECT id, lead, kind, actor, at, data FROM events ORDER BY id",
      { { "id", COL_INT }, { "lead", COL_LEAD }, { "kind", COL_TEXT },
        { "actor", COL_TEXT }, { "at", COL_TIME }, { "data", COL_JSON },
        { NULL, COL_TEXT } } },
    { "feedback",
      "SELECT lead, rep, rating, comment, at FROM feedback ORDER BY id",
      { { "lead", COL_LEAD }, { "rep", COL_TEXT }, { "rating", COL_INT },
        { "comment", COL_TEXT }, { "at", COL_TIME }, { NULL, COL_TEXT } } },
};

struct store *
export_open(const char *database, struct err *err)
{
    /* opening would create an empty one: say it is not there instead */
    if (strcmp(database, ":memory:") == 0 || access(database, F_OK) != 0) {
        err_set(err, _("database '%s' does not exist; is -c the bot's config file?"),
                database);
        return NULL;
    }
    return store_open_readonly(database, err);
}

static void
csv_field(FILE *out, const char *s)
{
    /* quote always when needed; a leading = + - @ tab or CR is neutralised so a
     * spreadsheet does not run a lead's name as a formula */
    bool quote = strpbrk(s, ",\"\r\n") != NULL;
    bool formula = s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL;

    if (!quote && !formula) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    if (formula)
        fputc('\'', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

/* The value of column i as text for CSV (into buf), or as JSON. */
static json_t *
cell(sqlite3_stmt *st, int i, enum col_type type, char *buf, size_t len)
{
    const char *text = (const char *)sqlite3_column_text(st, i);
    int64_t v = sqlite3_column_int64(st, i);

    buf[0] = '\0';
    if (sqlite3_column_type(st, i) == SQLITE_NULL)
        return json_null();
    switch (type) {
    case COL_TEXT:
        snprintf(buf, len, "%s", text);
        return json_string(text);
    case COL_INT:
        snprintf(buf, len, "%lld", (long long)v);
        return json_integer(v);
    case COL_LEAD:
        snprintf(buf, len, "L-%lld", (long long)v);
        return json_string(buf);
    case COL_TIME:
        clock_format_iso(v, buf, len);
        return json_string(buf);
    case COL_MONEY:
        snprintf(buf, len, "%lld.%02lld", (long long)(v / 100), (long long)(v % 100));
        return json_real((double)v / 100.0);
    case COL_JSON: {
        json_t *data = json_loads(text, JSON_DECODE_ANY, NULL);
        json_t *amount = json_object_get(data, "amount");
        char *again;

        /* the database keeps cents; an export says units, everywhere */
        if (json_is_integer(amount)) {
            json_object_set_new(data, "amount",
                                json_real((double)json_integer_value(amount) / 100.0));
            again = json_dumps(data, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII |
                                         JSON_REAL_PRECISION(EXPORT_PRECISION));
            snprintf(buf, len, "%s", again ? again : text);
            free(again);
        } else {
            snprintf(buf, len, "%s", text);
        }
        return data;
    }
    }
    return json_null();
}

int
export_write(struct store *s, const char *what, const char *format, bool bom,
             FILE *out, struct err *err)
{
    const struct table *t = NULL;
    bool csv = strcmp(format, "csv") == 0;
    sqlite3_stmt *st;
    int rc;

    for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++)
        if (strcmp(tables[i].name, what) == 0)
            t = &tables[i];
    if (t == NULL) {
        err_set(err, _("cannot export '%s': choose leads, events or feedback"), what);
        return -1;
    }
    if (!csv && strcmp(format, "jsonl") != 0) {
        err_set(err, _("unknown format '%s': choose csv or jsonl"), format);
        return -1;
    }
    if (bom && !csv) {
        err_set(err, _("--bom is for --format csv (JSON Lines has no byte order mark)"));
        return -1;
    }
    if ((st = store_stmt(s, t->sql, err)) == NULL)
        return -1;
    /* Excel on Windows reads a CSV as UTF-8 only after this mark */
    if (bom)
        fputs("\xEF\xBB\xBF", out);
    if (csv) {
        for (int c = 0; t->cols[c].key; c++)
            fprintf(out, "%s%s", c ? "," : "", t->cols[c].key);
        fputs("\r\n", out);
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *obj = csv ? NULL : json_object();
        /* a data column may hold a whole JSON object */
        char *buf = malloc(65536);

        if (buf == NULL || (!csv && obj == NULL)) {
            free(buf);
            json_decref(obj);
            err_set(err, _("out of memory"));
            return -1;
        }
        for (int c = 0; t->cols[c].key; c++) {
            json_t *v = cell(st, c, t->cols[c].type, buf, 65536);

            if (csv) {
                if (c)
                    fputc(',', out);
                csv_field(out, buf);
                json_decref(v);
            } else {
                json_object_set_new(obj, t->cols[c].key, v ? v : json_null());
            }
        }
        if (csv) {
            fputs("\r\n", out);
        } else {
            char *line = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER |
                                             JSON_ENSURE_ASCII |
                                             JSON_REAL_PRECISION(EXPORT_PRECISION));
            if (line)
                fprintf(out, "%s\n", line);
            free(line);
            json_decref(obj);
        }
        free(buf);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        err_set(err, _("database error: %s"), sqlite3_errmsg(store_db(s)));
        return -1;
    }
    return fflush(out) == 0 ? 0 : -1;
}
