"""Events on a time axis: :func:`timeline` (one mark per event, labels packed into rows, or counts
per period when there are too many) and :func:`events_over_time` (events per period, by kind)."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from .. import formatting as fmt
from ..errors import ParameterError
from ..schema import EVENT_KINDS
from ._common import (
    DPI,
    LABEL_FONT,
    NO_EVENTS,
    WIDTH,
    _as_list,
    _date_axis,
    _figure,
    _legend_outside,
    _norm,
    _set_info,
    empty_figure,
    palette,
    plain,
)
from ._dates import (
    _DAY,
    _LAST,
    _clamp,
    _days_between,
    _midpoints,
    _overlaps,
    _period_label,
    _period_of,
    _shift,
    axis_limits,
    date_window,
)
from .select import rank_events

_CHAR_PX = 0.6 * LABEL_FONT * DPI / 72  # average glyph width of the label font, in pixels
_STUB_PX = 28  # pixels drawn for an event with one open bound
_AXES_PX = (WIDTH - 2.2) * DPI  # width of the axes: the rest is left for lane names


def _lanes_of(events: pd.DataFrame, lane_by: str | None, lanes: Sequence[str] | None) -> list[tuple[str, pd.DataFrame]]:
    if lane_by is None:
        return [("events", events)]
    if lane_by == "kind":
        names = _norm(lanes) or sorted(events["kind"].dropna().unique())
        return [(name, events[events["kind"] == name]) for name in names]
    if lane_by == "entity":
        names = _norm(lanes)
        if not names:
            # dict, not set: ties keep the order the events name them in (a set's order changes with the hash seed)
            named = [dict.fromkeys([*a, *p]) for a, p in zip(events["actors"], events["places"], strict=True)]
            counts = pd.Series([n for names_of_event in named for n in names_of_event])
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
    window=None,
    title: str = "Events over time",
) -> Figure:
    """A timeline of dated events: points for single days, bars for longer intervals.

    An event dated to one day is a point; one dated to a longer interval (``in
    2008``, ``the 2000s``) is a bar over that interval. An event known only by an
    open bound (``before 2003``, "before publication") is counted in the title and
    ``fig.newskit_info["n_hidden"]``, and drawn as a hatched stub only when
    ``open_bounds`` is True. Without ``start``/``end`` the axis spans the bulk of
    the dates (see :func:`date_window`) inside ``window``: events outside it are listed in
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
        window: ``(first, last)`` the axis never leaves without ``start``/``end``, e.g.
            :func:`publication_window` of the corpus's articles (None: the bulk of the dates).
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
    if start is not None or end is not None:
        window = None  # the dates asked for win
    lo, hi, _ = date_window(_midpoints(dated), within=window)  # one date per event: a decade-long bar counts once
    if lo is None:  # every event outside the window: all listed, none drawn
        lo, hi = _clamp(window[0]), _clamp(window[1])
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
    left, right = axis_limits(lo, hi, window)
    if n_drawn > max_events:
        fig = _timeline_counts(lane_sets, left, right, title)
        kind = "bar"
    else:
        if max_rows_per_lane is None:
            max_rows_per_lane = 30 if len(lane_sets) == 1 else 12
        last = _LAST if window is None else _clamp(window[1]) + _DAY
        fig = _timeline_events(lane_sets, left, right, max_rows_per_lane, title, last=last)
        kind = "timeline"
    notes = []
    if n_open:
        notes.append(f"{n_open} known only as before/after a date (not drawn)")
    if n_outliers:
        notes.append(f"{n_outliers} outside the axis (listed below the chart)")
    if notes:
        fig.axes[0].set_xlabel(fig.axes[0].get_xlabel() + "\n" + "; ".join(notes))
    return _set_info(fig, title=title, kind=kind, n_drawn=n_drawn, n_hidden=hidden, outliers=outliers)


