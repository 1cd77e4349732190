"""Reading and saving a user's mail preferences (app/domain/mail_preferences.py).
Only choices that differ from the default are stored, so a default changed
later reaches everyone who never chose."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from app.access import Viewer
from app.domain.mail_preferences import DEFAULTS, Delivery, MailCategory, parse_delivery
from app.extensions import db
from app.models import MailPreference
from app.services.errors import Conflict, FieldErrors

CATEGORY_LABEL = {
    MailCategory.task_events: _l("Steps of a task (sent, received, returned, result submitted, confirmed, "
                                 "refused, transferred, withdrawn, contributions)"),
    MailCategory.extensions: _l("Extension requests and decisions"),
    MailCategory.deadline_reminders: _l("Deadline reminders (due soon, due today, overdue)"),
    MailCategory.delay_reports: _l("Delay reports and their handling"),
    MailCategory.urging_letters: _l("Urging letters"),
    MailCategory.periodic_reports: _l("Periodic reports (submitted, late)"),
    MailCategory.inspections: _l("Inspections (decisions, the Working Group's requests and invitations, "
                                 "agency reports, result reports)"),
    MailCategory.intake: _l("Incoming electronic documents (new, revoked or updated)"),
    MailCategory.direction: _l("Ad-hoc reports, difficulties, proposals, the Chairman's directions and the "
                               "Office's reminders on overdue tasks"),
}
DELIVERY_LABEL = {
    Delivery.immediate: _l("At once"),
    Delivery.digest: _l("In the daily digest"),
    Delivery.none: _l("Not by mail"),
}


def preferences_of(user_id: int) -> dict[MailCategory, Delivery]:
    chosen = dict(db.session.execute(select(MailPreference.category, MailPreference.delivery)
                                     .where(MailPreference.user_id == user_id)).all())
    return {category: parse_delivery(chosen.get(category.value)) or DEFAULTS[category]
            for category in MailCategory}


def save_preferences(viewer: Viewer, choices: dict[str, str | None]) -> dict[MailCategory, Delivery]:
    """Replace the viewer's choices with `choices` (category → delivery); a
    missing category keeps its current value. Nothing is written if one is wrong."""
    current = preferences_of(viewer.user_id)
    errors = FieldErrors()
    for name, value in choices.items():
        category = MailCategory.__members__.get(name)
        delivery = parse_delivery(value)
        if category is None:
            errors.add(name, _l("Unknown kind of notification: %(name)s.", name=str(name)[:40]))
        elif delivery is None:
            errors.add(name, _l("%(field)s: choose at once, in the daily digest or not by mail.",
                                field=CATEGORY_LABEL[category]))
        else:
            current[category] = delivery
    errors.raise_if_any()
    db.session.execute(delete(MailPreference).where(MailPreference.user_id == viewer.user_id))
    db.session.add_all(MailPreference(user_id=viewer.user_id, category=c.value, delivery=d.value)
                       for c, d in current.items() if d != DEFAULTS[c])
    try:
        db.session.commit()
    except IntegrityError:  # the same user saving twice at once: one wins, the other is told
        db.session.rollback()
        raise Conflict(_l("Your preferences were being saved at the same time elsewhere; "
                          "reload the page and check them."))
    return current
