"""The task list at scale (issue 10): the pager's total comes from the tallies
when the list is unfiltered or filtered on one status, and is exact right after
a raw write; the tracking-officer search offers the Office's officers, not
every user of the province."""
import re

import pytest
from sqlalchemy import text

from app.extensions import db
from tests.conftest import agency_id


def _total(client, query=""):
    html = client.get(f"/tasks/list/?{query}").get_data(as_text=True)
    found = re.search(r"(?:Record Count|Số bản ghi):</strong>\s*(\d+)", html)
    return int(found.group(1)) if found else None


def test_the_pager_total_is_exact_after_raw_writes(app, client, auth, make_document):
    _doc, ids = make_document([{"lead": "STC"}, {"lead": "SNV", "coordinating": ["STC"]}, {"lead": "SNV"}])
    auth.login("stc_head")
    assert _total(client) == 2
    assert _total(client, "_flt_3_status=assigned") == 2
    auth.login("snv_head")
    assert _total(client) == 2
    with app.app_context():
        db.session.execute(text("UPDATE task SET status = 'in_progress' WHERE id = :id"), {"id": ids[1]})
        db.session.execute(text("INSERT INTO task_coordinating_agency (task_id, agency_id) VALUES (:t, :a)"),
                           {"t": ids[2], "a": agency_id("STC")})
        db.session.commit()
    auth.login("stc_head")
    assert _total(client) == 3
    assert _total(client, "_flt_3_status=assigned") == 2
    assert _total(client, "_flt_3_status=in_progress") == 1
    auth.login("officer")
    assert _total(client) == 3 and _total(client, "_flt_3_status=in_progress") == 1
    auth.login("snv_head")
    assert _total(client) == 2 and _total(client, "_flt_3_status=in_progress") == 1
    with app.app_context():
        db.session.execute(text("DELETE FROM notification WHERE task_id = :id"), {"id": ids[2]})
        db.session.execute(text("DELETE FROM task_coordinating_agency WHERE task_id = :id"), {"id": ids[2]})
        db.session.execute(text("DELETE FROM task WHERE id = :id"), {"id": ids[2]})
        db.session.commit()
    assert _total(client) == 1
    auth.login("stc_head")
    assert _total(client) == 2


def test_the_officer_search_lists_office_officers_only(app, client, auth, make_document):
    from app.services.seeding import create_user

    make_document([{"lead": "STC"}])
    with app.app_context():
        for n in range(30):
            create_user(username=f"many_staff_{n}", password="Test@2026pw", role_name="AgencyStaff",
                        agency_code="STC", full_name=f"Staff Zzmany{n:02d}")  # ASCII: the form is JSON-escaped
    auth.login("officer")
    html = client.get("/tasks/list/").get_data(as_text=True)
    assert "Test officer" in html and "Test leader" in html  # the Office's officials are offered
    assert "Zzmany" not in html  # agency staff are not
    with app.app_context():
        db.session.execute(text("DELETE FROM ab_user_role WHERE user_id IN"
                                " (SELECT id FROM ab_user WHERE username LIKE 'many_staff_%')"))
        db.session.execute(text("DELETE FROM ab_user WHERE username LIKE 'many_staff_%'"))
        db.session.commit()


# Issue 10: every filtered pager total equals a fresh COUNT, for viewers of different scope
# asking in either order, after ORM writes and raw SQL writes (the per-agency data versions
# of migration 0032 and the tallies must both follow every path of writing).
SEARCHES = {
    "text": ("_flt_2_content=alpha", "t.content LIKE '%%alpha%%'"),
    "lead": ("_flt_0_lead_agency={SNV}", "t.lead_agency_id = {SNV}"),
    "status and lead": ("_flt_3_status=assigned&_flt_0_lead_agency={SNV}",
                        "t.status = 'assigned' AND t.lead_agency_id = {SNV}"),
    "status": ("_flt_3_status=in_progress", "t.status = 'in_progress'"),
    "deadline range": ("_flt_1_deadline={after}&_flt_2_deadline={before}",
                       "t.deadline > '{after}' AND t.deadline < '{before}'"),
    "text and lead": ("_flt_2_content=alpha&_flt_0_lead_agency={STC}",
                      "t.content LIKE '%%alpha%%' AND t.lead_agency_id = {STC}"),
}
SCOPES = {"officer": "TRUE",
          "stc_head": "(t.lead_agency_id = {STC} OR t.id IN"
                      " (SELECT task_id FROM task_coordinating_agency WHERE agency_id = {STC}))",
          "snv_head": "(t.lead_agency_id = {SNV} OR t.id IN"
                      " (SELECT task_id FROM task_coordinating_agency WHERE agency_id = {SNV}))"}


def _fresh(app, username, where, names):
    with app.app_context():
        sql = f"SELECT COUNT(*) FROM task t WHERE {SCOPES[username]} AND {where}".format(**names)
        return db.session.scalar(text(sql.replace("%%", "%")))


@pytest.mark.parametrize("first, second", [("officer", "stc_head"), ("stc_head", "officer"),
                                           ("stc_head", "snv_head"), ("snv_head", "stc_head")])
