/* The one JSON writer of cchc: service answers, reject logs, bus events
 * printed by cchc-tap, report JSON. It appends to a GString; reading JSON is
 * jansson's job.
 *
 * Strings are written one way everywhere: '"' and '\\' escaped, every byte
 * below 0x20 as \u00XX, well-formed UTF-8 as it is, and each byte of
 * ill-formed UTF-8 (Unicode table 3-7: overlongs, surrogates, over
 * U+10FFFF, cut short) as one \ufffd, so the output is always valid JSON
 * whatever the input. */
#ifndef CCHC_BASE_JSON_H
#define CCHC_BASE_JSON_H

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

/* p[0..n) as a JSON string, quotes included. */
void json_str(GString *out, const char *p, size_t n);
/* The same for a NUL-terminated s. */
void json_cstr(GString *out, const char *s);
/* A ',' unless the object or array was just opened. */
void json_sep(GString *out);
/* json_sep, then "key": */
void json_key(GString *out, const char *key);
void json_int(GString *out, int64_t v);

#endif
