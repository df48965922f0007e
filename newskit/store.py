"""Facts stores: extraction results on disk, written atomically and incrementally.

A store is a directory holding one Parquet dataset per table and a ``manifest.json``::

    DIR/manifest.json
    DIR/articles/part-000001.parquet
    DIR/mentions/part-000001.parquet
    ...

Each *chunk* (a few hundred articles extracted together) adds one file per table.
The manifest is the single source of truth: it lists the finished chunks, the newskit
and spaCy model versions each was extracted with, and an index of every article
(``article_id`` → chunk, fingerprint of its metadata, path). Files not listed in the
manifest (a chunk that was being written when the process died) are ignored on read
and removed by the next run, so killing a run at any moment leaves a readable store
that keeps every finished chunk.

Every file is written to a temporary name in the same directory, fsynced and
``os.replace``-d into place; the manifest is written the same way *after* the chunk's
files, so a chunk is either wholly in the store or not at all.

The ``entities`` table aggregates mentions across articles, so a chunked store does
not keep it: :func:`read_facts` derives it from the ``mentions`` it reads (the same
aggregation as :func:`newskit.facts.entities_table`), which makes its counts
cover exactly the articles read. A store written from a :class:`~newskit.Facts` by :func:`write_facts`
keeps the given ``entities`` table and returns it unchanged when read without filters.

Examples:
    >>> import newskit as nk
    >>> from newskit.store import extract_to_store
    >>> result = extract_to_store("data/articles", "facts")  # doctest: +SKIP
    >>> facts = nk.read_facts("facts", filters={"published": ("2024-01-01", "2024-03-31")})  # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import json
import os
import time
import warnings
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa

from . import schema
from .errors import ParameterError, StoreError
from .facts import Facts, entities_table

__all__ = ["MANIFEST", "StoreResult", "describe_store", "extract_to_store", "read_facts", "write_facts"]

MANIFEST = "manifest.json"
STORE_FORMAT = "newskit-facts-store"
STORE_VERSION = 1
#: Tables a chunked store keeps on disk (``entities`` is derived from ``mentions`` on read).
STORED_TABLES: tuple[str, ...] = tuple(
    name for name in schema.TABLES if name != "entities" and name not in schema.LINK_TABLES
)
#: Article columns whose change makes an already stored article be extracted again
#: (the text and the publication day are already covered by ``article_id``).
FINGERPRINT_COLUMNS: tuple[str, ...] = ("published", "title", "source", "url", "author", "text")
FORMATS = ("parquet", "csv")
ERROR_MODES = ("raise", "warn", "skip")
FILTER_KEYS = ("article_id", "published")
#: Where ``extract_to_store(format="csv")`` keeps the Parquet store its CSV files are exported from.
CSV_STORE = ".store"

_FIX_REBUILD = "re-run `newskit extract INPUT --out {dir}` to rebuild it, or choose another --out directory"


# --------------------------------------------------------------------------- arrow schema


def _arrow_type(dtype: str) -> pa.DataType:
    return {
        schema.STRING: pa.string(),
        schema.INT: pa.int64(),
        schema.FLOAT: pa.float64(),
        schema.DATE: pa.timestamp("ns"),
        schema.BOOL: pa.bool_(),
        schema.LIST: pa.list_(pa.string()),
    }[dtype]


def arrow_schema(table: str) -> pa.Schema:
    """The Arrow schema every Parquet file of ``table`` is written with (one per table, all chunks)."""
    return pa.schema([pa.field(c.name, _arrow_type(c.dtype)) for c in schema.TABLES[table]])


_PANDAS_TYPES = {
    pa.string(): pd.StringDtype(),
    pa.large_string(): pd.StringDtype(),
    pa.int64(): pd.Int64Dtype(),
    pa.float64(): pd.Float64Dtype(),
    pa.bool_(): pd.BooleanDtype(),
}


def to_arrow(table: str, df: pd.DataFrame) -> pa.Table:
    """A schema-conformant DataFrame as an Arrow table (extra columns kept with inferred types)."""
    df = schema.conform(table, df)
    target = arrow_schema(table)
    extras = [c for c in df.columns if c not in target.names]
    if extras:
        inferred = pa.Table.from_pandas(df[extras], preserve_index=False).schema
        target = pa.schema([*target, *(inferred.field(name) for name in extras)])
    return pa.Table.from_pandas(df, schema=target, preserve_index=False).replace_schema_metadata(None)


def to_frame(table: str, data: pa.Table) -> pd.DataFrame:
    """An Arrow table as a DataFrame with exactly the schema's dtypes (lists as Python lists)."""
    df = data.to_pandas(types_mapper=_PANDAS_TYPES.get, ignore_metadata=True)
    dtypes = {c.name: c.dtype for c in schema.TABLES[table]}
    for name in df.columns:
        dtype = dtypes.get(name)
        if dtype == schema.LIST:
            df[name] = pd.Series([[] if v is None else v for v in data.column(name).to_pylist()], dtype=object)
        elif dtype is not None and str(df[name].dtype) != dtype:
            df[name] = df[name].astype(dtype)
    return df


