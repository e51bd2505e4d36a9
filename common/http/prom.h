/* Prometheus's text exposition format (version 0.0.4), as every daemon's
 * GET /metrics writes it: families with HELP and TYPE, samples with
 * labels, and histograms of durations. No Debian package offers a C client
 * library for it; the format is a few lines of text, written here once.
 * Names follow Prometheus's conventions: cchc_ prefix, base units
 * (seconds, bytes), counters ending in _total. The families each daemon
 * exposes: ops/README.md, "Metrics". */
#ifndef CCHC_HTTP_PROM_H
#define CCHC_HTTP_PROM_H

#include <glib.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

/* The Content-Type of GET /metrics. */
#define PROM_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

enum prom_type { PROM_COUNTER, PROM_GAUGE, PROM_HISTOGRAM };

/* A family's HELP and TYPE lines; its samples follow. */
void prom_family(GString *out, const char *name, enum prom_type type, const char *help);
/* One sample: name{labels} value. labels is the text between the braces,
 * made with prom_label, or NULL/"" for none. */
void prom_u64(GString *out, const char *name, const char *labels, uint64_t v);
void prom_f64(GString *out, const char *name, const char *labels, double v);
/* Appends key="value" to labels, comma-separated, the value escaped. */
void prom_label(GString *labels, const char *key, const char *value);

/* A histogram of durations in seconds, with fixed upper bounds, observed
 * from any thread (atomic counts). */
#define PROM_BUCKETS_MAX 16
struct prom_histogram {
    const double *bounds; /* ascending, n of them; +Inf is implied */
    size_t n;
    _Atomic uint64_t count[PROM_BUCKETS_MAX + 1]; /* per bucket, not cumulative */
    _Atomic uint64_t sum_ns;
};
/* Bounds for latencies from 100 µs to 10 s. */
extern const double prom_latency_bounds[];
extern const size_t prom_latency_n;
void prom_histogram_init(struct prom_histogram *h, const double *bounds, size_t n);
void prom_histogram_observe(struct prom_histogram *h, double seconds);
/* Its _bucket (cumulative, le="..."), _sum and _count samples. */
void prom_histogram_write(GString *out, const char *name, const char *labels,
                          const struct prom_histogram *h);

#endif
