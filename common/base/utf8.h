/* UTF-8 as cchc checks it, for the writers that must never pass on bytes
 * that are not text (the JSON writer, the report's headings). Reading
 * records, g_utf8_validate does the same check. */
#ifndef CCHC_BASE_UTF8_H
#define CCHC_BASE_UTF8_H

#include <stddef.h>

/* Length of the well-formed UTF-8 sequence at s[0..n) (Unicode table 3-7:
 * no overlongs, no surrogates, nothing over U+10FFFF), or 0. n >= 1. */
size_t utf8_seq_len(const char *s, size_t n);

#endif
