/* Redis access for every cchc program. A store keeps its own error (err and
 * errstr, like hiredis' redisContext); once a call fails, the store stays
 * failed until store_reconnect() succeeds. Commands are pipelined: append
 * any number, then read the replies in order.
 *
 * URL forms: redis://[USER[:PASSWORD]@]HOST[:PORT][/DB] and
 * unix:///PATH[?db=DB], either with ?user=USER and ?password_file=FILE
 * (its first line is the password: none on a command line). With a
 * password the store sends AUTH [USER] PASSWORD on every connect; %XX
 * escapes are decoded in USER and PASSWORD. The default, when
 * CCHC_REDIS_URL is unset, is redis://127.0.0.1:6379/0. */
#ifndef CCHC_STORE_H
#define CCHC_STORE_H

#include <hiredis/hiredis.h>
#include <stddef.h>

#define CCHC_REDIS_URL_DEFAULT "redis://127.0.0.1:6379/0"

struct store; /* opaque */

/* Connects (and SELECTs the db). On CCHC_EREDIS the store is still returned
 * in *out, failed, so the caller may log store_errstr() and retry later;
 * the caller owns *out in either case and frees it with store_close(). */
int store_open(const char *url, int timeout_ms, struct store **out);
void store_close(struct store *s);
int store_err(const struct store *s); /* 0 or the CCHC_E* code that failed it */
const char *store_errstr(const struct store *s);
int store_reconnect(struct store *s);
/* Fails the store on purpose, closing the connection: for a caller that
 * cannot tell which replies are still due on it (a pipeline left half sent
 * or half read). store_reconnect() starts clean. */
void store_abandon(struct store *s, const char *why);

/* Queue a command without waiting (redisAppendCommand rules). */
int store_append(struct store *s, const char *fmt, ...);
int store_appendv(struct store *s, int argc, const char **argv, const size_t *argvlen);
/* Commands already in Redis' wire protocol (RESP), any number of them. */
int store_append_raw(struct store *s, const char *cmd, size_t len);
/* Read the next reply of the pipeline. On success the caller owns *reply and
 * frees it with freeReplyObject(). A Redis error reply is returned as a
 * reply of type REDIS_REPLY_ERROR, not as a failure of the store. */
int store_reply(struct store *s, redisReply **reply);
/* Sends what is queued without waiting for any reply, so that Redis works
 * while the caller does something else; store_reply_ready then says when
 * store_reply will not wait for Redis (poll store_fd for it). */
int store_send(struct store *s);
int store_reply_ready(const struct store *s);
int store_fd(const struct store *s); /* -1 while failed */
/* One command, one reply: store_append then store_reply. */
int store_command(struct store *s, redisReply **reply, const char *fmt, ...);

/* url with any password in it replaced by ***: how messages and logs show it. */
void store_url_shown(const char *url, char *out, size_t cap);

/* For tests only (store_url_test.c): the URL parser of store_open, exposed.
 * On CCHC_OK exactly one of host (with port) and path is set, owned by *out
 * until store_url_free(); on failure *out is zeroed. */
struct store_url {
    char *host, *path;
    int port, db;
    char *user, *pass, *password_file; /* NULL when absent */
};
int store_url_parse(const char *url, struct store_url *out);
void store_url_free(struct store_url *u);

#endif
