"""CSV files for spreadsheets: writing them safely, reading them back, exporting a store.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return as a formula, so an article quoting ``=HYPERLINK(...)`` could act
when a journalist opens the export. As OWASP advises, such text cells are written
with a leading ``'`` (shown as text, never run). Cells that already start with
quotes before one of those characters get one more quote, so reading the file back
with :func:`read_csv_table` removes exactly one and every value round-trips.
Numbers, dates and Parquet files are unchanged.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd

from .. import schema

__all__ = ["csv_bytes", "export_csv", "neutralise", "read_csv_table", "restore"]

_FORMULA = re.compile(r"'*[=+\-@\t\r]")
_ESCAPED = re.compile(r"'+[=+\-@\t\r]")


def neutralise(value):
    """A text cell as a spreadsheet may safely show it (``'`` before a formula start)."""
    if isinstance(value, str) and _FORMULA.match(value):
        return "'" + value
    return value


def restore(value):
    """The cell :func:`neutralise` was given (one leading ``'`` removed where it added one)."""
    if isinstance(value, str) and _ESCAPED.match(value):
        return value[1:]
    return value


def csv_bytes(table: str, df: pd.DataFrame) -> bytes:
    """``df`` as UTF-8 CSV: lists as JSON arrays, dates as ISO 8601, text cells neutralised."""
    df = df.copy()
    for column in schema.TABLES[table]:
        if column.name not in df.columns:
            continue
        if column.dtype == schema.LIST:
            df[column.name] = df[column.name].map(lambda v: json.dumps(list(v), ensure_ascii=False))
        elif column.dtype == schema.STRING:
            df[column.name] = df[column.name].map(neutralise, na_action="ignore").astype("string")
    # CRLF row ends (RFC 4180) make the writer quote any cell holding a CR, so it survives the round trip.
    return df.to_csv(index=False, date_format="%Y-%m-%dT%H:%M:%S", lineterminator="\r\n").encode("utf-8")


def read_csv_table(table: str, path: Path) -> pd.DataFrame:
    """One CSV file written by :func:`csv_bytes`, with the schema's dtypes."""
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    for column in schema.TABLES[table]:
        if column.name not in raw.columns:
            continue
        if column.dtype == schema.LIST:
            raw[column.name] = raw[column.name].map(lambda v: [] if pd.isna(v) else json.loads(v))
        elif column.dtype == schema.STRING:
            raw[column.name] = raw[column.name].map(restore, na_action="ignore")
    return schema.conform(table, raw)


def export_csv(store: str | Path, out: str | Path, *, tables=None) -> Path:
    """Export a Parquet facts store as ``out/<table>.csv`` files (atomically, with a manifest).

    Args:
        store: The Parquet store to export.
        out: The output directory.
        tables: Tables to export (all by default).

    Returns:
        ``out``.
    """
    from ._read import read_facts
    from ._write import write_facts

    return write_facts(read_facts(store, tables=tables), out, format="csv", tables=tables)
