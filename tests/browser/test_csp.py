"""Issue 8, finding 8, in a real browser: with a CSP that allows no inline script, the
main pages run their scripts (FAB's jQuery, Bootstrap and nonced inline code, the app's
ui.js) with no CSP violation, and still work: the navbar menus open, the document entry
adds and removes task rows, the header checkbox checks every agency, the period chooser
navigates."""
from __future__ import annotations

import datetime as dt

from playwright.sync_api import expect

from app.services.calendar import today
from tests.browser.conftest import sign_in

WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sourceFile + ":" + e.lineNumber);
});
"""


def _watch(page):
    errors = []
    # A missing resource is reported by its response (the console message has no address).
    page.on("console", lambda m: errors.append(m.text)
            if m.type == "error" and not m.text.startswith("Failed to load resource") else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}")
            if r.status >= 400 and not r.url.endswith("/favicon.ico") else None)
    page.context.add_init_script(WATCH)
    return errors


def _no_violation(page, errors, where):
    violations = page.evaluate("window.__cspViolations || []")
    assert not violations, f"{where}: {violations}"
    csp = [e for e in errors if "Content Security Policy" in e or "Refused to" in e]
    assert not csp, f"{where}: {csp}"
    assert not errors, f"{where}: {errors}"


def test_main_pages_run_under_the_strict_csp_and_still_work(app, live_server, page, debuggable, make_document):
    past = today() - dt.timedelta(days=10)
    _, ids = make_document([{"lead": "STC", "content": "Nhiệm vụ kiểm tra CSP", "deadline": past}],
                           issued_on=past - dt.timedelta(days=20))
    errors = _watch(page)
    sign_in(page, "officer")
    assert page.evaluate("typeof jQuery") == "function"  # FAB's scripts loaded from 'self'

    for path in ("/", "/tasks/list/", f"/tasks/show/{ids[0]}", "/documents/list/", "/letters/urge-overdue"):
        response = page.goto(path)
        assert response.status == 200, path
        assert "'unsafe-inline'" not in response.headers["content-security-policy"].split("style-src")[0]
        page.wait_for_load_state("load")
        _no_violation(page, errors, path)

    # Bootstrap's dropdowns (FAB's navbar) still open.
    page.goto("/tasks/list/")
    menu = page.locator("a.dropdown-toggle").first
    menu.click()
    expect(page.locator("li.dropdown.open, .dropdown.open").first).to_be_visible()
    _no_violation(page, errors, "navbar")

    # The one-screen entry: rows are added and removed, their fields renumbered.
    page.goto("/documents/add")
    page.click("#add-task")
    page.click("#add-task")
    expect(page.locator(".task-row")).to_have_count(3)
    expect(page.locator("#tasks-2-content")).to_have_value("")
    page.locator(".task-row").nth(1).locator(".remove-task").click()
    expect(page.locator(".task-row")).to_have_count(2)
    expect(page.locator("#tasks-1-content")).to_have_count(1)
    _no_violation(page, errors, "document entry")

    # The header checkbox of "Đôn đốc nhiệm vụ quá hạn" checks every agency.
    page.goto("/letters/urge-overdue")
    page.check("#check-all-agencies")
    boxes = page.locator(".agency-box")
    assert boxes.count() >= 1 and all(boxes.nth(i).is_checked() for i in range(boxes.count()))
    _no_violation(page, errors, "urge overdue")

    # The period chooser of the reports navigates to the period asked for.
    sign_in(page, "stc_head")
    page.goto("/reports/")
    chooser = page.locator("#period-select")
    expect(chooser).to_have_count(1)
    target = chooser.locator("option", has_text="Quý II/2026")
    with page.expect_navigation():
        chooser.select_option(value=target.get_attribute("value"))
    assert "/quarterly/2026/2" in page.url, page.url
    _no_violation(page, errors, "reports")


def test_the_api_explorer_runs_under_the_strict_csp(app, live_server, page, debuggable):
    errors = _watch(page)
    sign_in(page, "admin")
    assert page.goto("/swagger/v1").status == 200
    expect(page.locator("#swagger-ui .opblock").first).to_be_visible(timeout=20_000)  # the operations, drawn
    _no_violation(page, errors, "swagger")
