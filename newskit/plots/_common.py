"""What every chart shares: the palette, sizes, safe labels, folding into ``other``, the empty
figure and the ``fig.newskit_info`` record (see ``CONTRACT.md``)."""

from __future__ import annotations

from collections.abc import Iterable

import matplotlib.dates as mdates
import pandas as pd
from matplotlib.figure import Figure

from .. import formatting as fmt

#: Okabe & Ito (2008) "Color Universal Design" palette, readable with every common colour-vision
#: deficiency; yellow comes last because it has the least contrast on white.
OKABE_ITO: tuple[str, ...] = ("#E69F00", "#56B4E9", "#009E73", "#0072B2", "#D55E00", "#CC79A7", "#000000", "#F0E442")
#: Colour of the folded ``other`` category.
OTHER_COLOUR = "#999999"
#: The ``casualties.outcome`` values, in stacking order.
OUTCOMES: tuple[str, ...] = ("killed", "injured", "missing", "kidnapped", "arrested", "displaced")
#: Outcomes drawn on the main casualty panel; the others (often thousands) get their own scale.
TOLL_MEASURES: tuple[str, ...] = ("killed", "injured")
OTHER_MEASURES: tuple[str, ...] = ("missing", "kidnapped", "arrested", "displaced")

NO_EVENTS = "no events found"
WIDTH = 10.0  # inches: fits a notebook column and an A4 page at 100 dpi
DPI = 100
LABEL_FONT = 8


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


def _norm(names: Iterable[str] | None) -> list[str]:
    return [str(n) for n in (names or []) if str(n).strip()]


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


def _legend_outside(ax, *, title: str, handles=None) -> None:
    """The legend to the right of the axes, where it never hides data."""
    options = {"handles": handles} if handles is not None else {}
    ax.legend(title=title, fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1), **options)
