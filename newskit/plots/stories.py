"""Linked stories: ranking and finding them, their headline and key figure, and charts of a story
over time and of its articles."""

from __future__ import annotations

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .. import formatting as fmt
from ..errors import ParameterError
from ..facts import Facts
from ._common import (
    OKABE_ITO,
    OTHER_COLOUR,
    OTHER_MEASURES,
    TOLL_MEASURES,
    _date_axis,
    _figure,
    _set_info,
    empty_figure,
    plain,
)
from ._dates import _clamp, _midpoints, axis_limits, date_window, publication_window


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
    the bulk of the dates within the publication span of ``facts.articles`` widened by a
    margin (:func:`publication_window`); dates outside it (a story's background history, an
    address read as a year) are listed in ``fig.newskit_info["outliers"]``, never drawn.

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
    marks = _key_events(facts.events, top)
    all_dates = pd.concat([begins, ends, marks["_day"], rest["date_start"], rest["last_published"]], ignore_index=True)
    window = publication_window(facts.articles["published"])
    lo, hi, _ = date_window(all_dates, within=window)
    if lo is None:
        fig = empty_figure(title, "no story has a known date")
        return _set_info(fig, title=title, kind="timeline", n_drawn=0, n_hidden=len(ranked))
    x_range = tuple(mdates.date2num(edge) for edge in axis_limits(lo, hi, window))
    n_lanes = len(top) + (1 if len(rest) else 0)
    fig, ax = _figure(height=1.8 + 0.42 * n_lanes)
    outliers: list[dict] = []
    lane_names, sources, articles = [], {}, {}
    markers: list[tuple[float, float]] = []
    key = key_figures(facts.figures)
    for i, (row, begin, end) in enumerate(zip(top.to_dict("records"), begins, ends, strict=True)):
        name = _story_name(row)
        headline = _with_key(name, key.get(str(row["story_id"])))
        lane_names.append(headline)
        sources[headline], articles[headline] = row["n_sources"], row["n_articles"]
        if fmt.is_missing(begin):
            continue
        lane_markers, lane_outliers = _story_lane(
            ax,
            row,
            (begin, end),
            y=n_lanes - 1 - i,
            colour=OKABE_ITO[i % 7],
            marks=marks.loc[marks["story_id"] == row["story_id"], "_day"],
            axis=(lo, hi, *x_range),
            markers_per_story=markers_per_story,
        )
        markers += lane_markers
        outliers += lane_outliers
    if len(rest):
        _other_stories_lane(ax, rest, x_range, (lo, hi))
        lane_names.append(f"{len(rest)} other stories")
    if markers:
        marker_x, marker_y = zip(*markers, strict=True)
        ax.scatter(list(marker_x), list(marker_y), s=42, color="black", marker="D", zorder=3, gid="event-points")
    _story_axes(ax, lane_names, x_range, n_outliers=len(outliers))
    ax.set_title(f"{title} (showing {len(top)} of {len(ranked)} stories)")
    return _set_info(
        fig,
        title=title,
        kind="timeline",
        n_drawn=len(top),
        n_hidden=len(rest),
        series={"sources": sources, "articles": articles},
        outliers=outliers,
        lanes=lane_names,
        n_markers=len(markers),
    )


def _story_axes(ax, lane_names: list[str], x_range, *, n_outliers: int) -> None:
    """Lane names top to bottom, the date axis over ``x_range``, and what the marks mean."""
    n_lanes = len(lane_names)
    ax.set_yticks(list(range(n_lanes - 1, -1, -1)))
    ax.set_yticklabels([plain(n, limit=60) for n in lane_names], fontsize=8)
    ax.set_ylim(-0.7, n_lanes - 0.3)
    ax.set_xlim(*x_range)
    _date_axis(ax.xaxis)
    ax.grid(axis="x", color="#EEEEEE")
    note = f"; {n_outliers} outside the axis (listed below)" if n_outliers else ""
    ax.set_xlabel(f"bar: from when it happened to its last report; ◆ key events, dated by when they happened{note}")


def _key_events(events: pd.DataFrame, stories: pd.DataFrame) -> pd.DataFrame:
    """The salient events of ``stories`` dated by when they happened (both bounds known), with their middle ``_day``."""
    salient = events[
        events["story_id"].isin(set(stories["story_id"].dropna()))
        & events["salient"].fillna(False).astype(bool)
        & (events["dated_by"].fillna("publication") != "publication")
        & events["date_start"].notna()
        & events["date_end"].notna()
    ]
    return salient.assign(_day=_midpoints(salient))


def _story_lane(
    ax, row, span, *, y: float, colour: str, marks: pd.Series, axis, markers_per_story: int
) -> tuple[list[tuple[float, float]], list[dict]]:
    """Draw one story's bar, from ``span[0]`` (when it happened) to ``span[1]`` (its last report).

    ``axis`` is ``(lo, hi, x_left, x_right)``: the window of dates on the axis and its limits.

    Returns:
        ``(markers, outliers)``: ``(x, y)`` of its key events on the axis (the ``markers_per_story``
        days most of ``marks`` fall on), and the dates outside the window as outlier rows.
    """
    (begin, end), (lo, hi, x_left, x_right) = span, axis
    name = _story_name(row)
    outliers = []
    if begin < lo or begin > hi:  # a stray start date (an address read as a year): start at the first report
        outliers.append({"date": fmt.date(begin), "label": f"start of {name}"})
        begin = row["first_published"] if not fmt.is_missing(row["first_published"]) else end
    if end < lo or end > hi:
        outliers.append({"date": fmt.date(end), "label": f"last report of {name}"})
    s_num = max(mdates.date2num(_clamp(begin)), x_left)
    e_num = min(mdates.date2num(_clamp(end)) + 1, x_right)
    if e_num > s_num:
        patch = ax.barh(y, e_num - s_num, left=s_num, height=0.45, color=colour, alpha=0.8)
        patch.patches[0].set_gid("story-bars")
    markers = []
    if not marks.empty:
        days = marks.value_counts().sort_index(kind="stable")
        days = days.sort_values(ascending=False, kind="stable").iloc[:markers_per_story]
        for day in days.index:
            if lo <= day <= hi:
                markers.append((mdates.date2num(day) + 0.5, y))
            else:
                outliers.append({"date": fmt.date(day), "label": f"event of {name}"})
    return markers, outliers


def _other_stories_lane(ax, rest: pd.DataFrame, x_range, span) -> None:
    """Every other story as one translucent bar in the bottom lane, drawn in one call."""
    x_left, x_right = x_range
    # a start outside the axis (background history, a stray date): from the first report
    begin = rest["date_start"].where(rest["date_start"].between(*span), pd.NaT).fillna(rest["first_published"])
    finish = rest["last_published"].fillna(rest["date_end"])
    both = begin.notna() & finish.notna()
    s_num = np.maximum(mdates.date2num(begin[both].map(_clamp)), x_left)
    e_num = np.minimum(mdates.date2num(finish[both].map(_clamp)) + 1, x_right)
    wide = e_num > s_num
    if wide.any():  # one collection, not a patch per story: thousands of stories stay fast
        spans = list(zip(s_num[wide], (e_num - s_num)[wide], strict=True))
        ax.broken_barh(spans, (-0.15, 0.3), facecolors=OTHER_COLOUR, alpha=0.35)


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
