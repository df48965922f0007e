"""The report notebooks' parameters: what each notebook declares, and checking values before any work.

:func:`validate_parameters` is the first thing every report notebook runs, and
:func:`newskit.report.run_report` runs it too before it starts anything, so a bad
value fails in a second with one line naming the parameter and the fix.

Dates have interval meaning: ``start``/``end`` accept a year (``2018``), a month
(``2018-03``, ``March 2018``) or a day (``2018-03-04``, ``4 March 2018``) and cover
the whole period, so ``end=2018`` keeps everything through 2018-12-31. Numeric dates
whose day and month could be swapped (``03/04/2018``) are refused, as the readers
refuse them in articles.

Examples:
    >>> validate_parameters(start="2018", end="2018")["end"]
    Timestamp('2018-12-31 23:59:59.999999')
"""

from __future__ import annotations

import datetime as dt
import glob
import json
import re
from pathlib import Path

import pandas as pd

from ..errors import ParameterError
from ..plots import GROUP_BY
from ..readers.dates import try_parse_date
from ..schema import EVENT_KINDS

__all__ = [
    "GROUP_BY",
    "MANIFEST",
    "NOTEBOOK_PARAMETERS",
    "date_bound",
    "is_store",
    "names",
    "validate_parameters",
]

#: The file that marks a directory as a facts store (written by :mod:`newskit.store`).
MANIFEST = "manifest.json"

_INPUT = (
    "str",
    "../data/demo",
    "article file or folder, or a facts store directory (one holding manifest.json)",
)
_INTERACTIVE = ("bool", True, "ipywidgets explorers in JupyterLab; `newskit report` runs with False")

#: Every report notebook's parameters: name → (type, default, meaning). The notebooks' tagged
#: ``parameters`` cells declare exactly these (``papermill --help-notebook`` prints them; a test checks).
NOTEBOOK_PARAMETERS: dict[str, dict[str, tuple[str, object, str]]] = {
    "article": {
        "input": _INPUT,
        "article": (
            "str",
            "",
            "article id (or its first characters), file name or exact title; empty for the first article",
        ),
        "interactive": _INTERACTIVE,
    },
    "timeline": {
        "input": _INPUT,
        "start": ("str", "", "earliest date shown, YYYY-MM-DD, or empty for no bound"),
        "end": ("str", "", "latest date shown (inclusive), YYYY-MM-DD, or empty for no bound"),
        "entities": ("list", [], "entity names to follow, one lane each; empty for every event"),
        "kinds": ("list", [], "event kinds: " + ", ".join(EVENT_KINDS) + "; empty for all"),
        "interactive": _INTERACTIVE,
    },
    "compare": {
        "input": _INPUT,
        "group_by": ("str", "source", "compare by: " + " | ".join(GROUP_BY)),
        "entities": (
            "list",
            [],
            "entity names for the mentions heatmap and the speakers chart; empty for the most mentioned",
        ),
        "interactive": _INTERACTIVE,
    },
    # story.ipynb comes from the charts work; its parameters cell must say exactly this (a test checks).
    "story": {
        "input": _INPUT,
        "story": (
            "str",
            "",
            "story id (or its first characters) or words of its label; empty for the story most outlets report",
        ),
        "interactive": _INTERACTIVE,
    },
}

DATE_FIX = "write a year (2018), a month (2018-03) or a day (2018-03-04), or leave it empty for no bound"
_YEAR = re.compile(r"\d{4}")
_MONTH = re.compile(r"(\d{4})[-/](\d{1,2})")
_MONTH_NAMES = ("%B %Y", "%b %Y", "%b. %Y")


def is_store(path) -> bool:
    """True when ``path`` is a facts store directory (it holds ``manifest.json``)."""
    path = Path(path)
    return path.is_dir() and (path / MANIFEST).is_file()


def _period(name: str, value) -> pd.Period | pd.Timestamp:
    """The period a date parameter names (year, month or day), or the instant of a datetime."""
    if isinstance(value, pd.Timestamp | dt.datetime):
        ts = pd.Timestamp(value)
        if ts.tzinfo is not None:
            ts = ts.tz_convert("UTC").tz_localize(None)
        return ts.to_period("D") if ts == ts.normalize() else ts
    if isinstance(value, dt.date):
        return pd.Period(value, freq="D")
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)  # papermill -p end 2018 gives an int
    if not isinstance(value, str):
        raise ParameterError(name, value, f"is a {type(value).__name__}, not a date", fix=DATE_FIX)
    text = " ".join(value.split())
    try:
        if _YEAR.fullmatch(text):
            return pd.Period(year=int(text), freq="Y")
        month = _MONTH.fullmatch(text)
        if month:
            if not 1 <= int(month.group(2)) <= 12:
                raise ValueError(f"month {month.group(2)} is not 1-12")
            return pd.Period(year=int(month.group(1)), month=int(month.group(2)), freq="M")
        for fmt in _MONTH_NAMES:
            try:
                return pd.Period(dt.datetime.strptime(text, fmt), freq="M")
            except ValueError:
                continue
    except (ValueError, OverflowError) as exc:
        raise ParameterError(name, value, f"is not a date ({exc})", fix=DATE_FIX) from exc
    parsed = try_parse_date(text)  # the readers' rules: ISO, RFC 2822, "4 March 2018"; ambiguous ones refused
    if not isinstance(parsed, pd.Timestamp):
        reason = f" ({parsed})" if parsed else ""
        raise ParameterError(name, value, "is not a date" + reason, fix=DATE_FIX)
    return parsed.to_period("D") if parsed == parsed.normalize() else parsed


