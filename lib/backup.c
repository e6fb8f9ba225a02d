/* SPDX-License-Identifier: MIT */
/* backup.c: the online backup (see backup.h). */
#include "backup.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "i18n.h"

#define BACKUP_BUSY_MS 10000    /* the bot holds locks for one command at most */

/* Is dest the file src names (or one of its WAL files)? */
static bool
same_file(const char *src, const char *dest)
{
    struct stat a, b;
    size_t n = strlen(src);

    if (stat(src, &a) == 0 && stat(dest, &b) == 0 && a.st_dev == b.st_dev &&
        a.st_ino == b.st_ino)
        return true;
    return strncmp(dest, src, n) == 0 &&
           (strcmp(dest + n, "-wal") == 0 || strcmp(dest + n, "-shm") == 0);
}

static int
fail(struct err *err, sqlite3 *db, const char *what, int rc)
{
    err_set(err, "%s: %s", what, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    return -1;
}

/* Writes the directory of path to disk, so the rename survives a crash. */
static void
sync_dir(const char *path)
{
    char dir[PATH_MAX];
    const char *slash = strrchr(path, '/');
    int fd;

    if (slash == NULL)
        snprintf(dir, sizeof(dir), ".");
    else
        snprintf(dir, sizeof(dir), "%.*s", (int)(slash == path ? 1 : slash - path), path);
    if ((fd = open(dir, O_RDONLY | O_DIRECTORY)) >= 0) {
        fsync(fd);
        close(fd);
    }
}

int
backup_copy(const char *src, const char *dest, struct err *err)
{
    sqlite3 *from = NULL, *to = NULL;
    sqlite3_backup *b;
    char tmp[PATH_MAX], *msg = NULL;
    int rc, status = -1;

    if (access(src, F_OK) != 0) {
        err_set(err, _("database '%s' does not exist; is -c the bot's config file?"), src);
        return -1;
    }
    if (same_file(src, dest)) {
        err_set(err, _("the backup would overwrite the database itself: give another file"));
        return -1;
    }
    if (snprintf(tmp, sizeof(tmp), "%s.tmp-%ld", dest, (long)getpid()) >= (int)sizeof(tmp)) {
        err_set(err, _("backup file name too long"));
        return -1;
    }
    rc = sqlite3_open_v2(src, &from, SQLITE_OPEN_READONLY, NULL);
    if (rc != SQLITE_OK) {
        fail(err, from, src, rc);
        goto out;
    }
    sqlite3_busy_timeout(from, BACKUP_BUSY_MS);
    /* the copy is as private as the database (0600), whatever the umask */
    unlink(tmp);
    {
        int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

        if (fd < 0) {
            err_set(err, "%s: %s", dest, strerror(errno));
            goto out;
        }
        close(fd);
    }
    rc = sqlite3_open_v2(tmp, &to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc != SQLITE_OK) {
        fail(err, to, dest, rc);
        goto out;
    }
    sqlite3_busy_timeout(to, BACKUP_BUSY_MS);
    if ((b = sqlite3_backup_init(to, "main", from, "main")) == NULL) {
        fail(err, to, dest, SQLITE_ERROR);
        goto out;
    }
    /* every page in one step: one read transaction, one consistent copy;
     * a busy source (a checkpoint in progress) is tried again */
    for (int tries = 0; tries < 100; tries++) {
        rc = sqlite3_backup_step(b, -1);
        if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
            break;
        sqlite3_sleep(100);
    }
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) {
        fail(err, NULL, src, rc);
        goto out;
    }
    /* the copy is one self-contained file, checked before it replaces
     * the last one */
    if (sqlite3_exec(to, "PRAGMA journal_mode = DELETE", NULL, NULL, &msg) != SQLITE_OK) {
        err_set(err, "%s: %s", dest, msg ? msg : "journal_mode");
        goto out;
    }
    {
        sqlite3_stmt *st = NULL;
        bool good = false;

        if (sqlite3_prepare_v2(to, "PRAGMA quick_check", -1, &st, NULL) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW)
            good = strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0;
        sqlite3_finalize(st);
        if (!good) {
            err_set(err, _("the copy failed its integrity check; '%s' is left as it was"),
                    dest);
            goto out;
        }
    }
    if (sqlite3_close(to) != SQLITE_OK) {
        fail(err, to, dest, SQLITE_ERROR);
        goto out;
    }
    to = NULL;
    if (rename(tmp, dest) < 0) {
        err_set(err, "%s: %s", dest, strerror(errno));
        goto out;
    }
    sync_dir(dest);
    status = 0;
out:
    sqlite3_free(msg);
    if (to)
        sqlite3_close(to);
    sqlite3_close(from);
    if (status < 0)
        unlink(tmp);
    return status;
}
