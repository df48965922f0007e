"""Extraction throughput (words/second) by engine: 1 and 2 local processes, Dask with 2 workers.

Every run extracts the same synthetic articles into a fresh facts store
(``newskit.store.extract_to_store``: parse, extract, write Parquet). Workers are
started and have loaded the spaCy pipeline before the clock starts (start-up is
printed separately). Bare spaCy ``nlp.pipe`` in one process is the reference.
Target: 2 processes >= 1.7x one process (needs 2 otherwise idle cores).

Usage:
    python benchmarks/throughput.py [--n 400] [--chunk-size 25] [--no-dask] [--gva]
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from common import corpus_records, machine_note, print_table, words

TARGET = 1.7


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=400, help="number of articles (default 400)")
    parser.add_argument("--chunk-size", type=int, default=25, help="articles per chunk (default 25)")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--no-dask", action="store_true", help="skip the Dask run")
    parser.add_argument("--gva", action="store_true", help="gva-dev texts from ../shared instead of synthetic ones")
    args = parser.parse_args()

    from newskit.engines import DaskEngine, LocalEngine
    from newskit.nlp import load_pipeline
    from newskit.store import extract_to_store

    records, source = corpus_records(args.n, synthetic=not args.gva)
    n_words = words(records)
    nlp = load_pipeline(spacy_components=True)  # bare spaCy: its own attribute ruler and lemmatizer
    list(nlp.pipe([r["text"] for r in records[:5]]))
    rows = []
    started, cpu_started = time.perf_counter(), time.process_time()
    for _doc in nlp.pipe([r["text"] for r in records], batch_size=args.batch_size):
        pass
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    rows.append(
        {
            "run": "bare spaCy nlp.pipe, 1 process",
            "start-up s": 0.0,
            "seconds": seconds,
            "worker CPU s": cpu,
            "CPU cores used": cpu / seconds,
        }
    )

    engines = [
        ("newskit local, 1 process", lambda: LocalEngine(n_process=1)),
        ("newskit local, 2 processes", lambda: LocalEngine(n_process=2)),
    ]
    if not args.no_dask:
        engines.append(("newskit dask, 2 workers", lambda: DaskEngine(workers=2)))
    workdir = Path(tempfile.mkdtemp(prefix="nk-throughput-"))
    try:
        extract_to_store(records[:3], workdir / "warm", chunk_size=3)  # warm caches of this process
        for name, make in engines:
            engine = make()
            started = time.perf_counter()
            engine.start()
            startup = time.perf_counter() - started
            try:
                started = time.perf_counter()
                result = extract_to_store(
                    records,
                    workdir / name.replace(" ", "_").replace(",", ""),
                    engine=engine,
                    chunk_size=args.chunk_size,
                    batch_size=args.batch_size,
                )
                seconds = time.perf_counter() - started
            finally:
                engine.close()
            assert result.articles_extracted == len(records), result
            rows.append(
                {
                    "run": name,
                    "start-up s": startup,
                    "seconds": seconds,
                    # How much CPU the workers got while the clock ran: on cores shared with other
                    # work this, not newskit, caps the speed-up.
                    "worker CPU s": result.worker_cpu_seconds,
                    "CPU cores used": result.worker_cpu_seconds / seconds,
                }
            )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    one = next(r for r in rows if r["run"] == "newskit local, 1 process")
    for row in rows:
        row["words"] = n_words
        row["words/s"] = n_words / row["seconds"]
        row["x 1 process"] = one["seconds"] / row["seconds"]
    print(f"# throughput: {len(records)} articles, {n_words} words, {source}; chunk size {args.chunk_size}")
    print(machine_note())
    print_table(
        rows, ["run", "words", "start-up s", "seconds", "words/s", "x 1 process", "worker CPU s", "CPU cores used"]
    )
    two = next(r for r in rows if r["run"] == "newskit local, 2 processes")["x 1 process"]
    print(f"2 processes / 1 process = {two:.2f} (target >= {TARGET}: {'met' if two >= TARGET else 'NOT met'})")
    print(
        "CPU cores used = worker CPU seconds / wall seconds: below 2 for 2 workers means other processes held the cores."
    )


if __name__ == "__main__":
    main()
