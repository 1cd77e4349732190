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
