#include "figures/batch.h"

#include "base/err.h"
#include "base/log.h"

#include <glib.h>
#include <hiredis/hiredis.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Fields of one HSET or members of one ZADD: smaller commands keep Redis'
 * own buffers small. */
#define PAIRS_PER_COMMAND 1000

struct rollup_batch {
    GByteArray *out;  /* the commands, in Redis' protocol (RESP) */
    GByteArray *args; /* the open command's arguments, already in RESP */
    uint32_t argc;    /* how many */
    uint32_t cur_pairs;
    char cur_cmd[8];   /* the open command ("HSET", "ZADD") */
    char cur_key[512]; /* its key ("" when none is open) */
    size_t ncmds;      /* commands in out */
    GPtrArray *fields; /* positions: field (owned), from, to */
    GArray *from, *to; /* uint64_t */
};

struct rollup_batch *rollup_batch_new(void)
{
    struct rollup_batch *b = g_new0(struct rollup_batch, 1);
    b->out = g_byte_array_new();
    b->args = g_byte_array_new();
    b->fields = g_ptr_array_new_with_free_func(g_free);
    b->from = g_array_new(FALSE, FALSE, sizeof(uint64_t));
    b->to = g_array_new(FALSE, FALSE, sizeof(uint64_t));
    return b;
}

void rollup_batch_free(struct rollup_batch *b)
{
    if (!b)
        return;
    g_byte_array_free(b->out, TRUE);
    g_byte_array_free(b->args, TRUE);
    g_ptr_array_free(b->fields, TRUE);
    g_array_free(b->from, TRUE);
    g_array_free(b->to, TRUE);
    g_free(b);
}

void rollup_batch_clear(struct rollup_batch *b)
{
    g_byte_array_set_size(b->out, 0);
    g_byte_array_set_size(b->args, 0);
    b->argc = 0;
    b->cur_key[0] = 0;
    b->ncmds = 0;
    g_ptr_array_set_size(b->fields, 0);
    g_array_set_size(b->from, 0);
    g_array_set_size(b->to, 0);
}

int rollup_batch_position(struct rollup_batch *b, const char *field, uint64_t from, uint64_t to)
{
    g_ptr_array_add(b->fields, g_strdup(field));
    g_array_append_val(b->from, from);
    g_array_append_val(b->to, to);
    return CCHC_OK;
}

/* v in decimal, written backwards from end; returns the start. Not
 * snprintf: a flush writes a number for every figure. */
static char *decimal(char *end, int64_t v)
{
    uint64_t m = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do
        *--end = (char)('0' + m % 10);
    while (m /= 10);
    if (v < 0)
        *--end = '-';
    return end;
}

/* PREFIX N CRLF onto out: "*3\r\n", "$5\r\n". */
static void put_count(GByteArray *out, char prefix, uint64_t n)
{
    char num[24], *p = decimal(num + sizeof num - 2, (int64_t)n);
    num[sizeof num - 2] = '\r', num[sizeof num - 1] = '\n';
    *--p = prefix;
    g_byte_array_append(out, (const guint8 *)p, (guint)(num + sizeof num - p));
}

/* Arguments are written in RESP as they come ("$LEN\r\nBYTES\r\n"), and
 * the command's "*ARGC\r\n" before them once it is closed: no argv, no
 * copy through a formatter. */
static void add_arg(struct rollup_batch *b, const char *p, size_t n)
{
    put_count(b->args, '$', n);
    g_byte_array_append(b->args, (const guint8 *)p, (guint)n);
    g_byte_array_append(b->args, (const guint8 *)"\r\n", 2);
    b->argc++;
}

static void end_command(struct rollup_batch *b)
{
    put_count(b->out, '*', b->argc);
    g_byte_array_append(b->out, b->args->data, b->args->len);
    g_byte_array_set_size(b->args, 0);
    b->argc = 0;
    b->ncmds++;
}

void rollup_batch_close(struct rollup_batch *b)
{
    if (!b->cur_key[0])
        return;
    end_command(b);
    b->cur_key[0] = 0;
}

static void start(struct rollup_batch *b, const char *cmd, const char *key)
{
    add_arg(b, cmd, strlen(cmd));
    add_arg(b, key, strlen(key));
    g_strlcpy(b->cur_cmd, cmd, sizeof b->cur_cmd);
    g_strlcpy(b->cur_key, key, sizeof b->cur_key);
    b->cur_pairs = 0;
}

void rollup_batch_open(struct rollup_batch *b, const char *cmd, const char *key)
{
    if (b->cur_key[0] && strcmp(b->cur_key, key) == 0 && strcmp(b->cur_cmd, cmd) == 0)
        return;
    rollup_batch_close(b);
    start(b, cmd, key);
}

void rollup_batch_pair(struct rollup_batch *b, const char *a, size_t alen, const char *z,
                       size_t zlen)
{
    if (b->cur_pairs == PAIRS_PER_COMMAND) {
        /* The same command goes on in a new one: keys are copied out first,
         * since close forgets them. */
        char cmd[sizeof b->cur_cmd], key[sizeof b->cur_key];
        memcpy(cmd, b->cur_cmd, sizeof cmd);
        memcpy(key, b->cur_key, sizeof key);
        rollup_batch_close(b);
        start(b, cmd, key);
    }
    add_arg(b, a, alen);
    add_arg(b, z, zlen);
    b->cur_pairs++;
}

void rollup_batch_pair_i64(struct rollup_batch *b, const char *field, int64_t v)
{
    char num[24], *p = decimal(num + sizeof num, v);
    rollup_batch_pair(b, field, strlen(field), p, (size_t)(num + sizeof num - p));
}

