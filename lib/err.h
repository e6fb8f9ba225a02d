/* SPDX-License-Identifier: MIT */
/* err.h: an error buffer that callers pass down, filled by the failing callee. */
#ifndef SMK_ERR_H
#define SMK_ERR_H

#include <stdbool.h>

struct err {
    bool set;
    char msg[2048];             /* room for a config's every error */
};

/* Fills err (if not NULL and not already set) from a printf format. The
 * first error wins, so the deepest, most precise message survives. */
void err_set(struct err *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Clears err for reuse. */
void err_clear(struct err *err);

#endif
