"""Dates typed as dd/mm/yyyy (issue 9), ISO still accepted."""
from datetime import date

import pytest

from app.domain.dates import format_day, parse_day


@pytest.mark.parametrize("text", ["02/12/2026", "2/12/2026", "02-12-2026", "02.12.2026", " 02/12/2026 ",
                                  "2026-12-02", "02122026"])
def test_the_second_of_december_whichever_way_it_is_typed(text):
    assert parse_day(text) == date(2026, 12, 2)


@pytest.mark.parametrize("text", ["31/02/2026", "12/13/2026", "2026/12/02", "02/12/26", "hôm nay", "", "0/1/2026"])
def test_a_day_that_does_not_exist_or_another_shape_is_refused(text):
    with pytest.raises(ValueError):
        parse_day(text)


def test_shown_day_first_with_leading_zeros():
    assert format_day(date(2026, 2, 5)) == "05/02/2026"
    assert format_day(None) == ""
