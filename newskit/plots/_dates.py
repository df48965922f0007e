"""Dates at any scale: every date pandas can hold (1677-2262) and NaT, and the span an axis covers."""

from __future__ import annotations

import numpy as np
import pandas as pd

_DAY = pd.Timedelta(days=1)

# Every date pandas can hold is between 1677-09-21 and 2262-04-11, but a Timedelta only spans
# 292 years, so the arithmetic below works on nanosecond integers (Python ints never overflow)
# and every Timestamp it builds is clamped to one day inside pandas' range.
_FIRST = pd.Timestamp.min.ceil("D") + _DAY
_LAST = pd.Timestamp.max.floor("D") - 2 * _DAY
_NS_PER_DAY = 86_400 * 10**9
#: Widest span an axis may have: beyond it the dates farther from the median are outliers.
MAX_SPAN_YEARS = 250
#: A date is an outlier when it lies this many times the inter-quartile range beyond the quartiles
#: (and at least :data:`MIN_FENCE_YEARS` beyond), or outside the 2nd-98th percentile of 50 dates or more.
FENCE_IQR = 3.0
MIN_FENCE_YEARS = 1
#: How far a corpus page's date axis reaches beyond the publication span (see :func:`publication_window`):
#: a fifth of the span, at least a year. A story happened a little before its first report; a
#: background event ("Kosovo declared independence in 2008") is listed, not drawn.
PUBLICATION_MARGIN_SHARE = 0.2
PUBLICATION_MARGIN_DAYS = 365
#: The least margin of one story's page (``publication_window(..., min_margin_days=STORY_MARGIN_DAYS)``):
#: a story's reports span days or weeks (linking caps a story at 30 days), so a year of room would
#: squash them; a quarter keeps a happening a little before the first report and a trial or vote
#: set for the coming weeks, and lists last year's attack under the chart.
STORY_MARGIN_DAYS = 91


def _clamp(ts) -> pd.Timestamp:
    ts = pd.Timestamp(ts)
    return min(max(ts, _FIRST), _LAST)


def _shift(ts: pd.Timestamp, days: float) -> pd.Timestamp:
    """``ts`` moved by ``days``, clamped to pandas' range instead of overflowing."""
    value = pd.Timestamp(ts).value + int(days * _NS_PER_DAY)
    return _clamp(pd.Timestamp(min(max(value, _FIRST.value), _LAST.value)))


def _days_between(a: pd.Timestamp, b: pd.Timestamp) -> float:
    return (pd.Timestamp(b).value - pd.Timestamp(a).value) / _NS_PER_DAY


def _ns(values: pd.Series) -> np.ndarray:
    """Dates as float nanoseconds (NaN for NaT), safe to average and compare."""
    raw = pd.to_datetime(values).to_numpy("datetime64[ns]")
    out = raw.astype("int64").astype(float)
    out[np.isnat(raw)] = np.nan
    return out


def _midpoints(frame: pd.DataFrame) -> pd.Series:
    """The middle day of each row's ``[date_start, date_end]`` (one bound when the other is open)."""
    s, e = _ns(frame["date_start"]), _ns(frame["date_end"])
    s = np.where(np.isnan(s), e, s)
    e = np.where(np.isnan(e), s, e)
    mid = s / 2 + e / 2
    out = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    known = ~np.isnan(mid)
    out[known] = pd.to_datetime(mid[known].astype("int64")).floor("D")
    return out


def publication_window(
    published: pd.Series, *, min_margin_days: float = PUBLICATION_MARGIN_DAYS
) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The dates a corpus page's axis may cover: the publication span widened by a margin.

    The margin is :data:`PUBLICATION_MARGIN_SHARE` of the span, at least
    ``min_margin_days`` days, each side. Pass it as ``window`` to the
    timeline charts so that events dated long before the corpus (background history,
    an address number read as a year) are listed under the chart instead of stretching it.

    Args:
        published: Publication dates (``articles.published``; NaT ignored).
        min_margin_days: The least margin: :data:`PUBLICATION_MARGIN_DAYS` for a corpus,
            :data:`STORY_MARGIN_DAYS` for one story's reports.

    Returns:
        ``(first, last)`` days, or None when no publication date is known.

    Examples:
        >>> first, last = publication_window(pd.Series(pd.to_datetime(["2016-01-01", "2018-01-01"])))
        >>> str(first.date()), str(last.date())
        ('2015-01-01', '2019-01-01')
        >>> first, last = publication_window(pd.Series(pd.to_datetime(["2016-01-01"])), min_margin_days=STORY_MARGIN_DAYS)
        >>> str(first.date()), str(last.date())
        ('2015-10-02', '2016-04-01')
    """
    known = pd.to_datetime(published).dropna()
    if known.empty:
        return None
    first, last = _clamp(known.min()), _clamp(known.max())
    margin = max(_days_between(first, last) * PUBLICATION_MARGIN_SHARE, float(min_margin_days))
    return _shift(first, -margin).floor("D"), _shift(last, margin).floor("D")


def axis_limits(lo: pd.Timestamp, hi: pd.Timestamp, window=None) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The left and right edges of a date axis over ``[lo, hi]``: 4% (at least 3 days) of room each side
    (a day more on the right, so the last day is whole), never beyond ``window``."""
    pad = max(_days_between(lo, hi) * 0.04, 3.0)
    left, right = _shift(lo, -pad), _shift(hi, 1 + pad)
    if window is not None:
        left, right = max(left, _clamp(window[0])), min(right, _clamp(window[1]) + _DAY)
    return left, right


