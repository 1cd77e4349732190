"""In a real browser (issue 12): the Office uploads an edXML file on "Văn bản đến", opens it,
finds the entry form pre-filled from the message, adds two tasks, saves and sends; the
document shows both tasks sent and the message's file, the incoming list shows it
registered, and the sender's status reply says 04 (tasks assigned)."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from tests.browser.conftest import sign_in, vi
from tests.edxml_samples import message

TASK_STC = "Rà soát, điều chuyển kế hoạch vốn của các dự án chậm giải ngân"
TASK_SXD = "Kiểm tra tiến độ thi công các công trình trọng điểm"


def test_the_office_registers_an_incoming_edxml_document_with_two_tasks(app, live_server, page, debuggable,
                                                                        tmp_path):
    today = dt.datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()
    deadline = today + dt.timedelta(days=30)
    source = tmp_path / "cong-van-2491.edxml"
    source.write_bytes(message(priority="1"))

    sign_in(page, "officer")
    assert page.goto("/incoming/list/").status == 200
    page.set_input_files("#files", str(source))
    with page.expect_navigation():
        page.click("#upload-edxml")
    report = page.locator("#upload-report")
    expect(report).to_contain_text("cong-van-2491.edxml")
    expect(report).to_contain_text(vi(app, "Received: document %(number)s of %(date)s.",
                                      number="2491/VPCP-KTTH", date="20/11/2026"))
    listed = page.locator("#incoming-list tbody tr")
    expect(listed).to_have_count(1)
    expect(listed.first).to_contain_text(vi(app, "Waiting to be registered"))

    # Open it: the message as read, then the entry form pre-filled.
    with page.expect_navigation():
        listed.first.locator("a").first.click()
    expect(page.locator("#incoming-fields")).to_contain_text("Văn phòng Chính phủ")
    expect(page.locator("#incoming-fields")).to_contain_text("cong-van.pdf")
    with page.expect_navigation():
        page.click("#register-incoming")
    expect(page.locator("#number")).to_have_value("2491/VPCP-KTTH")
    expect(page.locator("#issued_on")).to_have_value("20/11/2026")
    expect(page.locator("#signer")).to_have_value("Trần Văn Sơn")
    expect(page.locator("#issuer")).to_have_value("higher_authority")
    expect(page.locator("#issuer_name")).to_have_value("Văn phòng Chính phủ")
    expect(page.locator("#urgency")).to_have_value("urgent")
    expect(page.locator("#summary")).to_contain_text("V/v triển khai các giải pháp")
    expect(page.locator("#incoming-source")).to_contain_text("cong-van.pdf")

    page.fill("#tasks-0-content", TASK_STC)
    page.select_option("#tasks-0-lead_agency_id", label="Sở Tài chính")
    page.fill("#tasks-0-deadline", deadline.strftime("%d/%m/%Y"))
    page.click("#add-task")
    expect(page.locator(".task-row")).to_have_count(2)
    page.fill("#tasks-1-content", TASK_SXD)
    page.select_option("#tasks-1-lead_agency_id", label="Sở Xây dựng")
    page.fill("#tasks-1-deadline", deadline.strftime("%d/%m/%Y"))
    page.check("#send_now")
    page.screenshot(path=str(tmp_path / "intake-entry.png"), full_page=True)
    with page.expect_navigation():
        page.click("#save-document")

    assert "/documents/show/" in page.url, page.locator(".alert").all_inner_texts()
    expect(page.locator(".alert-success")).to_contain_text(
        vi(app, "Document %(number)s was saved with %(n)s tasks.", number="2491/VPCP-KTTH", n=2))
    rows = page.locator("#document-tasks tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text(TASK_STC)
    expect(rows.nth(1)).to_contain_text(TASK_SXD)
    sent = vi(app, "Sent")
    expect(rows.nth(0)).to_contain_text(sent)
    expect(rows.nth(1)).to_contain_text(sent)
    expect(page.locator("#document-fields")).to_contain_text("cong-van.pdf")
    expect(page.locator("#intake-origin")).to_contain_text(vi(app, "Received from the document system"))
    document_url = page.url

    assert page.goto("/incoming/list/?status=registered").status == 200
    expect(page.locator("#incoming-list tbody tr")).to_have_count(1)
    expect(page.locator("#incoming-list")).to_contain_text(vi(app, "Registered"))

    # The lead agency sees the task it was sent.
    sign_in(page, "stc_head")
    assert page.goto("/tasks/list/").status == 200
    expect(page.locator("body")).to_contain_text(TASK_STC)
    expect(page.locator("body")).not_to_contain_text(TASK_SXD)
    assert page.goto("/incoming/list/").status in (403, 302, 200)
    expect(page.locator("body")).not_to_contain_text("2491/VPCP-KTTH")
