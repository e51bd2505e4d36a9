/* Biểu mẫu 5 — Cải cách chế độ công vụ: job positions, recruitment,
 * discipline. Approved job positions are levels (one per agency or service
 * unit, by the unit's kind in the registry); recruitments, transfers and
 * disciplinary measures are counters of the window (cchc-staffing). What the
 * staffing records do not tell apart (special-case recruitment, leaders
 * disciplined) is reported by hand (level f5.<row>). Labels as the 2022
 * report of Rạch Giá prints them, OCR slips put right. */
#include "forms.h"

static const struct report_row rows[] = {
    SECTION_ROW("1", "Vị trí việc làm của công chức, viên chức"),
    COUNT_ROW("1.1",
              "Số cơ quan, tổ chức hành chính đã được phê duyệt vị trí việc làm theo quy định",
              "Cơ quan, đơn vị", T_LVL("job_positions_approved.agency")),
    COUNT_ROW("1.2", "Số đơn vị sự nghiệp đã được phê duyệt vị trí việc làm theo quy định",
              "Cơ quan, đơn vị", T_LVL("job_positions_approved.service-unit")),
    IND_ROW("1.3",
            "Số cơ quan, tổ chức có vi phạm trong thực hiện vị trí việc làm phát hiện qua thanh "
            "tra",
            "Cơ quan, đơn vị"),
    SECTION_ROW("2", "Tuyển dụng công chức, viên chức"),
    COUNT_ROW("2.1", "Số công chức được tuyển dụng (thi tuyển, xét tuyển)", "Người",
              T_WIN("recruited.cong-chuc")),
    IND_ROW("2.2", "Số công chức được tuyển dụng theo trường hợp đặc biệt", "Người"),
    COUNT_ROW("2.3",
              "Số cán bộ, công chức cấp xã được xét chuyển thành công chức cấp huyện trở lên",
              "Người", T_WIN("transferred.cbcc-xa")),
    COUNT_ROW("2.4", "Số viên chức được tuyển dụng (thi tuyển, xét tuyển)", "Người",
              T_WIN("recruited.vien-chuc")),
    IND_ROW("2.5", "Số viên chức được tuyển dụng theo trường hợp đặc biệt", "Người"),
    IND_ROW("3",
            "Số lượng lãnh đạo quản lý được tuyển chọn, bổ nhiệm thông qua thi tuyển (Lũy kế từ "
            "đầu năm)",
            "Người"),
    SECTION_ROW("4",
                "Số lượng cán bộ, công chức, viên chức bị kỷ luật (cả về Đảng và chính quyền)"),
    IND_ROW("4.1", "Số lãnh đạo cấp tỉnh bị kỷ luật", "Người"),
    IND_ROW("4.2", "Số lãnh đạo sở, ban, ngành và UBND cấp huyện bị kỷ luật", "Người"),
    IND_ROW("4.3", "Số lãnh đạo cấp phòng thuộc sở, ban, ngành và UBND cấp huyện bị kỷ luật",
            "Người"),
    COUNT_ROW("4.4", "Số người làm việc hưởng lương từ NSNN tại các ĐVSNCL bị kỷ luật", "Người",
              T_WIN("disciplined.vien-chuc")),
};

/* The report's text: "đã cử 409 lượt cán bộ, công chức, viên chức tham dự
 * các lớp đào tạo, bồi dưỡng", every staffing category. README.md. */
static const struct report_row extra[] = {
    COUNT_ROW("trained", "Số lượt cán bộ, công chức, viên chức được cử đi đào tạo, bồi dưỡng",
              "Lượt người", T_WIN("trained.cong-chuc"), T_WIN("trained.hop-dong"),
              T_WIN("trained.vien-chuc"), T_WIN("trained.cbcc-xa"), T_WIN("trained.kct-xa"),
              T_WIN("trained.kct-ap"), T_WIN("trained.nhd-ap")),
};

const struct report_form report_form5 = {
    .number = 5,
    .title = "Cải cách chế độ công vụ",
    .rows = rows,
    .nrows = sizeof rows / sizeof *rows,
    .extra = extra,
    .nextra = sizeof extra / sizeof *extra,
};
