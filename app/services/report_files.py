"""A periodic report as files: PDF and DOCX (the Phụ lục I form, then Phụ lục
II as a table) and XLSX (Phụ lục II). The numbers are those the API gives:
the frozen ones once submitted, the current ones while a draft.

Issue 10: the rows are streamed from the database (app.services.reports.report_rows),
never the whole list in a worker. The XLSX holds every row (a write-only workbook in a
temporary file); the PDF and DOCX print at most REPORT_PRINT_MAX_ROWS of Phụ lục II (and of
Section III) and say how many there are in all and that the full list is in the XLSX;
the figures of Phụ lục I are always complete. A draft's counts and rows are read in one
snapshot (app.services.exports.export_session), so the file agrees with itself."""
from __future__ import annotations

import datetime as dt
import tempfile

from flask import current_app

from app.models import PeriodicReport
from app.services.reports import (
    LATE,
    STATE_LABEL,
    frozen_counts,
    period_title,
    province_table,
    provisional_as_of,
    report_period,
    report_row_count,
    report_rows,
)


def report_counts(report: PeriodicReport, session=None):
    """Phụ lục I as the report states it: frozen once submitted, current while a draft."""
    if report.status == "submitted":
        return frozen_counts(report)
    from app.services.appendix import appendix_counts

    period = report_period(report)
    return appendix_counts(period, report.agency_id, provisional_as_of(period), session=session)


def _table(report: PeriodicReport, session=None):
    """The consolidated report's table (a line per agency): frozen once submitted."""
    import json

    if report.status == "submitted":
        return json.loads(report.frozen_rows or "[]")
    return province_table(report_period(report), session=session)


def report_content(report: PeriodicReport, session=None):
    """(counts, rows) as the report states them; an agency report's rows are streamed."""
    rows = report_rows(report, session=session) if report.agency_id else _table(report, session)
    return report_counts(report, session), rows


def print_max() -> int:
    return current_app.config["REPORT_PRINT_MAX_ROWS"]


def _number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def print_note(shown: int, total: int, what: str, full: str = "Danh mục đầy đủ") -> str | None:
    """The line a PDF/DOCX prints when a list is cut to the print limit (issue 10)."""
    if total <= shown:
        return None
    return (f"{what} gồm {_number(total)} nhiệm vụ; bản in này liệt kê {_number(shown)} nhiệm vụ đầu tiên. "
            f"{full} tại tệp XLSX của báo cáo.")


def provisional_note(report: PeriodicReport) -> str | None:
    """"Số liệu tạm tính đến ngày 02/12/2026" while the report's period is not cut off."""
    if report.status == "submitted":
        return None
    as_of = provisional_as_of(report_period(report))
    return f"Số liệu tạm tính đến ngày {as_of:%d/%m/%Y}" if as_of else None


def _vn(iso: str | None) -> str:
    return dt.date.fromisoformat(iso).strftime("%d/%m/%Y") if iso else ""


def appendix_i_lines(c) -> list[tuple[str, str, int | None]]:
    """Phụ lục I, sections I–II, worded as the form words them: (key, line, figure);
    a section heading has no figure. The PDF, the DOCX and the XLSX all print these."""
    return [
        ("section_1", "I. TỔNG QUAN", None),
        ("total", "Tổng số nhiệm vụ được giao trong kỳ báo cáo", c.total),
        ("new_work_program", "- Số nhiệm vụ được giao theo Chương trình công tác", c.new_work_program),
        ("new_meeting_conclusion", "- Số nhiệm vụ được giao tại Thông báo kết luận cuộc họp Ủy ban nhân dân tỉnh "
                                   "thường kỳ", c.new_meeting_conclusion),
        ("new_ad_hoc", "- Số nhiệm vụ được giao đột xuất tại các văn bản chỉ đạo, điều hành khác", c.new_ad_hoc),
        ("carried_total", "- Số nhiệm vụ chuyển từ kỳ trước sang", c.carried_total),
        ("carried_in_time", "+ Số nhiệm vụ còn trong hạn", c.carried_in_time),
        ("carried_extended", "+ Số nhiệm vụ được gia hạn", c.carried_extended),
        ("carried_overdue", "+ Số nhiệm vụ quá hạn chưa hoàn thành", c.carried_overdue),
        ("section_2", "II. TÌNH HÌNH THỰC HIỆN NHIỆM VỤ", None),
        ("completed_total", "- Tổng số nhiệm vụ hoàn thành trong kỳ báo cáo", c.completed_total),
        ("completed_on_time", "+ Số nhiệm vụ hoàn thành đúng hạn, sớm hạn", c.completed_on_time),
        ("completed_late", "+ Số nhiệm vụ hoàn thành quá hạn (bao gồm những nhiệm vụ quá hạn chuyển sang từ kỳ "
                           "báo cáo trước)", c.completed_late),
        ("open_total", "- Tổng số nhiệm vụ chưa hoàn thành trong kỳ báo cáo", c.open_total),
        ("open_extended", "+ Số nhiệm vụ được gia hạn chuyển sang kỳ sau", c.open_extended),
        ("open_in_time", "+ Số nhiệm vụ chưa hoàn thành còn trong thời hạn", c.open_in_time),
        ("open_overdue", "+ Số nhiệm vụ chưa hoàn thành quá hạn", c.open_overdue),
    ]


