"""The dates the system accepts (issue 8, finding 9). A directive document of the Committee,
a deadline, a day off: all fall in this century. A date outside it is a typing mistake
(9999-12-31, 0202-12-02), refused at entry with a message naming the field, never stored."""
from __future__ import annotations

import re
from datetime import date

MIN_DATE = date(2000, 1, 1)
MAX_DATE = date(2100, 12, 31)


def in_range(value: date) -> bool:
    return MIN_DATE <= value <= MAX_DATE


def clamp(value: date) -> date:
    """For counting only, on rows stored before the range was enforced."""
    return min(max(value, MIN_DATE), MAX_DATE)


# Issue 9: dates are typed and shown as dd/mm/yyyy whatever the browser's
# language; ISO (yyyy-mm-dd) is accepted too, for the API and older links.
_DAY_FIRST = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
_DIGITS = re.compile(r"^\s*(\d{2})(\d{2})(\d{4})\s*$")  # 02122026, typed without separators


def parse_day(text: str) -> date:
    """"02/12/2026" (also 2/12/2026, 02-12-2026, 02.12.2026, 02122026) or "2026-12-02" →
    2 December 2026. Raises ValueError for anything else, or a day that does
    not exist (31/02/2026)."""
    if not isinstance(text, str):
        raise ValueError("not a date")
    match = _DAY_FIRST.match(text) or _DIGITS.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
    else:
        match = _ISO.match(text)
        if not match:
            raise ValueError("not a date")
        year, month, day = (int(g) for g in match.groups())
    return date(year, month, day)


def format_day(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""
