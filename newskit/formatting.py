"""Numbers and dates written for people: ``$325,000``, ``1.8 million``, ``12``, ``3 Mar 2024``.

A low-level module (it imports nothing from newskit) shared by the charts, the
widgets and the report tables, so that a value reads the same on an axis, in a
label and in a table cell, and never as ``3.25e+05``.

Examples:
    >>> number(325000, unit="USD")
    '$325,000'
    >>> number(1_800_000)
    '1.8 million'
    >>> number(12.0)
    '12'
    >>> value_range(12, 12, 15)
    '12 (12–15)'
    >>> date(pd.Timestamp("2024-03-10"))
    '2024-03-10'
"""

from __future__ import annotations

import math

import pandas as pd

__all__ = ["CURRENCY_SYMBOLS", "compact", "date", "date_span", "is_missing", "number", "readable", "value_range"]

#: Currency codes written as a symbol before the amount; others are written after it (``120 CHF``).
CURRENCY_SYMBOLS: dict[str, str] = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹"}

# Above this, a number is written with a word ("1.8 million"): long digit strings are hard
# to read and their trailing zeros are rarely meaningful in news.
_WORDS = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))
_MISSING = "—"


def is_missing(value) -> bool:
    """True for None, NaN, <NA> and NaT.

    >>> is_missing(pd.NA), is_missing(float("nan")), is_missing(0)
    (True, True, False)
    """
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _plain(value: float, *, digits: int) -> str:
    """A number with thousands separators and at most ``digits`` decimals, trailing zeros dropped."""
    text = f"{value:,.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def number(value, *, unit: str | None = None, digits: int = 1) -> str:
    """A number for people: separators, words for millions, the unit where a reader expects it.

    Args:
        value: Any number (int, float, numpy, pandas nullable); missing gives ``—``.
        unit: ``USD``/``EUR``/... (symbol before), ``percent`` (``%`` after), or any other
            unit written after the number; None or <NA> for plain counts.
        digits: Decimals kept for fractional values and for the ``million`` forms.

    Returns:
        The text.

    Examples:
        >>> number(325000, unit="USD")
        '$325,000'
        >>> number(2_500_000_000, unit="EUR")
        '€2.5 billion'
        >>> number(45_000_000)
        '45 million'
        >>> number(2432)
        '2,432'
        >>> number(12.5, unit="percent")
        '12.5%'
        >>> number(3.0, unit="km")
        '3 km'
        >>> number(-1500)
        '-1,500'
        >>> number(0.25)
        '0.25'
        >>> number(pd.NA)
        '—'
        >>> number(float("inf"))
        '∞'
    """
    if is_missing(value):
        return _MISSING
    value = float(value)
    if math.isinf(value):
        return "∞" if value > 0 else "-∞"
    size = abs(value)
    text = None
    for scale, word in _WORDS:
        if size >= scale:
            text = f"{_plain(value / scale, digits=digits)} {word}"
            break
    if text is None:
        # Small fractions keep two significant decimals (0.25), whole numbers none.
        text = _plain(value, digits=max(digits, 2) if size < 1 else digits)
    if is_missing(unit) or not str(unit).strip():
        return text
    unit = str(unit).strip()
    if unit.upper() in CURRENCY_SYMBOLS:
        sign, text = ("-", text[1:]) if text.startswith("-") else ("", text)
        return f"{sign}{CURRENCY_SYMBOLS[unit.upper()]}{text}"
    if unit.lower() in ("percent", "%"):
        return f"{text}%"
    return f"{text} {unit}"


def compact(value) -> str:
    """A short axis tick: ``1.8M``, ``325k``, ``12``.

    >>> compact(1_800_000), compact(325_000), compact(12), compact(0.5)
    ('1.8M', '325k', '12', '0.5')
    """
    if is_missing(value):
        return ""
    value = float(value)
    for scale, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= scale:
            return _plain(value / scale, digits=1) + suffix
    return _plain(value, digits=2)


def value_range(value, low=None, high=None, *, unit: str | None = None) -> str:
    """A value and, when outlets differ, the range they reported.

    >>> value_range(12, 12, 15)
    '12 (12–15)'
    >>> value_range(12, 12, 12)
    '12'
    >>> value_range(pd.NA, 3, 5)
    '3–5'
    """
    lo_missing, hi_missing = is_missing(low), is_missing(high)
    if is_missing(value):
        if lo_missing and hi_missing:
            return _MISSING
        if lo_missing or hi_missing or float(low) == float(high):
            return number(high if lo_missing else low, unit=unit)
        return f"{number(low, unit=unit)}–{number(high, unit=unit)}"
    text = number(value, unit=unit)
    if lo_missing or hi_missing or float(low) == float(high):
        return text
    return f"{text} ({number(low, unit=unit)}–{number(high, unit=unit)})"


def date(value, *, precision: str = "day") -> str:
    """A date as ``YYYY-MM-DD`` (``YYYY-MM`` for a month, ``YYYY`` for a year); ``—`` if missing.

    Works for any date pandas can hold (1677-2262) and for Python dates beyond.

    >>> date(pd.Timestamp("1700-03-01")), date(pd.NaT)
    ('1700-03-01', '—')
    >>> date(pd.Timestamp("2024-03-10 14:30"), precision="month")
    '2024-03'
    """
    if is_missing(value):
        return _MISSING
    fmt = {"year": "%Y", "decade": "%Y", "century": "%Y", "month": "%Y-%m"}.get(precision, "%Y-%m-%d")
    try:
        return pd.Timestamp(value).strftime(fmt)
    except (ValueError, TypeError, OverflowError):
        return str(value)


def date_span(start, end) -> str:
    """A date interval: one day, ``start – end``, or an open bound (``before 2003-01-01``).

    >>> date_span(pd.Timestamp("2024-03-10"), pd.Timestamp("2024-03-10"))
    '2024-03-10'
    >>> date_span(pd.Timestamp("2024-03-10"), pd.Timestamp("2024-03-12"))
    '2024-03-10 – 2024-03-12'
    >>> date_span(pd.NaT, pd.Timestamp("2003-01-01"))
    'before 2003-01-01'
    """
    s_missing, e_missing = is_missing(start), is_missing(end)
    if s_missing and e_missing:
        return _MISSING
    if s_missing:
        return f"before {date(end)}"
    if e_missing:
        return f"after {date(start)}"
    if date(start) == date(end):
        return date(start)
    return f"{date(start)} – {date(end)}"


def readable(df: pd.DataFrame, numbers=("value", "low", "high", "count"), *, unit: str | None = "unit") -> pd.DataFrame:
    """A copy of ``df`` for display, its number columns written for people (``$325,000``, ``1.8 million``).

    Args:
        df: Any table.
        numbers: Columns to format (those absent are skipped).
        unit: Column holding each row's unit (see :func:`number`), or None.

    Examples:
        >>> table = pd.DataFrame({"value": [325000.0, 1.8e6], "unit": ["USD", None]})
        >>> list(readable(table)["value"])
        ['$325,000', '1.8 million']
    """
    out = df.copy()
    units = out[unit] if unit is not None and unit in out.columns else pd.Series([None] * len(out), index=out.index)
    for column in numbers:
        if column in out.columns:
            out[column] = [number(v, unit=u) for v, u in zip(out[column], units, strict=True)]
    return out
