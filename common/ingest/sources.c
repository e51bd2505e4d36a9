#include "ingest/sources.h"

#include "base/err.h"

#include <errno.h>
#include <glib.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TYPES_MAX 32

struct sources {
    GPtrArray *all; /* struct source * (owned) */
};

static const char *const services[] = {"dossier", "staffing", "finance", "egov", NULL};

static void source_free(gpointer p)
{
    struct source *s = p;
    g_free(s->posts);
    g_free(s->units_text);
    g_free(s->roots);
    g_free(s);
}

void sources_free(struct sources *s)
{
    if (!s)
        return;
    g_ptr_array_free(s->all, TRUE);
    g_free(s);
}

size_t sources_count(const struct sources *s)
{
    return s->all->len;
}

const struct source *sources_get(const struct sources *s, size_t i)
{
    return g_ptr_array_index(s->all, (guint)i);
}

static int bad(char *why, size_t cap, const char *file, int line, const char *field,
               const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static int bad(char *why, size_t cap, const char *file, int line, const char *field,
               const char *fmt, ...)
{
    char msg[384];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (field)
        snprintf(why, cap, "%s line %d field \"%s\": %s (ops/README.md, \"Sources and tokens\")",
                 file, line, field, msg);
    else
        snprintf(why, cap, "%s line %d: %s (ops/README.md, \"Sources and tokens\")", file, line,
                 msg);
    return CCHC_EINVAL;
}

static int name_ok(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > SOURCE_NAME_MAX)
        return 0;
    for (; *s; s++)
        if (!g_ascii_isalnum(*s) && *s != '.' && *s != '_' && *s != '-')
            return 0;
    return 1;
}