# --------------------------------------------------------------------------- atomic files


def _fsync_dir(directory: Path) -> None:
    # A directory fsync makes the rename itself durable; not possible on Windows.
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never half of it."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    _fsync_dir(path.parent)


def _parquet_bytes(data: pa.Table) -> bytes:
    import pyarrow.parquet as pq

    sink = io.BytesIO()
    pq.write_table(data, sink, compression="zstd")
    return sink.getvalue()


def _csv_bytes(table: str, df: pd.DataFrame) -> bytes:
    df = df.copy()
    for column in schema.TABLES[table]:
        if column.dtype == schema.LIST and column.name in df.columns:
            df[column.name] = df[column.name].map(lambda v: json.dumps(list(v), ensure_ascii=False))
    return df.to_csv(index=False, date_format="%Y-%m-%dT%H:%M:%S").encode("utf-8")


@contextlib.contextmanager
def _locked(directory: Path) -> Iterator[None]:
    """Hold an exclusive lock on the store while writing (released by the OS if the process dies)."""
    try:
        import fcntl
    except ImportError:  # Windows: one writer at a time is the user's responsibility
        yield
        return
    with open(directory / ".lock", "a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StoreError(
                f"{directory}: another newskit process is writing this store; wait for it to finish"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


# --------------------------------------------------------------------------- manifest


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _new_manifest(file_format: str = "parquet") -> dict:
    return {
        "format": STORE_FORMAT,
        "store_version": STORE_VERSION,
        "file_format": file_format,
        "newskit_version": None,
        "model_version": None,
        "updated": _now(),
        "tables": list(STORED_TABLES),
        "next_chunk": 1,
        "chunks": {},
        "articles": {},
    }


def _load_manifest(directory: Path) -> dict:
    fix = _FIX_REBUILD.format(dir=directory)
    if not directory.exists():
        raise StoreError(f"{directory}: no such facts store; write one with `newskit extract INPUT --out {directory}`")
    if not directory.is_dir():
        raise StoreError(f"{directory}: is a file, not a facts store directory; pass the directory `--out` wrote")
    path = directory / MANIFEST
    if not path.is_file():
        raise StoreError(f"{directory}: not a facts store ({MANIFEST} is missing); {fix}")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise StoreError(f"{path}: unreadable manifest ({exc}); {fix}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != STORE_FORMAT:
        raise StoreError(f"{path}: not a newskit facts store manifest; {fix}")
    if manifest.get("store_version", 0) > STORE_VERSION:
        raise StoreError(
            f"{directory}: written by a newer newskit (store version {manifest['store_version']}); upgrade newskit"
        )
    return manifest


def _save_manifest(directory: Path, manifest: dict) -> None:
    manifest["updated"] = _now()
    _atomic_write(directory / MANIFEST, json.dumps(manifest, separators=(",", ":")).encode("utf-8"))


def _part_path(directory: Path, table: str, chunk: str) -> Path:
    return directory / table / f"part-{chunk}.parquet"


def _chunk_files(directory: Path, manifest: dict, chunk: str) -> list[Path]:
    info = manifest["chunks"][chunk]
    return [_part_path(directory, table, chunk) for table in info.get("tables", STORED_TABLES)]


def _remove_orphans(directory: Path, manifest: dict) -> None:
    """Delete part and temporary files no manifest chunk refers to (left by a killed run)."""
    known = {p for chunk in manifest["chunks"] for p in _chunk_files(directory, manifest, chunk)}
    for table in schema.TABLES:
        folder = directory / table
        if not folder.is_dir():
            continue
        for path in folder.iterdir():
            if path.name.endswith(".tmp") or (path.name.startswith("part-") and path not in known):
                with contextlib.suppress(OSError):
                    path.unlink()


def _live_by_chunk(manifest: dict) -> dict[str, list[str]]:
    live: dict[str, list[str]] = {chunk: [] for chunk in manifest["chunks"]}
    for article_id, (chunk, *_rest) in manifest["articles"].items():
        live.setdefault(chunk, []).append(article_id)
    return live


def _drop_dead_chunks(directory: Path, manifest: dict) -> list[Path]:
    """Forget chunks none of whose articles is current; returns their files (delete after saving)."""
    live = _live_by_chunk(manifest)
    files = []
    for chunk in [c for c in manifest["chunks"] if not live.get(c)]:
        files += _chunk_files(directory, manifest, chunk)
        del manifest["chunks"][chunk]
    return files


def _unlink_all(paths: Iterable[Path]) -> None:
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink()


def describe_store(directory: str | Path) -> dict:
    """What a store holds: versions, chunks, articles and rows per table.

    Raises:
        StoreError: ``directory`` is not a readable store.
    """
    directory = Path(directory)
    manifest = _load_manifest(directory)
    rows: dict[str, int] = {}
    for info in manifest["chunks"].values():
        for table, n in info.get("rows", {}).items():
            rows[table] = rows.get(table, 0) + n
    return {
        "path": str(directory),
        "file_format": manifest["file_format"],
        "newskit_version": manifest.get("newskit_version"),
        "model_version": manifest.get("model_version"),
        "updated": manifest.get("updated"),
        "chunks": len(manifest["chunks"]),
        "articles": len(manifest["articles"]),
        "rows": rows,
    }


# --------------------------------------------------------------------------- fingerprints


def fingerprint(article: Mapping) -> str:
    """Hash of the article columns that, when changed, call for a new extraction."""
    parts = []
    for name in FINGERPRINT_COLUMNS:
        value = article.get(name)
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            parts.append("")
        elif name == "published":
            parts.append(pd.Timestamp(value).isoformat())
        else:
            parts.append(str(value))
    return hashlib.sha1("\0".join(parts).encode("utf-8")).hexdigest()[:16]


# --------------------------------------------------------------------------- write_facts


def _check_tables(tables, *, parameter: str = "tables") -> list[str]:
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


def write_facts(
    facts: Facts, directory: str | Path, *, format: str = "parquet", tables: Iterable[str] | str | None = None
) -> Path:
    """Write extracted facts to ``directory``, one file per table.

    ``format="parquet"`` writes a facts store that :func:`read_facts` reads back
    exactly (dtypes, lists and the given ``entities`` table included);
    ``format="csv"`` writes ``<table>.csv`` files for spreadsheets (lists as JSON
    arrays, dates as ISO 8601), which :func:`read_facts` also reads. Each file is
    written atomically, so a crash never leaves a half-written table; a store
    already in ``directory`` is replaced.

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
    if format not in FORMATS:
        raise ParameterError("format", format, "is not a supported format", fix=f"use one of {', '.join(FORMATS)}")
    if not isinstance(facts, Facts):
        raise ParameterError(
            "facts", type(facts).__name__, "must be a newskit.Facts", fix="pass what extract() returned"
        )
    names = _check_tables(tables)
    directory = Path(directory)
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"{directory}: cannot create the output directory ({exc.strerror}); choose another") from None
    frames = facts.tables()
    with _locked(directory):
        old = None
        if (directory / MANIFEST).exists():
            with contextlib.suppress(StoreError):
                old = _load_manifest(directory)
        manifest = _new_manifest(format)
        from . import __version__

        manifest["newskit_version"] = __version__
        manifest["tables"] = names
        chunk = f"{time.time_ns():x}"
        rows = {}
        for table in names:
            df = schema.conform(table, frames[table])
            if format == "parquet":
                folder = directory / table
                folder.mkdir(exist_ok=True)
                _atomic_write(_part_path(directory, table, chunk), _parquet_bytes(to_arrow(table, df)))
            else:
                _atomic_write(directory / f"{table}.csv", _csv_bytes(table, df))
            rows[table] = len(df)
        articles = frames["articles"]
        manifest["chunks"][chunk] = {
            "newskit_version": __version__,
            "model_version": None,
            "created": _now(),
            "tables": names,
            "entities_stored": "entities" in names,
            "articles": len(articles) if "articles" in names else 0,
            "rows": rows,
        }
        if "articles" in names:
            records = articles.to_dict("records")
            manifest["articles"] = {
                str(r["article_id"]): [chunk, fingerprint(r), None if pd.isna(r.get("path")) else r.get("path")]
                for r in records
            }
        manifest["snapshot"] = True
        _save_manifest(directory, manifest)
        if old is not None and old.get("file_format") == "parquet":
            for old_chunk in old["chunks"]:
                if old_chunk != chunk:
                    _unlink_all(_chunk_files(directory, old, old_chunk))
        elif old is not None and format == "parquet":
            _unlink_all(directory / f"{t}.csv" for t in schema.TABLES)
        if format == "csv":
            _unlink_all(directory / f"{t}.csv" for t in schema.TABLES if t not in names)
    return directory


# --------------------------------------------------------------------------- read_facts


def _check_columns(columns, tables: list[str]) -> dict[str, list[str] | None]:
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
    from .readers.dates import parse_date

    ts = parse_date(value, where="filters['published']")
    if not end:
        return ts
    bare_date = (isinstance(value, dt.date) and not isinstance(value, dt.datetime)) or (
        isinstance(value, str) and len(value.strip()) <= 10
    )
    return ts + (pd.Timedelta(days=1) if bare_date else pd.Timedelta(1, "ns"))


def _check_filters(filters) -> dict:
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
        StoreError: The directory is missing, not a store, or damaged.
        ParameterError: Unknown table, column or filter.

    Examples:
        >>> import newskit as nk
        >>> facts = nk.read_facts("facts", tables=["articles", "events"],
        ...                       filters={"published": ("2024-01-01", "2024-03-31")})  # doctest: +SKIP
    """
    directory = Path(directory)
    names = _check_tables(tables)
    wanted = _check_columns(columns, names)
    where = _check_filters(filters)
    for attempt in range(2):
        manifest = _load_manifest(directory)
        try:
            if manifest["file_format"] == "csv":
                frames = _read_csv_store(directory, manifest, names, wanted, where)
            else:
                frames = _read_parquet_store(directory, manifest, names, wanted, where)
            break
        except FileNotFoundError as exc:
            # A concurrent run may have replaced a chunk between reading the manifest and the files.
            if attempt == 1:
                raise StoreError(
                    f"{directory}: damaged store, {exc.filename} is missing; {_FIX_REBUILD.format(dir=directory)}"
                ) from None
        except (pa.ArrowInvalid, OSError) as exc:
            raise StoreError(
                f"{directory}: damaged store, a table file cannot be read ({exc}); {_FIX_REBUILD.format(dir=directory)}"
            ) from None
    from .store_link import attach_links  # hook: the store's link tables and story ids

    frames = attach_links(directory, manifest, frames)
    for table in schema.TABLES:
        frames.setdefault(table, schema.frame(table))
    return Facts(**frames)


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


def _read_parquet_store(directory: Path, manifest: dict, names: list[str], wanted: dict, where: dict) -> dict:
    import pyarrow.compute as pc
    import pyarrow.dataset as ds

    live = _live_by_chunk(manifest)
    chunks = sorted(manifest["chunks"])

    def read(table: str, columns: list[str] | None, expression) -> pa.Table:
        target = arrow_schema(table)
        selected = [c for c in (columns or target.names) if c in target.names]
        pieces = []
        full = [c for c in chunks if table in manifest["chunks"][c].get("tables", STORED_TABLES)]
        whole = [c for c in full if len(live.get(c, ())) == manifest["chunks"][c].get("articles", 0)]
        partial = [c for c in full if c not in whole and live.get(c)]
        groups = [(whole, None)] + [([c], live[c]) for c in partial]
        for group, keep in groups:
            if not group:
                continue
            files = [str(_part_path(directory, table, c)) for c in group]
            for path in files:
                if not os.path.exists(path):
                    raise FileNotFoundError(2, "missing", path)
            dataset = ds.dataset(files, schema=target, format="parquet")
            condition = expression
            if keep is not None and "article_id" in target.names:
                term = pc.field("article_id").isin(pa.array(keep, type=pa.string()))
                condition = term if condition is None else condition & term
            pieces.append(dataset.to_table(columns=selected, filter=condition))
        if not pieces:
            return target.empty_table().select(selected)
        return pa.concat_tables(pieces)

    article_filter = _article_expression(where)
    if "published" in where:
        ids = read("articles", ["article_id"], article_filter).column("article_id").to_pylist()
        other_filter = pc.field("article_id").isin(pa.array(ids, type=pa.string()))
    else:
        other_filter = article_filter
    frames: dict[str, pd.DataFrame] = {}
    for table in names:
        if table == "entities":
            continue
        stored = table in _stored_tables(manifest)
        if not stored:
            frames[table] = _select(schema.frame(table), wanted[table])
            continue
        expression = article_filter if table == "articles" else other_filter
        if "article_id" not in arrow_schema(table).names:
            expression = None  # corpus-level link tables (stories, figures) are read whole
        frames[table] = to_frame(table, read(table, wanted[table], expression))
    if "entities" in names:
        snapshot = [c for c in chunks if manifest["chunks"][c].get("entities_stored")]
        if snapshot and not where and len(chunks) == 1:
            entities = to_frame("entities", read("entities", None, None))
        else:
            needed = ["article_id", "entity_id", "name", "label", "text"]
            if "mentions" in _stored_tables(manifest):
                mentions = to_frame("mentions", read("mentions", needed, other_filter))
            else:
                mentions = schema.frame("mentions")
            entities = entities_table(mentions)
        frames["entities"] = _select(entities, wanted["entities"])
    return frames


def _stored_tables(manifest: dict) -> set[str]:
    return {t for info in manifest["chunks"].values() for t in info.get("tables", STORED_TABLES)} | (
        set(manifest.get("tables", ())) if not manifest["chunks"] else set()
    )


def _select(df: pd.DataFrame, columns: list[str] | None) -> pd.DataFrame:
    return df if columns is None else df[[c for c in columns if c in df.columns]].reset_index(drop=True)


def _read_csv_store(directory: Path, manifest: dict, names: list[str], wanted: dict, where: dict) -> dict:
    frames = {}
    for table in names:
        path = directory / f"{table}.csv"
        if table not in manifest.get("tables", ()):
            frames[table] = _select(schema.frame(table), wanted[table])
            continue
        try:
            raw = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
        except FileNotFoundError:
            raise
        except (OSError, ValueError) as exc:
            raise StoreError(f"{path}: unreadable ({exc}); {_FIX_REBUILD.format(dir=directory)}") from None
        for column in schema.TABLES[table]:
            if column.dtype == schema.LIST and column.name in raw.columns:
                raw[column.name] = raw[column.name].map(lambda v: [] if pd.isna(v) else json.loads(v))
        frames[table] = schema.conform(table, raw)
    if where:
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
    return {table: _select(df, wanted[table]) for table, df in frames.items()}


# --------------------------------------------------------------------------- extract_to_store


@dataclass
class StoreResult:
    """What one :func:`extract_to_store` run did.

    Attributes:
        path: The store directory.
        articles_seen: Articles read from the inputs (duplicates counted once).
        articles_extracted: Articles extracted in this run (new, changed, or stored with
            an older newskit/model version).
        articles_unchanged: Articles skipped because the store already holds them, unchanged.
        articles_failed: Articles whose extraction failed (``errors="warn"``/``"skip"``); retried next run.
        facts: Rows written per table in this run.
        chunks: Chunks written in this run.
        seconds: Wall-clock duration.
        newskit_version: newskit version recorded for the new chunks.
        model_version: spaCy pipeline recorded for the new chunks.
        engine: ``"local"`` or ``"dask"``.
        worker_seconds: Wall-clock seconds workers spent extracting, summed over chunks.
        worker_cpu_seconds: CPU seconds they used (below ``worker_seconds`` when cores are shared).
        failures: ``{"article_id", "path", "problem"}`` per failed article.
        skipped: Inputs the readers could not read or found duplicated (``errors="warn"``/``"skip"``),
            as ``{"path", "where", "problem", "fix"}`` (see :func:`newskit.readers.iter_articles`).
    """

    path: Path
    articles_seen: int = 0
    articles_extracted: int = 0
    articles_unchanged: int = 0
    articles_failed: int = 0
    facts: dict[str, int] = field(default_factory=dict)
    chunks: int = 0
    seconds: float = 0.0
    newskit_version: str = ""
    model_version: str = ""
    engine: str = "local"
    worker_seconds: float = 0.0
    worker_cpu_seconds: float = 0.0
    failures: list[dict] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)

    @property
    def articles_new(self) -> int:
        """Alias of :attr:`articles_extracted`."""
        return self.articles_extracted

    def summary(self) -> pd.DataFrame:
        """The run as a two-column table (``what``, ``value``) for printing."""
        rows = [
            ("articles seen", self.articles_seen),
            ("articles extracted", self.articles_extracted),
            ("articles unchanged (skipped)", self.articles_unchanged),
            ("articles failed", self.articles_failed),
            *((f"{table} rows written", n) for table, n in self.facts.items()),
            ("chunks written", self.chunks),
            ("seconds", round(self.seconds, 2)),
        ]
        return pd.DataFrame({"what": [w for w, _ in rows], "value": pd.Series([v for _, v in rows], dtype=object)})

    def __str__(self) -> str:
        return (
            f"{self.path}: {self.articles_seen} articles seen, {self.articles_extracted} extracted, "
            f"{self.articles_unchanged} unchanged, {self.articles_failed} failed in {self.seconds:.1f}s"
        )


def _iter_inputs(inputs, *, errors: str, columns, skipped: list) -> Iterator[dict]:
    """Article dicts from paths (via newskit.readers), a DataFrame or an iterable of dicts."""
    if isinstance(inputs, pd.DataFrame):
        yield from schema.conform("articles", inputs).to_dict("records")
        return
    if isinstance(inputs, (str, os.PathLike)) or (
        isinstance(inputs, (list, tuple)) and inputs and all(isinstance(p, (str, os.PathLike)) for p in inputs)
    ):
        from .readers import iter_articles

        kwargs = {"errors": errors, "skipped": skipped}
        if columns is not None:
            kwargs["columns"] = columns
        yield from iter_articles(inputs, **kwargs)
        return
    if isinstance(inputs, Iterable):
        yield from inputs
        return
    raise ParameterError("inputs", type(inputs).__name__, "must be paths, a DataFrame of articles or article dicts")


def _normalise_article(record: Mapping) -> dict:
    from .extract import article_id_for

    record = dict(record)
    if "text" not in record or record["text"] is None:
        raise ParameterError("inputs", {k: record.get(k) for k in ("article_id", "path")}, "article has no text")
    record["text"] = str(record["text"])
    if record.get("published") is not None and not isinstance(record["published"], pd.Timestamp):
        from .readers.dates import parse_date

        record["published"] = None if pd.isna(record["published"]) else parse_date(record["published"])
    if not record.get("article_id") or pd.isna(record.get("article_id")):
        record["article_id"] = article_id_for(record["text"], record.get("published"))
    if record.get("n_words") is None or pd.isna(record.get("n_words")):
        record["n_words"] = len(record["text"].split())
    if not record.get("paths") and record.get("path") is not None and not pd.isna(record["path"]):
        record["paths"] = [str(record["path"])]
    return record


def _chunks(records: Iterable[dict], size: int) -> Iterator[list[dict]]:
    batch: list[dict] = []
    for record in records:
        batch.append(record)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def extract_to_store(
    inputs,
    out: str | Path,
    *,
    errors: str = "raise",
    columns=None,
    engine: str = "local",
    n_process: int = 1,
    workers: int | None = None,
    scheduler=None,
    chunk_size: int = 500,
    batch_size: int = 32,
    format: str = "parquet",
    tables: Iterable[str] | str | None = None,
    progress: bool = False,
) -> StoreResult:
    """Extract articles into a facts store, incrementally and in chunks.

    Articles are read as a stream, parsed in batches and written chunk by chunk, so
    memory does not grow with the number of articles. Only articles the store does
    not hold yet are extracted: new ones, ones whose metadata changed (same
    ``article_id``, other title/source/url/author/time), and every article stored
    by another newskit or spaCy model version (those not among ``inputs`` are
    extracted again from the text the store keeps). An article read from a path
    the store holds another article for replaces that article (the file was edited).

    Killing the process at any moment leaves a readable store with every finished
    chunk; running the same command again completes it.

    Args:
        inputs: Files or folders (read with :func:`newskit.readers.iter_articles`),
            a DataFrame of articles, or an iterable of article dicts.
        out: Store directory (created if needed).
        errors: Unreadable input or failed extraction: ``"raise"``, ``"warn"`` (skip
            with a warning) or ``"skip"``.
        columns: Column mapping passed to the readers for CSV/JSON inputs.
        engine: ``"local"`` (this machine, ``n_process`` processes) or ``"dask"``; or an
            :class:`newskit.engines.Engine` already started, to reuse its workers across runs.
        n_process: Local worker processes (``engine="local"``).
        workers: Dask workers of the LocalCluster started when no ``scheduler`` is given
            (default: 2).
        scheduler: Address of a running Dask scheduler (``tcp://host:8786``) or a
            ``distributed.Client``; the store directory must be writable from this process.
        chunk_size: Articles per chunk (one Parquet file per table per chunk).
        batch_size: Texts per ``nlp.pipe`` batch.
        format: ``"parquet"`` (the store itself) or ``"csv"``: ``out/<table>.csv`` files
            exported after extraction from a Parquet store kept in ``out/.store``, so that
            re-runs stay incremental.
        tables: Tables to write (all by default). A Parquet store always keeps
            ``articles`` too: its index, date filters and re-extraction rely on it.
            Chunks written without a table asked for now are extracted again.
        progress: Show a progress bar.

    Returns:
        A :class:`StoreResult` summarising the run.

    Raises:
        ParameterError: A bad option.
        StoreError: ``out`` is not a store and not empty, or cannot be written.

    Examples:
        >>> from newskit.store import extract_to_store
        >>> result = extract_to_store("data/articles", "facts", n_process=2)  # doctest: +SKIP
        >>> print(result)  # doctest: +SKIP
        facts: 1200 articles seen, 1200 extracted, 0 unchanged, 0 failed in 311.4s
    """
    from . import __version__
    from .engines import ENGINES, Engine, get_engine
    from .nlp import load_pipeline, model_version

    started = time.perf_counter()
    if format not in FORMATS:
        raise ParameterError("format", format, "is not a supported format", fix=f"use one of {', '.join(FORMATS)}")
    wanted_tables = _check_tables(tables)
    if format == "csv":
        csv_out = Path(out)
        if (csv_out / MANIFEST).exists() and _load_manifest(csv_out)["file_format"] != "csv":
            raise StoreError(f"{csv_out}: holds a Parquet store; choose another --out directory for CSV files")
        if not (csv_out / MANIFEST).exists() and csv_out.is_dir() and any(not _ours(p) for p in csv_out.iterdir()):
            raise StoreError(f"{csv_out}: not empty and not a newskit output; choose an empty or new --out directory")
        result = extract_to_store(
            inputs,
            csv_out / CSV_STORE,
            errors=errors,
            columns=columns,
            engine=engine,
            n_process=n_process,
            workers=workers,
            scheduler=scheduler,
            chunk_size=chunk_size,
            batch_size=batch_size,
            tables=tables,
            progress=progress,
        )
        write_facts(read_facts(csv_out / CSV_STORE, tables=wanted_tables), csv_out, format="csv", tables=wanted_tables)
        result.path = csv_out
        result.seconds = time.perf_counter() - started
        return result
    stored_tables = [t for t in STORED_TABLES if t == "articles" or t in wanted_tables]
    if errors not in ERROR_MODES:
        raise ParameterError("errors", errors, "is not an error mode", fix=f"use one of {', '.join(ERROR_MODES)}")
    if not isinstance(engine, Engine) and engine not in ENGINES:
        raise ParameterError("engine", engine, "is not an engine", fix=f"use one of {', '.join(ENGINES)}")
    for name, value in (("chunk_size", chunk_size), ("batch_size", batch_size), ("n_process", n_process)):
        if not isinstance(value, int) or value < 1:
            raise ParameterError(name, value, "must be a positive integer")
    if workers is not None and (not isinstance(workers, int) or workers < 1):
        raise ParameterError("workers", workers, "must be a positive integer")
    runner = get_engine(engine, n_process=n_process, workers=workers, scheduler=scheduler)  # starts nothing yet
    out = Path(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"{out}: cannot create the store directory ({exc.strerror}); choose another --out") from None
    if not (out / MANIFEST).exists() and any(not _ours(p) for p in out.iterdir()):
        raise StoreError(f"{out}: not empty and not a facts store; choose an empty or new --out directory")

    current = (__version__, _installed_model_version() or model_version(load_pipeline()))
    result = StoreResult(
        path=out, newskit_version=current[0], model_version=current[1], engine=getattr(engine, "name", engine)
    )
    result.facts = dict.fromkeys(stored_tables, 0)
    with _locked(out):
        manifest = _load_manifest(out) if (out / MANIFEST).exists() else _new_manifest()
        if manifest["file_format"] != "parquet":
            raise StoreError(f"{out}: holds a CSV export, which cannot be extended; choose another --out directory")
        manifest.pop("snapshot", None)
        _remove_orphans(out, manifest)
        for folder in stored_tables:
            (out / folder).mkdir(exist_ok=True)
        current_chunks = {
            c
            for c, info in manifest["chunks"].items()
            if (info["newskit_version"], info["model_version"]) == current
            and set(stored_tables) <= set(info.get("tables", STORED_TABLES))
        }
        by_path = {entry[2]: aid for aid, entry in manifest["articles"].items() if entry[2] is not None}
        seen: set[str] = set()
        replaces: dict[str, str] = {}  # new article_id -> stored article_id it replaces (same path)

        bar = None
        if progress:
            from tqdm.auto import tqdm

            bar = tqdm(desc="extract", unit="article")

        def pending() -> Iterator[dict]:
            for raw in _iter_inputs(inputs, errors=errors, columns=columns, skipped=result.skipped):
                record = _normalise_article(raw)
                article_id = record["article_id"]
                if article_id in seen:
                    continue
                seen.add(article_id)
                result.articles_seen += 1
                entry = manifest["articles"].get(article_id)
                if entry is not None and entry[0] in current_chunks and entry[1] == fingerprint(record):
                    result.articles_unchanged += 1
                    if bar is not None:
                        bar.update(1)
                    continue
                previous = by_path.get(record.get("path"))
                if previous is not None and previous != article_id:
                    replaces[article_id] = previous
                yield record
            # Articles stored by another version and absent from the inputs: extract them again from
            # the text the store keeps, so the whole store matches one version.
            yield from _stale_articles(out, manifest, current_chunks, seen)

        def write_chunk(records: list[dict], chunk_result) -> None:
            chunk = f"{manifest['next_chunk']:06d}"
            manifest["next_chunk"] += 1
            if chunk_result.model_version != current[1]:
                raise StoreError(
                    f"{out}: a worker runs spaCy pipeline {chunk_result.model_version}, not {current[1]}; "
                    "install the same pipeline on every worker (or set NEWSKIT_SPACY_MODEL)"
                )
            rows = {}
            for table in stored_tables:
                data = chunk_result.tables[table]
                _atomic_write(_part_path(out, table, chunk), _parquet_bytes(data))
                rows[table] = data.num_rows
                result.facts[table] += data.num_rows
            failed = {f["article_id"] for f in chunk_result.failures}
            written = [r for r in records if r["article_id"] not in failed]
            manifest["chunks"][chunk] = {
                "newskit_version": current[0],
                "model_version": current[1],
                "created": _now(),
                "tables": stored_tables,
                "articles": len(written),
                "rows": rows,
            }
            for record in written:
                article_id = record["article_id"]
                path = record.get("path")
                manifest["articles"][article_id] = [chunk, fingerprint(record), None if pd.isna(path) else str(path)]
                old = replaces.pop(article_id, None)
                if old is not None and old not in seen and old in manifest["articles"]:
                    del manifest["articles"][old]
            manifest["newskit_version"], manifest["model_version"] = current
            dead = _drop_dead_chunks(out, manifest)
            _save_manifest(out, manifest)
            _unlink_all(dead)
            result.chunks += 1
            result.worker_seconds += chunk_result.seconds
            result.worker_cpu_seconds += chunk_result.cpu_seconds
            result.articles_extracted += len(written)
            result.articles_failed += len(failed)
            result.failures += chunk_result.failures
            for failure in chunk_result.failures:
                if errors == "warn":
                    warnings.warn(f"{failure['path']}: extraction failed: {failure['problem']}", stacklevel=3)
            if bar is not None:
                bar.update(len(records))

        try:
            for records, chunk_result in runner.map_chunks(
                _chunks(pending(), chunk_size), batch_size=batch_size, errors=errors
            ):
                write_chunk(records, chunk_result)
        finally:
            if runner is not engine:  # an Engine passed in stays up for the caller's next run
                runner.close()
            if bar is not None:
                bar.close()
        manifest["newskit_version"], manifest["model_version"] = current
        dead = _drop_dead_chunks(out, manifest)
        _save_manifest(out, manifest)
        _unlink_all(dead)
        from .store_link import link_store  # hook: link new articles into the store's stories

        link_store(out, manifest=manifest)
    result.seconds = time.perf_counter() - started
    return result


def _installed_model_version() -> str | None:
    """The model version to record, without importing spaCy when the pipeline is not loaded yet.

    A re-run with nothing to extract then loads no model. ``None`` means: load the pipeline
    and ask it. Workers report the version they really run and a mismatch stops the run
    (see ``write_chunk``), so a wrong guess cannot go unnoticed.
    """
    from .nlp import load_pipeline

    if load_pipeline.cache_info().currsize:  # already loaded in this process: ask it
        return None
    return _package_model_version()


def _package_model_version() -> str | None:
    """``newskit.nlp.model_version`` of the pipeline ``load_pipeline()`` would load, from the
    ``meta.json`` of its package (the file spaCy reads ``nlp.meta`` from); ``None`` if unsure."""
    import importlib.util

    from .nlp import model_candidates

    for candidate in model_candidates():
        if os.sep in candidate or "/" in candidate:
            return None  # a pipeline directory: let spaCy load it
        try:
            spec = importlib.util.find_spec(candidate)
        except (ImportError, ValueError):
            spec = None
        if spec is None or not spec.submodule_search_locations:
            continue
        try:
            meta = json.loads((Path(next(iter(spec.submodule_search_locations))) / "meta.json").read_text("utf-8"))
            return f"{meta.get('lang', 'xx')}_{meta.get('name', 'unknown')}=={meta.get('version', '0')}"
        except (OSError, ValueError, StopIteration):
            return None
    return None


def _ours(path: Path) -> bool:
    """Whether ``path`` (in a directory without manifest) is what a killed first run leaves behind."""
    return path.name in {".lock", CSV_STORE, *schema.TABLES} or (
        path.name.startswith(".") and path.name.endswith(".tmp")
    )


def _stale_articles(directory: Path, manifest: dict, current_chunks: set[str], seen: set[str]) -> Iterator[dict]:
    """Stored articles from chunks of another version that the inputs did not contain."""
    import pyarrow.compute as pc
    import pyarrow.dataset as ds

    stale: dict[str, list[str]] = {}
    for article_id, (chunk, *_rest) in list(manifest["articles"].items()):
        if chunk not in current_chunks and article_id not in seen:
            stale.setdefault(chunk, []).append(article_id)
    for chunk, ids in sorted(stale.items()):
        path = _part_path(directory, "articles", chunk)
        if not path.exists():
            continue
        data = ds.dataset(str(path), schema=arrow_schema("articles"), format="parquet").to_table(
            filter=pc.field("article_id").isin(pa.array(ids, type=pa.string()))
        )
        for record in to_frame("articles", data).to_dict("records"):
            seen.add(record["article_id"])
            yield record
