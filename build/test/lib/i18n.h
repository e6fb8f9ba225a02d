/* SPDX-License-Identifier: MIT */
/* i18n.h: gettext wrappers for every user-facing string. */
#ifndef SMK_I18N_H
#define SMK_I18N_H

#include <libintl.h>

/* Translate now. */
#define _(s) gettext(s)
/* Mark for translation; translated where it is used (static tables). */
#define N_(s) (s)

#endif
