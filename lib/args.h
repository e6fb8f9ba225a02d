/* SPDX-License-Identifier: MIT */
/* args.h: splits a command line into words, "quoted strings" and key=value. */
#ifndef SMK_ARGS_H
#define SMK_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define ARGS_MAX 64

struct args {
    int argc;
    char **argv;        /* unquoted words, owned */
    bool *quoted;       /* word i was written in quotes: never key=value */
    char **argv_eol;    /* argv_eol[i]: words i.. joined by one space */
    char *eol_buf;      /* storage behind argv_eol */
};

/* Splits line. Quotes may be "straight" or “curly” (phones and Slack turn
 * one into the other); \" and \\ escape inside quotes; a quote may start
 * mid-word (note="a b"). Returns 0, or -1 for an unclosed quote or too
 * many words (err filled). */
int args_split(struct args *a, const char *line, struct err *err);
void args_release(struct args *a);

/* Removes the first n words (the command's name) so argv[0] is the first
 * argument. */
void args_shift(struct args *a, int n);

/* If word i is key=value (key of [a-z_] and not quoted), returns the value
 * (borrowed) and copies the key into key; otherwise NULL. */
const char *args_kv(const struct args *a, int i, char *key, size_t keylen);

/* A user reference: "<@U123>", "<@U123|name>" or "@name" gives "U123" or
 * "name" (owned), anything else NULL. */
char *args_user(const char *word);
/* A channel reference: "<#C123|name>" gives "C123", "#name" gives "name"
 * (owned), anything else NULL. */
char *args_channel(const char *word);

/* The number of an id like "L-12" with prefix 'L' (either case) or a bare
 * "12"; 0 for anything else. */
int64_t args_ref_id(const char *ref, char prefix);

/* Why args_fields() stopped. */
enum args_fields_result { ARGS_FIELDS_OK, ARGS_NOT_KV, ARGS_UNKNOWN_KEY, ARGS_TWICE };

/* Takes words from..argc, each key=value with a key of keys (a NULL-ended
 * list), into vals (same order; borrowed from a; unset ones untouched).
 * On anything else *bad is the offending word and the result says why. */
enum args_fields_result args_fields(const struct args *a, int from,
                                    const char *const keys[],
                                    const char *vals[], const char **bad);

/* A whole number written only in digits, from min to max, into *out.
 * Returns 0, or -1 for anything else (signs, spaces, "12.5", overflow). */
int args_number(const char *s, int64_t min, int64_t max, int64_t *out);

#endif
