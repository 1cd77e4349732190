"""The coordinating rows' copy of their task's deadline (migration 0038) equals it after
every kind of write (the ORM, raw SQL on either table), and the agency list paged from
it shows exactly what the row-level rule admits: every page, both orders, every sort,
ties, a task both led and coordinated by the agency, a task coordinated by two of a
Working Group member's agencies; the migration goes down and up again."""
import datetime as dt
import os
import random

import pytest
from sqlalchemy import func, select, text

from app.access import Viewer, task_condition
from app.extensions import db
from app.models import Agency, Task, task_coordinating_agency
from tests.conftest import agency_id

TCA = task_coordinating_agency
HEAD = frozenset({"AgencyHead"})


def _links():
    """{(task_id, agency_id): (link deadline, task deadline)}."""
    rows = db.session.execute(select(TCA.c.task_id, TCA.c.agency_id, TCA.c.deadline, Task.deadline)
                              .join(Task, Task.id == TCA.c.task_id)).all()
    return {(r[0], r[1]): (r[2], r[3]) for r in rows}


def _assert_copied(expected_pairs=None):
    links = _links()
    assert links, "the scenario has coordinating rows"
    assert all(copy == deadline for copy, deadline in links.values()), links
    if expected_pairs is not None:
        assert set(links) == expected_pairs


def test_the_copy_follows_every_write(app, make_document):
    today = dt.date.today()
    _doc, ids = make_document([
        {"lead": "STC", "deadline": today + dt.timedelta(days=3), "coordinating": ["SNV", "SYT"]},
        {"lead": "SNV", "deadline": today + dt.timedelta(days=9), "coordinating": ["STC"]},
        {"lead": "SYT", "deadline": today + dt.timedelta(days=20)},
    ])
    with app.app_context():  # inserted through the ORM (register's relationship)
        stc, snv, syt = agency_id("STC"), agency_id("SNV"), agency_id("SYT")
        _assert_copied({(ids[0], snv), (ids[0], syt), (ids[1], stc)})
        assert _links()[(ids[0], snv)][0] == today + dt.timedelta(days=3)

        first, third = db.session.get(Task, ids[0]), db.session.get(Task, ids[2])
        first.deadline = today + dt.timedelta(days=40)  # an ORM deadline change
        third.coordinating_agencies.append(db.session.get(Agency, stc))  # an ORM insert of a link
        db.session.commit()
        _assert_copied()
        assert _links()[(ids[0], syt)][0] == today + dt.timedelta(days=40)
        assert _links()[(ids[2], stc)][0] == today + dt.timedelta(days=20)

        # Raw SQL, as a job or psql would write: a deadline, a link without its deadline.
        db.session.execute(text("UPDATE task SET deadline = :d WHERE id IN (:a, :b)"),
                           {"d": today + dt.timedelta(days=1), "a": ids[1], "b": ids[2]})
        db.session.execute(text("INSERT INTO task_coordinating_agency (task_id, agency_id) VALUES (:t, :a)"),
                           {"t": ids[1], "a": syt})
        db.session.commit()
        _assert_copied()
        assert _links()[(ids[1], syt)][0] == today + dt.timedelta(days=1)

        # A link written directly keeps its task's deadline: moved to another task, or given another date.
        db.session.execute(text("UPDATE task_coordinating_agency SET task_id = :to WHERE task_id = :t AND agency_id = :a"),
                           {"to": ids[2], "t": ids[0], "a": snv})
        db.session.execute(text("UPDATE task_coordinating_agency SET deadline = :d WHERE task_id = :t"),
                           {"d": today - dt.timedelta(days=365), "t": ids[1]})
        db.session.commit()
        _assert_copied()
        assert _links()[(ids[2], snv)][0] == today + dt.timedelta(days=1)


def test_only_a_change_of_the_links_task_or_agency_counts_as_a_write_of_the_link(app, make_document):
    """The copy rewritten alone moves no data version (the task's deadline change already did)."""
    _doc, ids = make_document([{"lead": "STC", "coordinating": ["SNV"]}])
    with app.app_context():
        version = lambda: db.session.scalar(text("SELECT version FROM data_version WHERE name = 'task'"))  # noqa: E731
        before = version()
        db.session.execute(text("UPDATE task_coordinating_agency SET deadline = deadline"))
        db.session.commit()
        assert version() == before
        db.session.execute(text("UPDATE task SET deadline = deadline + 2" if db.engine.dialect.name == "postgresql"
                                else "UPDATE task SET deadline = date(deadline, '+2 days')"))
        db.session.commit()
        assert version() > before
        _assert_copied()
        before = version()
        db.session.execute(text("UPDATE task_coordinating_agency SET agency_id = :a"), {"a": agency_id("SYT")})
        db.session.commit()
        assert version() > before


