"""SPEC §1, §4.8: a Working Group member sees the inspected agencies' tasks, read-only, from the
inspection's start date until its result report is submitted — before and after, only its own
agency's — on every surface (list, detail, timeline, API, export, attachment, periodic report),
and never acts on a task. All through the one row-level rule of app/access.py."""
from __future__ import annotations

import datetime as dt
import io

import pytest
from werkzeug.datastructures import FileStorage

from tests.conftest import PASSWORD
from tests.integration.inspection_helpers import vn_today, agency_id, create, headers, ids, issue, user  # noqa: F401

CONTENT = "Rà soát nguồn thu ngân sách quý IV của Sở Tài chính"


@pytest.fixture
def world(app, ids, make_document):
    """An STC task with a file, a TTT task (the member's own agency), an SNV task; a second TTT
    user outside the group; an Office inspection of STC issued to start tomorrow."""
    from app.access import viewer_for
    from app.extensions import db
    from app.models import AppUser, Attachment
    from app.services import lifecycle
    from app.services.seeding import create_user
    from tests.conftest import user as real_user

    _, (stc_task,) = make_document([{"lead": "STC", "content": CONTENT}])
    _, (ttt_task,) = make_document([{"lead": "TTT", "content": "Nhiệm vụ của Thanh tra tỉnh"}])
    _, (snv_task,) = make_document([{"lead": "SNV", "content": "Nhiệm vụ của Sở Nội vụ"}])
    with app.test_request_context():
        if db.session.query(AppUser).filter_by(username="ttt_head").first() is None:
            create_user(username="ttt_head", password=PASSWORD, role_name="AgencyHead", agency_code="TTT",
                        full_name="Test ttt_head")
        lifecycle.post_update(stc_task, viewer=viewer_for(real_user("stc_head")), body="Đã thu 80% kế hoạch",
                              files=[FileStorage(io.BytesIO(b"%PDF-1.4 bao cao"), filename="bao-cao.pdf",
                                                 content_type="application/pdf")])
        attachment = db.session.query(Attachment).filter_by(task_id=stc_task).one().id
    client = app.test_client()
    tomorrow = vn_today() + dt.timedelta(days=1)
    inspection_id = create(client, start_on=tomorrow.isoformat(), end_on=(tomorrow + dt.timedelta(days=7)).isoformat())
    issue(client, inspection_id)
    return {"stc": stc_task, "ttt": ttt_task, "snv": snv_task, "attachment": attachment, "inspection": inspection_id}


def _start(app, inspection_id):
    """The start date comes: the inspection runs."""
    from app.extensions import db

    with app.app_context():
        db.session.execute(db.text("UPDATE inspection SET start_on = :d WHERE id = :i"),
                           {"d": vn_today() - dt.timedelta(days=1), "i": inspection_id})
        db.session.commit()


def _report(client, inspection_id):
    answer = client.post(f"/api/v1/inspection/{inspection_id}/report", json={"body": "Kết quả kiểm tra"},
                         headers=headers(client, "snv_head"))
    assert answer.status_code == 200, answer.get_json()


def _surfaces(app, username, world) -> dict:
    """What `username` sees of the STC task on each surface."""
    from openpyxl import load_workbook

    from app.services.reports import current_period

    client = app.test_client()
    client.post("/login/", data={"username": username, "password": PASSWORD})
    token = headers(client, username)
    stc = world["stc"]
    api_list = client.get("/api/v1/task/?page_size=100", headers=token).get_json()
    export = client.get("/tasks/export/")
    rows = list(load_workbook(io.BytesIO(export.data)).active.iter_rows(values_only=True))
    with app.app_context():
        period = current_period()
    appendix = client.get(f"/api/v1/reports/appendix-1?kind=monthly&year={period.year}&number={period.number}"
                          f"&agency_id={agency_id('STC')}", headers=token)
    page = client.get("/tasks/list/?psize_TaskView=100")
    return {
        "api_list": stc in api_list["ids"],
        "api_count": api_list["count"],
        "api_detail": client.get(f"/api/v1/task/{stc}", headers=token).status_code,
        "api_history": client.get(f"/api/v1/task/{stc}/history", headers=token).status_code,
        "list": CONTENT in page.get_data(as_text=True),
        "detail": client.get(f"/tasks/show/{stc}").status_code,
        "export": any(CONTENT in " ".join(str(c) for c in row if c) for row in rows[1:]),
        "export_rows": len(rows) - 1,
        "attachment": client.get(f"/attachments/{world['attachment']}").status_code,
        "periodic_report": appendix.status_code,
        "own_task": client.get(f"/api/v1/task/{world['ttt']}", headers=token).status_code,
        "other_task": client.get(f"/api/v1/task/{world['snv']}", headers=token).status_code,
    }


HIDDEN = {"api_list": False, "api_detail": 404, "api_history": 404, "list": False, "detail": 404, "export": False,
          "attachment": 404, "periodic_report": 404, "own_task": 200, "other_task": 404}
SHOWN = {"api_list": True, "api_detail": 200, "api_history": 200, "list": True, "detail": 200, "export": True,
         "attachment": 200, "periodic_report": 200, "own_task": 200, "other_task": 404}


def _check(seen, expected):
    assert {k: seen[k] for k in expected} == expected


def test_before_during_and_after_on_every_surface(app, world):
    client = app.test_client()
    _check(_surfaces(app, "wg_member", world), HIDDEN)  # issued, not started
    _start(app, world["inspection"])
    during = _surfaces(app, "wg_member", world)
    _check(during, SHOWN)
    assert during["api_count"] == 2 and during["export_rows"] == 2  # its own TTT task and the STC one
    # The group's leader (head of SNV) sees them too; the other TTT user does not.
    _check(_surfaces(app, "snv_head", world), {**SHOWN, "own_task": 404, "other_task": 200})
    _check(_surfaces(app, "ttt_head", world), HIDDEN)
    _report(client, world["inspection"])
    _check(_surfaces(app, "wg_member", world), HIDDEN)  # the result report is submitted: the grant ends


