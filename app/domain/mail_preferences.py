"""How each kind of notification reaches a user by mail (issue 9: "each user
chooses per kind: at once, in the daily digest, or not by mail; the bell
always"). Pure: the kinds, their groups as the settings page shows them, and
the defaults — events at once, deadline reminders in the daily digest.

Art. 10–11 (the Office informs and reminds the agencies) and Art. 18 (delay
reports, urging) say *that* people are told, not by which channel; the in-app
notification is always made, the mail is each user's choice."""
from __future__ import annotations

from app.domain.vocabulary import StrEnum


class Delivery(StrEnum):
    immediate = "immediate"  # one mail per notification, within minutes
    digest = "digest"  # one mail a day (after the morning sweep) listing them all
    none = "none"  # no mail; the bell still shows it


class MailCategory(StrEnum):
    """The kinds a user chooses for, each a group of notification kinds."""

    task_events = "task_events"
    extensions = "extensions"
    deadline_reminders = "deadline_reminders"
    delay_reports = "delay_reports"
    urging_letters = "urging_letters"
    periodic_reports = "periodic_reports"
    # The three newest chapters (README "Who is told of what"): each its own group, so a user
    # who wants no mail of inspections (say) can still have the task's steps at once.
    inspections = "inspections"
    intake = "intake"
    direction = "direction"


KINDS: dict[MailCategory, tuple[str, ...]] = {
    # Art. 5, 10: the task's steps.
    MailCategory.task_events: ("task_sent", "task_received", "task_returned", "task_reported", "task_confirmed",
                               "task_refused", "task_transferred", "task_withdrawn", "contribution",
                               "task_reassigned", "coordination_added", "coordination_removed"),
    # Art. 5.2.đ
    MailCategory.extensions: ("extension_asked", "extension_decided"),
    # Art. 11: the daily sweep's reminders.
    MailCategory.deadline_reminders: ("due_soon", "due_today", "overdue"),
    # Art. 18.5, 19.3
    MailCategory.delay_reports: ("delay_report", "delay_report_copy", "escalation"),
    MailCategory.urging_letters: ("urging_letter",),
    # Art. 19–20
    MailCategory.periodic_reports: ("report_submitted", "report_late"),
    # Chương V (Art. 13–17): decisions, the group's requests and invitations, result reports.
    MailCategory.inspections: ("inspection_to_issue", "inspection_sent_back", "inspection_issued",
                               "inspection_request", "inspection_invitation",
                               "inspection_plan", "inspection_agency_report", "inspection_reported",
                               "inspection_report_due", "inspection_plan_to_approve", "inspection_plan_decided"),
    # Art. 6: documents coming in by edXML, later messages, unknown senders' codes.
    MailCategory.intake: ("incoming", "incoming_message"),
    # Art. 5.3.d, 10.1, 18.3–18.4, 19.1–19.2: ad-hoc reports, difficulties, proposals, directions.
    MailCategory.direction: ("report_request", "report_request_late", "report_answer", "difficulty",
                             "disagreement", "issue_answered", "proposal_submitted", "direction",
                             "transfer_to_send", "short_time", "ladder_reminder"),
}
CATEGORY_OF: dict[str, MailCategory] = {kind: category for category, kinds in KINDS.items() for kind in kinds}

DEFAULTS: dict[MailCategory, Delivery] = {category: Delivery.immediate for category in MailCategory}
DEFAULTS[MailCategory.deadline_reminders] = Delivery.digest

# A kind no group names yet (a new producer) is mailed at once, as events are.
OTHER_DEFAULT = Delivery.immediate


def category_of(kind: str) -> MailCategory | None:
    return CATEGORY_OF.get(kind)


def delivery_for(kind: str, chosen: dict[str, str] | None = None) -> Delivery:
    """The delivery of one notification kind, given a user's choices (category → delivery)."""
    category = category_of(kind)
    if category is None:
        return OTHER_DEFAULT
    value = (chosen or {}).get(category.value)
    return Delivery(value) if value in Delivery.__members__ else DEFAULTS[category]


def parse_delivery(value: str | None) -> Delivery | None:
    return Delivery(value) if value in Delivery.__members__ else None
