"""Reading a facts store (or a CSV export) back into a :class:`~newskit.Facts`.

Every file is checked against the size and checksum the manifest recorded before its
rows are used, so a damaged store fails with one line naming the file and the repair
command, and a part swapped in from another table is never read as this one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd
import pyarrow as pa

from .. import schema
from ..facts import Facts, entities_table
from . import _format as fmt
from ._csv import read_csv_table
from ._params import check_columns, check_filters, check_tables

__all__ = ["read_facts"]


def read_facts(
    directory: str | Path,
    *,
    tables: Iterable[str] | str | None = None,
    columns: Iterable[str] | Mapping[str, Iterable[str]] | None = None,
    filters: Mapping | None = None,
) -> Facts:
    """Read a facts store (or a CSV export) written by newskit.

    Args:
        directory: The store directory (``newskit extract ... --out DIR``).
        tables: Tables to read (others come back empty); all by default.
        columns: Columns to read: a list (applied to every table that has them)
            or a dict ``{table: [columns]}``; all by default.
        filters: Rows to read, pushed down to Parquet: ``{"article_id": id or [ids],
            "published": (start, end)}``. Dates are inclusive (a date-only ``end``
            covers that whole day, ``None`` leaves a side open) and select
            ``articles.published``; every other table keeps the rows of the
            selected articles.

    Returns:
        A :class:`newskit.Facts`. ``entities`` is aggregated from the mentions read
        (a store written by :func:`write_facts` returns its own ``entities`` when read
        without filters).

    Raises:
        StoreError: The directory is missing, not a store, or damaged (a missing,
            truncated, changed or swapped file; an unreadable or edited manifest). The
            message names the file and the command that repairs the store.
        ParameterError: Unknown table, column or filter.

    Examples:
        >>> import newskit as nk
        >>> facts = nk.read_facts("facts", tables=["articles", "events"],
        ...                       filters={"published": ("2024-01-01", "2024-03-31")})  # doctest: +SKIP
    """
    return read_stored(directory, tables=tables, columns=columns, filters=filters, link_rows=True)


def read_stored(
    directory, *, tables=None, columns=None, filters=None, link_rows: bool = True, attach: bool = True
) -> Facts:
    """:func:`read_facts`, with ``link_rows=False`` returning entity and event ids as extracted.

    Linking over a store (:mod:`newskit.store._link`) links entities itself, over the rows it
    clusters, and never needs event ids: linking them on every window it reads would cost more
    than the clustering. ``attach=False`` also leaves out the stored links (story ids and link
    tables), which that linking replaces: reading them for every window it reads would cost as
    much as the store's stories, not the window's.
    """
    directory = Path(directory)
    names = check_tables(tables)
    wanted = check_columns(columns, names)
    where = check_filters(filters)
    for attempt in range(2):
        manifest = fmt.load_manifest(directory)
        try:
            if manifest["file_format"] == "csv":
                frames = _read_csv_store(directory, manifest, names, wanted, where)
            else:
                frames = _read_parquet_store(directory, manifest, names, wanted, where)
            break
        except _Damaged as exc:
            # A concurrent run may have replaced a chunk between reading the manifest and the files:
            # read the manifest once more before calling the store damaged.
            if attempt == 1:
                raise fmt.damaged(directory, str(exc), manifest) from None
        except (pa.ArrowInvalid, OSError) as exc:
            raise fmt.damaged(directory, f"a table file cannot be read ({exc})", manifest) from None
    if attach and manifest["file_format"] != "csv":
        from ._link import attach_links  # the stories the articles read belong to

        frames = attach_links(directory, manifest, frames, whole_rows=link_rows and columns is None)
    for table in schema.TABLES:
        frames.setdefault(table, schema.frame(table))
    return Facts(**frames)


class _Damaged(Exception):
    """A file that is not what the manifest recorded (turned into a StoreError by read_facts)."""


def _article_expression(where: dict):
    import pyarrow.compute as pc

    expression = None
    if "article_id" in where:
        expression = pc.field("article_id").isin(pa.array(where["article_id"], type=pa.string()))
    if "published" in where:
        lo, hi = where["published"]
        for bound, op in ((lo, "ge"), (hi, "lt")):
            if bound is not None:
                scalar = pa.scalar(bound.to_datetime64(), type=pa.timestamp("ns"))
                term = pc.field("published") >= scalar if op == "ge" else pc.field("published") < scalar
                expression = term if expression is None else expression & term
    return expression


def _read_table(directory: Path, manifest: dict, table: str, columns: list[str] | None, expression) -> pa.Table:
    """Rows of ``table`` from every chunk, keeping only each chunk's live articles, files verified first."""
    import pyarrow.compute as pc
    import pyarrow.dataset as ds

    live = fmt.live_by_chunk(manifest)
    target = fmt.arrow_schema(table)
    selected = [c for c in (columns or target.names) if c in target.names]
    full = [c for c in sorted(manifest["chunks"]) if table in fmt.chunk_tables(manifest, c)]
    whole = [c for c in full if len(live.get(c, ())) == manifest["chunks"][c].get("articles", 0)]
    partial = [c for c in full if c not in whole and live.get(c)]
    pieces = []
    for group, keep in [(whole, None)] + [([c], live[c]) for c in partial]:
        if not group:
            continue
        for chunk in group:
            problem = fmt.check_part(directory, manifest, table, chunk)
            if problem is not None:
                raise _Damaged(f"{table}/part-{chunk}.parquet {problem}")
        files = [str(fmt.part_path(directory, table, c)) for c in group]
        condition = expression
        if keep is not None and "article_id" in target.names:
            term = pc.field("article_id").isin(pa.array(keep, type=pa.string()))
            condition = term if condition is None else condition & term
        if expression is not None:  # a subset (a window of articles, some stories): scan, keep few rows
            pieces.extend(_scan(path, target, selected, condition) for path in files)
        else:
            pieces.append(
                ds.dataset(files, schema=target, format="parquet").to_table(columns=selected, filter=condition)
            )
    if not pieces:
        return target.empty_table().select(selected)
    return pa.concat_tables(pieces)


