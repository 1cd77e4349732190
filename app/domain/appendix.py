"""The counts of Phụ lục I (the periodic report form), as SPEC §5 defines them.

For a period [S, E], ignoring withdrawn tasks:
- new in period: the document was issued in [S, E], split by source (Phụ lục I, I.);
- carried over: issued before S and not completed before S, split by the state at the end of
  S − 1: within the deadline / extended (and within the extended deadline) / overdue;
- total = new + carried over;
- completed in period: among those, completed in [S, E], on time or late (Phụ lục I, II.);
- open at E: the rest, by the state at the end of E: extended / within the deadline / overdue;
- total = completed in period + open at E.

Each task of the total is either completed in [S, E] or not completed by E — provided it was
not completed before S. A carried-over task is not, by definition; a new one could only be if
its result were dated before its own document, which is impossible. If the data say so anyway
(a mistyped issue date), the task counts as completed on the day its document was issued
(`_completed_on`), so one typo cannot break a report: the invariant then always holds, and
`appendix_counts` still asserts it.

The functions take plain facts about a task; app.services builds them from the database.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields
from datetime import date, timedelta

from app.domain.lifecycle import Completion
from app.domain.vocabulary import Source, StrEnum


class Standing(StrEnum):
    """Where a task stands at the end of a day (SPEC §4.5, §5)."""

    completed = "completed"
    overdue = "overdue"  # not completed, and the deadline in force has passed
    extended = "extended"  # not completed, within a deadline the Chairman extended (Art. 5.2.đ)
    in_time = "in_time"  # not completed, within the original deadline


@dataclass(frozen=True)
class TaskFacts:
    """What the counts need to know about one task.

    `issued_on` is the assigning document's; `extensions` are the approved ones only, each
    (approved_on, new_deadline), in any order; `completed_on` is the submission date of the
    result the Office confirmed (SPEC §4.5), None while the task is not completed.
    """

    task_id: int
    issued_on: date
    source: str
    original_deadline: date
    extensions: tuple[tuple[date, date], ...] = ()
    completed_on: date | None = None
    withdrawn: bool = False

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "source", Source(self.source))
        except ValueError:
            choices = ", ".join(s.value for s in Source)
            raise ValueError(f"task {self.task_id}: unknown source {self.source!r}; "
                             f"expected one of {choices}") from None
        object.__setattr__(self, "extensions", tuple(tuple(e) for e in self.extensions))


# -- one task ----------------------------------------------------------------------------------


def _extensions_approved_by(facts: TaskFacts, day: date) -> list[tuple[date, date]]:
    return sorted(e for e in facts.extensions if e[0] <= day)


def deadline_in_force(facts: TaskFacts, day: date) -> date:
    """The deadline on that day: the one the latest extension approved on or before it set
    (Art. 5.2.đ; two approved the same day: the later date), else the original deadline."""
    approved = _extensions_approved_by(facts, day)
    return approved[-1][1] if approved else facts.original_deadline


def extended_by(facts: TaskFacts, day: date) -> bool:
    """Whether an extension had been approved on or before that day."""
    return bool(_extensions_approved_by(facts, day))


def _completed_on(facts: TaskFacts) -> date | None:
    """The completion date, never before the document's issue date (see the module's note)."""
    if facts.completed_on is None:
        return None
    return max(facts.completed_on, facts.issued_on)


def state_at(facts: TaskFacts, day: date) -> Standing:
    """The task's standing at the END of `day` (a report's snapshot). SPEC §4.5: a task not
    completed is overdue once its deadline has passed, at the end of the deadline day — so at
    the end of its deadline day an uncompleted task is already overdue, and the next period
    receives it as overdue. (During the deadline day itself the live task page still shows
    it in time: app.domain.deadlines.)"""
    completed_on = _completed_on(facts)
    if completed_on is not None and completed_on <= day:
        return Standing.completed
    if day >= deadline_in_force(facts, day):
        return Standing.overdue
    if extended_by(facts, day):
        return Standing.extended
    return Standing.in_time


def state_during(facts: TaskFacts, day: date) -> Standing:
    """The task's standing DURING `day`, as its own page shows it that day: completed if the
    confirmed result was submitted by then; overdue only once the deadline in force is
    behind (a task due today still has today); else extended or in time. A report read
    before its cut-off has no end-of-period snapshot yet: it shows this, as of today."""
    completed_on = _completed_on(facts)
    if completed_on is not None and completed_on <= day:
        return Standing.completed
    if day > deadline_in_force(facts, day):
        return Standing.overdue
    if extended_by(facts, day):
        return Standing.extended
    return Standing.in_time


def provisional_day(end: date, today: date) -> date | None:
    """The day a report of a period ending on `end` is read as of: None once the period is
    over (the snapshot at the end of `end`, Art. 20.1); else today, and the figures are
    provisional ("Số liệu tạm tính đến ngày …")."""
    return today if today <= end else None


def open_state(facts: TaskFacts, end: date, as_of: date | None = None) -> Standing:
    """Where a task not completed stands for a report: at the end of the period, or, for a
    provisional report (`as_of`, before the cut-off), during `as_of`."""
    return state_at(facts, end) if as_of is None else state_during(facts, as_of)


def completion_of(facts: TaskFacts) -> Completion | None:
    """On time if the result was submitted on or before the deadline in force that day
    (SPEC §4.5), else late; None while not completed."""
    completed_on = _completed_on(facts)
    if completed_on is None:
        return None
    if completed_on <= deadline_in_force(facts, completed_on):
        return Completion.on_time
    return Completion.late


# -- the form ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AppendixCounts:
    """The figures of Phụ lục I, sections I and II, in the form's order."""

    # I. Tasks assigned in the period, by source
    new_work_program: int = 0  # theo Chương trình công tác
    new_meeting_conclusion: int = 0  # tại Thông báo kết luận cuộc họp UBND tỉnh thường kỳ
    new_ad_hoc: int = 0  # đột xuất tại các văn bản chỉ đạo, điều hành khác
    # ... and carried over from the previous period, by their state when it closed
    carried_in_time: int = 0  # còn trong hạn
    carried_extended: int = 0  # được gia hạn
    carried_overdue: int = 0  # quá hạn chưa hoàn thành
    total: int = 0
    # II. Completed in the period
    completed_on_time: int = 0  # đúng hạn, sớm hạn
    completed_late: int = 0  # quá hạn (including overdue tasks carried over)
    # ... and not completed at the end of it
    open_extended: int = 0  # được gia hạn chuyển sang kỳ sau
    open_in_time: int = 0  # còn trong thời hạn
    open_overdue: int = 0  # quá hạn

    @property
    def new_total(self) -> int:
        return self.new_work_program + self.new_meeting_conclusion + self.new_ad_hoc

    @property
    def carried_total(self) -> int:
        return self.carried_in_time + self.carried_extended + self.carried_overdue

    @property
    def completed_total(self) -> int:
        return self.completed_on_time + self.completed_late

    @property
    def open_total(self) -> int:
        return self.open_extended + self.open_in_time + self.open_overdue

    def as_dict(self) -> dict[str, int]:
        """The twelve figures, for the JSON API."""
        return asdict(self)


