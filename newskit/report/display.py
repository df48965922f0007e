"""Showing facts in a notebook safely: escaped HTML tables and cards, and figures with what they show.

Article text is untrusted: every string shown from it goes through :func:`escape`
(HTML-escaped, and bidirectional control characters made visible so that a
``U+202E`` cannot reorder what a reader sees) or into PNG images (charts).
:mod:`newskit.widgets` uses the same helpers.

:func:`show_figure` publishes each chart as a PNG with, under the display metadata
key ``"newskit"``, what it shows (:func:`figure_info`): title, kind, axis ranges,
items drawn and hidden, plotted values per series. ``newskit report`` collects these
into ``report.json``.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import math
import re
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ..formatting import number

__all__ = [
    "BIDI_CONTROLS",
    "article_card",
    "escape",
    "figure_info",
    "figure_png",
    "show_figure",
    "show_html",
    "show_message",
    "show_table",
    "table_html",
    "visible_controls",
]

#: Bidirectional embedding, override and isolate characters (U+202A-U+202E, U+2066-U+2069): they can
#: make text read in another order than it is stored ("Trojan Source"), so they are shown, not obeyed.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def visible_controls(text: str) -> str:
    """``text`` with each bidirectional control character written as ``[U+202E]``."""
    return BIDI_CONTROLS.sub(lambda m: f"[U+{ord(m.group()):04X}]", text)


def escape(text, *, quote: bool = True) -> str:
    """HTML-escaped text with bidirectional controls made visible (see :data:`BIDI_CONTROLS`)."""
    return html.escape(visible_controls(str(text)), quote=quote)


def _cell(value, limit: int) -> str:
    if isinstance(value, list | tuple):
        value = ", ".join(str(v) for v in value)
    elif value is None or (not isinstance(value, str) and pd.api.types.is_scalar(value) and pd.isna(value)):
        return "—"
    elif isinstance(value, pd.Timestamp):
        value = value.strftime("%Y-%m-%d") if value == value.normalize() else value.strftime("%Y-%m-%d %H:%M")
    elif isinstance(value, float):
        value = number(value)
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# Text reads best left-aligned (JupyterLab right-aligns table cells for numbers); short cells
# such as dates stay on one line. These constant styles are the only ones the sanitizer keeps.
_LEFT = "text-align: left; vertical-align: top;"
_NOWRAP = " white-space: nowrap;"
_SHORT = 16


def table_html(
    df: pd.DataFrame,
    *,
    columns: Sequence[str] | None = None,
    max_rows: int = 30,
    max_chars: int = 160,
    empty: str = "no rows",
) -> str:
    """An HTML table of ``df`` with every cell escaped (article text is untrusted)."""
    if columns is not None:
        df = df[[c for c in columns if c in df.columns]]
    if df.empty:
        return f'<p class="nk-empty"><em>{escape(empty)}</em></p>'
    shown = df.head(max_rows)
    head = "".join(f'<th style="{_LEFT}">{escape(c)}</th>' for c in shown.columns)

    def td(value) -> str:
        text = _cell(value, max_chars)
        style = _LEFT + (_NOWRAP if len(text) <= _SHORT else "")
        return f'<td style="{style}">{escape(text)}</td>'

    body = "".join("<tr>" + "".join(td(v) for v in row) + "</tr>" for row in shown.itertuples(index=False, name=None))
    note = f"<p><em>showing {max_rows} of {len(df)} rows</em></p>" if len(df) > max_rows else ""
    return f'<table class="dataframe nk-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{note}'


def _display(obj, **kwargs) -> None:
    from IPython.display import display

    display(obj, **kwargs)


def show_html(markup: str) -> None:
    """Display HTML the caller built from escaped parts (bidirectional controls are made visible)."""
    from IPython.display import HTML

    _display(HTML(visible_controls(markup)))


def show_table(
    df: pd.DataFrame,
    *,
    columns: Sequence[str] | None = None,
    max_rows: int = 30,
    max_chars: int = 160,
    empty: str = "no rows",
) -> None:
    """Display ``df`` as an escaped HTML table (at most ``max_rows`` rows, long cells cut)."""
    show_html(table_html(df, columns=columns, max_rows=max_rows, max_chars=max_chars, empty=empty))


def show_message(message: str) -> None:
    """Display a short escaped note (e.g. "no events found")."""
    show_html(f'<p class="nk-note"><em>{escape(message)}</em></p>')


def figure_png(fig, *, dpi: int = 100) -> bytes:
    """The figure as PNG bytes."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


