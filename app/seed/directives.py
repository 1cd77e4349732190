"""Realistic directive documents and tasks for the demo (pure data, no database).

The kinds of document the Provincial People's Committee and its Chairman assign tasks
by (Art. 4.1), with their number suffixes (Decree 30/2020/NĐ-CP: TB, KH, CT, QĐ, CĐ, a
công văn without one), the source they count under in Phụ lục I, and the tasks a
department or a commune typically receives. The people named are fictional.
"""
from __future__ import annotations

from dataclasses import dataclass

CHAIRMAN = "Trần Quốc Nam"
VICE_CHAIRS = ("Nguyễn Tấn Tuân", "Lê Minh Khoa", "Phạm Thị Hồng Vân", "Đinh Văn Thiệu")


@dataclass(frozen=True)
class DocKind:
    doc_type: str
    suffix: str  # "TB-UBND", or the công văn's "UBND-KT"
    source: str
    issuer: str
    summaries: tuple[str, ...]
    urgency: tuple[str, ...] = ("normal",)


DOC_KINDS: tuple[DocKind, ...] = (
    DocKind("notice", "TB-UBND", "meeting_conclusion", "committee", (
        "Thông báo kết luận của Chủ tịch UBND tỉnh tại cuộc họp UBND tỉnh thường kỳ tháng {month}/{year}",
        "Thông báo kết luận của Phó Chủ tịch UBND tỉnh tại buổi làm việc về tiến độ giải ngân vốn đầu tư công",
        "Thông báo kết luận của Chủ tịch UBND tỉnh tại buổi kiểm tra tình hình sản xuất, kinh doanh đầu năm",
        "Thông báo kết luận cuộc họp UBND tỉnh thường kỳ quý {quarter}/{year}",
    )),
    DocKind("official_letter", "UBND-KT", "ad_hoc", "chairman", (
        "V/v đẩy nhanh tiến độ giải ngân kế hoạch vốn đầu tư công năm {year}",
        "V/v tăng cường công tác quản lý giá, bình ổn thị trường dịp cuối năm",
        "V/v xử lý kiến nghị của doanh nghiệp tại Hội nghị đối thoại tháng {month}/{year}",
        "V/v triển khai các giải pháp thúc đẩy tăng trưởng kinh tế quý {quarter}/{year}",
    ), ("normal", "normal", "urgent")),
    DocKind("official_letter", "UBND-XDNĐ", "ad_hoc", "chairman", (
        "V/v tháo gỡ vướng mắc trong công tác bồi thường, giải phóng mặt bằng các dự án trọng điểm",
        "V/v rà soát, xử lý các dự án chậm tiến độ trên địa bàn tỉnh",
        "V/v chấn chỉnh công tác quản lý trật tự xây dựng, đất đai",
    )),
    DocKind("official_letter", "UBND-VX", "ad_hoc", "committee", (
        "V/v chuẩn bị các điều kiện tổ chức năm học mới {year}-{next_year}",
        "V/v tăng cường phòng, chống dịch bệnh sốt xuất huyết trên địa bàn tỉnh",
        "V/v tổ chức các hoạt động văn hóa, thể thao, du lịch chào mừng các ngày lễ lớn",
    )),
    DocKind("official_letter", "UBND-NC", "ad_hoc", "committee", (
        "V/v thực hiện các kết luận sau thanh tra, kiểm tra",
        "V/v tiếp tục sắp xếp tổ chức bộ máy sau hợp nhất tỉnh",
        "V/v giải quyết đơn thư khiếu nại, tố cáo tồn đọng, kéo dài",
    )),
    DocKind("plan", "KH-UBND", "work_program", "committee", (
        "Kế hoạch triển khai Chương trình công tác năm {year} của UBND tỉnh",
        "Kế hoạch chuyển đổi số tỉnh Khánh Hòa năm {year}",
        "Kế hoạch cải cách hành chính tỉnh Khánh Hòa năm {year}",
        "Kế hoạch thực hiện Chương trình mục tiêu quốc gia xây dựng nông thôn mới năm {year}",
    )),
    DocKind("decision", "QĐ-UBND", "work_program", "committee", (
        "Quyết định ban hành Chương trình công tác quý {quarter}/{year} của UBND tỉnh",
        "Quyết định giao chỉ tiêu kế hoạch phát triển kinh tế - xã hội năm {year}",
    )),
    DocKind("directive", "CT-UBND", "ad_hoc", "chairman", (
        "Chỉ thị về tăng cường kỷ luật, kỷ cương hành chính trong thực thi công vụ",
        "Chỉ thị về đẩy mạnh thực hiện các nhiệm vụ, giải pháp chủ yếu cuối năm {year}",
    )),
    DocKind("telegram", "CĐ-UBND", "ad_hoc", "chairman", (
        "Công điện về việc chủ động ứng phó với áp thấp nhiệt đới, mưa lớn",
        "Công điện về việc tập trung khắc phục hậu quả mưa lũ",
    ), ("urgent", "very_urgent", "flash")),
)