def date_window(
    dates: pd.Series, *, pad: bool = False, within=None
) -> tuple[pd.Timestamp | None, pd.Timestamp | None, pd.Series]:
    """The span an axis should cover: the bulk of ``dates``, never stretched by a stray one.

    A date is left out (an outlier) when it lies outside the 2nd-98th percentile
    widened by a tenth of its span (for 50 dates or more), or more than :data:`FENCE_IQR` inter-quartile ranges
    (at least :data:`MIN_FENCE_YEARS` years) beyond the quartiles: "the 1700 block of
    Maryland Avenue" read as a year in a corpus of 2018 news. The span never exceeds
    :data:`MAX_SPAN_YEARS`.

    Args:
        dates: Any dates (NaT ignored).
        pad: Widen the span by 4% (at least 3 days) each side.
        within: ``(first, last)`` (e.g. :func:`publication_window`) or None: dates outside it are
            outliers whatever the others are, and the window never reaches beyond it.

    Returns:
        ``(first, last, outlier)``: the first and last day of the window (None when no
        date is known, or none inside ``within``) and a boolean Series (index of ``dates``),
        True for the dates left out.

    Examples:
        >>> days = pd.Series(pd.to_datetime(["1700-01-01", "2024-03-10", "2024-03-12"]))
        >>> first, last, out = date_window(days)
        >>> str(first.date()), str(last.date()), list(out)
        ('2024-03-10', '2024-03-12', [True, False, False])
    """
    ns = _ns(dates)
    known = ~np.isnan(ns)
    outlier = np.zeros(len(ns), dtype=bool)
    if within is not None:  # outside the allowed window: an outlier, whatever the bulk is
        first, last = _clamp(within[0]).value, (_clamp(within[1]) + _DAY).value - 1
        beyond = known & ((np.nan_to_num(ns) < first) | (np.nan_to_num(ns) > last))
        outlier |= beyond
        known &= ~beyond
    if not known.any():
        return None, None, pd.Series(outlier, index=dates.index)
    values = ns[known]
    keep = np.ones(len(values), dtype=bool)
    if len(values) >= 50:  # the 2nd-98th percentile, widened by a tenth so that a uniform spread loses nothing
        p2, p98 = np.quantile(values, 0.02), np.quantile(values, 0.98)
        margin = max(0.1 * (p98 - p2), _NS_PER_DAY)
        keep &= (values >= p2 - margin) & (values <= p98 + margin)
    q1, q3 = np.quantile(values, 0.25), np.quantile(values, 0.75)
    fence = max(FENCE_IQR * (q3 - q1), MIN_FENCE_YEARS * 365.25 * _NS_PER_DAY)
    keep &= (values >= q1 - fence) & (values <= q3 + fence)
    # The span is bounded around the date nearest the median (one date, so ties cannot keep both ends).
    distance = np.abs(values - float(np.median(values)))
    anchor = values[np.argmin(np.where(keep, distance, np.inf))] if keep.any() else values[np.argmin(distance)]
    keep &= np.abs(values - anchor) <= MAX_SPAN_YEARS / 2 * 365.25 * _NS_PER_DAY
    if not keep.any():
        keep = values == anchor
    outlier[np.flatnonzero(known)[~keep]] = True
    kept = values[keep]
    lo = pd.Timestamp(int(kept.min())).floor("D")
    hi = pd.Timestamp(int(kept.max())).floor("D")
    lo, hi = _clamp(lo), _clamp(hi)
    if pad:
        margin = max(_days_between(lo, hi) * 0.04, 3.0)
        lo, hi = _shift(lo, -margin), _shift(hi, margin)
        if within is not None:
            lo, hi = max(lo, _clamp(within[0])), min(hi, _clamp(within[1]))
    return lo, hi, pd.Series(outlier, index=dates.index)


def _overlaps(frame: pd.DataFrame, lo: pd.Timestamp, hi: pd.Timestamp) -> pd.Series:
    """Rows whose ``[date_start, date_end]`` overlaps ``[lo, hi]`` (an open bound reaches it)."""
    starts, ends = frame["date_start"], frame["date_end"]
    return ((ends.isna() | (ends >= lo)) & (starts.isna() | (starts <= hi))).astype(bool)


def _period_of(span_days: float) -> tuple[str, str]:
    if span_days <= 45:
        return "D", "day"
    if span_days <= 366 * 2:
        return "W", "week"
    if span_days <= 366 * 30:
        return "M", "month"
    return "Y", "year"


def _period_label(period: pd.Period) -> str:
    """``2024-03-04`` for a day or a week (its first day), ``2024-03`` for a month, ``2024`` for a year."""
    freq = period.freqstr[0]
    if freq == "M":
        return period.strftime("%Y-%m")
    if freq in ("Y", "A"):
        return period.strftime("%Y")
    return period.start_time.strftime("%Y-%m-%d")