static int type_ok(const char *s)
{
    if (!*s || strlen(s) > 64)
        return 0;
    for (; *s; s++)
        if (!(*s >= 'a' && *s <= 'z') && *s != '_')
            return 0;
    return 1;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

/* POSTS: each entry `service.type` or `service.*`. */
static int parse_posts(struct source *src, const char *text, const char *service,
                       const char *const *types, const char *file, int line, char *why, size_t cap)
{
    gchar **items = g_strsplit(text, ",", -1);
    int rc = CCHC_OK;
    for (gchar **it = items; *it && rc == CCHC_OK; it++) {
        const char *dot = strchr(*it, '.');
        if (!**it || !dot) {
            rc = bad(why, cap, file, line, "posts", "\"%s\": want service.type or service.*", *it);
            break;
        }
        char svc[32];
        snprintf(svc, sizeof svc, "%.*s", (int)(dot - *it), *it);
        const char *type = dot + 1;
        int known = 0;
        for (int i = 0; services[i]; i++)
            known |= strcmp(services[i], svc) == 0;
        if (!known || (size_t)(dot - *it) >= sizeof svc)
            rc = bad(why, cap, file, line, "posts",
                     "\"%s\": unknown service (dossier, staffing, finance, egov)", *it);
        else if (strcmp(type, "*") != 0 && !type_ok(type))
            rc = bad(why, cap, file, line, "posts",
                     "\"%s\": want a record type ([a-z_]) or * after the service", *it);
        else if (strcmp(svc, service) == 0) {
            int found = 0;
            for (int i = 0; types[i]; i++)
                if (strcmp(type, "*") == 0 || strcmp(type, types[i]) == 0) {
                    src->types |= 1u << i;
                    found = 1;
                }
            if (!found)
                rc = bad(why, cap, file, line, "posts", "\"%s\": %s takes no record type \"%s\"",
                         *it, service, type);
        }
    }
    g_strfreev(items);
    return rc;
}

static int parse_units(struct source *src, const char *text, const struct units *units,
                       const char *file, int line, char *why, size_t cap)
{
    if (strcmp(text, "*") == 0) {
        src->nroots = -1;
        return CCHC_OK;
    }
    gchar **items = g_strsplit(text, ",", -1);
    guint n = g_strv_length(items);
    src->roots = g_new(int, n);
    int rc = CCHC_OK;
    for (guint i = 0; i < n && rc == CCHC_OK; i++) {
        int u = *items[i] ? units_find(units, items[i], strlen(items[i])) : -1;
        if (u < 0)
            rc = bad(why, cap, file, line, "units",
                     "\"%s\": not a unit of the registry (or * for every unit)", items[i]);
        src->roots[src->nroots++] = u;
    }
    g_strfreev(items);
    return rc;
}

static int parse_line(struct sources *s, char *text, const struct units *units, const char *service,
                      const char *const *types, const char *file, int line, char *why, size_t cap)
{
    gchar **f = g_strsplit_set(text, " \t", -1);
    const char *field[5];
    int nf = 0, rc = CCHC_OK;
    for (gchar **p = f; *p; p++)
        if (**p) {
            if (nf == 5) {
                nf++;
                break;
            }
            field[nf++] = *p;
        }
    struct source *src = g_new0(struct source, 1);
    if (nf != 4 && nf != 5) {
        rc = bad(why, cap, file, line, NULL,
                 "want 4 fields separated by blanks: NAME sha256:HEX POSTS UNITS (and "
                 "budget=P%% if any)");
        goto cleanup;
    }
    if (nf == 5) {
        const char *b = field[4];
        char *end = NULL;
        unsigned long pct = 0;
        if (strncmp(b, "budget=", 7) == 0 && g_ascii_isdigit(b[7])) {
            errno = 0;
            pct = strtoul(b + 7, &end, 10);
        }
        if (!end || strcmp(end, "%") != 0 || errno || pct < 1 || pct > 100) {
            rc = bad(why, cap, file, line, "budget",
                     "\"%s\": want budget=P%% with P a whole number 1..100 (the source's share "
                     "of each service's budgets)",
                     b);
            goto cleanup;
        }
        src->budget_pct = (unsigned)pct;
    }
    if (!name_ok(field[0])) {
        rc = bad(why, cap, file, line, "name", "\"%s\": want 1..%d of [A-Za-z0-9._-]", field[0],
                 SOURCE_NAME_MAX);
        goto cleanup;
    }
    /* A name twice is a rotation: a second token for the same scope. */
    for (guint i = 0; i < s->all->len; i++) {
        const struct source *o = g_ptr_array_index(s->all, i);
        if (strcmp(o->name, field[0]) == 0 &&
            (strcmp(o->posts, field[2]) != 0 || strcmp(o->units_text, field[3]) != 0 ||
             o->budget_pct != src->budget_pct)) {
            rc = bad(why, cap, file, line, "name",
                     "\"%s\" appears twice with another scope or budget (two lines of a name "
                     "are a token rotation: the same POSTS, UNITS and budget)",
                     field[0]);
            goto cleanup;
        }
    }
    snprintf(src->name, sizeof src->name, "%s", field[0]);
    const char *h = field[1];
    int hex_ok = strncmp(h, "sha256:", 7) == 0 && strlen(h + 7) == 64;
    for (int i = 0; hex_ok && i < 32; i++) {
        int hi = hexval(h[7 + 2 * i]), lo = hexval(h[8 + 2 * i]);
        hex_ok = hi >= 0 && lo >= 0;
        if (hex_ok)
            src->hash[i] = (uint8_t)(hi << 4 | lo);
    }
    if (!hex_ok) {
        rc = bad(why, cap, file, line, "hash",
                 "want sha256: and 64 lowercase hex digits (the SHA-256 of the token)");
        goto cleanup;
    }
    for (guint i = 0; i < s->all->len; i++)
        if (sodium_memcmp(((struct source *)g_ptr_array_index(s->all, i))->hash, src->hash, 32) ==
            0) {
            rc = bad(why, cap, file, line, "hash", "the same token as source %s",
                     ((struct source *)g_ptr_array_index(s->all, i))->name);
            goto cleanup;
        }
    if ((rc = parse_posts(src, field[2], service, types, file, line, why, cap)) ||
        (rc = parse_units(src, field[3], units, file, line, why, cap)))
        goto cleanup;
    src->posts = g_strdup(field[2]);
    src->units_text = g_strdup(field[3]);
    g_ptr_array_add(s->all, src);
    src = NULL;
cleanup:
    if (src)
        source_free(src);
    g_strfreev(f);
    return rc;
}

int sources_load_text(const char *name, const char *text, const struct units *units,
                      const char *service, const char *const *types, struct sources **out,
                      char *why, size_t cap)
{
    if (sodium_init() < 0) {
        snprintf(why, cap, "libsodium cannot start");
        return CCHC_EIO;
    }
    int ntypes = 0;
    while (types[ntypes])
        ntypes++;
    if (ntypes > TYPES_MAX) {
        snprintf(why, cap, "service %s: more than %d record types", service, TYPES_MAX);
        return CCHC_EINVAL;
    }
    struct sources *s = g_new0(struct sources, 1);
    s->all = g_ptr_array_new_with_free_func(source_free);
    gchar **lines = g_strsplit(text, "\n", -1);
    int rc = CCHC_OK;
    for (int i = 0; lines[i] && rc == CCHC_OK; i++) {
        char *l = g_strstrip(lines[i]);
        if (!*l || *l == '#')
            continue;
        rc = parse_line(s, l, units, service, types, name, i + 1, why, cap);
    }
    g_strfreev(lines);
    /* The budgets of the sources that may post here: at most the whole. */
    unsigned pct = 0, equal = 0;
    for (guint i = 0; rc == CCHC_OK && i < s->all->len; i++) {
        const struct source *src = g_ptr_array_index(s->all, i);
        int first = 1;
        for (guint k = 0; k < i; k++)
            first &=
                strcmp(((const struct source *)g_ptr_array_index(s->all, k))->name, src->name) != 0;
        if (first && src->types) {
            pct += src->budget_pct;
            equal += src->budget_pct == 0;
        }
    }
    if (rc == CCHC_OK && pct > 100) {
        snprintf(why, cap,
                 "%s: the sources that may post to %s have budget= adding up to %u%% (at most "
                 "100%%) (ops/README.md, \"Sources and tokens\")",
                 name, service, pct);
        rc = CCHC_EINVAL;
    }
    if (rc == CCHC_OK && pct == 100 && equal) {
        snprintf(why, cap,
                 "%s: the sources that may post to %s with budget= take 100%%, which leaves "
                 "nothing to the %u without one (ops/README.md, \"Sources and tokens\")",
                 name, service, equal);
        rc = CCHC_EINVAL;
    }
    if (rc == CCHC_OK && s->all->len == 0) {
        snprintf(why, cap, "%s: no source in it (ops/README.md, \"Sources and tokens\")", name);
        rc = CCHC_EINVAL;
    }
    if (rc) {
        sources_free(s);
        return rc;
    }
    *out = s;
    return CCHC_OK;
}

int sources_load(const char *path, const struct units *units, const char *service,
                 const char *const *types, struct sources **out, char *why, size_t cap)
{
    gchar *text = NULL;
    GError *err = NULL;
    if (!g_file_get_contents(path, &text, NULL, &err)) {
        snprintf(why, cap, "sources file %s: %s", path, err->message);
        g_error_free(err);
        return CCHC_EIO;
    }
    int rc = sources_load_text(path, text, units, service, types, out, why, cap);
    g_free(text);
    return rc;
}

const struct source *sources_check_token(const struct sources *s, const char *token, size_t n)
{
    if (n != SOURCE_TOKEN_LEN)
        return NULL;
    uint8_t h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)token, n);
    const struct source *found = NULL;
    for (guint i = 0; i < s->all->len; i++) {
        const struct source *src = g_ptr_array_index(s->all, i);
        if (sodium_memcmp(src->hash, h, sizeof h) == 0)
            found = src;
    }
    return found;
}

int source_may_unit(const struct source *src, const struct units *units, int unit)
{
    if (src->nroots < 0)
        return 1;
    for (int u = unit; u >= 0; u = units_parent(units, u))
        for (int i = 0; i < src->nroots; i++)
            if (src->roots[i] == u)
                return 1;
    return 0;
}

int sources_within(const struct sources *s, const struct units *units, const int *roots, int n,
                   char *why, size_t why_cap)
{
    if (n < 0)
        return CCHC_OK;
    struct source bus = {.roots = (int *)roots, .nroots = n};
    for (guint i = 0; i < s->all->len; i++) {
        const struct source *src = g_ptr_array_index(s->all, i);
        int ok = src->nroots >= 0;
        for (int k = 0; ok && k < src->nroots; k++)
            ok = source_may_unit(&bus, units, src->roots[k]);
        if (!ok) {
            snprintf(why, why_cap,
                     "source %s may post for %s, but this service's bus key speaks only for "
                     "some of it: records there would be acknowledged and never counted (narrow "
                     "its UNITS, or widen the publisher's units= in the bus keys)",
                     src->name, src->units_text);
            return CCHC_EINVAL;
        }
    }
    return CCHC_OK;
}
