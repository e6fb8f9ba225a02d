/* SPDX-License-Identifier: MIT */
/* text.h: long texts into message-sized parts. Pure functions. */
#ifndef SMK_TEXT_H
#define SMK_TEXT_H

#include <stddef.h>

/* Largest n <= len that does not split a UTF-8 sequence of s. */
size_t text_utf8_floor(const char *s, size_t len);

/* How many characters (UTF-8 code points) s has: "Ł" is one. */
size_t text_utf8_len(const char *s);

/* s without the spaces, tabs and line ends around it (owned; NULL when out
 * of memory). */
char *text_trim(const char *s);

/* text cut to at most max bytes at a line end; dropped lines are counted
 * in a last line "... N more". Owned by the caller. */
char *text_cut(const char *text, size_t max);

/* Splits text into at most max_parts messages of at most max bytes each,
 * at blank lines where possible, else at line ends (a longer line is cut
 * at a UTF-8 boundary). What does not fit in max_parts is cut as by
 * text_cut. Returns how many parts; *parts (and each string) is owned
 * by the caller: text_parts_free. */
size_t text_split(const char *text, size_t max, size_t max_parts,
                      char ***parts);
void text_parts_free(char **parts, size_t n);

#endif
