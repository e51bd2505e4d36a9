/* Biểu mẫu 6 — Cải cách tài chính công: public investment and the financial
 * autonomy of public service units (cchc-finance). Amounts are integer đồng
 * in Redis and stay đồng here: only printing divides them, so the rates are
 * those of the exact amounts. The investment plan and autonomy categories
 * are levels (in force at the window's end); disbursements are counters.
 * Labels as the 2022 report of Rạch Giá prints them, OCR slips put right. */
#include "forms.h"

static const struct report_row rows[] = {
    RATE_ROW("1", "Tỷ lệ thực hiện Kế hoạch giải ngân vốn đầu tư công", T_ROW("1.2"), T_ROW("1.1")),
    MONEY_ROW("1.1", "Kế hoạch được giao", "Triệu đồng", REPORT_MILLIONS, T_LVL("investment_plan")),
    MONEY_ROW("1.2", "Đã thực hiện", "Triệu đồng", REPORT_MILLIONS, T_WIN("disbursed")),
    SECTION_ROW("2", "Thực hiện tự chủ tài chính của ĐVSNCL trên địa bàn tỉnh (lũy kế đến thời "
                     "điểm báo cáo)"),
    COUNT_ROW("2.1", "Tổng số ĐVSNCL trên địa bàn tỉnh", "Đơn vị", T_LVL("service_units")),
    COUNT_ROW("2.2",
              "Số ĐVSNCL tự bảo đảm chi thường xuyên và chi đầu tư (lũy kế đến thời điểm báo cáo)",
              "Đơn vị", T_LVL("autonomy.tu-chu-chi-dau-tu")),
    COUNT_ROW("2.3", "Số ĐVSNCL tự bảo đảm chi thường xuyên (lũy kế đến thời điểm báo cáo)",
              "Đơn vị", T_LVL("autonomy.tu-chu-chi-thuong-xuyen")),
    COUNT_ROW("2.4",
              "Số ĐVSNCL tự bảo đảm một phần chi thường xuyên (lũy kế đến thời điểm báo cáo)",
              "Đơn vị", T_ROW("2.4.1"), T_ROW("2.4.2"), T_ROW("2.4.3")),
    COUNT_ROW("2.4.1",
              "Số ĐVSNCL tự bảo đảm từ 70% - dưới 100% chi thường xuyên (lũy kế đến thời điểm báo "
              "cáo)",
              "Đơn vị", T_LVL("autonomy.tu-chu-mot-phan-70-100")),
    COUNT_ROW("2.4.2",
              "Số ĐVSNCL tự bảo đảm từ 30% - dưới 70% chi thường xuyên (lũy kế đến thời điểm báo "
              "cáo)",
              "Đơn vị", T_LVL("autonomy.tu-chu-mot-phan-30-70")),
    COUNT_ROW("2.4.3",
              "Số ĐVSNCL tự bảo đảm từ 10% - dưới 30% chi thường xuyên (lũy kế đến thời điểm báo "
              "cáo)",
              "Đơn vị", T_LVL("autonomy.tu-chu-mot-phan-10-30")),
    COUNT_ROW("2.5",
              "Số ĐVSNCL do Nhà nước bảo đảm chi thường xuyên (lũy kế đến thời điểm báo cáo)",
              "Đơn vị", T_LVL("autonomy.nha-nuoc-dam-bao")),
    IND_ROW("2.6", "Số ĐVSNCL đã chuyển đổi thành công ty cổ phần (lũy kế đến thời điểm báo cáo)",
            "Đơn vị"),
};

/* The report's text: "887,2/774,3 tỷ đồng, đạt 114,58% dự toán" and the
 * audit findings remitted. README.md. */
static const struct report_row extra[] = {
    MONEY_ROW("revenue", "Thu ngân sách nhà nước trên địa bàn", "Tỷ đồng", REPORT_BILLIONS,
              T_WIN("revenue")),
    MONEY_ROW("revenue_estimate", "Dự toán thu ngân sách được giao", "Tỷ đồng", REPORT_BILLIONS,
              T_LVL("revenue_estimate")),
    RATE_ROW("revenue_pct", "Tỷ lệ thu ngân sách so với dự toán", T_ROW("revenue"),
             T_ROW("revenue_estimate")),
    COUNT_ROW("audit_due", "Số tiền kiến nghị thu hồi sau thanh tra, kiểm tra, kiểm toán", "Đồng",
              T_WIN("audit_due")),
    COUNT_ROW("audit_paid", "Số tiền đã nộp theo kiến nghị", "Đồng", T_WIN("audit_paid")),
    RATE_ROW("audit_paid_pct", "Tỷ lệ thực hiện kiến nghị về tài chính", T_ROW("audit_paid"),
             T_ROW("audit_due")),
};

const struct report_form report_form6 = {
    .number = 6,
    .title = "Cải cách tài chính công",
    .rows = rows,
    .nrows = sizeof rows / sizeof *rows,
    .extra = extra,
    .nextra = sizeof extra / sizeof *extra,
};
