"""Browser fixtures: the session's app served on a free port, and Playwright
driving Debian's chromium (.ci/run installs it; no browser is downloaded)."""
from __future__ import annotations

import threading

import pytest
from playwright import sync_api
from playwright.sync_api import expect
from werkzeug.serving import WSGIRequestHandler, make_server

from tests.conftest import PASSWORD

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


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




def vi(app, msgid: str, **values) -> str:
    """A message as the Vietnamese catalogue renders it (and it must have one)."""
    from flask_babel import force_locale, gettext

    with app.test_request_context(), force_locale("vi"):
        message = gettext(msgid, **values)
    assert message != (msgid % values if values else msgid), f"no Vietnamese for {msgid!r}"
    return message
