"""In a real browser, an inspection (Chương V): the Office drafts the decision, the Chairman issues
it, a Working Group member signs in and sees the inspected agency's tasks, records a finding, the
inspected agency's staff attach a file to its report (an oversized one is refused in the browser
first) and its head submits it (Art. 16.3), the leader opens and downloads the file, submits the
result report, and the inspected agency's head opens the result."""
from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import expect

from app.services.calendar import today
from tests.browser.conftest import sign_in, vi
from tests.conftest import agency_id, user

CONTENT = "Rà soát hồ sơ quyết toán vốn đầu tư công năm 2025"


def status_is(page, app, label):
    expect(page.locator("#inspection-status")).to_have_text(vi(app, label))


EVIDENCE = b"%PDF-1.4\n% bien ban lam viec voi To cong tac\n%%EOF\n"


def test_draft_issue_inspect_find_report_and_open_the_result(app, live_server, page, debuggable, make_document,
                                                             monkeypatch):
    monkeypatch.setitem(app.config, "MAX_ATTACHMENT_BYTES", 1024 * 1024)
    make_document([{"lead": "STC", "content": CONTENT, "deadline": today() + dt.timedelta(days=20)}],
                  issued_on=today())
    with app.app_context():
        stc, leader, member = agency_id("STC"), user("snv_head").id, user("wg_member").id

    sign_in(page, "wg_member")
    page.goto("/tasks/list/")
    expect(page.locator("body")).not_to_contain_text(CONTENT)  # before: its own agency's tasks only

    sign_in(page, "officer")
    page.goto("/inspections/")
    page.click("#new-inspection")
    page.fill("#scope", "Nhiệm vụ UBND tỉnh giao Sở Tài chính năm 2026")
    page.select_option("#form", "ad_hoc")
    page.fill("#start_on", (today() - dt.timedelta(days=1)).isoformat())
    page.fill("#end_on", (today() + dt.timedelta(days=5)).isoformat())
    page.select_option("#inspected", [str(stc)])
    page.select_option("#leader_id", str(leader))
    page.select_option("#member_ids", [str(member)])
    page.click("#save-draft")
    status_is(page, app, "Draft decision")
    inspection_id = int(re.search(r"/inspections/show/(\d+)", page.url).group(1))
    page.click("#submit-form button")
    expect(page.locator("#with-chairman")).to_be_visible()

    sign_in(page, "chairman")
    page.goto(f"/inspections/show/{inspection_id}")
    page.fill("#number", "45/QĐ-UBND")
    page.click("#issue-form button")
    status_is(page, app, "Inspection under way")
    expect(page.locator("h3")).to_contain_text("45/QĐ-UBND")

    sign_in(page, "wg_member")
    page.goto("/tasks/list/")
    expect(page.locator("body")).to_contain_text(CONTENT)  # during: the inspected agency's tasks
    page.goto(f"/inspections/show/{inspection_id}")
    page.fill("#assessment", "Cập nhật tiến độ trên Hệ thống chưa thường xuyên")
    page.fill("#conclusion", "Nhiệm vụ đúng tiến độ")
    page.fill("#recommendations", "Cập nhật hằng tuần")
    page.click("#record-finding")
    expect(page.locator("#findings")).to_contain_text("Nhiệm vụ đúng tiến độ")

    # The inspected agency: its staff attach the records to the draft, its head submits (Art. 16.3).
    sign_in(page, "stc_staff")
    page.goto(f"/inspections/show/{inspection_id}")
    page.fill("#agency-report-body", "Sở Tài chính đã triển khai đầy đủ các nhiệm vụ được giao")
    page.set_input_files("#agency-report-files", files=[
        {"name": "ho-so-qua-lon.pdf", "mimeType": "application/pdf", "buffer": b"%PDF" + b"0" * (2 * 1024 * 1024)}])
    expect(page.locator(".file-size-error")).to_contain_text("ho-so-qua-lon.pdf")  # each file, before sending
    page.set_input_files("#agency-report-files", files=[
        {"name": "Biên bản làm việc.pdf", "mimeType": "application/pdf", "buffer": EVIDENCE}])
    expect(page.locator(".file-size-error")).to_have_count(0)
    page.click("#save-agency-report")
    expect(page.locator("#my-report-files")).to_contain_text("Biên bản làm việc.pdf")
    expect(page.locator("#submit-agency-report")).to_have_count(0)  # staff only save drafts

    sign_in(page, "stc_head")
    page.goto(f"/inspections/show/{inspection_id}")
    expect(page.locator("#my-report-files")).to_contain_text("Biên bản làm việc.pdf")
    page.click("#submit-agency-report")
    expect(page.locator("#agency-report-submitted")).to_be_visible()

    sign_in(page, "snv_head")
    page.goto(f"/inspections/show/{inspection_id}")
    reports = page.locator("#agency-reports")
    expect(reports).to_contain_text("Sở Tài chính đã triển khai đầy đủ các nhiệm vụ được giao")
    with page.expect_download() as download:
        reports.locator("a.report-file", has_text="Biên bản làm việc.pdf").click()
    assert download.value.suggested_filename == "Biên bản làm việc.pdf"
    with open(download.value.path(), "rb") as got:
        assert got.read() == EVIDENCE
    expect(page.locator("#report-body")).to_contain_text("Nhiệm vụ đúng tiến độ")  # drafted from the findings
    page.click("#submit-report")
    status_is(page, app, "Result reported")

    sign_in(page, "stc_head")
    page.goto("/notifications/")
    page.locator("button", has_text=vi(app, "Inspection result report")).first.click()
    expect(page.locator("#result-report")).to_contain_text("Nhiệm vụ đúng tiến độ")
    with page.expect_download() as download:
        page.click("#report-pdf")
    assert download.value.suggested_filename == "bao-cao-ket-qua-kiem-tra-45-QĐ-UBND.pdf"

    sign_in(page, "wg_member")
    page.goto("/tasks/list/")
    expect(page.locator("body")).not_to_contain_text(CONTENT)  # after the result report: no longer
