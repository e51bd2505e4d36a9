/* Biểu mẫu 1 — Công tác chỉ đạo điều hành cải cách hành chính: direction,
 * inspection, tasks from the government, the satisfaction survey. No office
 * system holds these: every row is reported by hand (cchc-staffing's
 * `indicator` record, level f1.<row>), and the rates are computed from the
 * rows they divide, never typed in. Labels as the 2022 report of Rạch Giá
 * prints them, OCR slips put right (the codes of rows 2 and 2.2, lost in the
 * scan, are the template's; row 4.1 counts units, the scan's "%" is a slip). */
#include "forms.h"

static const struct report_row rows[] = {
    IND_ROW("1",
            "Số văn bản chỉ đạo CCHC đã ban hành (Kế hoạch, chỉ thị, công văn chỉ đạo, quán "
            "triệt)",
            "Văn bản"),
    RATE_ROW("2", "Tỷ lệ hoàn thành Kế hoạch CCHC năm (tính đến thời điểm báo cáo)", T_ROW("2.2"),
             T_ROW("2.1")),
    IND_ROW("2.1", "Số nhiệm vụ đề ra trong kế hoạch", "Nhiệm vụ"),
    IND_ROW("2.2", "Số nhiệm vụ đã hoàn thành", "Nhiệm vụ"),
    SECTION_ROW("3", "Kiểm tra CCHC"),
    IND_ROW("3.1", "Số sở, ban, ngành đã kiểm tra", "Cơ quan, đơn vị"),
    IND_ROW("3.2", "Số UBND cấp huyện đã kiểm tra", "Cơ quan, đơn vị"),
    RATE_ROW("3.3", "Tỷ lệ xử lý các vấn đề phát hiện qua kiểm tra", T_ROW("3.3.2"),
             T_ROW("3.3.1")),
    IND_ROW("3.3.1", "Số vấn đề phát hiện qua kiểm tra", "Vấn đề"),
    IND_ROW("3.3.2", "Số vấn đề phát hiện đã xử lý xong", "Vấn đề"),
    SECTION_ROW("4", "Thanh tra việc thực hiện quy định pháp luật về tuyển dụng, quản lý, sử dụng "
                     "công chức, viên chức và tổ chức bộ máy (thuộc thẩm quyền của Sở Nội vụ)"),
    IND_ROW("4.1", "Số cơ quan, đơn vị, địa phương được thanh tra", "Cơ quan, đơn vị"),
    /* The form has no row for the units that completed the conclusions:
     * the rate itself is reported (in basis points). */
    IND_ROW("4.2",
            "Tỷ lệ cơ quan, đơn vị, địa phương đã hoàn thành việc thực hiện kết luận thanh tra",
            "%"),
    SECTION_ROW("5", "Thực hiện nhiệm vụ Chính phủ, Thủ tướng Chính phủ giao"),
    IND_ROW("5.1", "Tổng số nhiệm vụ được giao", "Nhiệm vụ"),
    IND_ROW("5.2", "Số nhiệm vụ đã hoàn thành đúng hạn", "Nhiệm vụ"),
    IND_ROW("5.3", "Số nhiệm vụ đã hoàn thành nhưng quá hạn", "Nhiệm vụ"),
    IND_ROW("5.4", "Số nhiệm vụ quá hạn nhưng chưa hoàn thành", "Nhiệm vụ"),
    IND_ROW("6", "Khảo sát sự hài lòng của người dân, tổ chức", "Có = 1, Không = 0"),
    IND_ROW("6.1", "Số lượng phiếu khảo sát", "Số lượng"),
    IND_ROW("6.2", "Hình thức khảo sát", "Trực tuyến = 0, Phát phiếu = 1, Kết hợp = 2"),
    IND_ROW("7", "Tổ chức đối thoại của lãnh đạo với người dân, cộng đồng doanh nghiệp",
            "Không = 0, Có = 1"),
};

/* The report's text: "kiểm tra trực tiếp 08/23 đơn vị, chiếm 34,7%", the
 * task still in progress of row 5's note, and the one-stop shop's own
 * satisfaction survey (cchc-dossier's `survey` records). README.md. */
static const struct report_row extra[] = {
    IND_ROW("3.units", "Số cơ quan, đơn vị thuộc đối tượng kiểm tra", "Cơ quan, đơn vị"),
    COUNT_ROW("3.inspected", "Số cơ quan, đơn vị đã kiểm tra", "Cơ quan, đơn vị", T_ROW("3.1"),
              T_ROW("3.2")),
    RATE_ROW("3.inspected_pct", "Tỷ lệ cơ quan, đơn vị đã kiểm tra", T_ROW("3.inspected"),
             T_ROW("3.units")),
    COUNT_ROW("5.in_progress", "Số nhiệm vụ đang thực hiện, chưa đến hạn", "Nhiệm vụ", T_ROW("5.1"),
              T_MINUS_ROW("5.2"), T_MINUS_ROW("5.3"), T_MINUS_ROW("5.4")),
    COUNT_ROW("6.survey", "Số phiếu khảo sát thu về tại Bộ phận một cửa", "Phiếu", T_WIN("survey")),
    COUNT_ROW("6.survey_satisfied", "Số phiếu hài lòng", "Phiếu", T_WIN("survey_satisfied")),
    RATE_ROW("6.survey_satisfied_pct", "Tỷ lệ tổ chức, cá nhân hài lòng", T_WIN("survey_satisfied"),
             T_WIN("survey")),
};

const struct report_form report_form1 = {
    .number = 1,
    .title = "Công tác chỉ đạo điều hành cải cách hành chính",
    .rows = rows,
    .nrows = sizeof rows / sizeof *rows,
    .extra = extra,
    .nextra = sizeof extra / sizeof *extra,
};
