"""Checking the options of the store functions (tables, columns, filters) before any file is touched."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd

from .. import schema
from ..errors import ParameterError

__all__ = ["ERROR_MODES", "FILTER_KEYS", "check_columns", "check_filters", "check_tables"]

ERROR_MODES = ("raise", "warn", "skip")
FILTER_KEYS = ("article_id", "published")


def check_tables(tables, *, parameter: str = "tables") -> list[str]:
    if tables is None:
        return list(schema.TABLES)
    if isinstance(tables, str):
        tables = [t.strip() for t in tables.split(",") if t.strip()]
    unknown = [t for t in tables if t not in schema.TABLES]
    if unknown or not tables:
        raise ParameterError(
            parameter, tables, f"unknown table(s) {unknown}", fix=f"choose from {', '.join(schema.TABLES)}"
        )
    return [t for t in schema.TABLES if t in tables]


def check_columns(columns, tables: list[str]) -> dict[str, list[str] | None]:
    """Normalise ``columns`` (None, list for every table, or dict table → list) to table → list/None."""
    if columns is None:
        return dict.fromkeys(tables)
    if isinstance(columns, str):
        columns = [columns]
    if isinstance(columns, Mapping):
        bad = [t for t in columns if t not in schema.TABLES]
        if bad:
            raise ParameterError(
                "columns", dict(columns), f"unknown table(s) {bad}", fix=f"keys are {', '.join(schema.TABLES)}"
            )
        out = {}
        for table in tables:
            wanted = columns.get(table)
            if wanted is not None:
                known = [c.name for c in schema.TABLES[table]]
                unknown = [c for c in wanted if c not in known]
                if unknown:
                    raise ParameterError(
                        "columns",
                        dict(columns),
                        f"{table} has no column(s) {unknown}",
                        fix=f"{table} columns are {', '.join(known)}",
                    )
                wanted = list(wanted)
            out[table] = wanted
        return out
    wanted = list(columns)
    every = {c.name for t in tables for c in schema.TABLES[t]}
    unknown = [c for c in wanted if c not in every]
    if unknown:
        raise ParameterError(
            "columns", wanted, f"no table read has column(s) {unknown}", fix="check docs/schema.md for column names"
        )
    return {t: [c.name for c in schema.TABLES[t] if c.name in wanted] for t in tables}


def _day_bounds(value, *, end: bool) -> pd.Timestamp | None:
    """A filter bound as a timestamp; the upper bound is exclusive (a bare date covers its whole day)."""
    if value is None:
        return None
    from ..dates import parse_date

    ts = parse_date(value, where="filters['published']")
    if not end:
        return ts
    bare_date = (isinstance(value, dt.date) and not isinstance(value, dt.datetime)) or (
        isinstance(value, str) and len(value.strip()) <= 10
    )
    return ts + (pd.Timedelta(days=1) if bare_date else pd.Timedelta(1, "ns"))


def check_filters(filters) -> dict:
    if filters is None:
        return {}
    if not isinstance(filters, Mapping):
        raise ParameterError(
            "filters", filters, "must be a dict", fix='e.g. {"published": ("2024-01-01", "2024-03-31")}'
        )
    unknown = [k for k in filters if k not in FILTER_KEYS]
    if unknown:
        raise ParameterError(
            "filters", dict(filters), f"unknown key(s) {unknown}", fix=f"filter on {', '.join(FILTER_KEYS)}"
        )
    out = {}
    if filters.get("article_id") is not None:
        ids = filters["article_id"]
        out["article_id"] = [ids] if isinstance(ids, str) else [str(i) for i in ids]
    if filters.get("published") is not None:
        value = filters["published"]
        if isinstance(value, (tuple, list)):
            if len(value) != 2:
                raise ParameterError(
                    "filters['published']", value, "must be (start, end)", fix="use None for an open end"
                )
            lo, hi = value
        else:
            lo = hi = value
        out["published"] = (_day_bounds(lo, end=False), _day_bounds(hi, end=True))
    return out
