"""In a real browser: the Office enters a document with two tasks on the one-screen
form, and each lead agency then sees its own task and nothing of the other's
(SPEC §1, the row-level rule: a task one may not see answers 404).

Playwright drives Debian's chromium against the `app` fixture served by werkzeug
on a free port. Screenshots go to the test's tmp_path, never into the repository."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from tests.browser.conftest import sign_in

from playwright.sync_api import expect

NUMBER = "501/UBND-TH"
SUMMARY = "V/v triển khai kế hoạch đầu tư công và sắp xếp bộ máy năm 2027"
SIGNER = "Trần Phước Hiền"
TASK_STC = "Rà soát, tổng hợp nhu cầu vốn đầu tư công trung hạn của các địa phương"
TASK_SNV = "Hướng dẫn kiện toàn tổ chức bộ máy các phòng chuyên môn cấp xã"


SAVED = "Document %(number)s was saved with %(n)s tasks."


def expected_flash(app, **values) -> str:
    """The success message as the Vietnamese catalogue (translations/vi) renders it;
    the wording is the catalogue's, the test only requires that there is one."""
    from flask_babel import force_locale, gettext

    with app.test_request_context(), force_locale("vi"):
        message = gettext(SAVED, **values)
    assert message != SAVED % values, "the success message has no Vietnamese translation"
    return message


def test_the_office_enters_two_tasks_and_each_agency_sees_only_its_own(
        app, live_server, page, debuggable, tmp_path):
    today = dt.datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()
    deadline = today + dt.timedelta(days=30)

    # --- The Office official enters the document and its two tasks -----------
    sign_in(page, "officer")
    response = page.goto("/documents/add")
    assert response.status == 200
    page.select_option("#doc_type", "official_letter")
    page.fill("#number", NUMBER)
    page.fill("#issued_on", today.isoformat())
    page.fill("#signer", SIGNER)
    page.fill("#summary", SUMMARY)
    page.select_option("#issuer", "committee")
    page.select_option("#source", "ad_hoc")
    page.select_option("#urgency", "normal")
    page.select_option("#secrecy", "none")

    page.fill("#tasks-0-content", TASK_STC)
    page.select_option("#tasks-0-lead_agency_id", label="Sở Tài chính")
    page.fill("#tasks-0-deadline", deadline.isoformat())

    page.click("#add-task")
    expect(page.locator(".task-row")).to_have_count(2)
    expect(page.locator("#tasks-1-content")).to_have_value("")  # the copy starts empty
    page.fill("#tasks-1-content", TASK_SNV)
    page.select_option("#tasks-1-lead_agency_id", label="Sở Nội vụ")
    page.fill("#tasks-1-deadline", deadline.isoformat())
    page.check("#send_now")
    # Both rows still carry a tracking officer (the signed-in official by default).
    for n in (0, 1):
        assert page.input_value(f"#tasks-{n}-tracking_officer_id") not in ("", "None")
    page.screenshot(path=str(tmp_path / "entry-form.png"), full_page=True)

    with page.expect_navigation():
        page.click("#save-document")
    assert "/documents/show/" in page.url, page.locator(".alert").all_inner_texts()
    success = page.locator(".alert-success")
    expect(success).to_have_count(1)
    expect(success).to_contain_text(expected_flash(app, number=NUMBER, n=2))
    expect(page.locator(".alert-danger")).to_have_count(0)
    rows = page.locator("#document-tasks tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text(TASK_STC)
    expect(rows.nth(0)).to_contain_text("Sở Tài chính")
    expect(rows.nth(0)).to_contain_text(deadline.strftime("%d/%m/%Y"))
    expect(rows.nth(1)).to_contain_text(TASK_SNV)
    expect(rows.nth(1)).to_contain_text("Sở Nội vụ")
    expect(page.locator("#document-fields")).to_contain_text(SUMMARY)
    stc_url = rows.nth(0).locator("a").get_attribute("href")
    snv_url = rows.nth(1).locator("a").get_attribute("href")
    assert stc_url != snv_url and "/tasks/show/" in stc_url and "/tasks/show/" in snv_url

    # --- Each lead agency sees its own task, and the other's does not exist ---
    for username, own, (own_url, other, other_url) in (
            ("stc_head", TASK_STC, (stc_url, TASK_SNV, snv_url)),
            ("snv_head", TASK_SNV, (snv_url, TASK_STC, stc_url))):
        sign_in(page, username)
        assert page.goto("/tasks/list/").status == 200
        listing = page.locator("body")
        expect(listing).to_contain_text(own)
        expect(listing).not_to_contain_text(other)
        expect(listing).to_contain_text("Số bản ghi")  # FAB's list, in Vietnamese
        assert page.goto(own_url).status == 200
        expect(page.locator("body")).to_contain_text(own)
        assert page.goto(other_url).status == 404, f"{username} opened {other_url}"
        assert other not in page.content()

    # The agency list, for the record (and a look at a plain FAB list page).
    assert page.goto("/agencies/list/").status == 200
    page.screenshot(path=str(tmp_path / "agencies.png"), full_page=True)
