"""Issue 10: the task list's Excel export is read in chunks on one snapshot and written
from a temporary file. What the official gets is still exactly the list: the same rows,
columns, labels and order, for each viewer whoever asks first, however many chunks; a task
written while the file is made is neither doubled nor dropped; the limit is said in the
file; and the statements do not grow with the rows."""
import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import event, select, text

from app import labels
from app.extensions import db
from app.models import Task
from app.services.deadlines import deadline_text
from app.access import task_condition
from tests.conftest import viewer
from tests.integration.test_task_list import many_tasks  # noqa: F401 (fixture)


def _reference(username, descending=False):
    """The list's ids in its order (deadline, then id), from the rule itself."""
    stmt = select(Task.id, Task.deadline)
    condition = task_condition(viewer(username))
    if condition is not None:  # the Office sees every task
        stmt = stmt.where(condition)
    rows = db.session.execute(stmt).all()
    return [r.id for r in sorted(rows, key=lambda r: (r.deadline, r.id), reverse=descending)]


def _export(client, query=""):
    answer = client.get(f"/tasks/export/?{query}")
    assert answer.status_code == 200
    assert answer.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return list(load_workbook(io.BytesIO(answer.data)).active.iter_rows(values_only=True))


def _expected_rows(app, ids):
    """The rows as the export wrote them before it streamed: from the ORM objects."""
    with app.test_request_context():
        tasks = {t.id: t for t in db.session.scalars(select(Task).where(Task.id.in_(ids)))}
        return [(n, t.document.number, t.document.issued_on.strftime("%d/%m/%Y"), t.content,
                 t.lead_agency.name, "; ".join(a.name for a in t.coordinating_agencies) or None,
                 t.deadline.strftime("%d/%m/%Y"), str(labels.TASK_STATUS.get(t.status, t.status)),
                 deadline_text(t) or None)
                for n, t in enumerate((tasks[i] for i in ids), start=1)]


@pytest.mark.parametrize("first, second", [("officer", "stc_head"), ("stc_head", "officer")])
@pytest.mark.parametrize("descending", [False, True])
def test_the_export_is_the_list_for_each_viewer_in_either_order_over_many_chunks(
        app, client, auth, many_tasks, monkeypatch, first, second, descending):  # noqa: F811
    monkeypatch.setitem(app.config, "EXPORT_CHUNK_ROWS", 2)
    query = "_oc_TaskView=deadline&_od_TaskView=desc" if descending else ""
    for username in (first, second, first):
        auth.login(username)
        with app.app_context():
            ids = _reference(username, descending=descending)
        assert len(ids) > 4, "more than two chunks"
        rows = _export(client, query)
        assert rows[0][0] == "STT"
        assert rows[1:] == _expected_rows(app, ids), username


def _insert_copy(connection, task_id, content, deadline):
    """A new task written by someone else (raw SQL on another connection): a copy of one."""
    columns = [c.name for c in Task.__table__.columns if c.name not in ("id", "content", "deadline")]
    names = ", ".join(columns)
    connection.execute(text(f"INSERT INTO task ({names}, content, deadline) "
                            f"SELECT {names}, :content, :deadline FROM task WHERE id = :id"),
                       {"content": content, "deadline": deadline, "id": task_id})


def test_a_task_written_during_the_export_is_neither_doubled_nor_dropped(app, client, auth, make_document,
                                                                        monkeypatch):
    """After the first chunk, another official moves the last task to the top of the list
    (an earlier deadline), renames one and enters a new first task. The file is the list of
    the moment the export began: every task once, in that order (on PostgreSQL with the
    contents of that moment too: one REPEATABLE READ snapshot)."""
    from app.services import exports

    base = dt.date.today() + dt.timedelta(days=40)
    make_document([{"lead": "STC", "content": f"Việc {n}", "deadline": base + dt.timedelta(days=n)}
                   for n in range(7)])
    monkeypatch.setitem(app.config, "EXPORT_CHUNK_ROWS", 2)
    auth.login("stc_head")
    with app.app_context():
        before = _reference("stc_head")
        expected = _expected_rows(app, before)
    reader = exports.task_rows

    def writing_meanwhile(session, ids, chunk):
        for n, row in enumerate(reader(session, ids, chunk)):
            if n == 1:  # the first chunk is read, the rest not yet
                with db.engine.begin() as other:
                    other.execute(text("UPDATE task SET deadline = :d WHERE id = :id"),
                                  {"d": base - dt.timedelta(days=30), "id": before[-1]})
                    other.execute(text("UPDATE task SET content = 'Đã sửa' WHERE id = :id"), {"id": before[4]})
                    _insert_copy(other, before[0], "Việc mới", base - dt.timedelta(days=60))
            yield row

    monkeypatch.setattr(exports, "task_rows", writing_meanwhile)
    rows = _export(client)[1:]
    contents = [r[3] for r in rows]
    assert "Việc mới" not in contents
    assert len(rows) == len(before) == 7
    with app.app_context():
        dialect = db.engine.dialect.name
    if dialect == "postgresql":
        assert rows == expected
    else:  # SQLite (no snapshot): the same tasks once each, in the same order; a task changed
        # meanwhile may show its new content or deadline
        names = [r[3] for r in expected]
        names[4] = "Đã sửa"
        assert contents in ([r[3] for r in expected], names)
    monkeypatch.setattr(exports, "task_rows", reader)
    after = _export(client)[1:]  # the next export sees the writes
    assert [r[3] for r in after][:2] == ["Việc mới", "Việc 6"] and "Đã sửa" in [r[3] for r in after]


def test_the_limit_is_said_in_the_file(app, client, auth, make_document, monkeypatch):
    make_document([{"lead": "STC", "content": f"Việc {n}"} for n in range(5)])
    monkeypatch.setitem(app.config, "EXPORT_MAX_ROWS", 3)
    monkeypatch.setitem(app.config, "EXPORT_CHUNK_ROWS", 2)
    auth.login("stc_head")
    rows = _export(client)
    assert [r[0] for r in rows[1:4]] == [1, 2, 3] and len(rows) == 5
    assert rows[4][0] == ("Danh sách có hơn 3 nhiệm vụ: tệp này chỉ gồm 3 nhiệm vụ đầu tiên. "
                          "Đề nghị lọc bớt để xuất phần còn lại.")
    monkeypatch.setitem(app.config, "EXPORT_MAX_ROWS", 5)  # exactly the list: no such line
    rows = _export(client)
    assert len(rows) == 6 and rows[-1][0] == 5


@pytest.mark.parametrize("username", ["officer", "stc_head"])
def test_the_statements_do_not_grow_with_the_rows(app, client, auth, make_document, monkeypatch, username):
    """Two statements per chunk (the tasks with their document and lead agency; their
    coordinating agencies), whatever the rows: never one per task."""
    monkeypatch.setitem(app.config, "EXPORT_CHUNK_ROWS", 4)
    auth.login(username)

    def statements():
        seen = []

        def count(conn, cursor, statement, *args):
            seen.append(statement)
        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", count)
        try:
            rows = _export(client)
        finally:
            event.remove(engine, "before_cursor_execute", count)
        return len(rows) - 1, sum(1 for s in seen if "task" in s.lower())

    make_document([{"lead": "STC", "coordinating": ["SNV", "SYT"]} for _ in range(4)])
    small, at_four = statements()
    make_document([{"lead": "STC", "coordinating": ["SNV"]} for _ in range(8)])
    large, at_twelve = statements()
    assert (small, large) == (4, 12)
    assert at_twelve - at_four == 2 * 2  # two more chunks, two statements each