def test_after_the_end_until_the_report_the_member_still_sees(app, world):
    from app.extensions import db

    with app.app_context():
        db.session.execute(db.text("UPDATE inspection SET start_on = :s, end_on = :e WHERE id = :i"),
                           {"s": vn_today() - dt.timedelta(days=9), "e": vn_today() - dt.timedelta(days=2),
                            "i": world["inspection"]})
        db.session.commit()
    client = app.test_client()
    detail = client.get(f"/api/v1/inspection/{world['inspection']}", headers=headers(client, "officer")).get_json()
    assert detail["result"]["status"] == "ended"
    _check(_surfaces(app, "wg_member", world), SHOWN)


def test_a_draft_or_an_agencys_own_inspection_grants_nothing(app, ids, make_document):
    from tests.integration.inspection_helpers import body

    _, (stc_task,) = make_document([{"lead": "STC", "content": CONTENT}])
    client = app.test_client()
    create(client)  # a draft whose start date has passed: not issued, nothing granted
    own = body(conducted_by="agency", agency_id=agency_id("STC"), leader_id=user("stc_head").id,
               member_ids=[user("wg_member").id])
    created = client.post("/api/v1/inspection/", json=own, headers=headers(client, "stc_head")).get_json()
    client.post(f"/api/v1/inspection/{created['id']}/issue", json={"number": "9/QĐ-STC"},
                headers=headers(client, "stc_head"))
    assert client.get(f"/api/v1/task/{stc_task}", headers=headers(client, "wg_member")).status_code == 404


@pytest.mark.parametrize("member_first", [True, False])
def test_counts_of_the_member_and_its_colleague_never_mix(app, world, member_first):
    """The same agency (TTT), two scopes: cached counts are keyed by scope_key, which names the grant."""
    from app.access import scope_key, viewer_for
    from app.services import dashboard
    from tests.conftest import user as real_user

    _start(app, world["inspection"])
    with app.test_request_context():
        member, colleague = viewer_for(real_user("wg_member")), viewer_for(real_user("ttt_head"))
        assert member.inspected_agency_ids == {agency_id("STC")} and scope_key(member) != scope_key(colleague)
        order = [member, colleague] if member_first else [colleague, member]
        totals = {}
        for v in order + order:
            totals.setdefault(v.user_id, set()).add(sum(dashboard.counts(v).values()))
        assert totals[member.user_id] == {2} and totals[colleague.user_id] == {1}
    seen = {u: _surfaces(app, u, world)["api_count"] for u in (("wg_member", "ttt_head") if member_first
                                                               else ("ttt_head", "wg_member"))}
    assert seen == {"wg_member": 2, "ttt_head": 1}


def test_a_member_never_acts_on_an_inspected_task(app, world):
    _start(app, world["inspection"])
    client = app.test_client()
    stc = world["stc"]
    for username in ("wg_member", "snv_head"):  # a member, and the leader (an agency head elsewhere)
        token = headers(client, username)
        for action in ("receive", "return", "report", "send", "confirm", "withdraw"):
            answer = client.post(f"/api/v1/task/{stc}/transition", json={"action": action, "comment": "x",
                                                                          "result": "x", "reason": "content_wrong"},
                                 headers=token)
            assert answer.status_code == 403, (username, action, answer.get_json())
        assert client.post(f"/api/v1/task/{stc}/updates", json={"body": "Ý kiến"}, headers=token).status_code == 403
        ask = client.post(f"/api/v1/task/{stc}/extension-requests",
                          json={"reason": "x", "proposed_deadline": "2030-01-01"}, headers=token)
        assert ask.status_code == 403
        put = client.put(f"/api/v1/task/{stc}", json={"content": "Sửa"}, headers=token)
        assert put.status_code == 403
    delay = client.post("/api/v1/delay-report/", json={"task_id": stc, "description": "Chậm"},
                        headers=headers(client, "snv_head"))
    assert delay.status_code == 403
    assert "Chỉ cơ quan chủ trì hoặc phối hợp" in delay.get_json()["message"]
    # The task page offers the member no action, only reading.
    client.post("/login/", data={"username": "wg_member", "password": PASSWORD})
    page = client.get(f"/tasks/show/{stc}").get_data(as_text=True)
    assert CONTENT in page and f"/tasks/act/{stc}" not in page and f"/tasks/update/{stc}" not in page
    assert client.post(f"/tasks/act/{stc}", data={"action": "receive"}).status_code in (302, 403)
    from app.extensions import db
    from app.models import Task, TaskUpdate

    with app.app_context():
        assert db.session.get(Task, stc).status == "assigned"
        assert db.session.query(TaskUpdate).filter_by(task_id=stc).count() == 1  # the agency's own only


def test_the_inspection_page_links_the_member_to_the_inspected_agencys_tasks(app, world):
    _start(app, world["inspection"])
    client = app.test_client()
    client.post("/login/", data={"username": "wg_member", "password": PASSWORD})
    page = client.get(f"/inspections/show/{world['inspection']}").get_data(as_text=True)
    link = f"/tasks/list/?_flt_0_lead_agency={agency_id('STC')}"
    assert link in page
    tasks = client.get(link).get_data(as_text=True)
    assert CONTENT in tasks and "Nhiệm vụ của Thanh tra tỉnh" not in tasks
