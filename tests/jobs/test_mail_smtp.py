"""Mail through a real SMTP server (aiosmtpd), read back decoded: the
Vietnamese subject keeps every space when folded, the body and the link
(from PUBLIC_URL) arrive intact."""
import datetime as dt
import email
from email import policy

import pytest
from aiosmtpd.controller import Controller

from app.extensions import db
from app.services import lifecycle
from app.services.calendar import today
from app.services.mail import dispatch_mail, send_mail
from tests.conftest import user, viewer


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, email.message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"


@pytest.fixture
def smtp(app):
    import socket

    with socket.socket() as probe:  # a free port
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    saved = {k: app.config[k] for k in ("MAIL_SERVER", "MAIL_PORT", "MAIL_USE_TLS", "PUBLIC_URL")}
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port,
                      MAIL_USE_TLS=False, PUBLIC_URL="https://nhiemvu.khanhhoa.gov.vn")
    yield inbox
    app.config.update(saved)
    controller.stop()


def test_a_long_vietnamese_subject_keeps_its_spaces(ctx, smtp):
    subject = ("Theo dõi nhiệm vụ: Nhiệm vụ sắp đến hạn của cơ quan Sở Tài chính tỉnh Khánh Hòa "
               "về việc báo cáo thu ngân sách nhà nước")
    send_mail("truong.stc@khanhhoa.gov.vn", subject, "Kính gửi Sở Tài chính,\nđề nghị báo cáo.")
    (to, message), = smtp.messages
    assert to == ["truong.stc@khanhhoa.gov.vn"]
    assert message["Subject"] == subject
    assert message.get_content().strip() == "Kính gửi Sở Tài chính,\nđề nghị báo cáo."


def test_an_event_mail_reaches_the_lead_agency_in_vietnamese_with_its_link(ctx, smtp, make_document):
    _, (task_id,) = make_document([{"lead": "STC", "content": "Báo cáo thu ngân sách quý IV",
                                    "deadline": today() + dt.timedelta(days=20)}], send=False, issued_on=today())
    for head in ("stc_head", "stc_staff"):
        user(head).email = f"{head}@khanhhoa.gov.vn"
    db.session.commit()
    dispatch_mail()  # what earlier tests left unmailed
    smtp.messages.clear()
    lifecycle.transition(task_id, "send", viewer=viewer("officer"))
    dispatch_mail()
    assert sorted(to for to, _ in smtp.messages) == [["stc_head@khanhhoa.gov.vn"], ["stc_staff@khanhhoa.gov.vn"]]
    mails = {tuple(to): m for to, m in smtp.messages}
    message = mails[("stc_head@khanhhoa.gov.vn",)]
    assert message["Subject"] == "Theo dõi nhiệm vụ: Nhiệm vụ mới được giao"
    body = message.get_content()
    assert "Báo cáo thu ngân sách quý IV" in body
    assert f"https://nhiemvu.khanhhoa.gov.vn/tasks/show/{task_id}" in body
    dispatch_mail()  # once
    assert len(smtp.messages) == 2
