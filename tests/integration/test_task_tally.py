"""The dashboard's tallies (migration 0009) equal a fresh aggregate of the task
table at every moment, whoever writes: the ORM, a raw SQL insert, update of
status, deadline, completion, lead agency, coordinating agencies, a document's
date, a delete — for the Office and for two agencies, asked in both orders."""
import datetime as dt

import pytest
from sqlalchemy import select, text

from app.access import task_condition, task_condition_per_row
from app.extensions import db
from app.models import Task
from tests.conftest import agency_id, viewer

VIEWERS = ["officer", "stc_head", "snv_head"]


@pytest.fixture
def postgres(app):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("the tallies are kept by PostgreSQL triggers; SQLite counts the task table")


def _fresh(username):
    """The dashboard's numbers straight from the task table (the SQLite path), uncached."""
    from app.services import dashboard, task_tally

    dashboard._cache.clear()
    original = task_tally.available
    task_tally.available = lambda session, scope=("all",): False
    try:
        v = viewer(username)
        return dict(states=dashboard.counts(v), agencies=sorted(map(sorted_items, dashboard.agency_table(v))),
                    trend=dashboard.trend(v))
    finally:
        task_tally.available = original
        dashboard._cache.clear()


def _tallied(username):
    from app.services import dashboard

    v = viewer(username)
    return dict(states=dashboard.counts(v), agencies=sorted(map(sorted_items, dashboard.agency_table(v))),
                trend=dashboard.trend(v))


def sorted_items(row):
    return tuple(sorted(row.items()))


def _check(app, order=VIEWERS):
    with app.test_request_context():
        for username in order:
            assert _tallied(username) == _fresh(username), username
        for username in reversed(order):
            assert _tallied(username) == _fresh(username), username
        # The tallies rebuilt from scratch are the ones the triggers kept.
        kept = {table: _rows(table) for table in ("task_tally", "task_open_deadline", "task_month_tally")}
        from app.services.task_tally import rebuild

        rebuild(db.session.connection())
        assert {table: _rows(table) for table in kept} == kept
        db.session.rollback()


def _rows(table):
    return sorted(tuple(r) for r in db.session.execute(text(f"SELECT * FROM {table} WHERE n <> 0")).all())


def _states(app, username):
    with app.test_request_context():
        return _tallied(username)["states"]


def test_tallies_follow_every_kind_of_write(app, postgres, make_document):
    today = dt.date.today()
    _doc, ids = make_document([
        {"lead": "STC", "deadline": today + dt.timedelta(days=1), "coordinating": ["SNV"]},
        {"lead": "SNV", "deadline": today - dt.timedelta(days=3), "coordinating": ["STC", "SYT"]},
        {"lead": "SYT", "deadline": today + dt.timedelta(days=60)},
    ], issued_on=today - dt.timedelta(days=40))
    make_document([{"lead": "STC", "deadline": today + dt.timedelta(days=10)}], send=False)
    _check(app)
    stc_before = _states(app, "stc_head")
    assert stc_before["overdue"] == 1 and stc_before["due_soon"] == 1  # SNV's overdue task, coordinated

    with app.app_context():  # ORM: status, completion, deadline, coordinating agencies, lead
        first, second, third = (db.session.get(Task, i) for i in ids)
        first.status, first.completed_on = "completed", today
        second.deadline = today + dt.timedelta(days=200)
        from app.models import Agency

        third.coordinating_agencies.append(db.session.get(Agency, agency_id("STC")))
        db.session.commit()
    _check(app, ["stc_head", "officer", "snv_head"])
    assert _states(app, "stc_head")["completed_on_time"] == 1

    with app.app_context():  # the lead becomes one of its coordinating agencies: counted once
        second = db.session.get(Task, ids[1])
        second.lead_agency_id = agency_id("STC")
        db.session.commit()
    _check(app)

    with app.app_context():  # raw SQL, as a job or psql would
        db.session.execute(text("UPDATE task SET status = 'in_progress', deadline = :d WHERE id = :id"),
                           {"d": today - dt.timedelta(days=1), "id": ids[2]})
        db.session.execute(text("UPDATE task SET completed_on = :d WHERE id = :id"),
                           {"d": today + dt.timedelta(days=5), "id": ids[0]})  # now late
        db.session.execute(text("INSERT INTO task_coordinating_agency (task_id, agency_id) VALUES (:t, :a)"),
                           {"t": ids[0], "a": agency_id("SYT")})
        db.session.execute(text("DELETE FROM task_coordinating_agency WHERE task_id = :t AND agency_id = :a"),
                           {"t": ids[1], "a": agency_id("SNV")})
        document_id = db.session.scalar(select(Task.document_id).where(Task.id == ids[0]))
        db.session.execute(text("UPDATE document SET issued_on = :d WHERE id = :id"),
                           {"d": today - dt.timedelta(days=400), "id": document_id})
        db.session.execute(text(
            "INSERT INTO task (document_id, content, lead_agency_id, deadline, status, created_on, version)"
            " VALUES (:doc, 'Thêm bằng SQL', :a, :d, 'assigned', CURRENT_TIMESTAMP, 1)"),
            {"doc": document_id, "a": agency_id("SNV"), "d": today})
        db.session.commit()
    _check(app, ["snv_head", "stc_head", "officer"])

    with app.app_context():  # deletes: the ORM (links first) and raw SQL (the cascade)
        new_id = db.session.scalar(select(Task.id).where(Task.content == "Thêm bằng SQL"))
        db.session.execute(text("DELETE FROM task WHERE id = :id"), {"id": new_id})
        db.session.commit()
    _check(app)


