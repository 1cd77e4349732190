"""Proposals to the Chairman and his directions (issue 13; Art. 5.3.d, 18.3): each direction
goes through the lifecycle's rules, and where they refuse nothing changes."""
import datetime as dt

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import ChangeLog, ExtensionRequest, Notification, Task
from app.models_direction import Proposal, ProposalTask, TaskIssue
from app.services import difficulties, proposals
from app.services.calendar import today
from app.services.errors import Conflict, Forbidden, Invalid, NotFound
from app.services.timeline import task_timeline
from tests.conftest import PASSWORD, agency_id, user, viewer


@pytest.fixture
def overdue(make_document):
    past = today() - dt.timedelta(days=20)
    _, ids = make_document([
        {"lead": "STC", "content": "Rà soát dự án chậm giải ngân", "deadline": past, "coordinating": ["SNV"]},
        {"lead": "22366", "content": "Giải phóng mặt bằng dự án ven biển", "deadline": past},
    ], issued_on=past - dt.timedelta(days=30))
    return ids


def _submitted(task_ids, reason="overdue"):
    proposal = proposals.draft_proposal(viewer=viewer("officer"), task_ids=task_ids, reason=reason)
    return proposals.submit_proposal(proposal.id, viewer=viewer("leader")).id


def _counts():
    return (db.session.scalar(select(func.count(ChangeLog.id))),
            db.session.scalar(select(func.count(ExtensionRequest.id))),
            db.session.scalar(select(func.count(ProposalTask.task_id)).where(ProposalTask.decision.is_not(None))))


def test_the_officer_drafts_the_leader_approves_and_it_joins_the_chairmans_queue_oldest_first(app, overdue, ctx):
    first = _submitted([overdue[0]])
    second = _submitted([overdue[1]])
    queue = db.session.scalars(proposals.chairman_queue(viewer("chairman"))).all()
    assert [p.id for p in queue] == [first, second]
    chairman = user("chairman").id
    assert db.session.scalar(select(func.count(Notification.id)).where(
        Notification.user_id == chairman, Notification.kind == "proposal_submitted")) == 2
    with pytest.raises(Conflict):
        proposals.submit_proposal(first, viewer=viewer("leader"))  # twice
    draft = proposals.draft_proposal(viewer=viewer("officer"), task_ids=overdue, reason="overdue")
    with pytest.raises(Forbidden):
        proposals.submit_proposal(draft.id, viewer=viewer("officer"))  # the officer does not approve
    with pytest.raises(Forbidden):
        proposals.draft_proposal(viewer=viewer("stc_head"), task_ids=overdue, reason="overdue")
    with pytest.raises(Conflict):  # not yet with the Chairman
        proposals.give_direction(draft.id, viewer=viewer("chairman"), task_id=overdue[0], decision="urge")
    assert "Văn phòng Ủy ban nhân dân tỉnh kính trình" in draft.body


def test_an_extension_directed_by_the_chairman_is_the_art_5_2_d_extension(app, overdue, ctx):
    proposal_id = _submitted(overdue)
    new = today() + dt.timedelta(days=30)
    proposals.give_direction(proposal_id, viewer=viewer("chairman"), task_id=overdue[1], decision="extend",
                             deadline=new, comment="Gia hạn lần cuối")
    task = db.session.get(Task, overdue[1])
    assert task.deadline == new and task.original_deadline == today() - dt.timedelta(days=20)
    extension = db.session.scalar(select(ExtensionRequest).where(ExtensionRequest.task_id == task.id))
    assert extension.status == "approved" and extension.approved_deadline == new
    assert extension.decided_by_id == user("chairman").id
    titles = [e.title for e in task_timeline(task)]
    assert titles[-2:] == ["Ý kiến chỉ đạo của Chủ tịch UBND tỉnh", "Đồng ý gia hạn"]
    chair = user("nhatrang_chair").id
    messages = db.session.scalars(select(Notification.message).where(
        Notification.user_id == chair, Notification.kind.in_(["extension_decided", "direction"]))).all()
    assert messages == [f"Ý kiến chỉ đạo của Chủ tịch UBND tỉnh: Gia hạn đến ngày {new:%d/%m/%Y} — Gia hạn lần cuối"]
    assert db.session.get(Proposal, proposal_id).status == "submitted"  # one task still to direct
    proposals.give_direction(proposal_id, viewer=viewer("chairman"), task_id=overdue[0], decision="urge",
                             comment="Yêu cầu hoàn thành trong tháng")
    assert db.session.get(Proposal, proposal_id).status == "decided"


