/* GET /v1/units?day=D: the registry's tree on a day, for the unit picker:
 * every unit valid then with its parent that day, parents before their
 * children (the registry's order). The tree of 2022 (province, district,
 * commune) and that of the two-tier system since 1 July 2025 are each what
 * their days show. */
#include "web.h"

#include "base/json.h"
#include "base/period.h"

#include <microhttpd.h>

void web_units(struct web *w, const struct web_req *q, struct http_answer *a)
{
    const struct units *u = w->units;
    if (!u) {
        char msg[600];
        snprintf(msg, sizeof msg, "no unit registry: %s", w->why_units);
        http_answer_error(a, MHD_HTTP_SERVICE_UNAVAILABLE, msg);
        return;
    }
    char day[CCHC_DAY_LEN];
    cchc_day_format(q->day, day);
    GString *j = g_string_new("{");
    json_key(j, "day");
    json_cstr(j, day);
    json_key(j, "units");
    g_string_append_c(j, '[');
    for (size_t i = 0; i < units_count(u); i++) {
        if (!units_valid_on(u, (int)i, q->day))
            continue;
        int parent = units_parent_on(u, (int)i, q->day);
        json_sep(j);
        g_string_append_c(j, '{');
        json_key(j, "id");
        json_cstr(j, units_id(u, (int)i));
        json_key(j, "name");
        json_cstr(j, units_name(u, (int)i));
        json_key(j, "level");
        json_cstr(j, unit_level_name(units_level(u, (int)i)));
        json_key(j, "kind");
        json_cstr(j, unit_kind_name(units_kind(u, (int)i)));
        json_key(j, "parent");
        if (parent >= 0)
            json_cstr(j, units_id(u, parent));
        else
            g_string_append(j, "null");
        g_string_append_c(j, '}');
    }
    g_string_append(j, "]}\n");
    *a = (struct http_answer){.status = MHD_HTTP_OK, .body = j, .type = "application/json"};
}