# ---------------------------------------------------------------------------- what a figure shows


def jsonable(value):
    """``value`` as plain JSON data: numpy and pandas scalars unwrapped, dates as ISO strings, NaN as None."""
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | np.ndarray | pd.Index | pd.Series):
        return [jsonable(v) for v in (value.tolist() if hasattr(value, "tolist") else value)]
    if isinstance(value, pd.Timestamp | dt.datetime | dt.date):
        return None if pd.isna(value) else value.isoformat()
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is None or isinstance(value, str | int | float | bool):
        return value
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return str(value)


def _is_date_axis(axis) -> bool:
    import matplotlib.dates as mdates

    converter = axis.get_converter() if hasattr(axis, "get_converter") else getattr(axis, "converter", None)
    if isinstance(converter, mdates.DateConverter | mdates._SwitchableDateConverter):
        return True
    return isinstance(axis.get_major_locator(), mdates.DateLocator) or isinstance(
        axis.get_major_formatter(), mdates.DateFormatter | mdates.AutoDateFormatter | mdates.ConciseDateFormatter
    )


def _limits(axis, limits) -> list:
    import matplotlib.dates as mdates

    lo, hi = (float(v) for v in limits)
    if not _is_date_axis(axis):
        return [lo, hi]
    try:
        return [mdates.num2date(v).replace(tzinfo=None).isoformat() for v in (lo, hi)]
    except (ValueError, OverflowError):  # beyond what datetime holds: keep the numbers
        return [lo, hi]


def _tick_labels(axis) -> int:
    """How many tick labels ``axis`` writes (non-empty, visible, within its limits): lanes, bars, dates."""
    return sum(1 for label in axis.get_ticklabels() if label.get_visible() and label.get_text().strip())


def _axes_ranges(fig) -> list[dict]:
    """Per visible axes (colour bars excluded): title, labels, scales, x/y limits (dates as ISO), tick labels."""
    ranges = []
    for ax in fig.axes:
        if not ax.get_visible() or not ax.axison or ax.get_label() == "<colorbar>":
            continue
        ranges.append(
            {
                "title": ax.get_title(),
                "xlabel": ax.get_xlabel(),
                "ylabel": ax.get_ylabel(),
                "xscale": ax.get_xscale(),
                "yscale": ax.get_yscale(),
                "x": _limits(ax.xaxis, ax.get_xlim()),
                "y": _limits(ax.yaxis, ax.get_ylim()),
                "n_xticklabels": _tick_labels(ax.xaxis),
                "n_yticklabels": _tick_labels(ax.yaxis),
            }
        )
    return ranges


def _read_figure(fig) -> dict:
    """What can be read from a figure without ``fig.newskit_info``: title, kind, marks drawn, bar values."""
    from matplotlib.container import BarContainer

    axes = [ax for ax in fig.axes if ax.get_visible()]
    suptitle = fig._suptitle.get_text() if getattr(fig, "_suptitle", None) is not None else ""
    title = suptitle or next((ax.get_title() for ax in axes if ax.get_title()), "")
    bars = [c for ax in axes for c in ax.containers if isinstance(c, BarContainer)]
    points = sum(len(c.get_offsets()) for ax in axes for c in ax.collections if hasattr(c, "get_offsets"))
    lines = sum(len(ax.get_lines()) for ax in axes)
    kind = "bar" if bars else "dot" if points else "line" if lines else "image" if any(ax.images for ax in axes) else ""
    series = {}
    for index, container in enumerate(bars):
        ax = next(a for a in axes if container in a.containers)
        horizontal = getattr(container, "orientation", "vertical") == "horizontal"
        ticks = [t.get_text() for t in (ax.get_yticklabels() if horizontal else ax.get_xticklabels())]
        values = [p.get_width() if horizontal else p.get_height() for p in container.patches]
        if len(ticks) != len(values) or not all(ticks):
            continue  # bars without a category label each (a timeline's interval bars) are not a series
        name = container.get_label() or ""
        series[name if name and not name.startswith("_") else f"series {index + 1}"] = dict(
            zip(ticks, values, strict=True)
        )
    n_drawn = sum(len(c.patches) for c in bars) + points + (lines if not bars and not points else 0)
    return {"title": title, "kind": kind, "n_drawn": n_drawn, "n_hidden": None, "series": series}