@pytest.mark.parametrize("body, error", [
    ({"decision": "extend", "deadline": -1}, Invalid),  # a date before today
    ({"decision": "extend"}, Invalid),
    ({"decision": "transfer"}, Invalid),
    ({"decision": "transfer", "lead": "SNV"}, Invalid),  # coordinating already
    ({"decision": "withdraw"}, Invalid),  # the lifecycle needs a reason
    ({"decision": "other", "comment": "  "}, Invalid),
    ({"decision": "dismiss"}, Invalid),
])
def test_a_direction_the_lifecycle_refuses_changes_nothing(app, overdue, ctx, body, error):
    proposal_id = _submitted([overdue[0]])
    before = _counts()
    kwargs = dict(decision=body["decision"], comment=body.get("comment"))
    if "deadline" in body:
        kwargs["deadline"] = today() + dt.timedelta(days=body["deadline"])
    if "lead" in body:
        kwargs["lead_agency_id"] = agency_id(body["lead"])
    with pytest.raises(error):
        proposals.give_direction(proposal_id, viewer=viewer("chairman"), task_id=overdue[0], **kwargs)
    db.session.rollback()
    assert _counts() == before
    task = db.session.get(Task, overdue[0])
    assert task.deadline == today() - dt.timedelta(days=20) and task.status == "assigned"


def test_a_completed_task_cannot_be_extended_and_its_direction_row_stays_empty(app, overdue, ctx):
    from app.services import lifecycle

    proposal_id = _submitted([overdue[0]])
    lifecycle.transition(overdue[0], "receive", viewer=viewer("stc_head"))
    lifecycle.transition(overdue[0], "report", viewer=viewer("stc_head"), result="Đã xong")
    before = _counts()
    with pytest.raises(Conflict):  # reported: the Art. 5.2.đ rule refuses an extension now
        proposals.give_direction(proposal_id, viewer=viewer("chairman"), task_id=overdue[0], decision="extend",
                                 deadline=today() + dt.timedelta(days=10))
    db.session.rollback()
    assert _counts() == before


def test_only_the_chairman_directs_and_only_once(app, overdue, ctx):
    proposal_id = _submitted([overdue[0]])
    for who in ("officer", "leader", "stc_head"):
        with pytest.raises((Forbidden, NotFound)):
            proposals.give_direction(proposal_id, viewer=viewer(who), task_id=overdue[0], decision="urge")
    proposals.give_direction(proposal_id, viewer=viewer("chairman"), task_id=overdue[0], decision="urge")
    with pytest.raises(Conflict):
        proposals.give_direction(proposal_id, viewer=viewer("chairman"), task_id=overdue[0], decision="urge")
    with pytest.raises(NotFound):
        proposals.give_direction(proposal_id, viewer=viewer("chairman"), task_id=overdue[1], decision="urge")


def test_a_withdrawal_is_the_lifecycle_withdrawal_with_the_reason(app, overdue, ctx):
    proposal_id = _submitted([overdue[0]])
    proposals.give_direction(proposal_id, viewer=viewer("chairman"), task_id=overdue[0], decision="withdraw",
                             comment="Không còn phù hợp thực tế")
    task = db.session.get(Task, overdue[0])
    assert task.status == "withdrawn"
    row = db.session.scalar(select(ChangeLog).where(ChangeLog.entity_id == task.id, ChangeLog.field == "status")
                            .order_by(ChangeLog.id.desc()))
    assert row.action == "withdraw" and row.comment == "Không còn phù hợp thực tế"
    assert row.user_id == user("chairman").id


def test_a_transfer_goes_back_to_the_office_who_sends_it_to_the_new_lead(app, overdue, ctx):
    proposal_id = _submitted([overdue[0]])
    sxd = agency_id("SXD") or agency_id("STP")
    proposals.give_direction(proposal_id, viewer=viewer("chairman"), task_id=overdue[0], decision="transfer",
                             lead_agency_id=sxd, comment="Giao Sở chuyên ngành")
    task = db.session.get(Task, overdue[0])
    assert task.lead_agency_id == agency_id("STC")  # not yet: the Office sends it
    with pytest.raises(Forbidden):
        proposals.carry_out_transfer(proposal_id, viewer=viewer("chairman"), task_id=overdue[0])
    proposals.carry_out_transfer(proposal_id, viewer=viewer("officer"), task_id=overdue[0])
    db.session.expire_all()
    task = db.session.get(Task, overdue[0])
    assert task.lead_agency_id == sxd and task.status == "assigned"
    with pytest.raises(Conflict):
        proposals.carry_out_transfer(proposal_id, viewer=viewer("officer"), task_id=overdue[0])


