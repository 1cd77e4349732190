"""Dates in the browser as a Vietnamese official types them (issue 9): dd/mm/yyyy
whatever the browser's language (here en-US, where a native date input would
show mm/dd/yyyy), the app's own offline calendar, and a wrong date answered in
Vietnamese, not with the browser's English tooltip."""
import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from playwright import sync_api
from playwright.sync_api import expect

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, sign_in


@pytest.fixture
def english_page(live_server):
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(base_url=live_server, locale="en-US",
                                          viewport={"width": 1366, "height": 900})
            context.set_default_timeout(10_000)
            yield context.new_page()
        finally:
            browser.close()


def test_typing_and_picking_dates_day_first_in_an_english_browser(app, english_page):
    page = english_page
    today = dt.datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()
    sign_in(page, "officer")
    page.goto("/documents/add")
    issued = page.locator("#issued_on")
    expect(issued).to_have_value(today.strftime("%d/%m/%Y"))
    assert issued.get_attribute("type") == "text"

    # Typed without leading zeros: shown back as dd/mm/yyyy on leaving the field.
    deadline = page.locator("#tasks-0-deadline")
    deadline.click()
    deadline.press_sequentially("5/2/2099")
    page.keyboard.press("Tab")
    expect(deadline).to_have_value("05/02/2099")

    # The calendar: opened by its button, in Vietnamese, moved with the keyboard.
    page.locator("#issued_on + .vn-date-button").click()
    popup = page.locator(".vn-date-popup")
    expect(popup).to_be_visible()
    expect(popup.locator(".vn-date-title")).to_have_text(f"Tháng {today.month}/{today.year}")
    expect(popup.locator("thead th").first).to_have_text("T2")
    expect(popup.locator(".vn-date-day[tabindex='0']")).to_be_focused()
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("Enter")
    expect(popup).to_have_count(0)
    expect(issued).to_have_value((today - dt.timedelta(days=1)).strftime("%d/%m/%Y"))
    expect(issued).to_be_focused()
    # Escape closes it without changing anything.
    page.keyboard.press("Alt+ArrowDown")
    expect(page.locator(".vn-date-popup")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator(".vn-date-popup")).to_have_count(0)
    expect(issued).to_have_value((today - dt.timedelta(days=1)).strftime("%d/%m/%Y"))

    # A day that does not exist: the form stays, with the app's Vietnamese message.
    page.fill("#number", "77/UBND-TH")
    page.fill("#signer", "Nguyễn Văn A")
    page.fill("#summary", "V/v thử nhập ngày")
    page.fill("#tasks-0-content", "Nhiệm vụ có thời hạn gõ tay")
    page.select_option("#tasks-0-lead_agency_id", label="Sở Tài chính")
    deadline.fill("31/02/2099")
    page.click("#save-document")
    assert page.url.endswith("/documents/add")
    message = deadline.evaluate("el => el.validationMessage")
    assert message == "“31/02/2099” không phải là ngày hợp lệ; hãy nhập theo dạng ngày/tháng/năm, ví dụ 02/12/2026."

    # Corrected: saved, and shown day first.
    deadline.fill("")
    deadline.press_sequentially("28/02/2099")
    with page.expect_navigation():
        page.click("#save-document")
    assert "/documents/show/" in page.url, page.locator(".alert").all_inner_texts()
    expect(page.locator("#document-tasks tbody tr").first).to_contain_text("28/02/2099")
