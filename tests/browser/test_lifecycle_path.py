"""In a real browser, the whole life of a task (issue: lifecycle): the Office
sends it, the agency head receives it and submits a result with a file, the
Office confirms it and it shows completed on time; and a second task whose
deadline the Chairman extends."""
from __future__ import annotations

import datetime as dt

from playwright.sync_api import expect

from app.services.calendar import today
from tests.browser.conftest import sign_in, vi


def open_task(page, task_id):
    response = page.goto(f"/tasks/show/{task_id}")
    assert response.status == 200


def status_is(page, app, label):
    expect(page.locator("h3 .label").first).to_have_text(vi(app, label))


def test_send_receive_report_with_a_file_and_confirm(app, live_server, page, debuggable, make_document, tmp_path):
    _, (task_id,) = make_document([{"lead": "STC", "content": "Báo cáo tình hình giải ngân vốn đầu tư công",
                                    "deadline": today() + dt.timedelta(days=20)}], send=False, issued_on=today())
    sign_in(page, "officer")
    open_task(page, task_id)
    status_is(page, app, "Draft")
    page.click("#action-send button[type=submit]")
    status_is(page, app, "Sent")

    sign_in(page, "stc_head")
    open_task(page, task_id)
    page.click("#action-receive button[type=submit]")
    status_is(page, app, "In progress")
    report = tmp_path / "bao-cao-ket-qua.pdf"
    report.write_bytes(b"%PDF-1.4 ket qua giai ngan")
    page.fill("#action-report textarea[name=result]", "Đã giải ngân 92% kế hoạch vốn, báo cáo số 45/BC-STC")
    page.set_input_files("#action-report input[type=file]", str(report))
    page.click("#action-report button[type=submit]")
    status_is(page, app, "Result reported")
    expect(page.locator("#task-timeline")).to_contain_text("bao-cao-ket-qua.pdf")

    sign_in(page, "officer")
    open_task(page, task_id)
    expect(page.locator("#result")).to_contain_text("92%")
    page.click("#action-confirm button[type=submit]")
    status_is(page, app, "Completed")
    expect(page.locator("#completion")).to_have_text(vi(app, "Completed on time"))
    with page.expect_download() as download:
        page.click("#task-timeline a:has-text('bao-cao-ket-qua.pdf')")
    assert download.value.suggested_filename == "bao-cao-ket-qua.pdf"


def test_an_extension_the_chairman_approves(app, live_server, page, debuggable, make_document):
    first = today() + dt.timedelta(days=10)
    asked = today() + dt.timedelta(days=40)
    _, (task_id,) = make_document([{"lead": "STC", "content": "Hoàn thiện đề án sắp xếp trụ sở",
                                    "deadline": first}], issued_on=today())
    sign_in(page, "stc_head")
    open_task(page, task_id)
    page.fill("#extension-form input[name=proposed_deadline]", asked.isoformat())
    page.fill("#extension-form textarea[name=reason]", "Chờ ý kiến thẩm định của Bộ Tài chính")
    page.click("#extension-form button[type=submit]")
    expect(page.locator("#pending-extension")).to_contain_text(asked.strftime("%d/%m/%Y"))

    sign_in(page, "chairman")
    assert page.goto("/extensions/").status == 200
    row = page.locator("#extension-queue tbody tr").first
    expect(row).to_contain_text("Hoàn thiện đề án sắp xếp trụ sở")
    expect(row).to_contain_text("Chờ ý kiến thẩm định")
    row.locator("button[value='1']").click()
    expect(page.locator("#extension-queue")).not_to_contain_text("Hoàn thiện đề án sắp xếp trụ sở")

    sign_in(page, "stc_head")
    open_task(page, task_id)
    expect(page.locator("#deadline")).to_contain_text(asked.strftime("%d/%m/%Y"))
    expect(page.locator("#deadline")).to_contain_text(first.strftime("%d/%m/%Y"))  # the first is kept
