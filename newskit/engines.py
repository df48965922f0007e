"""Engines schedule extraction chunks: in this process, in local worker processes, or on Dask.

An engine takes chunks of article dicts and hands back, for each chunk, the
:class:`~newskit.extract.pipeline.ChunkResult` of
:func:`~newskit.extract.pipeline.extract_chunk` (the one extraction loop, run where the
engine puts it). Engines only schedule: :meth:`Engine.map_chunks` keeps a bounded window of
chunks in flight (at most :data:`IN_FLIGHT_PER_WORKER` per worker, which keeps memory flat
however many articles there are) and each engine says how to submit one chunk and wait
for the next to finish. Every worker process loads the spaCy pipeline once
(:func:`newskit.nlp.load_pipeline` is cached) and then streams chunks.

Engines are found by name in :data:`ENGINES` (as papermill registers its engines); a new one
subclasses :class:`Engine` and registers itself with :func:`register_engine`.

Only the caller (:func:`newskit.store.extract_to_store`) writes files: workers return their
tables, so a remote Dask cluster needs no shared filesystem.

Examples:
    >>> from newskit.engines import get_engine
    >>> with get_engine("local", n_process=1) as engine:  # doctest: +SKIP
    ...     for records, result in engine.map_chunks([chunk_of_article_dicts]):
    ...         print(result.tables["mentions"].num_rows)
"""

from __future__ import annotations

import concurrent.futures as cf
import logging
import os
import threading
import time
from collections.abc import Iterable, Iterator

from .errors import ParameterError
from .extract.pipeline import ChunkResult, extract_chunk

__all__ = [
    "ENGINES",
    "ChunkResult",
    "DaskEngine",
    "Engine",
    "LocalEngine",
    "extract_chunk",
    "get_engine",
    "register_engine",
]

#: Engine name → class. ``get_engine(name)`` looks engines up here.
ENGINES: dict[str, type[Engine]] = {}
#: Chunks in flight per worker: one being parsed, one queued so the worker never idles.
IN_FLIGHT_PER_WORKER = 2


def register_engine(cls: type[Engine]) -> type[Engine]:
    """Class decorator: make ``cls`` available to :func:`get_engine` under ``cls.name``."""
    ENGINES[cls.name] = cls
    return cls


class Engine:
    """Runs :func:`~newskit.extract.pipeline.extract_chunk` over a stream of chunks; use as a context manager.

    Subclasses implement :meth:`_submit` (start one chunk, return a future), :meth:`_wait`
    (block until some futures finish, return those) and :meth:`_slots` (worker count); the
    bounded window in :meth:`map_chunks` is shared. Results come back as chunks finish (not
    necessarily in input order).
    """

    name = "engine"

    @classmethod
    def from_options(cls, *, n_process: int = 1, workers: int | None = None, scheduler=None) -> Engine:
        """Build the engine from the command line's options, refusing those it does not take."""
        raise NotImplementedError

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
        """Yield ``(records, result)`` for every chunk, with at most ``IN_FLIGHT_PER_WORKER`` per worker read ahead."""
        self.start()
        source = iter(chunks)
        in_flight: dict = {}
        window = IN_FLIGHT_PER_WORKER * self._slots()

        def submit_next() -> bool:
            records = next(source, None)
            if records is None:
                return False
            in_flight[self._submit(records, batch_size=batch_size, errors=errors)] = records
            return True

        while len(in_flight) < window and submit_next():
            pass
        while in_flight:
            for future in self._wait(list(in_flight)):
                records = in_flight.pop(future)
                result = future.result()
                self._release(future)
                yield records, result
                submit_next()

    def map(self, function, items: Iterable) -> list:
        """``[function(item) for item in items]``, run on the engine's workers (in input order).

        For work other than extraction that splits into independent pieces, such as the time
        windows of story clustering (:func:`newskit.store.link_store`). ``function`` must be a
        picklable top-level function. Starts the workers if they are not up.
        """
        return [function(item) for item in items]

    def _slots(self) -> int:
        return 1

    def _submit(self, records: list[dict], *, batch_size: int, errors: str):
        raise NotImplementedError

    def _wait(self, futures: list) -> Iterable:
        done, _ = cf.wait(futures, return_when=cf.FIRST_COMPLETED)
        return done

    def _release(self, future) -> None:
        """Free what a finished future holds (Dask keeps results on the workers until released)."""


