/* SPDX-License-Identifier: MIT */
/* main.c: smarkbot's command line; the only place that exits. */
#include <getopt.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jansson.h>
#include <libwebsockets.h>
#include <sqlite3.h>

#include "backup.h"
#include "bot.h"
#include "export.h"
#include "i18n.h"

#ifndef SMARKBOT_VERSION
#define SMARKBOT_VERSION "0.1.0"
#endif
#ifndef INIH_VERSION
#define INIH_VERSION ""
#endif
#ifndef LOCALEDIR
#define LOCALEDIR "/usr/local/share/locale"
#endif

static volatile sig_atomic_t stop_requested, reload_requested;

static void
on_signal(int sig)
{
    if (sig == SIGHUP)
        reload_requested = 1;
    else
        stop_requested = 1;
}

/* The libraries' versions as they run (inih has none at run time: the
 * one it was built against, from pkg-config, when known). */
static void
version(void)
{
    const curl_version_info_data *curl = curl_version_info(CURLVERSION_NOW);

    printf("smarkbot %s\n", SMARKBOT_VERSION);
    printf("libwebsockets %s\n", lws_get_library_version());
    printf("libcurl %s\n", curl ? curl->version : "?");
    printf("Jansson %s\n", jansson_version_str());
    printf("SQLite %s\n", sqlite3_libversion());
    if (INIH_VERSION[0])
        printf(_("inih %s (built against; inih has no run-time version)\n"), INIH_VERSION);
    else
        printf("%s\n", _("inih (no version: inih has none)"));
}

static void
usage(FILE *out)
{
    fprintf(out, _(
"usage: smarkbot [-c FILE] [--console] [--as USER] [--now TIME] [--check-config]\n"
"       smarkbot export leads|events|feedback [--format csv|jsonl] [--bom] [-c FILE]\n"
"       smarkbot backup FILE [-c FILE]\n"
"\n"
"A chat bot that aligns sales and marketing: lead handoffs with an SLA,\n"
"feedback on lead quality, alerts, meetings and a weekly digest.\n"
"\n"
"  -c, --config FILE  the INI file (default: ./smarkbot.ini if it exists;\n"
"                     see config.example.ini for every key); export, backup\n"
"                     and --check-config need one\n"
"      --console      use the terminal whatever [bot] platform says\n"
"      --as USER      in the console, who speaks lines without @user\n"
"      --now TIME     start the clock at TIME (2026-11-23T09:00, local time\n"
"                     unless it ends in Z or +01:00); it then moves only\n"
"                     by !advance\n"
"      --check-config check the config file and exit (0 = good): every\n"
"                     error, in line order, and a user in [roles] sales\n"
"  -f, --format FMT   export format: csv (default) or jsonl; amounts are in\n"
"                     the currency's units (12000.50) in both\n"
"      --bom          export: start the CSV with a UTF-8 byte order mark, so\n"
"                     that Excel reads accented names right\n"
"\n"
"backup FILE copies the database into FILE (SQLite's online backup: safe while\n"
"the bot runs; FILE is replaced only once the copy is complete and checked).\n"
"\n"
"  -V, --version      print the version and those of the libraries\n"
"  -h, --help         this help\n"
"\n"
"Console input: '[@user ]text', '/smk ...', '!click accept|reject <lead> [reason]',\n"
"'!advance <duration>', '!now'. Output: '> ' private reply, '[#channel] ' post,\n"
"'[@user] ' direct message.\n"
"\n"
"Platforms ([bot] platform): console, slack (Socket Mode), mattermost\n"
"(WebSocket + REST; slash commands and buttons on [http] listen).\n"
"\n"
"Signals: SIGHUP reopens [bot] log_file and reloads roles, channels, SLA and\n"
"schedule (the log says what needs a restart); SIGTERM and SIGINT finish what\n"
"is under way and exit 0.\n"
"\n"
"With [http] listen set: GET /healthz (200, or 503 with the reason) and\n"
"GET /metrics (Prometheus text format).\n"
"\n"
"Environment: SMARKBOT_SLACK_APP_TOKEN, SMARKBOT_SLACK_BOT_TOKEN,\n"
"SMARKBOT_MATTERMOST_TOKEN, SMARKBOT_MATTERMOST_COMMAND_TOKEN,\n"
"SMARKBOT_MATTERMOST_ACTION_SECRET, SMARKBOT_LEADS_SECRET,\n"
"SMARKBOT_WEBHOOK_SECRET and SMARKBOT_CRM_TOKEN win over the file.\n"));
}