@pytest.fixture
def crowded(app, make_document):
    """Tasks of four agencies with many equal deadlines; some coordinated by both STC and
    SNV (a member who sees both must get them once), some led by an agency that also
    coordinates them."""
    rng = random.Random(38)
    base = dt.date.today()
    agencies = ["STC", "SNV", "22366", "SYT"]
    for n in range(10):
        tasks = []
        for _ in range(rng.randint(2, 4)):
            lead = rng.choice(agencies)
            others = [a for a in agencies if a != lead]
            tasks.append({"lead": lead, "deadline": base + dt.timedelta(days=rng.randint(0, 3)),
                          "coordinating": rng.sample(others, rng.randint(0, 3))})
        # The earliest deadlines coordinated by both STC and SNV: the top of the member's list.
        tasks.append({"lead": "SYT", "deadline": base, "coordinating": ["STC", "SNV"]})
        make_document(tasks, send=n % 4 != 0)
    with app.app_context():  # led and coordinated by the same agency (raw SQL)
        db.session.execute(text(
            "INSERT INTO task_coordinating_agency (task_id, agency_id)"
            " SELECT id, lead_agency_id FROM task WHERE id % 3 = 0"))
        db.session.commit()


def _viewers():
    stc, snv, ttt = agency_id("STC"), agency_id("SNV"), agency_id("TTT")
    return {
        "stc": Viewer(1, HEAD, stc),
        "snv": Viewer(2, HEAD, snv),
        "member": Viewer(3, frozenset({"WorkingGroupMember"}), ttt, frozenset({stc, snv})),
    }


def _reference(viewer, order_column, descending, status=None):
    stmt = select(Task.id, getattr(Task, order_column)).where(task_condition(viewer))
    if status:
        stmt = stmt.where(Task.status == status)
    return [r[0] for r in sorted(db.session.execute(stmt).all(), key=lambda r: (r[1], r[0]), reverse=descending)]


@pytest.mark.parametrize("order_column", ["deadline", "id", "status"])
@pytest.mark.parametrize("filtered", [False, True])
def test_every_page_equals_the_rule(app, crowded, order_column, filtered):
    from app.services.task_list import task_ids, task_page

    apply = (lambda q: q.filter(Task.status == "assigned")) if filtered else None
    with app.app_context():
        viewers = _viewers()
        doubled = db.session.scalar(select(func.count()).select_from(
            select(TCA.c.task_id).where(TCA.c.agency_id.in_(viewers["member"].agency_ids))
            .group_by(TCA.c.task_id).having(func.count() > 1).subquery()))
        assert doubled >= 10
        for names in (["stc", "snv", "member"], ["member", "snv", "stc"]):  # both orders
            for name in names:
                viewer = viewers[name]
                for descending in (False, True):
                    expected = _reference(viewer, order_column, descending, "assigned" if filtered else None)
                    assert expected
                    for size in (4, 7):
                        seen, page = [], 0
                        while True:
                            count, rows = task_page(db.session, viewer, apply=apply, order_column=order_column,
                                                    descending=descending, page=page, page_size=size)
                            assert count == len(expected), (name, descending, size)
                            if not rows:
                                break
                            assert len(rows) == min(size, len(expected) - page * size), (name, page)
                            seen += [t.id for t in rows]
                            page += 1
                        assert seen == expected, (name, descending, size)
                    # The export's ids: the same order, cut at its limit.
                    assert task_ids(db.session, viewer, apply=apply, order_column=order_column,
                                    descending=descending, limit=9) == expected[:9]


def test_the_list_follows_a_deadline_changed_by_sql(app, crowded):
    from app.services.task_list import task_page

    with app.app_context():
        viewer = _viewers()["member"]
        last = _reference(viewer, "deadline", False)[-1]
        db.session.execute(text("UPDATE task SET deadline = :d WHERE id = :id"),
                           {"d": dt.date.today() - dt.timedelta(days=30), "id": last})
        db.session.commit()
        assert [t.id for t in task_page(db.session, viewer, page_size=3)[1]][0] == last
        assert [t.id for t in task_page(db.session, viewer, page_size=3)[1]] == _reference(viewer, "deadline", False)[:3]


