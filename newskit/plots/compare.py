"""Groups of articles side by side (by outlet, article or month): mentions, reported numbers and tone."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .. import formatting as fmt
from ..errors import ParameterError
from ..facts import Facts
from ._common import (
    OTHER_COLOUR,
    WIDTH,
    _date_axis,
    _figure,
    _keep_top,
    _legend_outside,
    _norm,
    _set_info,
    _top_n,
    empty_figure,
    palette,
    plain,
)
from ._dates import _days_between, _period_label, axis_limits, date_window

#: How the comparative charts can group articles.
GROUP_BY: tuple[str, ...] = ("source", "article", "month")


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
    table = _mentions_table(data, group_by=group_by, top_n=top_n, max_groups=max_groups)
    fig = _draw_heatmap(table, group_by=group_by, title=title)
    n_rows = len(table)
    n_named = n_rows - (1 if "other" in table.index else 0)
    return _set_info(
        fig,
        title=title,
        kind="heatmap",
        n_drawn=n_named,
        n_hidden=max(int(mentions["name"].nunique()) - n_named, 0) if "other" in table.index else 0,
        series={str(c): {str(i): int(v) for i, v in table[c].items() if v} for c in table.columns},
    )


def _mentions_table(data: pd.DataFrame, *, group_by: str, top_n: int, max_groups: int) -> pd.DataFrame:
    """Mentions (``entity``, ``group`` per row) counted per entity and group, the rest folded into ``other``.

    Rows: most mentioned entities first, ``other`` last. Columns: months in date order (the
    latest ``max_groups`` kept), else the largest groups first; ``other`` last.
    """
    top_entities = _top_n(data["entity"].value_counts(), top_n).index
    data = data.assign(entity=_keep_top(data["entity"], top_entities))
    group_counts = data["group"].value_counts()
    if group_by == "month":
        ordered = sorted(group_counts.index)
        kept = ordered[-max_groups:] if len(ordered) > max_groups else ordered
    else:
        kept = list(_top_n(group_counts, max_groups).index)
    data = data.assign(group=_keep_top(data["group"], kept, "other"))
    table = data.pivot_table(index="entity", columns="group", aggfunc="size", fill_value=0)
    table = table.loc[table.sum(axis=1).sort_values(ascending=False, kind="stable").index]
    if "other" in table.index:  # the folded row goes last
        table = table.loc[[i for i in table.index if i != "other"] + ["other"]]
    columns = sorted(table.columns) if group_by == "month" else list(table.sum().sort_values(ascending=False).index)
    if "other" in columns:
        columns = [c for c in columns if c != "other"] + ["other"]
    return table[columns]


def _draw_heatmap(table: pd.DataFrame, *, group_by: str, title: str) -> Figure:
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


def _quantity_key(quantities: pd.DataFrame) -> pd.Series:
    keys = [
        " ".join(str(counted).split()).lower() + (f" ({unit})" if isinstance(unit, str) and unit else "")
        for counted, unit in zip(quantities["counted"].astype(object), quantities["unit"].astype(object), strict=True)
    ]
    return pd.Series(keys, index=quantities.index, dtype=object)


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
        x, y = _broken_line(means)
        ax.plot(x, y, marker="o", linestyle="-", color=colours[name], label=plain(name, limit=28), gid="tone-lines")
        series[str(name)] = {_period_label(p): float(v) for p, v in means.items()}
        n_lines += 1
    ax.axhline(0, color="#888888", linewidth=0.8)
    ax.set_ylim(-1.05, 1.05)
    # the days published (a point sits at its period's start), a few days' room: one article is not six years
    first = min(lo, data["period"].min().start_time) if len(data) else lo
    ax.set_xlim(*(mdates.date2num(edge) for edge in axis_limits(first, hi)))
    _date_axis(ax.xaxis)
    note = f"; {len(outliers)} articles dated outside the axis (listed below)" if outliers else ""
    ax.set_xlabel(f"publication {period} (no line across {period}s without articles){note}")
    ax.set_ylabel("mean tone (VADER compound, −1 … +1)")
    _legend_outside(ax, title=by)
    ax.set_title(title)
    hidden = max(len(data["group"].unique()) - n_lines, 0) if "other" not in names else 0
    return _set_info(fig, title=title, kind="line", n_drawn=n_lines, n_hidden=hidden, series=series, outliers=outliers)


def _broken_line(means: pd.Series) -> tuple[list[float], list[float]]:
    """x and y of a line through values per period, broken (NaN) between periods that are not adjacent."""
    x, y = [], []
    previous = None
    for p, v in means.items():
        if previous is not None and (p - previous).n > 1:
            x.append(np.nan)
            y.append(np.nan)
        x.append(mdates.date2num(p.to_timestamp()))
        y.append(v)
        previous = p
    return x, y
