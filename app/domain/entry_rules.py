"""What may enter the system (Art. 7, 8, 9) and by when the Office must enter it (Art. 6).

Refusals are exceptions carrying a `code` and the `article` they rest on; the web layer turns
them into the Vietnamese message (SPEC §4.1).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.domain.calendar import WorkingCalendar
from app.domain.vocabulary import Issuer, Secrecy, StrEnum, Urgency


class NotTrackable(Exception):
    """A document or task that the Quy chế keeps out of the system."""

    def __init__(self, code: str, article: str) -> None:
        super().__init__(f"{code} ({article})")
        self.code = code
        self.article = article


class MissingReceivedOn(ValueError):
    """A higher-authority document without the date the Province received it (Art. 6.3)."""

    code = "missing_received_on"
    article = "Art. 6.3"

    def __init__(self) -> None:
        super().__init__(f"{self.code} ({self.article})")


# Art. 7.1: "văn bản mật (bao gồm mật, tối mật, tuyệt mật)".
SECRET_LEVELS = frozenset({Secrecy.confidential, Secrecy.secret, Secrecy.top_secret})

# Art. 6.1.a: "văn bản khẩn, hỏa tốc"; thượng khẩn is a degree of khẩn (SPEC §4.2).
SAME_DAY_URGENCIES = frozenset({Urgency.urgent, Urgency.very_urgent, Urgency.flash})


def check_document_trackable(secrecy: Secrecy) -> None:
    """Art. 7.1, 8: tasks of a secret document are reported on paper; nothing of it is stored."""
    if secrecy in SECRET_LEVELS:
        raise NotTrackable("secret_document", "Art. 7.1, 8")


def check_task_trackable(deadline: date | None) -> None:
    """Art. 7.2, 9: a task without a specific deadline is reported in the periodic reports."""
    if deadline is None:
        raise NotTrackable("no_deadline", "Art. 7.2, 9")


def entry_due_date(
    calendar: WorkingCalendar,
    *,
    issuer: Issuer,
    urgency: Urgency,
    issued_on: date,
    received_on: date | None,
) -> date:
    """The last day on which the Office may enter (send) the document's tasks on time."""
    if issuer == Issuer.higher_authority:
        # Art. 6.3: sent to the lead agency "không quá 01 ngày làm việc kể từ ngày nhận được
        # văn bản", whatever the urgency. Art. 6.1.a's same-day rule counts from the day the
        # Committee or the Chairman *issues* (phát hành) a document; 6.3 is the rule written for
        # higher-authority documents and makes no exception for urgent ones (its answer to a
        # short remaining time is a report to the Chairman, not a shorter entry deadline). Being
        # stricter would mark as late entries the Quy chế holds on time (Art. 12 evaluation).
        if received_on is None:
            raise MissingReceivedOn()
        return calendar.add_working_days(received_on, 1)
    if urgency in SAME_DAY_URGENCIES:
        # Art. 6.1.a: "ngay trong ngày phát hành", even when that day is not a working day.
        return issued_on
    # Art. 6.1.b: "không quá 01 ngày làm việc kể từ ngày phát hành" (SPEC §3 counting).
    return calendar.add_working_days(issued_on, 1)


class EntryState(StrEnum):
    pending = "pending"  # not sent yet, still in time
    late_pending = "late_pending"  # not sent yet, and today is past the due date
    on_time = "on_time"  # sent on or before the due date
    late = "late"  # sent after the due date


@dataclass(frozen=True)
class EntryTimeliness:
    state: EntryState
    # Working days from the due date to the sending (or, unsent, to today): the working days in
    # (due, sent_on or today]. 0 when not late; None when late but no calendar was given.
    # A late entry can be 0 working days late (sent on the Saturday after a Friday due date).
    days_late: int | None = 0

    @property
    def is_late(self) -> bool:
        return self.state in (EntryState.late, EntryState.late_pending)


def entry_timeliness(
    due: date,
    sent_on: date | None,
    today: date,
    calendar: WorkingCalendar | None = None,
) -> EntryTimeliness:
    """Whether a task was, or still can be, entered on time (SPEC §4.2)."""
    if sent_on is not None:
        state = EntryState.on_time if sent_on <= due else EntryState.late
    else:
        state = EntryState.late_pending if today > due else EntryState.pending
    if state in (EntryState.on_time, EntryState.pending):
        return EntryTimeliness(state)
    if calendar is None:
        return EntryTimeliness(state, None)
    return EntryTimeliness(state, calendar.working_days_between(due, sent_on or today))