# Weights of the kinds (how often each is issued in a year).
DOC_WEIGHTS = (5, 4, 2, 2, 2, 3, 1, 1, 1)

# What each lead agency is typically asked to do; "{area}" is a commune's name.
TASKS: dict[str, tuple[str, ...]] = {
    "STC": ("Tham mưu UBND tỉnh điều chuyển kế hoạch vốn của các dự án chậm giải ngân",
            "Báo cáo tình hình thu, chi ngân sách nhà nước và dự kiến cả năm",
            "Rà soát, đề xuất phương án xử lý tài sản công dôi dư sau sắp xếp đơn vị hành chính",
            "Thẩm định, trình phê duyệt quyết toán vốn các dự án hoàn thành"),
    "SXD": ("Kiểm tra tiến độ thi công các công trình giao thông trọng điểm, báo cáo UBND tỉnh",
            "Rà soát quy hoạch chung đô thị, đề xuất điều chỉnh cục bộ",
            "Hướng dẫn các địa phương quản lý trật tự xây dựng ven biển"),
    "SNNMT": ("Tham mưu phương án phòng, chống thiên tai mùa mưa bão",
              "Rà soát, xử lý các trường hợp vi phạm về đất đai, khoáng sản",
              "Đẩy nhanh cấp giấy chứng nhận quyền sử dụng đất lần đầu cho hộ gia đình, cá nhân",
              "Kiểm tra công tác bảo vệ môi trường tại các khu, cụm công nghiệp"),
    "SNV": ("Tham mưu phương án sắp xếp đơn vị sự nghiệp công lập sau hợp nhất",
            "Thẩm định đề án vị trí việc làm của các cơ quan, đơn vị",
            "Tổng hợp kết quả chỉ số cải cách hành chính, đề xuất giải pháp nâng hạng"),
    "SCT": ("Xây dựng kế hoạch bảo đảm cung ứng hàng hóa thiết yếu dịp Tết Nguyên đán",
            "Kiểm tra việc chấp hành pháp luật về kinh doanh xăng dầu",
            "Đề xuất giải pháp hỗ trợ doanh nghiệp xuất khẩu thủy sản"),
    "SKHCN": ("Xây dựng đề án chuyển đổi số trong cơ quan nhà nước tỉnh giai đoạn 2026-2030",
              "Triển khai nền tảng dữ liệu dùng chung của tỉnh",
              "Đánh giá hiệu quả các nhiệm vụ khoa học và công nghệ cấp tỉnh"),
    "SYT": ("Triển khai tiêm chủng mở rộng tại các xã, phường, đặc khu",
            "Kiểm tra an toàn thực phẩm tại các cơ sở kinh doanh dịch vụ du lịch",
            "Tham mưu phương án thiếu thuốc, vật tư y tế tại các bệnh viện tuyến tỉnh"),
    "SGDDT": ("Chuẩn bị các điều kiện tổ chức kỳ thi tốt nghiệp trung học phổ thông",
              "Rà soát, sắp xếp mạng lưới trường lớp sau hợp nhất",
              "Báo cáo tình hình thiếu giáo viên, đề xuất giải pháp"),
    "SVHTTDL": ("Xây dựng kế hoạch kích cầu du lịch mùa thấp điểm",
                "Tổ chức các hoạt động văn hóa, thể thao chào mừng ngày thành lập tỉnh",
                "Kiểm tra hoạt động kinh doanh dịch vụ lưu trú du lịch"),
    "STP": ("Thẩm định dự thảo quyết định quy phạm pháp luật của UBND tỉnh",
            "Rà soát, hệ thống hóa văn bản quy phạm pháp luật sau hợp nhất tỉnh"),
    "TTT": ("Theo dõi, đôn đốc thực hiện kết luận thanh tra về quản lý đất đai",
            "Tham mưu giải quyết các vụ khiếu nại đông người, kéo dài"),
    "SDTTG": ("Triển khai chính sách hỗ trợ đồng bào dân tộc thiểu số vùng khó khăn",
              "Báo cáo tình hình hoạt động tín ngưỡng, tôn giáo trên địa bàn tỉnh"),
    "BQLKKT": ("Đẩy nhanh tiến độ giải phóng mặt bằng Khu kinh tế Vân Phong",
               "Rà soát các dự án đầu tư chậm triển khai trong khu kinh tế, đề xuất thu hồi"),
    "CAT": ("Bảo đảm an ninh trật tự, an toàn giao thông dịp lễ, Tết",),
    "_commune": ("Hoàn thành giải phóng mặt bằng các dự án trọng điểm trên địa bàn {area}",
                 "Xử lý dứt điểm các trường hợp vi phạm trật tự xây dựng tại {area}",
                 "Báo cáo tiến độ xây dựng nông thôn mới, đô thị văn minh tại {area}",
                 "Rà soát, hỗ trợ hộ nghèo, hộ cận nghèo trên địa bàn {area}"),
}

