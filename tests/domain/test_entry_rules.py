from datetime import date

import pytest

from app.domain.calendar import WorkingCalendar
from app.domain.entry_rules import (
    EntryState,
    EntryTimeliness,
    MissingReceivedOn,
    NotTrackable,
    check_document_trackable,
    check_task_trackable,
    entry_due_date,
    entry_timeliness,
)
from app.domain.vocabulary import Issuer, Secrecy, Urgency

calendar = WorkingCalendar()


# Art. 7.1, 8 -----------------------------------------------------------------------------


@pytest.mark.parametrize("secrecy", [Secrecy.confidential, Secrecy.secret, Secrecy.top_secret])
def test_a_secret_document_is_refused_citing_art_7_and_8(secrecy):
    with pytest.raises(NotTrackable) as refused:
        check_document_trackable(secrecy)
    assert refused.value.code == "secret_document"
    assert refused.value.article == "Art. 7.1, 8"


def test_a_document_that_is_not_secret_is_accepted():
    check_document_trackable(Secrecy.none)


# Art. 7.2, 9 -----------------------------------------------------------------------------


def test_a_task_without_deadline_is_refused_citing_art_7_2_and_9():
    with pytest.raises(NotTrackable) as refused:
        check_task_trackable(None)
    assert refused.value.code == "no_deadline"
    assert refused.value.article == "Art. 7.2, 9"


def test_a_task_with_a_deadline_is_accepted():
    check_task_trackable(date(2026, 6, 30))


# Art. 6 ----------------------------------------------------------------------------------


@pytest.mark.parametrize("issuer", [Issuer.committee, Issuer.chairman])
@pytest.mark.parametrize("urgency", [Urgency.urgent, Urgency.very_urgent, Urgency.flash])
def test_an_urgent_document_is_entered_the_day_it_is_issued(issuer, urgency):
    due = entry_due_date(
        calendar, issuer=issuer, urgency=urgency, issued_on=date(2026, 3, 6), received_on=None
    )
    assert due == date(2026, 3, 6)


def test_an_urgent_document_issued_on_a_day_off_is_still_due_that_day():
    due = entry_due_date(
        calendar,
        issuer=Issuer.chairman,
        urgency=Urgency.flash,
        issued_on=date(2026, 2, 17),
        received_on=None,
    )
    assert due == date(2026, 2, 17)


@pytest.mark.parametrize("issuer", [Issuer.committee, Issuer.chairman])
def test_a_normal_document_is_entered_within_one_working_day(issuer):
    due = entry_due_date(
        calendar,
        issuer=issuer,
        urgency=Urgency.normal,
        issued_on=date(2026, 3, 6),
        received_on=None,
    )
    assert due == date(2026, 3, 9)


def test_a_normal_document_issued_before_tet_is_due_after_the_break():
    due = entry_due_date(
        calendar,
        issuer=Issuer.committee,
        urgency=Urgency.normal,
        issued_on=date(2026, 2, 13),
        received_on=None,
    )
    assert due == date(2026, 2, 23)


@pytest.mark.parametrize("urgency", list(Urgency))
def test_a_higher_authority_document_is_sent_within_one_working_day_of_receipt(urgency):
    due = entry_due_date(
        calendar,
        issuer=Issuer.higher_authority,
        urgency=urgency,
        issued_on=date(2026, 4, 20),
        received_on=date(2026, 4, 29),
    )
    assert due == date(2026, 5, 4)  # after the 30/4-1/5 break


def test_a_higher_authority_document_needs_its_received_date():
    with pytest.raises(MissingReceivedOn) as refused:
        entry_due_date(
            calendar,
            issuer=Issuer.higher_authority,
            urgency=Urgency.normal,
            issued_on=date(2026, 3, 2),
            received_on=None,
        )
    assert isinstance(refused.value, ValueError)
    assert refused.value.code == "missing_received_on"
    assert refused.value.article == "Art. 6.3"


def test_the_received_date_of_a_provincial_document_is_ignored():
    due = entry_due_date(
        calendar,
        issuer=Issuer.committee,
        urgency=Urgency.normal,
        issued_on=date(2026, 3, 2),
        received_on=date(2026, 3, 20),
    )
    assert due == date(2026, 3, 3)


# Timeliness ------------------------------------------------------------------------------

due = date(2026, 3, 6)  # Friday


def test_an_unsent_entry_before_its_due_date_is_pending():
    assert entry_timeliness(due, None, today=date(2026, 3, 5)) == EntryTimeliness(
        EntryState.pending, 0
    )
    assert entry_timeliness(due, None, today=due).state == EntryState.pending


def test_an_unsent_entry_past_its_due_date_is_late_pending():
    timeliness = entry_timeliness(due, None, today=date(2026, 3, 10), calendar=calendar)
    assert timeliness == EntryTimeliness(EntryState.late_pending, 2)
    assert timeliness.is_late


def test_an_entry_sent_on_the_due_date_is_on_time():
    timeliness = entry_timeliness(due, due, today=date(2026, 3, 20), calendar=calendar)
    assert timeliness == EntryTimeliness(EntryState.on_time, 0)
    assert not timeliness.is_late


def test_an_entry_sent_after_its_due_date_is_late_by_working_days():
    timeliness = entry_timeliness(due, date(2026, 3, 9), today=date(2026, 3, 20), calendar=calendar)
    assert timeliness == EntryTimeliness(EntryState.late, 1)


def test_an_entry_sent_the_weekend_after_is_late_by_zero_working_days():
    timeliness = entry_timeliness(due, date(2026, 3, 7), today=date(2026, 3, 20), calendar=calendar)
    assert timeliness == EntryTimeliness(EntryState.late, 0)
    assert timeliness.is_late


def test_without_a_calendar_a_late_entry_has_no_day_count():
    assert entry_timeliness(due, date(2026, 3, 9), today=date(2026, 3, 20)) == EntryTimeliness(
        EntryState.late, None
    )
