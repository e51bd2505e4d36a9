/* The catalogue of labels.h. The English is a statistician's, not a word
 * for word gloss: TTHC, UBND, PAKN, ĐVSNCL and VBQPPL are spelt out as the
 * reader of an English table expects (services/DOMAIN.md's glossary), and a
 * unit of measure is lower case as it follows a figure ("45148 dossiers").
 * The codes in a coded unit ("Có = 1, Không = 0") are what is reported, so
 * they stay as they are and only the words change.
 *
 * Only the forms' own texts are here, so that labels_test can tell a stale
 * entry from a missing one; the table is sorted by strcmp of the Vietnamese
 * (bytes of UTF-8, not a Vietnamese collation) for bsearch. */
#include "labels.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

struct entry {
    const char *vi;
    const char *en;
};

static const struct entry table[] = {
    {"%", "%"},
    {"Ban", "boards"},
    {"Chưa = 0, Hoàn thành = 1", "Not yet = 0, Completed = 1"},
    {"Chưa = 0, Đang làm = 1, Hoàn thành = 2", "Not yet = 0, In progress = 1, Completed = 2"},
    {"Chưa có = 0, 2 cấp = 1, 3 cấp = 2", "None = 0, 2 levels = 1, 3 levels = 2"},
    {"Cung cấp dịch vụ công trực tuyến", "Provision of online public services"},
    {"Cán bộ, công chức cấp xã đạt chuẩn về trình độ đào tạo chuyên môn, nghiệp vụ",
     "Commune-level officials and civil servants meeting the professional training standard"},
    {"Cán bộ, công chức cấp xã: số có mặt", "Commune-level officials and civil servants: in post"},
    {"Cán bộ, công chức cấp xã: số được giao", "Commune-level officials and civil servants: quota"},
    {"Có = 1, Không = 0", "Yes = 1, No = 0"},
    {"Công tác chỉ đạo điều hành cải cách hành chính",
     "Direction and management of administrative reform"},
    {"Cơ quan, đơn vị", "agencies and units"},
    {"Cải cách chế độ công vụ", "Civil service reform"},
    {"Cải cách thể chế", "Institutional reform"},
    {"Cải cách thủ tục hành chính", "Administrative procedure reform"},
    {"Cải cách tài chính công", "Public finance reform"},
    {"Cải cách tổ chức bộ máy", "Reform of the administrative apparatus"},
    {"Cập nhật Kiến trúc chính quyền điện tử phiên bản 2.0",
     "Update of the e-government architecture, version 2.0"},
    {"Cổng thông tin điện tử", "Web portal"},
    {"Dịch vụ công trực tuyến của UBND cấp xã",
     "Online public services of commune-level People's Committees"},
    {"Dự toán thu ngân sách được giao", "Assigned budget revenue estimate"},
    {"Hình thức khảo sát", "Survey method"},
    {"Hình ảnh", "images"},
    {"Hồ sơ", "dossiers"},
    {"Hồ sơ do UBND các huyện, thành phố tiếp nhận (cấp huyện)",
     "Dossiers received by district and city People's Committees (district level)"},
    {"Hồ sơ do UBND cấp xã tiếp nhận (cấp xã)",
     "Dossiers received by commune-level People's Committees (commune level)"},
    {"Không = 0, Có = 1", "No = 0, Yes = 1"},
    {"Khảo sát sự hài lòng của người dân, tổ chức",
     "Satisfaction survey of citizens and organisations"},
    {"Kiểm tra CCHC", "Administrative reform inspections"},
    {"Kiểm tra, xử lý VBQPPL", "Checking and handling of legal normative documents"},
    {"Kế hoạch được giao", "Assigned plan"},
    {"Kết quả giải quyết TTHC", "Results of handling administrative procedures"},
    {"Lượt người", "person-times"},
    {"Người", "people"},
    {"Người hoạt động không chuyên trách ở cấp xã: số có mặt",
     "Non-professional staff at commune level: in post"},
    {"Người hoạt động không chuyên trách ở cấp xã: số được giao",
     "Non-professional staff at commune level: quota"},
    {"Người hoạt động không chuyên trách ở khu phố, ấp: số có mặt",
     "Non-professional staff in neighbourhoods and hamlets: in post"},
    {"Người hoạt động không chuyên trách ở khu phố, ấp: số được giao",
     "Non-professional staff in neighbourhoods and hamlets: quota"},
    {"Người tham gia công việc ở khu phố, ấp: số có mặt",
     "People working in neighbourhoods and hamlets: in post"},
    {"Người tham gia công việc ở khu phố, ấp: số được giao",
     "People working in neighbourhoods and hamlets: quota"},
    {"Nhiệm vụ", "tasks"},
    {"PAKN", "feedback and petitions"},
    {"Phiếu", "questionnaires"},
    {"Rà soát VBQPPL", "Review of legal normative documents"},
    {"Sắp xếp, kiện toàn tổ chức bộ máy",
     "Reorganisation and consolidation of the administrative apparatus"},
    {"Số PAKN đã giải quyết xong", "Number of feedback and petitions resolved"},
    {"Số TTHC UBND cấp xã cung cấp trực tuyến mức độ 3 và 4",
     "Number of administrative procedures offered online at levels 3 and 4 by commune-level "
     "People's Committees"},
    {"Số TTHC bãi bỏ, thay thế", "Number of administrative procedures abolished or replaced"},
    {"Số TTHC cung cấp trực tuyến mức độ 3 và 4 đã tích hợp, công khai trên Cổng DVC quốc gia",
     "Number of administrative procedures offered online at levels 3 and 4 integrated into and "
     "published on the National Public Service Portal"},
    {"Số TTHC công bố mới", "Number of newly published administrative procedures"},
    {"Số TTHC cấp huyện (bao gồm cả TTHC của cơ quan ngành dọc)",
     "Number of district-level administrative procedures (including those of vertically managed "
     "agencies)"},
    {"Số TTHC cấp tỉnh (bao gồm cả TTHC của cơ quan ngành dọc)",
     "Number of provincial-level administrative procedures (including those of vertically managed "
     "agencies)"},
    {"Số TTHC cấp xã (bao gồm cả TTHC của cơ quan ngành dọc)",
     "Number of commune-level administrative procedures (including those of vertically managed "
     "agencies)"},
    {"Số TTHC liên thông cùng cấp",
     "Number of inter-agency administrative procedures at the same level"},
    {"Số TTHC liên thông giữa các cấp chính quyền",
     "Number of administrative procedures handled across levels of government"},
    {"Số TTHC đang cung cấp trực tuyến mức độ 3",
     "Number of administrative procedures offered online at level 3"},
    {"Số TTHC đang cung cấp trực tuyến mức độ 3 có phát sinh hồ sơ nộp trực tuyến",
     "Number of administrative procedures offered online at level 3 that received dossiers online"},
    {"Số TTHC đang cung cấp trực tuyến mức độ 4",
     "Number of administrative procedures offered online at level 4"},
    {"Số TTHC đang cung cấp trực tuyến mức độ 4 có phát sinh hồ sơ nộp trực tuyến",
     "Number of administrative procedures offered online at level 4 that received dossiers online"},
    {"Số TTHC đã thực hiện tiếp nhận và giải quyết hồ sơ không phụ thuộc vào địa giới hành chính",
     "Number of administrative procedures whose dossiers are received and resolved regardless of "
     "administrative boundaries"},
    {"Số TTHC đã được phê duyệt phương án đơn giản hóa",
     "Number of administrative procedures with an approved simplification plan"},
    {"Số TTHC đã được tích hợp, triển khai thanh toán trực tuyến trên Cổng DVC quốc gia hoặc trên "
     "Cổng DVC của tỉnh",
     "Number of administrative procedures with online payment integrated and deployed on the "
     "National Public Service Portal or the provincial public service portal"},
    {"Số UBND cấp huyện đã kiểm tra", "Number of district-level People's Committees inspected"},
    {"Số VBQPPL có kiến nghị xử lý đã được xử lý xong",
     "Number of legal normative documents recommended for handling that have been fully handled"},
    {"Số VBQPPL do cấp huyện ban hành",
     "Number of legal normative documents issued at district level"},
    {"Số VBQPPL do cấp tỉnh ban hành",
     "Number of legal normative documents issued at provincial level"},
    {"Số VBQPPL do cấp xã ban hành", "Number of legal normative documents issued at commune level"},
    {"Số VBQPPL đã kiểm tra theo thẩm quyền của cấp tỉnh",
     "Number of legal normative documents checked under provincial-level authority"},
    {"Số VBQPPL đã rà soát thuộc thẩm quyền của cấp tỉnh",
     "Number of legal normative documents reviewed under provincial-level authority"},
    {"Số ban quản lý trực thuộc UBND tỉnh",
     "Number of management boards under the provincial People's Committee"},
    {"Số biên chế đã tinh giản trong kỳ báo cáo",
     "Number of staffing positions cut through streamlining in the reporting period"},
    {"Số cán bộ, công chức cấp xã được xét chuyển thành công chức cấp huyện trở lên",
     "Number of commune-level officials and civil servants transferred to civil service posts at "
     "district level or above"},
    {"Số cán bộ, công chức, viên chức sử dụng thư điện tử công vụ",
     "Number of officials, civil servants and public employees using official e-mail"},
    {"Số công chức được tuyển dụng (thi tuyển, xét tuyển)",
     "Number of civil servants recruited (by competitive examination or selection)"},
    {"Số công chức được tuyển dụng theo trường hợp đặc biệt",
     "Number of civil servants recruited as special cases"},
    {"Số cơ quan, tổ chức có vi phạm trong thực hiện vị trí việc làm phát hiện qua thanh tra",
     "Number of agencies and organisations found by state inspection to have breached job-position "
     "rules"},
    {"Số cơ quan, tổ chức hành chính đã được phê duyệt vị trí việc làm theo quy định",
     "Number of administrative agencies and organisations with job positions approved as required"},
    {"Số cơ quan, đơn vị thuộc đối tượng kiểm tra",
     "Number of agencies and units subject to inspection"},
    {"Số cơ quan, đơn vị đã kiểm tra", "Number of agencies and units inspected"},
    {"Số cơ quan, đơn vị, địa phương được thanh tra",
     "Number of agencies, units and localities subject to state inspection"},
    {"Số hình ảnh đã đăng tải", "Number of images published"},
    {"Số hồ sơ TTHC đã giải quyết đúng hạn",
     "Number of administrative procedure dossiers resolved on time"},
    {"Số hồ sơ TTHC đã tiếp nhận trực tuyến",
     "Number of administrative procedure dossiers received online"},
    {"Số hồ sơ dừng xử lý", "Number of dossiers whose processing was stopped"},
    {"Số hồ sơ giải quyết quá hạn", "Number of dossiers resolved late"},
    {"Số hồ sơ không được tiếp nhận", "Number of dossiers not accepted"},
    {"Số hồ sơ kỳ trước chuyển sang", "Number of dossiers carried over from the previous period"},
    {"Số hồ sơ người nộp rút", "Number of dossiers withdrawn by the applicant"},
    {"Số hồ sơ nhận mới trong kỳ (kể cả trực tuyến)",
     "Number of new dossiers received in the period (including online)"},
    {"Số hồ sơ nhận mới trong kỳ phải bổ sung, hoàn thiện",
     "Number of new dossiers in the period that had to be supplemented or completed"},
    {"Số hồ sơ nhận mới trực tiếp và qua dịch vụ bưu chính công ích",
     "Number of new dossiers received in person and through the public postal service"},
    {"Số hồ sơ tiếp nhận qua dịch vụ bưu chính công ích",
     "Number of dossiers received through the public postal service"},
    {"Số hồ sơ tiếp nhận trực tuyến", "Number of dossiers received online"},
    {"Số hồ sơ trả kết quả qua dịch vụ bưu chính công ích",
     "Number of dossiers whose results were returned through the public postal service"},
    {"Số hồ sơ đang giải quyết (cuối kỳ)", "Number of dossiers pending (end of period)"},
    {"Số hợp đồng lao động làm việc tại cơ quan, tổ chức hành chính",
     "Number of contract workers in administrative agencies and organisations"},
    {"Số liệu về biên chế công chức", "Civil servant staffing figures"},
    {"Số liệu về trao đổi văn bản điện tử", "Electronic document exchange figures"},
    {"Số lãnh đạo cấp phòng thuộc sở, ban, ngành và UBND cấp huyện bị kỷ luật",
     "Number of division-level leaders of provincial departments and agencies and of "
     "district-level People's Committees disciplined"},
    {"Số lãnh đạo cấp tỉnh bị kỷ luật", "Number of provincial-level leaders disciplined"},
    {"Số lãnh đạo sở, ban, ngành và UBND cấp huyện bị kỷ luật",
     "Number of leaders of provincial departments and agencies and of district-level People's "
     "Committees disciplined"},
    {"Số lượng", "number"},
    {"Số lượng cán bộ, công chức, viên chức bị kỷ luật (cả về Đảng và chính quyền)",
     "Number of officials, civil servants and public employees disciplined (by the Party and by "
     "the government)"},
    {"Số lượng lãnh đạo quản lý được tuyển chọn, bổ nhiệm thông qua thi tuyển (Lũy kế từ đầu năm)",
     "Number of managers selected and appointed through competitive examination (cumulative since "
     "the start of the year)"},
    {"Số lượng phiếu khảo sát", "Number of survey questionnaires"},
    {"Số lượng tổ chức liên ngành do cấp tỉnh thành lập",
     "Number of inter-sectoral bodies established at provincial level"},
    {"Số lượt cán bộ, công chức, viên chức được cử đi đào tạo, bồi dưỡng",
     "Number of times officials, civil servants and public employees were sent for training and "
     "professional development"},
    {"Số người làm việc hưởng lương từ NSNN tại các ĐVSNCL bị kỷ luật",
     "Number of state-budget-paid employees of public service units disciplined"},
    {"Số người làm việc hưởng lương từ NSNN tại các đơn vị sự nghiệp công lập",
     "State-budget-paid employees of public service units"},
    {"Số người đã tinh giản trong kỳ báo cáo",
     "Number of employees cut through streamlining in the reporting period"},
    {"Số nhiệm vụ quá hạn nhưng chưa hoàn thành", "Number of tasks overdue and not yet completed"},
    {"Số nhiệm vụ đang thực hiện, chưa đến hạn", "Number of tasks in progress, not yet due"},
    {"Số nhiệm vụ đã hoàn thành", "Number of tasks completed"},
    {"Số nhiệm vụ đã hoàn thành nhưng quá hạn", "Number of tasks completed late"},
    {"Số nhiệm vụ đã hoàn thành đúng hạn", "Number of tasks completed on time"},
    {"Số nhiệm vụ đề ra trong kế hoạch", "Number of tasks set in the plan"},
    {"Số phiếu hài lòng", "Number of questionnaires reporting satisfaction"},
    {"Số phiếu khảo sát thu về tại Bộ phận một cửa",
     "Number of survey questionnaires collected at the one-stop shop"},
    {"Số sở, ban, ngành đã kiểm tra", "Number of provincial departments and agencies inspected"},
    {"Số tin bài đã đăng tải", "Number of news items published"},
    {"Số tiền kiến nghị thu hồi sau thanh tra, kiểm tra, kiểm toán",
     "Amount recommended for recovery after inspections, checks and audits"},
    {"Số tiền đã nộp theo kiến nghị", "Amount remitted under the recommendations"},
    {"Số viên chức được tuyển dụng (thi tuyển, xét tuyển)",
     "Number of public employees recruited (by competitive examination or selection)"},
    {"Số viên chức được tuyển dụng theo trường hợp đặc biệt",
     "Number of public employees recruited as special cases"},
    {"Số văn bản chỉ đạo CCHC đã ban hành (Kế hoạch, chỉ thị, công văn chỉ đạo, quán triệt)",
     "Number of administrative reform directive documents issued (plans, directives, official "
     "letters giving direction or instructions)"},
    {"Số văn bản đi phát hành dưới dạng điện tử",
     "Number of outgoing documents issued in electronic form"},
    {"Số văn bản đã đăng tải", "Number of documents published"},
    {"Số văn bản đến nhận dưới dạng điện tử",
     "Number of incoming documents received in electronic form"},
    {"Số vấn đề phát hiện qua kiểm tra", "Number of issues found through inspection"},
    {"Số vấn đề phát hiện đã xử lý xong", "Number of issues found that have been resolved"},
    {"Số ĐVSNCL do Nhà nước bảo đảm chi thường xuyên (lũy kế đến thời điểm báo cáo)",
     "Number of public service units whose recurrent expenditure is covered by the State "
     "(cumulative to the reporting date)"},
    {"Số ĐVSNCL thuộc UBND các huyện, thành phố",
     "Number of public service units under district and city People's Committees"},
    {"Số ĐVSNCL thuộc UBND tỉnh",
     "Number of public service units under the provincial People's Committee"},
    {"Số ĐVSNCL thuộc sở, ngành và tương đương",
     "Number of public service units under provincial departments, agencies and equivalent bodies"},
    {"Số ĐVSNCL tự bảo đảm chi thường xuyên (lũy kế đến thời điểm báo cáo)",
     "Number of public service units self-financing their recurrent expenditure (cumulative to the "
     "reporting date)"},
    {"Số ĐVSNCL tự bảo đảm chi thường xuyên và chi đầu tư (lũy kế đến thời điểm báo cáo)",
     "Number of public service units self-financing their recurrent and investment expenditure "
     "(cumulative to the reporting date)"},
    {"Số ĐVSNCL tự bảo đảm một phần chi thường xuyên (lũy kế đến thời điểm báo cáo)",
     "Number of public service units partly self-financing their recurrent expenditure (cumulative "
     "to the reporting date)"},
    {"Số ĐVSNCL tự bảo đảm từ 10% - dưới 30% chi thường xuyên (lũy kế đến thời điểm báo cáo)",
     "Number of public service units self-financing 10% to under 30% of their recurrent "
     "expenditure (cumulative to the reporting date)"},
    {"Số ĐVSNCL tự bảo đảm từ 30% - dưới 70% chi thường xuyên (lũy kế đến thời điểm báo cáo)",
     "Number of public service units self-financing 30% to under 70% of their recurrent "
     "expenditure (cumulative to the reporting date)"},
    {"Số ĐVSNCL tự bảo đảm từ 70% - dưới 100% chi thường xuyên (lũy kế đến thời điểm báo cáo)",
     "Number of public service units self-financing 70% to under 100% of their recurrent "
     "expenditure (cumulative to the reporting date)"},
    {"Số ĐVSNCL đã chuyển đổi thành công ty cổ phần (lũy kế đến thời điểm báo cáo)",
     "Number of public service units converted into joint-stock companies (cumulative to the "
     "reporting date)"},
    {"Số đơn vị sự nghiệp đã được phê duyệt vị trí việc làm theo quy định",
     "Number of public service units with job positions approved as required"},
    {"Thanh tra việc thực hiện quy định pháp luật về tuyển dụng, quản lý, sử dụng công chức, viên "
     "chức và tổ chức bộ máy (thuộc thẩm quyền của Sở Nội vụ)",
     "State inspection of compliance with the law on the recruitment, management and employment of "
     "civil servants and public employees and on the organisation of the apparatus (under the "
     "authority of the Department of Home Affairs)"},
    {"Thu ngân sách nhà nước trên địa bàn", "State budget revenue in the locality"},
    {"Thư điện tử công vụ", "Official e-mail"},
    {"Thống kê TTHC", "Administrative procedure statistics"},
    {"Thủ tục", "procedures"},
    {"Thực hiện cơ chế một cửa, một cửa liên thông",
     "Implementation of the one-stop shop and inter-agency one-stop shop mechanisms"},
    {"Thực hiện kết nối, liên thông các Hệ thống quản lý văn bản điều hành từ cấp tỉnh đến cấp xã",
     "Connection and interoperability of the document and administration management systems from "
     "provincial to commune level"},
    {"Thực hiện nhiệm vụ Chính phủ, Thủ tướng Chính phủ giao",
     "Performance of tasks assigned by the Government and the Prime Minister"},
    {"Thực hiện tự chủ tài chính của ĐVSNCL trên địa bàn tỉnh (lũy kế đến thời điểm báo cáo)",
     "Financial autonomy of public service units in the province (cumulative to the reporting "
     "date)"},
    {"Tin bài", "news items"},
    {"Triển khai xây dựng nền tảng chia sẻ, tích hợp dùng chung (LGSP)",
     "Deployment of the shared integration and data-sharing platform (LGSP)"},
    {"Triệu đồng", "million VND"},
    {"Trực tuyến = 0, Phát phiếu = 1, Kết hợp = 2",
     "Online = 0, Paper questionnaires = 1, Combined = 2"},
    {"Tuyển dụng công chức, viên chức", "Recruitment of civil servants and public employees"},
    {"Tổ chức", "organisations"},
    {"Tổ chức đối thoại của lãnh đạo với người dân, cộng đồng doanh nghiệp",
     "Dialogues held by leaders with citizens and the business community"},
    {"Tổng số PAKN đã tiếp nhận (trực tiếp hoặc do cơ quan có thẩm quyền chuyển đến)",
     "Total number of feedback and petitions received (directly or forwarded by competent "
     "authorities)"},
    {"Tổng số TTHC có yêu cầu nghĩa vụ tài chính (tất cả các TTHC có phát sinh phí, lệ phí,...)",
     "Total number of administrative procedures involving financial obligations (every procedure "
     "with charges, fees, etc.)"},
    {"Tổng số TTHC thuộc thẩm quyền giải quyết tại địa phương",
     "Total number of administrative procedures under local authority"},
    {"Tổng số TTHC đang cung cấp trực tuyến mức độ 3 và 4 trên địa bàn tỉnh",
     "Total number of administrative procedures offered online at levels 3 and 4 in the province"},
    {"Tổng số TTHC đủ điều kiện cung cấp trực tuyến mức độ 3",
     "Total number of administrative procedures eligible to be offered online at level 3"},
    {"Tổng số TTHC đủ điều kiện cung cấp trực tuyến mức độ 4",
     "Total number of administrative procedures eligible to be offered online at level 4"},
    {"Tổng số VBQPPL cần phải xử lý sau kiểm tra",
     "Total number of legal normative documents requiring handling after checking"},
    {"Tổng số VBQPPL cần phải xử lý sau rà soát",
     "Total number of legal normative documents requiring handling after review"},
    {"Tổng số VBQPPL do địa phương ban hành",
     "Total number of legal normative documents issued by the locality"},
    {"Tổng số biên chế có mặt tại thời điểm báo cáo", "Total staff in post at the reporting date"},
    {"Tổng số biên chế được giao trong năm", "Total staffing quota assigned for the year"},
    {"Tổng số cán bộ, công chức, viên chức",
     "Total number of officials, civil servants and public employees"},
    {"Tổng số hồ sơ TTHC đã giải quyết xong",
     "Total number of administrative procedure dossiers resolved"},
    {"Tổng số hồ sơ TTHC đã tiếp nhận (cả trực tiếp và trực tuyến)",
     "Total number of administrative procedure dossiers received (in person and online)"},
    {"Tổng số hồ sơ đã tiếp nhận (kỳ trước chuyển sang và nhận mới)",
     "Total number of dossiers received (carried over and new)"},
    {"Tổng số người làm việc có mặt tại thời điểm báo cáo",
     "Total employees in post at the reporting date"},
    {"Tổng số người làm việc được giao", "Total employee quota assigned"},
    {"Tổng số nhiệm vụ được giao", "Total number of tasks assigned"},
    {"Tổng số văn bản đi", "Total number of outgoing documents"},
    {"Tổng số ĐVSNCL trên địa bàn tỉnh", "Total number of public service units in the province"},
    {"Tổng số đơn vị sự nghiệp công lập (ĐVSNCL) trên địa bàn tỉnh",
     "Total number of public service units in the province"},
    {"Tỷ lệ % đã tinh giản so với năm 2015",
     "Percentage cut through streamlining compared with 2015"},
    {"Tỷ lệ TTHC cung cấp trực tuyến mức độ 3 và 4 đã tích hợp, công khai trên cổng DVC quốc gia",
     "Percentage of administrative procedures offered online at levels 3 and 4 integrated into and "
     "published on the National Public Service Portal"},
    {"Tỷ lệ TTHC được tích hợp, triển khai thanh toán trực tuyến",
     "Percentage of administrative procedures with online payment integrated and deployed"},
    {"Tỷ lệ TTHC đủ điều kiện được cung cấp trực tuyến mức độ 3",
     "Percentage of eligible administrative procedures offered online at level 3"},
    {"Tỷ lệ TTHC đủ điều kiện được cung cấp trực tuyến mức độ 4",
     "Percentage of eligible administrative procedures offered online at level 4"},
    {"Tỷ lệ UBND các huyện, thành phố đã hoàn thành việc sắp xếp các phòng chuyên môn đáp ứng các "
     "tiêu chí theo quy định của Chính phủ",
     "Percentage of district and city People's Committees that have completed the restructuring of "
     "their specialised divisions to meet the Government's criteria"},
    {"Tỷ lệ UBND cấp huyện đã kết nối, liên thông với UBND tỉnh",
     "Percentage of district-level People's Committees connected and interoperable with the "
     "provincial People's Committee"},
    {"Tỷ lệ UBND cấp xã đã kết nối, liên thông với UBND huyện",
     "Percentage of commune-level People's Committees connected and interoperable with the "
     "district People's Committee"},
    {"Tỷ lệ báo cáo định kỳ được gửi, nhận qua Hệ thống thông tin báo cáo quốc gia",
     "Percentage of periodic reports sent and received through the National Reporting Information "
     "System"},
    {"Tỷ lệ cán bộ, công chức cấp xã đạt chuẩn",
     "Percentage of commune-level officials and civil servants meeting the standard"},
    {"Tỷ lệ cán bộ, công chức, viên chức sử dụng thư điện tử công vụ",
     "Percentage of officials, civil servants and public employees using official e-mail"},
    {"Tỷ lệ cơ quan, đơn vị đã kiểm tra", "Percentage of agencies and units inspected"},
    {"Tỷ lệ cơ quan, đơn vị, địa phương đã hoàn thành việc thực hiện kết luận thanh tra",
     "Percentage of agencies, units and localities that have fully implemented the state "
     "inspection conclusions"},
    {"Tỷ lệ giải quyết phản ánh, kiến nghị (PAKN) về quy định TTHC",
     "Resolution rate of feedback and petitions on administrative procedure regulations"},
    {"Tỷ lệ hoàn thành Kế hoạch CCHC năm (tính đến thời điểm báo cáo)",
     "Completion rate of the annual administrative reform plan (as of the reporting date)"},
    {"Tỷ lệ hồ sơ TTHC do UBND các huyện, thành phố tiếp nhận được giải quyết đúng hạn",
     "Percentage of administrative procedure dossiers received by district and city People's "
     "Committees resolved on time"},
    {"Tỷ lệ hồ sơ TTHC do UBND cấp xã tiếp nhận được giải quyết đúng hạn",
     "Percentage of administrative procedure dossiers received by commune-level People's "
     "Committees resolved on time"},
    {"Tỷ lệ hồ sơ TTHC do các sở, ban, ngành tiếp nhận được giải quyết đúng hạn",
     "Percentage of administrative procedure dossiers received by provincial departments and "
     "agencies resolved on time"},
    {"Tỷ lệ hồ sơ TTHC được tiếp nhận trực tuyến mức độ 3 và 4 (chỉ thống kê đối với các TTHC mức "
     "độ 3 và 4 có phát sinh hồ sơ)",
     "Percentage of administrative procedure dossiers received online at levels 3 and 4 (counting "
     "only level 3 and 4 procedures that received dossiers)"},
    {"Tỷ lệ hồ sơ giải quyết quá hạn", "Percentage of dossiers resolved late"},
    {"Tỷ lệ hồ sơ nhận qua bưu chính được trả kết quả qua bưu chính",
     "Percentage of dossiers received by post whose results were returned by post"},
    {"Tỷ lệ phần trăm biên chế đã tinh giản so với năm 2015",
     "Percentage of staffing positions cut through streamlining compared with 2015"},
    {"Tỷ lệ sở, ban, ngành đã hoàn thành việc sắp xếp các phòng chuyên môn đáp ứng các tiêu chí "
     "theo quy định của Chính phủ",
     "Percentage of provincial departments and agencies that have completed the restructuring of "
     "their specialised divisions to meet the Government's criteria"},
    {"Tỷ lệ sở, ban, ngành đã kết nối liên thông với Hệ thống",
     "Percentage of provincial departments and agencies connected and interoperable with the "
     "System"},
    {"Tỷ lệ sở, ngành đã kết nối, liên thông với UBND tỉnh",
     "Percentage of provincial departments connected and interoperable with the provincial "
     "People's Committee"},
    {"Tỷ lệ sử dụng văn bản điện tử của UBND các huyện, thành phố",
     "Electronic document use rate of district and city People's Committees"},
    {"Tỷ lệ sử dụng văn bản điện tử của UBND cấp xã",
     "Electronic document use rate of commune-level People's Committees"},
    {"Tỷ lệ sử dụng văn bản điện tử của các sở, ban, ngành tỉnh",
     "Electronic document use rate of provincial departments and agencies"},
    {"Tỷ lệ sử dụng văn bản điện tử trên địa bàn tỉnh (Chỉ thống kê tỷ lệ văn bản được gửi hoàn "
     "toàn dưới dạng điện tử; sử dụng chữ ký số, chứng thư số và gửi trên môi trường điện tử)",
     "Electronic document use rate in the province (counting only documents sent fully in "
     "electronic form: digitally signed with a digital certificate and sent electronically)"},
    {"Tỷ lệ thu ngân sách so với dự toán", "Budget revenue as a percentage of the estimate"},
    {"Tỷ lệ thực hiện Kế hoạch giải ngân vốn đầu tư công",
     "Implementation rate of the public investment disbursement plan"},
    {"Tỷ lệ thực hiện kiến nghị về tài chính", "Implementation rate of financial recommendations"},
    {"Tỷ lệ tổ chức, cá nhân hài lòng", "Percentage of organisations and individuals satisfied"},
    {"Tỷ lệ xử lý VBQPPL sau kiểm tra",
     "Handling rate of legal normative documents after checking"},
    {"Tỷ lệ xử lý VBQPPL sau rà soát", "Handling rate of legal normative documents after review"},
    {"Tỷ lệ xử lý các vấn đề phát hiện qua kiểm tra",
     "Resolution rate of issues found through inspection"},
    {"Tỷ lệ ĐVSNCL đã cắt giảm so với năm 2015",
     "Percentage reduction in the number of public service units compared with 2015"},
    {"Tỷ lệ đơn vị cấp huyện đã kết nối liên thông với Hệ thống",
     "Percentage of district-level units connected and interoperable with the System"},
    {"Tỷ lệ đơn vị cấp xã đã kết nối liên thông với Hệ thống",
     "Percentage of commune-level units connected and interoperable with the System"},
    {"Tỷ đồng", "billion VND"},
    {"Văn bản", "documents"},
    {"Văn bản điện tử của UBND các huyện, thành phố (cấp huyện)",
     "Electronic documents of district and city People's Committees (district level)"},
    {"Văn bản điện tử của UBND cấp xã (cấp xã)",
     "Electronic documents of commune-level People's Committees (commune level)"},
    {"Vấn đề", "issues"},
    {"Vị trí việc làm của công chức, viên chức",
     "Job positions of civil servants and public employees"},
    {"Xây dựng và phát triển Chính quyền điện tử, Chính quyền số",
     "Building and developing e-government and digital government"},
    {"Xây dựng và vận hành Hệ thống họp trực tuyến (Liên thông 2 cấp: từ UBND tỉnh đến 100% UBND "
     "các huyện; Liên thông 3 cấp: từ UBND tỉnh đến 100% UBND cấp huyện, cấp xã)",
     "Building and operating the videoconferencing system (2 levels: from the provincial People's "
     "Committee to every district People's Committee; 3 levels: from the provincial People's "
     "Committee to every district- and commune-level People's Committee)"},
    {"Xây dựng, vận hành Hệ thống thông tin một cửa điện tử tập trung của tỉnh",
     "Building and operating the province's centralised electronic one-stop shop information "
     "system"},
    {"Đã thực hiện", "Disbursed"},
    {"Đơn vị", "units"},
    {"Đồng", "VND"},
};

#define NTABLE (sizeof table / sizeof *table)

static int cmp(const void *key, const void *e)
{
    return strcmp(key, ((const struct entry *)e)->vi);
}

const char *report_en(const char *vi)
{
    const struct entry *e = bsearch(vi, table, NTABLE, sizeof *table, cmp);
    return e ? e->en : NULL;
}

void report_en_each(void (*fn)(const char *vi, void *arg), void *arg)
{
    for (size_t i = 0; i < NTABLE; i++)
        fn(table[i].vi, arg);
}
