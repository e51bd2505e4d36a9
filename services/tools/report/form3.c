/* Biểu mẫu 3 — Cải cách thủ tục hành chính: procedures and dossiers, labels
 * as the 2022 report of Rạch Giá prints them
 * (services/tools/loadgen/source-report-rach-gia-2022.md), with the spelling
 * of the OCR slips put right.
 *
 * Rows 1.x and 2.x count the procedure catalogue in force at the window's
 * end (levels of cchc-dossier's `procedure` records); 1.2, 1.3 and 2.3 have
 * no source system and are reported by hand. Rows 3.x count dossiers by the
 * level of the unit that received them: provincial departments (3.1),
 * districts (3.2), communes (3.3). */
#include "forms.h"

static const struct report_row rows[] = {
    SECTION_ROW("1", "Thống kê TTHC"),
    COUNT_ROW("1.1", "Số TTHC đã được phê duyệt phương án đơn giản hóa", "Thủ tục",
              T_LVL("procedures_simplified")),
    IND_ROW("1.2", "Số TTHC công bố mới", "Thủ tục"),
    IND_ROW("1.3", "Số TTHC bãi bỏ, thay thế", "Thủ tục"),
    COUNT_ROW("1.4", "Tổng số TTHC thuộc thẩm quyền giải quyết tại địa phương", "Thủ tục",
              T_ROW("1.4.1"), T_ROW("1.4.2"), T_ROW("1.4.3")),
    COUNT_ROW("1.4.1", "Số TTHC cấp tỉnh (bao gồm cả TTHC của cơ quan ngành dọc)", "Thủ tục",
              T_LVL("procedures.province")),
    COUNT_ROW("1.4.2", "Số TTHC cấp huyện (bao gồm cả TTHC của cơ quan ngành dọc)", "Thủ tục",
              T_LVL("procedures.district")),
    COUNT_ROW("1.4.3", "Số TTHC cấp xã (bao gồm cả TTHC của cơ quan ngành dọc)", "Thủ tục",
              T_LVL("procedures.commune")),
    SECTION_ROW("2", "Thực hiện cơ chế một cửa, một cửa liên thông"),
    COUNT_ROW("2.1", "Số TTHC liên thông cùng cấp", "Thủ tục", T_LVL("procedures_inter_same")),
    COUNT_ROW("2.2", "Số TTHC liên thông giữa các cấp chính quyền", "Thủ tục",
              T_LVL("procedures_inter_cross")),
    IND_ROW("2.3",
            "Số TTHC đã thực hiện tiếp nhận và giải quyết hồ sơ không phụ thuộc vào địa giới "
            "hành chính",
            "Thủ tục"),
    SECTION_ROW("3", "Kết quả giải quyết TTHC"),
    RATE_ROW("3.1", "Tỷ lệ hồ sơ TTHC do các sở, ban, ngành tiếp nhận được giải quyết đúng hạn",
             T_ROW("3.1.2"), T_ROW("3.1.1")),
    COUNT_ROW("3.1.1", "Tổng số hồ sơ TTHC đã giải quyết xong", "Hồ sơ",
              T_WIN("province:resolved")),
    COUNT_ROW("3.1.2", "Số hồ sơ TTHC đã giải quyết đúng hạn", "Hồ sơ",
              T_WIN("province:resolved_early"), T_WIN("province:resolved_on_time")),
    RATE_ROW("3.2",
             "Tỷ lệ hồ sơ TTHC do UBND các huyện, thành phố tiếp nhận được giải quyết đúng hạn",
             T_ROW("3.2.2"), T_ROW("3.2.1")),
    COUNT_ROW("3.2.1", "Tổng số hồ sơ TTHC đã giải quyết xong", "Hồ sơ",
              T_WIN("district:resolved")),
    /* "On time" in the forms is early plus on time (REDIS.md). */
    COUNT_ROW("3.2.2", "Số hồ sơ TTHC đã giải quyết đúng hạn", "Hồ sơ",
              T_WIN("district:resolved_early"), T_WIN("district:resolved_on_time")),
    RATE_ROW("3.3", "Tỷ lệ hồ sơ TTHC do UBND cấp xã tiếp nhận được giải quyết đúng hạn",
             T_ROW("3.3.2"), T_ROW("3.3.1")),
    COUNT_ROW("3.3.1", "Tổng số hồ sơ TTHC đã giải quyết xong", "Hồ sơ", T_WIN("commune:resolved")),
    COUNT_ROW("3.3.2", "Số hồ sơ TTHC đã giải quyết đúng hạn", "Hồ sơ",
              T_WIN("commune:resolved_early"), T_WIN("commune:resolved_on_time")),
    RATE_ROW("3.4", "Tỷ lệ giải quyết phản ánh, kiến nghị (PAKN) về quy định TTHC", T_ROW("3.4.2"),
             T_ROW("3.4.1")),
    COUNT_ROW("3.4.1",
              "Tổng số PAKN đã tiếp nhận (trực tiếp hoặc do cơ quan có thẩm quyền chuyển đến)",
              "PAKN", T_WIN("feedback_received")),
    COUNT_ROW("3.4.2", "Số PAKN đã giải quyết xong", "PAKN", T_WIN("feedback_resolved")),
};

