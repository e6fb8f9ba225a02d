/* SPDX-License-Identifier: MIT */
/* glossary.h: the shared vocabulary; terms are matched without case. */
#ifndef SMK_GLOSSARY_H
#define SMK_GLOSSARY_H

#include <stdint.h>

#include "err.h"
#include "store.h"
#include "strbuf.h"

/* Looks term up. On 1, *name (the term as written when defined) and *def
 * are owned by the caller; 0 when the term is not defined; -1 on error. */
int glossary_get(struct store *s, const char *term, char **name, char **def,
                 struct err *err);

/* Defines or redefines term (its spelling becomes the new one). */
int glossary_set(struct store *s, const char *term, const char *def,
                 const char *actor, int64_t now, struct err *err);

/* Removes term: 1 removed, 0 it was not there, -1 error. */
int glossary_remove(struct store *s, const char *term, struct err *err);

/* Appends "Term: definition" lines in alphabetical order; returns the
 * number of terms, or -1. */
int glossary_list(struct store *s, struct strbuf *out, struct err *err);

#endif