def test_a_commune_chairs_difficulty_is_told_proposed_and_on_the_timeline(app, overdue, ctx):
    task_id = overdue[1]
    with pytest.raises(Forbidden):
        difficulties.report_difficulty(task_id, viewer=viewer("officer"), body="x")
    with pytest.raises(NotFound):
        difficulties.report_difficulty(task_id, viewer=viewer("stc_head"), body="x")  # not its task
    with pytest.raises(Invalid):
        difficulties.report_difficulty(task_id, viewer=viewer("nhatrang_chair"), body=" ")
    issue = difficulties.report_difficulty(task_id, viewer=viewer("nhatrang_chair"),
                                           body="Vượt quá khả năng ngân sách xã", proposal="Đề nghị tỉnh hỗ trợ vốn")
    officer = user("officer").id
    told = db.session.scalars(select(Notification.user_id).where(Notification.kind == "difficulty")).all()
    assert user("leader").id in told or officer in told
    proposal = proposals.draft_proposal(viewer=viewer("officer"), task_ids=[task_id], reason="difficulty",
                                        issue_ids=[issue.id])
    assert db.session.get(TaskIssue, issue.id).status == "proposed"
    with pytest.raises(Conflict):
        difficulties.answer_issue(issue.id, viewer=viewer("officer"), answer="Đã trả lời")
    with pytest.raises(Conflict):  # the same difficulty in a second proposal
        proposals.draft_proposal(viewer=viewer("officer"), task_ids=[task_id], reason="difficulty",
                                 issue_ids=[issue.id])
    with pytest.raises(Invalid):  # a difficulty of another task
        proposals.draft_proposal(viewer=viewer("officer"), task_ids=[overdue[0]], reason="difficulty",
                                 issue_ids=[issue.id])
    db.session.rollback()
    assert db.session.scalar(select(func.count(Proposal.id))) == 1
    titles = [e.title for e in task_timeline(db.session.get(Task, task_id))]
    assert "Báo cáo khó khăn, vướng mắc (Điều 19 khoản 2)" in titles
    assert f"Đề xuất Chủ tịch UBND tỉnh chỉ đạo (tờ trình số {proposal.id})" in titles


def test_the_office_answers_a_disagreement_directly(app, overdue, ctx):
    with pytest.raises(Forbidden):
        difficulties.record_disagreement(overdue[0], viewer=viewer("stc_head"), body="x", positions="y")
    issue = difficulties.record_disagreement(overdue[0], viewer=viewer("officer"), body="Phân định trách nhiệm",
                                             positions="STC: SNV chủ trì; SNV: STC chủ trì")
    difficulties.answer_issue(issue.id, viewer=viewer("officer"), answer="STC chủ trì theo văn bản giao")
    snv_head = user("snv_head").id
    kinds = db.session.scalars(select(Notification.kind).where(Notification.user_id == snv_head)).all()
    assert "disagreement" in kinds and "issue_answered" in kinds
    events = task_timeline(db.session.get(Task, overdue[0]))
    assert any(e.body == "STC chủ trì theo văn bản giao" for e in events)


def _headers(client, username):
    token = client.post("/api/v1/security/login", json={
        "username": username, "password": PASSWORD, "provider": "db"}).get_json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


