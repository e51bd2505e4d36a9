/* The bus's raw limit, for ops/bench: how many messages of a given size nng
 * moves over ipc in a second, PUSH to PULL (lossless, flow-controlled, so
 * what is counted was delivered), sender and receiver in two threads.
 * usage: bench_nng_raw URL BYTES SECONDS   (prints: messages/s MB/s) */
#include <nng/nng.h>
#include <nng/protocol/pipeline0/pull.h>
#include <nng/protocol/pipeline0/push.h>
#include <nng/supplemental/util/platform.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct run {
    const char *url;
    size_t bytes;
    nng_time until;
    int ready;
};

static void *sender(void *arg)
{
    struct run *r = arg;
    nng_socket s;
    if (nng_push0_open(&s) || nng_socket_set_ms(s, NNG_OPT_SENDTIMEO, 200) ||
        nng_dial(s, r->url, NULL, 0))
        exit(2);
    void *buf = calloc(1, r->bytes);
    while (nng_clock() < r->until + 500)
        if (nng_send(s, buf, r->bytes, 0))
            break;
    free(buf);
    nng_close(s);
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: bench_nng_raw URL BYTES SECONDS\n");
        return 2;
    }
    struct run r = {.url = argv[1], .bytes = strtoul(argv[2], NULL, 10)};
    nng_socket in;
    if (nng_pull0_open(&in) || nng_listen(in, r.url, NULL, 0) ||
        nng_socket_set_size(in, NNG_OPT_RECVMAXSZ, 0)) {
        fprintf(stderr, "bench_nng_raw: cannot listen on %s\n", r.url);
        return 2;
    }
    nng_time start = nng_clock();
    r.until = start + 1000 * (nng_time)strtoul(argv[3], NULL, 10);
    pthread_t t;
    if (pthread_create(&t, NULL, sender, &r)) {
        fprintf(stderr, "bench_nng_raw: cannot start the sender\n");
        return 2;
    }
    unsigned long n = 0;
    nng_time first = 0, now = 0;
    while ((now = nng_clock()) < r.until) {
        nng_msg *m;
        if (nng_recvmsg(in, &m, 0))
            break;
        if (!first)
            first = now; /* from the first message: the dial is not the bus */
        else
            n++;
        nng_msg_free(m);
    }
    double secs = (double)(now - first) / 1000.0;
    printf("%.0f %.1f\n", n / secs, n * (double)r.bytes / secs / 1e6);
    nng_close(in);
    pthread_join(t, NULL);
    return 0;
}