def _schema(connection):
    """What migration 0038 touches, as the database describes it: the triggers of task and
    task_coordinating_agency, the functions they run, the link's columns and indexes."""
    if connection.dialect.name == "postgresql":
        return sorted(tuple(r) for r in connection.execute(text(
            "SELECT 't', tgname, pg_get_triggerdef(oid) FROM pg_trigger"
            " WHERE tgrelid IN ('task'::regclass, 'task_coordinating_agency'::regclass) AND NOT tgisinternal"
            " UNION ALL SELECT 'f', p.proname, pg_get_functiondef(p.oid) FROM pg_proc p"
            " JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = current_schema()"
            " UNION ALL SELECT 'c', column_name, is_nullable FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND table_name = 'task_coordinating_agency'"
            " UNION ALL SELECT 'i', indexname, indexdef FROM pg_indexes"
            " WHERE schemaname = current_schema() AND tablename = 'task_coordinating_agency'")).all())
    return sorted(tuple(r) for r in connection.execute(text(
        "SELECT type, name, sql FROM sqlite_master WHERE tbl_name IN ('task', 'task_coordinating_agency')")).all())


def test_the_migration_goes_down_and_up_again(app, make_document):
    """Down to 0034 the database is as that revision made it (the same triggers, functions,
    columns); up again the copy is filled from the tasks and kept."""
    from flask_migrate import downgrade, upgrade

    directory = os.path.join(os.path.dirname(__file__), "..", "..", "migrations")
    _doc, ids = make_document([{"lead": "STC", "coordinating": ["SNV", "SYT"]},
                               {"lead": "SNV", "deadline": dt.date.today() + dt.timedelta(days=5),
                                "coordinating": ["STC"]}])
    with app.app_context():
        head = _schema(db.session.connection())
        db.session.rollback()
        try:
            downgrade(directory=directory, revision="0034")
            at_0034 = _schema(db.session.connection())
            assert "deadline" not in {row[1] for row in at_0034 if row[0] == "c"}
            # As 0002, 0009 and 0032 made them: the link's triggers fire on any update again.
            assert not [row for row in at_0034 if "UPDATE OF" in (row[2] or "") or "EXCEPT SELECT" in (row[2] or "")]
            db.session.execute(text("UPDATE task SET deadline = :d WHERE id = :id"),
                               {"d": dt.date.today() + dt.timedelta(days=77), "id": ids[0]})
            db.session.commit()
            upgrade(directory=directory)
            _assert_copied({(ids[0], agency_id("SNV")), (ids[0], agency_id("SYT")), (ids[1], agency_id("STC"))})
            assert _links()[(ids[0], agency_id("SYT"))][0] == dt.date.today() + dt.timedelta(days=77)
            assert _schema(db.session.connection()) == head
            db.session.rollback()
            downgrade(directory=directory, revision="0034")
            assert _schema(db.session.connection()) == at_0034  # down twice: the same 0034
            db.session.rollback()
        finally:
            db.session.rollback()
            upgrade(directory=directory)
        db.session.execute(text("UPDATE task SET deadline = :d WHERE id = :id"),
                           {"d": dt.date.today() + dt.timedelta(days=3), "id": ids[1]})
        db.session.commit()
        _assert_copied()


@pytest.mark.parametrize("first", ["link", "deadline"])
def test_a_link_inserted_while_its_deadline_changes_gets_the_new_one(app, make_document, first):
    """Two transactions at once (PostgreSQL): one inserts a coordinating row, the other moves the
    task's deadline; whichever starts first, the row ends with the deadline that was committed."""
    import threading

    _doc, ids = make_document([{"lead": "STC", "deadline": dt.date.today() + dt.timedelta(days=4)}])
    moved = dt.date.today() + dt.timedelta(days=50)
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("SQLite has one writer at a time")
        snv = agency_id("SNV")
        link_sql = text("INSERT INTO task_coordinating_agency (task_id, agency_id) VALUES (:t, :a)")
        move_sql = text("UPDATE task SET deadline = :d WHERE id = :t")
        one, two = db.engine.connect(), db.engine.connect()
        try:
            for connection in (one, two):
                connection.execute(text("SET lock_timeout = '20s'"))
                connection.commit()
            if first == "link":
                one.execute(link_sql, {"t": ids[0], "a": snv})
                second = threading.Thread(target=lambda: (two.execute(move_sql, {"d": moved, "t": ids[0]}),
                                                          two.commit()))
            else:
                one.execute(move_sql, {"d": moved, "t": ids[0]})
                second = threading.Thread(target=lambda: (two.execute(link_sql, {"t": ids[0], "a": snv}),
                                                          two.commit()))
            second.start()
            second.join(1.0)
            assert second.is_alive(), "the second writer waits for the first"
            one.commit()
            second.join(30)
            assert not second.is_alive()
        finally:
            one.close()
            two.close()
        assert _links() == {(ids[0], snv): (moved, moved)}