def figure_info(fig, name: str | None = None, *, extra: Mapping | None = None) -> dict:
    """What a figure shows, as JSON data: ``fig.newskit_info`` (set by :mod:`newskit.plots`) plus axis ranges.

    A figure without ``newskit_info`` is described from its axes (title, kind guessed
    from what is drawn, number of bars/points/lines, bar heights per series,
    ``n_hidden`` None: unknown).

    Args:
        fig: The matplotlib figure.
        name: The figure's name in the report.
        extra: More facts about the figure for the manifest (e.g. the casualty totals of
            :func:`newskit.report.casualty_totals` beside the casualties chart); they
            never replace a key the figure itself sets.

    Returns:
        ``{"name", "title", "kind", "n_drawn", "n_hidden", "series", "axes": [{"x": [lo, hi],
        "y": [lo, hi], "n_xticklabels", "n_yticklabels", ...}], "marks", **extra}``; date axes
        give ISO strings; ``n_*ticklabels`` count the tick labels written (lanes, bars, dates);
        ``marks`` counts what the first axes draws (:func:`newskit.plots.figure_summary`).
    """
    from ..plots import figure_summary

    info = getattr(fig, "newskit_info", None)
    info = dict(info) if isinstance(info, Mapping) else _read_figure(fig)
    info.setdefault("series", {})
    marks = {k: v for k, v in figure_summary(fig).items() if k != "newskit"} if fig.axes else {}
    result = {**dict(extra or {}), "name": name, **info, "axes": _axes_ranges(fig), "marks": marks}
    return jsonable(result)


def show_figure(fig, name: str, *, extra: Mapping | None = None) -> None:
    """Display a figure as a PNG tagged ``name``, with :func:`figure_info` as display metadata ``"newskit"``.

    ``newskit report`` saves it as ``figures/<notebook>-<name>.png`` and copies the
    metadata (with ``extra``, see :func:`figure_info`) into ``report.json``, so an
    executed notebook can be checked by what its charts show rather than by pixels.
    """
    png = figure_png(fig)
    info = figure_info(fig, name, extra=extra)
    data = {"image/png": base64.b64encode(png).decode("ascii"), "text/plain": f"<figure {name}: {info.get('title')}>"}
    _display(data, raw=True, metadata={"newskit": info, "image/png": {"newskit_figure": name}})


def article_card(article: Mapping) -> str:
    """Escaped HTML of one article's metadata and tone."""

    def row(label, value):
        return f"<tr><th>{escape(label)}</th><td>{escape(_cell(value, 200))}</td></tr>"

    tone = article.get("tone")
    label = article.get("tone_label")
    label = "—" if label is None or pd.isna(label) else label
    tone_text = "—" if tone is None or pd.isna(tone) else f"{float(tone):+.2f} ({label})"
    parts = [
        row("title", article.get("title")),
        row("published", article.get("published")),
        row("source", article.get("source")),
        row("author", article.get("author")),
        row("url", article.get("url")),
        row("path", article.get("path")),
        row("id", article.get("article_id")),
        row("words", article.get("n_words")),
        f"<tr><th>tone</th><td>{escape(tone_text)}</td></tr>",
    ]
    return '<table class="nk-card">' + "".join(parts) + "</table>"