def _timeline_events(lane_sets, left, right, max_rows: int, title: str, *, last: pd.Timestamp = _LAST) -> Figure:
    """Every event as a point or a bar with its label: first the layout (where each label goes), then the drawing.

    The axis is widened to the right for the last labels, never beyond ``last``.
    """
    open_right = right - _DAY  # where an event with no end bound is drawn to
    right, px_per_day = _label_room(lane_sets, left, right, last=last)
    placed = []  # (lane index, row index, start, end, label, shape: point|bar|open)
    lane_rows = []  # rows per lane
    overflow_rows = []  # (lane index, row index, number of unlabelled events)
    for lane_index, (_, frame) in enumerate(lane_sets):
        marks, n_rows, n_overflow = _pack_lane(frame, left, open_right, px_per_day, max_rows)
        placed += [(lane_index, *mark) for mark in marks]
        if n_overflow:
            overflow_rows.append((lane_index, n_rows - 1, n_overflow))
        lane_rows.append(n_rows)
    offsets, total = _lane_offsets(lane_rows)
    fig, ax = _figure(height=min(1.6 + 0.32 * total, 24.0))

    def y_of(lane_index: int, row_index: int) -> float:
        return offsets[lane_index] + lane_rows[lane_index] - 1 - row_index

    _draw_marks(ax, placed, y_of, palette(len(lane_sets)))
    for lane_index, row_index, count in overflow_rows:
        ax.annotate(
            f"+{count} more, unlabelled (see the table)",
            (0, y_of(lane_index, row_index)),
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


def _label_room(lane_sets, left, right, *, last: pd.Timestamp = _LAST) -> tuple[pd.Timestamp, float]:
    """The right edge, widened so that the label of the latest event still fits inside the axes, and pixels per day.

    An event ending on day e with a label of L pixels needs a range of R >= e / (1 - L / axes_px) days.
    """
    needed = _days_between(left, right)
    for _, frame in lane_sets:
        for _, row in frame[frame["date_end"].notna()].iterrows():
            end_day = (min(row["date_end"], right - _DAY) + _DAY - left) / _DAY
            label_px = len(_event_label(row)) * _CHAR_PX + 12
            needed = max(needed, end_day / max(1 - label_px / _AXES_PX, 0.2))
    needed = max(min(needed, _days_between(left, last)), 1.0)  # a Timestamp cannot pass 2262, nor the window
    return _shift(left, needed), _AXES_PX / max(needed, 1.0)


def _event_span(row, left, open_right, stub) -> tuple[pd.Timestamp, pd.Timestamp, str]:
    """Where one event is drawn: ``(start, end, shape)``, shape ``point``, ``bar`` or ``open`` (one bound known)."""
    start_known, end_known = pd.notna(row["date_start"]), pd.notna(row["date_end"])
    if start_known and end_known:
        s, e = max(row["date_start"], left), min(row["date_end"], open_right)
        return s, e, "point" if s == e else "bar"
    if end_known:  # "before 2003": a short hatched stub ending at the bound
        e = min(row["date_end"], open_right)
        return max(e + _DAY - stub, left), e, "open"
    s = max(row["date_start"], left)  # "after 2003": a stub starting at the bound
    return s, max(min(s + stub - _DAY, open_right), s), "open"


def _pack_lane(frame, left, open_right, px_per_day: float, max_rows: int) -> tuple[list[tuple], int, int]:
    """The rows of one lane: each labelled event goes to the first row free where it starts.

    When not every event can get a label, the most relevant ones (:func:`rank_events`) get the
    ``max_rows`` labelled rows and the rest go, unlabelled, to one more row under them.

    Returns:
        ``(marks, n_rows, n_overflow)``: ``(row index, start, end, label, shape)`` per event (the
        unlabelled ones last, in the bottom row), the rows the lane needs, the unlabelled events.
    """
    stub = max(pd.Timedelta(days=_STUB_PX / px_per_day), _DAY)  # drawn length of an open-ended event
    gap_days = 6 / px_per_day
    rows_end: list[float] = []  # per row: the day number where it is free again
    overflow: list[tuple] = []
    spans = []
    candidates = set(rank_events(frame, keep_index=True).index[: max_rows * 3])
    for index, row in frame.iterrows():
        s, e, shape = _event_span(row, left, open_right, stub)
        if index in candidates:
            spans.append((s, e, shape, row))
        else:
            overflow.append((s, e, shape))
    spans.sort(key=lambda span: (span[0], span[1]))
    marks = []
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
        marks.append((row_index, s, e, label, shape))
    marks.extend((len(rows_end), s, e, "", shape) for s, e, shape in overflow)
    return marks, max(len(rows_end) + (1 if overflow else 0), 1), len(overflow)


def _lane_offsets(lane_rows: list[int]) -> tuple[list[float], float]:
    """The y of each lane's bottom row and the total height: lanes stacked top to bottom, 0.6 apart.

    y grows upwards, so the first lane gets the highest rows.
    """
    offsets, y = [], 0.0
    for n_rows in reversed(lane_rows):
        offsets.append(y)
        y += n_rows + 0.6
    return offsets[::-1], y - 0.6


def _draw_marks(ax, placed: list[tuple], y_of, colours: list[str]) -> None:
    """Points for single days, bars for intervals (hatched when open-ended), each with its label."""
    point_x, point_y, point_c = [], [], []
    bars = {"bar": ([], [], [], []), "open": ([], [], [], [])}
    for lane_index, row_index, s, e, label, shape in placed:
        y_pos = y_of(lane_index, row_index)
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


def _outlier_rows(frame: pd.DataFrame, *, limit: int = 50) -> list[dict]:
    """Events left off the axis, as ``{"date", "label"}`` for ``newskit_info`` and the table under a chart."""
    rows = []
    for _, row in frame.iterrows():
        rows.append({"date": fmt.date_span(row["date_start"], row["date_end"]), "label": _event_label(row)})
    return rows[:limit] + ([{"date": "…", "label": f"{len(rows) - limit} more"}] if len(rows) > limit else [])


def events_over_time(
    events: pd.DataFrame,
    *,
    salient_only: bool = True,
    window=None,
    title: str = "Events over time, by kind",
) -> Figure:
    """Stacked bars: events per day, week, month or year (chosen from the span), by kind.

    Each event counts once (mentions sharing an ``event_id`` are one event), at the
    middle of its dates. Events known only by an open
    bound (``before publication``) are counted in ``n_hidden`` but not drawn, as are
    those outside the bulk of the dates or outside ``window`` (e.g. :func:`publication_window`
    of the corpus's articles), listed in ``outliers``. With ``salient_only``
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
    lo, hi, out = date_window(mid, within=window)
    outliers = _outlier_rows(ev[out.to_numpy()])
    n_out = int(out.sum())
    ev, mid = ev[~out.to_numpy()], mid[~out.to_numpy()]
    if ev.empty:  # every dated event outside the window: listed, not drawn
        fig = empty_figure(title, f"{NO_EVENTS} within the axis ({n_out} outside, listed below)")
        return _set_info(fig, title=title, kind="bar", n_drawn=0, n_hidden=n_open + n_out, outliers=outliers)
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
    # the periods drawn, whole, with a little room; never beyond the window
    ax.set_xlim(*(mdates.date2num(e) for e in axis_limits(index[0].start_time, index[-1].end_time.floor("D"), window)))
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
