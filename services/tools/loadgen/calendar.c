/* Civil dates and local seconds in UTC+7 (Howard Hinnant's day algorithms). */
#include "loadgen.h"

#include <string.h>

int64_t lg_day_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const int64_t yoe = y - era * 400;
    const int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void lg_civil_from_day(int64_t day, int *y, int *m, int *d)
{
    day += 719468;
    const int64_t era = (day >= 0 ? day : day - 146096) / 146097;
    const int64_t doe = day - era * 146097;
    const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

int64_t lg_local(int y, int mo, int d, int h, int mi, int s)
{
    return lg_day_from_civil(y, mo, d) * LG_DAY + h * 3600 + mi * 60 + s;
}

static void put2(char *p, int v)
{
    p[0] = (char)('0' + v / 10);
    p[1] = (char)('0' + v % 10);
}

/* By hand rather than snprintf: it runs twice for most of 300k lines. Years
 * are 1000..9999 here, the scenarios never leave the 2020s. */
void lg_time_format(int64_t t, char out[LG_TIME_LEN])
{
    int64_t day = t / LG_DAY - (t % LG_DAY < 0);
    int sec = (int)(t - day * LG_DAY);
    int y, m, d;
    lg_civil_from_day(day, &y, &m, &d);
    put2(out, y / 100 % 100);
    put2(out + 2, y % 100);
    out[4] = '-';
    put2(out + 5, m);
    out[7] = '-';
    put2(out + 8, d);
    out[10] = 'T';
    put2(out + 11, sec / 3600);
    out[13] = ':';
    put2(out + 14, sec / 60 % 60);
    out[16] = ':';
    put2(out + 17, sec % 60);
    memcpy(out + 19, "+07:00", 7);
}
