"""In a real browser (issue 13): the Office asks three agencies for a report, one answers,
the Office sees one on time and two missing; a commune chair reports a difficulty, the
officer proposes it to the Chairman, the leader sends it, the Chairman extends the task,
and the commune sees the new deadline and the direction."""
from __future__ import annotations

import datetime as dt

from playwright.sync_api import expect

from app.services.calendar import today
from tests.browser.conftest import sign_in
from tests.conftest import agency_id


def test_an_ad_hoc_report_asked_of_three_agencies_one_answers(app, live_server, page, debuggable):
    with app.app_context():
        ids = [str(agency_id(code)) for code in ("STC", "SNV", "22366")]
    sign_in(page, "officer")
    page.goto("/report-requests/new")
    page.fill("input[name=subject]", "Báo cáo tình hình giải ngân vốn đầu tư công")
    page.fill("textarea[name=body]", "Nêu số liệu giải ngân đến ngày 30/11")
    page.select_option("#agency-ids", ids)
    page.check("#due-mode-days")
    page.fill("input[name=due_working_days]", "3")
    with page.expect_navigation():
        page.click("#send-request")
    expect(page.locator(".alert-success")).to_contain_text("Đã gửi yêu cầu đến 3 cơ quan")
    request_url = page.url

    sign_in(page, "stc_head")
    page.goto(request_url)
    page.fill("#answer-form textarea[name=body]", "Đã giải ngân 85% kế hoạch vốn")
    with page.expect_navigation():
        page.click("#submit-answer")
    expect(page.locator("#own-state")).to_have_text("Đã trả lời đúng hạn")

    sign_in(page, "officer")
    page.goto(request_url)
    expect(page.locator("#answers tr.answer-on_time")).to_have_count(1)
    expect(page.locator("#answers tr.answer-not_yet")).to_have_count(2)
    expect(page.locator("#answer-counts")).to_contain_text("Đúng hạn: 1")
    expect(page.locator("#answer-counts")).to_contain_text("Chưa trả lời: 2")
    expect(page.locator("#answers")).to_contain_text("Đã giải ngân 85% kế hoạch vốn")


def test_a_communes_difficulty_is_proposed_and_the_chairman_extends_the_task(
        app, live_server, page, debuggable, make_document):
    past = today() - dt.timedelta(days=15)
    _, (task_id,) = make_document([{"lead": "22366", "content": "Giải phóng mặt bằng dự án đường ven biển",
                                    "deadline": past}], issued_on=past - dt.timedelta(days=30))
    sign_in(page, "nhatrang_chair")
    page.goto(f"/tasks/show/{task_id}")
    with page.expect_navigation():
        page.click("#report-difficulty")
    page.fill("#issue-form textarea[name=body]", "Vượt quá khả năng ngân sách của phường")
    page.fill("#issue-form textarea[name=proposal]", "Đề nghị tỉnh hỗ trợ kinh phí và gia hạn")
    with page.expect_navigation():
        page.click("#send-issue")
    expect(page.locator("#issue")).to_contain_text("Vượt quá khả năng ngân sách của phường")

    sign_in(page, "officer")
    page.goto(f"/tasks/show/{task_id}")
    with page.expect_navigation():
        page.click("#issues a")
    with page.expect_navigation():
        page.click("#propose-issue")
    with page.expect_navigation():
        page.click("#draft-proposal")
    expect(page.locator("#proposal-status")).to_have_text("Dự thảo, tại Văn phòng")
    proposal_url = page.url

    sign_in(page, "leader")
    page.goto(proposal_url)
    with page.expect_navigation():
        page.click("#submit-proposal")
    expect(page.locator("#proposal-status")).to_have_text("Đã trình Chủ tịch UBND tỉnh")

    new_deadline = today() + dt.timedelta(days=30)
    sign_in(page, "chairman")
    page.goto("/proposals/")
    with page.expect_navigation():
        page.click("#queue a")
    form = page.locator(f"#item-{task_id} form.direction-form")
    form.locator("select[name=decision]").select_option("extend")
    form.locator("input[name=deadline]").fill(new_deadline.isoformat())
    form.locator("textarea[name=comment]").fill("Đồng ý gia hạn, phường tập trung giải phóng mặt bằng")
    with page.expect_navigation():
        form.locator("button").click()
    expect(page.locator(f"#item-{task_id} .direction")).to_contain_text("Gia hạn đến ngày")
    expect(page.locator("#proposal-status")).to_have_text("Đã có ý kiến chỉ đạo")

    sign_in(page, "nhatrang_chair")
    page.goto(f"/tasks/show/{task_id}")
    expect(page.locator("#deadline")).to_contain_text(new_deadline.strftime("%d/%m/%Y"))
    expect(page.locator("#directions")).to_contain_text(
        f"Gia hạn đến ngày {new_deadline:%d/%m/%Y} — Đồng ý gia hạn, phường tập trung giải phóng mặt bằng")
    expect(page.locator("#task-timeline")).to_contain_text("Ý kiến chỉ đạo của Chủ tịch UBND tỉnh")
