"""What a figure shows, as plain data, for tests and the report manifest (``report.json``)."""

from __future__ import annotations

import matplotlib.dates as mdates
import pandas as pd
from matplotlib.figure import Figure


def outliers_table(fig: Figure) -> pd.DataFrame:
    """The items a chart left off its axis (``fig.newskit_info["outliers"]``) as a table to show under it."""
    rows = getattr(fig, "newskit_info", {}).get("outliers", [])
    return pd.DataFrame(rows, columns=["date", "label"]) if rows else pd.DataFrame(columns=["date", "label"])


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