FIELDS = tuple(f.name for f in fields(AppendixCounts))

_NEW = {
    Source.work_program: "new_work_program",
    Source.meeting_conclusion: "new_meeting_conclusion",
    Source.ad_hoc: "new_ad_hoc",
}
_CARRIED = {
    Standing.in_time: "carried_in_time",
    Standing.extended: "carried_extended",
    Standing.overdue: "carried_overdue",
}
_COMPLETED = {Completion.on_time: "completed_on_time", Completion.late: "completed_late"}
_OPEN = {
    Standing.extended: "open_extended",
    Standing.in_time: "open_in_time",
    Standing.overdue: "open_overdue",
}


def is_new(facts: TaskFacts, start: date, end: date) -> bool:
    """Assigned in the period: its document was issued in [start, end]."""
    return start <= facts.issued_on <= end


def is_carried_over(facts: TaskFacts, start: date) -> bool:
    """Issued before the period and not completed before it began."""
    completed_on = _completed_on(facts)
    return facts.issued_on < start and (completed_on is None or completed_on >= start)


def is_counted(facts: TaskFacts, start: date, end: date) -> bool:
    """In the period's total: not withdrawn, and new in it or carried over into it."""
    return not facts.withdrawn and (is_new(facts, start, end) or is_carried_over(facts, start))


def appendix_counts(facts: Iterable[TaskFacts], start: date, end: date,
                    as_of: date | None = None) -> AppendixCounts:
    """The Phụ lục I figures of the tasks for the period [start, end] (SPEC §5). With
    `as_of` (a day before the cut-off: `provisional_day`), the tasks not completed are
    counted by where they stand during that day, not at the end of the period."""
    if start > end:
        raise ValueError(f"the period starts after it ends: {start} > {end}")
    before = start - timedelta(days=1)
    counts = dict.fromkeys(FIELDS, 0)
    for task in facts:
        if not is_counted(task, start, end):
            continue
        counts["total"] += 1
        if is_new(task, start, end):
            counts[_NEW[Source(task.source)]] += 1
        else:
            counts[_CARRIED[state_at(task, before)]] += 1
        completed_on = _completed_on(task)
        if completed_on is not None and start <= completed_on <= end:
            counts[_COMPLETED[completion_of(task)]] += 1
        elif completed_on is None or completed_on > end:
            counts[_OPEN[open_state(task, end, as_of)]] += 1
        # Otherwise completed before the period: impossible for a task of the total, and
        # check_counts below would say so.
    result = AppendixCounts(**counts)
    check_counts(result, start, end)
    return result


def check_counts(counts: AppendixCounts, start: date, end: date) -> None:
    """SPEC §5: total = new + carried over = completed in the period + open at its end."""
    if not counts.total == counts.new_total + counts.carried_total == (
            counts.completed_total + counts.open_total):
        raise AssertionError(
            f"Phụ lục I counts for {start}..{end} do not add up: total {counts.total}, "
            f"new {counts.new_total} + carried {counts.carried_total}, "
            f"completed {counts.completed_total} + open {counts.open_total}: {counts.as_dict()}")
