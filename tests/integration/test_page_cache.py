"""Fragments kept per worker (app/page_cache.py, issue 10) are exactly those of the request's
inputs: two viewers of different scope in both orders see their own board, menu and search
form; a role's permission, an agency's name and a user's name changed through another
connection (standing for another worker, machine or psql) show on the very next request;
the locale is part of every key; the caches are bounded. And the task list's rows, written
in Python, are the HTML FAB's templates write for the same rows."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from app import page_cache
from tests.conftest import agency_id


@pytest.fixture
def other_worker(app):
    engine = sa.create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    yield engine
    engine.dispose()


@pytest.fixture(autouse=True)
def _fresh_cache():
    page_cache.clear()
    yield
    page_cache.clear()


def _page(client, url="/tasks/list/") -> str:
    answer = client.get(url)
    assert answer.status_code == 200, url
    return answer.get_data(as_text=True)


def _table(html: str) -> str:
    """The list's table, whitespace between tags ignored (it is not shown)."""
    table = re.search(r'<table class="table table-bordered table-hover">.*?</table>', html, re.S).group(0)
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", table))


def _navbar(html: str) -> str:
    return re.search(r'<ul class="nav navbar-nav">.*?</ul>\s*<ul class="nav navbar-nav navbar-right">', html,
                     re.S).group(0)


def _search_form(html: str) -> str:
    """The search form's fields, as FAB's script receives them (JSON: \\u escapes read back)."""
    script = re.search(r"new AdminFilters\(.*?\);", html, re.S).group(0)
    return script.encode("ascii", "backslashreplace").decode("unicode_escape")


def test_the_rows_are_the_html_fabs_templates_write(app, client, auth, make_document, monkeypatch):
    from flask_appbuilder.widgets import ListWidget

    from app.views import TaskView

    make_document([{"lead": "STC", "content": 'Rà soát <b>“hồ sơ”</b> & báo cáo "ngay"'},
                   {"lead": "SNV", "coordinating": ["STC"], "content": "x" * 200}], send=True)
    with app.app_context():
        stc = agency_id("STC")
    for username in ("officer", "stc_head"):
        auth.login(username)
        for url in ("/tasks/list/", "/tasks/list/?_flt_0_lead_agency=%d" % stc,
                    "/tasks/list/?_oc_TaskView=status&_od_TaskView=desc"):
            ours = _table(_page(client, url))
            with monkeypatch.context() as patch:
                patch.setattr(TaskView, "list_widget", ListWidget)
                fabs = _table(_page(client, url))
            assert ours == fabs, (username, url)
            assert "/tasks/show/" in ours
    assert "Rà soát &lt;b&gt;“hồ sơ”&lt;/b&gt; &amp; báo cáo &#34;ngay&#34;" in ours  # escaped, as FAB did


def test_two_viewers_see_their_own_board_and_menu_in_both_orders(app, make_document):
    from tests.conftest import AuthActions

    make_document([{"lead": "STC"}, {"lead": "STC"}, {"lead": "SNV"}], send=True)
    for order in (("officer", "stc_head", "snv_head"), ("snv_head", "stc_head", "officer")):
        page_cache.clear()
        seen = {}
        for username in order:
            client = app.test_client()
            AuthActions(client).login(username)
            html = _page(client, "/")
            counts = re.search(r'state-in_time".*?<h3[^>]*>(\d+)</h3>', html, re.S).group(1)
            seen[username] = (int(counts), "/documents/add" in _navbar(html), 'id="agency-table"' in html)
            _page(client)  # the list and its search form, cached for the next viewer
        assert seen["officer"] == (3, True, True)
        assert seen["stc_head"] == (2, False, False)
        assert seen["snv_head"] == (1, False, False)


def test_a_permission_taken_elsewhere_leaves_the_menu_at_once(app, client, auth, other_worker):
    from app.extensions import appbuilder
    from app.security import sync_roles

    auth.login("officer")
    menu = _navbar(_page(client, "/"))
    assert "Danh sách nhiệm vụ" in menu or "Task list" in menu
    link = re.search(r'href="(/tasks/list/)"', menu)
    assert link
    try:
        with other_worker.begin() as conn:
            conn.execute(sa.text(
                "DELETE FROM ab_permission_view_role WHERE role_id = (SELECT id FROM ab_role WHERE name ="
                " 'OfficeOfficial') AND permission_view_id IN (SELECT pv.id FROM ab_permission_view pv"
                " JOIN ab_permission p ON p.id = pv.permission_id JOIN ab_view_menu v ON v.id = pv.view_menu_id"
                " WHERE p.name = 'menu_access' AND v.name = 'Task list')"))
        assert 'href="/tasks/list/"' not in _navbar(_page(client, "/"))
    finally:
        with app.app_context():
            sync_roles(appbuilder())
    assert 'href="/tasks/list/"' in _navbar(_page(client, "/"))


