"""The agency's task list picks its page through the two branches of the
row-level rule; it must show exactly what the rule admits, in order, on every
page, sorted either way, with search filters."""
import datetime as dt
import random
import re

import pytest
from sqlalchemy import delete, select, text, update

from app.access import task_condition
from app.extensions import db
from app.models import Task, task_coordinating_agency
from tests.conftest import viewer

AGENCIES = ["STC", "SNV", "22366", "SYT"]


@pytest.fixture
def many_tasks(make_document):
    rng = random.Random(7)
    base = dt.date.today()  # deadlines on or after the issue date (make_document issues yesterday)
    for n in range(12):
        tasks = []
        for _ in range(rng.randint(1, 4)):
            lead = rng.choice(AGENCIES)
            others = [a for a in AGENCIES if a != lead]
            tasks.append({"lead": lead, "content": f"Việc {rng.random():.6f}",
                          "deadline": base + dt.timedelta(days=rng.randint(0, 6)),  # many ties
                          "coordinating": rng.sample(others, rng.randint(0, 2))})
        make_document(tasks, send=n % 3 != 0)


def _reference(username, status=None, descending=False):
    stmt = select(Task.id, Task.deadline).where(task_condition(viewer(username)))
    if status:
        stmt = stmt.where(Task.status == status)
    rows = db.session.execute(stmt).all()
    return [r.id for r in sorted(rows, key=lambda r: (r.deadline, r.id), reverse=descending)]


def _page_ids(client, query):
    html = client.get(f"/tasks/list/?{query}").get_data(as_text=True)
    ids = list(dict.fromkeys(int(i) for i in re.findall(r"/tasks/show/(\d+)", html)))
    total = re.search(r"(?:Record Count|Số bản ghi):</strong>\s*(\d+)", html)
    return ids, int(total.group(1)) if total else None


@pytest.mark.parametrize("username", ["stc_head", "snv_head", "nhatrang_chair"])
@pytest.mark.parametrize("descending", [False, True])
def test_every_page_shows_exactly_the_rule_in_order(app, client, auth, many_tasks, username, descending):
    auth.login(username)
    with app.app_context():
        expected = _reference(username, descending=descending)
    assert expected, "the scenario gives every agency some tasks"
    seen, page = [], 0
    order = "&_oc_TaskView=deadline&_od_TaskView=" + ("desc" if descending else "asc")
    while True:
        ids, total = _page_ids(client, f"psize_TaskView=5&page_TaskView={page}{order}")
        assert total == len(expected)
        if not ids:
            break
        seen += ids
        page += 1
    assert seen == expected


def test_a_search_filter_narrows_within_the_rule(app, client, auth, many_tasks):
    auth.login("stc_head")
    with app.app_context():
        expected = _reference("stc_head", status="draft")
    ids, total = _page_ids(client, "psize_TaskView=100&_flt_3_status=draft")
    assert ids == expected and total == len(expected)


def test_the_excel_export_holds_the_filtered_list(app, client, auth, many_tasks):
    import io

    from openpyxl import load_workbook

    auth.login("stc_head")
    with app.app_context():
        expected = _reference("stc_head", status="draft")
        contents = dict(db.session.execute(select(Task.id, Task.content)).all())
    answer = client.get("/tasks/export/?_flt_3_status=draft")
    rows = list(load_workbook(io.BytesIO(answer.data)).active.iter_rows(values_only=True))
    assert rows[0][0] == "STT"
    assert [r[3] for r in rows[1:]] == [contents[i] for i in expected]


def test_the_cached_count_follows_writes_made_outside_the_app(app, client, auth, make_document):
    """The pager's count is cached, but any write to the task tables (here a raw
    SQL update, as a job or psql would do) shows at once."""
    make_document([{"lead": "STC"}, {"lead": "STC"}, {"lead": "SNV"}])
    auth.login("stc_head")
    assert _page_ids(client, "")[1] == 2
    assert _page_ids(client, "")[1] == 2  # served from the cache
    with app.app_context():
        snv = db.session.scalar(select(Task.id).where(Task.content.is_not(None)).order_by(Task.id.desc()))
        db.session.execute(update(Task).where(Task.id == snv).values(
            lead_agency_id=db.session.scalar(select(Task.lead_agency_id).order_by(Task.id))))
        db.session.commit()
    assert _page_ids(client, "")[1] == 3
    auth.login("officer")
    assert _page_ids(client, "")[1] == 3
    with app.app_context():
        db.session.execute(delete(task_coordinating_agency))
        db.session.execute(text("DELETE FROM notification WHERE task_id = :id"), {"id": snv})
        db.session.execute(delete(Task).where(Task.id == snv))
        db.session.commit()
    assert _page_ids(client, "")[1] == 2