def test_the_office_and_an_agency_see_different_numbers(app, postgres, make_document):
    today = dt.date.today()
    make_document([{"lead": "STC", "deadline": today - dt.timedelta(days=2)},
                   {"lead": "SNV", "deadline": today - dt.timedelta(days=2)},
                   {"lead": "SNV", "deadline": today - dt.timedelta(days=2), "coordinating": ["STC"]}],
                  issued_on=today - dt.timedelta(days=10))
    assert _states(app, "snv_head")["overdue"] == 2
    assert _states(app, "stc_head")["overdue"] == 2
    assert _states(app, "officer")["overdue"] == 3
    assert _states(app, "nhatrang_chair")["overdue"] == 0
    assert _states(app, "stc_head")["overdue"] == 2  # asked again after others: nothing leaked
    _check(app)


def test_the_dashboard_page_shows_the_tallied_numbers_after_a_raw_write(app, client, auth, postgres,
                                                                        make_document):
    today = dt.date.today()
    _doc, ids = make_document([{"lead": "STC", "deadline": today + dt.timedelta(days=90)}])
    auth.login("stc_head")
    assert client.get("/").status_code == 200
    before = _states(app, "stc_head")
    with app.app_context():
        db.session.execute(text("UPDATE task SET deadline = :d WHERE id = :id"),
                           {"d": today - dt.timedelta(days=1), "id": ids[0]})
        db.session.commit()
    after = _states(app, "stc_head")
    assert after["overdue"] == before["overdue"] + 1 and after["in_time"] == before["in_time"] - 1


def test_the_per_row_form_of_the_rule_admits_the_same_tasks(app, make_document):
    make_document([{"lead": "STC", "coordinating": ["SNV"]}, {"lead": "SNV"}, {"lead": "SYT", "coordinating": ["STC"]},
                   {"lead": "22366"}])
    with app.app_context():
        for username in ["stc_head", "snv_head", "nhatrang_chair", "officer", "wg_member"]:
            v = viewer(username)
            ids = lambda condition: sorted(db.session.scalars(  # noqa: E731
                select(Task.id) if condition is None else select(Task.id).where(condition)))
            assert ids(task_condition_per_row(v)) == ids(task_condition(v)), username


def test_a_working_group_members_several_agencies_are_counted_from_the_tasks(app, postgres, make_document):
    """A member of a running inspection sees its agency's tasks and the inspected ones
    (app.access.Viewer.inspected_agency_ids). A task of both agencies would count twice in
    a sum of their tallies: the numbers are the tasks', and never those of its agency
    alone nor of the agency alone (asked in both orders)."""
    from dataclasses import replace

    from app.services import dashboard

    today = dt.date.today()
    late = today - dt.timedelta(days=2)
    make_document([{"lead": "STC", "deadline": late, "coordinating": ["TTT"]},  # both
                   {"lead": "TTT", "deadline": late},                           # the member's agency
                   {"lead": "SNV", "deadline": late, "coordinating": ["STC"]},  # the inspected agency
                   {"lead": "SYT", "deadline": late}],                          # neither
                  issued_on=today - dt.timedelta(days=10))
    with app.test_request_context():
        alone = viewer("wg_member")
        member = replace(alone, inspected_agency_ids=frozenset({agency_id("STC")}))
        for order in ([alone, member], [member, alone]):
            dashboard._cache.clear()
            got = {v.inspected_agency_ids: dashboard.counts(v)["overdue"] for v in order}
            assert got == {frozenset(): 2, frozenset({agency_id("STC")}): 3}
        assert _states(app, "stc_head")["overdue"] == 2


