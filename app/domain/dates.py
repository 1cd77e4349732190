"""The dates the system accepts (issue 8, finding 9). A directive document of the Committee,
a deadline, a day off: all fall in this century. A date outside it is a typing mistake
(9999-12-31, 0202-12-02), refused at entry with a message naming the field, never stored."""
from __future__ import annotations

from datetime import date

MIN_DATE = date(2000, 1, 1)
MAX_DATE = date(2100, 12, 31)


def in_range(value: date) -> bool:
    return MIN_DATE <= value <= MAX_DATE


def clamp(value: date) -> date:
    """For counting only, on rows stored before the range was enforced."""
    return min(max(value, MIN_DATE), MAX_DATE)