/* The figures the report's text gives for each level ("đã tiếp nhận 45.750 hồ
 * sơ (kỳ trước chuyển sang 404 hồ sơ, trực tuyến 732 hồ sơ, nhận mới 44.614 hồ
 * sơ); ... còn 602 hồ sơ đang giải quyết"), one block per level: L is the
 * form's row of that level (3.2 district, 3.3 commune), LV its field prefix.
 * README.md documents every code. */
#define LEVEL_ROWS(L, LV)                                                                          \
    COUNT_ROW(L ".received", "Tổng số hồ sơ đã tiếp nhận (kỳ trước chuyển sang và nhận mới)",      \
              "Hồ sơ", T_ROW(L ".carried_over"), T_ROW(L ".new")),                                 \
        COUNT_ROW(L ".carried_over", "Số hồ sơ kỳ trước chuyển sang", "Hồ sơ",                     \
                  T_BEFORE(LV ":received"), T_MINUS_BEFORE(LV ":resolved"),                        \
                  T_MINUS_BEFORE(LV ":withdrawn"), T_MINUS_BEFORE(LV ":stopped")),                 \
        COUNT_ROW(L ".new", "Số hồ sơ nhận mới trong kỳ (kể cả trực tuyến)", "Hồ sơ",              \
                  T_WIN(LV ":received")),                                                          \
        COUNT_ROW(L ".online", "Số hồ sơ tiếp nhận trực tuyến", "Hồ sơ",                           \
                  T_WIN(LV ":received_online")),                                                   \
        COUNT_ROW(L ".direct_or_postal",                                                           \
                  "Số hồ sơ nhận mới trực tiếp và qua dịch vụ bưu chính công ích", "Hồ sơ",        \
                  T_WIN(LV ":received_direct"), T_WIN(LV ":received_postal")),                     \
        COUNT_ROW(L ".postal", "Số hồ sơ tiếp nhận qua dịch vụ bưu chính công ích", "Hồ sơ",       \
                  T_WIN(LV ":received_postal")),                                                   \
        COUNT_ROW(L ".late", "Số hồ sơ giải quyết quá hạn", "Hồ sơ", T_WIN(LV ":resolved_late")),  \
        RATE_ROW(L ".late_pct", "Tỷ lệ hồ sơ giải quyết quá hạn", T_ROW(L ".late"),                \
                 T_ROW(L ".1")),                                                                   \
        COUNT_ROW(L ".pending", "Số hồ sơ đang giải quyết (cuối kỳ)", "Hồ sơ",                     \
                  T_ROW(L ".received"), T_MINUS_ROW(L ".1"), T_MINUS_ROW(L ".withdrawn"),          \
                  T_MINUS_ROW(L ".stopped")),                                                      \
        COUNT_ROW(L ".returned_postal", "Số hồ sơ trả kết quả qua dịch vụ bưu chính công ích",     \
                  "Hồ sơ", T_WIN(LV ":returned_postal")),                                          \
        RATE_ROW(L ".returned_postal_pct",                                                         \
                 "Tỷ lệ hồ sơ nhận qua bưu chính được trả kết quả qua bưu chính",                  \
                 T_WIN(LV ":returned_postal"), T_WIN(LV ":received_postal")),                      \
        COUNT_ROW(L ".not_accepted", "Số hồ sơ không được tiếp nhận", "Hồ sơ",                     \
                  T_WIN(LV ":not_accepted")),                                                      \
        COUNT_ROW(L ".supplement", "Số hồ sơ nhận mới trong kỳ phải bổ sung, hoàn thiện", "Hồ sơ", \
                  T_WIN(LV ":supplement_requested")),                                              \
        COUNT_ROW(L ".withdrawn", "Số hồ sơ người nộp rút", "Hồ sơ", T_WIN(LV ":withdrawn")),      \
        COUNT_ROW(L ".stopped", "Số hồ sơ dừng xử lý", "Hồ sơ", T_WIN(LV ":stopped"))

static const struct report_row extra[] = {
    SECTION_ROW("3.2", "Hồ sơ do UBND các huyện, thành phố tiếp nhận (cấp huyện)"),
    LEVEL_ROWS("3.2", "district"),
    SECTION_ROW("3.3", "Hồ sơ do UBND cấp xã tiếp nhận (cấp xã)"),
    LEVEL_ROWS("3.3", "commune"),
};

const struct report_form report_form3 = {
    .number = 3,
    .title = "Cải cách thủ tục hành chính",
    .rows = rows,
    .nrows = sizeof rows / sizeof *rows,
    .extra = extra,
    .nextra = sizeof extra / sizeof *extra,
};
