"""One walk per role (issue 9): sign in, read the home page and every menu item the
role reaches (the navbar's menus and the user menu), and fail on any English word
a user would read, outside a short allow-list (tests/browser/english.py), or on a
menu item that does not answer."""
import datetime as dt

import pytest

from app.services import delay_reports, lifecycle
from app.services.calendar import today
from tests.browser.conftest import sign_in
from tests.browser.english import VISIBLE_TEXT_JS, english_words
from tests.conftest import USERS, viewer

ROLES = {}
for _username, (_role, _agency) in USERS.items():
    if _role != "Connector":  # the document system's service account never uses the screens
        ROLES.setdefault(_role, _username)  # one user per role


@pytest.fixture
def some_work(app, make_document):
    """Tasks in several states, so the lists show rows and not only "no record"."""
    make_document([{"lead": "STC", "content": "Báo cáo tình hình giải ngân vốn đầu tư công",
                    "coordinating": ["SNV"], "deadline": today() + dt.timedelta(days=3)},
                   {"lead": "STC", "content": "Rà soát thủ tục hành chính", "deadline": today() - dt.timedelta(days=2)},
                   {"lead": "22366", "content": "Chỉnh trang đô thị", "deadline": today() + dt.timedelta(days=40)}],
                  issued_on=today() - dt.timedelta(days=20))
    _, (draft,) = make_document([{"lead": "SNV", "content": "Nhiệm vụ chưa giao"}], send=False)
    with app.test_request_context():
        from app.extensions import db
        from app.models import Task

        tasks = db.session.query(Task).filter(Task.lead_agency.has(code="STC")).order_by(Task.id).all()
        lifecycle.transition(tasks[0].id, "receive", viewer=viewer("stc_head"))
        lifecycle.request_extension(tasks[0].id, viewer=viewer("stc_head"), reason="Chờ số liệu quyết toán",
                                    proposed_deadline=today() + dt.timedelta(days=30))
        delay_reports.file_report(tasks[0].id, viewer=viewer("snv_head"), description="Sở Tài chính chậm gửi số liệu",
                                  received_on=None, concerned_agency_id=tasks[0].lead_agency_id,
                                  reporting_agency_id=None, files=[])
        db.session.commit()


def _menu_links(page) -> list[str]:
    hrefs = page.eval_on_selector_all(
        ".navbar a[href]", "els => els.map(a => a.getAttribute('href'))")
    links = []
    for href in hrefs:
        if not href or href.startswith(("#", "http", "javascript")) or "/logout" in href or "/lang/" in href:
            continue
        if href not in links:
            links.append(href)
    return links


DETAILS = ("/tasks/show/", "/documents/show/", "/delay-reports/show/", "/letters/show/", "/tasks/edit/",
           "/documents/edit/", "/delay-reports/new/")
# Forms behind the lists' "add" buttons, where FAB's generated fields live.
FORMS = {"Admin": ["/users/add", "/users/edit/1", "/roles/add", "/groups/add", "/agencies/add", "/calendar/add"]}


@pytest.mark.parametrize("role", list(ROLES))
def test_every_screen_of_the_role_reads_in_vietnamese(app, live_server, page, debuggable, some_work, role):
    sign_in(page, ROLES[role])
    page.goto("/")
    links = ["/"] + _menu_links(page)
    assert len(links) > 3, links
    problems, broken, details = {}, {}, {}

    def read(href):
        response = page.goto(href)
        if response is None or response.status >= 400:
            broken[href] = response.status if response else None
            return
        text = page.evaluate(VISIBLE_TEXT_JS)
        assert "Theo dõi nhiệm vụ" in text and "Đăng xuất" not in text  # the page's own words, menus closed
        words = english_words(text)
        if words:
            problems[page.url.replace(live_server, "")] = sorted(set(words))
        # …and one detail page behind the lists (a task, a document, a delay report, a letter).
        for found in page.eval_on_selector_all(".container a[href]", "els => els.map(a => a.getAttribute('href'))"):
            for detail in DETAILS:
                if found and found.startswith(detail):
                    details.setdefault(detail, found)

    # The menus' own labels (closed dropdowns are not visible text); the language
    # switch names its language ("English") and is left out.
    labels = page.eval_on_selector_all(
        ".navbar a", "els => els.filter(a => !(a.getAttribute('href') || '').includes('/lang/'))"
                     ".map(a => (a.textContent || '') + ' ' + (a.getAttribute('title') || ''))")
    assert "Đăng xuất" in " ".join(labels)
    menu_words = english_words("\n".join(labels))
    if menu_words:
        problems["menu"] = sorted(set(menu_words))
    for link in links + FORMS.get(role, []):
        read(link)
    done = set()
    while set(details.values()) - done:  # detail pages lead to forms (correct, report a delay)
        href = sorted(set(details.values()) - done)[0]
        done.add(href)
        read(href)
    assert not broken, f"{role}: screens that do not answer: {broken}"
    assert not problems, f"{role}: English on screen: {problems}"
