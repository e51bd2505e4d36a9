/* The aggregator's HTTP face (GET /healthz, GET /v1/stats: status.h), on the
 * HTTP mechanism every daemon shares (common/http/server.h). */
#ifndef CCHC_AGGREGATOR_HTTP_H
#define CCHC_AGGREGATOR_HTTP_H

#include "http/server.h"
#include "status.h"

#define AGG_HTTP_MAX_CONNECTIONS 256 /* at once; more are closed at accept */
#define AGG_HTTP_MAX_PER_IP 64       /* at once from one address */
#define AGG_HTTP_TIMEOUT_S 30        /* a whole request, and silence */

/* Serves on sa until http_server_stop; *port is the port bound. CCHC_EIO,
 * with errno, when it cannot. */
int agg_http_start(struct status *st, const struct sockaddr_in *sa, struct http_server **out,
                   unsigned *port);

#endif
