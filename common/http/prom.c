#include "http/prom.h"

#include <math.h>
#include <stdio.h>

static const char *const type_names[] = {"counter", "gauge", "histogram"};

void prom_family(GString *out, const char *name, enum prom_type type, const char *help)
{
    g_string_append_printf(out, "# HELP %s ", name);
    for (const char *p = help; *p; p++) /* HELP escapes \ and newline */
        if (*p == '\\')
            g_string_append(out, "\\\\");
        else if (*p == '\n')
            g_string_append(out, "\\n");
        else
            g_string_append_c(out, *p);
    g_string_append_printf(out, "\n# TYPE %s %s\n", name, type_names[type]);
}

static void head(GString *out, const char *name, const char *labels)
{
    g_string_append(out, name);
    if (labels && *labels)
        g_string_append_printf(out, "{%s}", labels);
    g_string_append_c(out, ' ');
}

void prom_u64(GString *out, const char *name, const char *labels, uint64_t v)
{
    head(out, name, labels);
    g_string_append_printf(out, "%llu\n", (unsigned long long)v);
}

void prom_f64(GString *out, const char *name, const char *labels, double v)
{
    head(out, name, labels);
    if (isnan(v))
        g_string_append(out, "NaN\n");
    else if (isinf(v))
        g_string_append(out, v > 0 ? "+Inf\n" : "-Inf\n");
    else
        g_string_append_printf(out, "%.9g\n", v);
}

void prom_label(GString *labels, const char *key, const char *value)
{
    if (labels->len)
        g_string_append_c(labels, ',');
    g_string_append_printf(labels, "%s=\"", key);
    for (const char *p = value; *p; p++) /* label values escape \, " and newline */
        if (*p == '\\' || *p == '"')
            g_string_append_printf(labels, "\\%c", *p);
        else if (*p == '\n')
            g_string_append(labels, "\\n");
        else
            g_string_append_c(labels, *p);
    g_string_append_c(labels, '"');
}

const double prom_latency_bounds[] = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                      0.05,   0.1,     0.25,   0.5,   1,      2.5,   5,    10};
const size_t prom_latency_n = sizeof prom_latency_bounds / sizeof *prom_latency_bounds;

void prom_histogram_init(struct prom_histogram *h, const double *bounds, size_t n)
{
    h->bounds = bounds;
    h->n = n < PROM_BUCKETS_MAX ? n : PROM_BUCKETS_MAX;
    for (size_t i = 0; i <= PROM_BUCKETS_MAX; i++)
        atomic_init(&h->count[i], 0);
    atomic_init(&h->sum_ns, 0);
}

void prom_histogram_observe(struct prom_histogram *h, double seconds)
{
    size_t i = 0;
    while (i < h->n && seconds > h->bounds[i])
        i++;
    atomic_fetch_add(&h->count[i], 1);
    atomic_fetch_add(&h->sum_ns, seconds > 0 ? (uint64_t)(seconds * 1e9) : 0);
}

void prom_histogram_write(GString *out, const char *name, const char *labels,
                          const struct prom_histogram *h)
{
    char metric[160], le[32];
    uint64_t total = 0;
    GString *l = g_string_new(NULL);
    for (size_t i = 0; i <= h->n; i++) {
        total += atomic_load(&h->count[i]);
        g_string_assign(l, labels ? labels : "");
        if (i < h->n)
            snprintf(le, sizeof le, "%g", h->bounds[i]);
        else
            snprintf(le, sizeof le, "+Inf");
        prom_label(l, "le", le);
        snprintf(metric, sizeof metric, "%s_bucket", name);
        prom_u64(out, metric, l->str, total);
    }
    snprintf(metric, sizeof metric, "%s_sum", name);
    prom_f64(out, metric, labels, (double)atomic_load(&h->sum_ns) / 1e9);
    snprintf(metric, sizeof metric, "%s_count", name);
    prom_u64(out, metric, labels, total);
    g_string_free(l, TRUE);
}
