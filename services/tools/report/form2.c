/* Biểu mẫu 2 — Cải cách thể chế: legal documents issued, checked and
 * reviewed. Reported by hand (level f2.<row>); the total and the rates are
 * computed from the rows they add or divide. Labels as the 2022 report of
 * Rạch Giá prints them, OCR slips put right. */
#include "forms.h"

static const struct report_row rows[] = {
    COUNT_ROW("1", "Tổng số VBQPPL do địa phương ban hành", "Văn bản", T_ROW("1.1"), T_ROW("1.2"),
              T_ROW("1.3")),
    IND_ROW("1.1", "Số VBQPPL do cấp tỉnh ban hành", "Văn bản"),
    IND_ROW("1.2", "Số VBQPPL do cấp huyện ban hành", "Văn bản"),
    IND_ROW("1.3", "Số VBQPPL do cấp xã ban hành", "Văn bản"),
    SECTION_ROW("2", "Kiểm tra, xử lý VBQPPL"),
    IND_ROW("2.1", "Số VBQPPL đã kiểm tra theo thẩm quyền của cấp tỉnh", "Văn bản"),
    RATE_ROW("2.2", "Tỷ lệ xử lý VBQPPL sau kiểm tra", T_ROW("2.2.2"), T_ROW("2.2.1")),
    IND_ROW("2.2.1", "Tổng số VBQPPL cần phải xử lý sau kiểm tra", "Văn bản"),
    IND_ROW("2.2.2", "Số VBQPPL có kiến nghị xử lý đã được xử lý xong", "Văn bản"),
    SECTION_ROW("3", "Rà soát VBQPPL"),
    IND_ROW("3.1", "Số VBQPPL đã rà soát thuộc thẩm quyền của cấp tỉnh", "Văn bản"),
    RATE_ROW("3.2", "Tỷ lệ xử lý VBQPPL sau rà soát", T_ROW("3.2.2"), T_ROW("3.2.1")),
    IND_ROW("3.2.1", "Tổng số VBQPPL cần phải xử lý sau rà soát", "Văn bản"),
    IND_ROW("3.2.2", "Số VBQPPL có kiến nghị xử lý đã được xử lý xong", "Văn bản"),
};

const struct report_form report_form2 = {
    .number = 2,
    .title = "Cải cách thể chế",
    .rows = rows,
    .nrows = sizeof rows / sizeof *rows,
};
