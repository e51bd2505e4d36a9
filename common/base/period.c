#include "base/period.h"

#include "base/err.h"

#include <stdio.h>
#include <string.h>

/* Howard Hinnant's days_from_civil / civil_from_days: exact for any Gregorian date. */
int64_t cchc_day_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const int64_t yoe = y - era * 400;
    const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* Howard Hinnant's civil_from_days, with the year in 64 bits so that any
 * instant an event may carry prints. */
static void civil64(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const int64_t doe = z - era * 146097;
    const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

void cchc_day_to_civil(int64_t z, int *y, int *m, int *d)
{
    int64_t y64;
    civil64(z, &y64, m, d);
    *y = (int)y64;
}

static int days_in_month(int y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return dm[m - 1];
}

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return CCHC_EINVAL;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return CCHC_OK;
}

int cchc_time_parse(const char *s, size_t len, int64_t *ms)
{
    int y, mo, d, h, mi, sec;
    if (len < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') || s[13] != ':' ||
        s[16] != ':')
        return CCHC_EINVAL;
    if (digits(s, 4, &y) || digits(s + 5, 2, &mo) || digits(s + 8, 2, &d) ||
        digits(s + 11, 2, &h) || digits(s + 14, 2, &mi) || digits(s + 17, 2, &sec))
        return CCHC_EINVAL;
    if (y < 1900 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 ||
        sec > 59)
        return CCHC_EINVAL;
    size_t i = 19;
    int frac_ms = 0;
    if (i < len && s[i] == '.') {
        int scale = 100, nd = 0;
        for (i++; i < len && s[i] >= '0' && s[i] <= '9'; i++, nd++) {
            frac_ms += (s[i] - '0') * scale;
            scale /= 10;
        }
        if (nd == 0 || nd > 9)
            return CCHC_EINVAL;
    }
    int off_s;
    if (i + 1 == len && (s[i] == 'Z' || s[i] == 'z')) {
        off_s = 0;
    } else if (i + 6 == len && (s[i] == '+' || s[i] == '-') && s[i + 3] == ':') {
        int oh, om;
        if (digits(s + i + 1, 2, &oh) || digits(s + i + 4, 2, &om) || oh > 23 || om > 59)
            return CCHC_EINVAL;
        off_s = (oh * 3600 + om * 60) * (s[i] == '-' ? -1 : 1);
    } else {
        return CCHC_EINVAL;
    }
    int64_t secs = cchc_day_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - off_s;
    *ms = secs * 1000 + frac_ms;
    return CCHC_OK;
}

int64_t cchc_day_of_ms(int64_t ms)
{
    int64_t s = ms / 1000 - (ms % 1000 < 0) + CCHC_ZONE_OFFSET_S;
    return s / 86400 - (s % 86400 < 0);
}

void cchc_time_format(int64_t ms, char *out, size_t cap)
{
    int64_t day = cchc_day_of_ms(ms);
    int64_t local = ms / 1000 - (ms % 1000 < 0) + CCHC_ZONE_OFFSET_S - day * 86400;
    int64_t y;
    int m, d;
    civil64(day, &y, &m, &d);
    snprintf(out, cap, "%04lld-%02d-%02dT%02d:%02d:%02d+07:00", (long long)y, m, d,
             (int)(local / 3600), (int)(local / 60 % 60), (int)(local % 60));
}

void cchc_day_format(int64_t day, char out[CCHC_DAY_LEN])
{
    int y, m, d;
    cchc_day_to_civil(day, &y, &m, &d);
    char tmp[48]; /* wide enough for any int, so the compiler sees no truncation */
    snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y % 10000, m, d);
    memcpy(out, tmp, CCHC_DAY_LEN - 1);
    out[CCHC_DAY_LEN - 1] = 0;
}

int cchc_day_parse(const char *s, int64_t *day)
{
    int y, m, d;
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' || digits(s, 4, &y) || digits(s + 5, 2, &m) ||
        digits(s + 8, 2, &d) || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return CCHC_EINVAL;
    *day = cchc_day_from_civil(y, m, d);
    return CCHC_OK;
}

/* The official month a day reports in: from the 15th on, the next month. */
static void official_month(int64_t day, int *y, int *m)
{
    int d;
    cchc_day_to_civil(day, y, m, &d);
    if (d >= 15 && ++*m == 13) {
        *m = 1;
        ++*y;
    }
}

void cchc_periods_of_day(int64_t day, struct cchc_periods *p)
{
    int y, m;
    official_month(day, &y, &m);
    y %= 10000;
    snprintf(p->month, sizeof p->month, "%04d-%02d", y, m);
    snprintf(p->quarter, sizeof p->quarter, "%04d-Q%d", y, (m - 1) / 3 + 1);
    snprintf(p->half, sizeof p->half, "%04d-H%d", y, m <= 6 ? 1 : 2);
    snprintf(p->year, sizeof p->year, "%04d", y);
}

/* First day of official month (y, m): the 15th of the month before. */
static int64_t month_first(int y, int m)
{
    return m == 1 ? cchc_day_from_civil(y - 1, 12, 15) : cchc_day_from_civil(y, m - 1, 15);
}

int cchc_period_range(const char *name, int64_t *first, int64_t *last)
{
    int y, n, m0, m1;
    size_t len = strlen(name);
    if (len < 4 || digits(name, 4, &y) || y < 1900)
        return CCHC_EINVAL;
    if (len == 4) {
        m0 = 1, m1 = 12;
    } else if (len == 7 && name[4] == '-' && name[5] == 'Q' && !digits(name + 6, 1, &n) && n >= 1 &&
               n <= 4) {
        m0 = 3 * n - 2, m1 = 3 * n;
    } else if (len == 7 && name[4] == '-' && name[5] == 'H' && !digits(name + 6, 1, &n) && n >= 1 &&
               n <= 2) {
        m0 = 6 * n - 5, m1 = 6 * n;
    } else if (len == 7 && name[4] == '-' && !digits(name + 5, 2, &n) && n >= 1 && n <= 12) {
        m0 = m1 = n;
    } else {
        return CCHC_EINVAL;
    }
    *first = month_first(y, m0);
    *last = cchc_day_from_civil(y, m1, 14);
    return CCHC_OK;
}
