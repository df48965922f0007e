"""Reconciled story figures (the ``figures`` and ``figure_reports`` tables): tolls per story, where
outlets disagree, and how the figures evolved report by report."""

from __future__ import annotations

import matplotlib.dates as mdates
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from .. import formatting as fmt
from ..facts import Facts
from ._common import (
    DPI,
    OTHER_COLOUR,
    OTHER_MEASURES,
    TOLL_MEASURES,
    WIDTH,
    _date_axis,
    _figure,
    _legend_outside,
    _set_info,
    _top_n,
    empty_figure,
    palette,
    plain,
)
from ._dates import _clamp, date_window
from .stories import _story_name, top_stories


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
            colour = colours[(TOLL_MEASURES + OTHER_MEASURES).index(measure)]
            values = _toll_bars(ax, part, ys, height=height, colour=colour, label=measure)
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


def _toll_bars(ax, part: pd.DataFrame, ys, *, height: float, colour: str, label: str):
    """One outcome's bars (one per story at ``ys``), the lowest-highest reported as an error bar, values printed."""
    values = part["value"].astype(float).to_numpy()
    low = part["low"].astype(float).fillna(part["value"].astype(float)).to_numpy()
    high = part["high"].astype(float).fillna(part["value"].astype(float)).to_numpy()
    bars = ax.barh(ys, values, height=height * 0.9, color=colour, label=label)
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
    return values


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
    reports = reports[reports["figure_id"].notna()]  # round-ups count towards no figure
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
    # round-ups (figure_id <NA>) count towards no figure
    reports = reports[reports["value"].notna() & reports["published"].notna() & reports["figure_id"].notna()]
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
        what = _figure_name(figs, fid)
        series[what] = _figure_steps(ax, mine, what=what, end=end, colours=colours)
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


def _figure_name(figs: pd.DataFrame, fid) -> str:
    """``killed police officer``: what figure ``fid`` counts (``figs`` indexed by ``figure_id``), else its id."""
    row = figs.loc[fid] if fid in figs.index else {}
    return " ".join(
        str(x)
        for x in (row.get("measure"), row.get("group"), row.get("unit"))
        if x is not None and not fmt.is_missing(x)
    ) or str(fid)


def _figure_steps(ax, reports: pd.DataFrame, *, what: str, end: float, colours: dict) -> dict[str, float]:
    """One panel: a step line per outlet through the values it reported (in time order), held until ``end``.

    Returns:
        The latest value of each outlet.
    """
    latest = {}
    for outlet, part in reports.groupby(reports["source"].astype("string").fillna("(no source)"), sort=False):
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
        latest[str(outlet)] = float(part["value"].iloc[-1])
    ax.set_ylabel(plain(what, limit=24), fontsize=8)
    ax.yaxis.set_major_formatter(lambda v, _pos: fmt.compact(v))
    ax.grid(color="#EEEEEE")
    _legend_outside(ax, title="outlet")
    return latest