int
main(int argc, char **argv)
{
    static const struct option opts[] = {
        { "config", required_argument, NULL, 'c' },
        { "console", no_argument, NULL, 'C' },
        { "as", required_argument, NULL, 'a' },
        { "now", required_argument, NULL, 'n' },
        { "check-config", no_argument, NULL, 'k' },
        { "format", required_argument, NULL, 'f' },
        { "bom", no_argument, NULL, 'b' },
        { "version", no_argument, NULL, 'V' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct bot bot = { 0 };
    struct err err = { 0 };
    const char *config_path = NULL, *now = NULL, *format = "csv",
               *export_what = NULL, *backup_file = NULL;
    bool console = false, check = false, exporting = false, bom = false, backing_up = false;
    int opt, status = 1;

    setlocale(LC_ALL, "");
    bindtextdomain("smarkbot", LOCALEDIR);
    textdomain("smarkbot");

    if (argc > 1 && (strcmp(argv[1], "export") == 0 || strcmp(argv[1], "backup") == 0)) {
        exporting = strcmp(argv[1], "export") == 0;
        backing_up = !exporting;
        argv++;
        argc--;
    }
    while ((opt = getopt_long(argc, argv, "c:f:Vh", opts, NULL)) != -1) {
        switch (opt) {
        case 'c': config_path = optarg; break;
        case 'C': console = true; break;
        case 'a': bot.console_user = optarg; break;
        case 'n': now = optarg; break;
        case 'k': check = true; break;
        case 'f': format = optarg; break;
        case 'b': bom = true; break;
        case 'V': version(); return 0;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (exporting) {
        if (optind != argc - 1) {
            fprintf(stderr, "%s\n", _("usage: smarkbot export leads|events|feedback [--format csv|jsonl] [--bom] [-c FILE]"));
            return 2;
        }
        export_what = argv[optind];
    } else if (backing_up) {
        if (optind != argc - 1) {
            fprintf(stderr, "%s\n", _("usage: smarkbot backup FILE [-c FILE]"));
            return 2;
        }
        backup_file = argv[optind];
    } else if (optind < argc) {
        fprintf(stderr, _("smarkbot: unexpected argument '%s'\n"), argv[optind]);
        usage(stderr);
        return 2;
    }
    if (config_path == NULL && access("smarkbot.ini", R_OK) == 0)
        config_path = "smarkbot.ini";
    /* a check or an export of the defaults would only check or export
     * something no one configured (and create an empty database) */
    if (config_path == NULL && (check || exporting || backing_up)) {
        fprintf(stderr, "smarkbot: %s\n",
                _("no config file: give one with -c FILE (or run where smarkbot.ini is)"));
        return 2;
    }
    if ((check ? config_load_ready : config_load)(&bot.cfg, config_path, &err) < 0) {
        /* every problem found, each on its own line */
        for (const char *p = err.msg; *p;) {
            size_t n = strcspn(p, "\n");

            fprintf(stderr, "smarkbot: %.*s\n", (int)n, p);
            p += n + (p[n] == '\n');
        }
        config_release(&bot.cfg);
        return 2;
    }
    /* after the config (its time zone reads the time), before anything
     * else: a bad --now stops every mode alike */
    if (now != NULL) {
        int64_t t;

        if (clock_parse_iso(now, &t, &err) < 0) {
            fprintf(stderr, "smarkbot: --now: %s\n", err.msg);
            config_release(&bot.cfg);
            return 2;
        }
        clock_set(&bot.clock, t);
    }
    if (check) {
        printf(_("%s: configuration is valid\n"), config_path);
        config_release(&bot.cfg);
        return 0;
    }
    if (backing_up) {
        if (backup_copy(bot.cfg.database, backup_file, &err) == 0)
            status = 0;
        else
            fprintf(stderr, "smarkbot: backup: %s\n", err.msg);
        config_release(&bot.cfg);
        return status;
    }
    if (export_what) {
        bot.store = export_open(bot.cfg.database, &err);
        if (bot.store && export_write(bot.store, export_what, format, bom, stdout, &err) == 0)
            status = 0;
        else
            fprintf(stderr, "smarkbot: %s\n", err.msg);
        store_free(bot.store);
        config_release(&bot.cfg);
        return status;
    }

    signal(SIGPIPE, SIG_IGN);
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    signal(SIGHUP, on_signal);
    bot.stop = &stop_requested;
    bot.hup = &reload_requested;
    if (bot_init(&bot, console, &err) < 0) {
        fprintf(stderr, "smarkbot: %s\n", err.msg);
        bot_release(&bot);
        return 1;
    }
    status = bot_run(&bot);
    bot_release(&bot);
    return status;
}
