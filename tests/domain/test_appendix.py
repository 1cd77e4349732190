"""The Phụ lục I counts (SPEC §5) over plain task facts."""
import random
from dataclasses import replace
from datetime import date, timedelta

import pytest

from app.domain.appendix import (
    FIELDS,
    AppendixCounts,
    Standing,
    TaskFacts,
    appendix_counts,
    check_counts,
    completion_of,
    deadline_in_force,
    extended_by,
    state_at,
)
from app.domain.lifecycle import Completion
from app.domain.periods import Period, PeriodKind, periods_ending_on, previous


def d(day: int, month: int, year: int = 2026) -> date:
    return date(year, month, day)


def task(task_id=1, issued=d(1, 3), source="work_program", deadline=d(31, 3), extensions=(),
         completed=None, withdrawn=False) -> TaskFacts:
    return TaskFacts(task_id=task_id, issued_on=issued, source=source, original_deadline=deadline,
                     extensions=tuple(extensions), completed_on=completed, withdrawn=withdrawn)


# -- one task ----------------------------------------------------------------------------------


def test_the_deadline_in_force_is_the_latest_approved_extension_on_the_day():
    # approved on 20/03 to 30/04, then on 25/04 to 31/05; listed out of order
    facts = task(deadline=d(31, 3), extensions=[(d(25, 4), d(31, 5)), (d(20, 3), d(30, 4))])
    assert deadline_in_force(facts, d(19, 3)) == d(31, 3) and not extended_by(facts, d(19, 3))
    assert deadline_in_force(facts, d(20, 3)) == d(30, 4) and extended_by(facts, d(20, 3))
    assert deadline_in_force(facts, d(24, 4)) == d(30, 4)
    assert deadline_in_force(facts, d(25, 4)) == d(31, 5)


def test_two_extensions_approved_the_same_day_leave_the_later_date_in_force():
    facts = task(extensions=[(d(20, 3), d(30, 5)), (d(20, 3), d(30, 4))])
    assert deadline_in_force(facts, d(20, 3)) == d(30, 5)


def test_a_task_not_done_by_the_end_of_its_deadline_day_is_overdue_at_that_end():
    facts = task(deadline=d(31, 3))
    assert state_at(facts, d(30, 3)) is Standing.in_time
    assert state_at(facts, d(31, 3)) is Standing.overdue
    assert state_at(facts, d(1, 4)) is Standing.overdue


def test_an_extended_task_is_extended_until_the_new_deadline_passes():
    facts = task(deadline=d(31, 3), extensions=[(d(30, 3), d(15, 4))])
    assert state_at(facts, d(29, 3)) is Standing.in_time
    assert state_at(facts, d(30, 3)) is Standing.extended
    assert state_at(facts, d(14, 4)) is Standing.extended
    assert state_at(facts, d(15, 4)) is Standing.overdue


def test_a_late_extension_takes_an_overdue_task_back_within_its_deadline():
    # Art. 5.2.đ: a request after the deadline is allowed; approved on 10/04
    facts = task(deadline=d(31, 3), extensions=[(d(10, 4), d(30, 4))])
    assert state_at(facts, d(9, 4)) is Standing.overdue
    assert state_at(facts, d(10, 4)) is Standing.extended


def test_a_task_is_completed_from_the_day_its_result_was_submitted():
    facts = task(deadline=d(31, 3), completed=d(5, 4))
    assert state_at(facts, d(4, 4)) is Standing.overdue
    assert state_at(facts, d(5, 4)) is Standing.completed


def test_completion_is_on_time_up_to_the_deadline_in_force_that_day():
    assert completion_of(task(deadline=d(31, 3), completed=d(31, 3))) is Completion.on_time
    assert completion_of(task(deadline=d(31, 3), completed=d(1, 4))) is Completion.late
    extended = [(d(1, 4), d(15, 4))]
    assert completion_of(task(deadline=d(31, 3), extensions=extended, completed=d(15, 4))) == "on_time"
    assert completion_of(task(deadline=d(31, 3), extensions=extended, completed=d(16, 4))) == "late"
    assert completion_of(task()) is None


