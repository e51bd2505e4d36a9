/* Biểu mẫu 3: Cải cách thủ tục hành chính (procedures and dossiers). Labels
 * as the 2022 report of Rạch Giá prints them. Rows 1.x and 2.x count the
 * procedure catalogue, which has no source system yet. */
#include "forms.h"

#include <stddef.h>

#define DOSSIER_LEVEL_ROWS(L, lvl)                                                                 \
    {L ".carried_over",                                                                            \
     "Hồ sơ kỳ trước chuyển sang",                                                                 \
     "Hồ sơ",                                                                                      \
     ROW_CARRIED,                                                                                  \
     {lvl ":received", lvl ":resolved"}},                                                          \
        {L ".new",                                                                                 \
         "Hồ sơ tiếp nhận mới trong kỳ (kể cả trực tuyến)",                                        \
         "Hồ sơ",                                                                                  \
         ROW_SUM,                                                                                  \
         {lvl ":received"}},                                                                       \
        {L ".online", "trong đó: trực tuyến", "Hồ sơ", ROW_SUM, {lvl ":received_online"}},         \
        {L ".direct_or_postal",                                                                    \
         "trong đó: trực tiếp và qua bưu chính công ích",                                          \
         "Hồ sơ",                                                                                  \
         ROW_SUM,                                                                                  \
         {lvl ":received_direct", lvl ":received_postal"}},                                        \
        {L ".postal",                                                                              \
         "trong đó: qua bưu chính công ích",                                                       \
         "Hồ sơ",                                                                                  \
         ROW_SUM,                                                                                  \
         {lvl ":received_postal"}},                                                                \
        {L ".received",                                                                            \
         "Tổng số hồ sơ đã tiếp nhận (kỳ trước chuyển sang và nhận mới)",                          \
         "Hồ sơ",                                                                                  \
         ROW_CALC,                                                                                 \
         {L ".carried_over", L ".new"}},                                                           \
        {L ".late", "Số hồ sơ giải quyết quá hạn", "Hồ sơ", ROW_SUM, {lvl ":resolved_late"}},      \
        {L ".late_pct", "Tỷ lệ hồ sơ giải quyết quá hạn", "%", ROW_RATE, {L ".late", L ".1"}},     \
        {L ".pending",                                                                             \
         "Số hồ sơ đang giải quyết",                                                               \
         "Hồ sơ",                                                                                  \
         ROW_CALC,                                                                                 \
         {L ".received", NULL, L ".1"}},                                                           \
        {L ".returned_postal",                                                                     \
         "Số hồ sơ trả kết quả qua bưu chính công ích",                                            \
         "Hồ sơ",                                                                                  \
         ROW_SUM,                                                                                  \
         {lvl ":returned_postal"}},                                                                \
    {                                                                                              \
        L ".returned_postal_pct", "Tỷ lệ hồ sơ nhận qua bưu chính được trả kết quả qua bưu chính", \
            "%", ROW_RATE,                                                                         \
        {                                                                                          \
            L ".returned_postal", L ".postal"                                                      \
        }                                                                                          \
    }

