/* SPDX-License-Identifier: MIT */
/* fuzz_text.c: libFuzzer target for lib/text.c, which cuts every long
 * reply into message-sized parts on every platform: text_split, text_cut,
 * text_trim and the UTF-8 helpers. Parts must respect max (for a max
 * that leaves room for the "... N more" line) and never split a UTF-8
 * sequence of valid text.
 *
 * Input: two bytes for max, one for max_parts, then the text. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text, *s, **parts = NULL;
    size_t max, max_parts, n, len;

    if (size < 3)
        return 0;
    max = ((size_t)data[0] << 8 | data[1]) % 4096;
    max_parts = data[2] % 10;
    text = malloc(size - 2);
    if (text == NULL)
        return 0;
    memcpy(text, data + 3, size - 3);
    text[size - 3] = '\0';
    len = strlen(text);

    n = text_split(text, max, max_parts, &parts);
    if (n > (max_parts ? max_parts : 1))
        abort();
    for (size_t i = 0; i < n; i++) {
        if (parts[i] == NULL)
            abort();
        if (max >= 64 && strlen(parts[i]) > max)
            abort();
    }
    /* text that fits is one part, as it is (leading line ends are dropped) */
    if (max > 0 && max_parts > 0 && len > 0 && len <= max && text[0] != '\n' &&
        (n != 1 || strcmp(parts[0], text) != 0))
        abort();
    text_parts_free(parts, n);

    s = text_cut(text, max);
    if (s == NULL || (max >= 64 && strlen(s) > max) ||
        (len <= max && strcmp(s, text) != 0))
        abort();
    free(s);

    s = text_trim(text);
    if (s == NULL || strlen(s) > len)
        abort();
    free(s);

    if (text_utf8_len(text) > len)
        abort();
    if (text_utf8_floor(text, len / 2) > len / 2)
        abort();
    free(text);
    return 0;
}
