"""Nhập nhiệm vụ từ Excel (issue 12): the template (headers, hidden lists, drop-downs), every
row error (row, column, Vietnamese message), all-or-nothing, sending at once, 1,000 rows in a
few seconds, the preview page."""
from __future__ import annotations

import datetime as dt
import io
import time

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from app.services.task_import import COLUMNS, HEADERS
from tests.conftest import PASSWORD, agency_id

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _headers(client, username):
    answer = client.post("/api/v1/security/login",
                         json={"username": username, "password": PASSWORD, "provider": "db"})
    return {"Authorization": f"Bearer {answer.get_json()['access_token']}"}


def workbook(rows, header=True) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Nhiệm vụ"
    if header:
        sheet.append([h for _, h in COLUMNS])
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def working_days(app, n=2, start=None):
    """n future working days, and a Sunday after them."""
    with app.app_context():
        from app.services.calendar import current_calendar, today

        calendar = current_calendar()
        day, found = start or today() + dt.timedelta(days=10), []
        while len(found) < n:
            if calendar.is_working_day(day):
                found.append(day)
            day += dt.timedelta(days=1)
        sunday = day + dt.timedelta(days=(6 - day.weekday()) % 7)
        assert not calendar.is_working_day(sunday)
        return found, sunday


def names(app, *codes):
    from app.extensions import db
    from app.models import Agency

    with app.app_context():
        return [db.session.scalar(select(Agency.name).where(Agency.code == c)) for c in codes]


def task_count(app):
    from app.extensions import db
    from app.models import Task

    with app.app_context():
        return db.session.scalar(select(func.count(Task.id)))


def post_xlsx(client, headers, document_id, data, send=False):
    url = f"/api/v1/document/{document_id}/tasks/import" + ("?send=1" if send else "")
    return client.post(url, data=data, headers=headers, content_type=XLSX)


@pytest.fixture
def document(make_document):
    document_id, _ = make_document([{"lead": "STC"}], send=False)
    return document_id


def test_the_template_has_vietnamese_headers_and_drop_downs_of_valid_names(app, client, auth, document):
    auth.login("officer")
    answer = client.get(f"/documents/{document}/import-tasks/template.xlsx")
    assert answer.status_code == 200 and answer.mimetype == XLSX
    book = load_workbook(io.BytesIO(answer.data))
    sheet = book["Nhiệm vụ"]
    assert [c.value for c in sheet[1]] == ["Nội dung nhiệm vụ", "Cơ quan chủ trì",
                                           "Cơ quan phối hợp (cách nhau bởi dấu ;)", "Thời hạn (dd/mm/yyyy)",
                                           "Công chức theo dõi", "Ghi chú"]
    lists = book["Danh mục"]
    assert lists.sheet_state == "hidden"
    agency_names = [r[0] for r in lists.iter_rows(min_row=2, values_only=True) if r[0]]
    officers = [r[2] for r in lists.iter_rows(min_row=2, values_only=True) if r[2]]
    assert "Sở Tài chính" in agency_names and "Test officer (officer)" in officers
    assert not any("stc_head" in (o or "") for o in officers)  # agency users never track
    validations = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    lead = next(v for ref, v in validations.items() if ref.startswith("B2"))
    assert lead.type == "list" and lead.formula1.startswith("'Danh mục'!$A$2:$A$")
    officer = next(v for ref, v in validations.items() if ref.startswith("E2"))
    assert officer.formula1.startswith("'Danh mục'!$C$2")


def test_a_valid_file_creates_every_task_in_one_go(app, client, document):
    (day1, day2), _ = working_days(app)
    stc, snv, sxd = names(app, "STC", "SNV", "SXD")
    data = workbook([
        ["Rà soát nhu cầu vốn", stc, f"{snv}; {sxd}", day1.strftime("%d/%m/%Y"), "officer", "Ưu tiên"],
        ["Kiện toàn bộ máy", "snv", None, dt.datetime.combine(day2, dt.time()), "Test leader (leader)", None],
    ])
    answer = post_xlsx(client, _headers(client, "officer"), document, data)
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert body["created"] == 2 and len(body["task_ids"]) == 2
    office = _headers(client, "officer")
    first = client.get(f"/api/v1/task/{body['task_ids'][0]}", headers=office).get_json()["result"]
    second = client.get(f"/api/v1/task/{body['task_ids'][1]}", headers=office).get_json()["result"]
    with app.app_context():
        assert first["lead_agency_id"] == agency_id("STC")
        assert sorted(first["coordinating_agency_ids"]) == sorted([agency_id("SNV"), agency_id("SXD")])
        assert second["lead_agency_id"] == agency_id("SNV")  # by its code
        from tests.conftest import user

        assert second["tracking_officer_id"] == user("leader").id
        assert first["tracking_officer_id"] == user("officer").id
    assert first["deadline"] == day1.isoformat() and second["deadline"] == day2.isoformat()
    assert first["notes"] == "Ưu tiên" and first["status"] == "draft"