def test_an_extension_approved_after_the_result_does_not_make_it_on_time():
    facts = task(deadline=d(31, 3), completed=d(2, 4), extensions=[(d(5, 4), d(10, 4))])
    assert completion_of(facts) is Completion.late


def test_an_unknown_source_is_refused():
    with pytest.raises(ValueError, match="task 7: unknown source 'rumour'"):
        task(task_id=7, source="rumour")


def test_facts_accept_extensions_as_lists_and_stay_hashable():
    facts = task(extensions=[[d(1, 3), d(30, 4)]])
    assert facts.extensions == ((d(1, 3), d(30, 4)),)
    assert hash(facts) == hash(task(extensions=[(d(1, 3), d(30, 4))]))


# -- the form: one period with every kind of task ----------------------------------------------

APRIL = Period(PeriodKind.monthly, 2026, 4)  # Art. 20.1: 15/03/2026 – 14/04/2026
S, E = APRIL.start, APRIL.end  # S − 1 = 14/03 fixes the carried-over states

SCENARIO = [
    # New in the period (issued 15/03 – 14/04)
    # 1. work programme, due 30/04, open: open in time
    task(1, d(20, 3), "work_program", d(30, 4)),
    # 2. meeting conclusion, due 10/04, done 08/04: completed on time
    task(2, d(25, 3), "meeting_conclusion", d(10, 4), completed=d(8, 4)),
    # 3. ad hoc, due 05/04, open: open overdue
    task(3, d(1, 4), "ad_hoc", d(5, 4)),
    # 4. ad hoc, due 10/04, done 13/04: completed late
    task(4, d(2, 4), "ad_hoc", d(10, 4), completed=d(13, 4)),
    # 5. work programme issued on S, due on E itself, open: at the end of E it is overdue
    task(5, d(15, 3), "work_program", d(14, 4)),
    # 6. meeting conclusion, due 10/04, extended on 09/04 to 30/04, open: open extended
    task(6, d(1, 4), "meeting_conclusion", d(10, 4), [(d(9, 4), d(30, 4))]),
    # 7. ad hoc, due 31/03, extended on 30/03 to 14/04, done on E (14/04): completed on time
    task(7, d(16, 3), "ad_hoc", d(31, 3), [(d(30, 3), d(14, 4))], completed=d(14, 4)),
    # Carried over (issued before 15/03, not completed before it)
    # 8. due 31/03, in time at 14/03, done 30/03: carried in time, completed on time
    task(8, d(1, 3), deadline=d(31, 3), completed=d(30, 3)),
    # 9. due 14/03 = S − 1: overdue at the end of 14/03 (carried overdue); open and overdue at E
    task(9, d(10, 3), deadline=d(14, 3)),
    # 10. due 30/04, done 20/04 (after E): carried in time, open in time at E
    task(10, d(1, 3), deadline=d(30, 4), completed=d(20, 4)),
    # 11. due 28/02, extended on 20/02 to 31/03, done 31/03: carried extended, on time
    task(11, d(1, 2), deadline=d(28, 2), extensions=[(d(20, 2), d(31, 3))], completed=d(31, 3)),
    # 12. due 20/02, extended on 18/02 to 31/03, open: carried extended, open overdue
    task(12, d(1, 2), deadline=d(20, 2), extensions=[(d(18, 2), d(31, 3))]),
    # 13. due 10/03, done on S (15/03): carried overdue, completed late
    task(13, d(1, 2), deadline=d(10, 3), completed=d(15, 3)),
    # 14. due 01/03, a late extension approved 20/03 to 30/04, open: carried overdue, open extended
    task(14, d(1, 2), deadline=d(1, 3), extensions=[(d(20, 3), d(30, 4))]),
    # 15. due 31/01, open: carried overdue, open overdue
    task(15, d(5, 1), deadline=d(31, 1)),
    # Not counted
    # 16. done on 14/03, the day before the period: neither new nor carried over
    task(16, d(1, 2), deadline=d(28, 2), completed=d(14, 3)),
    # 17. issued 15/04, after the period
    task(17, d(15, 4), "ad_hoc", d(30, 4)),
    # 18. withdrawn
    task(18, d(20, 3), "work_program", d(30, 3), withdrawn=True),
    # 19. withdrawn, and would have been carried over overdue
    task(19, d(1, 2), deadline=d(1, 3), withdrawn=True),
]