def _scan(path: str, target: pa.Schema, selected: list[str], condition) -> pa.Table:
    """The rows of one part file that meet ``condition``, read a few thousand rows at a time.

    A dataset scan decodes several row groups ahead and its memory pool keeps them: reading a
    window of 500 articles out of 20,000 peaked at five times what this does.
    """
    import pyarrow.parquet as pq

    part = pq.ParquetFile(path)
    have = set(part.schema_arrow.names)
    columns = [c for c in dict.fromkeys([*selected, "article_id", "published"]) if c in have]
    fields = pa.schema([target.field(c) for c in selected])
    kept = []
    for batch in part.iter_batches(batch_size=8192, columns=columns, use_threads=False):
        rows = pa.Table.from_batches([batch]).filter(condition)
        if rows.num_rows:
            kept.append(rows)
    if not kept:
        return fields.empty_table()
    rows = pa.concat_tables(kept)
    n = rows.num_rows
    return pa.table(
        {c: rows.column(c) if c in have else pa.nulls(n, type=target.field(c).type) for c in selected}
    ).cast(fields)


def _relocate(df: pd.DataFrame, manifest: dict) -> pd.DataFrame:
    """Articles' ``path``, ``paths`` and ``format`` as the last run found them.

    A record that moved (a line inserted above it in a JSONL file, a renamed file) keeps
    its facts, identified by content; only where it was read from changes, and that lives
    in the manifest rather than in a rewritten part.
    """
    if "article_id" not in df.columns or not len(df):
        return df
    entries = manifest["articles"]
    located = [entries.get(a) for a in df["article_id"]]
    if not any(e is not None and len(e) >= 4 for e in located):
        return df
    df = df.copy()
    for column, index in (("path", 2), ("format", 3), ("paths", 4)):
        if column in df.columns:
            old = df[column].tolist()
            new = [e[index] if e is not None and len(e) > index else o for e, o in zip(located, old, strict=True)]
            df[column] = pd.Series(new, index=df.index, dtype=df[column].dtype)
    return df


