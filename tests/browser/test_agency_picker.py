"""The coordinating agencies picker (issue 9): type to filter 85 agencies without
minding the accents, chosen ones always visible as removable chips, the keyboard
alone is enough, and nothing is fetched from the network."""
import re

from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.models import Document
from tests.browser.conftest import sign_in


def offline(page, live_server):
    """Refuse (and remember) every request that leaves the app's own server."""
    outside = []

    def route(r):
        if r.request.url.startswith(live_server):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    page.context.route("**/*", route)
    return outside


def test_choosing_coordinating_agencies_by_typing_with_the_keyboard(app, live_server, page, debuggable):
    outside = offline(page, live_server)
    sign_in(page, "officer")
    page.goto("/documents/add")
    assert page.locator("#tasks-0-coordinating_agency_ids option").count() >= 80
    expect(page.locator("#tasks-0-coordinating_agency_ids")).to_be_hidden()  # replaced by the picker
    search = page.locator("#tasks-0-coordinating_agency_ids-search")
    expect(search).to_be_visible()
    # The label now names the search field.
    expect(page.locator("label[for='tasks-0-coordinating_agency_ids-search']")).to_have_text("Cơ quan phối hợp")

    search.click()
    search.press_sequentially("so tai chinh")
    options = page.locator("#document-entry .task-row").first.locator("[role=option]")
    expect(options).to_have_count(1)
    expect(options.first).to_have_text("Sở Tài chính")
    page.keyboard.press("Enter")  # chooses; does not send the form
    assert page.url.endswith("/documents/add")
    chips = page.locator(".task-row").first.locator(".agency-chip")
    expect(chips).to_have_text(["Sở Tài chính×"])

    search.fill("")
    search.press_sequentially("nha trang")
    expect(options.filter(has_text="Phường Nha Trang")).to_have_count(1)
    assert options.count() >= 3  # Bắc, Tây, Nam Nha Trang too
    for _ in range(2):
        page.keyboard.press("ArrowDown")
    chosen_name = page.locator(".task-row").first.locator("[role=option].active").inner_text()
    page.keyboard.press("Enter")
    expect(chips).to_have_count(2)
    expect(chips.nth(1)).to_contain_text(chosen_name)

    # Backspace in the empty field removes the last chip; × removes any.
    search.fill("")
    page.keyboard.press("Backspace")
    expect(chips).to_have_count(1)
    search.press_sequentially("SỞ Y TẾ")
    page.keyboard.press("Enter")
    search.fill("  xa   cam  lam ")
    expect(options.filter(has_text="Xã Cam Lâm")).to_have_count(1)
    options.filter(has_text="Xã Cam Lâm").click()
    expect(chips).to_have_text(["Sở Tài chính×", "Sở Y tế×", "Xã Cam Lâm×"])
    page.get_by_role("button", name="Bỏ Sở Y tế").click()
    expect(chips).to_have_text(["Sở Tài chính×", "Xã Cam Lâm×"])
    search.fill("không có cơ quan này")
    expect(page.locator(".task-row").first.locator(".agency-picker-empty")).to_contain_text(
        "Không có cơ quan, đơn vị nào khớp")
    page.keyboard.press("Escape")
    expect(page.locator(".task-row").first.locator("[role=listbox]")).to_be_hidden()

    # A second task row gets its own working picker.
    page.click("#add-task")
    second = page.locator("#tasks-1-coordinating_agency_ids-search")
    expect(second).to_be_visible()
    expect(page.locator(".task-row").nth(1).locator(".agency-chip")).to_have_count(0)
    second.click()
    second.press_sequentially("noi vu")
    page.keyboard.press("Enter")
    expect(page.locator(".task-row").nth(1).locator(".agency-chip")).to_have_text(["Sở Nội vụ×"])
    expect(chips).to_have_count(2)  # the first row is unchanged

    page.fill("#number", "88/UBND-TH")
    page.fill("#signer", "Nguyễn Văn A")
    page.fill("#summary", "V/v phối hợp")
    page.fill("#tasks-0-content", "Nhiệm vụ thứ nhất")
    page.select_option("#tasks-0-lead_agency_id", label="Sở Xây dựng")
    page.fill("#tasks-0-deadline", "30/12/2099")
    page.fill("#tasks-1-content", "Nhiệm vụ thứ hai")
    page.select_option("#tasks-1-lead_agency_id", label="Sở Xây dựng")
    page.fill("#tasks-1-deadline", "30/12/2099")
    with page.expect_navigation():
        page.click("#save-document")
    assert "/documents/show/" in page.url, page.locator(".alert").all_inner_texts()
    with app.app_context():
        document = db.session.scalar(select(Document).where(Document.number == "88/UBND-TH"))
        first, second_task = sorted(document.tasks, key=lambda t: t.id)
        assert {a.name for a in first.coordinating_agencies} == {"Sở Tài chính", "Xã Cam Lâm"}
        assert {a.name for a in second_task.coordinating_agencies} == {"Sở Nội vụ"}
        task_id = first.id

    # The correction page shows the chosen ones as chips and keeps them.
    page.goto(f"/tasks/edit/{task_id}")
    edit_chips = page.locator(".agency-chip")
    expect(edit_chips).to_have_text(["Sở Tài chính×", "Xã Cam Lâm×"])
    page.get_by_role("button", name="Bỏ Xã Cam Lâm").click()
    with page.expect_navigation():
        page.click("#task-edit button[type=submit]")
    with app.app_context():
        document = db.session.scalar(select(Document).where(Document.number == "88/UBND-TH"))
        first = sorted(document.tasks, key=lambda t: t.id)[0]
        assert {a.name for a in first.coordinating_agencies} == {"Sở Tài chính"}
    assert not [u for u in outside if not re.match(r"^(data|blob):", u)], outside
