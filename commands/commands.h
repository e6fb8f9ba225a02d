/* SPDX-License-Identifier: MIT */
/* commands.h: the command table, the context a handler gets, and dispatch. */
#ifndef SMK_COMMANDS_H
#define SMK_COMMANDS_H

#include <stdbool.h>
#include <stdint.h>

#include "args.h"
#include "err.h"
#include "platform.h"
#include "strbuf.h"

struct bot;
struct config;
struct lead;

/* What a handler works with. Replies go through reply.h. */
struct cmd_ctx {
    struct bot *bot;
    const struct chat_msg *msg;
    const char *actor;          /* the speaker's user key (platform id) */
    int64_t now;                /* the clock, read once per command */
    struct strbuf *reply;       /* the private reply, built by reply_*() */
    struct err err;             /* a store failure, reported by dispatch */
};

/* A handler: argv[0] is the first argument after the command's name.
 * Returns 0 (the transaction commits) or -1 (refused or failed: it rolls
 * back, and the reply says why). */
typedef int (*cmd_fn)(struct cmd_ctx *ctx, const struct args *a);

struct command {
    const char *name;           /* "lead add": one or two words */
    cmd_fn fn;
    const char *usage;          /* arguments after the name */
    const char *help;           /* one line */
    int min_args, max_args;     /* max -1 = any */
    unsigned perm;              /* roles allowed (enum role); 0 = everyone */
    const char *perm_what;      /* "accept leads", for refusals */
    bool writes;                /* changes data (false: read-only) */
};

extern const struct command commands[];
extern const size_t ncommands;

/* Finds a command by its first one or two words; *nwords gets 1 or 2. */
const struct command *cmd_lookup(const struct args *a, int *nwords);

/* Runs the command line a (already split) said by ctx->actor: lookup,
 * arity, permission, then the handler in one transaction. Returns 0 or -1
 * (the reply says why). */
int cmd_dispatch(struct cmd_ctx *ctx, struct args *a);

/* Replies "usage: /smk <name> <usage>" for cmd. Returns -1. */
int cmd_usage(struct cmd_ctx *ctx, const struct command *cmd);

/* Is the speaker the user with key (id or name)? */
bool cmd_is_speaker(const struct cmd_ctx *ctx, const char *key);
/* Does the speaker hold one of the roles of mask? */
bool cmd_has_role(const struct cmd_ctx *ctx, unsigned mask);

/* Loads the lead named by ref into l, or replies "no lead L-99" and
 * returns -1. */
int cmd_find_lead(struct cmd_ctx *ctx, const char *ref, struct lead *l);

/* Refuses a move the stage machine does not allow, naming the lead's stage:
 * "L-3 is sql; only handed_off leads can be accepted". Returns 0 when
 * action is legal from l's stage, else -1 (replied). */
int cmd_lead_can(struct cmd_ctx *ctx, const struct lead *l, const char *action);

/* What accept and reject both check: loads the lead named by ref into l,
 * refuses an illegal move and anyone but the assigned rep or a manager. A
 * button pressed after the lead moved on (a double click, a card a
 * colleague answered) gets a polite "L-3 was already accepted by @bob"
 * rather than a refusal. Returns 1 to go on, 0 when that polite reply is
 * all there is to do, -1 refused or failed. */
int cmd_answer_lead(struct cmd_ctx *ctx, const char *ref, const char *action,
                    struct lead *l);

/* Refuses a reason that is not one of [sla] reasons, listing them:
 * "reason must be one of: budget authority ...". The match ignores case;
 * *code gets the configured spelling (borrowed from the config). Returns 0
 * or -1. */
int cmd_reason(struct cmd_ctx *ctx, const char *reason, const char **code);
/* The reason codes of cfg, "budget authority ...", appended to out. */
void cmd_reason_list(const struct config *cfg, struct strbuf *out);

/* A rating word: "1".."5", "good" (4) or "bad" (2) into *rating, or the
 * refusal "rating must be 1 to 5, good or bad". Returns 0 or -1. */
int cmd_rating(struct cmd_ctx *ctx, const char *word, int *rating);

/* Reads word as an amount of money (lead_parse_money with [bot]
 * currency) into *cents, or replies why it is none: "'$5,000': no currency
 * is set ...". Returns 0 or -1 (replied). */
int cmd_money(struct cmd_ctx *ctx, const char *word, int64_t *cents);

/* The optional amount at word i of the command called name (`won`): an
 * amount-like word ("12k", "$5,000", "-500", "USD 5000") is read into
 * *cents, or refused with the reason and the command's usage, never left
 * to become a note. *next is the first word after it (i when there was
 * none). Returns 0 or -1 (replied). */
int cmd_amount(struct cmd_ctx *ctx, const char *name, const struct args *a, int i,
               int64_t *cents, int *next);

