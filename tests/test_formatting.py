"""Numbers and dates for people: what a reader sees on axes, labels and tables."""

from __future__ import annotations

import doctest

import numpy as np
import pandas as pd
import pytest

from newskit import formatting as fmt


def test_doctests_pass():
    result = doctest.testmod(fmt, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 10 and result.failed == 0


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (325000, "USD", "$325,000"),  # the issue: printed as 3.25e+05
        (325000.0, None, "325,000"),
        (1_800_000, None, "1.8 million"),
        (45_000_000, None, "45 million"),
        (2_432, None, "2,432"),
        (12.0, None, "12"),
        (np.int64(12), None, "12"),
        (pd.array([12], dtype="Int64")[0], None, "12"),
        (3.25e5, "EUR", "€325,000"),
        (-1_500, "GBP", "-£1,500"),
        (40.0, "km", "40 km"),
        (12.5, "percent", "12.5%"),
        (0.25, None, "0.25"),
        (1_000_000_000, None, "1 billion"),
        (pd.NA, None, "—"),
        (None, "USD", "—"),
        (float("nan"), None, "—"),
    ],
)
def test_number(value, unit, text):
    assert fmt.number(value, unit=unit) == text


def test_numbers_never_use_scientific_notation():
    for value in (3.25e5, 1.2e7, 9.99e11, 4.5e13, 1e-3):
        assert "e" not in fmt.number(value).replace("million", "").replace("billion", "").replace("trillion", "")


def test_ranges_dates_and_ticks():
    assert fmt.value_range(14.0, 12.0, 15.0) == "14 (12–15)"
    assert fmt.value_range(14.0, 14.0, 14.0) == "14"
    assert fmt.value_range(5000.0, pd.NA, pd.NA) == "5,000"
    assert fmt.date(pd.Timestamp("2262-04-10")) == "2262-04-10"
    assert fmt.date(pd.Timestamp("1700-01-01"), precision="year") == "1700"
    assert fmt.date_span(pd.Timestamp("2024-03-10"), pd.NaT) == "after 2024-03-10"
    assert [fmt.compact(v) for v in (5000, 1_800_000, 12, 0)] == ["5k", "1.8M", "12", "0"]
