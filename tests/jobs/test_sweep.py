"""The deadline sweep and reminders, through the queue (issue: jobs)."""
import datetime as dt
import os

from sqlalchemy import func, select

from app.extensions import db
from app.models import JobRun, Notification
from app.services.calendar import current_calendar
from tests.conftest import user

DAY = dt.date(2026, 11, 26)  # a Thursday


def _tasks(make_document):
    calendar = current_calendar()
    make_document([
        {"lead": "STC", "content": "Sắp đến hạn", "deadline": calendar.add_working_days(DAY, 3)},
        {"lead": "STC", "content": "Đến hạn hôm nay", "deadline": DAY},
        {"lead": "SNV", "content": "Quá hạn một ngày", "deadline": dt.date(2026, 11, 25)},
        {"lead": "SNV", "content": "Còn xa", "deadline": DAY + dt.timedelta(days=60)},
    ], issued_on=dt.date(2026, 11, 2))


def _recipients(agency_code):
    """Who a reminder for a task of this agency goes to: its head, staff and chair, plus the officer."""
    from app.models import Agency, AppUser

    agency = db.session.scalar(select(Agency.id).where(Agency.code == agency_code))
    users = db.session.scalars(select(AppUser).where(AppUser.agency_id == agency, AppUser.active.is_(True))).all()
    return sum(1 for u in users if {r.name for r in u.roles} & {"AgencyHead", "AgencyStaff", "CommuneChair"}) + 1


def _reminders():
    return db.session.execute(select(Notification.kind, func.count()).where(
        Notification.kind.in_(("due_soon", "due_today", "overdue"))).group_by(Notification.kind)).all()


def test_the_sweep_reminds_the_right_people_once(app, ctx, make_document, run_jobs):
    from app.jobs.queue import enqueue
    from app.jobs.tasks import deadline_sweep

    _tasks(make_document)
    enqueue(deadline_sweep, DAY.isoformat(), job_id=f"sweep-{DAY}")
    enqueue(deadline_sweep, DAY.isoformat(), job_id=f"sweep-{DAY}")  # not queued twice
    run_jobs()
    first = dict(_reminders())
    # The lead agency's head, staff and chair, and the tracking officer, once per task and kind.
    assert first == {"due_soon": _recipients("STC"), "due_today": _recipients("STC"),
                     "overdue": _recipients("SNV")}
    enqueue(deadline_sweep, DAY.isoformat())  # on demand by the Office, the same day
    run_jobs()
    assert dict(_reminders()) == first
    runs = db.session.scalars(select(JobRun).where(JobRun.name == "deadline_sweep")).all()
    assert [r.status for r in runs] == ["done", "done"]
    assert '"overdue": 1' in runs[0].detail and '"due_today": 1' in runs[0].detail
    import json

    assert json.loads(runs[0].detail)["reminders"] == sum(first.values())
    assert json.loads(runs[1].detail)["reminders"] == 0
    stc_head = user("stc_head")
    mine = db.session.scalars(select(Notification.kind).where(Notification.user_id == stc_head.id)).all()
    assert sorted(mine) == ["due_soon", "due_today", "task_sent", "task_sent"]


def test_the_sweep_skips_days_that_are_not_working_days(app, ctx, make_document, run_jobs):
    from app.jobs.queue import enqueue
    from app.jobs.tasks import deadline_sweep

    _tasks(make_document)
    enqueue(deadline_sweep, "2026-11-24")  # Ngày Văn hóa Việt Nam
    run_jobs()
    assert _reminders() == []
    assert db.session.scalar(select(JobRun.status).where(JobRun.name == "deadline_sweep")) == "skipped"


def test_reminder_mails_go_out_once_one_per_user_per_day(app, ctx, make_document, run_jobs, tmp_path):
    """Art. 11: one mail per user per day lists all their reminders."""
    import email
    from email import policy

    from app.jobs.queue import enqueue
    from app.jobs.tasks import deadline_sweep, dispatch_mail

    app.config["MAIL_OUTBOX"] = str(tmp_path)
    _tasks(make_document)
    enqueue(dispatch_mail)  # the "task sent" mails first, out of the way
    run_jobs()
    for sent in os.listdir(tmp_path):
        os.remove(tmp_path / sent)
    enqueue(deadline_sweep, DAY.isoformat())
    run_jobs()
    mails = sorted(os.listdir(tmp_path))
    # The officer follows both agencies' tasks: one mail, not four.
    assert len(mails) == _recipients("STC") + _recipients("SNV") - 1
    enqueue(dispatch_mail)
    enqueue(deadline_sweep, DAY.isoformat(), force=True)
    run_jobs()
    assert len(os.listdir(tmp_path)) == len(mails)
    parsed = [email.message_from_bytes((tmp_path / m).read_bytes(), policy=policy.default) for m in mails]
    head = next(m for m in parsed if m["To"] == user("stc_head").email)
    body = head.get_content()
    # Deadline reminders go in the daily digest by default (tests/jobs/test_mail_preferences.py).
    assert "Đến hạn hôm nay" in body and "Sắp đến hạn" in body
    assert head["Subject"] == "Theo dõi nhiệm vụ: thư tổng hợp hằng ngày, 2 thông báo"
