/* Where the source report printed another figure than cchc computes: the
 * report of a unit and window that cchc reproduces from its records
 * (README.md, "The 2022 scenario and the source report's slips"), a row of
 * a form, what the report printed and why cchc's figure differs. Shown
 * beside the row (cchc-web), so that a reader comparing the two sees the
 * reason rather than an error. */
#ifndef CCHC_REPORT_SLIPS_H
#define CCHC_REPORT_SLIPS_H

#include <stddef.h>
#include <stdint.h>

struct report_slip {
    const char *unit;
    const char *from, *to; /* the source report's window, YYYY-MM-DD */
    int form;
    const char *code;
    const char *printed;           /* as the source prints it: "12,83" */
    const char *note_vi, *note_en; /* why cchc prints another figure */
};

/* The slip of row code of form in the source report of unit over exactly
 * [from_day, to_day], or NULL. */
const struct report_slip *report_slip_find(const char *unit, int64_t from_day, int64_t to_day,
                                           int form, const char *code);
/* Every slip (n of them), for the unit test. */
const struct report_slip *report_slips(size_t *n);

#endif