def test_the_counts_of_a_period_with_every_kind_of_task():
    counts = appendix_counts(SCENARIO, S, E)
    assert counts == AppendixCounts(
        new_work_program=2,  # 1, 5
        new_meeting_conclusion=2,  # 2, 6
        new_ad_hoc=3,  # 3, 4, 7
        carried_in_time=2,  # 8, 10
        carried_extended=2,  # 11, 12
        carried_overdue=4,  # 9, 13, 14, 15
        total=15,  # 7 new + 8 carried; 16–19 left out
        completed_on_time=4,  # 2, 7, 8, 11
        completed_late=2,  # 4, 13 (13 was carried over overdue)
        open_extended=2,  # 6, 14
        open_in_time=2,  # 1, 10
        open_overdue=5,  # 3, 5, 9, 12, 15
    )
    assert (counts.new_total, counts.carried_total) == (7, 8)
    assert (counts.completed_total, counts.open_total) == (6, 9)
    assert counts.total == counts.completed_total + counts.open_total


def test_what_a_period_leaves_open_the_next_one_carries_over():
    may = Period(PeriodKind.monthly, 2026, 5)
    april, next_month = appendix_counts(SCENARIO, S, E), appendix_counts(SCENARIO, may.start, may.end)
    assert (next_month.carried_in_time, next_month.carried_extended, next_month.carried_overdue) == (
        april.open_in_time, april.open_extended, april.open_overdue) == (2, 2, 5)
    assert next_month.new_ad_hoc == 1  # 17


def test_the_counts_are_given_for_the_json_api_as_the_twelve_figures():
    counts = appendix_counts(SCENARIO, S, E).as_dict()
    assert tuple(counts) == FIELDS == (
        "new_work_program", "new_meeting_conclusion", "new_ad_hoc", "carried_in_time",
        "carried_extended", "carried_overdue", "total", "completed_on_time", "completed_late",
        "open_extended", "open_in_time", "open_overdue")
    assert counts["total"] == 15 and all(isinstance(v, int) for v in counts.values())


def test_no_tasks_count_zero():
    assert appendix_counts([], S, E) == AppendixCounts()
    assert appendix_counts(iter(SCENARIO[15:]), S, E).total == 0


def test_a_one_day_period_counts_too():
    counts = appendix_counts(SCENARIO, E, E)
    assert counts.new_total == 0  # nothing was issued on 14/04
    assert counts.total == counts.completed_total + counts.open_total


def test_a_period_that_ends_before_it_starts_is_refused():
    with pytest.raises(ValueError, match="starts after it ends"):
        appendix_counts(SCENARIO, E, S)


def test_a_result_dated_before_its_document_counts_as_completed_when_issued():
    # Impossible data (a mistyped issue date): without a rule, the task would be new in the
    # period but neither completed in it nor open at its end, and the form would not add up.
    facts = task(1, issued=d(20, 3), deadline=d(31, 3), completed=d(10, 3))
    counts = appendix_counts([facts], S, E)
    assert (counts.new_work_program, counts.completed_on_time, counts.open_total) == (1, 1, 0)
    assert state_at(facts, d(19, 3)) is Standing.in_time
    assert state_at(facts, d(20, 3)) is Standing.completed
    # ... and in the month before, when the document did not exist yet, it is nowhere.
    march = previous(APRIL)
    assert appendix_counts([facts], march.start, march.end).total == 0


