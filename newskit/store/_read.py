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
    directory,
    *,
    tables=None,
    columns=None,
    filters=None,
    link_rows: bool = True,
    attach: bool = True,
    manifest: dict | None = None,
) -> Facts:
    """:func:`read_facts`, with ``link_rows=False`` returning entity and event ids as extracted.

    Linking over a store (:mod:`newskit.store._link`) links entities itself, over the rows it
    clusters, and never needs event ids: linking them on every window it reads would cost more
    than the clustering. ``attach=False`` also leaves out the stored links (story ids and link
    tables), which that linking replaces: reading them for every window it reads would cost as
    much as the store's stories, not the window's. ``manifest`` is the store's manifest as the
    caller holds it (a link run reads many windows of one state of the store: loading the
    manifest, which names every article, for each would cost as much as the store, not the
    window); read from disk by default.
    """
    directory = Path(directory)
    names = check_tables(tables)
    wanted = check_columns(columns, names)
    where = check_filters(filters)
    given = manifest
    for attempt in range(1 if given is not None else 2):
        manifest = given if given is not None else fmt.load_manifest(directory)
        try:
            if manifest["file_format"] == "csv":
                frames = _read_csv_store(directory, manifest, names, wanted, where)
            else:
                frames = _read_parquet_store(directory, manifest, names, wanted, where)
            break
        except _Damaged as exc:
            # A concurrent run may have replaced a chunk between reading the manifest and the files:
            # read the manifest once more before calling the store damaged.
            if attempt == 1 or given is not None:
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


class _Rows:
    """Which rows to read: those of the articles every ``ids`` array names and, for the articles
    table, those published within ``published`` (``(lo, hi)``, either end None)."""

    __slots__ = ("ids", "published")

    def __init__(self, ids: tuple = (), published: tuple | None = None):
        self.ids = tuple(ids)
        self.published = published

    def __bool__(self) -> bool:
        return bool(self.ids) or self.published is not None

    def also(self, ids: pa.Array) -> _Rows:
        """These rows, of the articles ``ids`` names only."""
        return _Rows((*self.ids, ids), self.published)

    def _bounds(self):
        lo, hi = self.published
        return [
            (op, pa.scalar(bound.to_datetime64(), type=pa.timestamp("ns")))
            for bound, op in ((lo, "greater_equal"), (hi, "less"))
            if bound is not None
        ]

    def expression(self):
        """As a dataset filter (None: every row)."""
        import pyarrow.compute as pc

        terms = [pc.field("article_id").isin(ids) for ids in self.ids]
        if self.published is not None:
            terms += [getattr(pc, op)(pc.field("published"), scalar) for op, scalar in self._bounds()]
        expression = None
        for term in terms:
            expression = term if expression is None else expression & term
        return expression

    def mask(self, batch):
        """Which rows of ``batch`` to keep (null: drop), computed by compute kernels on this thread.

        Not ``Table.filter(expression)``: that runs a query plan on Arrow's thread pool, whose
        allocator keeps what those threads freed: a link run reading hundreds of windows grew
        with every one.
        """
        import pyarrow.compute as pc

        terms = [pc.is_in(batch.column("article_id"), value_set=ids) for ids in self.ids]
        if self.published is not None:
            terms += [getattr(pc, op)(batch.column("published"), scalar) for op, scalar in self._bounds()]
        mask = terms[0]
        for term in terms[1:]:
            mask = pc.and_kleene(mask, term)
        return mask


def _article_rows(where: dict) -> _Rows:
    ids = (pa.array(where["article_id"], type=pa.string()),) if "article_id" in where else ()
    return _Rows(ids, where.get("published"))


def _read_table(
    directory: Path, manifest: dict, table: str, columns: list[str] | None, rows: _Rows, live: dict | None = None
) -> pa.Table:
    """Rows of ``table`` from every chunk, keeping only each chunk's live articles, files verified first.

    ``live`` is :func:`~newskit.store._format.live_by_chunk` of ``manifest`` when the caller
    reads several tables (computed here otherwise: a pass over every article of the store).
    """
    import pyarrow.dataset as ds

    live = fmt.live_by_chunk(manifest) if live is None else live
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
        wanted = rows
        if keep is not None and "article_id" in target.names:
            wanted = rows.also(pa.array(keep, type=pa.string()))
        if rows:  # a subset (a window of articles, some stories): scan, keep few rows
            pieces.extend(_scan(path, target, selected, wanted) for path in files)
        else:
            pieces.append(
                ds.dataset(files, schema=target, format="parquet").to_table(
                    columns=selected, filter=wanted.expression()
                )
            )
    if not pieces:
        return target.empty_table().select(selected)
    return pa.concat_tables(pieces)


