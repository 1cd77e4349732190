"""In a real browser (issue: reports): an agency head fills sections III–IV of
the periodic report and submits it; the Office sees it submitted on time and
downloads the consolidated report."""
from __future__ import annotations

from playwright.sync_api import expect

from app.domain.periods import PeriodKind, period_containing, previous
from app.services.calendar import current_calendar, today
from tests.browser.conftest import sign_in, vi


def test_an_agency_submits_and_the_office_downloads_the_consolidated_report(
        app, live_server, page, debuggable, make_document):
    now = today()
    # The last period cut off: a report is submitted only after the cut-off (Art. 20.1-20.2).
    period = previous(period_containing(PeriodKind.monthly, now))
    with app.app_context():
        on_time = now <= period.agency_due(current_calendar())
    make_document([{"lead": "STC", "content": "Tổng hợp số liệu giải ngân quý IV", "deadline": period.end}],
                  issued_on=period.start)
    args = f"monthly/{period.year}/{period.number}"

    sign_in(page, "stc_head")
    assert page.goto(f"/reports/agency/{args}").status == 200
    expect(page.locator("#appendix-counts .count-total")).to_have_text("1")
    page.fill("#late-tasks textarea", "Chờ số liệu của Kho bạc Nhà nước")
    page.fill("textarea[name=section_3]", "Một nhiệm vụ đến hạn cuối kỳ chưa hoàn thành.")
    page.fill("textarea[name=section_4]", "Đề nghị Văn phòng UBND tỉnh hướng dẫn cách cập nhật số liệu.")
    page.click("#submit-report")
    expect(page.locator("#report-status")).to_have_class("label label-success")

    sign_in(page, "officer")
    assert page.goto(f"/reports/office/{args}").status == 200
    row = page.locator("#submissions tr", has_text="Sở Tài chính")
    expect(row).to_contain_text(vi(app, "Submitted on time" if on_time else "Submitted late"))
    page.click("#consolidated-link")
    expect(page.locator("#consolidated-table")).to_contain_text("Sở Tài chính")
    with page.expect_download() as download:
        page.click("#report-pdf")
    assert download.value.suggested_filename == f"bao-cao-tong-hop-thang-{period.number}-{period.year}.pdf"
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