def test_the_cached_dashboard_follows_a_documents_date_and_an_agencys_name_written_by_sql(app, postgres,
                                                                                        make_document):
    """The dashboard is cached under the data version (issue 10): a document's date (the
    trend's new tasks) and an agency's name (the Office's table) written through psql bump
    it (migration 0031), so the cached board is never the old one."""
    from app.services import dashboard

    today = dt.date.today()
    _doc, ids = make_document([{"lead": "STC"}, {"lead": "SNV", "coordinating": ["STC"]}],
                              issued_on=today - dt.timedelta(days=1))
    with app.test_request_context():
        office, stc = viewer("officer"), viewer("stc_head")
        before = [sum(r["new"] for r in dashboard.board(v)["trend"]) for v in (office, stc)]
        assert before == [2, 2]
        document_id = db.session.scalar(select(Task.document_id).where(Task.id == ids[0]))
        db.session.execute(text("UPDATE document SET issued_on = :d WHERE id = :id"),
                           {"d": today - dt.timedelta(days=800), "id": document_id})  # out of the 12 months
        db.session.execute(text("UPDATE agency SET name = 'Sở Tài chính (tên mới)' WHERE id = :id"),
                           {"id": agency_id("STC")})
        db.session.commit()
        assert [sum(r["new"] for r in dashboard.board(v)["trend"]) for v in (stc, office)] == [0, 0]
        names = {r["agency_id"]: r["agency"] for r in dashboard.board(office)["agencies"]}
        assert names[agency_id("STC")] == "Sở Tài chính (tên mới)"
    _check(app)


def test_a_working_group_members_dashboard_equals_a_fresh_count_after_every_write(app, postgres,
                                                                                  make_document):
    """The member's several agencies, the Office and two agencies asked in both orders, with
    the cache kept between them: after an ORM write and a raw SQL write, each sees a fresh
    aggregate of its own tasks (the member's is counted from the tasks)."""
    from dataclasses import replace

    from app.services import dashboard, task_tally

    today = dt.date.today()
    late, soon = today - dt.timedelta(days=2), today + dt.timedelta(days=1)
    _doc, ids = make_document([{"lead": "STC", "deadline": late, "coordinating": ["TTT"]},
                               {"lead": "TTT", "deadline": soon},
                               {"lead": "SNV", "deadline": late, "coordinating": ["STC"]},
                               {"lead": "SYT", "deadline": late}], issued_on=today - dt.timedelta(days=10))

    def fresh(v):
        dashboard._cache.clear()
        original = task_tally.available
        task_tally.available = lambda session, scope=("all",): False
        try:
            return dashboard.counts(v), dashboard.trend(v)
        finally:
            task_tally.available = original
            dashboard._cache.clear()

    def check():
        with app.test_request_context():
            member = replace(viewer("wg_member"), inspected_agency_ids=frozenset({agency_id("STC")}))
            viewers = [member, viewer("officer"), viewer("stc_head"), viewer("snv_head")]
            for order in (viewers, viewers[::-1]):
                shown = [(dashboard.board(v)["states"], dashboard.board(v)["trend"]) for v in order]
                assert shown == [fresh(v) for v in order]
            return dashboard.board(member)["states"]

    assert check()["overdue"] == 2 and check()["due_soon"] == 1
    with app.app_context():  # ORM: the member's agency's task becomes overdue
        db.session.get(Task, ids[1]).deadline = late
        db.session.commit()
    assert check()["overdue"] == 3
    with app.app_context():  # raw SQL: the inspected agency completes its task
        db.session.execute(text("UPDATE task SET status = 'completed', completed_on = :d WHERE id = :id"),
                           {"d": today, "id": ids[0]})
        db.session.commit()
    states = check()
    assert states["overdue"] == 2 and states["completed_late"] == 1


def test_the_office_dashboard_after_a_write_asks_the_task_tables_at_most_three_times(app, client, auth, postgres,
                                                                           make_document):
    """Issue 10: the board is one statement, the inbox's sections one, their tasks one —
    not a statement per section, state or agency."""
    from sqlalchemy import event

    make_document([{"lead": "STC"}, {"lead": "SNV", "coordinating": ["STC"]}])
    auth.login("officer")
    assert client.get("/").status_code == 200
    with app.app_context():
        db.session.execute(text("UPDATE task SET deadline = deadline + 1"))
        db.session.commit()
        engine = db.engine
    seen = []
    listener = lambda conn, cursor, statement, *args: seen.append(statement)  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        page = client.get("/")
        again = len(seen)
        client.get("/")
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert page.status_code == 200 and "agency-table" in page.get_data(as_text=True)
    about_tasks = [s for s in seen[:again] if "task" in s.replace("data_version", "")
                   and "ab_" not in s and "notification" not in s and "incoming" not in s]
    assert len(about_tasks) <= 3, about_tasks  # the third loads the tasks shown, when there are any
    assert len(seen) - again <= again - 2  # cached: neither the board nor the sections again