def test_the_contract_through_the_api_with_status_codes(client, app, overdue):
    answer = client.post(f"/api/v1/task/{overdue[1]}/difficulties", json={"body": "Thiếu vốn", "proposal": "Hỗ trợ"},
                         headers=_headers(client, "nhatrang_chair"))
    assert answer.status_code == 201
    assert client.post(f"/api/v1/task/{overdue[1]}/difficulties", json={"body": "x"},
                       headers=_headers(client, "stc_head")).status_code == 404
    assert client.post("/api/v1/proposal/", json={"task_ids": overdue, "reason": "overdue"},
                       headers=_headers(client, "stc_head")).status_code == 403
    disagreement = client.post(f"/api/v1/task/{overdue[0]}/disagreements",
                               json={"body": "Phân công chủ trì", "positions": ""}, headers=_headers(client, "officer"))
    assert disagreement.status_code == 422 and "positions" in disagreement.get_json()["errors"]
    assert client.post(f"/api/v1/task/{overdue[0]}/disagreements", json={"body": "x", "positions": "y"},
                       headers=_headers(client, "stc_head")).status_code == 403
    bad = client.post("/api/v1/proposal/", json={"task_ids": [], "reason": "overdue"}, headers=_headers(client, "officer"))
    assert bad.status_code == 422 and "task_ids" in bad.get_json()["errors"]
    created = client.post("/api/v1/proposal/", json={"task_ids": overdue, "reason": "overdue", "body": "Kính trình"},
                          headers=_headers(client, "officer"))
    assert created.status_code == 201
    pid = created.get_json()["id"]
    assert client.post(f"/api/v1/proposal/{pid}/submit", headers=_headers(client, "officer")).status_code == 403
    assert client.post(f"/api/v1/proposal/{pid}/submit", headers=_headers(client, "leader")).status_code == 200
    url = f"/api/v1/proposal/{pid}/direction"
    for who in ("officer", "leader", "stc_head", "nhatrang_chair"):
        assert client.post(url, json={"task_id": overdue[0], "decision": "urge"},
                           headers=_headers(client, who)).status_code == 403
    past = (today() - dt.timedelta(days=1)).isoformat()
    refused = client.post(url, json={"task_id": overdue[1], "decision": "extend", "deadline": past},
                          headers=_headers(client, "chairman"))
    assert refused.status_code == 422 and "deadline" in refused.get_json()["errors"]
    new = (today() + dt.timedelta(days=20)).isoformat()
    done = client.post(url, json={"task_id": overdue[1], "decision": "extend", "deadline": new, "comment": "Đồng ý"},
                       headers=_headers(client, "chairman"))
    assert done.status_code == 200 and done.get_json()["result"]["decision"] == "extend"
    task = client.get(f"/api/v1/task/{overdue[1]}", headers=_headers(client, "nhatrang_chair")).get_json()["result"]
    assert task["deadline"] == new and task["extended"] is True
    assert client.get(f"/api/v1/proposal/{pid}", headers=_headers(client, "nhatrang_chair")).status_code in (403, 404)
    got = client.get(f"/api/v1/proposal/{pid}", headers=_headers(client, "chairman")).get_json()["result"]
    assert [t["decision"] for t in got["tasks"]] == [None, "extend"]
    queue = client.get("/api/v1/proposal/?status=submitted", headers=_headers(client, "chairman")).get_json()
    assert queue["ids"] == [pid]


def test_the_proposal_and_its_directions_as_pdf_and_docx(client, app, overdue):
    import io

    from docx import Document as Docx
    from pypdf import PdfReader

    with app.test_request_context():
        pid = _submitted(overdue)
        proposals.give_direction(pid, viewer=viewer("chairman"), task_id=overdue[0], decision="other",
                                 comment="Sở Tài chính báo cáo trước ngày 15")
    pdf = client.get(f"/api/v1/proposal/{pid}/pdf", headers=_headers(client, "chairman"))
    assert pdf.status_code == 200
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "TỜ TRÌNH" in text and "Chủ tịch Ủy ban nhân dân tỉnh" in text
    assert "Sở Tài chính báo cáo trước ngày 15" in " ".join(text.split())
    docx = client.get(f"/api/v1/proposal/{pid}/docx", headers=_headers(client, "officer"))
    document = Docx(io.BytesIO(docx.data))
    cells = " ".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "Giải phóng mặt bằng dự án ven biển" in cells and "Sở Tài chính báo cáo trước ngày 15" in cells
    assert client.get(f"/api/v1/proposal/{pid}/pdf", headers=_headers(client, "stc_head")).status_code in (403, 404)