def test_counts_that_do_not_add_up_are_an_error_with_details():
    with pytest.raises(AssertionError, match="do not add up: total 3, new 2 \\+ carried 1, "
                                             "completed 1 \\+ open 1"):
        check_counts(AppendixCounts(new_ad_hoc=2, carried_overdue=1, total=3, completed_late=1,
                              open_overdue=1), S, E)


# -- every period, random tasks ----------------------------------------------------------------


def random_facts(rng: random.Random, task_id: int) -> TaskFacts:
    issued = d(1, 6, 2025) + timedelta(days=rng.randint(0, 940))
    deadline = issued + timedelta(days=rng.randint(0, 120))
    extensions, in_force = [], deadline
    for _ in range(rng.choice((0, 0, 0, 1, 1, 2, 3))):
        approved = issued + timedelta(days=rng.randint(0, 200))
        in_force = in_force + timedelta(days=rng.randint(1, 60))
        extensions.append((approved, in_force))
    rng.shuffle(extensions)
    completed = None
    if rng.random() < 0.7:  # a few results dated before the document, to exercise that rule
        completed = issued + timedelta(days=rng.randint(-5, 250))
    return TaskFacts(task_id=task_id, issued_on=issued, source=rng.choice(("work_program",
                     "meeting_conclusion", "ad_hoc")), original_deadline=deadline,
                     extensions=tuple(extensions), completed_on=completed,
                     withdrawn=rng.random() < 0.05)


RNG = random.Random(20260320)
RANDOM_FACTS = [random_facts(RNG, i) for i in range(3000)]


def random_periods(rng: random.Random, n: int) -> list[Period]:
    cut_offs = [d(14, m, y) for y in (2025, 2026, 2027, 2028) for m in range(1, 13)]
    return [rng.choice(periods_ending_on(rng.choice(cut_offs))) for _ in range(n)]


def assert_sound(counts: AppendixCounts) -> None:
    assert all(value >= 0 for value in counts.as_dict().values())
    assert counts.total == counts.new_total + counts.carried_total
    assert counts.total == counts.completed_total + counts.open_total


@pytest.mark.parametrize("period", random_periods(random.Random(14), 40), ids=str)
def test_random_tasks_in_any_period_always_add_up(period):
    counts = appendix_counts(RANDOM_FACTS, period.start, period.end)
    assert_sound(counts)
    counted = [f for f in RANDOM_FACTS if not f.withdrawn and f.issued_on <= period.end and (
        f.issued_on >= period.start or f.completed_on is None or f.completed_on >= period.start)]
    assert counts.total == len(counted)


def test_random_tasks_in_random_windows_always_add_up():
    rng = random.Random(15)
    for _ in range(30):
        start = d(1, 1, 2025) + timedelta(days=rng.randint(0, 1200))
        assert_sound(appendix_counts(RANDOM_FACTS, start, start + timedelta(days=rng.randint(0, 400))))


def test_month_after_month_what_is_left_open_is_carried_over():
    month = Period(PeriodKind.monthly, 2028, 3)
    later = appendix_counts(RANDOM_FACTS, month.start, month.end)
    for _ in range(36):
        month = previous(month)
        earlier = appendix_counts(RANDOM_FACTS, month.start, month.end)
        assert (earlier.open_in_time, earlier.open_extended, earlier.open_overdue) == (
            later.carried_in_time, later.carried_extended, later.carried_overdue)
        later = earlier


def test_withdrawing_a_task_removes_it_from_every_figure():
    kept = appendix_counts(RANDOM_FACTS, S, E)
    withdrawn = [replace(f, withdrawn=True) if f.task_id % 2 else f for f in RANDOM_FACTS]
    halved = appendix_counts(withdrawn, S, E)
    assert all(halved.as_dict()[name] <= kept.as_dict()[name] for name in FIELDS)
    assert_sound(halved)
