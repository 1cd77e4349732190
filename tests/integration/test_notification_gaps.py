"""The notifications the last review found missing (README "Who is told of what"): each reaches the
people who may see the item, once, never another agency's user, in Vietnamese, with a link that
opens the item — and by mail as each one chose."""
import datetime as dt
import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Notification, Task
from app.services import proposals, register
from app.services.calendar import current_calendar, today
from tests.conftest import PASSWORD, agency_id, user, viewer


def told(kind):
    rows = db.session.execute(select(Notification.user_id).where(Notification.kind == kind)).scalars().all()
    names = [db.session.get(type(user("admin")), uid).username for uid in rows]
    assert len(names) == len(set(names)), f"someone was told twice of {kind}: {names}"
    return set(names)


def opens(client, username, link):
    client.get("/logout/")
    client.post("/login/", data={"username": username, "password": PASSWORD})
    return client.get(link).status_code


@pytest.fixture
def overdue(make_document):
    past = today() - dt.timedelta(days=20)
    _, ids = make_document([{"lead": "STC", "content": "Rà soát dự án chậm giải ngân", "deadline": past}],
                           issued_on=past - dt.timedelta(days=30))
    return ids[0]


def _transfer_directed(task_id):
    proposal = proposals.draft_proposal(viewer=viewer("officer"), task_ids=[task_id], reason="overdue")
    proposals.submit_proposal(proposal.id, viewer=viewer("leader"))
    proposals.give_direction(proposal.id, viewer=viewer("chairman"), task_id=task_id, decision="transfer",
                             lead_agency_id=agency_id("SNV"), comment="Giao Sở Nội vụ chủ trì")
    return proposal.id


def test_a_transfer_the_chairman_directed_is_reminded_to_the_office_each_working_day_until_sent(
        app, client, overdue):
    with app.test_request_context():
        proposal_id = _transfer_directed(overdue)
        tomorrow = current_calendar().add_working_days(today(), 1)
        assert proposals.remind_transfers(today()) == 0  # the day of the direction: it was just told
        assert proposals.remind_transfers(tomorrow) == 1  # the officer (tracking it and the drafter): once
        assert proposals.remind_transfers(tomorrow) == 0  # the sweep again that day: nothing twice
        assert told("transfer_to_send") == {"officer"}  # not the agencies, not the Chairman
        row = db.session.scalar(select(Notification).where(Notification.kind == "transfer_to_send"))
        assert row.link == f"/proposals/show/{proposal_id}" and row.task_id == overdue
        after = current_calendar().add_working_days(tomorrow, 1)
        proposals.carry_out_transfer(proposal_id, viewer=viewer("officer"), task_id=overdue)
        assert proposals.remind_transfers(after) == 0  # sent: nobody is reminded any more
    assert opens(client, "officer", f"/proposals/show/{proposal_id}") == 200
    page = client.get("/notifications/").get_data(as_text=True)
    assert "Chủ tịch đã chỉ đạo điều chuyển" in page and "Transfer directed" not in page
    assert opens(client, "stc_head", f"/proposals/show/{proposal_id}") in (403, 404)


def test_without_a_tracking_officer_the_office_leaders_are_reminded_of_the_transfer(app, overdue):
    with app.test_request_context():
        _transfer_directed(overdue)
        db.session.get(Task, overdue).tracking_officer_id = None
        db.session.commit()
        assert proposals.remind_transfers(current_calendar().add_working_days(today(), 1)) >= 1
        assert {"leader", "officer"} <= told("transfer_to_send")  # the leaders, and the drafter
        assert not told("transfer_to_send") & {"stc_head", "stc_staff", "snv_head", "chairman"}


def _correct(task, **changes):
    return register.update_task(task.id, changes, expected_version=task.version, viewer=viewer("officer"))


def test_a_new_tracking_officer_and_the_agencies_added_or_removed_are_told_once(app, client, make_document):
    with app.test_request_context():
        _, (task_id,) = make_document([{"lead": "STC", "coordinating": ["SNV"], "content": "Báo cáo đầu tư công"}],
                                      send=True)
        task = db.session.get(Task, task_id)
        _correct(task, tracking_officer_id=user("leader").id,
                 coordinating_agency_ids=[agency_id("22366")])
        assert told("task_reassigned") == {"leader"}
        assert told("coordination_added") == {"nhatrang_chair"}  # never STC's or SNV's users
        assert told("coordination_removed") == {"snv_head"}
        removed = db.session.scalar(select(Notification).where(Notification.kind == "coordination_removed"))
        assert removed.link is None and removed.task_id is None  # SNV no longer sees the task
        added = db.session.scalar(select(Notification).where(Notification.kind == "coordination_added"))
        assert added.link == f"/tasks/show/{task_id}"
        task = db.session.get(Task, task_id)
        _correct(task, notes="Ghi chú thêm")  # nothing about who: nobody more is told
        assert len(told("task_reassigned") | told("coordination_added")) == 2
    assert opens(client, "nhatrang_chair", f"/tasks/show/{task_id}") == 200
    assert opens(client, "snv_head", f"/tasks/show/{task_id}") == 404


