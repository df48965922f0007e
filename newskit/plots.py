"""Charts of extracted facts: every function takes tables and returns a matplotlib Figure.

The functions never call ``plt.show()`` and never touch pyplot's global state
(figures are built with :class:`matplotlib.figure.Figure`), so they are safe in
loops, tests and headless report runs. Every chart has a title and labelled axes,
uses the colour-blind-safe Okabe-Ito palette, and stays readable from one article
to tens of thousands: categories beyond ``top_n`` are folded into ``other`` and a
timeline with too many events becomes a count per period.

When there is nothing to draw the figure says so ("no events found") instead of
raising, so a report over tables an extractor left empty still renders.

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
from matplotlib.ticker import EngFormatter, MaxNLocator

from .errors import ParameterError
from .facts import Facts
from .schema import EVENT_KINDS

__all__ = [
    "EVENT_KINDS",
    "GROUP_BY",
    "OKABE_ITO",
    "OTHER_COLOUR",
    "article_groups",
    "casualties_by_group",
    "empty_figure",
    "entity_mentions",
    "figure_summary",
    "mentions_heatmap",
    "palette",
    "plain",
    "quantity_disagreement",
    "quantity_values",
    "quotes_per_speaker",
    "select_events",
    "shared_quantities",
    "timeline",
    "tone_over_time",
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


def _norm(names: Iterable[str] | None) -> list[str]:
    return [str(n) for n in (names or []) if str(n).strip()]


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
    wanted = {name.casefold() for name in _norm(entities)}
    if wanted:
        involved = [
            bool(wanted & {str(n).casefold() for n in _as_list(a) + _as_list(p)})
            for a, p in zip(events["actors"], events["places"], strict=True)
        ]
        keep &= pd.Series(involved, index=events.index, dtype=bool)
    kinds = _norm(kinds)
    if kinds:
        keep &= events["kind"].isin(kinds).fillna(False).astype(bool)
    return events[keep].reset_index(drop=True)


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
    title: str = "Events over time",
) -> Figure:
    """A timeline of dated events: points for single days, bars for longer intervals.

    An event dated to one day is a point; one dated to a longer interval (``in
    2008``, ``the 2000s``) is a bar over that interval; an open bound (``before
    2003``) is a hatched bar running to the edge of the chart. Labels are packed
    into rows so that none overlaps another. With more than ``max_events`` events
    the chart counts events per period instead, so it stays readable for large corpora.

    Args:
        events: The ``events`` table (already filtered, e.g. by :func:`select_events`).
        lane_by: None (one lane), ``kind`` or ``entity`` (one lane per kind or entity).
        lanes: The lanes to draw for ``lane_by`` (default: every kind, or the 8
            entities involved in most events).
        start: Left edge of the chart (default: the earliest date).
        end: Right edge of the chart (default: the latest date).
        max_events: Above this many events, draw counts per period.
        max_rows_per_lane: Label rows per lane (default 30 for one lane, 12 for several);
            events beyond are drawn unlabelled in one more row.
        title: Chart title.

    Returns:
        The Figure. Its artists carry ``gid`` ``event-points`` (one offset per
        point event), ``event-bars`` (one patch per interval) and ``event-labels``.
    """
    dated = events[events["date_start"].notna() | events["date_end"].notna()]
    if dated.empty:
        return empty_figure(title)
    lane_sets = [(name, frame) for name, frame in _lanes_of(dated, lane_by, lanes)]
    if sum(len(frame) for _, frame in lane_sets) == 0:
        return empty_figure(title)
    known = pd.concat([dated["date_start"], dated["date_end"]]).dropna()
    lo = pd.Timestamp(start) if start is not None else known.min()
    hi = pd.Timestamp(end) if end is not None else known.max()
    if hi < lo:
        lo, hi = hi, lo
    pad = max((hi - lo) * 0.04, pd.Timedelta(days=3))
    left, right = lo - pad, hi + _DAY + pad
    if sum(len(frame) for _, frame in lane_sets) > max_events:
        return _timeline_counts(lane_sets, left, right, title)
    if max_rows_per_lane is None:
        max_rows_per_lane = 30 if len(lane_sets) == 1 else 12
    return _timeline_events(lane_sets, left, right, max_rows_per_lane, title)


def _timeline_events(lane_sets, left, right, max_rows: int, title: str) -> Figure:
    axes_px = (WIDTH - 2.2) * DPI  # room left for lane names
    # Widen the right edge so that the label of the latest event still fits inside the axes:
    # an event ending on day e with a label of L pixels needs a range of R >= e / (1 - L / axes_px) days.
    needed = (right - left) / _DAY
    for _, frame in lane_sets:
        for _, row in frame[frame["date_end"].notna()].iterrows():
            end_day = (min(row["date_end"], right - _DAY) + _DAY - left) / _DAY
            label_px = len(_event_label(row)) * _CHAR_PX + 12
            needed = max(needed, end_day / max(1 - label_px / axes_px, 0.2))
    open_right = right - _DAY  # where an event with no end bound is drawn to
    right = left + needed * _DAY
    px_per_day = axes_px / max(needed, 1.0)
    stub = max(pd.Timedelta(days=_STUB_PX / px_per_day), _DAY)  # drawn length of an open-ended event
    gap_days = 6 / px_per_day
    placed = []  # (lane index, row, start, end, label, kind: point|bar|open)
    lane_rows = []
    for lane_index, (_, frame) in enumerate(lane_sets):
        rows_end: list[float] = []  # per row: the day number where it is free again
        overflow: list[tuple] = []
        spans = []
        for _, row in frame.iterrows():
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
            spans.append((s, e, shape, row))
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
    span_days = (right - left) / _DAY
    freq, period = ("D", "day") if span_days <= 120 else ("MS", "month") if span_days <= 365 * 8 else ("YS", "year")
    fig, ax = _figure(height=4.5)
    bottom = None
    total = 0
    for (name, frame), colour in zip(lane_sets, palette(len(lane_sets)), strict=True):
        s = frame["date_start"].fillna(frame["date_end"])
        e = frame["date_end"].fillna(frame["date_start"])
        mid = s + (e - s) / 2
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
    return fig


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
    return fig


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
    else:
        ax.xaxis.set_major_formatter(EngFormatter(sep=" "))
    ax.set_xlabel("value as reported (unit per row; log scale when values span orders of magnitude)")
    ax.set_ylabel("number as written — what it counts")
    _legend_outside(ax, title="kind", handles=[Patch(color=colour_of[k], label=k) for k in kinds])
    ax.set_title(title)
    return fig


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
    else:
        ax.xaxis.set_major_formatter(EngFormatter(sep=" "))
    ax.set_yticks(list(row_of.values()))
    ax.set_yticklabels([plain(k, limit=40) for k in row_of], fontsize=8)
    ax.set_xlabel("reported value (in the row's unit; plain counts when none)")
    ax.set_ylabel("what is counted (unit)")
    _legend_outside(ax, title=group_by)
    ax.grid(axis="x", color="#EEEEEE")
    ax.set_title(f"{title} ({points} reports)")
    return fig


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
    care; the x axis says so.
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
    table: pd.DataFrame, stack: list, *, gid: str, xlabel: str, ylabel: str, legend: str, title: str, row_height: float
) -> Figure:
    """Horizontal bars, one row per index value of ``table``, its ``stack`` columns stacked left to right."""
    fig, ax = _figure(height=1.6 + row_height * len(table))
    y = np.arange(len(table))
    left = np.zeros(len(table))
    for column, colour in zip(stack, palette(len(stack)), strict=True):
        values = table[column].to_numpy(dtype=float)
        container = ax.barh(y, values, left=left, color=colour, label=column)
        for patch in container.patches:
            patch.set_gid(gid)
        left += values
    ax.set_yticks(y)
    ax.set_yticklabels([plain(label, limit=32) for label in table.index])
    ax.set_xlabel(xlabel)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel(ylabel)
    _legend_outside(ax, title=legend)
    ax.set_title(title)
    return fig


# ---------------------------------------------------------------------------- tone


def tone_over_time(
    facts: Facts,
    *,
    by: str = "source",
    top_n: int = 7,
    title: str | None = None,
) -> Figure:
    """Mean article tone per month, one line per group (top ``top_n`` groups, rest ``other``).

    Args:
        facts: The facts (uses ``articles.tone`` and ``articles.published``).
        by: ``source`` or ``article`` (see :func:`article_groups`).
        top_n: Groups drawn as their own line.
    """
    title = title or f"Tone per {by} over time"
    arts = facts.articles
    arts = arts[arts["tone"].notna() & arts["published"].notna()]
    if arts.empty:
        return empty_figure(title, "no dated articles with a tone score")
    groups = article_groups(arts, "source" if by == "month" else by)
    data = pd.DataFrame(
        {
            "group": arts["article_id"].map(groups).to_numpy(),
            "tone": arts["tone"].astype(float).to_numpy(),
            "published": arts["published"].to_numpy(),
        }
    )
    span_days = (data["published"].max() - data["published"].min()) / _DAY
    freq, period = ("D", "day") if span_days <= 62 else ("M", "month")
    data["period"] = data["published"].dt.to_period(freq).dt.to_timestamp()
    kept = _top_n(data["group"].value_counts(), top_n).index
    data["group"] = _keep_top(data["group"], kept)
    fig, ax = _figure(height=4.2)
    names = [g for g in kept if g != "other"] + (["other"] if "other" in set(data["group"]) else [])
    colours = dict(zip(names, palette(len(names)), strict=False))
    colours["other"] = OTHER_COLOUR
    for name in names:
        series = data[data["group"] == name].groupby("period")["tone"].mean()
        ax.plot(
            mdates.date2num(series.index),
            series.to_numpy(),
            marker="o",
            linestyle="-" if len(series) > 1 else "none",
            color=colours[name],
            label=plain(name, limit=28),
            gid="tone-lines",
        )
    ax.axhline(0, color="#888888", linewidth=0.8)
    ax.set_ylim(-1.05, 1.05)
    _date_axis(ax.xaxis)
    ax.set_xlabel(f"publication {period}")
    ax.set_ylabel("mean tone (VADER compound, −1 … +1)")
    _legend_outside(ax, title=by)
    ax.set_title(title)
    return fig


def figure_summary(fig: Figure) -> dict:
    """What a figure shows, as plain data: title, axis labels and counts of plotted marks.

    Used to check charts by content (tests, the report's figure metadata) rather
    than by pixels.

    Returns:
        ``{"title", "xlabel", "ylabel", "points", "bars", "labels", "lines", "message"}`` for the
        first axes: ``points`` counts scatter offsets, ``bars`` bar patches, ``labels``
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
    }