#: Bytes decoded at a time when reading a subset (as many rows as the row groups' sizes say fit):
#: the decoded batches are what a read of a few articles holds beyond them, and the C allocator
#: keeps the heap they grew until the pass ends (8,192-row batches of articles with their texts
#: held 20 MB each; a window of 1,100 articles out of 20,000 then grew the heap by 30 MB).
SCAN_BYTES = 2**19


def _batch_rows(part, groups: list[int]) -> int:
    """Rows per batch of about ``SCAN_BYTES`` decoded, from the row groups' recorded sizes."""
    meta = part.metadata
    rows = sum(meta.row_group(g).num_rows for g in groups)
    size = sum(meta.row_group(g).total_byte_size for g in groups)
    return int(min(max(SCAN_BYTES * rows // max(size, 1), 256), 8192))


def _scan(path: str, target: pa.Schema, selected: list[str], rows: _Rows) -> pa.Table:
    """The ``rows`` of one part file: only the row groups that hold some of them, a few thousand
    rows at a time.

    A dataset scan decodes several row groups ahead and its memory pool keeps them: reading a
    window of 500 articles out of 20,000 peaked at five times what this does. The file is
    memory-mapped: read into buffers, its pages came from Arrow's default allocator, which
    kept them (a full link of 20,000 articles held 100 MB of them by the end).
    """
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    with pq.ParquetFile(path, memory_map=True) as part:
        have = set(part.schema_arrow.names)
        keys = [c for c in ("article_id", "published") if c in have]
        columns = list(dict.fromkeys([*selected, *keys]))
        fields = pa.schema([target.field(c) for c in selected])
        groups = [
            g
            for g in range(part.num_row_groups)
            if pc.any(rows.mask(part.read_row_group(g, columns=keys, use_threads=False))).as_py()
        ]
        kept = []
        if groups:
            for batch in part.iter_batches(
                batch_size=_batch_rows(part, groups), row_groups=groups, columns=columns, use_threads=False
            ):
                batch = batch.filter(rows.mask(batch))
                if batch.num_rows:
                    kept.append(pa.Table.from_batches([batch]))
    if not kept:
        return fields.empty_table()
    data = pa.concat_tables(kept)
    n = data.num_rows
    return pa.table(
        {c: data.column(c) if c in have else pa.nulls(n, type=target.field(c).type) for c in selected}
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
    article_rows = _article_rows(where)
    live = fmt.live_by_chunk(manifest)
    if "published" in where:
        ids = _read_table(directory, manifest, "articles", ["article_id"], article_rows, live)
        other_rows = _Rows((ids.column("article_id").combine_chunks(),))
    else:
        other_rows = article_rows
    stored = _stored_tables(manifest)
    frames: dict[str, pd.DataFrame] = {}
    for table in names:
        if table == "entities":
            continue
        if table not in stored:
            frames[table] = _select(schema.frame(table), wanted[table])
            continue
        rows = article_rows if table == "articles" else other_rows
        if "article_id" not in fmt.arrow_schema(table).names:
            rows = _Rows()  # corpus-level link tables (stories, figures) are read whole
        frames[table] = fmt.to_frame(table, _read_table(directory, manifest, table, wanted[table], rows, live))
        if table == "articles":
            frames[table] = _relocate(frames[table], manifest)
    if "entities" in names:
        frames["entities"] = _select(
            _entities(directory, manifest, where, other_rows, stored, live), wanted["entities"]
        )
    return frames


def _entities(
    directory: Path, manifest: dict, where: dict, other_rows: _Rows, stored: set[str], live: dict
) -> pd.DataFrame:
    chunks = list(manifest["chunks"])
    snapshot = [c for c in chunks if manifest["chunks"][c].get("entities_stored")]
    if snapshot and not where and len(chunks) == 1:
        return fmt.to_frame("entities", _read_table(directory, manifest, "entities", None, _Rows(), live))
    if "mentions" not in stored:
        return entities_table(schema.frame("mentions"))
    needed = ["article_id", "entity_id", "name", "label", "text"]
    mentions = _read_table(directory, manifest, "mentions", needed, other_rows, live)
    return entities_table(fmt.to_frame("mentions", mentions))


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
