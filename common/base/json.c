#include "base/json.h"

#include "base/utf8.h"

#include <inttypes.h>
#include <string.h>

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
            size_t k = utf8_seq_len(p + i, n - i);
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
