#include "store/store.h"

#include "base/err.h"

#include <glib.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct store {
    redisContext *c;
    char *host, *path; /* one of them is set */
    int port, db, timeout_ms;
    char *user, *pass;   /* AUTH after connecting, when pass is set */
    char *password_file; /* where pass is read from, when set */
    int err;
    char errstr[512];
};

static int fail(struct store *s, int err, const char *what)
{
    s->err = err;
    snprintf(s->errstr, sizeof s->errstr, "%s", what);
    return err;
}

/* A decimal number in [min, max] that is the whole of p[0..n). */
static int number(const char *p, size_t n, long min, long max, int *out)
{
    long v = 0;
    if (n == 0 || n > 6)
        return CCHC_EINVAL;
    for (size_t i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return CCHC_EINVAL;
        v = v * 10 + (p[i] - '0');
    }
    if (v < min || v > max)
        return CCHC_EINVAL;
    *out = (int)v;
    return CCHC_OK;
}

#define DB_MAX 65535

/* p[0..n) with %XX decoded; NULL for a bad escape. */
static char *decode(const char *p, size_t n)
{
    GString *out = g_string_sized_new(n);
    for (size_t i = 0; i < n; i++) {
        if (p[i] != '%') {
            g_string_append_c(out, p[i]);
            continue;
        }
        int hi = i + 2 < n ? g_ascii_xdigit_value(p[i + 1]) : -1;
        int lo = i + 2 < n ? g_ascii_xdigit_value(p[i + 2]) : -1;
        if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
            g_string_free(out, TRUE);
            return NULL;
        }
        g_string_append_c(out, (char)(hi * 16 + lo));
        i += 2;
    }
    return g_string_free(out, FALSE);
}

/* "k=v&k=v": db (unix:// only; redis:// has it in the path), user,
 * password_file. */
static int parse_query(struct store *s, const char *q, int db_allowed)
{
    int rc = CCHC_OK;
    gchar **kv = g_strsplit(q, "&", -1);
    for (gchar **e = kv; *e && rc == CCHC_OK; e++) {
        const char *eq = strchr(*e, '='), *v = eq ? eq + 1 : "";
        size_t k = eq ? (size_t)(eq - *e) : strlen(*e);
        if (db_allowed && k == 2 && strncmp(*e, "db", 2) == 0)
            rc = number(v, strlen(v), 0, DB_MAX, &s->db);
        else if (k == 4 && strncmp(*e, "user", 4) == 0 && *v && !s->user)
            rc = (s->user = decode(v, strlen(v))) ? CCHC_OK : CCHC_EINVAL;
        else if (k == 13 && strncmp(*e, "password_file", 13) == 0 && *v && !s->password_file)
            s->password_file = g_strdup(v);
        else
            rc = CCHC_EINVAL;
    }
    g_strfreev(kv);
    return rc;
}

static int parse_url(struct store *s, const char *url)
{
    const char *q = strchr(url, '?');
    if (strncmp(url, "unix://", 7) == 0) {
        const char *p = url + 7;
        size_t n = q ? (size_t)(q - p) : strlen(p);
        if (n < 2 || p[0] != '/')
            return CCHC_EINVAL; /* an absolute path */
        if (q && parse_query(s, q + 1, 1))
            return CCHC_EINVAL;
        s->path = g_strndup(p, n);
        return CCHC_OK;
    }
    if (strncmp(url, "redis://", 8) == 0) {
        const char *p = url + 8, *end = q ? q : p + strlen(p);
        const char *slash = memchr(p, '/', (size_t)(end - p)), *hostport_end = slash ? slash : end;
        /* [user[:password]@]: the last '@' before the path */
        const char *at = NULL;
        for (const char *c = p; c < hostport_end; c++)
            if (*c == '@')
                at = c;
        if (at) {
            const char *colon = memchr(p, ':', (size_t)(at - p));
            size_t ulen = colon ? (size_t)(colon - p) : (size_t)(at - p);
            if (ulen && !(s->user = decode(p, ulen)))
                return CCHC_EINVAL;
            if (colon && !(s->pass = decode(colon + 1, (size_t)(at - colon - 1))))
                return CCHC_EINVAL;
            p = at + 1;
        }
        const char *colon = memchr(p, ':', (size_t)(hostport_end - p));
        const char *hend = colon ? colon : hostport_end;
        if (hend == p)
            return CCHC_EINVAL;
        s->port = 6379;
        if (colon && number(colon + 1, (size_t)(hostport_end - colon - 1), 1, 65535, &s->port))
            return CCHC_EINVAL;
        if (slash && slash + 1 < end &&
            number(slash + 1, (size_t)(end - slash - 1), 0, DB_MAX, &s->db))
            return CCHC_EINVAL;
        if (q && parse_query(s, q + 1, 0))
            return CCHC_EINVAL;
        s->host = g_strndup(p, (size_t)(hend - p));
        return CCHC_OK;
    }
    return CCHC_EINVAL;
}

