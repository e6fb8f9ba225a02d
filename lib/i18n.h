/* SPDX-License-Identifier: MIT */
/* i18n.h: gettext wrappers for every user-facing string. */
#ifndef SMK_I18N_H
#define SMK_I18N_H

#include <libintl.h>

/* Translate now. */
#define _(s) gettext(s)
/* Translate a count's phrase with the plural forms of the language (Polish
 * has three): never `n == 1 ? _(a) : _(b)`. */
#define P_(one, many, n) ngettext((one), (many), (unsigned long)(n))
/* Mark for translation; translated where it is used (static tables). */
#define N_(s) (s)

#endif