@register_engine
class LocalEngine(Engine):
    """Extraction on this machine: in this process, or in ``n_process`` worker processes.

    Each worker process loads the spaCy pipeline once and extracts whole chunks, so
    parsing and the (pure Python) extractors both run in parallel. A worker exits by itself
    when the process that started it dies (even by SIGKILL), so no worker is left behind.
    """

    name = "local"

    def __init__(self, *, n_process: int = 1):
        self.n_process = n_process
        self._pool = None

    @classmethod
    def from_options(cls, *, n_process: int = 1, workers: int | None = None, scheduler=None) -> LocalEngine:
        if scheduler is not None:
            raise ParameterError("scheduler", scheduler, "needs engine='dask'", fix="add --engine dask")
        if workers is not None:
            raise ParameterError(
                "workers", workers, "sets Dask workers", fix="add --engine dask, or use --processes for local processes"
            )
        return cls(n_process=n_process)

    def _slots(self) -> int:
        return self.n_process

    def map(self, function, items: Iterable) -> list:
        items = list(items)
        if self.n_process == 1 or len(items) < 2:
            return [function(item) for item in items]
        return list(self.start().map(function, items))

    def _submit(self, records, *, batch_size, errors):
        if self.n_process == 1:
            # In this process, one chunk at a time: a finished future keeps the loop the same.
            future = cf.Future()
            try:
                future.set_result(extract_chunk(records, batch_size=batch_size, errors=errors))
            except BaseException as exc:
                future.set_exception(exc)
            return future
        return self._pool.submit(extract_chunk, records, batch_size=batch_size, errors=errors)

    def start(self):
        """Start the worker processes now (each loads the pipeline once); they serve every later run."""
        if self._pool is None and self.n_process > 1:
            import multiprocessing

            # spawn, not fork: forking a process that holds threads (tqdm, pyarrow, dask) can deadlock.
            self._pool = cf.ProcessPoolExecutor(
                max_workers=self.n_process,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_init_worker,
                initargs=(os.getpid(),),
            )
            # Wait for every worker to be up, so timings and the first chunks do not pay the start-up.
            for future in [self._pool.submit(_warm_up) for _ in range(self.n_process)]:
                future.result()
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


#: Seconds between a worker's checks that the process that started it is still alive.
PARENT_CHECK_SECONDS = 0.5


def _init_worker(parent_pid: int) -> None:
    """Worker start-up: watch the parent, then load the pipeline."""
    _exit_with_parent(parent_pid)
    _warm_up()


def _exit_with_parent(parent_pid: int) -> None:
    """Exit this worker as soon as ``parent_pid`` is gone.

    A parent killed by SIGKILL cannot shut its pool down; its workers are re-parented and
    would wait for chunks forever. A daemon thread notices the new parent and exits.
    """

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(1)  # no clean-up to do: the parent that wanted the results is gone

    threading.Thread(target=watch, name="newskit-parent-watch", daemon=True).start()


def _warm_up() -> None:
    """Get a worker ready before its first chunk: load the pipeline, import the extractors, load
    their lexicons (one tiny extraction), so chunk timings measure steady work."""
    extract_chunk([{"article_id": "warm-up", "text": "Two people were killed in Lorvania on Monday, police said."}])


@register_engine
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

    @classmethod
    def from_options(cls, *, n_process: int = 1, workers: int | None = None, scheduler=None) -> DaskEngine:
        if n_process != 1:
            raise ParameterError("n_process", n_process, "sets local processes", fix="with --engine dask use --workers")
        return cls(workers=workers, scheduler=scheduler)

    def _connect(self):
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:  # the [dask] extra is not installed
            raise ParameterError("engine", "dask", "needs dask.distributed", fix="pip install 'newskit[dask]'") from exc
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

    def _slots(self) -> int:
        return max(sum(self._client.nthreads().values()), 1)

    def map(self, function, items: Iterable) -> list:
        items = list(items)
        if not items:
            return []
        client = self.start()
        futures = client.map(function, items, pure=False)
        try:
            return client.gather(futures)
        finally:
            for future in futures:
                future.release()

    def _submit(self, records, *, batch_size, errors):
        return self._client.submit(extract_chunk, records, batch_size=batch_size, errors=errors, pure=False)

    def _wait(self, futures):
        from distributed import wait

        return wait(futures, return_when="FIRST_COMPLETED").done

    def _release(self, future) -> None:
        future.release()

    def close(self) -> None:
        if self._own_client and self._client is not None:
            self._client.close()
        if self._cluster is not None:
            self._cluster.close()
        self._client = self._cluster = None


def get_engine(engine="local", *, n_process: int = 1, workers: int | None = None, scheduler=None) -> Engine:
    """The engine registered as ``engine`` (see :data:`ENGINES`); an :class:`Engine` is returned as is.

    Raises:
        ParameterError: Unknown engine, or options the engine does not take (Dask options given
            to the local engine, local processes given to Dask).
    """
    if isinstance(engine, Engine):
        return engine
    cls = ENGINES.get(engine) if isinstance(engine, str) else None
    if cls is None:
        raise ParameterError("engine", engine, "is not an engine", fix=f"use one of {', '.join(ENGINES)}")
    return cls.from_options(n_process=n_process, workers=workers, scheduler=scheduler)
