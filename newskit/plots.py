"""Charts of extracted facts: every function takes tables and returns a matplotlib Figure.

The functions never call ``plt.show()`` and never touch pyplot's global state
(figures are built with :class:`matplotlib.figure.Figure`), so they are safe in
loops, tests and headless report runs. Every chart has a title and labelled axes,
uses the colour-blind-safe Okabe-Ito palette, and stays readable from one article
to tens of thousands: categories beyond ``top_n`` are folded into ``other`` and a
timeline with too many events becomes a count per period.

When there is nothing to draw the figure says so ("no events found") instead of
raising, so a report over tables an extractor left empty still renders. No date
crashes a chart: every date pandas can hold (1677-2262) and NaT is handled, and a
time axis spans the bulk of the dates (:func:`date_window`), so "the 1700 block of
Maryland Avenue" read as a year is listed under the chart instead of stretching it.

Every function sets ``fig.newskit_info`` (title, kind, n_drawn, n_hidden, series
values for bar and dot charts, outliers; see ``CONTRACT.md``), which
:func:`figure_summary` passes on, with the axis ranges, to the report manifest.
The story charts (:func:`story_timeline`, :func:`story_casualties`,
:func:`figure_disagreement`, :func:`figure_evolution`, :func:`story_articles`)
read the linked ``stories``, ``figures`` and ``figure_reports`` tables.

Examples:
    >>> import newskit as nk
    >>> from newskit import plots
    >>> fig = plots.timeline(nk.Facts.empty().events)
    >>> fig.axes[0].texts[0].get_text()
    'no events found'
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from . import formatting as fmt
from .errors import ParameterError
from .facts import Facts
from .schema import EVENT_KINDS

__all__ = [
    "EVENT_KINDS",
    "GROUP_BY",
    "MAX_SPAN_YEARS",
    "OKABE_ITO",
    "OTHER_COLOUR",
    "OTHER_MEASURES",
    "TOLL_MEASURES",
    "article_groups",
    "axis_ranges",
    "casualties_by_group",
    "date_window",
    "disagreements",
    "empty_figure",
    "entity_mentions",
    "events_over_time",
    "figure_disagreement",
    "figure_evolution",
    "figure_summary",
    "find_story",
    "key_figures",
    "mentions_heatmap",
    "outliers_table",
    "palette",
    "plain",
    "quantity_disagreement",
    "quantity_values",
    "quotes_per_speaker",
    "rank_events",
    "select_events",
    "select_stories",
    "shared_quantities",
    "story_articles",
    "story_casualties",
    "story_headline",
    "story_timeline",
    "story_tolls",
    "timeline",
    "tone_over_time",
    "top_stories",
    "with_articles",
]

#: Okabe & Ito (2008) "Color Universal Design" palette, readable with every common colour-vision
#: deficiency; yellow comes last because it has the least contrast on white.
OKABE_ITO: tuple[str, ...] = ("#E69F00", "#56B4E9", "#009E73", "#0072B2", "#D55E00", "#CC79A7", "#000000", "#F0E442")
#: Colour of the folded ``other`` category.
OTHER_COLOUR = "#999999"
#: How the comparative charts can group articles.
GROUP_BY: tuple[str, ...] = ("source", "article", "month")
#: The ``casualties.outcome`` values, in stacking order.
OUTCOMES: tuple[str, ...] = ("killed", "injured", "missing", "kidnapped", "arrested", "displaced")
#: Outcomes drawn on the main casualty panel; the others (often thousands) get their own scale.
TOLL_MEASURES: tuple[str, ...] = ("killed", "injured")
OTHER_MEASURES: tuple[str, ...] = ("missing", "kidnapped", "arrested", "displaced")

NO_EVENTS = "no events found"
WIDTH = 10.0  # inches: fits a notebook column and an A4 page at 100 dpi
DPI = 100
LABEL_FONT = 8
_CHAR_PX = 0.6 * LABEL_FONT * DPI / 72  # average glyph width of the label font, in pixels
_DAY = pd.Timedelta(days=1)
_STUB_PX = 28  # pixels drawn for an event with one open bound


# ---------------------------------------------------------------------------- helpers


def palette(n: int) -> list[str]:
    """``n`` colours from the Okabe-Ito palette (cycled when ``n`` exceeds it)."""
    return [OKABE_ITO[i % len(OKABE_ITO)] for i in range(n)]


def plain(value, *, limit: int = 60) -> str:
    """An article-derived string made safe for a matplotlib label.

    Matplotlib reads ``$...$`` as mathtext (a stray ``$`` in a headline would
    raise or render as maths), so dollar signs are escaped; whitespace is folded
    and long strings are cut with an ellipsis.
    """
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    text = " ".join(str(value).split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text.replace("$", r"\$")


def _figure(height: float = 4.0, width: float = WIDTH) -> tuple[Figure, object]:
    fig = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    return fig, fig.add_subplot()


def empty_figure(title: str, message: str = NO_EVENTS, *, height: float = 2.0) -> Figure:
    """A figure that says there is nothing to draw (the axes are hidden, the title kept)."""
    fig, ax = _figure(height)
    ax.set_title(title)
    ax.text(0.5, 0.5, message, ha="center", va="center", fontsize=12, color="#555555", transform=ax.transAxes)
    ax.set_axis_off()
    fig.newskit_info = {
        "title": title,
        "kind": "empty",
        "n_drawn": 0,
        "n_hidden": 0,
        "series": {},
        "outliers": [],
        "message": message,
    }
    return fig


def _date_axis(axis) -> None:
    locator = mdates.AutoDateLocator(minticks=3, maxticks=9)
    axis.set_major_locator(locator)
    axis.set_major_formatter(mdates.ConciseDateFormatter(locator))


def _top_n(counts: pd.Series, n: int, other: str = "other") -> pd.Series:
    """The ``n`` largest values of ``counts``, the rest summed into ``other``."""
    counts = counts.sort_values(ascending=False, kind="stable")
    if len(counts) <= n:
        return counts
    folded = counts.iloc[:n].copy()
    folded[other] = counts.iloc[n:].sum()
    return folded


def _keep_top(values: pd.Series, keep: Iterable, other: str = "other") -> pd.Series:
    keep = set(keep)
    return values.where(values.isin(keep), other)


def _bottom_up(table: pd.DataFrame) -> pd.DataFrame:
    """Rows of a horizontal bar chart in drawing order: the largest on top, ``other`` at the bottom."""
    table = table.loc[table.sum(axis=1).sort_values(ascending=True, kind="stable").index]
    if "other" in table.index:
        table = table.loc[["other"] + [i for i in table.index if i != "other"]]
    return table


def _as_list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    try:
        return [str(v) for v in value]
    except TypeError:
        return []


def _involving(rows: pd.DataFrame, entities) -> pd.Series:
    """Rows (events or stories) whose ``actors`` or ``places`` name any of ``entities`` (case-blind)."""
    wanted = {name.casefold() for name in _norm(entities)}
    involved = [
        bool(wanted & {str(n).casefold() for n in _as_list(a) + _as_list(p)})
        for a, p in zip(rows["actors"], rows["places"], strict=True)
    ]
    return pd.Series(involved, index=rows.index, dtype=bool)


def _norm(names: Iterable[str] | None) -> list[str]:
    return [str(n) for n in (names or []) if str(n).strip()]


# ---------------------------------------------------------------------------- dates at any scale

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


def date_window(dates: pd.Series, *, pad: bool = False) -> tuple[pd.Timestamp | None, pd.Timestamp | None, pd.Series]:
    """The span an axis should cover: the bulk of ``dates``, never stretched by a stray one.

    A date is left out (an outlier) when it lies outside the 2nd-98th percentile
    widened by a tenth of its span (for 50 dates or more), or more than :data:`FENCE_IQR` inter-quartile ranges
    (at least :data:`MIN_FENCE_YEARS` years) beyond the quartiles: "the 1700 block of
    Maryland Avenue" read as a year in a corpus of 2018 news. The span never exceeds
    :data:`MAX_SPAN_YEARS`.

    Args:
        dates: Any dates (NaT ignored).
        pad: Widen the span by 4% (at least 3 days) each side.

    Returns:
        ``(first, last, outlier)``: the first and last day of the window (None when no
        date is known) and a boolean Series (index of ``dates``), True for the dates left out.

    Examples:
        >>> days = pd.Series(pd.to_datetime(["1700-01-01", "2024-03-10", "2024-03-12"]))
        >>> first, last, out = date_window(days)
        >>> str(first.date()), str(last.date()), list(out)
        ('2024-03-10', '2024-03-12', [True, False, False])
    """
    ns = _ns(dates)
    known = ~np.isnan(ns)
    outlier = np.zeros(len(ns), dtype=bool)
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
    return lo, hi, pd.Series(outlier, index=dates.index)


def _overlaps(frame: pd.DataFrame, lo: pd.Timestamp, hi: pd.Timestamp) -> pd.Series:
    """Rows whose ``[date_start, date_end]`` overlaps ``[lo, hi]`` (an open bound reaches it)."""
    starts, ends = frame["date_start"], frame["date_end"]
    return ((ends.isna() | (ends >= lo)) & (starts.isna() | (starts <= hi))).astype(bool)


def _outlier_rows(frame: pd.DataFrame, *, limit: int = 50) -> list[dict]:
    """Events left off the axis, as ``{"date", "label"}`` for ``newskit_info`` and the table under a chart."""
    rows = []
    for _, row in frame.iterrows():
        rows.append({"date": fmt.date_span(row["date_start"], row["date_end"]), "label": _event_label(row)})
    return rows[:limit] + ([{"date": "…", "label": f"{len(rows) - limit} more"}] if len(rows) > limit else [])


def _set_info(
    fig: Figure,
    *,
    title: str,
    kind: str,
    n_drawn: int,
    n_hidden: int = 0,
    series: dict | None = None,
    outliers: list | None = None,
    **extra,
) -> Figure:
    """Attach what the figure shows as plain data (see CONTRACT.md): the report manifest reads it."""
    info = {"title": title, "kind": kind, "n_drawn": int(n_drawn), "n_hidden": int(n_hidden)}
    info["series"] = {
        str(name): {str(k): (None if fmt.is_missing(v) else float(v)) for k, v in values.items()}
        for name, values in (series or {}).items()
    }
    info["outliers"] = list(outliers or [])
    message = getattr(fig, "newskit_info", {}).get("message")
    if message:  # an empty figure keeps what it says
        info["message"] = message
    info.update(extra)
    fig.newskit_info = info
    return fig


def outliers_table(fig: Figure) -> pd.DataFrame:
    """The items a chart left off its axis (``fig.newskit_info["outliers"]``) as a table to show under it."""
    rows = getattr(fig, "newskit_info", {}).get("outliers", [])
    return pd.DataFrame(rows, columns=["date", "label"]) if rows else pd.DataFrame(columns=["date", "label"])


# ---------------------------------------------------------------------------- selection


def select_events(
    events: pd.DataFrame,
    *,
    start=None,
    end=None,
    entities: Sequence[str] | None = None,
    kinds: Sequence[str] | None = None,
) -> pd.DataFrame:
    """The events that overlap ``[start, end]`` and involve the entities and kinds given.

    An event is kept when its interval overlaps the window (an open bound counts
    as reaching the window), when any of ``entities`` is among its actors or places
    (case-insensitive), and when its kind is in ``kinds``. Events with no date at
    all are kept only when no date window is given.

    Args:
        events: The ``events`` table.
        start: Earliest day (anything :class:`pandas.Timestamp` reads) or None.
        end: Latest day, inclusive, or None.
        entities: Canonical entity names; None or empty keeps every event.
        kinds: Event kinds; None or empty keeps every kind.

    Returns:
        The matching rows, index reset.
    """
    keep = pd.Series(True, index=events.index)
    starts, ends = events["date_start"], events["date_end"]
    if start is not None or end is not None:
        dated = starts.notna() | ends.notna()
        keep &= dated
        if start is not None:
            keep &= ends.isna() | (ends >= pd.Timestamp(start))
        if end is not None:
            keep &= starts.isna() | (starts <= pd.Timestamp(end))
    if _norm(entities):
        keep &= _involving(events, entities)
    kinds = _norm(kinds)
    if kinds:
        keep &= events["kind"].isin(kinds).fillna(False).astype(bool)
    return events[keep].reset_index(drop=True)


def rank_events(events: pd.DataFrame, *, keep_index: bool = False) -> pd.DataFrame:
    """Events by relevance, for tables: salient happenings first, then those more articles
    report (mentions sharing an ``event_id``), then those dated by when they happened
    (not only by publication or an open bound), then the most recent.

    Returns:
        The rows, reordered, index reset (kept with ``keep_index``).
    """
    if events.empty:
        return events if keep_index else events.reset_index(drop=True)
    ids = events["event_id"]
    reach = ids.map(events.groupby("event_id")["article_id"].nunique()).astype("Float64").fillna(1)
    dated = events["date_start"].notna() & events["date_end"].notna() & (events["dated_by"].fillna("") != "publication")
    keys = pd.DataFrame(
        {
            "_salient": events["salient"].fillna(True).astype(bool).to_numpy(),
            "_reach": reach.to_numpy(dtype=float),
            "_dated": dated.to_numpy(),
            "_date": events["date_start"].fillna(events["date_end"]).to_numpy(),
        },
        index=events.index,
    )
    order = keys.sort_values(
        ["_salient", "_reach", "_dated", "_date"], ascending=False, na_position="last", kind="stable"
    ).index
    return events.loc[order].reset_index(drop=True) if not keep_index else events.loc[order]


def select_stories(
    stories: pd.DataFrame, *, start=None, end=None, entities: Sequence[str] | None = None
) -> pd.DataFrame:
    """The stories that overlap ``[start, end]`` and involve any of ``entities`` (actors or places).

    A story spans from when it happened (``date_start``, else its first report) to its
    last report; one with no date at all is kept only when no window is given.
    """
    begin = stories["date_start"].fillna(stories["first_published"])
    finish = stories["last_published"].fillna(stories["date_end"]).fillna(begin)
    keep = pd.Series(True, index=stories.index)
    if start is not None:
        keep &= finish.notna() & (finish >= pd.Timestamp(start))
    if end is not None:
        keep &= begin.notna() & (begin <= pd.Timestamp(end))
    if _norm(entities):
        keep &= _involving(stories, entities)
    return stories[keep.astype(bool)].reset_index(drop=True)


def article_groups(articles: pd.DataFrame, by: str = "source") -> pd.Series:
    """The group of every article (indexed by ``article_id``) for the comparative charts.

    Args:
        articles: The ``articles`` table.
        by: ``source`` (the outlet; ``(no source)`` if unknown), ``article`` (title,
            or id when untitled) or ``month`` (``YYYY-MM`` of publication; ``(no date)``).

    Raises:
        ParameterError: ``by`` is not one of :data:`GROUP_BY`.
    """
    if by not in GROUP_BY:
        raise ParameterError("group_by", by, f"must be one of {', '.join(GROUP_BY)}")
    ids = articles["article_id"].astype("string")
    if by == "source":
        labels = articles["source"].astype("string").fillna("(no source)")
    elif by == "article":
        titles = articles["title"].astype("string")
        labels = titles.where(titles.notna() & (titles.str.strip() != ""), ids).fillna(ids)
        labels = labels.map(lambda t: plain(t, limit=40).replace(r"\$", "$"))
        # Two articles with one title stay apart: suffix the id.
        dup = labels.duplicated(keep=False)
        labels = labels.where(~dup, labels + " [" + ids.str[:6] + "]")
    else:
        labels = articles["published"].dt.strftime("%Y-%m").astype("string").fillna("(no date)")
    return pd.Series(labels.to_numpy(), index=ids.to_numpy(), name=by)


# ---------------------------------------------------------------------------- timeline


def _lanes_of(events: pd.DataFrame, lane_by: str | None, lanes: Sequence[str] | None) -> list[tuple[str, pd.DataFrame]]:
    if lane_by is None:
        return [("events", events)]
    if lane_by == "kind":
        names = _norm(lanes) or sorted(events["kind"].dropna().unique())
        return [(name, events[events["kind"] == name]) for name in names]
    if lane_by == "entity":
        names = _norm(lanes)
        if not names:
            counts = pd.Series([n for a, p in zip(events["actors"], events["places"], strict=True) for n in {*a, *p}])
            names = list(counts.value_counts().index[:8]) if len(counts) else []
        result = []
        for name in names:
            key = name.casefold()
            mask = [
                key in {str(n).casefold() for n in _as_list(a) + _as_list(p)}
                for a, p in zip(events["actors"], events["places"], strict=True)
            ]
            result.append((name, events[pd.Series(mask, index=events.index, dtype=bool)]))
        return result
    raise ParameterError("lane_by", lane_by, "must be None, 'kind' or 'entity'")


def _event_label(row) -> str:
    label = row.get("description")
    if label is None or (not isinstance(label, str) and pd.isna(label)) or not str(label).strip():
        label = row.get("text")
    return plain(label, limit=40)


def timeline(
    events: pd.DataFrame,
    *,
    lane_by: str | None = None,
    lanes: Sequence[str] | None = None,
    start=None,
    end=None,
    max_events: int = 300,
    max_rows_per_lane: int | None = None,
    open_bounds: bool = False,
    title: str = "Events over time",
) -> Figure:
    """A timeline of dated events: points for single days, bars for longer intervals.

    An event dated to one day is a point; one dated to a longer interval (``in
    2008``, ``the 2000s``) is a bar over that interval. An event known only by an
    open bound (``before 2003``, "before publication") is counted in the title and
    ``fig.newskit_info["n_hidden"]``, and drawn as a hatched stub only when
    ``open_bounds`` is True. Without ``start``/``end`` the axis spans the bulk of
    the dates (see :func:`date_window`): events outside it are listed in
    ``fig.newskit_info["outliers"]`` and never stretch the axis. Labels are packed
    into rows so that none overlaps another. With more than ``max_events`` events
    the chart counts events per period instead, so it stays readable for large corpora.

    Args:
        events: The ``events`` table (already filtered, e.g. by :func:`select_events`).
        lane_by: None (one lane), ``kind`` or ``entity`` (one lane per kind or entity).
        lanes: The lanes to draw for ``lane_by`` (default: every kind, or the 8
            entities involved in most events).
        start: Left edge of the chart (default: the bulk of the dates).
        end: Right edge of the chart (default: the bulk of the dates).
        max_events: Above this many events, draw counts per period.
        max_rows_per_lane: Label rows per lane (default 30 for one lane, 12 for several);
            events beyond are drawn unlabelled in one more row.
        open_bounds: Draw events known only by one bound as hatched stubs.
        title: Chart title.

    Returns:
        The Figure. Its artists carry ``gid`` ``event-points`` (one offset per
        point event), ``event-bars`` (one patch per interval) and ``event-labels``.
    """
    has_start, has_end = events["date_start"].notna(), events["date_end"].notna()
    dated = events[has_start | has_end]
    open_ended = dated[~(dated["date_start"].notna() & dated["date_end"].notna())]
    if not open_bounds:
        dated = dated[dated["date_start"].notna() & dated["date_end"].notna()]
    n_open = 0 if open_bounds else len(open_ended)
    if dated.empty:
        fig = empty_figure(title, NO_EVENTS if not n_open else f"{NO_EVENTS} with a known date ({n_open} open-ended)")
        return _set_info(fig, title=title, kind="timeline", n_drawn=0, n_hidden=n_open)
    lo, hi, _ = date_window(_midpoints(dated))  # one date per event: a decade-long bar counts once
    if start is not None:
        lo = _clamp(pd.Timestamp(start))
    if end is not None:
        hi = _clamp(pd.Timestamp(end))
    if hi < lo:
        lo, hi = hi, lo
    inside = _overlaps(dated, lo, hi)
    outliers = _outlier_rows(dated[~inside])
    n_outliers = int((~inside).sum())
    dated = dated[inside]
    lane_sets = [(name, frame) for name, frame in _lanes_of(dated, lane_by, lanes)]
    n_drawn = sum(len(frame) for _, frame in lane_sets)
    hidden = n_open + n_outliers
    if n_drawn == 0:
        fig = empty_figure(title)
        return _set_info(fig, title=title, kind="timeline", n_drawn=0, n_hidden=hidden, outliers=outliers)
    pad = max(_days_between(lo, hi) * 0.04, 3.0)
    left, right = _shift(lo, -pad), _shift(hi, 1 + pad)
    if n_drawn > max_events:
        fig = _timeline_counts(lane_sets, left, right, title)
        kind = "bar"
    else:
        if max_rows_per_lane is None:
            max_rows_per_lane = 30 if len(lane_sets) == 1 else 12
        fig = _timeline_events(lane_sets, left, right, max_rows_per_lane, title)
        kind = "timeline"
    notes = []
    if n_open:
        notes.append(f"{n_open} known only as before/after a date (not drawn)")
    if n_outliers:
        notes.append(f"{n_outliers} outside the axis (listed below the chart)")
    if notes:
        fig.axes[0].set_xlabel(fig.axes[0].get_xlabel() + "\n" + "; ".join(notes))
    return _set_info(fig, title=title, kind=kind, n_drawn=n_drawn, n_hidden=hidden, outliers=outliers)


def _timeline_events(lane_sets, left, right, max_rows: int, title: str) -> Figure:
    axes_px = (WIDTH - 2.2) * DPI  # room left for lane names
    # Widen the right edge so that the label of the latest event still fits inside the axes:
    # an event ending on day e with a label of L pixels needs a range of R >= e / (1 - L / axes_px) days.
    needed = _days_between(left, right)
    for _, frame in lane_sets:
        for _, row in frame[frame["date_end"].notna()].iterrows():
            end_day = (min(row["date_end"], right - _DAY) + _DAY - left) / _DAY
            label_px = len(_event_label(row)) * _CHAR_PX + 12
            needed = max(needed, end_day / max(1 - label_px / axes_px, 0.2))
    open_right = right - _DAY  # where an event with no end bound is drawn to
    needed = min(needed, _days_between(left, _LAST))  # a Timestamp cannot pass 2262
    right = _shift(left, needed)
    px_per_day = axes_px / max(needed, 1.0)
    stub = max(pd.Timedelta(days=_STUB_PX / px_per_day), _DAY)  # drawn length of an open-ended event
    gap_days = 6 / px_per_day
    placed = []  # (lane index, row, start, end, label, kind: point|bar|open)
    lane_rows = []
    overflow_rows = []  # (lane index, row, number of unlabelled events)
    for lane_index, (_, frame) in enumerate(lane_sets):
        rows_end: list[float] = []  # per row: the day number where it is free again
        overflow: list[tuple] = []
        spans = []
        # When not every event can get a label, the most relevant ones get the labelled rows.
        candidates = set(rank_events(frame, keep_index=True).index[: max_rows * 3])
        for index, row in frame.iterrows():
            start_known, end_known = pd.notna(row["date_start"]), pd.notna(row["date_end"])
            if start_known and end_known:
                s, e = max(row["date_start"], left), min(row["date_end"], open_right)
                shape = "point" if s == e else "bar"
            elif end_known:  # "before 2003": a short hatched stub ending at the bound
                e = min(row["date_end"], open_right)
                s, shape = max(e + _DAY - stub, left), "open"
            else:  # "after 2003": a stub starting at the bound
                s = max(row["date_start"], left)
                e, shape = max(min(s + stub - _DAY, open_right), s), "open"
            if index in candidates:
                spans.append((s, e, shape, row))
            else:
                overflow.append((s, e, shape))
        spans.sort(key=lambda span: (span[0], span[1]))
        for s, e, shape, row in spans:
            label = _event_label(row)
            s_day = (s - left) / _DAY
            e_day = (e + _DAY - left) / _DAY
            label_end = e_day + (len(label) * _CHAR_PX + 8) / px_per_day
            row_index = next((i for i, free in enumerate(rows_end) if free <= s_day), None)
            if row_index is None and len(rows_end) < max_rows:
                rows_end.append(0.0)
                row_index = len(rows_end) - 1
            if row_index is None:  # lane full: the event goes to an unlabelled row under the others
                overflow.append((s, e, shape))
                continue
            rows_end[row_index] = label_end + gap_days
            placed.append((lane_index, row_index, s, e, label, shape))
        if overflow:
            placed.extend((lane_index, len(rows_end), s, e, "", shape) for s, e, shape in overflow)
            overflow_rows.append((lane_index, len(rows_end), len(overflow)))
        lane_rows.append(max(len(rows_end) + (1 if overflow else 0), 1))
    # Lanes are stacked top to bottom; y grows upwards, so the first lane gets the highest rows.
    offsets, y = [], 0.0
    for n_rows in reversed(lane_rows):
        offsets.append(y)
        y += n_rows + 0.6
    offsets = offsets[::-1]
    total = y - 0.6
    fig, ax = _figure(height=min(1.6 + 0.32 * total, 24.0))
    colours = palette(len(lane_sets))
    point_x, point_y, point_c = [], [], []
    bars = {"bar": ([], [], [], []), "open": ([], [], [], [])}
    for lane_index, row_index, s, e, label, shape in placed:
        y_pos = offsets[lane_index] + lane_rows[lane_index] - 1 - row_index
        colour = colours[lane_index]
        if shape == "point":
            point_x.append(mdates.date2num(s + _DAY / 2))
            point_y.append(y_pos)
            point_c.append(colour)
            text_x = s + _DAY / 2
        else:
            lefts, widths, ys, cs = bars[shape]
            lefts.append(mdates.date2num(s))
            widths.append(mdates.date2num(e + _DAY) - mdates.date2num(s))
            ys.append(y_pos)
            cs.append(colour)
            text_x = e + _DAY
        if label:
            ax.annotate(
                label,
                (mdates.date2num(text_x), y_pos),
                xytext=(5, 0),
                textcoords="offset points",
                va="center",
                ha="left",
                fontsize=LABEL_FONT,
                gid="event-labels",
                annotation_clip=False,
            )
    if point_x:
        ax.scatter(point_x, point_y, c=point_c, s=36, zorder=3, edgecolors="white", linewidths=0.5, gid="event-points")
    for shape, (lefts, widths, ys, cs) in bars.items():
        if lefts:
            container = ax.barh(
                ys,
                widths,
                left=lefts,
                height=0.5,
                color=cs,
                alpha=0.55 if shape == "open" else 0.85,
                hatch="///" if shape == "open" else None,
                edgecolor=cs,
                zorder=2,
            )
            for patch in container.patches:
                patch.set_gid("event-bars")
    for lane_index, row_index, count in overflow_rows:
        ax.annotate(
            f"+{count} more, unlabelled (see the table)",
            (0, offsets[lane_index] + lane_rows[lane_index] - 1 - row_index),
            xycoords=("axes fraction", "data"),
            xytext=(4, 7),
            textcoords="offset points",
            fontsize=7,
            color="#555555",
            gid="overflow-note",
        )
    lane_names = [name for name, _ in lane_sets]
    ax.set_yticks([offsets[i] + (lane_rows[i] - 1) / 2 for i in range(len(lane_sets))])
    ax.set_yticklabels([plain(name, limit=24) for name in lane_names])
    for i in range(1, len(lane_sets)):
        ax.axhline(offsets[i - 1] - 0.8 + 0.5, color="#DDDDDD", linewidth=0.8)
    ax.set_ylim(-0.8, total - 0.2)
    ax.set_xlim(mdates.date2num(left), mdates.date2num(right))
    _date_axis(ax.xaxis)
    ax.set_xlabel("date (points: one day; bars: the interval the event falls in; hatched: open-ended)")
    ax.set_ylabel("lane" if len(lane_sets) > 1 else "")
    ax.grid(axis="x", color="#EEEEEE")
    n = len(placed)
    ax.set_title(f"{title} ({n} event{'s' if n != 1 else ''})")
    return fig


def _timeline_counts(lane_sets, left, right, title: str) -> Figure:
    span_days = _days_between(left, right)
    freq, period = ("D", "day") if span_days <= 120 else ("MS", "month") if span_days <= 365 * 8 else ("YS", "year")
    fig, ax = _figure(height=4.5)
    bottom = None
    total = 0
    for (name, frame), colour in zip(lane_sets, palette(len(lane_sets)), strict=True):
        mid = _midpoints(frame)
        counts = mid.dt.to_period(freq[0]).value_counts()
        total += len(frame)
        index = pd.period_range(left, right, freq=freq[0])
        counts = counts.reindex(index, fill_value=0)
        x = mdates.date2num(index.to_timestamp())
        width = {"day": 0.8, "month": 25, "year": 330}[period]
        ax.bar(
            x,
            counts.to_numpy(),
            width=width,
            bottom=bottom,
            color=colour,
            label=plain(name, limit=24),
            align="edge",
            gid="count-bars",
        )
        bottom = counts.to_numpy() if bottom is None else bottom + counts.to_numpy()
    _date_axis(ax.xaxis)
    ax.set_xlabel(f"date (events counted per {period}, at the middle of their interval)")
    ax.set_ylabel(f"events per {period}")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    if len(lane_sets) > 1:
        _legend_outside(ax, title="lane")
    ax.set_title(f"{title} ({total} events, counted per {period})")
    return fig


# ---------------------------------------------------------------------------- entities


def entity_mentions(facts: Facts, *, top_n: int = 15, title: str = "Most mentioned entities") -> Figure:
    """Horizontal bars: mentions per entity, coloured by entity label (top ``top_n``)."""
    mentions = facts.mentions
    if mentions.empty:
        return empty_figure(title, "no entities found")
    counts = mentions.groupby(["name", "label"], dropna=False).size().sort_values(ascending=False, kind="stable")
    counts = counts.iloc[:top_n][::-1]
    labels = [str(label) for _, label in counts.index]
    kinds = list(dict.fromkeys(labels))
    colour_of = dict(zip(kinds, palette(len(kinds)), strict=True))
    fig, ax = _figure(height=1.2 + 0.28 * len(counts))
    y = np.arange(len(counts))
    ax.barh(y, counts.to_numpy(), color=[colour_of[label] for label in labels], gid="entity-bars")
    ax.set_yticks(y)
    ax.set_yticklabels([plain(name, limit=32) for name, _ in counts.index])
    ax.set_xlabel("mentions (count)")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel("entity")
    _legend_outside(ax, title="label", handles=[Patch(color=colour_of[k], label=k) for k in kinds])
    ax.set_title(title)
    n_entities = mentions.groupby(["name", "label"], dropna=False).ngroups
    series = {"mentions": {str(name): int(v) for (name, _), v in counts.items()}}
    return _set_info(
        fig, title=title, kind="bar", n_drawn=len(counts), n_hidden=n_entities - len(counts), series=series
    )


def mentions_heatmap(
    facts: Facts,
    *,
    group_by: str = "source",
    entities: Sequence[str] | None = None,
    top_n: int = 20,
    max_groups: int = 25,
    title: str | None = None,
) -> Figure:
    """Heatmap: mentions of each entity (rows) in each group of articles (columns).

    Args:
        facts: The facts.
        group_by: ``source``, ``article`` or ``month`` (see :func:`article_groups`).
        entities: Entity names to show (default: the ``top_n`` most mentioned).
        top_n: Entities shown; the rest are summed into an ``other`` row.
        max_groups: Columns shown; smaller groups are summed into ``other``
            (months are kept in date order and the earliest folded).
    """
    title = title or f"Mentions per entity and {group_by}"
    mentions = facts.mentions
    if mentions.empty or facts.articles.empty:
        return empty_figure(title, "no entity mentions found")
    groups = article_groups(facts.articles, group_by)
    data = pd.DataFrame({"entity": mentions["name"].astype("string").fillna("(unnamed)")})
    data["group"] = mentions["article_id"].map(groups).fillna("(unknown)").to_numpy()
    wanted = _norm(entities)
    if wanted:
        data = data[data["entity"].str.casefold().isin([w.casefold() for w in wanted])]
        if data.empty:
            return empty_figure(title, "none of the chosen entities is mentioned")
    top_entities = _top_n(data["entity"].value_counts(), top_n).index
    data["entity"] = _keep_top(data["entity"], top_entities)
    group_counts = data["group"].value_counts()
    if group_by == "month":
        ordered = sorted(group_counts.index)
        kept = ordered[-max_groups:] if len(ordered) > max_groups else ordered
    else:
        kept = list(_top_n(group_counts, max_groups).index)
    data["group"] = _keep_top(data["group"], kept, "other")
    table = data.pivot_table(index="entity", columns="group", aggfunc="size", fill_value=0)
    table = table.loc[table.sum(axis=1).sort_values(ascending=False, kind="stable").index]
    if "other" in table.index:  # the folded row goes last
        table = table.loc[[i for i in table.index if i != "other"] + ["other"]]
    columns = sorted(table.columns) if group_by == "month" else list(table.sum().sort_values(ascending=False).index)
    if "other" in columns:
        columns = [c for c in columns if c != "other"] + ["other"]
    table = table[columns]
    n_rows, n_cols = table.shape
    fig, ax = _figure(height=1.8 + 0.3 * n_rows, width=max(WIDTH, 3 + 0.45 * n_cols))
    # The folded "other" row and column sum many entities or groups; scaling the colours to
    # them would darken every real cell, so they saturate instead (their counts are printed).
    named = table.drop(index="other", columns="other", errors="ignore").to_numpy()
    peak = named.max() if named.size and named.max() > 0 else max(table.to_numpy().max(), 1)
    image = ax.imshow(table.to_numpy(), aspect="auto", cmap="cividis", interpolation="nearest", vmin=0, vmax=peak)
    ax.set_xticks(range(n_cols))
    ax.set_xticklabels(
        [plain(c, limit=28) for c in table.columns],
        rotation=45 if n_cols > 4 else 0,
        ha="right" if n_cols > 4 else "center",
        fontsize=8,
    )
    ax.set_yticks(range(n_rows))
    ax.set_yticklabels([plain(i, limit=30) for i in table.index], fontsize=8)
    if n_rows * n_cols <= 400:
        for (r, c), value in np.ndenumerate(table.to_numpy()):
            if value:
                ax.text(
                    c,
                    r,
                    str(value),
                    ha="center",
                    va="center",
                    fontsize=7,
                    color="black" if value > peak * 0.6 else "white",
                )
    fig.colorbar(image, ax=ax, label="mentions (count)")
    ax.set_xlabel({"source": "source (outlet)", "article": "article", "month": "month of publication"}[group_by])
    ax.set_ylabel("entity")
    ax.set_title(title)
    n_named = n_rows - (1 if "other" in table.index else 0)
    return _set_info(
        fig,
        title=title,
        kind="heatmap",
        n_drawn=n_named,
        n_hidden=max(int(mentions["name"].nunique()) - n_named, 0) if "other" in table.index else 0,
        series={str(c): {str(i): int(v) for i, v in table[c].items() if v} for c in table.columns},
    )


# ---------------------------------------------------------------------------- quantities


def _quantity_key(quantities: pd.DataFrame) -> pd.Series:
    keys = [
        " ".join(str(counted).split()).lower() + (f" ({unit})" if isinstance(unit, str) and unit else "")
        for counted, unit in zip(quantities["counted"].astype(object), quantities["unit"].astype(object), strict=True)
    ]
    return pd.Series(keys, index=quantities.index, dtype=object)


def quantity_values(facts: Facts, *, top_n: int = 25, title: str = "Quantities reported") -> Figure:
    """Dot plot of the quantities in (typically) one article: one row per number, log scale.

    Each row is the number as written and what it counts; ranges are drawn as a
    line from low to high. The largest ``top_n`` numbers are shown.
    """
    q = facts.quantities
    q = q[q["value"].notna()]
    if q.empty:
        return empty_figure(title, "no quantities found")
    q = q.assign(_abs=q["value"].abs()).sort_values("_abs", ascending=False, kind="stable").iloc[:top_n]
    q = q.iloc[::-1]
    fig, ax = _figure(height=1.4 + 0.3 * len(q))
    kinds = list(dict.fromkeys(q["kind"].fillna("QUANTITY")))
    colour_of = dict(zip(kinds, palette(len(kinds)), strict=True))
    y = np.arange(len(q))
    values = q["value"].astype(float).to_numpy()
    low = q["low"].astype(float).fillna(q["value"].astype(float)).to_numpy()
    high = q["high"].astype(float).fillna(q["value"].astype(float)).to_numpy()
    ax.hlines(y, low, high, color="#BBBBBB", linewidth=3, zorder=1)
    ax.scatter(values, y, c=[colour_of[k] for k in q["kind"].fillna("QUANTITY")], s=40, zorder=3, gid="quantity-points")
    labels = [
        f"{plain(t, limit=28)} — {plain(c, limit=28)}" if isinstance(c, str) else plain(t, limit=40)
        for t, c in zip(q["text"], q["counted"], strict=True)
    ]
    ax.set_yticks(y)
    ax.set_yticklabels(labels, fontsize=8)
    if (values > 0).all() and values.max() / max(values.min(), 1e-9) > 100:
        ax.set_xscale("log")
    ax.xaxis.set_major_formatter(lambda v, _pos: fmt.compact(v))
    ax.set_xlabel("value as reported (unit per row; log scale when values span orders of magnitude)")
    ax.set_ylabel("number as written — what it counts")
    _legend_outside(ax, title="kind", handles=[Patch(color=colour_of[k], label=k) for k in kinds])
    ax.set_title(title)
    series = {"value": dict(zip(labels, values.tolist(), strict=True))}
    n_all = int(facts.quantities["value"].notna().sum())
    return _set_info(fig, title=title, kind="dot", n_drawn=len(q), n_hidden=n_all - len(q), series=series)


def shared_quantities(
    facts: Facts, *, group_by: str = "source", top_n: int = 12, min_articles: int = 2
) -> pd.DataFrame:
    """The quantities reported for the same counted thing (and unit) by several articles.

    Args:
        facts: The facts.
        group_by: How articles are grouped (see :func:`article_groups`).
        top_n: Counted things kept, those reported by most articles first.
        min_articles: Articles that must report a thing for it to be kept (when no
            thing reaches it, the most reported are kept anyway).

    Returns:
        Rows of ``facts.quantities`` with two more columns, ``compared`` (the counted
        thing, lower-cased, with its unit) and ``group``, ordered by ``compared``
        (most reported first) then value.
    """
    q = facts.quantities
    q = q[q["value"].notna() & q["counted"].notna()]
    if q.empty or facts.articles.empty:
        return q.assign(compared=pd.Series(dtype=object), group=pd.Series(dtype=object))
    groups = article_groups(facts.articles, group_by)
    q = q.assign(compared=_quantity_key(q).to_numpy(), group=q["article_id"].map(groups).fillna("(unknown)").to_numpy())
    spread = q.groupby("compared")["article_id"].nunique().sort_values(ascending=False, kind="stable")
    keys = list(spread[spread >= min_articles].index[:top_n]) or list(spread.index[:top_n])
    q = q[q["compared"].isin(keys)]
    order = {key: i for i, key in enumerate(keys)}
    return q.sort_values(["compared", "value"], key=lambda c: c.map(order) if c.name == "compared" else c).reset_index(
        drop=True
    )


def quantity_disagreement(
    facts: Facts,
    *,
    group_by: str = "source",
    top_n: int = 12,
    min_articles: int = 2,
    title: str = "Numbers reported for the same counted group",
) -> Figure:
    """Dot plot: the value each group of articles reported for the same counted thing and unit.

    One row per counted thing (``counted`` + ``unit``) reported by at least
    ``min_articles`` articles (fewer if none is), one dot per report coloured by
    group, so disagreement between outlets shows as spread along a row.
    """
    q = shared_quantities(facts, group_by=group_by, top_n=top_n, min_articles=min_articles)
    if q.empty:
        return empty_figure(title, "no counted quantities found")
    q = q.rename(columns={"compared": "_key", "group": "_group"})
    keys = list(dict.fromkeys(q["_key"]))
    top_groups = list(_top_n(q["_group"].value_counts(), 7).index)
    q = q.assign(_group=_keep_top(q["_group"], top_groups))
    group_names = [g for g in top_groups if g != "other"] + (["other"] if "other" in top_groups else [])
    colours = dict(zip(group_names, palette(len(group_names)), strict=True))
    colours["other"] = OTHER_COLOUR
    row_of = {key: i for i, key in enumerate(reversed(list(keys)))}
    fig, ax = _figure(height=1.6 + 0.38 * len(keys))
    rng = np.random.default_rng(0)  # jitter so identical reports stay visible, reproducibly
    points = 0
    for name in group_names:
        part = q[q["_group"] == name]
        if part.empty:
            continue
        y = part["_key"].map(row_of).to_numpy(dtype=float) + rng.uniform(-0.15, 0.15, len(part))
        ax.scatter(
            part["value"].astype(float),
            y,
            color=colours[name],
            s=40,
            alpha=0.85,
            label=plain(name, limit=28),
            gid="quantity-points",
            zorder=3,
        )
        points += len(part)
    values = q["value"].astype(float)
    if (values > 0).all() and values.max() / max(values.min(), 1e-9) > 100:
        ax.set_xscale("log")
    ax.xaxis.set_major_formatter(lambda v, _pos: fmt.compact(v))
    ax.set_yticks(list(row_of.values()))
    ax.set_yticklabels([plain(k, limit=40) for k in row_of], fontsize=8)
    ax.set_xlabel("reported value (in the row's unit; plain counts when none)")
    ax.set_ylabel("what is counted (unit)")
    _legend_outside(ax, title=group_by)
    ax.grid(axis="x", color="#EEEEEE")
    ax.set_title(f"{title} ({points} reports)")
    series = {
        str(key): {str(g): float(v) for g, v in zip(part["_group"], part["value"], strict=True)}
        for key, part in q.groupby("_key", sort=False)
    }
    return _set_info(fig, title=title, kind="dot", n_drawn=points, series=series)


# ---------------------------------------------------------------------------- casualties


def casualties_by_group(
    facts: Facts,
    *,
    top_n: int = 12,
    title: str = "Casualties by group and outcome",
) -> Figure:
    """Stacked bars: people reported killed, injured, ... per group who suffered it.

    Counts are summed over rows as reported (the low bound for vague amounts);
    rows whose count is not reported are left out of the sums. Several articles
    reporting one incident each add to the bars, so compare articles with
    care; the x axis says so (:func:`story_casualties` draws reconciled figures per
    story). Missing, kidnapped, arrested and displaced people get a panel of their own scale.
    """
    c = facts.casualties
    c = c[c["count"].notna() | c["low"].notna()]
    if c.empty:
        return empty_figure(title, "no casualties found")
    data = pd.DataFrame(
        {
            "group": c["group"].astype("string").fillna("(unstated)").to_numpy(),
            "outcome": c["outcome"].astype("string").fillna("other").to_numpy(),
            "people": c["count"].fillna(c["low"]).astype("Int64").fillna(0).astype(int).to_numpy(),
        }
    )
    totals = data.groupby("group")["people"].sum()
    kept = _top_n(totals, top_n).index
    data["group"] = _keep_top(data["group"], kept)
    table = data.pivot_table(index="group", columns="outcome", values="people", aggfunc="sum", fill_value=0)
    table = _bottom_up(table)
    outcomes = [o for o in OUTCOMES if o in table.columns] + [o for o in table.columns if o not in OUTCOMES]
    table = table[outcomes]
    return _stacked_bars(
        table,
        outcomes,
        gid="casualty-bars",
        own_scale=OTHER_MEASURES,
        xlabel="people (sum of reported counts)",
        ylabel="group",
        legend="outcome",
        title=title,
        row_height=0.35,
    )


# ---------------------------------------------------------------------------- attributions


def quotes_per_speaker(facts: Facts, *, top_n: int = 15, title: str = "Statements per speaker") -> Figure:
    """Stacked horizontal bars: attributions per source, split direct / mixed / indirect."""
    a = facts.attributions
    if a.empty:
        return empty_figure(title, "no attributed statements found")
    data = pd.DataFrame(
        {
            "source": a["source"].astype("string").fillna("(unknown source)").to_numpy(),
            "kind": a["kind"].astype("string").fillna("indirect").to_numpy(),
        }
    )
    kept = _top_n(data["source"].value_counts(), top_n).index
    data["source"] = _keep_top(data["source"], kept)
    table = data.pivot_table(index="source", columns="kind", aggfunc="size", fill_value=0)
    table = _bottom_up(table)
    kinds = [k for k in ("direct", "mixed", "indirect") if k in table.columns] + [
        k for k in table.columns if k not in ("direct", "mixed", "indirect")
    ]
    return _stacked_bars(
        table,
        kinds,
        gid="quote-bars",
        xlabel="statements attributed (count)",
        ylabel="speaker",
        legend="quotation",
        title=title,
        row_height=0.3,
    )


def _legend_outside(ax, *, title: str, handles=None) -> None:
    """The legend to the right of the axes, where it never hides data."""
    options = {"handles": handles} if handles is not None else {}
    ax.legend(title=title, fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1), **options)


def _stacked_bars(
    table: pd.DataFrame,
    stack: list,
    *,
    gid: str,
    xlabel: str,
    ylabel: str,
    legend: str,
    title: str,
    row_height: float,
    own_scale: Sequence[str] = (),
) -> Figure:
    """Horizontal bars, one row per index value of ``table``, its ``stack`` columns stacked left to right.

    Columns in ``own_scale`` (e.g. thousands displaced next to a dozen killed) are stacked
    on a second panel with its own scale, so that they never flatten the others.
    """
    colour_of = dict(zip(stack, palette(len(stack)), strict=True))
    right_cols = [c for c in stack if c in set(own_scale)]
    left_cols = [c for c in stack if c not in set(own_scale)]
    panels = [cols for cols in (left_cols, right_cols) if cols]
    fig = Figure(figsize=(WIDTH, 1.6 + row_height * len(table)), dpi=DPI, layout="constrained")
    axes = fig.subplots(1, len(panels), sharey=True, squeeze=False, width_ratios=[2, 1] if len(panels) == 2 else None)[
        0
    ]
    y = np.arange(len(table))
    for ax, cols in zip(axes, panels, strict=True):
        left = np.zeros(len(table))
        for column in cols:
            values = table[column].to_numpy(dtype=float)
            container = ax.barh(y, values, left=left, color=colour_of[column], label=column)
            for patch in container.patches:
                patch.set_gid(gid)
            left += values
        ax.xaxis.set_major_locator(MaxNLocator(nbins=5 if ax is axes[0] else 3, integer=True))
        ax.xaxis.set_major_formatter(lambda v, _pos: fmt.compact(v))
    ax = axes[0]
    ax.set_yticks(y)
    ax.set_yticklabels([plain(label, limit=32) for label in table.index])
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if len(panels) == 2:
        axes[1].set_xlabel("(own scale)")
        axes[0].legend(title=legend, fontsize=8, loc="lower right")
        _legend_outside(axes[1], title=legend)
    else:
        _legend_outside(ax, title=legend)
    ax.set_title(title)
    series = {str(c): {str(i): float(v) for i, v in table[c].items() if v} for c in stack}
    n_named = len(table) - (1 if "other" in table.index else 0)
    return _set_info(fig, title=title, kind="bar", n_drawn=n_named, n_hidden=0, series=series)


# ---------------------------------------------------------------------------- tone


def tone_over_time(
    facts: Facts,
    *,
    by: str = "source",
    top_n: int = 7,
    title: str | None = None,
) -> Figure:
    """Mean article tone per day, week or month, one line per group (top ``top_n`` groups, rest ``other``).

    A line joins two periods only when they are adjacent: a group silent for a while
    shows a gap, never a line across months or years it did not publish in. Articles
    dated far outside the bulk of publication dates are left out (listed in
    ``fig.newskit_info["outliers"]``).

    Args:
        facts: The facts (uses ``articles.tone`` and ``articles.published``).
        by: ``source`` or ``article`` (see :func:`article_groups`).
        top_n: Groups drawn as their own line.
        title: Chart title (default: ``Tone per <by> over time``).
    """
    title = title or f"Tone per {by} over time"
    arts = facts.articles
    arts = arts[arts["tone"].notna() & arts["published"].notna()]
    if arts.empty:
        fig = empty_figure(title, "no dated articles with a tone score")
        return _set_info(fig, title=title, kind="line", n_drawn=0)
    lo, hi, out = date_window(arts["published"])
    outliers = [
        {"date": fmt.date(d), "label": plain(t, limit=60)}
        for d, t in zip(arts["published"][out], arts["title"][out], strict=True)
    ]
    arts = arts[~out.to_numpy()]
    groups = article_groups(arts, "source" if by == "month" else by)
    data = pd.DataFrame(
        {
            "group": arts["article_id"].map(groups).to_numpy(),
            "tone": arts["tone"].astype(float).to_numpy(),
            "published": arts["published"].to_numpy(),
        }
    )
    span_days = _days_between(lo, hi)
    freq, period = ("D", "day") if span_days <= 62 else ("W", "week") if span_days <= 366 else ("M", "month")
    data["period"] = data["published"].dt.to_period(freq)
    kept = _top_n(data["group"].value_counts(), top_n).index
    data["group"] = _keep_top(data["group"], kept)
    fig, ax = _figure(height=4.2)
    names = [g for g in kept if g != "other"] + (["other"] if "other" in set(data["group"]) else [])
    colours = dict(zip(names, palette(len(names)), strict=False))
    colours["other"] = OTHER_COLOUR
    series: dict[str, dict] = {}
    n_lines = 0
    for name in names:
        means = data[data["group"] == name].groupby("period")["tone"].mean().sort_index()
        if means.empty:
            continue
        # NaN between non-adjacent periods breaks the line there.
        x, y = [], []
        previous = None
        for p, v in means.items():
            if previous is not None and (p - previous).n > 1:
                x.append(np.nan)
                y.append(np.nan)
            x.append(mdates.date2num(p.to_timestamp()))
            y.append(v)
            previous = p
        ax.plot(x, y, marker="o", linestyle="-", color=colours[name], label=plain(name, limit=28), gid="tone-lines")
        series[str(name)] = {_period_label(p): float(v) for p, v in means.items()}
        n_lines += 1
    ax.axhline(0, color="#888888", linewidth=0.8)
    ax.set_ylim(-1.05, 1.05)
    _date_axis(ax.xaxis)
    note = f"; {len(outliers)} articles dated outside the axis (listed below)" if outliers else ""
    ax.set_xlabel(f"publication {period} (no line across {period}s without articles){note}")
    ax.set_ylabel("mean tone (VADER compound, −1 … +1)")
    _legend_outside(ax, title=by)
    ax.set_title(title)
    hidden = max(len(data["group"].unique()) - n_lines, 0) if "other" not in names else 0
    return _set_info(fig, title=title, kind="line", n_drawn=n_lines, n_hidden=hidden, series=series, outliers=outliers)


# ---------------------------------------------------------------------------- stories


def top_stories(stories: pd.DataFrame, n: int | None = None) -> pd.DataFrame:
    """Stories by relevance: most outlets, then most articles, then latest report first.

    Args:
        stories: The ``stories`` table.
        n: Rows kept (None: all).

    Returns:
        The rows, sorted, index reset.
    """
    ordered = stories.sort_values(
        ["n_sources", "n_articles", "last_published", "story_id"],
        ascending=[False, False, False, True],
        na_position="last",
        kind="stable",
    ).reset_index(drop=True)
    return ordered if n is None else ordered.iloc[:n]


def find_story(stories: pd.DataFrame, query: str) -> str:
    """The id of the story ``query`` names: its id (or a unique prefix), or words of its label.

    Words match case-insensitively; among several stories whose label holds every word
    the most relevant (see :func:`top_stories`) is chosen.

    Raises:
        ParameterError: No story matches (the closest labels are suggested).
    """
    query = " ".join(str(query or "").split())
    if stories.empty:
        raise ParameterError("story", query, "cannot be found: the input has no stories", fix="link the facts first")
    ranked = top_stories(stories)
    if not query:
        return str(ranked["story_id"].iloc[0])
    ids = ranked["story_id"].astype(str)
    if (ids == query).any():
        return query
    prefixed = ids[ids.str.startswith(query)]
    if len(prefixed) == 1:
        return str(prefixed.iloc[0])
    words = query.casefold().split()
    labels = ranked["label"].astype("string").fillna("").str.casefold()
    hits = [all(w in label for w in words) for label in labels]
    if any(hits):
        return str(ids[hits].iloc[0])
    import difflib

    close = difflib.get_close_matches(query.casefold(), list(labels), n=3, cutoff=0.3)
    hint = f"did you mean {', '.join(repr(c) for c in close)}?" if close else "give a story id or words of its label"
    raise ParameterError("story", query, "matches no story", fix=hint)


def _story_name(row, *, limit: int = 48) -> str:
    label = row.get("label")
    if fmt.is_missing(label) or not str(label).strip():
        label = row.get("story_id")
    return str(label)[:limit]


def key_figures(figures: pd.DataFrame) -> pd.Series:
    """One headline figure per story (``12 killed``), indexed by ``story_id``.

    Deaths first, then injuries, then any other outcome; within a measure the figure
    for everyone in the story (``group`` <NA>), else the largest group's.
    """
    if figures.empty:
        return pd.Series(dtype=object)
    order = {m: i for i, m in enumerate(TOLL_MEASURES + OTHER_MEASURES)}
    f = figures[figures["measure"].isin(list(order)) & figures["value"].notna()]
    f = f.assign(
        _rank=f["measure"].map(order), _everyone=f["group"].isna().astype(int), _value=f["value"].astype(float)
    ).sort_values(["story_id", "_rank", "_everyone", "_value"], ascending=[True, True, False, False], kind="stable")
    first = f.groupby("story_id", sort=False).head(1)
    text = [
        f"{fmt.value_range(v, lo, hi)} {m}" if fmt.is_missing(g) else f"{fmt.value_range(v, lo, hi)} {m} ({g})"
        for v, lo, hi, m, g in zip(
            first["value"], first["low"], first["high"], first["measure"], first["group"], strict=True
        )
    ]
    return pd.Series(text, index=first["story_id"].astype(str).to_numpy(), dtype=object)


def _with_key(name: str, key) -> str:
    """``name: key`` unless there is no key or the name already says what it counts."""
    if key is None or fmt.is_missing(key):
        return name
    measure = key.split(" ")[-1].strip("()")
    number = key.split(" (")[0].split()[-1]
    return name if measure in name or number in name.split() else f"{name}: {key}"


def story_headline(story, figures: pd.DataFrame | None = None, *, keys: pd.Series | None = None) -> str:
    """What happened, in a few words: the story's label and its key figure (``Dravik bridge attack: 12 killed``).

    The figure is left out when the label already states it.

    Args:
        story: A row of ``stories`` (a mapping).
        figures: The ``figures`` table (its key figure is looked up there), or None.
        keys: :func:`key_figures` computed once for many stories (faster than ``figures``).
    """
    name = _story_name(story, limit=60)
    story_id = str(story.get("story_id"))
    if keys is None:
        if figures is None or figures.empty:
            return name
        keys = key_figures(figures[figures["story_id"] == story.get("story_id")])
    return _with_key(name, keys.get(story_id))


def story_timeline(
    facts: Facts,
    *,
    top_n: int = 12,
    markers_per_story: int = 5,
    title: str = "Stories over time",
) -> Figure:
    """One lane per story: when it happened to its last report, with its key events.

    The ``top_n`` stories with most outlets (then articles) get a lane each, labelled
    with what happened (label and key figure); a bar runs from ``date_start`` (when it
    happened; the first publication if unknown) to ``last_published``, and dots mark
    its salient events dated by when they happened (``dated_by`` other than
    ``publication``, both bounds known), at most ``markers_per_story`` (the days most
    events fall on). The other stories share one grey lane at the bottom. The axis spans
    the bulk of the dates; stories and events outside it are listed in
    ``fig.newskit_info["outliers"]``.

    ``fig.newskit_info["series"]`` holds ``sources`` and ``articles`` per lane.
    """
    stories = facts.stories
    if stories.empty:
        fig = empty_figure(title, "no stories found (facts not linked)")
        return _set_info(fig, title=title, kind="timeline", n_drawn=0)
    ranked = top_stories(stories)
    top, rest = ranked.iloc[:top_n], ranked.iloc[top_n:]
    begins = top["date_start"].fillna(top["first_published"]).fillna(top["last_published"])
    ends = top["last_published"].fillna(top["date_end"]).fillna(begins)
    events = facts.events
    salient = events[
        events["story_id"].isin(set(top["story_id"].dropna()))
        & events["salient"].fillna(False).astype(bool)
        & (events["dated_by"].fillna("publication") != "publication")
        & events["date_start"].notna()
        & events["date_end"].notna()
    ]
    marks = salient.assign(_day=_midpoints(salient))
    all_dates = pd.concat([begins, ends, marks["_day"], rest["date_start"], rest["last_published"]], ignore_index=True)
    lo, hi, _ = date_window(all_dates)
    if lo is None:
        fig = empty_figure(title, "no story has a known date")
        return _set_info(fig, title=title, kind="timeline", n_drawn=0, n_hidden=len(ranked))
    pad = max(_days_between(lo, hi) * 0.04, 3.0)
    left, right = _shift(lo, -pad), _shift(hi, 1 + pad)
    x_left, x_right = mdates.date2num(left), mdates.date2num(right)
    has_other = len(rest) > 0
    n_lanes = len(top) + (1 if has_other else 0)
    fig, ax = _figure(height=1.8 + 0.42 * n_lanes)
    outliers: list[dict] = []
    lane_names, sources, articles = [], {}, {}
    marker_x, marker_y = [], []
    key = key_figures(facts.figures)
    for i, (row, begin, end) in enumerate(zip(top.to_dict("records"), begins, ends, strict=True)):
        y = n_lanes - 1 - i
        name = _story_name(row)
        headline = _with_key(name, key.get(str(row["story_id"])))
        lane_names.append(headline)
        sources[headline], articles[headline] = row["n_sources"], row["n_articles"]
        if fmt.is_missing(begin):
            continue
        if begin < lo or begin > hi:  # a stray start date (an address read as a year): start at the first report
            outliers.append({"date": fmt.date(begin), "label": f"start of {name}"})
            begin = row["first_published"] if not fmt.is_missing(row["first_published"]) else end
        if end < lo or end > hi:
            outliers.append({"date": fmt.date(end), "label": f"last report of {name}"})
        s_num = max(mdates.date2num(_clamp(begin)), x_left)
        e_num = min(mdates.date2num(_clamp(end)) + 1, x_right)
        if e_num > s_num:
            patch = ax.barh(y, e_num - s_num, left=s_num, height=0.45, color=OKABE_ITO[i % 7], alpha=0.8)
            patch.patches[0].set_gid("story-bars")
        mine = marks[marks["story_id"] == row["story_id"]]
        if not mine.empty:
            days = mine["_day"].value_counts().sort_index(kind="stable")
            days = days.sort_values(ascending=False, kind="stable").iloc[:markers_per_story]
            for day in days.index:
                if lo <= day <= hi:
                    marker_x.append(mdates.date2num(day) + 0.5)
                    marker_y.append(y)
                else:
                    outliers.append({"date": fmt.date(day), "label": f"event of {name}"})
    if has_other:
        # Every other story as one translucent bar in the bottom lane, drawn in one call.
        begin = rest["date_start"].where(~date_window(rest["date_start"])[2], pd.NaT).fillna(rest["first_published"])
        finish = rest["last_published"].fillna(rest["date_end"])
        both = begin.notna() & finish.notna()
        s_num = np.maximum(mdates.date2num(begin[both].map(_clamp)), x_left)
        e_num = np.minimum(mdates.date2num(finish[both].map(_clamp)) + 1, x_right)
        wide = e_num > s_num
        if wide.any():  # one collection, not a patch per story: thousands of stories stay fast
            spans = list(zip(s_num[wide], (e_num - s_num)[wide], strict=True))
            ax.broken_barh(spans, (-0.15, 0.3), facecolors=OTHER_COLOUR, alpha=0.35)
        lane_names.append(f"{len(rest)} other stories")
    if marker_x:
        ax.scatter(marker_x, marker_y, s=42, color="black", marker="D", zorder=3, gid="event-points")
    ax.set_yticks(list(range(n_lanes - 1, -1, -1)))
    ax.set_yticklabels([plain(n, limit=60) for n in lane_names], fontsize=8)
    ax.set_ylim(-0.7, n_lanes - 0.3)
    ax.set_xlim(x_left, x_right)
    _date_axis(ax.xaxis)
    ax.grid(axis="x", color="#EEEEEE")
    note = f"; {len(outliers)} outside the axis (listed below)" if outliers else ""
    ax.set_xlabel(f"bar: from when it happened to its last report; ◆ key events, dated by when they happened{note}")
    shown = f"showing {len(top)} of {len(ranked)} stories"
    ax.set_title(f"{title} ({shown})")
    return _set_info(
        fig,
        title=title,
        kind="timeline",
        n_drawn=len(top),
        n_hidden=len(rest),
        series={"sources": sources, "articles": articles},
        outliers=outliers,
        lanes=lane_names,
        n_markers=len(marker_x),
    )


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


def events_over_time(
    events: pd.DataFrame,
    *,
    salient_only: bool = True,
    title: str = "Events over time, by kind",
) -> Figure:
    """Stacked bars: events per day, week, month or year (chosen from the span), by kind.

    Each event counts once (mentions sharing an ``event_id`` are one event), at the
    middle of its dates. Events known only by an open
    bound (``before publication``) are counted in ``n_hidden`` but not drawn, as are
    those outside the bulk of the dates (listed in ``outliers``). With ``salient_only``
    reporting and cognitive events (``salient`` False) are left out; rows whose
    ``salient`` is <NA> (not yet classified) are kept.

    ``fig.newskit_info["series"]``: events per period for each kind.
    """
    ev = events
    if salient_only:
        ev = ev[ev["salient"].fillna(True).astype(bool)]
    # Mentions of one linked event (several outlets, several sentences) count once.
    linked = ev["event_id"].notna()
    ev = pd.concat([ev[~linked], ev[linked].drop_duplicates("event_id")]).sort_index(kind="stable")
    both = ev["date_start"].notna() & ev["date_end"].notna()
    n_open = int((~both & (ev["date_start"].notna() | ev["date_end"].notna())).sum())
    ev = ev[both]
    if ev.empty:
        message = NO_EVENTS if not n_open else f"{NO_EVENTS} with a known date ({n_open} open-ended)"
        return _set_info(empty_figure(title, message), title=title, kind="bar", n_drawn=0, n_hidden=n_open)
    mid = _midpoints(ev)
    lo, hi, out = date_window(mid)
    outliers = _outlier_rows(ev[out.to_numpy()])
    n_out = int(out.sum())
    ev, mid = ev[~out.to_numpy()], mid[~out.to_numpy()]
    freq, period = _period_of(_days_between(lo, hi))
    periods = mid.dt.to_period(freq)
    index = pd.period_range(periods.min(), periods.max(), freq=freq)
    kinds = [k for k in EVENT_KINDS if k in set(ev["kind"].dropna())] + (
        ["(no kind)"] if ev["kind"].isna().any() else []
    )
    kind_col = ev["kind"].astype("string").fillna("(no kind)")
    table = pd.crosstab(periods, kind_col).reindex(index=index, columns=kinds, fill_value=0)
    fig, ax = _figure(height=4.2)
    x = mdates.date2num(index.to_timestamp())
    width = {"day": 0.8, "week": 6, "month": 26, "year": 330}[period]
    bottom = np.zeros(len(index))
    series = {}
    for kind, colour in zip(kinds, palette(len(kinds)), strict=True):
        values = table[kind].to_numpy(dtype=float)
        ax.bar(x, values, width=width, bottom=bottom, color=colour, label=kind, align="edge", gid="count-bars")
        bottom += values
        series[kind] = {_period_label(p): int(v) for p, v in zip(index, values, strict=True) if v}
    _date_axis(ax.xaxis)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    notes = []
    if n_open:
        notes.append(f"{n_open} known only as before/after a date, not counted")
    if n_out:
        notes.append(f"{n_out} outside the axis (listed below)")
    ax.set_xlabel(
        f"date (per {period}, at the middle of each event's dates)" + ("\n" + "; ".join(notes) if notes else "")
    )
    ax.set_ylabel(f"events per {period}")
    _legend_outside(ax, title="kind")
    ax.set_title(f"{title} ({fmt.number(len(ev))} events, per {period})")
    return _set_info(
        fig, title=title, kind="bar", n_drawn=len(ev), n_hidden=n_open + n_out, series=series, outliers=outliers
    )


def story_casualties(facts: Facts, *, top_n: int = 15, title: str = "Casualties per story") -> Figure:
    """Reconciled tolls per story: one bar per story and outcome, the range across outlets as an error bar.

    Values come from ``figures`` (one reconciled value per story, outcome and group),
    never a sum over mentions or outlets. Per story and outcome the figure for
    everyone (``group`` <NA>) is drawn, else the largest group's (groups may overlap,
    so they are not added). Killed and injured share the left panel; arrested,
    displaced, missing and kidnapped (often far larger) get their own scale on the right.
    The ``top_n`` most relevant stories with a toll are drawn.

    ``fig.newskit_info["series"]``: ``{outcome: {story label: value}}`` for the stories drawn.
    """
    table = story_tolls(facts)
    if table.empty:
        fig = empty_figure(title, "no casualty figures found (facts not linked, or no toll reported)")
        return _set_info(fig, title=title, kind="bar", n_drawn=0)
    stories = table["story_id"].drop_duplicates()
    order = top_stories(facts.stories[facts.stories["story_id"].isin(set(stories))])
    shown_ids = list(order["story_id"].iloc[:top_n])
    known = set(order["story_id"])
    missing = [s for s in stories if s not in known]  # figures of a story the stories table lacks
    shown_ids += missing[: max(0, top_n - len(shown_ids))]
    n_hidden = len(stories) - len(shown_ids)
    names = dict(zip(order["story_id"], [_story_name(r, limit=40) for r in order.to_dict("records")], strict=True))
    table = table[table["story_id"].isin(shown_ids)]
    other_measures = [m for m in OTHER_MEASURES if m in set(table["measure"])]
    ncols = 2 if other_measures else 1
    fig = Figure(figsize=(WIDTH, 1.8 + 0.45 * len(shown_ids)), dpi=DPI, layout="constrained")
    axes = fig.subplots(1, ncols, sharey=True, width_ratios=[2, 1] if ncols == 2 else None, squeeze=False)[0]
    y_of = {sid: len(shown_ids) - 1 - i for i, sid in enumerate(shown_ids)}
    series: dict[str, dict] = {}
    for ax, measures in zip(axes, [list(TOLL_MEASURES), other_measures], strict=False):
        colours = palette(len(TOLL_MEASURES) + len(OTHER_MEASURES))
        height = 0.8 / max(len(measures), 1)
        for j, measure in enumerate(measures):
            part = table[table["measure"] == measure]
            if part.empty:
                continue
            ys = part["story_id"].map(y_of).to_numpy(dtype=float) + 0.4 - height * (j + 0.5)
            values = part["value"].astype(float).to_numpy()
            low = part["low"].astype(float).fillna(part["value"].astype(float)).to_numpy()
            high = part["high"].astype(float).fillna(part["value"].astype(float)).to_numpy()
            colour = colours[(TOLL_MEASURES + OTHER_MEASURES).index(measure)]
            bars = ax.barh(ys, values, height=height * 0.9, color=colour, label=measure)
            for patch in bars.patches:
                patch.set_gid("casualty-bars")
            spread = low != high
            if spread.any():
                ax.errorbar(
                    values[spread],
                    ys[spread],
                    xerr=[values[spread] - low[spread], high[spread] - values[spread]],
                    fmt="none",
                    ecolor="#333333",
                    capsize=3,
                    linewidth=1,
                )
            for v, yv, hv in zip(values, ys, high, strict=True):
                ax.annotate(
                    fmt.number(v),
                    (max(v, hv), yv),
                    xytext=(4, 0),
                    textcoords="offset points",
                    va="center",
                    fontsize=7,
                    gid="value-labels",
                )
            series[measure] = {names.get(sid, str(sid)): v for sid, v in zip(part["story_id"], values, strict=True)}
        ax.xaxis.set_major_locator(MaxNLocator(nbins=5 if ax is axes[0] else 3, integer=True))
        ax.xaxis.set_major_formatter(lambda v, _pos: fmt.compact(v))
        ax.margins(x=0.15)
        ax.grid(axis="x", color="#EEEEEE")
        ax.legend(fontsize=8, loc="best", title="outcome")
    axes[0].set_yticks(list(y_of.values()))
    axes[0].set_yticklabels([plain(names.get(sid, sid), limit=40) for sid in y_of], fontsize=8)
    axes[0].set_xlabel("people (reconciled figure; error bar: lowest–highest reported)")
    if ncols == 2:
        axes[1].set_xlabel("people (own scale)")
    axes[0].set_ylabel("story")
    shown = f"showing {len(shown_ids)} of {len(stories)} stories with a toll"
    fig.suptitle(f"{title} ({shown})")
    return _set_info(fig, title=title, kind="bar", n_drawn=len(shown_ids), n_hidden=n_hidden, series=series)


def story_tolls(facts: Facts) -> pd.DataFrame:
    """One reconciled figure per story and outcome (the rows :func:`story_casualties` draws).

    Per story and outcome: the figure for everyone in the story (``group`` <NA>) when
    there is one, else the largest group's; groups are never added (a police officer
    killed is also a person killed).

    Returns:
        Rows of ``figures`` (``story_id, measure, group, value, low, high, n_sources ...``).
    """
    f = facts.figures
    f = f[f["measure"].isin(list(TOLL_MEASURES + OTHER_MEASURES)) & f["value"].notna() & f["unit"].isna()]
    if f.empty:
        return f.reset_index(drop=True)
    f = f.assign(_everyone=f["group"].isna().astype(int), _value=f["value"].astype(float))
    f = f.sort_values(["story_id", "measure", "_everyone", "_value"], ascending=[True, True, False, False])
    return (
        f.groupby(["story_id", "measure"], sort=False)
        .head(1)
        .drop(columns=["_everyone", "_value"])
        .reset_index(drop=True)
    )


def disagreements(facts: Facts, *, min_sources: int = 2) -> pd.DataFrame:
    """The figures that at least ``min_sources`` outlets report, most disputed first.

    Returns:
        One row per figure: ``story_id, story, figure_id, measure, group, unit, value,
        low, high, spread`` (highest minus lowest value reported), ``n_sources``,
        ``n_reports``; sorted by spread relative to the value, then spread, then outlets.
    """
    reports = facts.figure_reports
    columns = [
        "story_id",
        "story",
        "figure_id",
        "what",
        "measure",
        "group",
        "unit",
        "value",
        "low",
        "high",
        "spread",
        "n_sources",
        "n_reports",
    ]
    if reports.empty:
        return pd.DataFrame(columns=columns)
    per = reports.assign(_source=reports["source"].astype("string").fillna("(no source)")).groupby("figure_id")
    stats = pd.DataFrame(
        {
            "n_sources": per["_source"].nunique(),
            "n_reports": per.size(),
            "low": per["value"].min().astype(float),
            "high": per["value"].max().astype(float),
        }
    )
    stats = stats[stats["n_sources"] >= min_sources]
    figs = facts.figures.set_index("figure_id")
    rows = stats.join(figs[["story_id", "measure", "group", "unit", "value"]], how="left")
    rows["story_id"] = rows["story_id"].fillna(
        reports.drop_duplicates("figure_id").set_index("figure_id")["story_id"].reindex(rows.index)
    )
    labels = dict(zip(facts.stories["story_id"], facts.stories["label"], strict=True))
    rows["story"] = [labels.get(s, s) for s in rows["story_id"]]
    rows["what"] = [
        " ".join(str(x) for x in (m, g, f"({u})" if not fmt.is_missing(u) else None) if not fmt.is_missing(x))
        for m, g, u in zip(rows["measure"], rows["group"], rows["unit"], strict=True)
    ]
    rows["spread"] = rows["high"] - rows["low"]
    scale = rows["value"].astype(float).fillna(rows["high"]).abs().clip(lower=1)
    rows = rows.assign(_relative=rows["spread"] / scale).sort_values(
        ["_relative", "spread", "n_sources"], ascending=False, kind="stable"
    )
    return rows.reset_index(names="figure_id")[columns]


def figure_disagreement(
    facts: Facts, *, top_n: int = 15, min_sources: int = 2, title: str = "Where outlets disagree"
) -> Figure:
    """Dot plot: for each figure reported by ``min_sources`` outlets or more, the values each outlet gave.

    One row per story figure (``Dravik attack — killed``), most disputed first; one dot
    per distinct value an outlet reported, coloured by outlet (top 7, the rest grey). A
    log scale is used when the values span more than two orders of magnitude.

    ``fig.newskit_info["series"]``: ``{row label: {outlet: latest value}}``.
    """
    rows = disagreements(facts, min_sources=min_sources)
    if rows.empty:
        fig = empty_figure(title, f"no figure is reported by {min_sources} outlets or more")
        return _set_info(fig, title=title, kind="dot", n_drawn=0)
    shown = rows.iloc[:top_n]
    reports = facts.figure_reports[facts.figure_reports["figure_id"].isin(set(shown["figure_id"]))]
    reports = reports.assign(_source=reports["source"].astype("string").fillna("(no source)"))
    outlets = list(_top_n(reports["_source"].value_counts(), 7).index)
    colours = dict(zip([o for o in outlets if o != "other"], palette(7), strict=False))
    colours["other"] = OTHER_COLOUR
    row_label = {
        fid: f"{plain(story, limit=30)} — {what}"
        for fid, story, what in zip(shown["figure_id"], shown["story"], shown["what"], strict=True)
    }
    y_of = {fid: len(shown) - 1 - i for i, fid in enumerate(shown["figure_id"])}
    fig, ax = _figure(height=1.8 + 0.4 * len(shown))
    series: dict[str, dict] = {}
    seen = set()
    for _, r in reports.sort_values("published", kind="stable").iterrows():
        outlet = r["_source"] if r["_source"] in colours else "other"
        key = (r["figure_id"], r["_source"], r["value"])
        series.setdefault(row_label[r["figure_id"]], {})[str(r["_source"])] = r["value"]
        if key in seen or fmt.is_missing(r["value"]):
            continue
        seen.add(key)
        ax.scatter(
            float(r["value"]),
            y_of[r["figure_id"]],
            s=48,
            color=colours[outlet],
            alpha=0.85,
            zorder=3,
            label=plain(outlet, limit=28),
            gid="quantity-points",
        )
    lows, highs = shown["low"].astype(float), shown["high"].astype(float)
    ax.hlines(list(y_of.values()), lows, highs, color="#DDDDDD", linewidth=2, zorder=1)
    values = reports["value"].astype(float).dropna()
    if len(values) and (values > 0).all() and values.max() / max(values.min(), 1e-9) > 100:
        ax.set_xscale("log")
    ax.xaxis.set_major_formatter(lambda v, _pos: fmt.compact(v))
    handles, labels = ax.get_legend_handles_labels()
    unique = dict(zip(labels, handles, strict=True))
    ax.legend(unique.values(), unique.keys(), title="outlet", fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))
    ax.set_yticks(list(y_of.values()))
    ax.set_yticklabels([row_label[f] for f in y_of], fontsize=8)
    ax.set_xlabel("value reported (one dot per outlet and value; grey line: lowest to highest)")
    ax.set_ylabel("story — figure")
    ax.grid(axis="x", color="#EEEEEE")
    ax.set_title(f"{title} (showing {len(shown)} of {len(rows)} figures reported by ≥{min_sources} outlets)")
    return _set_info(fig, title=title, kind="dot", n_drawn=len(shown), n_hidden=len(rows) - len(shown), series=series)


def figure_evolution(
    facts: Facts, story_id: str | None, *, top_n: int = 4, title: str = "How the figures evolved"
) -> Figure:
    """Step charts, one panel per figure of a story: the value each outlet reported, report by report.

    The ``top_n`` figures with most reports are drawn; x is publication time, each
    outlet a step line (its value holds until its next report).

    ``fig.newskit_info["series"]``: ``{figure: {outlet: latest value}}``.
    """
    reports = facts.figure_reports
    if story_id is not None:
        reports = reports[reports["story_id"] == story_id]
    reports = reports[reports["value"].notna() & reports["published"].notna()]
    if reports.empty:
        return _set_info(empty_figure(title, "no figures reported for this story"), title=title, kind="line", n_drawn=0)
    _, _, out = date_window(reports["published"])
    outliers = [
        {"date": fmt.date(d), "label": f"{plain(s, limit=30)}: {fmt.number(v)}"}
        for d, s, v in zip(reports["published"][out], reports["source"][out], reports["value"][out], strict=True)
    ]
    reports = reports[~out.to_numpy()]
    counts = reports["figure_id"].value_counts()
    shown = list(counts.index[:top_n])
    figs = facts.figures.set_index("figure_id")
    fig = Figure(figsize=(WIDTH, 1.2 + 2.2 * len(shown)), dpi=DPI, layout="constrained")
    axes = fig.subplots(len(shown), 1, sharex=True, squeeze=False)[:, 0]
    outlets = list(_top_n(reports["source"].astype("string").fillna("(no source)").value_counts(), 7).index)
    colours = dict(zip(outlets, palette(len(outlets)), strict=True))
    series: dict[str, dict] = {}
    published = reports["published"]
    end = mdates.date2num(_clamp(published.max())) + 0.5
    for ax, fid in zip(axes, shown, strict=True):
        mine = reports[reports["figure_id"] == fid].sort_values("published", kind="stable")
        row = figs.loc[fid] if fid in figs.index else {}
        what = " ".join(
            str(x)
            for x in (row.get("measure"), row.get("group"), row.get("unit"))
            if x is not None and not fmt.is_missing(x)
        ) or str(fid)
        series[what] = {}
        for outlet, part in mine.groupby(mine["source"].astype("string").fillna("(no source)"), sort=False):
            x = [*list(mdates.date2num(part["published"].map(_clamp))), end]
            v = [*list(part["value"].astype(float)), float(part["value"].iloc[-1])]
            ax.step(
                x,
                v,
                where="post",
                marker="o",
                markevery=list(range(len(v) - 1)),
                color=colours.get(outlet, OTHER_COLOUR),
                label=plain(outlet, limit=28),
                gid="figure-steps",
            )
            series[what][str(outlet)] = float(part["value"].iloc[-1])
        ax.set_ylabel(plain(what, limit=24), fontsize=8)
        ax.yaxis.set_major_formatter(lambda v, _pos: fmt.compact(v))
        ax.grid(color="#EEEEEE")
        _legend_outside(ax, title="outlet")
    _date_axis(axes[-1].xaxis)
    axes[-1].set_xlabel("publication time of the report")
    axes[0].set_title(f"{title} (showing {len(shown)} of {len(counts)} figures)")
    return _set_info(
        fig,
        title=title,
        kind="line",
        n_drawn=len(shown),
        n_hidden=len(counts) - len(shown),
        series=series,
        outliers=outliers,
    )


def story_articles(
    facts: Facts, story_id: str | None, *, max_labels: int = 30, title: str = "Reports of the story"
) -> Figure:
    """The story's articles side by side: one lane per outlet, one dot per article at its publication time.

    ``story_id`` None draws every article (facts not linked into stories).
    """
    arts = facts.articles if story_id is None else facts.articles[facts.articles["story_id"] == story_id]
    dated = arts[arts["published"].notna()]
    if dated.empty:
        fig = empty_figure(title, "no dated articles in this story")
        return _set_info(fig, title=title, kind="timeline", n_drawn=0, n_hidden=len(arts))
    _, _, out = date_window(dated["published"])
    outliers = [
        {"date": fmt.date(d), "label": plain(t, limit=60)}
        for d, t in zip(dated["published"][out], dated["title"][out], strict=True)
    ]
    dated = dated[~out.to_numpy()]
    sources = dated["source"].astype("string").fillna("(no source)")
    order = list(sources.value_counts().index)
    lanes = dict(zip(order, range(len(order) - 1, -1, -1), strict=True))
    fig, ax = _figure(height=1.6 + 0.45 * len(order))
    x = mdates.date2num(dated["published"].map(_clamp))
    ys = sources.map(lanes).to_numpy(dtype=float)
    ax.scatter(x, ys, s=50, color=OKABE_ITO[3], zorder=3, gid="event-points")
    labelled = len(dated) <= max_labels  # beyond, titles would pile up: the table under the chart lists them
    for xi, yi, t in zip(x, ys, dated["title"], strict=True) if labelled else ():
        ax.annotate(
            plain(t, limit=36),
            (xi, yi),
            xytext=(5, 6),
            textcoords="offset points",
            fontsize=7,
            gid="event-labels",
            annotation_clip=False,
        )
    ax.set_yticks(list(lanes.values()))
    ax.set_yticklabels([plain(o, limit=28) for o in lanes])
    ax.set_ylim(-0.7, len(order) - 0.2)
    span = max(float(np.ptp(x)), 1.0)
    ax.set_xlim(min(x) - 0.05 * span - 0.5, max(x) + 0.35 * span + 0.5)
    _date_axis(ax.xaxis)
    ax.set_xlabel("publication time")
    ax.set_ylabel("outlet")
    ax.grid(axis="x", color="#EEEEEE")
    ax.set_title(f"{title} ({len(dated)} articles, {len(order)} outlets)")
    return _set_info(
        fig,
        title=title,
        kind="timeline",
        n_drawn=len(dated),
        n_hidden=len(arts) - len(dated),
        series={"articles": {str(o): int(n) for o, n in sources.value_counts().items()}},
        outliers=outliers,
    )


def with_articles(rows: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """``rows`` (with ``article_id``) plus the article's ``title``, ``outlet`` and ``date`` (for evidence tables)."""
    meta = articles[["article_id", "title", "source", "published"]].rename(
        columns={"source": "outlet", "published": "date"}
    )
    drop = [c for c in ("title", "outlet", "date") if c in rows.columns]
    return rows.drop(columns=drop).merge(meta, on="article_id", how="left")