def test_an_agency_renamed_elsewhere_shows_at_once(app, client, auth, make_document, other_worker):
    make_document([{"lead": "STC"}], send=True)
    auth.login("officer")
    form, board = _search_form(_page(client)), _page(client, "/")
    with other_worker.begin() as conn:
        old = conn.scalar(sa.text("SELECT name FROM agency WHERE code = 'STC'"))
        conn.execute(sa.text("UPDATE agency SET name = 'Sở Tài chính mới' WHERE code = 'STC'"))
    try:
        assert old in form and old in board
        assert "Sở Tài chính mới" in _search_form(_page(client))
        assert "Sở Tài chính mới" in _page(client, "/")  # the board's table by agency
    finally:
        with other_worker.begin() as conn:
            conn.execute(sa.text("UPDATE agency SET name = :n WHERE code = 'STC'"), {"n": old})
    assert "Sở Tài chính mới" not in _search_form(_page(client))


def test_an_officer_renamed_elsewhere_shows_in_the_search_form_at_once(app, client, auth, other_worker):
    auth.login("stc_head")
    assert "Zzz Đổi Tên" not in _search_form(_page(client))
    with other_worker.begin() as conn:
        old = conn.execute(sa.text("SELECT first_name, last_name FROM ab_user WHERE username = 'officer'")).one()
        conn.execute(sa.text("UPDATE ab_user SET first_name = 'Zzz Đổi Tên' WHERE username = 'officer'"))
    try:
        assert "Zzz Đổi Tên" in _search_form(_page(client))
    finally:
        with other_worker.begin() as conn:
            conn.execute(sa.text("UPDATE ab_user SET first_name = :f WHERE username = 'officer'"),
                         {"f": old.first_name})
    assert "Zzz Đổi Tên" not in _search_form(_page(client))


def test_a_sign_in_does_not_move_the_directory_version(app, client, auth):
    from app.extensions import db

    def version():
        with app.app_context():
            return db.session.scalar(sa.text("SELECT version FROM data_version WHERE name = 'directory'"))

    before = version()
    auth.login("officer")  # writes last_login and login_count
    assert version() == before


def test_a_task_written_elsewhere_shows_on_the_next_request(app, client, auth, make_document, other_worker):
    make_document([{"lead": "STC", "content": "Nhiệm vụ trước khi sửa"}], send=True)
    auth.login("stc_head")
    board = _page(client, "/")
    assert "Nhiệm vụ trước khi sửa" in _page(client)
    in_time = re.search(r'state-in_time".*?<h3[^>]*>(\d+)</h3>', board, re.S).group(1)
    with other_worker.begin() as conn:
        conn.execute(sa.text("UPDATE task SET content = 'Nhiệm vụ đã sửa', deadline = '2000-01-03'"))
    assert "Nhiệm vụ đã sửa" in _page(client)
    board = _page(client, "/")
    assert re.search(r'state-in_time".*?<h3[^>]*>(\d+)</h3>', board, re.S).group(1) == str(int(in_time) - 1)


def test_the_locale_is_part_of_every_key(app, client, auth):
    auth.login("officer")
    vietnamese = _page(client)
    client.get("/lang/en")
    english = _page(client)
    assert "Danh sách nhiệm vụ" in _navbar(vietnamese) and "Task list" in _navbar(english)
    assert _search_form(vietnamese) != _search_form(english)
    client.get("/lang/vi")
    assert "Danh sách nhiệm vụ" in _navbar(_page(client))


def test_the_caches_are_bounded(app, monkeypatch):
    monkeypatch.setitem(page_cache.SIZES, "footer", 3)
    with app.test_request_context():
        for n in range(10):
            assert page_cache.remember("footer", ("key", n), lambda n=n: n) == n
        assert page_cache.size("footer") == 3
        assert page_cache.remember("footer", ("key", 9), lambda: "computed again") == 9  # the newest kept
        assert page_cache.remember("footer", ("key", 0), lambda: "computed again") == "computed again"


def test_a_request_that_writes_keeps_nothing(app):
    """What a writing request would keep could come from a transaction later rolled back."""
    from app import versions
    from app.extensions import db
    from app.models import Agency

    with app.test_request_context():
        assert versions.get("directory") is not None and not versions.wrote()
        assert page_cache.remember("footer", ("before",), lambda: "kept") == "kept"
        agency = db.session.scalars(sa.select(Agency).where(Agency.code == "STC")).one()
        agency.name = "Tên chưa lưu"
        db.session.flush()  # the database bumped the directory version in this transaction
        assert versions.wrote()
        assert page_cache.remember("footer", ("after",), lambda: "not kept") == "not kept"
        assert page_cache.size("footer") == 1
        db.session.rollback()
    with app.test_request_context():
        assert page_cache.remember("footer", ("after",), lambda: "computed") == "computed"


def test_the_footer_follows_the_upload_limit(app, client, auth, monkeypatch):
    """ui.js refuses an oversized file before sending with the limit the footer hands it:
    a limit changed at run time is the one the next page gives (it was cached by locale alone)."""
    auth.login("officer")
    assert f'data-max-attachment-bytes="{app.config["MAX_ATTACHMENT_BYTES"]}"' in _page(client)
    monkeypatch.setitem(app.config, "MAX_ATTACHMENT_BYTES", 1024 * 1024)
    assert 'data-max-attachment-bytes="1048576"' in _page(client)
