"""Realistic documents the render tests (and a developer looking at a layout) share."""
from __future__ import annotations

import datetime as dt

from app.render.model import OfficialDocument, Paragraph, Table

TASK_COLUMNS = ["STT", "Văn bản giao", "Nội dung nhiệm vụ", "Thời hạn", "Số ngày quá hạn"]
TASK_WIDTHS = [0.8, 2.6, 4.6, 1.5, 1.3]
TASK_ALIGN = ["center", "left", "left", "center", "center"]

OVERDUE_TASKS = [
    [
        "1",
        "Công văn số 1520/UBND-KT ngày 12/11/2025",
        "Tham mưu Ủy ban nhân dân tỉnh phân bổ kế hoạch vốn đầu tư công năm 2026 "
        "cho các dự án chuyển tiếp",
        "31/12/2025",
        "24",
    ],
    [
        "2",
        "Thông báo số 45/TB-UBND ngày 20/12/2025",
        "Rà soát, đề xuất phương án xử lý tài sản công dôi dư sau sắp xếp đơn vị hành chính cấp xã",
        "15/01/2026",
        "14",
    ],
    [
        "3",
        "Kế hoạch số 210/KH-UBND ngày 08/01/2026",
        "Hướng dẫn các xã, phường, đặc khu Trường Sa quyết toán ngân sách năm 2025",
        "30/01/2026",
        "4",
    ],
]


def urging_letter(rows: list[list[str]] | None = None) -> OfficialDocument:
    """A công văn đôn đốc from the Provincial People's Committee Office to Sở Tài chính."""
    return OfficialDocument(
        parent_body="UBND TỈNH KHÁNH HÒA",
        issuing_body="VĂN PHÒNG",
        number="123/VP-TH",
        place="Khánh Hòa",
        issued_on=dt.date(2026, 2, 5),
        summary="V/v đôn đốc thực hiện nhiệm vụ được giao",
        recipients=["Sở Tài chính"],
        body=[
            Paragraph(
                "Thực hiện Quy chế theo dõi, đôn đốc, kiểm tra việc thực hiện nhiệm vụ do Ủy ban "
                "nhân dân tỉnh, Chủ tịch Ủy ban nhân dân tỉnh giao ban hành kèm theo Quyết định số "
                "26/2026/QĐ-UBND của Ủy ban nhân dân tỉnh Khánh Hòa; qua theo dõi trên Hệ thống "
                "theo dõi nhiệm vụ, đến ngày 05/02/2026, Sở Tài chính còn "
                f"{len(rows or OVERDUE_TASKS):02d} nhiệm vụ đã quá thời hạn nhưng chưa báo cáo "
                "kết quả thực hiện, cụ thể như sau:"
            ),
            Table(
                columns=TASK_COLUMNS,
                rows=rows if rows is not None else OVERDUE_TASKS,
                widths=TASK_WIDTHS,
                align=TASK_ALIGN,
            ),
            Paragraph(
                "Văn phòng UBND tỉnh đề nghị Sở Tài chính khẩn trương tập trung thực hiện, báo cáo "
                "kết quả thực hiện các nhiệm vụ nêu trên về Ủy ban nhân dân tỉnh (qua Văn phòng "
                "UBND tỉnh) trước ngày 12/02/2026; trường hợp chưa thể hoàn thành, đề nghị báo cáo "
                "rõ nguyên nhân, khó khăn, vướng mắc và đề xuất gia hạn theo quy định."
            ),
            Paragraph(
                "Văn phòng UBND tỉnh thông báo để Sở Tài chính biết, khẩn trương thực hiện "
                "và chịu trách nhiệm về việc chậm trễ, không hoàn thành nhiệm vụ được giao./."
            ),
        ],
        signer_authority="KT. CHÁNH VĂN PHÒNG",
        signer_position="PHÓ CHÁNH VĂN PHÒNG",
        signer_name="Nguyễn Văn Hòa",
        cc=[
            "Như trên",
            "Chủ tịch, các PCT UBND tỉnh (b/c)",
            "Chánh VP, các PCVP UBND tỉnh",
        ],
    )


def long_task_rows(count: int = 50) -> list[list[str]]:
    return [
        [
            str(i),
            f"Công văn số {1000 + i}/UBND-TH ngày 02/01/2026",
            f"Nhiệm vụ đôn đốc số {i}: báo cáo tình hình thực hiện chỉ đạo của Ủy ban nhân dân "
            "tỉnh Khánh Hòa về cải cách hành chính",
            "30/01/2026",
            str(i % 7 + 1),
        ]
        for i in range(1, count + 1)
    ]
