"""Issue 8, finding 11: text that looks like a formula lands in every XLSX as text."""
import io

import pytest
from openpyxl import Workbook, load_workbook

from app.services.xlsx import text_row

HOSTILE = ['=HYPERLINK("http://evil.example","Bấm vào")', "=1+1", "@SUM(A1:A2)", "+84 1", "-2+3"]


@pytest.mark.parametrize("write_only", [True, False])
def test_a_row_of_hostile_text_is_read_back_as_text(write_only):
    book = Workbook(write_only=write_only)
    sheet = book.create_sheet("Nhiệm vụ") if write_only else book.active
    sheet.append(text_row(sheet, [1, *HOSTILE, "nul\x00 và \x07chuông"]))
    out = io.BytesIO()
    book.save(out)
    cells = list(load_workbook(io.BytesIO(out.getvalue())).worksheets[0].iter_rows())[0]
    assert cells[0].value == 1
    assert [c.value for c in cells[1:6]] == HOSTILE
    assert all(c.data_type == "s" for c in cells[1:])
    assert cells[6].value == "nul và chuông"


def test_the_task_export_keeps_a_formula_like_content_as_text(app, client, auth, make_document):
    make_document([{"lead": "STC", "content": '=HYPERLINK("http://evil.example","Xem")'},
                   {"lead": "STC", "content": "@SUM(1;2)"}])
    auth.login("stc_head")
    answer = client.get("/tasks/export/")
    assert answer.status_code == 200
    rows = list(load_workbook(io.BytesIO(answer.data)).active.iter_rows(min_row=2))
    contents = {row[3].value: row[3].data_type for row in rows}
    assert contents == {'=HYPERLINK("http://evil.example","Xem")': "s", "@SUM(1;2)": "s"}


def test_the_streamed_workbook_keeps_hostile_text_as_text_and_numbers_as_numbers():
    from app.services.xlsx_stream import BOLD, HEADING, workbook

    def fill(sheet):
        sheet.append(["STT", "Nội dung <&> \"x\""], HEADING)
        sheet.append([1, *HOSTILE, "nul\x00 và \x07chuông", None, 2.5])

    handle = workbook([("Phụ lục II", {}, fill), ("Phụ lục I", {"A": 90}, lambda s: s.append(["Chỉ tiêu", 3], BOLD))])
    with handle:
        book = load_workbook(io.BytesIO(handle.read()))
    assert book.sheetnames == ["Phụ lục II", "Phụ lục I"]
    header, cells = list(book["Phụ lục II"].iter_rows())
    assert [c.value for c in header] == ["STT", 'Nội dung <&> "x"', None, None, None, None, None, None, None]
    assert header[0].font.b and header[0].alignment.wrap_text
    assert cells[0].value == 1 and [c.value for c in cells[1:6]] == HOSTILE
    assert all(c.data_type == "s" for c in cells[1:7]) and cells[6].value == "nul và chuông"
    assert cells[7].value is None and cells[8].value == 2.5
    assert book["Phụ lục I"]["A1"].font.b and book["Phụ lục I"]["B1"].value == 3
    assert book["Phụ lục I"].column_dimensions["A"].width == 90


def test_the_report_files_keep_a_formula_like_content_as_text(app, client, auth, make_document):
    import datetime as dt

    from sqlalchemy import select

    from app.extensions import db
    from app.models import PeriodicReport

    make_document([{"lead": "STC", "content": "=1+1", "deadline": dt.date(2026, 11, 5)}],
                  issued_on=dt.date(2026, 10, 20))
    auth.login("stc_head")
    client.get("/reports/agency/monthly/2026/11")
    with app.app_context():
        report_id = db.session.scalar(select(PeriodicReport.id))
    rows = list(load_workbook(io.BytesIO(client.get(f"/reports/file/{report_id}/xlsx").data))["Phụ lục II"]
                .iter_rows(min_row=2))
    assert rows[0][4].value == "=1+1" and rows[0][4].data_type == "s"
