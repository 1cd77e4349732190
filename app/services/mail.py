"""Mail: SMTP in production (MAIL_*), .eml files in the outbox folder in
development, and the dispatch of unmailed notifications: deadline reminders
in one mail per user per day listing the tasks; events one mail each (or one
digest for users who chose it). Subjects are encoded as self-contained
RFC 2047 words (email.header.Header), so folding never eats a space."""
from __future__ import annotations

import os
import smtplib
import uuid
from email.header import Header
from email.mime.text import MIMEText
from email.utils import formataddr, parseaddr
from itertools import groupby

from flask import current_app
from flask_babel import force_locale, gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.models import Notification, local_now
from app.services.notifications import title

BATCH = 2000


def send_mail(to: str, subject: str, body: str) -> None:
    config = current_app.config
    # The modern EmailMessage folder drops the space between two encoded words
    # ("sắp đến" read "sắpđến"); Header encodes each chunk with its spaces.
    message = MIMEText(body, "plain", "utf-8")
    name, address = parseaddr(config["MAIL_DEFAULT_SENDER"])
    message["From"] = formataddr((name, address), charset="utf-8") if name else address
    message["To"] = to
    message["Subject"] = Header(subject, "utf-8")
    if not config["MAIL_SERVER"]:
        os.makedirs(config["MAIL_OUTBOX"], exist_ok=True)
        name = f"{local_now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:8]}.eml"
        with open(os.path.join(config["MAIL_OUTBOX"], name), "wb") as out:
            out.write(message.as_bytes())
        return
    if to.endswith(".invalid"):  # placeholder addresses of accounts without e-mail
        return
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30) as smtp:
        if config["MAIL_USE_TLS"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.sendmail(address, [to], message.as_bytes())


def _line(notification: Notification) -> str:
    link = _url(notification.link) if notification.link else ""
    return f"- {title(notification)}: {notification.message}\n  {link}".rstrip()


REMINDER_KINDS = ("due_soon", "due_today", "overdue")
REMINDER_LINES = 50  # the mail lists this many tasks; the page lists them all


def _url(path: str) -> str:
    return f"{current_app.config['PUBLIC_URL'].rstrip('/')}{path}"


def dispatch_reminders() -> int:
    """One mail per user per day for all their deadline reminders (Art. 11),
    listing the tasks. Set-based: one GROUP BY, then per user one short read and
    one UPDATE, whatever the number of reminders."""
    from app.models import AppUser

    reminder = Notification.kind.in_(REMINDER_KINDS)
    pending = db.session.execute(
        select(Notification.user_id, func.count(), func.max(Notification.id), func.max(Notification.day))
        .where(Notification.mailed_at.is_(None), reminder).group_by(Notification.user_id)).all()
    sent = 0
    for user_id, n, last_id, day in pending:
        user = db.session.get(AppUser, user_id)
        already = db.session.scalar(select(Notification.id).where(
            Notification.user_id == user_id, reminder, Notification.day == day,
            Notification.mailed_at.is_not(None)).limit(1))
        if already is None and user is not None and user.email:
            rows = db.session.scalars(
                select(Notification).where(Notification.user_id == user_id, reminder,
                                           Notification.mailed_at.is_(None), Notification.id <= last_id)
                .order_by(Notification.kind.desc(), Notification.id).limit(REMINDER_LINES)).all()
            body = [_("Tasks that need your attention today: %(n)s.", n=n), ""]
            body += [_line(row) for row in rows]
            if n > len(rows):
                body += ["", _("… and %(n)s more tasks: %(url)s", n=n - len(rows), url=_url("/tasks/list/"))]
            send_mail(user.email, _("Task tracking: %(n)s tasks to follow up today", n=n), "\n".join(body))
            sent += 1
        # Bell rows stay; the mail is done for them (a second run that day sends nothing).
        db.session.execute(update(Notification).where(
            Notification.user_id == user_id, reminder, Notification.mailed_at.is_(None),
            Notification.id <= last_id).values(mailed_at=local_now()))
        db.session.commit()
    return sent


def dispatch_mail() -> dict:
    """Mail every notification not mailed yet. Each user's mails are marked
    sent in the transaction that follows their sending, so a run that fails
    part-way resends at most one user's mail, and a second run sends nothing."""
    sent = users = 0
    with force_locale("vi"):
        reminder_mails = dispatch_reminders()
        while True:
            rows = db.session.scalars(
                select(Notification).where(Notification.mailed_at.is_(None),
                                           Notification.kind.not_in(REMINDER_KINDS))
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
    return {"mails": sent + reminder_mails, "reminder_mails": reminder_mails, "users": users}