@pytest.mark.parametrize("row, column, words", [
    (["", "STC", None, "@D1", None, None], "Nội dung nhiệm vụ", "Phải có nội dung"),
    (["Việc", "Sở Không Có", None, "@D1", None, None], "Cơ quan chủ trì", "Không có cơ quan “Sở Không Có”"),
    (["Việc", None, None, "@D1", None, None], "Cơ quan chủ trì", "Chọn cơ quan chủ trì"),
    (["Việc", "STC", "Sở Ma", "@D1", None, None], "Cơ quan phối hợp (cách nhau bởi dấu ;)", "Không có cơ quan “Sở Ma”"),
    (["Việc", "STC", "STC", "@D1", None, None], "Cơ quan phối hợp (cách nhau bởi dấu ;)",
     "không thể đồng thời là cơ quan phối hợp"),
    (["Việc", "STC", None, None, None, None], "Thời hạn (dd/mm/yyyy)", "khoản 2 Điều 7"),
    (["Việc", "STC", None, "cuối năm", None, None], "Thời hạn (dd/mm/yyyy)", "“cuối năm” không phải là ngày"),
    (["Việc", "STC", None, "31/02/2027", None, None], "Thời hạn (dd/mm/yyyy)", "không phải là ngày"),
    (["Việc", "STC", None, "01/01/2001", None, None], "Thời hạn (dd/mm/yyyy)", "trước ngày ban hành"),
    (["Việc", "STC", None, "01/01/9999", None, None], "Thời hạn (dd/mm/yyyy)", "ngoài khoảng năm 2000–2100"),
    (["x" * 10_001, "STC", None, "@D1", None, None], "Nội dung nhiệm vụ", "tối đa 10000 ký tự"),
    (["Việc", "STC", None, "@D1", "stc_head", None], "Công chức theo dõi", "không phải công chức Văn phòng"),
    (["Việc", "STC", None, "@D1", None, "n" * 10_001], "Ghi chú", "Quá dài"),
])
def test_every_row_error_is_named_and_nothing_is_created(app, client, document, row, column, words):
    (day1, _), _ = working_days(app)
    good = ["Một việc đúng", "STC", None, day1.strftime("%d/%m/%Y"), None, None]
    row = [day1.strftime("%d/%m/%Y") if v == "@D1" else v for v in row]
    before = task_count(app)
    answer = post_xlsx(client, _headers(client, "officer"), document, workbook([good, row, good]))
    assert answer.status_code == 422, answer.get_json()
    body = answer.get_json()
    assert "Chưa nhập nhiệm vụ nào" in body["message"]
    assert body["errors"][0]["row"] == 3 and body["errors"][0]["column"] == column, body
    assert words in body["errors"][0]["message"], body["errors"][0]["message"]
    assert task_count(app) == before


def test_errors_of_several_rows_are_all_reported(app, client, document):
    answer = post_xlsx(client, _headers(client, "officer"), document, workbook([
        ["Việc 1", "Sở Ma", None, None, None, None], ["Việc 2", "STC", None, "hôm qua", None, None]]))
    errors = answer.get_json()["errors"]
    assert [(e["row"], e["column"]) for e in errors] == [
        (2, "Cơ quan chủ trì"), (2, "Thời hạn (dd/mm/yyyy)"), (3, "Thời hạn (dd/mm/yyyy)")]


def test_a_deadline_on_a_day_off_is_only_a_warning(app, client, document):
    _, sunday = working_days(app)
    answer = post_xlsx(client, _headers(client, "officer"), document,
                       workbook([["Việc", "STC", None, sunday.strftime("%d/%m/%Y"), None, None]]))
    assert answer.status_code == 200 and answer.get_json()["created"] == 1


@pytest.mark.parametrize("data", [b"not a workbook", workbook([], header=True),
                                  workbook([["Việc", "STC", None, "01/01/2030", None, None]], header=False)])
def test_a_file_that_is_not_the_template_is_refused(app, client, document, data):
    answer = post_xlsx(client, _headers(client, "officer"), document, data)
    assert answer.status_code == 422 and answer.get_json()["errors"][0]["row"] in (0, 1)
    assert task_count(app) == 1