def test_art_6_3_a_higher_authoritys_document_with_little_time_left_is_flagged_and_offers_a_proposal(
        client, app, make_document):
    from app.services.calendar import current_calendar

    with app.app_context():
        deadline = current_calendar().add_working_days(today(), 2)
    document_id, (task_id,) = make_document(
        [{"lead": "STC", "deadline": deadline}], issuer="higher_authority", issuer_name="Bộ Tài chính",
        received_on=today(), issued_on=today())
    client.post("/login/", data={"username": "officer", "password": PASSWORD})
    page = client.get(f"/documents/show/{document_id}").get_data(as_text=True)
    assert "chỉ còn 2 ngày làm việc" in page and f"task_ids={task_id}" in page and "reason=short_time" in page
    answer = client.get(f"/proposals/short-time.json?received_on={today().isoformat()}&deadline={deadline.isoformat()}")
    assert answer.get_json() == {"left": 2, "threshold": 5, "short": True}
    far = (today() + dt.timedelta(days=60)).isoformat()
    assert client.get(f"/proposals/short-time.json?received_on={today().isoformat()}&deadline={far}").get_json()["short"] is False
    # The entry screen sends the dates as typed (dd/mm/yyyy); half-typed ones warn of nothing yet.
    typed = client.get(f"/proposals/short-time.json?received_on={today():%d/%m/%Y}&deadline={deadline:%d/%m/%Y}")
    assert typed.get_json() == {"left": 2, "threshold": 5, "short": True}
    half = client.get(f"/proposals/short-time.json?received_on=12/1&deadline={deadline:%d/%m/%Y}")
    assert half.status_code == 200 and half.get_json()["short"] is False
    assert "short-time-warning" in client.get("/documents/add").get_data(as_text=True)
    client.get("/logout/")
    client.post("/login/", data={"username": "stc_head", "password": PASSWORD})
    assert "chỉ còn 2 ngày làm việc" not in client.get(f"/documents/show/{document_id}").get_data(as_text=True)


def test_the_pages_of_proposals_and_difficulties_per_role(client, app, overdue):
    with app.test_request_context():
        issue_id = difficulties.report_difficulty(overdue[1], viewer=viewer("nhatrang_chair"), body="Thiếu kinh phí xã").id
        pid = _submitted([overdue[1]], reason="difficulty")
    client.post("/login/", data={"username": "chairman", "password": PASSWORD})
    queue = client.get("/proposals/").get_data(as_text=True)
    assert f"#{pid}" in queue
    shown = client.get(f"/proposals/show/{pid}").get_data(as_text=True)
    assert "Cho ý kiến chỉ đạo" in shown
    new = (today() + dt.timedelta(days=15)).isoformat()
    client.post(f"/proposals/direct/{pid}", data={"task_id": overdue[1], "decision": "extend", "deadline": new,
                                                 "comment": "Đồng ý gia hạn"})
    client.get("/logout/")
    client.post("/login/", data={"username": "nhatrang_chair", "password": PASSWORD})
    task_page = client.get(f"/tasks/show/{overdue[1]}").get_data(as_text=True)
    assert dt.date.fromisoformat(new).strftime("%d/%m/%Y") in task_page
    assert "Gia hạn đến ngày" in task_page and "Đồng ý gia hạn" in task_page
    assert client.get(f"/proposals/show/{pid}").status_code in (302, 403, 404)
    assert client.get(f"/difficulties/show/{issue_id}").status_code == 200
    client.get("/logout/")
    client.post("/login/", data={"username": "snv_head", "password": PASSWORD})  # not on that task
    assert client.get(f"/difficulties/show/{issue_id}").status_code == 404
    assert "Thiếu kinh phí xã" not in client.get("/difficulties/").get_data(as_text=True)


@pytest.mark.parametrize("decisions", [("extend", "extend"), ("extend", "withdraw"), ("urge", "other")])
def test_two_directions_on_one_task_at_once_leave_one(app, overdue, ctx, decisions):
    import threading

    proposal_id = _submitted([overdue[0]])
    db.session.remove()
    barrier, outcomes = threading.Barrier(2), []
    new = today() + dt.timedelta(days=25)

    def direct(decision):
        with app.test_request_context():
            assert db.session.get(ProposalTask, (proposal_id, overdue[0])).decision is None
            barrier.wait()
            try:
                proposals.give_direction(proposal_id, viewer=viewer("chairman"), task_id=overdue[0],
                                         decision=decision, deadline=new, comment="Chỉ đạo")
                outcomes.append(decision)
            except Conflict:
                outcomes.append("conflict")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=direct, args=(d,)) for d in decisions]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("conflict") == 1, outcomes
    won = next(o for o in outcomes if o != "conflict")
    db.session.expire_all()
    item = db.session.get(ProposalTask, (proposal_id, overdue[0]))
    task = db.session.get(Task, overdue[0])
    assert item.decision == won
    assert (task.deadline == new) == (won == "extend") and (task.status == "withdrawn") == (won == "withdraw")
    assert db.session.scalar(select(func.count(ExtensionRequest.id))) == (1 if won == "extend" else 0)