/* The optional until=<date> of reject and lost, right after the reason
 * (word i): the date into day ("" when there is none) and *next the first
 * word of the note. An until= anywhere else is refused rather than kept
 * in the note. Returns 0 or -1 (replied). */
int cmd_until(struct cmd_ctx *ctx, const char *name, const struct args *a, int i,
              char day[11], int *next);

/* Replies the usage of the command called name. Returns -1. */
int cmd_usage_named(struct cmd_ctx *ctx, const char *name);

/* Longest note or comment kept with a change. */
#define CMD_NOTE_MAX 1000

/* The free text from argument i on (a note, a comment) into *note
 * (borrowed from a), NULL when there is none. Refuses one longer than
 * CMD_NOTE_MAX. Returns 0 or -1 (replied). */
int cmd_note(struct cmd_ctx *ctx, const struct args *a, int i,
             const char **note);

/* Creates an MQL named name with the fields keys[i]=values[i] (company,
 * email, score, the qualification ...), refusing what `lead add` refuses
 * (a blank name, a bad score or email, a duplicate email, an unknown key)
 * with the reason in the reply. Inside the caller's transaction; the lead's
 * id into *id (may be NULL). Returns 0 or -1 (replied, or ctx->err). */
int cmd_lead_create(struct cmd_ctx *ctx, const char *name, int n,
                    const char *const keys[], const char *const values[],
                    int64_t *id);

/* Handlers, one file each under commands/. */
int cmd_accept(struct cmd_ctx *ctx, const struct args *a);
int cmd_alignment(struct cmd_ctx *ctx, const struct args *a);
int cmd_campaign_add(struct cmd_ctx *ctx, const struct args *a);
int cmd_campaign_list(struct cmd_ctx *ctx, const struct args *a);
int cmd_content_add(struct cmd_ctx *ctx, const struct args *a);
int cmd_content_list(struct cmd_ctx *ctx, const struct args *a);
int cmd_content_rate(struct cmd_ctx *ctx, const struct args *a);
int cmd_content_remove(struct cmd_ctx *ctx, const struct args *a);
int cmd_digest_post(struct cmd_ctx *ctx, const struct args *a);
int cmd_digest_preview(struct cmd_ctx *ctx, const struct args *a);
int cmd_feedback(struct cmd_ctx *ctx, const struct args *a);
int cmd_followup(struct cmd_ctx *ctx, const struct args *a);
int cmd_funnel(struct cmd_ctx *ctx, const struct args *a);
int cmd_glossary(struct cmd_ctx *ctx, const struct args *a);
int cmd_glossary_remove(struct cmd_ctx *ctx, const struct args *a);
int cmd_glossary_set(struct cmd_ctx *ctx, const struct args *a);
int cmd_goal_add(struct cmd_ctx *ctx, const struct args *a);
int cmd_goal_list(struct cmd_ctx *ctx, const struct args *a);
int cmd_goal_remove(struct cmd_ctx *ctx, const struct args *a);
int cmd_handoff(struct cmd_ctx *ctx, const struct args *a);
int cmd_help(struct cmd_ctx *ctx, const struct args *a);
int cmd_lead_add(struct cmd_ctx *ctx, const struct args *a);
int cmd_lead_edit(struct cmd_ctx *ctx, const struct args *a);
int cmd_lead_show(struct cmd_ctx *ctx, const struct args *a);
int cmd_leads(struct cmd_ctx *ctx, const struct args *a);
int cmd_lost(struct cmd_ctx *ctx, const struct args *a);
int cmd_more(struct cmd_ctx *ctx, const struct args *a);
int cmd_meeting_add(struct cmd_ctx *ctx, const struct args *a);
int cmd_meeting_list(struct cmd_ctx *ctx, const struct args *a);
int cmd_meeting_notes(struct cmd_ctx *ctx, const struct args *a);
int cmd_meeting_remove(struct cmd_ctx *ctx, const struct args *a);
int cmd_meeting_skip(struct cmd_ctx *ctx, const struct args *a);
int cmd_meeting_topic(struct cmd_ctx *ctx, const struct args *a);
int cmd_persona_add(struct cmd_ctx *ctx, const struct args *a);
int cmd_persona_edit(struct cmd_ctx *ctx, const struct args *a);
int cmd_persona_list(struct cmd_ctx *ctx, const struct args *a);
int cmd_persona_remove(struct cmd_ctx *ctx, const struct args *a);
int cmd_persona_reviewed(struct cmd_ctx *ctx, const struct args *a);
int cmd_reasons(struct cmd_ctx *ctx, const struct args *a);
int cmd_reject(struct cmd_ctx *ctx, const struct args *a);
int cmd_reopen(struct cmd_ctx *ctx, const struct args *a);
int cmd_sla(struct cmd_ctx *ctx, const struct args *a);
int cmd_sla_set(struct cmd_ctx *ctx, const struct args *a);
int cmd_won(struct cmd_ctx *ctx, const struct args *a);

#endif