def test_sending_at_once_tells_the_lead_and_coordinating_agencies_once(app, client, document):
    from app.extensions import db
    from app.models import Notification, Task
    from tests.conftest import user

    (day1, _), _ = working_days(app)
    stc, snv = names(app, "STC", "SNV")
    answer = post_xlsx(client, _headers(client, "officer"), document,
                       workbook([["Việc gửi ngay", stc, snv, day1.strftime("%d/%m/%Y"), None, None]]), send=True)
    task_id = answer.get_json()["task_ids"][0]
    with app.app_context():
        task = db.session.get(Task, task_id)
        assert task.status == "assigned" and task.sent_at is not None
        told = {n.user_id for n in db.session.scalars(select(Notification).where(
            Notification.task_id == task_id, Notification.kind == "task_sent"))}
        from app.services.notifications import agency_user_ids

        expected = set(agency_user_ids(agency_id("STC"))) | set(agency_user_ids(agency_id("SNV")))
        assert told == expected  # each user of the lead and coordinating agencies, once
        assert {user("stc_head").id, user("stc_staff").id, user("snv_head").id} <= told
        assert user("nhatrang_chair").id not in told and user("officer").id not in told


def test_only_the_office_imports(app, client, document):
    head = _headers(client, "stc_head")
    answer = post_xlsx(client, head, document, workbook([["Việc", "STC", None, "01/01/2030", None, None]]))
    assert answer.status_code in (403, 404)
    assert task_count(app) == 1


def test_a_thousand_rows_validate_and_import_in_a_few_seconds(app, client, document):
    days, _ = working_days(app, n=20)
    stc, snv, sxd = names(app, "STC", "SNV", "SXD")
    rows = [[f"Nhiệm vụ số {n}", (stc, snv, sxd)[n % 3], (snv, sxd, stc)[n % 3],
             days[n % 20].strftime("%d/%m/%Y"), "officer", None] for n in range(1000)]
    data = workbook(rows)
    started = time.perf_counter()
    answer = post_xlsx(client, _headers(client, "officer"), document, data, send=True)
    took = time.perf_counter() - started
    assert answer.status_code == 200 and answer.get_json()["created"] == 1000
    assert took < 15, f"1,000 rows took {took:.1f} s"
    assert task_count(app) == 1001


def test_the_preview_page_lists_every_row_then_imports(app, client, auth, document):
    (day1, _), _ = working_days(app)
    auth.login("officer")
    shown = client.get(f"/documents/show/{document}").get_data(as_text=True)
    assert f"/documents/{document}/import-tasks" in shown and "Nhập nhiệm vụ từ Excel" in shown
    bad = client.post(f"/documents/{document}/import-tasks/preview", content_type="multipart/form-data", data={
        "file": (io.BytesIO(workbook([["Việc A", "STC", None, day1.strftime("%d/%m/%Y"), None, None],
                                      ["Việc B", "Sở Ma", None, None, None, None]])), "nv.xlsx")})
    html = bad.get_data(as_text=True)
    assert "Việc A" in html and "Việc B" in html and "Không có cơ quan “Sở Ma”" in html
    assert "khoản 2 Điều 7" in html and 'id="run-import"' not in html
    good = client.post(f"/documents/{document}/import-tasks/preview", content_type="multipart/form-data", data={
        "file": (io.BytesIO(workbook([["Việc A", "STC", None, day1.strftime("%d/%m/%Y"), None, None]])), "nv.xlsx")})
    html = good.get_data(as_text=True)
    assert 'id="run-import"' in html and "Nhập 1 nhiệm vụ" in html
    assert task_count(app) == 1  # nothing saved by a preview
    import re

    data = re.search(r'name="data" value="([^"]+)"', html).group(1)
    done = client.post(f"/documents/{document}/import-tasks/import", data={"data": data, "send": "1"})
    assert done.status_code == 302 and done.headers["Location"].endswith(f"/documents/show/{document}")
    assert task_count(app) == 2


def test_columns_are_found_by_their_headers_even_when_moved(app, client, document):
    (day1, _), _ = working_days(app)
    book = Workbook()
    sheet = book.active
    sheet.append(["Thời hạn", "Ghi chú", "Cơ quan chủ trì", "Nội dung nhiệm vụ"])
    sheet.append([day1.strftime("%d/%m/%Y"), "Ghi chú A", "STC", "Việc sắp xếp lại cột"])
    out = io.BytesIO()
    book.save(out)
    answer = post_xlsx(client, _headers(client, "officer"), document, out.getvalue())
    assert answer.status_code == 200, answer.get_json()
    task = client.get(f"/api/v1/task/{answer.get_json()['task_ids'][0]}", headers=_headers(client, "officer"))
    result = task.get_json()["result"]
    assert (result["content"], result["notes"], result["deadline"]) == (
        "Việc sắp xếp lại cột", "Ghi chú A", day1.isoformat())


# ---------------------------------------------------------------- a new document from the first row

