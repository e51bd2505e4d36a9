/* Biểu mẫu 4 — Cải cách tổ chức bộ máy: organisation and staffing quotas.
 * Headcounts are levels (cchc-staffing's `headcount` snapshots: the quota
 * and staff present at the window's end); staff cut (tinh giản) are counters
 * of the window. Rows no office system holds are reported by hand (level
 * f4.<row>; the "%" ones in basis points). Labels as the 2022 report of
 * Rạch Giá prints them, OCR slips put right. */
#include "forms.h"

static const struct report_row rows[] = {
    SECTION_ROW("1", "Sắp xếp, kiện toàn tổ chức bộ máy"),
    IND_ROW("1.1",
            "Tỷ lệ sở, ban, ngành đã hoàn thành việc sắp xếp các phòng chuyên môn đáp ứng các "
            "tiêu chí theo quy định của Chính phủ",
            "%"),
    IND_ROW("1.2",
            "Tỷ lệ UBND các huyện, thành phố đã hoàn thành việc sắp xếp các phòng chuyên môn đáp "
            "ứng các tiêu chí theo quy định của Chính phủ",
            "%"),
    IND_ROW("1.3", "Số ban quản lý trực thuộc UBND tỉnh", "Ban"),
    IND_ROW("1.4", "Số lượng tổ chức liên ngành do cấp tỉnh thành lập", "Tổ chức"),
    COUNT_ROW("1.5", "Tổng số đơn vị sự nghiệp công lập (ĐVSNCL) trên địa bàn tỉnh",
              "Cơ quan, đơn vị", T_ROW("1.5.1"), T_ROW("1.5.2"), T_ROW("1.5.3")),
    IND_ROW("1.5.1", "Số ĐVSNCL thuộc UBND tỉnh", "Cơ quan, đơn vị"),
    IND_ROW("1.5.2", "Số ĐVSNCL thuộc sở, ngành và tương đương", "Cơ quan, đơn vị"),
    IND_ROW("1.5.3", "Số ĐVSNCL thuộc UBND các huyện, thành phố", "Cơ quan, đơn vị"),
    IND_ROW("1.5.4", "Tỷ lệ ĐVSNCL đã cắt giảm so với năm 2015", "%"),
    SECTION_ROW("2", "Số liệu về biên chế công chức"),
    /* The administrative agencies of the district (its departments). */
    COUNT_ROW("2.1", "Tổng số biên chế được giao trong năm", "Người",
              T_LVL("district:quota.cong-chuc")),
    COUNT_ROW("2.2", "Tổng số biên chế có mặt tại thời điểm báo cáo", "Người",
              T_LVL("district:present.cong-chuc")),
    COUNT_ROW("2.3", "Số hợp đồng lao động làm việc tại cơ quan, tổ chức hành chính", "Người",
              T_LVL("district:present.hop-dong")),
    COUNT_ROW("2.4", "Số biên chế đã tinh giản trong kỳ báo cáo", "Người",
              T_WIN("streamlined.cong-chuc")),
    IND_ROW("2.5", "Tỷ lệ phần trăm biên chế đã tinh giản so với năm 2015", "%"),
    SECTION_ROW("3", "Số người làm việc hưởng lương từ NSNN tại các đơn vị sự nghiệp công lập"),
    COUNT_ROW("3.1", "Tổng số người làm việc được giao", "Người", T_LVL("quota.vien-chuc")),
    COUNT_ROW("3.2", "Tổng số người làm việc có mặt tại thời điểm báo cáo", "Người",
              T_LVL("present.vien-chuc")),
    COUNT_ROW("3.3", "Số người đã tinh giản trong kỳ báo cáo", "Người",
              T_WIN("streamlined.vien-chuc")),
    IND_ROW("3.4", "Tỷ lệ % đã tinh giản so với năm 2015", "%"),
};

/* The report's text on commune and hamlet staff ("cán bộ, công chức cấp
 * phường, xã có mặt là 258/264 người (trong đó, có 233 người đạt chuẩn ...)"),
 * one block per staffing category C. README.md. */
#define QUOTA_ROWS(C, who)                                                                         \
    COUNT_ROW(C ".quota", who ": số được giao", "Người", T_LVL("quota." C)),                       \
        COUNT_ROW(C ".present", who ": số có mặt", "Người", T_LVL("present." C))

static const struct report_row extra[] = {
    QUOTA_ROWS("cbcc-xa", "Cán bộ, công chức cấp xã"),
    COUNT_ROW("cbcc-xa.qualified",
              "Cán bộ, công chức cấp xã đạt chuẩn về trình độ đào tạo chuyên môn, nghiệp vụ",
              "Người", T_LVL("qualified.cbcc-xa")),
    RATE_ROW("cbcc-xa.qualified_pct", "Tỷ lệ cán bộ, công chức cấp xã đạt chuẩn",
             T_ROW("cbcc-xa.qualified"), T_ROW("cbcc-xa.present")),
    QUOTA_ROWS("kct-xa", "Người hoạt động không chuyên trách ở cấp xã"),
    QUOTA_ROWS("kct-ap", "Người hoạt động không chuyên trách ở khu phố, ấp"),
    QUOTA_ROWS("nhd-ap", "Người tham gia công việc ở khu phố, ấp"),
};

const struct report_form report_form4 = {
    .number = 4,
    .title = "Cải cách tổ chức bộ máy",
    .rows = rows,
    .nrows = sizeof rows / sizeof *rows,
    .extra = extra,
    .nextra = sizeof extra / sizeof *extra,
};
