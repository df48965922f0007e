"""Writing a :class:`~newskit.Facts` as a whole (a snapshot store or CSV files)."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from .. import schema
from ..errors import ParameterError, StoreError
from ..facts import Facts
from . import _format as fmt
from ._csv import csv_bytes
from ._params import check_tables

__all__ = ["write_facts"]


def write_facts(
    facts: Facts, directory: str | Path, *, format: str = "parquet", tables: Iterable[str] | str | None = None
) -> Path:
    """Write extracted facts to ``directory``, one file per table.

    ``format="parquet"`` writes a facts store that :func:`read_facts` reads back
    exactly (dtypes, lists and the given ``entities`` table included);
    ``format="csv"`` writes ``<table>.csv`` files for spreadsheets (lists as JSON
    arrays, dates as ISO 8601, text cells a spreadsheet would run as formulas
    prefixed with ``'``), which :func:`read_facts` also reads. Each file is
    written atomically and recorded with its checksum, so a crash never leaves a
    half-written table and later damage is detected; a store already in
    ``directory`` is replaced.

    Args:
        facts: The tables to write.
        directory: Output directory (created if needed).
        format: ``"parquet"`` or ``"csv"``.
        tables: Table names to write (a list or a comma-separated string); all by default.

    Returns:
        The directory.

    Raises:
        ParameterError: Unknown format or table.
        StoreError: ``directory`` cannot be written.

    Examples:
        >>> import newskit as nk
        >>> facts = nk.extract_text("Two people were killed in Lorvania.", published="2024-05-08")
        >>> path = write_facts(facts, "/tmp/nk-doctest-store")
        >>> nk.read_facts(path).articles.loc[0, "published"]
        Timestamp('2024-05-08 00:00:00')
    """
    if format not in fmt.FORMATS:
        raise ParameterError("format", format, "is not a supported format", fix=f"use one of {', '.join(fmt.FORMATS)}")
    if not isinstance(facts, Facts):
        raise ParameterError(
            "facts", type(facts).__name__, "must be a newskit.Facts", fix="pass what extract() returned"
        )
    names = check_tables(tables)
    directory = Path(directory)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"{directory}: cannot create the output directory ({exc.strerror}); choose another") from None
    with fmt.locked(directory):
        old = None
        if (directory / fmt.MANIFEST).exists():
            with contextlib.suppress(StoreError):
                old = fmt.load_manifest(directory)
        chunk = f"{time.time_ns():x}"
        manifest = _snapshot_manifest(facts, names, chunk, format)
        files, rows = {}, {}
        for table in names:
            df = schema.conform(table, getattr(facts, table))
            if format == "parquet":
                (directory / table).mkdir(exist_ok=True)
                data = fmt.parquet_bytes(fmt.to_arrow(table, df))
                files[table] = fmt.atomic_write(fmt.part_path(directory, table, chunk), data)
            else:
                files[table] = fmt.atomic_write(directory / f"{table}.csv", csv_bytes(table, df))
            rows[table] = len(df)
        manifest["chunks"][chunk].update(files=files, rows=rows)
        fmt.save_manifest(directory, manifest)
        _remove_previous(directory, old, chunk, names, format)
    return directory


def _snapshot_manifest(facts: Facts, names: list[str], chunk: str, format: str) -> dict:
    from .._version import __version__

    manifest = fmt.new_manifest(format)
    manifest.update(newskit_version=__version__, tables=names, snapshot=True)
    manifest["chunks"][chunk] = {
        "newskit_version": __version__,
        "model_version": None,
        "created": fmt.now(),
        "tables": names,
        "entities_stored": "entities" in names,
        "articles": len(facts.articles) if "articles" in names else 0,
    }
    if "articles" in names:
        from ._incremental import fingerprint

        manifest["articles"] = {
            str(r["article_id"]): [chunk, fingerprint(r), None if pd.isna(r.get("path")) else r.get("path")]
            for r in facts.articles.to_dict("records")
        }
    return manifest


def _remove_previous(directory: Path, old: dict | None, chunk: str, names: list[str], format: str) -> None:
    """Delete the files of the store this write replaced (after the new manifest is saved)."""
    if old is not None and old.get("file_format") == "parquet":
        for old_chunk in old["chunks"]:
            if old_chunk != chunk:
                fmt.unlink_all(fmt.chunk_files(directory, old, old_chunk))
    elif old is not None and format == "parquet":
        fmt.unlink_all(directory / f"{t}.csv" for t in schema.TABLES)
    if format == "csv":
        fmt.unlink_all(directory / f"{t}.csv" for t in schema.TABLES if t not in names)