# The consolidated table's columns (Phụ lục I's figures, one row per agency).
CONSOLIDATED_COLUMNS = [
    ("agency", "Cơ quan, đơn vị, địa phương"), ("total", "Tổng số nhiệm vụ"),
    ("new_work_program", "Mới trong kỳ: theo Chương trình công tác"),
    ("new_meeting_conclusion", "Mới trong kỳ: tại Thông báo kết luận cuộc họp"),
    ("new_ad_hoc", "Mới trong kỳ: đột xuất"),
    ("carried_in_time", "Chuyển từ kỳ trước: còn trong hạn"), ("carried_extended", "Chuyển từ kỳ trước: được gia hạn"),
    ("carried_overdue", "Chuyển từ kỳ trước: quá hạn"),
    ("completed_on_time", "Hoàn thành đúng hạn, sớm hạn"), ("completed_late", "Hoàn thành quá hạn"),
    ("open_extended", "Chưa hoàn thành: được gia hạn"), ("open_in_time", "Chưa hoàn thành: còn trong thời hạn"),
    ("open_overdue", "Chưa hoàn thành: quá hạn"),
]


def report_document(report: PeriodicReport, session=None):
    from app.render.model import Appendix, OfficialDocument, Paragraph, Table, attachment_reference

    period = report_period(report)
    limit = print_max()
    counts = report_counts(report, session)
    agency = report.agency.name if report.agency else "Văn phòng Ủy ban nhân dân tỉnh"
    c = counts
    body = [
        Paragraph(f"Kỳ báo cáo: {period_title(period)} (từ ngày {period.start:%d/%m/%Y} đến ngày "
                  f"{period.end:%d/%m/%Y})."),
        *([Paragraph(f"{note} (kỳ báo cáo chốt số liệu ngày {period.end:%d/%m/%Y}).")]
          if (note := provisional_note(report)) else []),
        *(Paragraph(text) if figure is None else Paragraph(f"{text}: {figure}." + (" Trong đó:" if key == "open_total" else ""))
          for key, text, figure in appendix_i_lines(c)),
        Paragraph("(Kèm theo danh mục nhiệm vụ cụ thể tại Phụ lục II.)" if report.agency_id
                  else "(Chi tiết từng cơ quan, đơn vị, địa phương tại Phụ lục kèm theo.)"),
        Paragraph("III. NGUYÊN NHÂN KHÔNG HOÀN THÀNH NHIỆM VỤ HOẶC HOÀN THÀNH NHIỆM VỤ QUÁ HẠN"),
    ]
    if report.section_3:
        body += [Paragraph(p) for p in report.section_3.split("\n\n") if p.strip()]
    if report.agency_id:
        n = 0
        late_limit = current_app.config["REPORT_PRINT_MAX_REASONS"]
        for n, row in enumerate(report_rows(report, states=LATE, limit=late_limit, session=session), start=1):
            body.append(Paragraph(f"{n}. {row['content']} ({row['document']}): {row['reason'] or '…'}"))
        if n == late_limit and (late := report_row_count(report, LATE, session)) > n:
            body.append(Paragraph(print_note(n, late, "Mục III (nhiệm vụ hoàn thành quá hạn, chưa hoàn thành "
                                                      "quá hạn)", "Nguyên nhân của từng nhiệm vụ")))
    body.append(Paragraph("IV. KHÓ KHĂN, VƯỚNG MẮC VÀ KIẾN NGHỊ, ĐỀ XUẤT"))
    body += [Paragraph(p) for p in (report.section_4 or "").split("\n\n") if p.strip()] or [Paragraph("Không.")]
    table_note = None
    if report.agency_id:
        rows = list(report_rows(report, limit=limit, session=session))
        table_note = print_note(len(rows), c.total, "Danh mục")
        table = Table(
            columns=["STT", "Văn bản giao", "Nội dung nhiệm vụ", "Cơ quan chủ trì / phối hợp", "Thời hạn",
                     "Tình trạng", "Kết quả"],
            rows=[[str(n), f"{r['document']}\n{_vn(r['issued_on'])}\n{r['summary']}", r["content"],
                   f"{r['lead']}" + (f"\nPhối hợp: {r['coordinating']}" if r["coordinating"] else ""),
                   _vn(r["deadline"]) + (f"\nGia hạn: {_vn(r['extended_deadline'])}" if r["extended_deadline"] else ""),
                   STATE_LABEL.get(r["state"], r["state"]), r["result"]] for n, r in enumerate(rows, start=1)],
            widths=[0.7, 2.4, 4.0, 2.4, 1.6, 1.6, 2.6],
            align=["center", "left", "left", "left", "center", "left", "left"])
    else:
        rows = _table(report, session)
        table = Table(
            columns=["STT", "Cơ quan, đơn vị", "Tổng số", "Hoàn thành đúng hạn", "Hoàn thành quá hạn",
                     "Chưa hoàn thành, còn hạn", "Được gia hạn", "Quá hạn"],
            rows=[[str(n), r["agency"], str(r["total"]), str(r["completed_on_time"]), str(r["completed_late"]),
                   str(r["open_in_time"]), str(r["open_extended"]), str(r["open_overdue"])]
                  for n, r in enumerate(rows, start=1)],
            widths=[0.7, 4.0, 1.2, 1.5, 1.5, 1.5, 1.3, 1.2],
            align=["center", "left", "center", "center", "center", "center", "center", "center"])
    suffix = "/BC-" + (report.agency.code if report.agency else "VP")
    issued_on = report.submitted_at.date() if report.submitted_at else None
    # Phụ lục II of the Quy chế: the list on its own landscape pages after the signature,
    # headed as the form heads it. The consolidated table goes the same way.
    reference = attachment_reference("Báo cáo", report.report_number, suffix, issued_on, agency, period.year)
    if report.agency_id:
        appendix = Appendix(label="Phụ lục II", title="DANH MỤC",
                            subtitle="Nhiệm vụ do Ủy ban nhân dân tỉnh, Chủ tịch Ủy ban nhân dân tỉnh giao",
                            reference=reference, body=[*([Paragraph(f"{note}.")] if note else []), table,
                                                        *([Paragraph(table_note)] if table_note else [])])
    else:
        appendix = Appendix(label="Phụ lục", title="KẾT QUẢ THỰC HIỆN NHIỆM VỤ",
                            subtitle="của các cơ quan, đơn vị, địa phương", reference=reference,
                            body=[*([Paragraph(f"{note}.")] if note else []), table])
    return OfficialDocument(
        parent_body="UBND TỈNH KHÁNH HÒA",
        issuing_body=(agency.upper() if report.agency_id else "VĂN PHÒNG"),
        number=report.report_number, number_suffix=suffix,
        issued_on=issued_on, year=period.year, appendices=[appendix],
        title="BÁO CÁO",
        title_summary=("Tình hình, kết quả thực hiện nhiệm vụ do Ủy ban nhân dân tỉnh, Chủ tịch Ủy ban nhân dân "
                       f"tỉnh giao (kỳ báo cáo {period_title(period)})"),
        recipients=["Văn phòng Ủy ban nhân dân tỉnh"] if report.agency_id
        else ["Ủy ban nhân dân tỉnh", "Chủ tịch Ủy ban nhân dân tỉnh"],
        body=body, signer_position="THỦ TRƯỞNG CƠ QUAN" if report.agency_id else "CHÁNH VĂN PHÒNG",
        signer_name=report.submitted_by.get_full_name() if report.submitted_by else "",
        cc=["Như trên"], archive="Lưu: VT.")