# Agencies often asked to coordinate with a lead.
COORDINATORS: dict[str, tuple[str, ...]] = {
    "STC": ("SXD", "SNNMT", "SNV"), "SXD": ("STC", "SNNMT"), "SNNMT": ("STC", "SXD", "CAT"),
    "SNV": ("STC", "STP"), "SCT": ("STC", "CAT"), "SKHCN": ("STC", "SNV"), "SYT": ("STC", "SGDDT"),
    "SGDDT": ("STC", "SNV"), "SVHTTDL": ("SCT", "CAT"), "STP": ("SNV",), "TTT": ("SNNMT", "STP"),
    "SDTTG": ("SNV",), "BQLKKT": ("SNNMT", "SXD"), "CAT": ("SVHTTDL",), "_commune": ("SNNMT", "SXD", "STC"),
}

PROGRESS = ("Đã tổ chức họp với các đơn vị liên quan, thống nhất phân công thực hiện.",
            "Đang tổng hợp số liệu của các địa phương; dự kiến hoàn thành đúng hạn.",
            "Đã ban hành văn bản hướng dẫn, đang theo dõi tiến độ thực hiện.")
RESULTS = ("Đã hoàn thành, có Báo cáo số {n}/BC-{code} gửi UBND tỉnh.",
           "Đã tham mưu UBND tỉnh ban hành văn bản chỉ đạo; nhiệm vụ hoàn thành.",
           "Đã hoàn thành kiểm tra, kết quả tổng hợp tại Báo cáo số {n}/BC-{code}.")
CONTRIBUTIONS = ("Đã gửi số liệu và ý kiến tham gia bằng văn bản cho cơ quan chủ trì.",
                 "Đã cử cán bộ phối hợp kiểm tra thực tế.")
EXTENSION_REASONS = ("Chờ ý kiến hướng dẫn của Bộ, ngành Trung ương.",
                     "Khối lượng công việc lớn, cần thêm thời gian lấy ý kiến các địa phương.",
                     "Vướng mắc về mặt bằng, đang phối hợp với địa phương tháo gỡ.")
RETURN_COMMENTS = {
    "not_competent": "Nội dung giao không thuộc chức năng, nhiệm vụ của đơn vị; đề nghị giao cơ quan chuyên ngành.",
    "data_mismatch": "Số liệu trong văn bản giao chưa khớp với kế hoạch đã phê duyệt; đề nghị Văn phòng rà soát.",
}
DELAY_REPORTS = ("Cơ quan chủ trì chưa tổng hợp ý kiến tham gia của đơn vị, nhiệm vụ đã quá hạn.",
                 "Đến nay cơ quan chủ trì chưa tổ chức kiểm tra thực tế như chỉ đạo, ảnh hưởng tiến độ chung.")
REPORT_DIFFICULTIES = ("Một số nhiệm vụ phụ thuộc hướng dẫn của Trung ương nên chậm so với thời hạn.",
                       "Đề nghị UBND tỉnh bố trí thêm kinh phí cho các nhiệm vụ phát sinh.",
                       "Không.")
LATE_REASONS = ("Chờ ý kiến của các sở, ngành liên quan.",
                "Khối lượng công việc lớn, nhân sự còn thiếu sau sắp xếp.",
                "Vướng mắc về mặt bằng, đang phối hợp tháo gỡ.")