static const struct row_def rows[] = {
    {"1", "Thống kê TTHC", NULL, ROW_HEADING, {NULL}},
    {"1.1", "Số TTHC đã được phê duyệt phương án đơn giản hóa", "Thủ tục", ROW_NONE, {NULL}},
    {"1.2", "Số TTHC công bố mới", "Thủ tục", ROW_NONE, {NULL}},
    {"1.3", "Số TTHC bãi bỏ, thay thế", "Thủ tục", ROW_NONE, {NULL}},
    {"1.4", "Tổng số TTHC thuộc thẩm quyền giải quyết tại địa phương", "Thủ tục", ROW_NONE, {NULL}},
    {"1.4.1",
     "Số TTHC cấp tỉnh (bao gồm cả TTHC của cơ quan ngành dọc)",
     "Thủ tục",
     ROW_NONE,
     {NULL}},
    {"1.4.2",
     "Số TTHC cấp huyện (bao gồm cả TTHC của cơ quan ngành dọc)",
     "Thủ tục",
     ROW_NONE,
     {NULL}},
    {"1.4.3",
     "Số TTHC cấp xã (bao gồm cả TTHC của cơ quan ngành dọc)",
     "Thủ tục",
     ROW_NONE,
     {NULL}},
    {"2", "Thực hiện cơ chế một cửa, một cửa liên thông", NULL, ROW_HEADING, {NULL}},
    {"2.1", "Số TTHC liên thông cùng cấp", "Thủ tục", ROW_NONE, {NULL}},
    {"2.2", "Số TTHC liên thông giữa các cấp chính quyền", "Thủ tục", ROW_NONE, {NULL}},
    {"2.3",
     "Số TTHC đã thực hiện tiếp nhận và giải quyết hồ sơ không phụ thuộc vào địa giới hành chính",
     "Thủ tục",
     ROW_NONE,
     {NULL}},
    {"3", "Kết quả giải quyết TTHC", NULL, ROW_HEADING, {NULL}},
    {"3.1",
     "Tỷ lệ hồ sơ TTHC do các sở, ban, ngành tiếp nhận được giải quyết đúng hạn",
     "%",
     ROW_RATE,
     {"3.1.2", "3.1.1"}},
    {"3.1.1", "Tổng số hồ sơ TTHC đã giải quyết xong", "Hồ sơ", ROW_SUM, {"province:resolved"}},
    {"3.1.2",
     "Số hồ sơ TTHC đã giải quyết đúng hạn",
     "Hồ sơ",
     ROW_SUM,
     {"province:resolved_early", "province:resolved_on_time"}},
    {"3.2",
     "Tỷ lệ hồ sơ TTHC do UBND các huyện, thành phố tiếp nhận được giải quyết đúng hạn",
     "%",
     ROW_RATE,
     {"3.2.2", "3.2.1"}},
    {"3.2.1", "Tổng số hồ sơ TTHC đã giải quyết xong", "Hồ sơ", ROW_SUM, {"district:resolved"}},
    {"3.2.2",
     "Số hồ sơ TTHC đã giải quyết đúng hạn",
     "Hồ sơ",
     ROW_SUM,
     {"district:resolved_early", "district:resolved_on_time"}},
    {"3.3",
     "Tỷ lệ hồ sơ TTHC do UBND cấp xã tiếp nhận được giải quyết đúng hạn",
     "%",
     ROW_RATE,
     {"3.3.2", "3.3.1"}},
    {"3.3.1", "Tổng số hồ sơ TTHC đã giải quyết xong", "Hồ sơ", ROW_SUM, {"commune:resolved"}},
    {"3.3.2",
     "Số hồ sơ TTHC đã giải quyết đúng hạn",
     "Hồ sơ",
     ROW_SUM,
     {"commune:resolved_early", "commune:resolved_on_time"}},
    {"3.4",
     "Tỷ lệ giải quyết phản ánh, kiến nghị (PAKN) về quy định TTHC",
     "%",
     ROW_RATE,
     {"3.4.2", "3.4.1"}},
    {"3.4.1",
     "Tổng số PAKN đã tiếp nhận (trực tiếp hoặc do cơ quan có thẩm quyền chuyển đến)",
     "PAKN",
     ROW_SUM,
     {"feedback_received"}},
    {"3.4.2", "Số PAKN đã giải quyết xong", "PAKN", ROW_SUM, {"feedback_resolved"}},
    {NULL, NULL, NULL, ROW_HEADING, {NULL}},
};

static const struct row_def extra[] = {
    {"3.2.x",
     "Cấp huyện (UBND thành phố và các cơ quan, đơn vị cấp huyện)",
     NULL,
     ROW_HEADING,
     {NULL}},
    DOSSIER_LEVEL_ROWS("3.2", "district"),
    {"3.3.x", "Cấp xã (UBND các phường, xã)", NULL, ROW_HEADING, {NULL}},
    DOSSIER_LEVEL_ROWS("3.3", "commune"),
    {NULL, NULL, NULL, ROW_HEADING, {NULL}},
};

const struct form_def form3 = {3, "Cải cách thủ tục hành chính", rows, extra};
