"""In a real browser: the Office enters a document with two tasks on the one-screen
form, and each lead agency then sees its own task and nothing of the other's
(SPEC §1, the row-level rule: a task one may not see answers 404).

Playwright drives Debian's chromium against the `app` fixture served by werkzeug
on a free port. Screenshots go to the test's tmp_path, never into the repository."""
from __future__ import annotations

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
from werkzeug.serving import WSGIRequestHandler, make_server

from tests.conftest import PASSWORD

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

NUMBER = "501/UBND-TH"
SUMMARY = "V/v triển khai kế hoạch đầu tư công và sắp xếp bộ máy năm 2027"
SIGNER = "Trần Phước Hiền"
TASK_STC = "Rà soát, tổng hợp nhu cầu vốn đầu tư công trung hạn của các địa phương"
TASK_SNV = "Hướng dẫn kiện toàn tổ chức bộ máy các phòng chuyên môn cấp xã"


class QuietHandler(WSGIRequestHandler):
    """No access log (it buries a failure's report); errors are still logged."""

    def log_request(self, code="-", size="-"):
        pass


@pytest.fixture
def live_server(app):
    """The session's app on 127.0.0.1:<free port>, with CSRF on as real users have it."""
    saved = {key: app.config.get(key) for key in ("SERVER_NAME", "WTF_CSRF_ENABLED")}
    app.config["SERVER_NAME"] = None  # the fixture's "localhost" would not match 127.0.0.1:port
    app.config["WTF_CSRF_ENABLED"] = True
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()
        app.config.update(saved)


@pytest.fixture
def page(live_server, tmp_path):
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(base_url=live_server, locale="vi-VN",
                                          viewport={"width": 1366, "height": 900})
            context.set_default_timeout(10_000)
            page = context.new_page()
            yield page
        finally:
            browser.close()


@pytest.fixture
def debuggable(page, tmp_path, request):
    """If the test fails, keep a screenshot and the HTML of the page the browser was on.
    (The call's report is logged before fixtures are torn down, so a rise in the
    session's failure count here means this test failed.)"""
    failed_before = request.session.testsfailed
    yield
    if request.session.testsfailed > failed_before:
        try:
            page.screenshot(path=str(tmp_path / "failure.png"), full_page=True)
            (tmp_path / "failure.html").write_text(page.content(), encoding="utf-8")
            print(f"browser artefacts: {tmp_path}")
        except Exception:  # noqa: BLE001 — the browser may be what failed
            pass


def sign_in(page, username: str) -> None:
    page.goto("/logout/")
    page.goto("/login/")
    # FAB's sign-in screen, in Vietnamese (translations/src/fab.vi.po).
    expect(page.locator("input[type=submit]")).to_have_value("Đăng nhập")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("input[type=submit]")
    logout = page.locator("a[href$='/logout/']")
    expect(logout).to_have_count(1)
    expect(logout).to_have_text("Đăng xuất")  # signed in, and the navbar is Vietnamese


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
