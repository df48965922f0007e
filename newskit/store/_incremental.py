"""Incremental extraction into a store: plan what is new, changed and gone; commit chunks; finish.

A run is three steps, each a method of :class:`_Run`:

1. **plan** (:meth:`_Run.pending`): read the inputs as a stream; an article whose
   ``article_id`` (a hash of its text and day, so independent of file and line) and
   metadata fingerprint the store already holds, extracted by this newskit and model, is
   *unchanged*: only where it was read from is updated. Every other article is *pending*.
2. **commit** (:meth:`_Run.commit`): each extracted chunk's parts are written atomically,
   then the manifest that lists them, so a killed run keeps every finished chunk.
3. **finish** (:meth:`_Run.finish`): articles the inputs no longer hold are *gone* and
   removed (unless ``keep_missing``), chunks nothing points to are deleted, and the
   manifest records the run's inputs so a damaged store can name the command that repairs it.

After a finished run the store equals a clean extraction of the current inputs.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
import warnings
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow as pa

from .. import schema
from .._progress import progress_bar
from ..errors import ParameterError, StoreDamagedError, StoreError
from . import _format as fmt
from ._params import ERROR_MODES, check_tables

__all__ = ["FINGERPRINT_COLUMNS", "StoreResult", "extract_to_store", "fingerprint"]

#: Article columns whose change makes an already stored article be extracted again
#: (the text and the publication day are already covered by ``article_id``).
FINGERPRINT_COLUMNS: tuple[str, ...] = ("published", "title", "source", "url", "author", "text")


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


@dataclass
class StoreResult:
    """What one :func:`extract_to_store` run did.

    Attributes:
        path: The store directory.
        articles_seen: Articles read from the inputs (duplicates counted once).
        articles_extracted: Articles extracted in this run (new, changed, or stored with
            an older newskit/model version).
        articles_unchanged: Articles skipped because the store already holds them, unchanged.
        articles_removed: Stored articles removed because no input holds them any more.
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
        repaired: Damage found in the store and repaired by this run (one line each).
    """

    path: Path
    articles_seen: int = 0
    articles_extracted: int = 0
    articles_unchanged: int = 0
    articles_removed: int = 0
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
    repaired: list[str] = field(default_factory=list)

    def summary(self) -> pd.DataFrame:
        """The run as a two-column table (``what``, ``value``) for printing."""
        rows = [
            ("articles seen", self.articles_seen),
            ("articles extracted", self.articles_extracted),
            ("articles unchanged (skipped)", self.articles_unchanged),
            ("articles removed (input gone)", self.articles_removed),
            ("articles failed", self.articles_failed),
            ("inputs skipped", len(self.skipped)),
            *((f"{table} rows written", n) for table, n in self.facts.items()),
            ("chunks written", self.chunks),
            ("seconds", round(self.seconds, 2)),
        ]
        return pd.DataFrame({"what": [w for w, _ in rows], "value": pd.Series([v for _, v in rows], dtype=object)})

    def __str__(self) -> str:
        return (
            f"{self.path}: {self.articles_seen} articles seen, {self.articles_extracted} extracted, "
            f"{self.articles_unchanged} unchanged, {self.articles_removed} removed, "
            f"{self.articles_failed} failed, {len(self.skipped)} input(s) skipped in {self.seconds:.1f}s"
        )


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
    keep_missing: bool = False,
) -> StoreResult:
    """Extract articles into a facts store, incrementally and in chunks.

    Articles are read as a stream, parsed in batches and written chunk by chunk, so
    memory does not grow with the number of articles. Articles are identified by
    content (``article_id``: their text and day), never by file or line, so moving,
    renaming or reordering inputs costs no extraction. Only articles the store does
    not hold yet are extracted: new ones, ones whose metadata changed (same
    ``article_id``, other title/source/url/author/time), and every article stored
    by another newskit or spaCy model version. Stored articles that no input holds
    any more are removed, so that after the run the store equals a clean extraction
    of the current inputs; ``keep_missing=True`` keeps them instead (an archive that
    only grows; those stored by another version are then re-extracted from the text
    the store keeps).

    Killing the process at any moment leaves a readable store with every finished
    chunk; running the same command again completes it. A damaged store (a truncated,
    changed, swapped or missing part, a damaged manifest) is repaired: the damaged
    chunks are dropped and their articles extracted again.

    Args:
        inputs: Files or folders (read with :func:`newskit.readers.iter_articles`),
            a DataFrame of articles, or an iterable of article dicts.
        out: Store directory (created if needed).
        errors: Unreadable input or failed extraction: ``"raise"``, ``"warn"`` (skip
            with a warning) or ``"skip"``. Skipped inputs are listed in ``result.skipped``.
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
        progress: Show progress (a bar on a terminal, one summary line in a log).
        keep_missing: Keep stored articles that no input holds any more.

    Returns:
        A :class:`StoreResult` summarising the run.

    Raises:
        ParameterError: A bad option.
        StoreError: ``out`` is not a store and not empty, or cannot be written.

    Examples:
        >>> from newskit.store import extract_to_store
        >>> result = extract_to_store("data/articles", "facts", n_process=2)  # doctest: +SKIP
        >>> print(result)  # doctest: +SKIP
        facts: 1200 articles seen, 1200 extracted, 0 unchanged, 0 removed, 0 failed, 0 input(s) skipped in 311.4s
    """
    options = dict(
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
        keep_missing=keep_missing,
    )
    if format not in fmt.FORMATS:
        raise ParameterError("format", format, "is not a supported format", fix=f"use one of {', '.join(fmt.FORMATS)}")
    if format == "csv":
        return _extract_to_csv(inputs, Path(out), **options)
    return _extract_to_parquet(inputs, Path(out), **options)


def _extract_to_csv(inputs, out: Path, **options) -> StoreResult:
    """CSV output: extract into ``out/.store`` (incremental), then export its tables as CSV files."""
    from ._csv import export_csv

    started = time.perf_counter()
    wanted = check_tables(options["tables"])
    if (out / fmt.MANIFEST).exists() and _file_format(out) != "csv":
        raise StoreError(f"{out}: holds a Parquet store; choose another --out directory for CSV files")
    if not (out / fmt.MANIFEST).exists() and out.is_dir() and any(not fmt.ours(p) for p in out.iterdir()):
        raise StoreError(f"{out}: not empty and not a newskit output; choose an empty or new --out directory")
    result = _extract_to_parquet(inputs, out / fmt.CSV_STORE, **options)
    export_csv(out / fmt.CSV_STORE, out, tables=wanted)
    with fmt.locked(out):  # the export remembers the run too, so its damage names the repair command
        manifest = fmt.load_manifest(out)
        manifest["run"] = fmt.load_manifest(out / fmt.CSV_STORE).get("run")
        fmt.save_manifest(out, manifest)
    result.path = out
    result.seconds = time.perf_counter() - started
    return result


def _file_format(out: Path) -> str:
    """The file format of the output in ``out``; a damaged CSV export is rewritten whole, so it counts as CSV."""
    try:
        return fmt.load_manifest(out)["file_format"]
    except StoreDamagedError:
        return "csv" if (out / fmt.CSV_STORE).is_dir() else "parquet"


def _check_options(*, errors, engine, n_process, workers, chunk_size, batch_size) -> None:
    from ..engines import ENGINES, Engine

    if errors not in ERROR_MODES:
        raise ParameterError("errors", errors, "is not an error mode", fix=f"use one of {', '.join(ERROR_MODES)}")
    if not isinstance(engine, Engine) and engine not in ENGINES:
        raise ParameterError("engine", engine, "is not an engine", fix=f"use one of {', '.join(ENGINES)}")
    for name, value in (("chunk_size", chunk_size), ("batch_size", batch_size), ("n_process", n_process)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ParameterError(name, value, "must be a positive integer")
    if workers is not None and (not isinstance(workers, int) or workers < 1):
        raise ParameterError("workers", workers, "must be a positive integer")


def _prepare_directory(out: Path) -> None:
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"{out}: cannot create the store directory ({exc.strerror}); choose another --out") from None
    if not (out / fmt.MANIFEST).exists() and any(not fmt.ours(p) for p in out.iterdir()):
        raise StoreError(f"{out}: not empty and not a facts store; choose an empty or new --out directory")


def _extract_to_parquet(
    inputs, out: Path, *, errors, columns, engine, n_process, workers, scheduler, chunk_size, batch_size, tables,
    progress, keep_missing,
) -> StoreResult:  # fmt: skip
    """The run itself: check, open the store, plan → commit each chunk → finish."""
    from .._version import __version__
    from ..engines import get_engine
    from ..nlp import load_pipeline, model_version

    started = time.perf_counter()
    wanted_tables = check_tables(tables)
    _check_options(
        errors=errors, engine=engine, n_process=n_process, workers=workers, chunk_size=chunk_size, batch_size=batch_size
    )
    runner = get_engine(engine, n_process=n_process, workers=workers, scheduler=scheduler)  # starts nothing yet
    _prepare_directory(out)
    current = (__version__, _installed_model_version() or model_version(load_pipeline()))
    result = StoreResult(
        path=out, newskit_version=current[0], model_version=current[1], engine=getattr(engine, "name", engine)
    )
    stored_tables = [t for t in fmt.STORED_TABLES if t == "articles" or t in wanted_tables]
    result.facts = dict.fromkeys(stored_tables, 0)
    with fmt.locked(out):
        run = _Run(out, _open_store(out, result), current, stored_tables, result, errors=errors)
        bar = progress_bar(enabled=progress, desc="extract", unit="article")
        run.bar = bar
        records = _iter_inputs(inputs, errors=errors, columns=columns, skipped=result.skipped)
        try:
            for chunk_records, chunk_result in runner.map_chunks(
                _chunks(run.pending(records, keep_missing=keep_missing), chunk_size),
                batch_size=batch_size,
                errors=errors,
            ):
                run.commit(chunk_records, chunk_result)
        except BaseException:
            getattr(bar, "abandon", bar.close)()  # a failed run prints its error, not a summary line
            if runner is not engine:
                runner.close()
            raise
        bar.close()
        try:  # linking clusters its time windows on the same workers
            run.finish(
                keep_missing=keep_missing,
                inputs=inputs,
                columns=columns,
                tables=tables and wanted_tables,
                map_blocks=runner.map,
            )
        finally:
            if runner is not engine:  # an Engine passed in stays up for the caller's next run
                runner.close()
    result.seconds = time.perf_counter() - started
    return result


def _open_store(out: Path, result: StoreResult) -> dict:
    """The store's manifest, after repairing what a crash or damage left: orphans, damaged chunks.

    A manifest that cannot be trusted starts the store afresh (every article is extracted
    again); a damaged part costs only its chunk. Each repair is noted in ``result.repaired``.
    """
    if not (out / fmt.MANIFEST).exists():
        return fmt.new_manifest()
    try:
        manifest = fmt.load_manifest(out)
    except StoreDamagedError as exc:
        result.repaired.append(f"{fmt.MANIFEST}: {str(exc).split(': damaged store: ', 1)[-1].split('; ')[0]}")
        for table in schema.TABLES:
            if (out / table).is_dir():
                fmt.unlink_all(p for p in (out / table).iterdir() if p.name.startswith("part-"))
        return fmt.new_manifest()
    if manifest["file_format"] != "parquet":
        raise StoreError(f"{out}: holds a CSV export, which cannot be extended; choose another --out directory")
    manifest.pop("snapshot", None)
    fmt.remove_orphans(out, manifest)
    for chunk, problems in fmt.damaged_parts(out, manifest).items():
        result.repaired += problems
        files = fmt.chunk_files(out, manifest, chunk)
        del manifest["chunks"][chunk]
        for article_id in [a for a, entry in manifest["articles"].items() if entry[0] == chunk]:
            del manifest["articles"][article_id]
        fmt.unlink_all(files)
    return manifest


def _location(record: Mapping) -> list:
    """Where an article was read from: ``[path, format, paths]`` (kept in the manifest)."""

    def text(value):
        return None if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)

    path = text(record.get("path"))
    paths = record.get("paths")
    paths = [str(p) for p in paths] if paths is not None and not isinstance(paths, str) and len(paths) else []
    return [path, text(record.get("format")), paths or ([path] if path else [])]


class _Run:
    """One extraction run's state: the manifest being updated, what was seen, the result."""

    def __init__(self, out: Path, manifest: dict, current: tuple, stored_tables: list[str], result, *, errors):
        self.out = out
        self.manifest = manifest
        self.current = current
        self.stored_tables = stored_tables
        self.result = result
        self.errors = errors
        self.bar = None
        self.seen: set[str] = set()
        self.current_chunks = {
            c
            for c, info in manifest["chunks"].items()
            if (info["newskit_version"], info["model_version"]) == current
            and set(stored_tables) <= set(info.get("tables", fmt.STORED_TABLES))
        }
        for folder in stored_tables:
            (out / folder).mkdir(exist_ok=True)

    def pending(self, records: Iterable[dict], *, keep_missing: bool) -> Iterator[dict]:
        """Plan: the articles to extract; unchanged ones are counted and their location updated."""
        articles = self.manifest["articles"]
        for raw in records:
            record = _normalise_article(raw)
            article_id = record["article_id"]
            if article_id in self.seen:
                continue
            self.seen.add(article_id)
            self.result.articles_seen += 1
            entry = articles.get(article_id)
            if entry is not None and entry[0] in self.current_chunks and entry[1] == fingerprint(record):
                articles[article_id] = [*entry[:2], *_location(record)]  # moved or renamed: no re-extraction
                self.result.articles_unchanged += 1
                self.bar.update(1)
                continue
            yield record
        if keep_missing:
            # Articles stored by another version and absent from the inputs: extract them again from
            # the text the store keeps, so the whole store matches one version.
            yield from _stale_articles(self.out, self.manifest, self.current_chunks, self.seen)

    def commit(self, records: list[dict], chunk_result) -> None:
        """Write one extracted chunk's parts, then the manifest that makes them part of the store."""
        manifest, result = self.manifest, self.result
        if chunk_result.model_version != self.current[1]:
            raise StoreError(
                f"{self.out}: a worker runs spaCy pipeline {chunk_result.model_version}, not {self.current[1]}; "
                "install the same pipeline on every worker (or set NEWSKIT_SPACY_MODEL)"
            )
        chunk = f"{manifest['next_chunk']:06d}"
        manifest["next_chunk"] += 1
        rows, files = {}, {}
        for table in self.stored_tables:
            data = chunk_result.tables[table]
            files[table] = fmt.atomic_write(fmt.part_path(self.out, table, chunk), fmt.parquet_bytes(data))
            rows[table] = data.num_rows
            result.facts[table] += data.num_rows
        failed = {f["article_id"] for f in chunk_result.failures}
        written = [r for r in records if r["article_id"] not in failed]
        manifest["chunks"][chunk] = {
            "newskit_version": self.current[0],
            "model_version": self.current[1],
            "created": fmt.now(),
            "tables": self.stored_tables,
            "articles": len(written),
            "rows": rows,
            "files": files,
        }
        for record in written:
            manifest["articles"][record["article_id"]] = [chunk, fingerprint(record), *_location(record)]
        for article_id in failed:  # its older facts no longer describe the input
            manifest["articles"].pop(article_id, None)
        self._save()
        result.chunks += 1
        result.worker_seconds += chunk_result.seconds
        result.worker_cpu_seconds += chunk_result.cpu_seconds
        result.articles_extracted += len(written)
        result.articles_failed += len(failed)
        result.failures += chunk_result.failures
        for failure in chunk_result.failures:
            if self.errors == "warn":
                warnings.warn(f"{failure['path']}: extraction failed: {failure['problem']}", stacklevel=3)
        self.bar.update(len(records))

    def finish(self, *, keep_missing: bool, inputs, columns, tables, map_blocks=None) -> None:
        """Remove what the inputs no longer hold, record the run, delete unreferenced chunks, link.

        ``map_blocks`` runs the story clustering's time windows (the engine's ``map``).
        """
        if not keep_missing:
            gone = [a for a in self.manifest["articles"] if a not in self.seen]
            for article_id in gone:
                del self.manifest["articles"][article_id]
            self.result.articles_removed = len(gone)
        self.manifest["run"] = {
            "inputs": _input_paths(inputs),
            "columns": dict(columns) if isinstance(columns, Mapping) else None,
            "tables": list(tables) if tables else None,
            "keep_missing": keep_missing,
        }
        self._save()
        if self.manifest["articles"]:
            from ._link import link_store  # stories across the stored articles, incrementally

            link_store(self.out, manifest=self.manifest, map_blocks=map_blocks)

    def _save(self) -> None:
        self.manifest["newskit_version"], self.manifest["model_version"] = self.current
        dead = fmt.drop_dead_chunks(self.out, self.manifest)
        fmt.save_manifest(self.out, self.manifest)
        fmt.unlink_all(dead)


