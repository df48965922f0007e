"""Local (processes) and Dask engines behind one interface.

An engine takes chunks of article dicts and hands back, for each chunk, its fact
tables as Arrow tables (:class:`ChunkResult`). The work unit is
:func:`extract_chunk`: parse a chunk with ``nlp.pipe`` and run every extractor.
It runs wherever the engine puts it, and loads the spaCy pipeline once per process
(:func:`newskit.nlp.load_pipeline` is cached), so a local process or a Dask worker
pays the model load once and then streams chunks.

Only the caller (:func:`newskit.store.extract_to_store`) writes files: workers return
their tables, so a remote Dask cluster needs no shared filesystem. At most two chunks
per worker are in flight, which keeps memory flat however many articles there are.

Examples:
    >>> from newskit.engines import get_engine
    >>> with get_engine("local", n_process=1) as engine:  # doctest: +SKIP
    ...     for records, result in engine.map_chunks([chunk_of_article_dicts]):
    ...         print(result.tables["mentions"].num_rows)
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import pandas as pd
import pyarrow as pa

from . import schema
from .errors import ParameterError

__all__ = ["ENGINES", "ChunkResult", "DaskEngine", "Engine", "LocalEngine", "extract_chunk", "get_engine"]

ENGINES = ("local", "dask")
#: Chunks in flight per worker: one being parsed, one queued so the worker never idles.
IN_FLIGHT_PER_WORKER = 2
_ARTICLE_COLUMNS = tuple(c.name for c in schema.TABLES["articles"])


@dataclass
class ChunkResult:
    """The facts of one chunk.

    Attributes:
        tables: Table name → Arrow table (every stored table, ``entities`` excluded).
        failures: ``{"article_id", "path", "problem"}`` per article whose extraction failed
            (left out of ``tables``).
        model_version: The spaCy pipeline that parsed the chunk (``newskit.nlp.model_version``).
        seconds: Wall-clock time spent in the worker.
        cpu_seconds: CPU time the worker used (less than ``seconds`` when it had to share cores).
    """

    tables: dict[str, pa.Table]
    failures: list[dict] = field(default_factory=list)
    model_version: str = ""
    seconds: float = 0.0
    cpu_seconds: float = 0.0


def _published_date(value) -> dt.date | None:
    if value is None or pd.isna(value):
        return None
    return pd.Timestamp(value).date()


def extract_chunk(records: list[dict], *, batch_size: int = 32, errors: str = "raise") -> ChunkResult:
    """Extract every stored table from a chunk of articles (runs in a worker).

    Args:
        records: Article dicts with at least ``article_id`` and ``text``.
        batch_size: Texts per ``nlp.pipe`` batch.
        errors: ``"raise"`` re-raises an extractor's exception (noting the article);
            ``"warn"``/``"skip"`` leave the article out and report it in ``failures``.

    Returns:
        A :class:`ChunkResult`.
    """
    from .extract.pipeline import STEPS, prepare_doc, run_extractors
    from .extract.tone import score_tone
    from .nlp import load_pipeline, model_version

    started, cpu_started = time.perf_counter(), time.process_time()
    nlp = load_pipeline()
    articles: list[dict] = []
    rows: dict[str, list[dict]] = {table: [] for table, _ in STEPS}
    failures: list[dict] = []
    texts = ((str(record["text"]), i) for i, record in enumerate(records))
    for doc, i in nlp.pipe(texts, as_tuples=True, batch_size=batch_size):
        record = {k: v for k, v in records[i].items() if k in _ARTICLE_COLUMNS}
        try:
            prepare_doc(doc, article_id=record["article_id"], published=_published_date(record.get("published")))
            tables = run_extractors(doc)
            record.update(score_tone(doc))
        except Exception as exc:
            if errors == "raise":
                exc.add_note(f"newskit: while extracting article {record['article_id']} ({record.get('path')})")
                raise
            failures.append(
                {
                    "article_id": record["article_id"],
                    "path": record.get("path"),
                    "problem": f"{type(exc).__name__}: {exc}",
                }
            )
            continue
        articles.append(record)
        for table, table_rows in tables.items():
            rows[table].extend(table_rows)
    try:
        frames = _arrow_tables(articles, rows)
    except Exception as exc:
        if errors == "raise":
            exc.add_note("newskit: an extractor returned a value its table's schema cannot hold")
            raise
        # Find the articles whose rows do not fit the schema, leave them out, keep the rest.
        bad = _unfit_articles(articles, rows)
        failures += [
            {"article_id": a["article_id"], "path": a.get("path"), "problem": problem}
            for a in articles
            if (problem := bad.get(a["article_id"]))
        ]
        articles = [a for a in articles if a["article_id"] not in bad]
        rows = {t: [r for r in table_rows if r["article_id"] not in bad] for t, table_rows in rows.items()}
        frames = _arrow_tables(articles, rows)
    return ChunkResult(
        frames, failures, model_version(nlp), time.perf_counter() - started, time.process_time() - cpu_started
    )


def _arrow_tables(articles: list[dict], rows: dict[str, list[dict]]) -> dict[str, pa.Table]:
    from .store import to_arrow

    frames = {"articles": to_arrow("articles", pd.DataFrame(articles, columns=list(_ARTICLE_COLUMNS)))}
    for table, table_rows in rows.items():
        frames[table] = to_arrow(table, schema.frame(table, table_rows))
    return frames


def _unfit_articles(articles: list[dict], rows: dict[str, list[dict]]) -> dict[str, str]:
    """article_id → problem, for the articles whose rows fail the schema (checked one article at a time)."""
    bad: dict[str, str] = {}
    for article in articles:
        article_id = article["article_id"]
        try:
            _arrow_tables([article], {t: [r for r in rs if r["article_id"] == article_id] for t, rs in rows.items()})
        except Exception as exc:
            bad[article_id] = f"{type(exc).__name__}: {exc}"
    return bad


class Engine:
    """Runs :func:`extract_chunk` over a stream of chunks; use as a context manager.

    Subclasses implement :meth:`map_chunks`; results come back as chunks finish (not
    necessarily in input order), with at most :data:`IN_FLIGHT_PER_WORKER` chunks per
    worker read ahead.
    """

    name = "engine"

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def start(self):
        """Start workers ahead of the first chunk (optional: :meth:`map_chunks` starts them when needed)."""

    def close(self) -> None:
        """Release processes or cluster connections."""

    def map_chunks(
        self, chunks: Iterable[list[dict]], *, batch_size: int = 32, errors: str = "raise"
    ) -> Iterator[tuple[list[dict], ChunkResult]]:
        """Yield ``(records, result)`` for every chunk."""
        raise NotImplementedError


class LocalEngine(Engine):
    """Extraction on this machine: in this process, or in ``n_process`` worker processes.

    Each worker process loads the spaCy pipeline once and extracts whole chunks, so
    parsing and the (pure Python) extractors both run in parallel.
    """

    name = "local"

    def __init__(self, *, n_process: int = 1):
        self.n_process = n_process
        self._pool = None

    def map_chunks(self, chunks, *, batch_size=32, errors="raise"):
        if self.n_process == 1:
            for records in chunks:
                yield records, extract_chunk(records, batch_size=batch_size, errors=errors)
            return
        import concurrent.futures as cf

        pool = self.start()
        in_flight: dict = {}
        source = iter(chunks)
        window = IN_FLIGHT_PER_WORKER * self.n_process

        def submit_next() -> bool:
            records = next(source, None)
            if records is None:
                return False
            future = pool.submit(extract_chunk, records, batch_size=batch_size, errors=errors)
            in_flight[future] = records
            return True

        while len(in_flight) < window and submit_next():
            pass
        while in_flight:
            done, _ = cf.wait(in_flight, return_when=cf.FIRST_COMPLETED)
            for future in done:
                records = in_flight.pop(future)
                yield records, future.result()
                submit_next()

    def start(self):
        """Start the worker processes now (each loads the pipeline once); they serve every later run."""
        if self._pool is None and self.n_process > 1:
            import concurrent.futures as cf
            import multiprocessing

            # spawn, not fork: forking a process that holds threads (tqdm, pyarrow, dask) can deadlock.
            self._pool = cf.ProcessPoolExecutor(
                max_workers=self.n_process, mp_context=multiprocessing.get_context("spawn"), initializer=_warm_up
            )
            # Wait for every worker to be up, so timings and the first chunks do not pay the start-up.
            for future in [self._pool.submit(_warm_up) for _ in range(self.n_process)]:
                future.result()
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


def _warm_up() -> None:
    """Get a worker ready before its first chunk: load the pipeline, import the extractors, load
    their lexicons (one tiny extraction), so chunk timings measure steady work."""
    extract_chunk([{"article_id": "warm-up", "text": "Two people were killed in Lorvania on Monday, police said."}])


class DaskEngine(Engine):
    """Extraction on a Dask distributed cluster.

    Connects to ``scheduler`` (an address or a ``distributed.Client``), or starts a
    ``LocalCluster`` of ``workers`` single-threaded processes. Every worker needs
    newskit and the same spaCy pipeline installed; each loads it once.
    """

    name = "dask"

    def __init__(self, *, workers: int | None = None, scheduler=None, connect_timeout: str = "30s"):
        self.workers = workers
        self.scheduler = scheduler
        self.connect_timeout = connect_timeout
        self._client = None
        self._cluster = None
        self._own_client = False

    def _connect(self):
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:  # pragma: no cover - a dependency, but say what to do
            raise ParameterError(
                "engine", "dask", "needs dask.distributed", fix="pip install 'dask[distributed]'"
            ) from exc
        if self.scheduler is not None and not isinstance(self.scheduler, str):
            self._client = self.scheduler
            return self._client
        if isinstance(self.scheduler, str):
            try:
                self._client = Client(self.scheduler, timeout=self.connect_timeout)
            except OSError as exc:
                raise ParameterError(
                    "scheduler",
                    self.scheduler,
                    f"no Dask scheduler answered ({exc})",
                    fix="start one with `dask scheduler`",
                ) from None
        else:
            self._cluster = LocalCluster(
                n_workers=self.workers or 2,
                threads_per_worker=1,  # one spaCy pipeline per process, never shared between threads
                processes=True,
                dashboard_address=None,
                silence_logs=logging.WARNING,
            )
            self._client = Client(self._cluster, timeout=self.connect_timeout)
        self._own_client = True
        return self._client

    def start(self):
        """Connect to the scheduler (or start the LocalCluster) and load the pipeline on every worker."""
        if self._client is None:
            self._connect()
            self._client.run(_warm_up)
        return self._client

    def map_chunks(self, chunks, *, batch_size=32, errors="raise"):
        from distributed import as_completed

        client = self._client or self._connect()
        threads = max(sum(client.nthreads().values()), 1)
        source = iter(chunks)
        pending = as_completed()
        records_of: dict[str, list[dict]] = {}

        def submit_next() -> bool:
            records = next(source, None)
            if records is None:
                return False
            future = client.submit(extract_chunk, records, batch_size=batch_size, errors=errors, pure=False)
            records_of[future.key] = records
            pending.add(future)
            return True

        for _ in range(IN_FLIGHT_PER_WORKER * threads):
            if not submit_next():
                break
        for future in pending:
            records = records_of.pop(future.key)
            result = future.result()
            future.release()
            yield records, result
            submit_next()

    def close(self) -> None:
        if self._own_client and self._client is not None:
            self._client.close()
        if self._cluster is not None:
            self._cluster.close()
        self._client = self._cluster = None


def get_engine(engine="local", *, n_process: int = 1, workers: int | None = None, scheduler=None) -> Engine:
    """The engine called ``engine`` (``"local"`` or ``"dask"``); an :class:`Engine` is returned as is.

    Raises:
        ParameterError: Unknown engine, or Dask options given to the local engine.
    """
    if isinstance(engine, Engine):
        return engine
    if engine == "local":
        if scheduler is not None:
            raise ParameterError("scheduler", scheduler, "needs engine='dask'", fix="add --engine dask")
        if workers is not None:
            raise ParameterError(
                "workers", workers, "sets Dask workers", fix="add --engine dask, or use --processes for local processes"
            )
        return LocalEngine(n_process=n_process)
    if engine == "dask":
        if n_process != 1:
            raise ParameterError("n_process", n_process, "sets local processes", fix="with --engine dask use --workers")
        return DaskEngine(workers=workers, scheduler=scheduler)
    raise ParameterError("engine", engine, "is not an engine", fix=f"use one of {', '.join(ENGINES)}")
