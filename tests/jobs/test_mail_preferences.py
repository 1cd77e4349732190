"""Mail preferences per kind of notification (issue 9): what each user chose
decides which mails arrive — read back from a real SMTP server (aiosmtpd) —
while the bell always shows everything. Defaults: events at once, deadline
reminders in one daily digest."""
import datetime as dt
import re
import threading

import pytest
from sqlalchemy import event, func, select

from app.extensions import db
from app.models import Notification
from app.services import lifecycle
from app.services.calendar import today
from app.services.mail import dispatch_mail
from app.services.mail_preferences import save_preferences
from app.services.sweep import deadline_sweep
from tests.conftest import user, viewer
from tests.jobs.test_mail_smtp import smtp  # noqa: F401 — the SMTP server fixture

PEOPLE = ("stc_head", "stc_staff", "officer", "snv_head")


@pytest.fixture
def addresses(app, smtp):  # noqa: F811
    """Real addresses for the people of these tests (accounts default to .invalid)."""
    with app.app_context():
        saved = {name: user(name).email for name in PEOPLE}
        for name in PEOPLE:
            user(name).email = f"{name}@khanhhoa.gov.vn"
        db.session.commit()
        dispatch_mail(digest=True)  # whatever earlier tests left unmailed
        smtp.messages.clear()
    yield smtp
    with app.app_context():
        for name, email in saved.items():
            user(name).email = email
        db.session.commit()


def mails_to(inbox, name):
    return [m for to, m in inbox.messages if to == [f"{name}@khanhhoa.gov.vn"]]


def send_task(make_document, content="Báo cáo thu ngân sách quý IV", deadline=None, coordinating=()):
    _, (task_id,) = make_document([{"lead": "STC", "content": content, "coordinating": list(coordinating),
                                    "deadline": deadline or today() + dt.timedelta(days=20)}],
                                  send=False, issued_on=today() - dt.timedelta(days=40))
    lifecycle.transition(task_id, "send", viewer=viewer("officer"))
    db.session.commit()
    return task_id


def bell(name, kind):
    return db.session.scalar(select(func.count(Notification.id)).where(
        Notification.user_id == user(name).id, Notification.kind == kind))


def test_defaults_events_at_once_and_reminders_in_one_daily_digest(ctx, addresses, make_document):
    task_id = send_task(make_document, deadline=today())
    dispatch_mail()
    (sent,) = mails_to(addresses, "stc_head")
    assert sent["Subject"] == "Theo dõi nhiệm vụ: Nhiệm vụ mới được giao"
    addresses.messages.clear()
    deadline_sweep(today(), force=True)
    dispatch_mail()  # the ten-minute dispatch: reminders wait for the digest
    assert mails_to(addresses, "stc_head") == []
    dispatch_mail(digest=True)  # after the morning sweep
    (digest,) = mails_to(addresses, "stc_head")
    assert digest["Subject"] == "Theo dõi nhiệm vụ: thư tổng hợp hằng ngày, 1 thông báo"
    body = digest.get_content()
    assert "Nhiệm vụ đến hạn hôm nay: Báo cáo thu ngân sách quý IV" in body
    assert f"https://nhiemvu.khanhhoa.gov.vn/tasks/show/{task_id}" in body
    assert "https://nhiemvu.khanhhoa.gov.vn/mail-preferences/" in body
    # One digest per user per day, however often it runs.
    dispatch_mail(digest=True)
    deadline_sweep(today(), force=True)
    dispatch_mail(digest=True)
    assert len(mails_to(addresses, "stc_head")) == 1


def test_not_by_mail_leaves_the_bell_and_stops_the_mail(ctx, addresses, make_document):
    save_preferences(viewer("stc_head"), {"task_events": "none"})
    send_task(make_document)
    dispatch_mail(digest=True)
    assert mails_to(addresses, "stc_head") == []
    assert bell("stc_head", "task_sent") == 1  # the bell always
    assert len(mails_to(addresses, "stc_staff")) == 1  # the colleague kept the default


