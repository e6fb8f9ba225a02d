/* SPDX-License-Identifier: MIT */
/* unit.h: what every cmocka test includes (cmocka 1.1.5 needs these first). */
#ifndef SMK_UNIT_H
#define SMK_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#endif