def _new_document_file(app, *, number="77/KH-UBND", issued="20/11/2026", doc_type="Kế hoạch", extra_rows=()):
    from app.services.task_import import DOCUMENT_COLUMNS

    (day1, day2), _ = working_days(app)
    book = Workbook()
    sheet = book.active
    sheet.append([h for _, h in COLUMNS] + [h for _, h in DOCUMENT_COLUMNS])
    sheet.append(["Triển khai kế hoạch", "STC", "SNV", day1.strftime("%d/%m/%Y"), None, None,
                  number, issued, doc_type, "Kế hoạch thực hiện chương trình công tác năm 2027", "Nguyễn Văn A",
                  "Ủy ban nhân dân tỉnh", None, None, "Thường", "Chương trình công tác"])
    sheet.append(["Báo cáo kết quả", "SXD", None, day2.strftime("%d/%m/%Y"), None, None])
    for row in extra_rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_new_document_and_its_tasks_come_from_one_file(app, client):
    answer = client.post("/api/v1/document/tasks/import?send=1", data=_new_document_file(app),
                         headers=_headers(client, "officer"), content_type=XLSX)
    assert answer.status_code == 201, answer.get_json()
    body = answer.get_json()
    assert body["created"] == 2
    document = client.get(f"/api/v1/document/{body['id']}", headers=_headers(client, "officer")).get_json()["result"]
    assert (document["number"], document["issued_on"], document["doc_type"], document["source"]) == (
        "77/KH-UBND", "2026-11-20", "plan", "work_program")
    assert document["task_ids"] == body["task_ids"]
    task = client.get(f"/api/v1/task/{body['task_ids'][0]}", headers=_headers(client, "officer")).get_json()
    assert task["result"]["status"] == "assigned"


@pytest.mark.parametrize("overrides, column, words", [
    ({"number": ""}, "Số, ký hiệu văn bản", "nhập số, ký hiệu văn bản"),
    ({"issued": "ngày mai"}, "Ngày ban hành (dd/mm/yyyy)", "không phải là ngày"),
    ({"doc_type": "Thư tình"}, "Loại văn bản", "không có trong danh sách"),
])
def test_a_bad_document_column_is_named_on_the_first_row_and_nothing_is_created(app, client, overrides, column,
                                                                                words):
    before = task_count(app)
    answer = client.post("/api/v1/document/tasks/import", data=_new_document_file(app, **overrides),
                         headers=_headers(client, "officer"), content_type=XLSX)
    assert answer.status_code == 422, answer.get_json()
    problem = answer.get_json()["errors"][0]
    assert (problem["row"], problem["column"]) == (2, column) and words in problem["message"], problem
    assert task_count(app) == before
    assert client.get("/api/v1/document/", headers=_headers(client, "officer")).get_json()["count"] == 0


def test_the_new_document_screens(app, client, auth):
    auth.login("officer")
    template = load_workbook(io.BytesIO(client.get("/documents/import-tasks/template.xlsx").data))
    headers = [c.value for c in template["Nhiệm vụ"][1]]
    assert headers[:6] == [h for _, h in COLUMNS] and "Số, ký hiệu văn bản" in headers
    html = client.post("/documents/import-tasks/preview", content_type="multipart/form-data", data={
        "file": (io.BytesIO(_new_document_file(app)), "kh.xlsx")}).get_data(as_text=True)
    assert "Triển khai kế hoạch" in html and 'id="run-import"' in html
    import re

    data = re.search(r'name="data" value="([^"]+)"', html).group(1)
    done = client.post("/documents/import-tasks/import", data={"data": data})
    assert done.status_code == 302 and "/documents/show/" in done.headers["Location"]
    page = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "77/KH-UBND" in page and "Triển khai kế hoạch" in page and "Báo cáo kết quả" in page
    assert task_count(app) == 2


def test_the_new_document_template_offers_each_document_choice_as_a_list(app, client, auth):
    """Built apart (app.render.apart): the document's choice columns keep their hidden lists
    (the Vietnamese labels) and a drop-down on the first row."""
    from app.services.task_import import CHOICE_COLUMNS, DOCUMENT_COLUMNS, DOCUMENT_HEADERS, _choices

    auth.login("officer")
    book = load_workbook(io.BytesIO(client.get("/documents/import-tasks/template.xlsx").data))
    lists, sheet = book["Danh mục"], book["Nhiệm vụ"]
    assert lists.sheet_state == "hidden"
    with app.test_request_context():
        choices = _choices()
    for n, name in enumerate(CHOICE_COLUMNS):
        column = [row[3 + n] for row in lists.iter_rows(values_only=True)]
        assert column[0] == DOCUMENT_HEADERS[name]
        assert [v for v in column[1:] if v is not None] == list(choices[name])
        target = "GHIJKLMNOP"[[k for k, _ in DOCUMENT_COLUMNS].index(name)]
        assert any(f"{target}2" in str(v.sqref) for v in sheet.data_validations.dataValidation)
