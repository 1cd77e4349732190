"""Where a task stands against its deadline today, on the working calendar
(the rule is app.domain.deadlines; this feeds it the app's calendar)."""
from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from markupsafe import Markup, escape

from app.domain.deadlines import DeadlineState, deadline_state
from app.services.calendar import current_calendar, today


def task_deadline_state(task) -> DeadlineState:
    return deadline_state(current_calendar(), today(), task.deadline, task.status,
                          current_app.config["DUE_SOON_WORKING_DAYS"])


def deadline_text(task) -> str:
    """'3 working days left' / 'Overdue by 2 working days' / '' when closed."""
    state = task_deadline_state(task)
    if task.status in ("completed", "withdrawn"):
        return ""
    if state.overdue:
        return _("Overdue by %(n)s working days", n=state.working_days)
    return _("%(n)s working days left", n=state.working_days)


def deadline_badge(task) -> Markup:
    """The same as a coloured label: red overdue, orange due soon, blue otherwise."""
    text = deadline_text(task)
    if not text:
        return Markup("")
    state = task_deadline_state(task)
    colour = "danger" if state.overdue else "warning" if state.due_soon else "info"
    return Markup(f'<span class="label label-{colour}">{escape(text)}</span>')