void rollup_batch_score_i64(struct rollup_batch *b, int64_t score, const char *member)
{
    char num[24], *p = decimal(num + sizeof num, score);
    rollup_batch_pair(b, p, (size_t)(num + sizeof num - p), member, strlen(member));
}

const char *rollup_batch_wire(const struct rollup_batch *b, size_t *len, size_t *ncmds)
{
    *len = b->out->len;
    *ncmds = b->ncmds;
    return (const char *)b->out->data;
}

int rollup_batch_command(struct rollup_batch *b, int argc, const char *const *argv)
{
    rollup_batch_close(b);
    for (int i = 0; i < argc; i++)
        add_arg(b, argv[i], strlen(argv[i]));
    end_command(b);
    return CCHC_OK;
}

/* HMGET or HSET of pos_key with the batch's position fields (and their new
 * values: set). */
static int positions(struct store *s, const char *pos_key, const struct rollup_batch *b, int set)
{
    size_t n = b->fields->len, argc = 2 + n * (set ? 2 : 1);
    const char **argv = g_new(const char *, argc);
    size_t *lens = g_new(size_t, argc);
    char(*to)[24] = g_malloc_n(n + 1, sizeof *to);
    argv[0] = set ? "HSET" : "HMGET", argv[1] = pos_key;
    size_t j = 2;
    for (size_t i = 0; i < n; i++) {
        argv[j++] = g_ptr_array_index(b->fields, i);
        if (set) {
            snprintf(to[i], sizeof to[i], "%" PRIu64, g_array_index(b->to, uint64_t, i));
            argv[j++] = to[i];
        }
    }
    for (size_t i = 0; i < argc; i++)
        lens[i] = strlen(argv[i]);
    int rc = store_appendv(s, (int)argc, argv, lens);
    g_free(argv);
    g_free(lens);
    g_free(to);
    return rc;
}

int rollup_batch_send(struct store *s, const char *pos_key, struct rollup_batch *b, char *stale,
                      size_t stale_cap)
{
    rollup_batch_close(b);
    redisReply *w = NULL, *cur = NULL;
    int rc = store_append(s, "WATCH %s", pos_key);
    if (rc == CCHC_OK && b->fields->len)
        rc = positions(s, pos_key, b, 0);
    if (rc == CCHC_OK)
        rc = store_reply(s, &w);
    if (rc == CCHC_OK && b->fields->len)
        rc = store_reply(s, &cur);
    if (rc == CCHC_OK &&
        (w->type == REDIS_REPLY_ERROR ||
         (cur && (cur->type != REDIS_REPLY_ARRAY || cur->elements != b->fields->len))))
        rc = CCHC_EREDIS;
    for (size_t i = 0; rc == CCHC_OK && cur && i < cur->elements; i++) {
        const redisReply *e = cur->element[i];
        uint64_t have = e->type == REDIS_REPLY_STRING ? strtoull(e->str, NULL, 10) : 0;
        if (have != g_array_index(b->from, uint64_t, i)) {
            snprintf(stale, stale_cap, "%s=%" PRIu64, (const char *)g_ptr_array_index(b->fields, i),
                     have);
            rc = CCHC_ESTALE;
        }
    }
    if (w)
        freeReplyObject(w);
    if (cur)
        freeReplyObject(cur);
    if (rc == CCHC_ESTALE) {
        redisReply *u;
        if (store_command(s, &u, "UNWATCH") == CCHC_OK)
            freeReplyObject(u);
        return CCHC_ESTALE;
    }
    if (rc == CCHC_OK)
        rc = store_append(s, "MULTI");
    if (rc == CCHC_OK && b->out->len)
        rc = store_append_raw(s, (const char *)b->out->data, b->out->len);
    if (rc == CCHC_OK && b->fields->len)
        rc = positions(s, pos_key, b, 1);
    if (rc == CCHC_OK)
        rc = store_append(s, "EXEC");
    return rc == CCHC_OK ? store_send(s) : rc;
}

int rollup_batch_result(struct store *s, const struct rollup_batch *b)
{
    /* MULTI, every command queued, the positions, EXEC: one reply each. */
    size_t replies = 1 + b->ncmds + (b->fields->len ? 1 : 0) + 1;
    int rc = CCHC_OK;
    for (size_t i = 0; i < replies; i++) {
        redisReply *r;
        int got = store_reply(s, &r);
        if (got)
            return got;
        if (i + 1 < replies) {
            if (r->type == REDIS_REPLY_ERROR && rc == CCHC_OK) {
                cchc_error("write batch: command %zu refused: %s", i, r->str);
                rc = CCHC_EREDIS;
            }
        } else if (r->type == REDIS_REPLY_NIL) {
            rc = rc ? rc : CCHC_ESTALE; /* a watched position moved: nothing applied */
        } else if (r->type != REDIS_REPLY_ARRAY) {
            cchc_error("write batch: EXEC: %s", r->type == REDIS_REPLY_ERROR ? r->str : "?");
            rc = rc ? rc : CCHC_EREDIS;
        } else {
            for (size_t k = 0; k < r->elements && rc == CCHC_OK; k++)
                if (r->element[k]->type == REDIS_REPLY_ERROR) {
                    /* EXEC does not roll back: the positions moved without
                     * this write. Only a key of the wrong type does this. */
                    cchc_error("write batch: command %zu failed: %s; the positions moved without "
                               "it: run cchc-reconcile --repair",
                               k, r->element[k]->str);
                    rc = CCHC_EREDIS;
                }
        }
        freeReplyObject(r);
    }
    return rc;
}
