#include "forms.h"

#include "err.h"
#include "rate.h"

#include <string.h>

extern const struct form_def form3;

const struct form_def *const forms_all[] = {&form3, NULL};

const struct form_def *forms_find(int number)
{
    for (const struct form_def *const *f = forms_all; *f; f++)
        if ((*f)->number == number)
            return *f;
    return NULL;
}

static const struct row_def *find_row(const struct form_def *f, const char *code)
{
    for (const struct row_def *t = f->rows; t; t = t == f->rows ? f->extra : NULL)
        for (const struct row_def *r = t; r && r->code; r++)
            if (strcmp(r->code, code) == 0)
                return r;
    return NULL;
}

static struct row_value by_code(const struct form_def *f, const char *code,
                                const struct figures *fig)
{
    const struct row_def *r = code ? find_row(f, code) : NULL;
    return r ? form_row_value(f, r, fig) : (struct row_value){.empty = 1};
}

struct row_value form_row_value(const struct form_def *f, const struct row_def *r,
                                const struct figures *fig)
{
    struct row_value v = {0};
    switch (r->op) {
    case ROW_HEADING:
    case ROW_NONE:
        v.empty = 1;
        break;
    case ROW_SUM:
        for (int i = 0; i < 4 && r->a[i]; i++)
            v.v += figures_get(fig->window, r->a[i]);
        break;
    case ROW_CARRIED:
        v.v = figures_get(fig->before, r->a[0]) - figures_get(fig->before, r->a[1]);
        break;
    case ROW_RATE: {
        struct row_value num = by_code(f, r->a[0], fig), den = by_code(f, r->a[1], fig);
        v.rate = 1;
        v.empty = num.empty || den.empty || cchc_rate_bp(num.v, den.v, &v.v) != CCHC_OK;
        break;
    }
    case ROW_CALC:
        for (int i = 0; i < 3; i++) {
            struct row_value x = by_code(f, r->a[i], fig);
            if (!x.empty)
                v.v += i < 2 ? x.v : -x.v;
        }
        break;
    }
    return v;
}
