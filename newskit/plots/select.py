"""Which rows to draw or list: events and stories in a window or involving entities, events by
relevance, and the article columns evidence tables show."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ._common import _as_list, _norm


def _involving(rows: pd.DataFrame, entities) -> pd.Series:
    """Rows (events or stories) whose ``actors`` or ``places`` name any of ``entities`` (case-blind)."""
    wanted = {name.casefold() for name in _norm(entities)}
    involved = [
        bool(wanted & {str(n).casefold() for n in _as_list(a) + _as_list(p)})
        for a, p in zip(rows["actors"], rows["places"], strict=True)
    ]
    return pd.Series(involved, index=rows.index, dtype=bool)


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


def with_articles(rows: pd.DataFrame, articles: pd.DataFrame) -> pd.DataFrame:
    """``rows`` (with ``article_id``) plus the article's ``title``, ``outlet`` and ``date`` (for evidence tables)."""
    meta = articles[["article_id", "title", "source", "published"]].rename(
        columns={"source": "outlet", "published": "date"}
    )
    drop = [c for c in ("title", "outlet", "date") if c in rows.columns]
    return rows.drop(columns=drop).merge(meta, on="article_id", how="left")
