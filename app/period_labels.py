"""Periods as users read them: "Tháng 11/2026", "Quý III/2026", "6 tháng đầu năm 2026",
"Năm 2026" — on pages, buttons and selectors (translated at render time) — and in the
ASCII names of downloaded files ("thang-11-2026"). A period's `label`
("monthly-2026-11") stays the key in URLs and the database, never shown."""
from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.domain.periods import Period, PeriodKind, period_containing, previous

ROMAN = ("I", "II", "III", "IV")
KIND_NAME = {
    PeriodKind.monthly: _l("Monthly"),
    PeriodKind.quarterly: _l("Quarterly"),
    PeriodKind.half_year: _l("First half of the year"),
    PeriodKind.annual: _l("Annual"),
}


def period_name(period: Period) -> str:
    if period.kind is PeriodKind.monthly:
        return _("Month %(number)s/%(year)s", number=period.number, year=period.year)
    if period.kind is PeriodKind.quarterly:
        return _("Quarter %(number)s/%(year)s", number=ROMAN[period.number - 1], year=period.year)
    if period.kind is PeriodKind.half_year:
        return _("First half of %(year)s", year=period.year)
    return _("Year %(year)s", year=period.year)


def period_slug(period: Period) -> str:
    """The period in a file name: thang-11-2026, quy-3-2026, 6-thang-2026, nam-2026."""
    if period.kind is PeriodKind.monthly:
        return f"thang-{period.number}-{period.year}"
    if period.kind is PeriodKind.quarterly:
        return f"quy-{period.number}-{period.year}"
    if period.kind is PeriodKind.half_year:
        return f"6-thang-{period.year}"
    return f"nam-{period.year}"


def recent_periods(day: dt.date, months: int = 13, quarters: int = 5, years: int = 3) -> dict[PeriodKind, list[Period]]:
    """The periods a selector offers, newest first, by kind: those that hold the day and
    the ones before it (a half-year only while one exists: Art. 20.1 has no second half)."""
    found: dict[PeriodKind, list[Period]] = {}
    for kind, count in ((PeriodKind.monthly, months), (PeriodKind.quarterly, quarters)):
        period, items = period_containing(kind, day), []
        for _index in range(count):
            items.append(period)
            period = previous(period)
        found[kind] = items
    year = period_containing(PeriodKind.annual, day).year
    found[PeriodKind.half_year] = [Period(PeriodKind.half_year, y) for y in range(year, year - years, -1)
                                   if Period(PeriodKind.half_year, y).start <= day]
    found[PeriodKind.annual] = [Period(PeriodKind.annual, y) for y in range(year, year - years, -1)]
    return found


def period_choices(day: dt.date, chosen: Period | None = None) -> list[tuple[str, list[tuple[Period, str]]]]:
    """[(kind name, [(period, name), ...]), ...] for a grouped <select>; the chosen period
    is always among them."""
    groups = []
    for kind, periods in recent_periods(day).items():
        if chosen is not None and chosen.kind is kind and chosen not in periods:
            periods = sorted([*periods, chosen], key=lambda p: p.end, reverse=True)
        groups.append((str(KIND_NAME[kind]), [(p, period_name(p)) for p in periods]))
    return groups
