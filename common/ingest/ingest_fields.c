/* Checks of single record fields, with messages that name the field. */
#include "ingest/ingest.h"

#include "base/err.h"
#include "base/period.h"

#include <stdio.h>
#include <string.h>

static int missing_or(json_t *obj, const char *name, json_t **v, char *why, size_t cap)
{
    *v = json_object_get(obj, name);
    if (!*v || json_is_null(*v)) {
        snprintf(why, cap, "field \"%s\": missing", name);
        return CCHC_EINVAL;
    }
    return CCHC_OK;
}

int ingest_str(json_t *obj, const char *name, size_t max, const char **out, size_t *len, char *why,
               size_t cap)
{
    json_t *v;
    if (missing_or(obj, name, &v, why, cap))
        return CCHC_EINVAL;
    if (!json_is_string(v)) {
        snprintf(why, cap, "field \"%s\": must be a string", name);
        return CCHC_EINVAL;
    }
    size_t n = json_string_length(v);
    if (n == 0 || n > max) {
        snprintf(why, cap, "field \"%s\": must be 1..%zu bytes, has %zu", name, max, n);
        return CCHC_EINVAL;
    }
    const char *s = json_string_value(v);
    if (memchr(s, 0, n)) {
        snprintf(why, cap, "field \"%s\": contains a NUL character", name);
        return CCHC_EINVAL;
    }
    *out = s;
    if (len)
        *len = n;
    return CCHC_OK;
}

int ingest_enum(json_t *obj, const char *name, const char *const *allowed, const char **out,
                char *why, size_t cap)
{
    const char *s;
    size_t n;
    if (ingest_str(obj, name, 64, &s, &n, why, cap))
        return CCHC_EINVAL;
    for (const char *const *a = allowed; *a; a++)
        if (strcmp(s, *a) == 0) {
            *out = *a;
            return CCHC_OK;
        }
    int w = snprintf(why, cap, "field \"%s\": \"%.40s\" is not one of ", name, s);
    for (const char *const *a = allowed; *a && w > 0 && (size_t)w < cap; a++)
        w += snprintf(why + w, cap - (size_t)w, "%s%s", a == allowed ? "" : "|", *a);
    return CCHC_EINVAL;
}

int ingest_time(json_t *obj, const char *name, int64_t *ms, char *why, size_t cap)
{
    json_t *v;
    if (missing_or(obj, name, &v, why, cap))
        return CCHC_EINVAL;
    if (!json_is_string(v) ||
        cchc_time_parse(json_string_value(v), json_string_length(v), ms) != CCHC_OK) {
        snprintf(why, cap,
                 "field \"%s\": not an RFC 3339 time with offset (like "
                 "2022-03-01T08:30:00+07:00)",
                 name);
        return CCHC_EINVAL;
    }
    return CCHC_OK;
}

int ingest_bool(json_t *obj, const char *name, int *out, char *why, size_t cap)
{
    json_t *v;
    if (missing_or(obj, name, &v, why, cap))
        return CCHC_EINVAL;
    if (!json_is_boolean(v)) {
        snprintf(why, cap, "field \"%s\": must be true or false", name);
        return CCHC_EINVAL;
    }
    *out = json_is_true(v);
    return CCHC_OK;
}

int ingest_int(json_t *obj, const char *name, int64_t min, int64_t max, int64_t *out, char *why,
               size_t cap)
{
    json_t *v;
    if (missing_or(obj, name, &v, why, cap))
        return CCHC_EINVAL;
    if (!json_is_integer(v)) {
        snprintf(why, cap, "field \"%s\": must be an integer", name);
        return CCHC_EINVAL;
    }
    json_int_t n = json_integer_value(v);
    if (n < min || n > max) {
        if (min == 0 && n < 0)
            snprintf(why, cap, "field \"%s\": must not be negative", name);
        else
            snprintf(why, cap, "field \"%s\": must be between %lld and %lld", name, (long long)min,
                     (long long)max);
        return CCHC_EINVAL;
    }
    *out = n;
    return CCHC_OK;
}

int ingest_opt_bool(json_t *obj, const char *name, int def, int *out, char *why, size_t cap)
{
    json_t *v = json_object_get(obj, name);
    if (!v || json_is_null(v)) {
        *out = def;
        return CCHC_OK;
    }
    return ingest_bool(obj, name, out, why, cap);
}

int ingest_procedure(json_t *obj, const char *name, const char **out, size_t *len, char *why,
                     size_t cap)
{
    if (ingest_str(obj, name, 32, out, len, why, cap))
        return CCHC_EINVAL;
    for (size_t i = 0; i < *len; i++) {
        char c = (*out)[i];
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
              c == '.' || c == '-')) {
            snprintf(why, cap, "field \"%s\": \"%.32s\" is not a procedure code like 1.004227",
                     name, *out);
            return CCHC_EINVAL;
        }
    }
    return CCHC_OK;
}

int ingest_opt_time(json_t *obj, const char *name, int64_t *ms, int *has, char *why, size_t cap)
{
    json_t *v = json_object_get(obj, name);
    *has = v && !json_is_null(v);
    return *has ? ingest_time(obj, name, ms, why, cap) : CCHC_OK;
}
