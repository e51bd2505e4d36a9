/* The slips of the 2022 report of Rạch Giá (No. 326/BC-UBND,
 * services/tools/loadgen/source-report-rach-gia-2022.md), as README.md lists
 * them; the data follow the report's own arithmetic, so cchc's figure is
 * the arithmetic's. */
#include "slips.h"

#include "base/period.h"

#include <string.h>

#define RG "kg.rachgia"
#define RG_2022 "2021-12-15", "2022-11-30"

static const struct report_slip slips[] = {
    {RG, RG_2022, 1, "3.3", "100",
     "Báo cáo ghi 100 %: không có vấn đề nào phải xử lý (0 / 0), phép chia cho 0 để trống.",
     "The report printed 100 %: there was nothing to process (0 / 0), and a division by zero "
     "is left empty."},
    {RG, RG_2022, 1, "3.inspected_pct", "34,7",
     "Báo cáo ghi 34,7 %: 8 / 23 = 34,78 %, hai chữ số thập phân như mọi tỷ lệ.",
     "The report printed 34.7 %: 8 / 23 = 34.78 %, with two decimals as every rate."},
    {RG, RG_2022, 1, "6.survey_satisfied_pct", "96,29",
     "Báo cáo ghi 96,29 % (phần nội dung) và 96,22 % (ghi chú biểu 1): 156 / 162 phiếu = "
     "96,30 %; không số phiếu nào (162 hay 180) cho ra hai tỷ lệ đó.",
     "The report printed 96.29 % (its text) and 96.22 % (form 1's note): 156 / 162 forms = "
     "96.30 %; no count of forms (162 or 180) gives either."},
    {RG, RG_2022, 2, "2.2", "0",
     "Báo cáo ghi 0 %: không có văn bản nào phải xử lý (0 / 0), phép chia cho 0 để trống.",
     "The report printed 0 %: there was nothing to process (0 / 0), and a division by zero is "
     "left empty."},
    {RG, RG_2022, 2, "3.2", "100",
     "Báo cáo ghi 100 %: không có văn bản nào phải xử lý (0 / 0), phép chia cho 0 để trống.",
     "The report printed 100 %: there was nothing to process (0 / 0), and a division by zero "
     "is left empty."},
    {RG, RG_2022, 3, "3.2.returned_postal_pct", "12,83",
     "Báo cáo ghi 12,83 %: 680 / 5.298 = 12,835 %, làm tròn nửa lên là 12,84 %.",
     "The report printed 12.83 %: 680 / 5,298 = 12.835 %, which rounds half up to 12.84 %."},
    {RG ".vpdkdd", RG_2022, 3, "3.2.received", "38.395",
     "Báo cáo ghi 38.395: 260 kỳ trước chuyển sang + 38.550 nhận mới = 38.810, và 38.646 đã "
     "giải quyết + 164 đang giải quyết = 38.810; 38.810 + 6.940 = 45.750, số của thành phố.",
     "The report printed 38,395: 260 carried over + 38,550 new = 38,810, and 38,646 resolved + "
     "164 pending = 38,810; 38,810 + 6,940 = 45,750, the city's total."},
    {RG, RG_2022, 4, "cbcc-xa.qualified_pct", "97,08", "Báo cáo ghi 97,08 %: 233 / 258 = 90,31 %.",
     "The report printed 97.08 %: 233 / 258 = 90.31 %."},
    {RG, RG_2022, 7, "6.3", "0",
     "Biểu ghi 0 %: 152 trên 152 TTHC đủ điều kiện có dịch vụ công trực tuyến là 100,00 %.",
     "The form printed 0 %: 152 of the 152 eligible procedures online is 100.00 %."},
    {RG, RG_2022, 7, "6.4.1", "17.323",
     "Biểu ghi 17.323, nhưng ghi chú của chính biểu tính 4,29 % là 732 / 17.045.",
     "The form printed 17,323, but its own note computes 4.29 % as 732 / 17,045."},
};

const struct report_slip *report_slips(size_t *n)
{
    *n = sizeof slips / sizeof *slips;
    return slips;
}

const struct report_slip *report_slip_find(const char *unit, int64_t from_day, int64_t to_day,
                                           int form, const char *code)
{
    for (size_t i = 0; i < sizeof slips / sizeof *slips; i++) {
        const struct report_slip *s = &slips[i];
        int64_t from, to;
        if (s->form != form || strcmp(s->code, code) != 0 || strcmp(s->unit, unit) != 0 ||
            cchc_day_parse(s->from, &from) || cchc_day_parse(s->to, &to))
            continue;
        if (from == from_day && to == to_day)
            return s;
    }
    return NULL;
}
