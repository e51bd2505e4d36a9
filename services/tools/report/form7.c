/* Biểu mẫu 7 — Xây dựng và phát triển Chính quyền điện tử, Chính quyền số:
 * electronic documents (counters of cchc-egov, by the level of the unit that
 * sent them), the catalogue of online public services (levels: in force at
 * the window's end) and the dossiers those services received (cchc-dossier's
 * per-procedure counters). Rows no office system holds are reported by hand
 * (level f7.<row>; the "%" ones in basis points). Labels as the 2022 report
 * of Rạch Giá prints them, OCR slips put right. */
#include "forms.h"

static const struct report_row rows[] = {
    IND_ROW("1", "Cập nhật Kiến trúc chính quyền điện tử phiên bản 2.0",
            "Chưa = 0, Hoàn thành = 1"),
    IND_ROW("2",
            "Xây dựng và vận hành Hệ thống họp trực tuyến (Liên thông 2 cấp: từ UBND tỉnh đến 100% "
            "UBND các huyện; Liên thông 3 cấp: từ UBND tỉnh đến 100% UBND cấp huyện, cấp xã)",
            "Chưa có = 0, 2 cấp = 1, 3 cấp = 2"),
    IND_ROW("3", "Tỷ lệ báo cáo định kỳ được gửi, nhận qua Hệ thống thông tin báo cáo quốc gia",
            "%"),
    IND_ROW("4", "Triển khai xây dựng nền tảng chia sẻ, tích hợp dùng chung (LGSP)",
            "Chưa = 0, Đang làm = 1, Hoàn thành = 2"),
    SECTION_ROW("5", "Số liệu về trao đổi văn bản điện tử"),
    SECTION_ROW("5.1", "Thực hiện kết nối, liên thông các Hệ thống quản lý văn bản điều hành từ "
                       "cấp tỉnh đến cấp xã"),
    IND_ROW("5.1.1", "Tỷ lệ sở, ngành đã kết nối, liên thông với UBND tỉnh", "%"),
    IND_ROW("5.1.2", "Tỷ lệ UBND cấp huyện đã kết nối, liên thông với UBND tỉnh", "%"),
    IND_ROW("5.1.3", "Tỷ lệ UBND cấp xã đã kết nối, liên thông với UBND huyện", "%"),
    /* Documents sent fully electronically over documents sent, by the level
     * of the sender: the whole subtree, then province, district, commune. */
    RATE_ROW("5.2",
             "Tỷ lệ sử dụng văn bản điện tử trên địa bàn tỉnh (Chỉ thống kê tỷ lệ văn bản được "
             "gửi hoàn toàn dưới dạng điện tử; sử dụng chữ ký số, chứng thư số và gửi trên môi "
             "trường điện tử)",
             T_WIN("documents_out_electronic"), T_WIN("documents_out")),
    RATE_ROW("5.2.1", "Tỷ lệ sử dụng văn bản điện tử của các sở, ban, ngành tỉnh",
             T_WIN("province:documents_out_electronic"), T_WIN("province:documents_out")),
    RATE_ROW("5.2.2", "Tỷ lệ sử dụng văn bản điện tử của UBND các huyện, thành phố",
             T_WIN("district:documents_out_electronic"), T_WIN("district:documents_out")),
    RATE_ROW("5.2.3", "Tỷ lệ sử dụng văn bản điện tử của UBND cấp xã",
             T_WIN("commune:documents_out_electronic"), T_WIN("commune:documents_out")),
    SECTION_ROW("5.3", "Xây dựng, vận hành Hệ thống thông tin một cửa điện tử tập trung của tỉnh"),
    IND_ROW("5.3.1", "Tỷ lệ sở, ban, ngành đã kết nối liên thông với Hệ thống", "%"),
    IND_ROW("5.3.2", "Tỷ lệ đơn vị cấp huyện đã kết nối liên thông với Hệ thống", "%"),
    IND_ROW("5.3.3", "Tỷ lệ đơn vị cấp xã đã kết nối liên thông với Hệ thống", "%"),
    SECTION_ROW("6", "Cung cấp dịch vụ công trực tuyến"),
    RATE_ROW("6.1", "Tỷ lệ TTHC đủ điều kiện được cung cấp trực tuyến mức độ 3", T_ROW("6.1.2"),
             T_ROW("6.1.1")),
    COUNT_ROW("6.1.1", "Tổng số TTHC đủ điều kiện cung cấp trực tuyến mức độ 3", "Thủ tục",
              T_LVL("online_eligible_l3.district")),
    COUNT_ROW("6.1.2", "Số TTHC đang cung cấp trực tuyến mức độ 3", "Thủ tục",
              T_LVL("online_offered_l3.district")),
    COUNT_ROW("6.1.3",
              "Số TTHC đang cung cấp trực tuyến mức độ 3 có phát sinh hồ sơ nộp trực tuyến",
              "Thủ tục", T_PROCS_COUNT(REPORT_L3, "district:proc.*.received_online")),
    RATE_ROW("6.2", "Tỷ lệ TTHC đủ điều kiện được cung cấp trực tuyến mức độ 4", T_ROW("6.2.2"),
             T_ROW("6.2.1")),
    COUNT_ROW("6.2.1", "Tổng số TTHC đủ điều kiện cung cấp trực tuyến mức độ 4", "Thủ tục",
              T_LVL("online_eligible_l4.district")),
    COUNT_ROW("6.2.2", "Số TTHC đang cung cấp trực tuyến mức độ 4", "Thủ tục",
              T_LVL("online_offered_l4.district")),
    COUNT_ROW("6.2.3",
              "Số TTHC đang cung cấp trực tuyến mức độ 4 có phát sinh hồ sơ nộp trực tuyến",
              "Thủ tục", T_PROCS_COUNT(REPORT_L4, "district:proc.*.received_online")),
    RATE_ROW("6.3",
             "Tỷ lệ TTHC cung cấp trực tuyến mức độ 3 và 4 đã tích hợp, công khai trên cổng DVC "
             "quốc gia",
             T_ROW("6.3.2"), T_ROW("6.3.1")),
    COUNT_ROW("6.3.1", "Tổng số TTHC đang cung cấp trực tuyến mức độ 3 và 4 trên địa bàn tỉnh",
              "Thủ tục", T_ROW("6.1.2"), T_ROW("6.2.2")),
    COUNT_ROW("6.3.2",
              "Số TTHC cung cấp trực tuyến mức độ 3 và 4 đã tích hợp, công khai trên Cổng DVC "
              "quốc gia",
              "Thủ tục", T_LVL("online_portal.district")),
    RATE_ROW("6.4",
             "Tỷ lệ hồ sơ TTHC được tiếp nhận trực tuyến mức độ 3 và 4 (chỉ thống kê đối với các "
             "TTHC mức độ 3 và 4 có phát sinh hồ sơ)",
             T_ROW("6.4.2"), T_ROW("6.4.1")),
    /* Dossiers of the procedures offered online at the window's end,
     * whichever channel they came through (the form's own note: 732/17.045). */
    COUNT_ROW("6.4.1", "Tổng số hồ sơ TTHC đã tiếp nhận (cả trực tiếp và trực tuyến)", "Hồ sơ",
              T_PROCS_SUM(REPORT_L3 | REPORT_L4, "district:proc.*.received")),
    COUNT_ROW("6.4.2", "Số hồ sơ TTHC đã tiếp nhận trực tuyến", "Hồ sơ",
              T_PROCS_SUM(REPORT_L3 | REPORT_L4, "district:proc.*.received_online")),
    RATE_ROW("6.5", "Tỷ lệ TTHC được tích hợp, triển khai thanh toán trực tuyến", T_ROW("6.5.2"),
             T_ROW("6.5.1")),
    COUNT_ROW("6.5.1",
              "Tổng số TTHC có yêu cầu nghĩa vụ tài chính (tất cả các TTHC có phát sinh phí, lệ "
              "phí,...)",
              "Thủ tục", T_LVL("procedures_fee")),
    COUNT_ROW("6.5.2",
              "Số TTHC đã được tích hợp, triển khai thanh toán trực tuyến trên Cổng DVC quốc gia "
              "hoặc trên Cổng DVC của tỉnh",
              "Thủ tục", T_LVL("procedures_online_payment")),
};

