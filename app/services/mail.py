"""Mail: SMTP in production (MAIL_*), .eml files in the outbox folder in
development, and the dispatch of unmailed notifications as each user chose
per kind (app/domain/mail_preferences.py): at once (events one mail each;
deadline reminders one mail per user per day listing the tasks), in the daily
digest (one mail per user per day, after the morning sweep, listing them all),
or not by mail (the bell only). Subjects are encoded as self-contained
RFC 2047 words (email.header.Header), so folding never eats a space.

Set-based at province size: each pass reads what it mails in one query (window
functions rank each user's lines), and marks what it mailed with one UPDATE per
chunk of users; no query per user."""
from __future__ import annotations

import os
import smtplib
import uuid
from email.header import Header
from email.policy import compat32
from email.mime.text import MIMEText
from email.utils import formataddr, parseaddr
from itertools import groupby
from typing import NamedTuple

from flask import current_app
from flask_babel import force_locale, gettext as _
from sqlalchemy import and_, case, func, or_, select, update

from app.domain.mail_preferences import CATEGORY_OF, DEFAULTS, KINDS, OTHER_DEFAULT, Delivery, MailCategory
from app.extensions import db
from app.models import AppUser, MailDigestLog, MailPreference, Notification, local_now
from app.services.notifications import title

BATCH = 2000
SMTP_POLICY = compat32.clone(linesep="\r\n")  # the legacy folder (Header subjects), CRLF ends


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
        # CRLF line ends (RFC 5321): smtplib sends bytes as they are, and a server
        # reads bare LFs as one over-long line (or refuses them: Postfix's
        # smtpd_forbid_bare_newline) once a mail exceeds ~1,000 bytes.
        smtp.sendmail(address, [to], message.as_bytes(policy=SMTP_POLICY))


def _line(notification: Notification) -> str:
    link = _url(notification.link) if notification.link else ""
    return f"- {title(notification)}: {notification.message}\n  {link}".rstrip()


REMINDER_KINDS = KINDS[MailCategory.deadline_reminders]
REMINDER_LINES = 50  # the mail lists this many lines; the page lists them all
CHUNK = 100  # users (or mails) marked sent per transaction: a crash resends at most this many


def _url(path: str) -> str:
    return f"{current_app.config['PUBLIC_URL'].rstrip('/')}{path}"


def delivery_column():
    """SQL: the delivery of each notification row — its user's choice for the
    kind's group (mail_preference), else the group's default."""
    category = case({kind: c.value for kind, c in CATEGORY_OF.items()}, value=Notification.kind, else_=None)
    chosen = (select(MailPreference.delivery)
              .where(MailPreference.user_id == Notification.user_id, MailPreference.category == category)
              .scalar_subquery())
    default = case({kind: DEFAULTS[c].value for kind, c in CATEGORY_OF.items()}, value=Notification.kind,
                   else_=OTHER_DEFAULT.value)
    return func.coalesce(chosen, default)


def _mark_done(condition) -> int:
    return db.session.execute(update(Notification).where(Notification.mailed_at.is_(None), condition)
                              .values(mailed_at=local_now()).execution_options(synchronize_session=False)
                              ).rowcount or 0


def skip_unwanted() -> int:
    """Notifications whose user wants no mail for their kind, or who is no longer
    active: done, without a mail (the bell keeps them). One UPDATE."""
    inactive = select(AppUser.id).where(AppUser.active.is_not(True))
    done = _mark_done(or_(delivery_column() == Delivery.none.value, Notification.user_id.in_(inactive)))
    db.session.commit()
    return done


class MailLine(NamedTuple):
    """What a mail says of one notification (the fields _line and title read)."""

    kind: str
    message: str
    link: str | None


_LINE_ORDER = case({"overdue": 0, "due_today": 1, "due_soon": 2}, value=Notification.kind, else_=3)


def _grouped(channel: str, condition, day, compose) -> int:
    """One mail per user (at most one per user per `channel` and day) listing
    their unmailed notifications that match `condition`: one read for everyone,
    each user's first REMINDER_LINES lines ranked in SQL."""
    already = select(MailDigestLog.user_id).where(MailDigestLog.day == day, MailDigestLog.channel == channel)
    wanted = and_(Notification.mailed_at.is_(None), condition, Notification.user_id.not_in(already),
                  Notification.user_id.in_(select(AppUser.id).where(AppUser.active.is_(True))))
    ranked = select(
        Notification.id.label("id"), Notification.user_id.label("user_id"),
        func.row_number().over(partition_by=Notification.user_id,
                               order_by=(_LINE_ORDER, Notification.id)).label("rank"),
        func.count().over(partition_by=Notification.user_id).label("total"),
        func.max(Notification.id).over(partition_by=Notification.user_id).label("last_id"),
    ).where(wanted).subquery()
    # Plain rows, not ORM objects: the commits below would expire them (a query each).
    rows = db.session.execute(
        select(Notification.user_id, Notification.kind, Notification.message, Notification.link,
               ranked.c.total, ranked.c.last_id, AppUser.email)
        .join(ranked, ranked.c.id == Notification.id).join(AppUser, AppUser.id == Notification.user_id)
        .where(ranked.c.rank <= REMINDER_LINES).order_by(ranked.c.user_id, ranked.c.rank)).all()
    users = [(user_id, [(MailLine(r.kind, r.message, r.link), r.total, r.last_id, r.email) for r in group])
             for user_id, group in groupby(rows, key=lambda r: r.user_id)]
    sent = 0
    for start in range(0, len(users), CHUNK):
        chunk = users[start:start + CHUNK]
        # Claim the day's mail first (committed): two dispatchers running at once
        # (the sweep's and the ten-minute one) never both mail a user. A crash after
        # the claim leaves the notifications unmailed: tomorrow's mail lists them.
        claimed = _claim(channel, day, [user_id for user_id, _ in chunk])
        for user_id, group in chunk:
            total, address = group[0][1], group[0][3]
            if user_id in claimed and address:
                subject, text = compose([r[0] for r in group], total)
                send_mail(address, subject, text)
                sent += 1
        # Bell rows stay; the mail is done for them (a second run that day sends nothing).
        done = [(user_id, group[0][2]) for user_id, group in chunk if user_id in claimed]
        if done:
            _mark_done(and_(condition, or_(*(and_(Notification.user_id == u, Notification.id <= last)
                                              for u, last in done))))
        db.session.commit()
    return sent


