/* SPDX-License-Identifier: MIT */
/* err.c: error buffers. */
#include "err.h"

#include <stdarg.h>
#include <stdio.h>

void
err_set(struct err *err, const char *fmt, ...)
{
    va_list ap;

    if (err == NULL || err->set)
        return;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
    va_end(ap);
    err->set = true;
}

void
err_clear(struct err *err)
{
    if (err == NULL)
        return;
    err->set = false;
    err->msg[0] = '\0';
}
