"""What one set of facts holds, per fact kind: entities, quantities, casualties and quotes as bars or dots."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from .. import formatting as fmt
from ..facts import Facts
from ._common import (
    DPI,
    OTHER_MEASURES,
    OUTCOMES,
    WIDTH,
    _bottom_up,
    _figure,
    _keep_top,
    _legend_outside,
    _set_info,
    _top_n,
    empty_figure,
    palette,
    plain,
)


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
