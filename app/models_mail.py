"""Mail preferences (issue 9): per user and kind of notification, at once, in the
daily digest or not by mail (app/domain/mail_preferences.py). A user without a
row for a kind has its default; the bell is never affected."""
from __future__ import annotations

import datetime as dt

from flask_appbuilder import Model
from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.domain.mail_preferences import Delivery, MailCategory


def _values(enum) -> str:
    return ", ".join(f"'{member.value}'" for member in enum)


class MailPreference(Model):
    """One user's choice for one kind (MailCategory) of notification."""

    __tablename__ = "mail_preference"
    __table_args__ = (
        CheckConstraint(f"category IN ({_values(MailCategory)})", name="ck_mail_preference_category"),
        CheckConstraint(f"delivery IN ({_values(Delivery)})", name="ck_mail_preference_delivery"),
    )

    user_id: Mapped[int] = mapped_column(Integer, ForeignKey("ab_user.id", ondelete="CASCADE"), primary_key=True)
    category: Mapped[str] = mapped_column(String(32), primary_key=True)
    delivery: Mapped[str] = mapped_column(String(16), nullable=False)


class MailDigestLog(Model):
    """A grouped mail sent to a user on a day: the daily digest, or the day's
    reminder mail. Makes "one mail per user per day" hold however often the
    dispatch runs (a forced sweep, two schedulers)."""

    __tablename__ = "mail_digest_log"

    user_id: Mapped[int] = mapped_column(Integer, ForeignKey("ab_user.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    channel: Mapped[str] = mapped_column(String(16), primary_key=True)  # "digest" or "reminders"
    sent_at: Mapped[dt.datetime] = mapped_column(DateTime, nullable=False)