/* The report's text on documents, official e-mail, the portal and the
 * wards' online services. README.md. */
#define DOCUMENT_ROWS(L, LV)                                                                       \
    COUNT_ROW(L ".in_electronic", "Số văn bản đến nhận dưới dạng điện tử", "Văn bản",              \
              T_WIN(LV ":documents_in_electronic")),                                               \
        COUNT_ROW(L ".out_electronic", "Số văn bản đi phát hành dưới dạng điện tử", "Văn bản",     \
                  T_WIN(LV ":documents_out_electronic")),                                          \
        COUNT_ROW(L ".out", "Tổng số văn bản đi", "Văn bản", T_WIN(LV ":documents_out"))

static const struct report_row extra[] = {
    SECTION_ROW("5.2.2", "Văn bản điện tử của UBND các huyện, thành phố (cấp huyện)"),
    DOCUMENT_ROWS("5.2.2", "district"),
    SECTION_ROW("5.2.3", "Văn bản điện tử của UBND cấp xã (cấp xã)"),
    DOCUMENT_ROWS("5.2.3", "commune"),
    SECTION_ROW("email", "Thư điện tử công vụ"),
    COUNT_ROW("email.users", "Số cán bộ, công chức, viên chức sử dụng thư điện tử công vụ", "Người",
              T_LVL("email_users")),
    COUNT_ROW("email.staff", "Tổng số cán bộ, công chức, viên chức", "Người", T_LVL("email_staff")),
    RATE_ROW("email.pct", "Tỷ lệ cán bộ, công chức, viên chức sử dụng thư điện tử công vụ",
             T_ROW("email.users"), T_ROW("email.staff")),
    SECTION_ROW("portal", "Cổng thông tin điện tử"),
    COUNT_ROW("portal.news", "Số tin bài đã đăng tải", "Tin bài", T_WIN("portal_news")),
    COUNT_ROW("portal.image", "Số hình ảnh đã đăng tải", "Hình ảnh", T_WIN("portal_image")),
    COUNT_ROW("portal.document", "Số văn bản đã đăng tải", "Văn bản", T_WIN("portal_document")),
    SECTION_ROW("6.3.1", "Dịch vụ công trực tuyến của UBND cấp xã"),
    COUNT_ROW("6.3.1.commune", "Số TTHC UBND cấp xã cung cấp trực tuyến mức độ 3 và 4", "Thủ tục",
              T_LVL("online_offered_l3.commune"), T_LVL("online_offered_l4.commune")),
};

const struct report_form report_form7 = {
    .number = 7,
    .title = "Xây dựng và phát triển Chính quyền điện tử, Chính quyền số",
    .rows = rows,
    .nrows = sizeof rows / sizeof *rows,
    .extra = extra,
    .nextra = sizeof extra / sizeof *extra,
};