def figure_summary(fig: Figure) -> dict:
    """What a figure shows, as plain data: title, axis labels and counts of plotted marks.

    Used to check charts by content (tests, the report's figure metadata) rather
    than by pixels.

    Returns:
        ``{"title", "xlabel", "ylabel", "points", "bars", "labels", "lines", "message", "newskit"}`` for the
        first axes (``newskit``: ``fig.newskit_info`` with :func:`axis_ranges`, as CONTRACT.md asks): ``points`` counts scatter offsets, ``bars`` bar patches, ``labels``
        event labels, ``lines`` plotted lines (reference lines excluded), ``message``
        the "nothing to draw" text or None.
    """
    ax = fig.axes[0]
    points = sum(len(c.get_offsets()) for c in ax.collections if c.get_gid() in {"event-points", "quantity-points"})
    bars = sum(1 for p in ax.patches if p.get_gid() is not None and p.get_width() * p.get_height() > 0)
    message = ax.texts[0].get_text() if not ax.axison and ax.texts else None
    return {
        "title": ax.get_title(),
        "xlabel": ax.get_xlabel(),
        "ylabel": ax.get_ylabel(),
        "points": int(points),
        "bars": int(bars),
        "labels": sum(1 for t in ax.texts if t.get_gid() == "event-labels"),
        "lines": sum(1 for line in ax.get_lines() if line.get_gid() == "tone-lines"),
        "message": message,
        "newskit": {**getattr(fig, "newskit_info", {}), "axes": axis_ranges(fig)},
    }


def axis_ranges(fig: Figure) -> list[dict]:
    """The x and y range of every visible axes; a date axis as ISO days (``2024-03-10``).

    Returns:
        ``[{"x": [lo, hi], "y": [lo, hi], "x_dates": bool}]``, for the report manifest.
    """
    ranges = []
    for ax in fig.axes:
        if not ax.axison:
            continue
        x_dates = isinstance(ax.xaxis.get_major_formatter(), mdates.ConciseDateFormatter)
        x = [float(v) for v in ax.get_xlim()]
        if x_dates:
            x = [mdates.num2date(v).date().isoformat() for v in x]
        ranges.append({"x": x, "y": [float(v) for v in ax.get_ylim()], "x_dates": x_dates})
    return ranges
