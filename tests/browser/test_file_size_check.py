"""In a real browser: a file above MAX_ATTACHMENT_BYTES is refused before the form is
sent, with a Vietnamese message, and what was typed stays on the screen (the server's
413 would have lost the whole form)."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import sign_in


def test_an_oversized_file_is_refused_in_the_browser_and_the_form_is_kept(app, page, debuggable,
                                                                          monkeypatch):
    monkeypatch.setitem(app.config, "MAX_ATTACHMENT_BYTES", 1024 * 1024)
    sign_in(page, "officer")
    page.goto("/documents/add")
    page.fill("#number", "777/UBND-TH")
    page.set_input_files("input[type=file]", files=[
        {"name": "ban-ve-lon.pdf", "mimeType": "application/pdf", "buffer": b"x" * (2 * 1024 * 1024)}])
    error = page.locator(".file-size-error")
    expect(error).to_contain_text("Tệp ban-ve-lon.pdf có dung lượng 2,0 MB; mỗi tệp tối đa 1,0 MB")
    url = page.url
    page.locator("form input[type=submit], form button[type=submit]").first.click()
    expect(error).to_be_visible()
    assert page.url == url
    expect(page.locator("#number")).to_have_value("777/UBND-TH")