def test_events_in_the_digest_arrive_once_a_day_listing_them(ctx, addresses, make_document):
    save_preferences(viewer("stc_head"), {"task_events": "digest"})
    send_task(make_document, content="Nhiệm vụ thứ nhất")
    send_task(make_document, content="Nhiệm vụ thứ hai")
    dispatch_mail()
    assert mails_to(addresses, "stc_head") == []
    assert len(mails_to(addresses, "stc_staff")) == 2  # at once, one mail each
    dispatch_mail(digest=True)
    (digest,) = mails_to(addresses, "stc_head")
    body = digest.get_content()
    assert "Nhiệm vụ mới được giao: " in body
    assert "Nhiệm vụ thứ nhất" in body and "Nhiệm vụ thứ hai" in body
    assert "2 thông báo" in digest["Subject"]
    # A later event the same day waits for tomorrow's digest: still one mail today.
    send_task(make_document, content="Nhiệm vụ thứ ba")
    dispatch_mail(digest=True)
    assert len(mails_to(addresses, "stc_head")) == 1
    assert db.session.scalar(select(func.count(Notification.id)).where(
        Notification.user_id == user("stc_head").id, Notification.mailed_at.is_(None))) == 1


def test_reminders_at_once_come_in_one_mail_per_day_not_in_the_digest(ctx, addresses, make_document):
    save_preferences(viewer("stc_head"), {"deadline_reminders": "immediate"})
    save_preferences(viewer("stc_staff"), {"deadline_reminders": "none"})
    for n in range(3):
        send_task(make_document, content=f"Việc số {n}", deadline=today())
    dispatch_mail()
    addresses.messages.clear()
    deadline_sweep(today(), force=True)
    dispatch_mail()
    (reminder,) = mails_to(addresses, "stc_head")
    assert reminder["Subject"] == "Theo dõi nhiệm vụ: 3 nhiệm vụ cần đôn đốc hôm nay"
    assert all(f"Việc số {n}" in reminder.get_content() for n in range(3))
    dispatch_mail(digest=True)
    assert len(mails_to(addresses, "stc_head")) == 1  # nothing left for its digest
    assert mails_to(addresses, "stc_staff") == []  # not by mail…
    assert bell("stc_staff", "due_today") == 3  # …but on the bell
    assert len(mails_to(addresses, "officer")) == 1  # the default: the officer's digest


def test_the_digest_lists_fifty_lines_and_counts_the_rest(ctx, addresses, make_document):
    make_document([{"lead": "STC", "content": f"Việc {n:03d}", "deadline": today()} for n in range(60)],
                  issued_on=today() - dt.timedelta(days=40))
    dispatch_mail()
    addresses.messages.clear()
    deadline_sweep(today(), force=True)
    dispatch_mail(digest=True)
    (digest,) = mails_to(addresses, "officer")
    body = digest.get_content()
    assert "60 thông báo" in digest["Subject"]
    assert len(re.findall(r"^- ", body, re.M)) == 50
    assert "… và 10 thông báo khác: https://nhiemvu.khanhhoa.gov.vn/notifications/" in body


def test_the_dispatch_reads_everyone_at_once_not_user_by_user(app, ctx, addresses, make_document):
    """Set-based: the statements of a digest run do not grow with its recipients."""
    def statements_for(lead_codes):
        make_document([{"lead": code, "content": f"Hạn hôm nay {code}", "deadline": today()} for code in lead_codes],
                      issued_on=today() - dt.timedelta(days=40))
        dispatch_mail()
        deadline_sweep(today(), force=True)
        db.session.execute(db.text("DELETE FROM mail_digest_log"))
        db.session.commit()
        seen, me = [], threading.get_ident()

        def listener(*args):
            if threading.get_ident() == me:  # this dispatch's statements, not another thread's
                seen.append(args[2])

        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            mails = dispatch_mail(digest=True)["digests"]
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return mails, len(seen)

    few_mails, few = statements_for(["STC"])
    many_mails, many = statements_for(["SNV", "STC", "SYT", "22366"])
    assert many_mails > few_mails
    assert many == few


