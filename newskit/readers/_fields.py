"""Turning a record (JSON object, CSV row, front matter, text header) into an article dict."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd

from ..errors import InputError, ParameterError
from .dates import parse_date

__all__ = ["FIELDS", "METADATA", "article", "check_columns", "from_record", "text_names", "text_value"]

#: The article fields an input can give (after ``columns`` renaming).
FIELDS = ("text", "published", "title", "source", "url", "author")
METADATA = ("published", "title", "source", "url", "author")

# Input names read without a ``columns`` mapping, per field, in order of preference.
_DEFAULT_NAMES: dict[str, tuple[str, ...]] = {
    "text": ("text",),
    "published": ("published", "date"),
    "title": ("title",),
    "source": ("source",),
    "url": ("url",),
    "author": ("author",),
}
_TARGET_ALIASES = {"date": "published"}


def text_names(columns: Mapping[str, str]) -> set[str]:
    """The input field names that can hold the text, given a validated ``columns`` mapping."""
    return {name for name, field in columns.items() if field == "text"} | {
        name for name in _DEFAULT_NAMES["text"] if name not in columns
    }


def check_columns(columns) -> dict[str, str]:
    """Validate ``columns`` (input name -> article field) and return it as a dict.

    Raises:
        ParameterError: not a mapping, or a target that is not an article field.
    """
    if columns is None:
        return {}
    if not isinstance(columns, Mapping):
        raise ParameterError(
            "columns", columns, "must be a dict from your field names to newskit's", fix='e.g. {"body": "text"}'
        )
    checked = {}
    for name, target in columns.items():
        target = _TARGET_ALIASES.get(target, target)
        if not isinstance(name, str) or target not in FIELDS:
            raise ParameterError(
                "columns",
                dict(columns),
                f"{name!r} is mapped to {target!r}, which is not an article field",
                fix=f"map each of your field names to one of {', '.join(FIELDS)}",
            )
        checked[name] = target
    return checked


def from_record(record: Mapping, *, columns: Mapping[str, str], path, where: str | None, label: str, fmt: str) -> dict:
    """An article dict from one record.

    Args:
        record: Field name -> value (a JSON object, CSV row, front matter).
        columns: Validated ``columns`` mapping (input name -> article field).
        path: The file (for errors).
        where: Line or record inside the file (for errors), or ``None``.
        label: The article's ``path`` value (``file:line`` ...).
        fmt: Format name.

    Raises:
        InputError: no text, or a date that cannot be read.
    """
    values = _fields_of(record, columns)
    text = text_value(values.get("text"))
    if text is None and values.get("text") is not None:
        kind = type(values["text"]).__name__
        raise InputError(path, f"its text is a {kind}, not a string", where=where, fix="store the body as one string")
    if text is None:
        names = ", ".join(map(str, record)) or "none"
        raise InputError(
            path,
            f"record without text (its fields: {names})",
            where=where,
            fix='give each record a non-empty "text" field, or map yours, e.g. columns={"body": "text"}',
        )
    metadata = {name: _metadata_value(values.get(name)) for name in METADATA if name != "published"}
    return article(
        text, published=_date(values.get("published"), path=path, where=where), path=label, fmt=fmt, **metadata
    )


def _fields_of(record: Mapping, columns: Mapping[str, str]) -> dict:
    values = {}
    for name, target in columns.items():  # explicit mappings win over the default names
        if name in record and not _missing(record[name]):
            values.setdefault(target, record[name])
    for target, names in _DEFAULT_NAMES.items():
        if target in values:
            continue
        for name in names:
            if name in record and name not in columns and not _missing(record[name]):
                values[target] = record[name]
                break
    return values


def _missing(value) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple, dict)):
        return not value
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def text_value(value) -> str | None:
    """The body text as stored (trailing and leading white space removed), or ``None`` if empty or not text."""
    if not isinstance(value, str):
        return None
    from ._files import normalize_newlines

    value = normalize_newlines(value).strip()
    return value or None


def _metadata_value(value) -> str | None:
    if _missing(value):
        return None
    if isinstance(value, (list, tuple)):  # several authors
        return ", ".join(str(v).strip() for v in value if not _missing(v)) or None
    return " ".join(str(value).split()) or None


def _date(value, *, path, where: str | None) -> pd.Timestamp | None:
    if _missing(value):
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # A bare number could be a year, epoch seconds or milliseconds: parse_date refuses to guess.
        pass
    elif not isinstance(value, (str, dt.date)):
        value = str(value)
    field = "published" if where is None else f"{where}, published"
    return parse_date(value, where=field, path=path)


def article(text: str, *, published, path: str, fmt: str, title=None, source=None, url=None, author=None) -> dict:
    """A raw article dict (before ids and duplicate merging)."""
    return {
        "text": text,
        "published": published,
        "title": title,
        "source": source,
        "url": url,
        "author": author,
        "path": path,
        "format": fmt,
    }