/* The password from its file: the first line. */
static int read_password(struct store *s, char *why, size_t cap)
{
    gchar *text = NULL;
    GError *e = NULL;
    if (!g_file_get_contents(s->password_file, &text, NULL, &e)) {
        snprintf(why, cap, "redis password file: %s", e->message);
        g_error_free(e);
        return CCHC_EINVAL;
    }
    text[strcspn(text, "\r\n")] = 0;
    if (!*text) {
        snprintf(why, cap, "redis password file %s: empty", s->password_file);
        g_free(text);
        return CCHC_EINVAL;
    }
    g_free(s->pass);
    s->pass = text;
    return CCHC_OK;
}

void store_url_shown(const char *url, char *out, size_t cap)
{
    const char *p = strstr(url, "://"), *at = p ? strchr(p + 3, '@') : NULL;
    const char *slash = p ? strchr(p + 3, '/') : NULL;
    const char *colon = at ? memchr(p + 3, ':', (size_t)(at - p - 3)) : NULL;
    if (!colon || (slash && slash < at))
        snprintf(out, cap, "%s", url);
    else
        snprintf(out, cap, "%.*s:***%s", (int)(colon - url), url, at);
}

void store_abandon(struct store *s, const char *why)
{
    if (s->c)
        redisFree(s->c);
    s->c = NULL;
    char msg[200];
    snprintf(msg, sizeof msg, "connection dropped: %s", why);
    fail(s, CCHC_EREDIS, msg);
}

int store_reconnect(struct store *s)
{
    if (s->c)
        redisFree(s->c);
    struct timeval tv = {s->timeout_ms / 1000, (s->timeout_ms % 1000) * 1000};
    s->c = s->path ? redisConnectUnixWithTimeout(s->path, tv)
                   : redisConnectWithTimeout(s->host, s->port, tv);
    if (!s->c)
        g_error("out of memory: cannot allocate a redis context"); /* aborts, like g_malloc */
    if (s->c->err) {
        char why[300], where[128];
        if (s->path)
            snprintf(where, sizeof where, "%s", s->path);
        else
            snprintf(where, sizeof where, "%s:%d", s->host, s->port);
        snprintf(why, sizeof why, "redis %s: %s", where, s->c->errstr);
        redisFree(s->c);
        s->c = NULL;
        return fail(s, CCHC_EREDIS, why);
    }
    redisSetTimeout(s->c, tv);
    s->err = 0;
    s->errstr[0] = 0;
    if (s->pass) {
        redisReply *r;
        int rc = s->user ? store_command(s, &r, "AUTH %s %s", s->user, s->pass)
                         : store_command(s, &r, "AUTH %s", s->pass);
        if (rc)
            return rc;
        char why[300];
        snprintf(why, sizeof why, "redis AUTH as %s: %s", s->user ? s->user : "default",
                 r->type == REDIS_REPLY_ERROR ? r->str : "refused");
        int bad = r->type == REDIS_REPLY_ERROR;
        freeReplyObject(r);
        if (bad) {
            redisFree(s->c);
            s->c = NULL;
            return fail(s, CCHC_EREDIS, why);
        }
    }
    if (s->db) {
        redisReply *r;
        int rc = store_command(s, &r, "SELECT %d", s->db);
        if (rc)
            return rc;
        int bad = r->type == REDIS_REPLY_ERROR;
        freeReplyObject(r);
        if (bad)
            return fail(s, CCHC_EREDIS, "SELECT failed");
    }
    return CCHC_OK;
}