def test_the_settings_page_saves_choices_and_refuses_a_wrong_one(app, client, auth):
    auth.login("stc_head")
    menu = client.get("/tasks/list/").get_data(as_text=True)
    assert 'href="/mail-preferences/"' in menu and "Thông báo qua thư" in menu
    page = client.get("/mail-preferences/").get_data(as_text=True)
    assert "Nhắc hạn (sắp đến hạn, đến hạn hôm nay, quá hạn)" in page
    assert "Trong thư tổng hợp hằng ngày" in page and "Không gửi thư" in page
    assert re.search(r'name="deadline_reminders" value="digest"[^>]*checked', page)
    assert re.search(r'name="task_events" value="immediate"[^>]*checked', page)
    answer = client.post("/mail-preferences/", data={"task_events": "none", "deadline_reminders": "immediate"})
    assert answer.status_code == 302
    page = client.get("/mail-preferences/").get_data(as_text=True)
    assert "Đã lưu cách nhận thông báo qua thư." in page
    assert re.search(r'name="task_events" value="none"[^>]*checked', page)
    assert re.search(r'name="deadline_reminders" value="immediate"[^>]*checked', page)
    wrong = client.post("/mail-preferences/", data={"task_events": "digest", "urging_letters": "sometimes"})
    assert wrong.status_code == 422
    text = wrong.get_data(as_text=True)
    assert "Văn bản đôn đốc: hãy chọn" in text
    with app.app_context():
        from app.services.mail_preferences import preferences_of

        chosen = preferences_of(user("stc_head").id)
        assert chosen["task_events"] == "none"  # nothing of the wrong post was saved
    # Each user's own choices: a colleague still has the defaults.
    auth.login("stc_staff")
    page = client.get("/mail-preferences/").get_data(as_text=True)
    assert re.search(r'name="task_events" value="immediate"[^>]*checked', page)


def test_two_dispatchers_at_once_send_one_digest(ctx, addresses, make_document, monkeypatch):
    """The sweep's dispatch and the ten-minute one may run together: the day's
    mail is claimed before it is sent, so the one that loses the claim sends nothing."""
    import app.services.mail as mail
    from app.models import MailDigestLog, local_now

    send_task(make_document, content="Hạn hôm nay", deadline=today())
    dispatch_mail()
    addresses.messages.clear()
    deadline_sweep(today(), force=True)
    original = mail._claim

    def the_other_run_claims_first(channel, day, user_ids):
        db.session.add(MailDigestLog(user_id=user("stc_head").id, day=day, channel=channel, sent_at=local_now()))
        db.session.commit()
        return original(channel, day, user_ids)

    monkeypatch.setattr(mail, "_claim", the_other_run_claims_first)
    dispatch_mail(digest=True)
    assert mails_to(addresses, "stc_head") == []  # the other run mails it
    assert len(mails_to(addresses, "stc_staff")) == 1
    assert bell("stc_head", "due_today") == 1


def test_every_kind_of_notification_belongs_to_a_group_the_user_chooses_for(app):
    """A kind in no group would be mailed at once whatever the user chose (mail.OTHER_DEFAULT):
    the new chapters' kinds (inspections, intake, direction) each have their group."""
    from app.domain.mail_preferences import CATEGORY_OF, MailCategory
    from app.services.events import EVENT_TITLE
    from app.services.mail_preferences import CATEGORY_LABEL
    from app.services.notifications import KIND_TITLE

    with app.test_request_context():
        assert set(KIND_TITLE) | set(EVENT_TITLE) <= set(CATEGORY_OF)
        assert CATEGORY_OF["transfer_to_send"] == MailCategory.direction
        assert CATEGORY_OF["inspection_issued"] == MailCategory.inspections
        assert CATEGORY_OF["incoming_message"] == MailCategory.intake
        assert set(CATEGORY_LABEL) == set(MailCategory)