def _claim(channel: str, day, user_ids: list[int]) -> set[int]:
    """Insert the (user, day, channel) rows of these users; those inserted now are ours."""
    from sqlalchemy.dialects import postgresql, sqlite

    insert = postgresql.insert if db.engine.dialect.name == "postgresql" else sqlite.insert
    now = local_now()
    stmt = (insert(MailDigestLog)
            .values([dict(user_id=u, day=day, channel=channel, sent_at=now) for u in user_ids])
            .on_conflict_do_nothing(index_elements=["user_id", "day", "channel"])
            .returning(MailDigestLog.user_id))
    claimed = set(db.session.scalars(stmt))
    db.session.commit()
    return claimed


def _reminder_mail(rows, n):
    body = [_("Tasks that need your attention today: %(n)s.", n=n), ""]
    body += [_line(row) for row in rows]
    if n > len(rows):
        body += ["", _("… and %(n)s more tasks: %(url)s", n=n - len(rows), url=_url("/tasks/list/"))]
    return _("Task tracking: %(n)s tasks to follow up today", n=n), "\n".join(body)


def _digest_mail(rows, n):
    body = [_("Your daily digest: %(n)s notifications.", n=n), ""]
    body += [_line(row) for row in rows]
    if n > len(rows):
        body += ["", _("… and %(n)s more notifications: %(url)s", n=n - len(rows), url=_url("/notifications/"))]
    body += ["", _("Choose how each kind of notification reaches you: %(url)s", url=_url("/mail-preferences/"))]
    return _("Task tracking: daily digest, %(n)s notifications", n=n), "\n".join(body)


def dispatch_reminders(day=None) -> int:
    """Deadline reminders of users who want them at once: one mail per user per
    day listing the tasks (Art. 11)."""
    from app.services.calendar import today

    return _grouped("reminders", and_(Notification.kind.in_(REMINDER_KINDS),
                                      delivery_column() == Delivery.immediate.value), day or today(), _reminder_mail)


def dispatch_digest(day=None) -> int:
    """The daily digest: one mail per user per day listing every notification
    they chose to receive that way (the deadline reminders by default). Sent
    after the morning sweep (app/jobs/tasks.py), so it lists that day's reminders."""
    from app.services.calendar import today

    with force_locale("vi"):
        skip_unwanted()
        return _grouped("digest", delivery_column() == Delivery.digest.value, day or today(), _digest_mail)


def dispatch_mail(digest: bool = False) -> dict:
    """Mail every notification not mailed yet that its user wants at once (and,
    with `digest`, the daily digest). Mails are marked sent in the transaction
    that follows each chunk of them, so a run that fails part-way resends at most
    one chunk, and a second run sends nothing."""
    sent = users = 0
    with force_locale("vi"):
        skipped = skip_unwanted()
        reminder_mails = dispatch_reminders()
        immediate = and_(Notification.mailed_at.is_(None), Notification.kind.not_in(REMINDER_KINDS),
                         delivery_column() == Delivery.immediate.value)
        while True:
            # Plain rows (a commit every CHUNK mails would expire ORM objects: a query each).
            rows = db.session.execute(
                select(Notification.id, Notification.user_id, Notification.kind, Notification.message,
                       Notification.link, AppUser.email)
                .join(AppUser, AppUser.id == Notification.user_id).where(immediate)
                .order_by(Notification.user_id, Notification.id).limit(BATCH)).all()
            if not rows:
                break
            done = []
            for _user_id, group in groupby(rows, key=lambda r: r.user_id):
                for row in group:
                    line = MailLine(row.kind, row.message, row.link)
                    send_mail(row.email, _("Task tracking: %(title)s", title=title(line)), _line(line))
                    done.append(row.id)
                    sent += 1
                    if len(done) >= CHUNK:
                        _mark_done(Notification.id.in_(done))
                        db.session.commit()
                        done = []
                users += 1
            _mark_done(Notification.id.in_(done))
            db.session.commit()
        digests = dispatch_digest() if digest else 0
    return {"mails": sent + reminder_mails + digests, "reminder_mails": reminder_mails, "digests": digests,
            "users": users, "not_mailed": skipped}
