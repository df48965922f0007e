"""Publication dates: from what inputs write to a naive UTC :class:`pandas.Timestamp`.

Explicit formats are tried first because they are fast and never guess: ISO 8601
dates and datetimes, RFC 2822 (e-mail and RSS ``pubDate``), ``6 November 2023``,
``November 6, 2023`` and their abbreviated and weekday-prefixed variants.
:mod:`dateparser` is only the fallback (other languages, ``Nov. 6th, 2023 3pm
EST``), with settings that refuse relative dates ("yesterday", "2 days ago")
and incomplete ones ("November 2023"): a publication date must never be guessed
from the clock of the machine reading it.

Times with a zone are converted to UTC; times without one are taken as UTC.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from email.utils import parsedate_to_datetime

import pandas as pd

from .errors import InputError, ParameterError

__all__ = ["DATE_FIX", "parse_date", "try_parse_date"]

#: What to tell a user whose date cannot be read.
DATE_FIX = "write the date as YYYY-MM-DD (ISO 8601), e.g. 2024-03-12 or 2024-03-12T14:30:00+01:00"

_ISO = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?)?\s*(?:Z|z|UTC|[+-]\d{2}(?::?\d{2})?)?"
)
_RFC_2822 = re.compile(r"(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{2,4}\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s+\S+)?")
_LONGEST_DATE = 80  # "Wednesday, 6 November 2023, 14:30:00 Central European Summer Time" fits
_NUMERIC_SLASHED = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")

# Tried in order with strptime (English month names; the C locale Python starts in).
_FORMATS = (
    "%Y/%m/%d",
    "%d.%m.%Y",  # dotted numeric dates are day-first wherever they are used
    "%d %B %Y",
    "%d %b %Y",
    "%B %d, %Y",
    "%b %d, %Y",
    "%B %d %Y",
    "%b %d %Y",
    "%A, %d %B %Y",
    "%a, %d %b %Y",
    "%A, %B %d, %Y",
    "%a, %b %d, %Y",
    "%A %d %B %Y",
)

_DATEPARSER_SETTINGS = {
    # No "relative-time" ("yesterday" is not a publication date) and no "timestamp": a bare
    # number could be epoch seconds, milliseconds or a year, and newskit never guesses which.
    "PARSERS": ["absolute-time"],
    "STRICT_PARSING": True,  # day, month and year must all be written
    "REQUIRE_PARTS": ["day", "month", "year"],
    "TIMEZONE": "UTC",  # a time without a zone is UTC, not the reading machine's zone
    "TO_TIMEZONE": "UTC",
    "RETURN_AS_TIMEZONE_AWARE": True,
}


def parse_date(value, *, where: str = "published", path=None) -> pd.Timestamp:
    """Read a publication date as a naive UTC timestamp.

    Args:
        value: A string, :class:`datetime.date`, :class:`datetime.datetime` or
            :class:`pandas.Timestamp`.
        where: The field, line or record the value comes from (named in errors).
        path: The file the value was read from. When given, an unreadable value
            raises :class:`~newskit.InputError` naming that file; otherwise
            (a function argument) it raises :class:`~newskit.ParameterError`.

    Returns:
        The instant in UTC without a zone (midnight when only a date is given).

    Raises:
        InputError: ``path`` given and ``value`` is not a date.
        ParameterError: ``path`` not given and ``value`` is not a date.

    Examples:
        >>> parse_date("Mon, 06 Nov 2023 14:30:00 +0100")
        Timestamp('2023-11-06 13:30:00')
        >>> parse_date("6 November 2023")
        Timestamp('2023-11-06 00:00:00')
    """
    result = try_parse_date(value)
    if isinstance(result, pd.Timestamp):
        return result
    shown = value[:80] + "…" if isinstance(value, str) and len(value) > 80 else value
    problem = f"cannot read the date {shown!r}" + (f" ({result})" if result else "")
    if path is not None:
        raise InputError(path, problem, where=where, fix=DATE_FIX)
    raise ParameterError(where, shown, "is not a date" + (f" ({result})" if result else ""), fix=DATE_FIX)


def try_parse_date(value) -> pd.Timestamp | str | None:
    """Like :func:`parse_date` but returns instead of raising.

    Returns:
        The timestamp, or the reason it cannot be read (a string, possibly
        empty) when ``value`` is not a readable date.
    """
    if isinstance(value, pd.Timestamp) and pd.isna(value):
        return "not a date"
    if isinstance(value, (bool, int, float)):
        return f"a number ({value!r}), not a date: newskit does not guess epoch seconds or years"
    try:
        if isinstance(value, (pd.Timestamp, dt.datetime)):
            return _utc_naive(pd.Timestamp(value))
        if isinstance(value, dt.date):
            return _utc_naive(pd.Timestamp(value.year, value.month, value.day))
    except (OverflowError, ValueError) as exc:  # OutOfBoundsDatetime is a ValueError
        return _out_of_range(value, exc)
    if not isinstance(value, str):
        return f"a {type(value).__name__}, not a date string"
    return _parse_string(" ".join(value.split()))


#: The dates a pandas ``datetime64[ns]`` column (and so newskit) can hold.
DATE_RANGE = (pd.Timestamp.min.ceil("D"), pd.Timestamp.max.floor("D"))


def _out_of_range(value, exc: Exception | None = None) -> str:
    year = getattr(value, "year", None)
    shown = f"the year {year}" if year is not None else "it"
    return (
        f"{shown} is outside the dates newskit can store "
        f"({DATE_RANGE[0].date().isoformat()} to {DATE_RANGE[1].date().isoformat()})"
    )


@functools.lru_cache(maxsize=4096)  # feeds repeat their dates; the cache makes re-reading them free
def _parse_string(text: str) -> pd.Timestamp | str:
    if text.isdigit():
        return f"a bare number ({text}), not a date: newskit does not guess epoch seconds or years"
    try:
        return _parse_any(text)
    except (OverflowError, ValueError) as exc:  # a far date in any format (OutOfBoundsDatetime is a ValueError)
        year = re.search(r"\b(\d{4})\b", text)
        return _out_of_range(dt.date(int(year[1]), 1, 1) if year and int(year[1]) >= 1 else None, exc)


def _parse_any(text: str) -> pd.Timestamp | str:
    if not text:
        return "empty"
    if len(text) > _LONGEST_DATE:
        return "too long to be a date"
    if _ISO.fullmatch(text):
        try:
            parsed = dt.datetime.fromisoformat(_iso_zone(text))
        except ValueError as exc:
            return str(exc)
        return _utc_naive(pd.Timestamp(parsed))
    if _RFC_2822.fullmatch(text):
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError):
            parsed = None
        if parsed is not None:
            return _utc_naive(pd.Timestamp(parsed))
    slashed = _NUMERIC_SLASHED.fullmatch(text)
    if slashed:
        return _slashed(*map(int, slashed.groups()))
    for fmt in _FORMATS:
        try:
            parsed = dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
        return _utc_naive(pd.Timestamp(parsed))
    return _dateparser(text)


def _iso_zone(text: str) -> str:
    # fromisoformat reads "Z" and "+01:00" but not " UTC", "+01" or "+0100" on every Python 3.11 build.
    text = re.sub(r"\s*(?:UTC|z)$", "Z", text)
    text = re.sub(r"\s*([+-]\d{2})$", r"\1:00", text)
    text = re.sub(r"\s*([+-]\d{2})(\d{2})$", r"\1:\2", text)
    return text.replace(",", ".")


def _slashed(first: int, second: int, year: int) -> pd.Timestamp | str:
    # 03/04/2024 is 3 April in most of the world and March 4 in the US: refuse to guess.
    if first <= 12 and second <= 12 and first != second:
        return "day and month order is ambiguous"
    month, day = (first, second) if second > 12 else (second, first)
    try:
        parsed = dt.date(year, month, day)
    except ValueError as exc:
        return str(exc)
    return _utc_naive(pd.Timestamp(parsed))


def _dateparser(text: str) -> pd.Timestamp | str:
    import dateparser  # imported here: it is only the fallback, and slow to import

    parsed = dateparser.parse(text, settings=_DATEPARSER_SETTINGS)
    if parsed is None:
        return ""
    return _utc_naive(pd.Timestamp(parsed))


def _utc_naive(ts: pd.Timestamp) -> pd.Timestamp:
    """``ts`` in UTC without zone, in nanoseconds (raises OutOfBoundsDatetime beyond 1677-2262)."""
    if ts.tzinfo is not None:
        ts = ts.tz_convert("UTC").tz_localize(None)
    return ts.as_unit("ns")
