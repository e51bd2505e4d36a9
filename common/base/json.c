#include "base/json.h"

#include <inttypes.h>
#include <string.h>

/* Length of the well-formed UTF-8 sequence at s[0..n), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    size_t k;
    unsigned char lo = 0x80, hi = 0xbf; /* range of the second byte */
    if (c < 0x80)
        return 1;
    if (c >= 0xc2 && c <= 0xdf)
        k = 2;
    else if (c >= 0xe0 && c <= 0xef)
        k = 3, lo = c == 0xe0 ? 0xa0 : 0x80, hi = c == 0xed ? 0x9f : 0xbf;
    else if (c >= 0xf0 && c <= 0xf4)
        k = 4, lo = c == 0xf0 ? 0x90 : 0x80, hi = c == 0xf4 ? 0x8f : 0xbf;
    else
        return 0;
    if (k > n || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < k; i++)
        if (s[i] < 0x80 || s[i] > 0xbf)
            return 0;
    return k;
}

void json_str(GString *out, const char *p, size_t n)
{
    const unsigned char *s = (const unsigned char *)p;
    g_string_append_c(out, '"');
    for (size_t i = 0; i < n;) {
        /* The run that needs no escaping goes in one append. */
        size_t run = i;
        while (run < n && s[run] >= 0x20 && s[run] < 0x80 && s[run] != '"' && s[run] != '\\')
            run++;
        if (run > i) {
            g_string_append_len(out, p + i, (gssize)(run - i));
            i = run;
            continue;
        }
        unsigned char c = s[i];
        if (c == '"' || c == '\\') {
            g_string_append_c(out, '\\');
            g_string_append_c(out, (char)c);
            i++;
        } else if (c < 0x20) {
            g_string_append_printf(out, "\\u%04x", c);
            i++;
        } else {
            size_t k = utf8_len(s + i, n - i);
            if (k) {
                g_string_append_len(out, p + i, (gssize)k);
                i += k;
            } else {
                g_string_append(out, "\\ufffd"); /* one replacement per bad byte */
                i++;
            }
        }
    }
    g_string_append_c(out, '"');
}

void json_cstr(GString *out, const char *s)
{
    json_str(out, s, strlen(s));
}

void json_sep(GString *out)
{
    char last = out->len ? out->str[out->len - 1] : 0;
    if (last && last != '{' && last != '[')
        g_string_append_c(out, ',');
}

void json_key(GString *out, const char *key)
{
    json_sep(out);
    json_cstr(out, key);
    g_string_append_c(out, ':');
}

void json_int(GString *out, int64_t v)
{
    g_string_append_printf(out, "%" PRId64, v);
}