int store_open(const char *url, int timeout_ms, struct store **out)
{
    struct store *s = g_new0(struct store, 1);
    *out = s;
    s->timeout_ms = timeout_ms > 0 ? timeout_ms : 5000;
    char why[512], shown[200];
    if (parse_url(s, url ? url : CCHC_REDIS_URL_DEFAULT)) {
        store_url_shown(url, shown, sizeof shown);
        snprintf(why, sizeof why,
                 "bad redis url '%s' (want redis://[USER[:PASSWORD]@]HOST:PORT/DB or "
                 "unix:///PATH, with ?db=, ?user=, ?password_file=)",
                 shown);
        return fail(s, CCHC_EINVAL, why);
    }
    if (s->password_file && read_password(s, why, sizeof why))
        return fail(s, CCHC_EINVAL, why);
    return store_reconnect(s);
}

void store_close(struct store *s)
{
    if (!s)
        return;
    if (s->c)
        redisFree(s->c);
    g_free(s->host);
    g_free(s->path);
    g_free(s->user);
    if (s->pass)
        memset(s->pass, 0, strlen(s->pass));
    g_free(s->pass);
    g_free(s->password_file);
    g_free(s);
}

int store_err(const struct store *s)
{
    return s->err;
}

const char *store_errstr(const struct store *s)
{
    return s->errstr;
}

static int from_context(struct store *s)
{
    char why[160];
    snprintf(why, sizeof why, "redis: %s", s->c->errstr[0] ? s->c->errstr : "connection lost");
    return fail(s, CCHC_EREDIS, why);
}

static int append_va(struct store *s, const char *fmt, va_list ap)
{
    if (s->err || !s->c)
        return s->err ? s->err : CCHC_EREDIS;
    return redisvAppendCommand(s->c, fmt, ap) == REDIS_OK ? CCHC_OK : from_context(s);
}

int store_append(struct store *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = append_va(s, fmt, ap);
    va_end(ap);
    return rc;
}

int store_appendv(struct store *s, int argc, const char **argv, const size_t *argvlen)
{
    if (s->err || !s->c)
        return s->err ? s->err : CCHC_EREDIS;
    return redisAppendCommandArgv(s->c, argc, argv, argvlen) == REDIS_OK ? CCHC_OK
                                                                         : from_context(s);
}

int store_append_raw(struct store *s, const char *cmd, size_t len)
{
    if (s->err || !s->c)
        return s->err ? s->err : CCHC_EREDIS;
    return redisAppendFormattedCommand(s->c, cmd, len) == REDIS_OK ? CCHC_OK : from_context(s);
}

int store_reply(struct store *s, redisReply **reply)
{
    if (s->err || !s->c)
        return s->err ? s->err : CCHC_EREDIS;
    void *r = NULL;
    if (redisGetReply(s->c, &r) != REDIS_OK || !r)
        return from_context(s);
    *reply = r;
    return CCHC_OK;
}

int store_send(struct store *s)
{
    if (s->err || !s->c)
        return s->err ? s->err : CCHC_EREDIS;
    int done = 0;
    while (!done)
        if (redisBufferWrite(s->c, &done) != REDIS_OK)
            return from_context(s);
    return CCHC_OK;
}

int store_reply_ready(const struct store *s)
{
    if (s->err || !s->c)
        return 1; /* store_reply answers at once: with the failure */
    struct pollfd p = {.fd = s->c->fd, .events = POLLIN};
    return poll(&p, 1, 0) > 0;
}

int store_fd(const struct store *s)
{
    return s->err || !s->c ? -1 : s->c->fd;
}

int store_command(struct store *s, redisReply **reply, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = append_va(s, fmt, ap);
    va_end(ap);
    return rc ? rc : store_reply(s, reply);
}

/* For the tests of the URL forms (store_url_test.c): the parser store_open
 * uses, with the parts it finds handed out instead of kept in a store. */
int store_url_parse(const char *url, struct store_url *out)
{
    struct store s = {0};
    int rc = parse_url(&s, url);
    if (rc) {
        g_free(s.host);
        g_free(s.path);
        g_free(s.user);
        g_free(s.pass);
        g_free(s.password_file);
        *out = (struct store_url){0};
        return rc;
    }
    *out = (struct store_url){.host = s.host,
                              .path = s.path,
                              .port = s.port,
                              .db = s.db,
                              .user = s.user,
                              .pass = s.pass,
                              .password_file = s.password_file};
    return CCHC_OK;
}

void store_url_free(struct store_url *u)
{
    g_free(u->host);
    g_free(u->path);
    g_free(u->user);
    g_free(u->pass);
    g_free(u->password_file);
    *u = (struct store_url){0};
}