def report_xlsx(report: PeriodicReport, session=None):
    """Phụ lục II (or the consolidated table) and Phụ lục I as a workbook, every label
    in Vietnamese, the sheets named as the report names them: every row, streamed into a
    temporary file (app.services.xlsx_stream), returned open at its start (deleted when
    closed)."""
    from app.services.xlsx_stream import BOLD, HEADING, workbook

    counts, rows = report_content(report, session)

    def listing(sheet):
        if report.agency_id:
            sheet.append(["STT", "Số, ký hiệu văn bản", "Ngày ban hành", "Trích yếu", "Nội dung nhiệm vụ",
                          "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời hạn", "Thời hạn gia hạn", "Tình trạng",
                          "Kết quả", "Nguyên nhân (mục III)"], HEADING)
            for n, r in enumerate(rows, start=1):
                sheet.append([n, r["document"], _vn(r["issued_on"]), r["summary"], r["content"], r["lead"],
                              r["coordinating"], _vn(r["deadline"]), _vn(r["extended_deadline"]),
                              STATE_LABEL.get(r["state"], r["state"]), r["result"],
                              r["reason"] if r["state"] in LATE else ""])
        else:
            sheet.append(["STT", *(label for _key, label in CONSOLIDATED_COLUMNS)], HEADING)
            for n, r in enumerate(rows, start=1):
                sheet.append([n, *(r[key] for key, _label in CONSOLIDATED_COLUMNS)])

    def totals(sheet):
        sheet.append(["Chỉ tiêu", "Số nhiệm vụ"], BOLD)
        for _key, text, figure in appendix_i_lines(counts):
            sheet.append([text, figure], BOLD if figure is None else 0)
        if note := provisional_note(report):
            sheet.append([f"{note}.", None])

    return workbook([("Phụ lục II" if report.agency_id else "Tổng hợp", {}, listing),
                     ("Phụ lục I", {"A": 90}, totals)])
