"""Mail: SMTP in production (MAIL_*), .eml files in the outbox folder in
development, and the dispatch of unmailed notifications (one mail each, or
one daily digest for users who chose it)."""
from __future__ import annotations

import os
import smtplib
import uuid
from email.message import EmailMessage
from itertools import groupby

from flask import current_app
from flask_babel import force_locale, gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Notification, local_now
from app.services.notifications import title

BATCH = 2000


def send_mail(to: str, subject: str, body: str) -> None:
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_DEFAULT_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    if not config["MAIL_SERVER"]:
        os.makedirs(config["MAIL_OUTBOX"], exist_ok=True)
        name = f"{local_now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:8]}.eml"
        with open(os.path.join(config["MAIL_OUTBOX"], name), "wb") as out:
            out.write(bytes(message))
        return
    if to.endswith(".invalid"):  # placeholder addresses of accounts without e-mail
        return
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(message)


def _line(notification: Notification) -> str:
    link = f"{current_app.config['PUBLIC_URL'].rstrip('/')}{notification.link}" if notification.link else ""
    return f"- {title(notification)}: {notification.message}\n  {link}".rstrip()


def dispatch_mail() -> dict:
    """Mail every notification not mailed yet. Each user's mails are marked
    sent in the transaction that follows their sending, so a run that fails
    part-way resends at most one user's mail, and a second run sends nothing."""
    sent = users = 0
    with force_locale("vi"):
        while True:
            rows = db.session.scalars(
                select(Notification).where(Notification.mailed_at.is_(None))
                .order_by(Notification.user_id, Notification.id).limit(BATCH)
                .options(selectinload(Notification.user))).all()
            if not rows:
                break
            for user, group in groupby(rows, key=lambda n: n.user):
                group = list(group)
                if user.mail_digest and len(group) > 1:
                    send_mail(user.email, _("Task tracking: %(n)s notifications", n=len(group)),
                              "\n\n".join(_line(n) for n in group))
                else:
                    for notification in group:
                        send_mail(user.email, _("Task tracking: %(title)s", title=title(notification)),
                                  _line(notification))
                db.session.execute(update(Notification).where(Notification.id.in_([n.id for n in group]))
                                   .values(mailed_at=local_now()))
                db.session.commit()
                sent += 1 if user.mail_digest and len(group) > 1 else len(group)
                users += 1
    return {"mails": sent, "users": users}