def date_bound(name: str, value, *, side: str) -> pd.Timestamp | None:
    """A ``start`` (``side="start"``) or ``end`` bound: the first or last instant of the period named.

    Args:
        name: The parameter's name (for the error).
        value: Empty or None for no bound; a year, month or day as text; a date or Timestamp.
        side: ``"start"`` or ``"end"``.

    Raises:
        ParameterError: ``value`` is not a date, or its day and month could be swapped.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    period = _period(name, value)
    try:
        bound = (
            period if isinstance(period, pd.Timestamp) else period.start_time if side == "start" else period.end_time
        )
        return bound.as_unit("ns")  # the unit of the facts' date columns, so comparisons never overflow
    except (ValueError, OverflowError) as exc:  # year 1 or 9999: beyond what the facts' dates can hold
        raise ParameterError(name, value, "is outside the dates newskit holds (1678-2261)", fix=DATE_FIX) from exc


def names(name: str, value) -> list[str]:
    """A list parameter given as a list, a comma-separated string, a JSON list, or None."""
    if value is None:
        return []
    if isinstance(value, str):
        value = value.strip()
        if value.startswith("["):
            try:
                value = json.loads(value)
            except json.JSONDecodeError as exc:
                raise ParameterError(name, value, "is not a list", fix='write ["a", "b"] or a,b') from exc
        else:
            value = value.split(",")
    if not isinstance(value, list | tuple):
        raise ParameterError(name, value, "must be a list of names", fix='write ["a", "b"] or a,b')
    return [str(v).strip() for v in value if str(v).strip()]


def _input(value) -> Path:
    if not str(value).strip():
        raise ParameterError("input", value, "is empty", fix="give an article file or folder, or a facts store")
    path = Path(value).expanduser()
    if path.exists():
        return path.resolve()
    if glob.has_magic(str(value)) and glob.glob(str(path), recursive=True):
        return path  # a glob of article files, read as such
    raise ParameterError(
        "input", str(value), "does not exist", fix="give an article file, folder or glob, or a facts store"
    )


def _flag(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    return bool(value)


def validate_parameters(
    *,
    input=None,
    article=None,
    start=None,
    end=None,
    entities=None,
    kinds=None,
    group_by=None,
    interactive=None,
    story=None,
) -> dict:
    """Check and normalise notebook parameters; the first bad one raises, naming it.

    Only the parameters given are checked. Checks that need the facts (an unknown
    entity, an article that is not in the input) are in
    :func:`newskit.report.resolve_entities` and :func:`newskit.report.select_article`.

    Args:
        input: An article file, folder or glob, or a facts store directory; must exist.
        article: An article id (or its first characters), path or title; kept as text.
        start: Earliest date: a year, month or day (from its first instant), or empty for no bound.
        end: Latest date, inclusive: a year, month or day (to its last instant), or empty.
        entities: Entity names, as a list or a comma-separated string.
        kinds: Event kinds (see :data:`newskit.schema.EVENT_KINDS`).
        group_by: ``source``, ``article`` or ``month``.
        interactive: Whether to show ipywidgets explorers.
        story: A story id or words of its label; kept as text.

    Returns:
        The given parameters, normalised: ``input`` a resolved Path, dates as
        Timestamps or None, ``entities``/``kinds`` lists of str.

    Raises:
        ParameterError: One line naming the bad parameter and how to fix it (in a
            notebook, IPython shows just that line).
    """
    out: dict = {}
    if input is not None:
        out["input"] = _input(input)
    for key, value in (("article", article), ("story", story)):
        if value is not None:
            out[key] = str(value).strip()
    if start is not None or end is not None:
        out["start"] = date_bound("start", start, side="start")
        out["end"] = date_bound("end", end, side="end")
        if out["start"] is not None and out["end"] is not None and out["start"] > out["end"]:
            raise ParameterError("start", str(start), f"is after end={str(end)!r}", fix="swap them")
    if entities is not None:
        out["entities"] = names("entities", entities)
    if kinds is not None:
        out["kinds"] = names("kinds", kinds)
        unknown = [k for k in out["kinds"] if k not in EVENT_KINDS]
        if unknown:
            raise ParameterError("kinds", kinds, f"unknown kind(s) {unknown}", fix=f"use {', '.join(EVENT_KINDS)}")
    if group_by is not None:
        if group_by not in GROUP_BY:
            raise ParameterError("group_by", group_by, "is not a grouping", fix=f"use {' | '.join(GROUP_BY)}")
        out["group_by"] = group_by
    if interactive is not None:
        out["interactive"] = _flag(interactive)
    return out