def test_every_filtered_total_is_a_fresh_count_after_orm_and_raw_writes(app, client, auth, make_document,
                                                                         first, second):
    import datetime as dt

    from app.models import Task

    today = dt.date.today()
    _doc, ids = make_document([
        {"lead": "STC", "content": "alpha một", "deadline": today + dt.timedelta(days=10)},
        {"lead": "SNV", "coordinating": ["STC"], "content": "alpha hai", "deadline": today + dt.timedelta(days=20)},
        {"lead": "SNV", "content": "beta ba", "deadline": today + dt.timedelta(days=40)},
        {"lead": "SYT", "content": "alpha bốn", "deadline": today + dt.timedelta(days=15)},
    ])
    with app.app_context():
        stc, snv = agency_id("STC"), agency_id("SNV")
    names = {"STC": stc, "SNV": snv,
             "after": (today + dt.timedelta(days=5)).isoformat(), "before": (today + dt.timedelta(days=25)).isoformat()}

    def check(step):
        for username in (first, second, first):
            auth.login(username)
            for search, (query, where) in SEARCHES.items():
                shown = _total(client, query.format(**names))
                assert shown == _fresh(app, username, where, names), (step, username, search)

    check("before any write")
    with app.app_context():  # ORM writes: new content, a new lead, a coordinating agency added
        task = db.session.get(Task, ids[2])
        task.content = "alpha đổi"
        task.status = "in_progress"
        moved = db.session.get(Task, ids[3])
        moved.lead_agency_id = agency_id("SNV")
        from app.models import Agency
        linked = db.session.get(Task, ids[0])
        linked.coordinating_agencies.append(db.session.get(Agency, agency_id("SNV")))
        db.session.commit()
    check("after ORM writes")
    with app.app_context():  # raw SQL, as psql or a job's set-based UPDATE would
        db.session.execute(text("UPDATE task SET content = 'gamma', deadline = :d WHERE id = :id"),
                           {"id": ids[1], "d": today + dt.timedelta(days=8)})
        db.session.execute(text("UPDATE task SET lead_agency_id = :a WHERE id = :id"),
                           {"a": agency_id("STC"), "id": ids[2]})
        db.session.execute(text("INSERT INTO task_coordinating_agency (task_id, agency_id) VALUES (:t, :a)"),
                           {"t": ids[3], "a": agency_id("STC")})
        db.session.execute(text("DELETE FROM task_coordinating_agency WHERE task_id = :t AND agency_id = :a"),
                           {"t": ids[0], "a": agency_id("SNV")})
        db.session.commit()
    check("after raw writes")
    with app.app_context():  # a task gone
        db.session.execute(text("DELETE FROM notification WHERE task_id = :id"), {"id": ids[3]})
        db.session.execute(text("DELETE FROM task WHERE id = :id"), {"id": ids[3]})
        db.session.commit()
    check("after a delete")


def test_a_write_to_one_agency_keeps_another_agencys_filtered_count(app, client, auth, make_document):
    """Migration 0032: a write bumps the versions of the agencies that see the task, no other."""
    from app.access import Viewer
    from app.services.task_list import data_versions

    _doc, ids = make_document([{"lead": "STC"}, {"lead": "SNV", "coordinating": ["SYT"]}])
    with app.app_context():
        stc = Viewer(1, frozenset({"AgencyHead"}), agency_id("STC"))
        syt = Viewer(2, frozenset({"AgencyHead"}), agency_id("SYT"))
        office = Viewer(3, frozenset({"OfficeOfficial"}), None)
        if db.engine.dialect.name != "postgresql":
            pytest.skip("per-agency versions: PostgreSQL triggers")
        before = {v: data_versions(db.session, v) for v in (stc, syt, office)}
        db.session.execute(text("UPDATE task SET content = 'x' WHERE id = :id"), {"id": ids[1]})
        db.session.commit()
        after = {v: data_versions(db.session, v) for v in (stc, syt, office)}
    assert after[stc] == before[stc]  # STC sees neither side of that task
    assert after[syt] != before[syt]  # SYT coordinates it
    assert after[office] != before[office]


def test_status_and_lead_searches_are_answered_by_the_tallies():
    """The list's search keys (FAB keeps a value as a list) and the API's: which the tallies
    answer, and which must be counted."""
    from app.services.task_list import count_terms

    lead = ("FilterRelationOneToManyEqual", "lead_agency", "['12']")
    status = ("FilterEqual", "status", "['assigned']")
    assert count_terms(()) == (None, None)
    assert count_terms((lead,)) == (None, 12)
    assert count_terms((status, lead)) == (frozenset({"assigned"}), 12)
    assert count_terms((("FilterEqual", "status", "'completed'"), status)) == (frozenset(), None)
    assert count_terms(("api", "assigned", 12)) == (frozenset({"assigned"}), 12)
    assert count_terms(("api", None, None)) == (None, None)
    for other in (("FilterContains", "content", "['a']"), ("FilterRelationOneToManyEqual", "lead_agency", "['1_2']"),
                  ("FilterRelationOneToManyEqual", "lead_agency", "['x']"), ("FilterEqual", "status", "['nope']"),
                  ("FilterRelationOneToManyNotEqual", "lead_agency", "['12']")):
        assert count_terms((other,)) is None, other
        assert count_terms((other, lead)) is None, other
