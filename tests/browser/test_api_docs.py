"""In a real browser: Swagger UI opens for an agency user without the Internet (every
file from the app), lists the API in Vietnamese and shows its own labels in Vietnamese."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import sign_in


def test_swagger_ui_reads_in_vietnamese_and_loads_nothing_from_outside(page, debuggable, live_server):
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(live_server)
            and not r.url.startswith("data:") else None)
    sign_in(page, "stc_head")
    page.goto("/swagger/v1")
    # The document describes every chapter: give a loaded machine time to fetch and draw it.
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Theo dõi nhiệm vụ", timeout=30_000)
    expect(page.locator(".opblock-tag", has_text="Nhiệm vụ").first).to_be_visible()
    summary = page.locator(".opblock-summary-description",
                           has_text="Gửi, tiếp nhận, trả lại").first
    expect(summary).to_be_visible()
    expect(page.locator(".btn.authorize")).to_contain_text("Xác thực")
    summary.click()
    expect(page.locator(".try-out__btn").first).to_have_text("Thử gọi")
    expect(page.locator(".opblock-section-header h4", has_text="Tham số").first).to_be_visible()
    expect(page.locator(".responses-wrapper h4", has_text="Các phản hồi").first).to_be_visible()
    page.locator(".try-out__btn").first.click()
    expect(page.locator(".btn.execute").first).to_have_text("Gửi yêu cầu")
    assert outside == []