def _input_paths(inputs) -> list[str] | None:
    """The inputs as absolute paths (for the repair command), or ``None`` when they are not paths."""
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]
    if isinstance(inputs, (list, tuple)) and inputs and all(isinstance(p, (str, os.PathLike)) for p in inputs):
        return [os.path.abspath(p) for p in inputs]
    return None


def _iter_inputs(inputs, *, errors: str, columns, skipped: list) -> Iterator[dict]:
    """Article dicts from paths (via newskit.readers), a DataFrame or an iterable of dicts."""
    if isinstance(inputs, pd.DataFrame):
        yield from schema.conform("articles", inputs).to_dict("records")
        return
    if _input_paths(inputs) is not None:
        from ..readers import iter_articles

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
    from ..articles import complete_article  # the one article normalisation

    return complete_article(record)


def _chunks(records: Iterable[dict], size: int) -> Iterator[list[dict]]:
    batch: list[dict] = []
    for record in records:
        batch.append(record)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _installed_model_version() -> str | None:
    """The model version to record, without importing spaCy when the pipeline is not loaded yet.

    A re-run with nothing to extract then loads no model. ``None`` means: load the pipeline
    and ask it. Workers report the version they really run and a mismatch stops the run
    (see ``_Run.commit``), so a wrong guess cannot go unnoticed.
    """
    from ..nlp import load_pipeline

    if load_pipeline.cache_info().currsize:  # already loaded in this process: ask it
        return None
    return _package_model_version()


def _package_model_version() -> str | None:
    """``newskit.nlp.model_version`` of the pipeline ``load_pipeline()`` would load, from the
    ``meta.json`` of its package (the file spaCy reads ``nlp.meta`` from); ``None`` if unsure."""
    import importlib.util

    from ..nlp import model_candidates

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


def _stale_articles(directory: Path, manifest: dict, current_chunks: set[str], seen: set[str]) -> Iterator[dict]:
    """Stored articles from chunks of another version that the inputs did not contain."""
    import pyarrow.compute as pc
    import pyarrow.dataset as ds

    stale: dict[str, list[str]] = {}
    for article_id, (chunk, *_rest) in list(manifest["articles"].items()):
        if chunk not in current_chunks and article_id not in seen:
            stale.setdefault(chunk, []).append(article_id)
    for chunk, ids in sorted(stale.items()):
        path = fmt.part_path(directory, "articles", chunk)
        if not path.exists():
            continue
        data = ds.dataset(str(path), schema=fmt.arrow_schema("articles"), format="parquet").to_table(
            filter=pc.field("article_id").isin(pa.array(ids, type=pa.string()))
        )
        for record in fmt.to_frame("articles", data).to_dict("records"):
            seen.add(record["article_id"])
            yield record