def _read_parquet_store(directory: Path, manifest: dict, names: list[str], wanted: dict, where: dict) -> dict:
    import pyarrow.compute as pc

    article_filter = _article_expression(where)
    if "published" in where:
        ids = _read_table(directory, manifest, "articles", ["article_id"], article_filter)
        other_filter = pc.field("article_id").isin(pa.array(ids.column("article_id").to_pylist(), type=pa.string()))
    else:
        other_filter = article_filter
    stored = _stored_tables(manifest)
    frames: dict[str, pd.DataFrame] = {}
    for table in names:
        if table == "entities":
            continue
        if table not in stored:
            frames[table] = _select(schema.frame(table), wanted[table])
            continue
        expression = article_filter if table == "articles" else other_filter
        if "article_id" not in fmt.arrow_schema(table).names:
            expression = None  # corpus-level link tables (stories, figures) are read whole
        frames[table] = fmt.to_frame(table, _read_table(directory, manifest, table, wanted[table], expression))
        if table == "articles":
            frames[table] = _relocate(frames[table], manifest)
    if "entities" in names:
        frames["entities"] = _select(_entities(directory, manifest, where, other_filter, stored), wanted["entities"])
    return frames


def _entities(directory: Path, manifest: dict, where: dict, other_filter, stored: set[str]) -> pd.DataFrame:
    chunks = list(manifest["chunks"])
    snapshot = [c for c in chunks if manifest["chunks"][c].get("entities_stored")]
    if snapshot and not where and len(chunks) == 1:
        return fmt.to_frame("entities", _read_table(directory, manifest, "entities", None, None))
    if "mentions" not in stored:
        return entities_table(schema.frame("mentions"))
    needed = ["article_id", "entity_id", "name", "label", "text"]
    return entities_table(fmt.to_frame("mentions", _read_table(directory, manifest, "mentions", needed, other_filter)))


def _stored_tables(manifest: dict) -> set[str]:
    return {t for info in manifest["chunks"].values() for t in info.get("tables", fmt.STORED_TABLES)} | (
        set(manifest.get("tables", ())) if not manifest["chunks"] else set()
    )


def _select(df: pd.DataFrame, columns: list[str] | None) -> pd.DataFrame:
    return df if columns is None else df[[c for c in columns if c in df.columns]].reset_index(drop=True)


def _read_csv_store(directory: Path, manifest: dict, names: list[str], wanted: dict, where: dict) -> dict:
    files = {}
    for info in manifest["chunks"].values():
        files.update(info.get("files") or {})
    frames = {}
    for table in names:
        if table not in manifest.get("tables", ()):
            frames[table] = _select(schema.frame(table), wanted[table])
            continue
        path = directory / f"{table}.csv"
        problem = fmt.verify_file(path, files.get(table))
        if problem is not None:
            raise _Damaged(f"{table}.csv {problem}")
        try:
            frames[table] = read_csv_table(table, path)
        except (OSError, ValueError) as exc:
            raise _Damaged(f"{table}.csv cannot be read ({exc})") from None
    if where:
        frames = _filter_frames(directory, manifest, frames, where)
    return {table: _select(df, wanted[table]) for table, df in frames.items()}


def _filter_frames(directory: Path, manifest: dict, frames: dict, where: dict) -> dict:
    articles = frames.get("articles")
    if articles is None:
        articles = _read_csv_store(directory, manifest, ["articles"], {"articles": None}, {})["articles"]
    keep = pd.Series(True, index=articles.index)
    if "article_id" in where:
        keep &= articles["article_id"].isin(where["article_id"])
    if "published" in where:
        lo, hi = where["published"]
        if lo is not None:
            keep &= articles["published"] >= lo
        if hi is not None:
            keep &= articles["published"] < hi
        keep &= articles["published"].notna()
    ids = set(articles.loc[keep.fillna(False).astype(bool), "article_id"])
    for table, df in frames.items():
        if "article_id" in df.columns:
            frames[table] = df[df["article_id"].isin(ids)].reset_index(drop=True)
    if "entities" in frames and "mentions" in frames:
        frames["entities"] = entities_table(frames["mentions"])
    return frames
