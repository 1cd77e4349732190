"""The daily sweep reminds the agencies whose ad-hoc answer is past due (issue 13), once a day."""
import datetime as dt

from flask_appbuilder.security.sqla.models import Role
from sqlalchemy import func, select

from app.extensions import db
from app.models import AppUser, Notification
from app.models_direction import ReportAnswer, ReportRequest
from tests.conftest import agency_id, user


def test_the_sweep_reminds_the_late_answers_once(app, run_jobs):
    from app.jobs.queue import enqueue
    from app.jobs.tasks import deadline_sweep

    with app.app_context():
        day = dt.date(2026, 11, 26)  # a Thursday
        due = day - dt.timedelta(days=1)
        request = ReportRequest(subject="Báo cáo đột xuất về phòng chống bão", body="x", scope="chosen",
                                sent_on=due - dt.timedelta(days=3), due_on=due,
                                created_at=dt.datetime.combine(due - dt.timedelta(days=3), dt.time(8)))
        db.session.add(request)
        db.session.flush()
        db.session.add_all([
            ReportAnswer(request_id=request.id, agency_id=agency_id("STC"), due_on=due, status="pending"),
            ReportAnswer(request_id=request.id, agency_id=agency_id("SNV"), due_on=due, status="submitted",
                         body="Đã gửi", submitted_at=dt.datetime.combine(due, dt.time(9)), late=False)])
        db.session.commit()
        enqueue(deadline_sweep, day.isoformat())
        enqueue(deadline_sweep, day.isoformat(), job_id="again")
    run_jobs()
    with app.app_context():
        late = select(Notification.user_id).where(Notification.kind == "report_request_late")
        # Every head of STC (other tests add some to the shared database), nobody of SNV, no staff; once each.
        heads = set(db.session.scalars(
            select(AppUser.id).join(AppUser.roles).where(Role.name == "AgencyHead",
                                                         AppUser.agency_id == agency_id("STC"))))
        assert user("stc_head").id in heads and user("stc_staff").id not in heads
        assert set(db.session.scalars(late)) == heads
        assert db.session.scalar(select(func.count()).select_from(late.subquery())) == len(heads)


def test_the_sweep_reminds_the_office_of_a_transfer_the_chairman_directed_once(app, run_jobs, make_document):
    """Art. 5.2.b: the task the Chairman directed to another lead agency waits for the Office to send
    it; the morning sweep reminds the officer, once however often it runs that day."""
    from app.jobs.queue import enqueue
    from app.jobs.tasks import deadline_sweep
    from app.services import proposals
    from app.services.calendar import current_calendar, today
    from tests.conftest import viewer

    past = today() - dt.timedelta(days=20)
    _, (task_id,) = make_document([{"lead": "STC", "content": "Rà soát dự án", "deadline": past}],
                                  issued_on=past - dt.timedelta(days=30))
    with app.test_request_context():
        proposal = proposals.draft_proposal(viewer=viewer("officer"), task_ids=[task_id], reason="overdue")
        proposals.submit_proposal(proposal.id, viewer=viewer("leader"))
        proposals.give_direction(proposal.id, viewer=viewer("chairman"), task_id=task_id, decision="transfer",
                                 lead_agency_id=agency_id("SNV"))
        day = current_calendar().add_working_days(today(), 1)
        enqueue(deadline_sweep, day.isoformat())
        enqueue(deadline_sweep, day.isoformat(), job_id="again")
    run_jobs()
    with app.app_context():
        rows = db.session.scalars(select(Notification.user_id).where(Notification.kind == "transfer_to_send")).all()
        assert rows == [user("officer").id]