def test_a_draft_corrected_tells_no_agency(app, make_document):
    with app.test_request_context():
        _, (task_id,) = make_document([{"lead": "STC", "content": "Dự thảo"}], send=False)
        _correct(db.session.get(Task, task_id), coordinating_agency_ids=[agency_id("SNV")])
        assert told("coordination_added") == set()


def test_an_agency_own_inspection_reminds_its_heads_of_the_result_report(app, make_document):
    from app.models import Inspection
    from app.services import inspections

    with app.test_request_context():
        data = inspections.InspectionInput(
            conducted_by="agency", agency_id=agency_id("STC"), legal_basis="Quyết định số 26/2026/QĐ-UBND",
            scope="Nhiệm vụ năm 2026", tasks="Kiểm tra nhiệm vụ quá hạn", content_implementation=True,
            form="ad_hoc", start_on=today() - dt.timedelta(days=10), end_on=today() - dt.timedelta(days=3),
            inspected_agency_ids=[agency_id("STC")], leader_id=user("stc_staff").id, member_ids=[])
        inspection = inspections.create_inspection(data, viewer=viewer("stc_head"))
        inspections.issue(inspection.id, viewer=viewer("stc_head"), number="7/QĐ-STC", issued_on=today())
        row = db.session.get(Inspection, inspection.id)
        day = current_calendar().add_working_days(row.report_due_on, 1)  # late
        first = inspections.remind_report_deadlines(day)
        assert inspections.remind_report_deadlines(day) == 0
        names = told("inspection_report_due")
        assert "stc_head" in names and "stc_staff" in names  # the head and the group's leader
        assert not names & {"snv_head", "nhatrang_chair", "officer", "leader"}  # the Office reminds its own only
        assert first == len(names)


def test_mail_follows_the_new_groups_preferences(app, make_document, tmp_path):
    """A user who wants no mail of direction still has the bell; the task's steps still come at once."""
    from app.services import mail, mail_preferences

    app.config["MAIL_OUTBOX"], outbox = str(tmp_path), app.config["MAIL_OUTBOX"]
    try:
        with app.test_request_context():
            mail_preferences.save_preferences(viewer("officer"), {"direction": "none"})
            _, (task_id,) = make_document([{"lead": "STC", "content": "Rà soát",
                                            "deadline": today() - dt.timedelta(days=3)}],
                                          issued_on=today() - dt.timedelta(days=40))
            _transfer_directed(task_id)
            proposals.remind_transfers(current_calendar().add_working_days(today(), 1))
            mail.dispatch_mail()
            officer = user("officer").id
            rows = db.session.scalars(select(Notification).where(Notification.user_id == officer,
                                                                 Notification.kind.in_(("direction", "transfer_to_send")))).all()
            assert rows and all(n.mailed_at is not None for n in rows)  # done, without a mail
            subjects = [p.read_text(errors="ignore") for p in tmp_path.iterdir()]
            assert not any("officer@" in s for s in subjects)  # nothing mailed to the officer
            assert any("stc_head@" in s for s in subjects)  # STC's head still mailed of the task sent
    finally:
        app.config["MAIL_OUTBOX"] = outbox


def test_a_later_message_on_a_document_without_officers_reaches_the_office(app):
    from app.models import IncomingDocument, IncomingMessage
    from app.services import intake

    with app.test_request_context():
        incoming = IncomingDocument(status="registered", identity_key="x", number="12/VPCP", issued_on=today(),
                                    summary="V/v thử", issuer="higher_authority", urgency="normal",
                                    entry_due_on=today(), channel="api", received_at=dt.datetime.now())
        from app.services.register import DocumentInput, TaskInput, create_document

        document = create_document(DocumentInput(doc_type="official_letter", number="12/VPCP", summary="V/v thử",
                                                 issued_on=today(), signer="A", issuer="committee", source="ad_hoc",
                                                 urgency="normal"),
                                   [TaskInput(content="Thử", lead_agency_id=agency_id("STC"),
                                              deadline=today() + dt.timedelta(days=9))],
                                   viewer=viewer("officer"), send=True)
        for task in document.tasks:
            task.tracking_officer_id = None
        incoming.document_id = document.id
        db.session.add(incoming)
        db.session.flush()
        later = IncomingMessage(incoming_id=incoming.id, kind="update", status="pending", message_key="k" * 64,
                                received_at=dt.datetime.now())
        db.session.add(later)
        db.session.flush()
        intake._notify_later(incoming, later)
        db.session.commit()
        assert told("incoming_message") == {"officer"}  # the Office's officials, no agency
