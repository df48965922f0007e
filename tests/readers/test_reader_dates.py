"""Publication dates: explicit formats, time zones to UTC, no guessing."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from newskit.errors import InputError, ParameterError
from newskit.readers.dates import parse_date


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023-11-06", "2023-11-06 00:00"),
        ("2023-11-06T14:30:00", "2023-11-06 14:30"),
        ("2023-11-06T14:30:00+01:00", "2023-11-06 13:30"),
        ("2023-11-06T23:30:00-05:00", "2023-11-07 04:30"),  # the UTC day is the next one
        ("2023-11-06 14:30Z", "2023-11-06 14:30"),
        ("2023-11-06T14:30:00+0530", "2023-11-06 09:00"),
        ("Mon, 06 Nov 2023 14:30:00 +0100", "2023-11-06 13:30"),  # RFC 2822 (RSS pubDate)
        ("Mon, 06 Nov 2023 14:30:00 GMT", "2023-11-06 14:30"),
        ("6 November 2023", "2023-11-06 00:00"),
        ("November 6, 2023", "2023-11-06 00:00"),
        ("Nov 6, 2023", "2023-11-06 00:00"),
        ("Monday, 6 November 2023", "2023-11-06 00:00"),
        ("06.11.2023", "2023-11-06 00:00"),
        ("13/04/2024", "2024-04-13 00:00"),  # unambiguous: 13 is not a month
        ("Nov. 6th, 2023 3pm EST", "2023-11-06 20:00"),  # dateparser fallback, EST is UTC-5
    ],
)
def test_dates_read_as_naive_utc(value, expected):
    ts = parse_date(value)
    assert ts == pd.Timestamp(expected)
    assert ts.tzinfo is None


def test_python_dates_and_aware_datetimes():
    assert parse_date(dt.date(2024, 3, 12)) == pd.Timestamp("2024-03-12")
    aware = dt.datetime(2024, 3, 12, 9, 15, tzinfo=dt.timezone(dt.timedelta(hours=1)))
    assert parse_date(aware) == pd.Timestamp("2024-03-12 08:15")


@pytest.mark.parametrize(
    "value", ["yesterday", "2 days ago", "Monday", "November 2023", "Date night ideas", "03/04/2024"]
)
def test_relative_partial_and_ambiguous_dates_are_refused(value):
    with pytest.raises(ParameterError, match="is not a date"):
        parse_date(value)


def test_bad_date_from_a_file_names_the_file_and_the_value():
    with pytest.raises(InputError) as info:
        parse_date("soon-ish", where="line 4", path="feeds/wire.jsonl")
    message = str(info.value)
    assert "feeds/wire.jsonl (line 4)" in message
    assert "'soon-ish'" in message
    assert "YYYY-MM-DD" in message  # the fix


def test_ambiguous_day_month_says_why():
    with pytest.raises(ParameterError, match="ambiguous"):
        parse_date("03/04/2024", where="published")
