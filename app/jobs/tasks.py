"""The job functions RQ runs. They take ids and dates (as ISO strings), never
ORM objects, re-read the state they act on, and are safe to run twice."""
from __future__ import annotations

import datetime as dt

from app.jobs.runner import job

MAIL_INTERVAL = 600  # seconds between two mail dispatches (app/jobs/cron.py)


@job("deadline_sweep")
def deadline_sweep(day: str | None = None, force: bool = False, scheduled: bool = False) -> dict:
    from app.jobs.abandoned import mark_abandoned
    from app.jobs.once import claim, day_slot
    from app.services.sweep import deadline_sweep as sweep

    from app.services.letters import render_stale

    if scheduled and not claim("deadline_sweep", day or day_slot()):
        return {"skipped": "already run today by another scheduler"}
    abandoned = mark_abandoned()

    result = sweep(dt.date.fromisoformat(day) if day else None, force=force)
    if not result.get("skipped"):
        # Catch up on what the queue missed while Redis was down: the database holds it.
        result["letters_rendered"] = render_stale()
        from app.services.letters import remove_orphan_files

        result["letter_files_removed"] = remove_orphan_files()
        # Inspections (Chương V): result reports due (Art. 17), one set-based insert per audience.
        from app.services.inspections import remind_report_deadlines

        result["inspection_reminders"] = remind_report_deadlines(dt.date.fromisoformat(day) if day else None)
        # Asking for direction (issue 13): ad-hoc answers past due are reminded every working day.
        from app.services.report_requests import remind_late

        result["report_requests_reminded"] = remind_late(dt.date.fromisoformat(day) if day else None)
        # …and the transfers the Chairman directed that the Office has not sent yet (Art. 5.2.b).
        from app.services.proposals import remind_transfers

        result["transfers_reminded"] = remind_transfers(dt.date.fromisoformat(day) if day else None)
        # …and the day's digest mail, now that it can list today's reminders.
        from app.services.mail import dispatch_mail as dispatch

        result["mail"] = dispatch(digest=True)
        from app.form_tokens import purge_expired

        result["form_tokens_forgotten"] = purge_expired()
    result["abandoned_runs"] = abandoned
    return result


@job("dispatch_mail")
def dispatch_mail(scheduled: bool = False) -> dict:
    from app.jobs.once import claim, interval_slot
    from app.services.mail import dispatch_mail as dispatch

    if scheduled and not claim("dispatch_mail", interval_slot(MAIL_INTERVAL)):
        return {"skipped": "already run in this slot by another scheduler"}

    return dispatch()


@job("render_letter")
def render_letter(letter_id: int) -> dict:
    from app.services.letters import render_files

    return render_files(letter_id)


@job("urge_overdue")
def urge_overdue(batch_key: str, agency_ids: list[int] | None, user_id: int) -> dict:
    from app.services.letters import draft_overdue_letters

    return draft_overdue_letters(batch_key, agency_ids, user_id)


@job("reports_cycle")
def reports_cycle(day: str | None = None, scheduled: bool = False) -> dict:
    """After each cut-off (the 14th): the Office's consolidated drafts; on the
    day after the agencies' deadline: remind the agencies whose report is late,
    and publish the evaluation of the period (Art. 12, 20)."""
    from app.domain.periods import periods_ending_on
    from app.services.calendar import current_calendar, today
    from app.services.evaluation import evaluate
    from app.services.reports import build_consolidated, remind_late

    from app.jobs.once import claim, day_slot

    if scheduled and not claim("reports_cycle", day or day_slot()):
        return {"skipped": "already run today by another scheduler"}
    day = dt.date.fromisoformat(day) if day else today()
    result = build_consolidated(day)
    calendar = current_calendar()
    reminded, evaluated = 0, []
    # Periods whose agency deadline passed yesterday: the cut-off was within the last 3 weeks.
    for back in range(0, 21):
        for period in periods_ending_on(day - dt.timedelta(days=back)):
            if period.agency_due(calendar) == day - dt.timedelta(days=1):
                reminded += remind_late(period)
            if period.office_due(calendar) == day - dt.timedelta(days=1):
                evaluate(period)
                evaluated.append(period.label)
    return {**result, "reminded": reminded, "evaluated": evaluated}
