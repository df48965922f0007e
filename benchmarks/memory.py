"""Peak memory (RSS) of extracting N synthetic articles into a store, each N in a fresh process.

Extraction streams (read, parse, write chunk by chunk), so the peak should not grow
with the number of articles. Target: the largest run's peak < 1.3x the smallest's.

Usage:
    python benchmarks/memory.py [--sizes 1000 20000] [--chunk-size 500] [--keep DIR]

``--keep DIR`` keeps the generated inputs and stores (``DIR/input-N``, ``DIR/store-N``)
and writes each run's numbers to ``DIR/run-N.json`` (``benchmarks/incremental.py
--reuse DIR/run-N.json`` re-runs over such a store without extracting it again).
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import machine_note, print_table, synth

TARGET = 1.3


def peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 / 1024 if sys.platform == "darwin" else peak / 1024  # bytes on macOS, KiB on Linux


def inputs_of(folder: Path):
    """The folder through newskit.readers when present, else the synthetic JSONL stand-in reader."""
    try:
        from newskit.readers import iter_articles  # noqa: F401

        return folder
    except ImportError:
        return synth.read_jsonl_folder(folder)


def child(folder: Path, store: Path, chunk_size: int) -> None:
    """Run one extraction in this (fresh) process and print its numbers as JSON."""
    from newskit.store import extract_to_store

    started = time.perf_counter()
    result = extract_to_store(inputs_of(folder), store, chunk_size=chunk_size)
    print(
        json.dumps(
            {
                "articles": result.articles_extracted,
                "seconds": time.perf_counter() - started,
                "peak_rss_mb": peak_rss_mb(),
                "input": str(folder),
                "store": str(store),
                "chunk_size": chunk_size,
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=[1000, 20000], help="article counts (default 1000 20000)"
    )
    parser.add_argument("--chunk-size", type=int, default=500)
    parser.add_argument("--keep", type=Path, help="keep inputs, stores and run-N.json here")
    parser.add_argument("--child", nargs=2, metavar=("INPUT", "STORE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(Path(args.child[0]), Path(args.child[1]), args.chunk_size)
        return

    workdir = args.keep or Path(tempfile.mkdtemp(prefix="nk-memory-"))
    workdir.mkdir(parents=True, exist_ok=True)
    rows = []
    try:
        for n in args.sizes:
            folder, store = workdir / f"input-{n}", workdir / f"store-{n}"
            shutil.rmtree(store, ignore_errors=True)
            if not folder.is_dir():
                synth.write_corpus(folder, n)
            done = subprocess.run(
                [sys.executable, __file__, "--child", str(folder), str(store), "--chunk-size", str(args.chunk_size)],
                check=True,
                capture_output=True,
                text=True,
            )
            run = json.loads(done.stdout.strip().splitlines()[-1])
            if args.keep:
                (workdir / f"run-{n}.json").write_text(json.dumps(run), encoding="utf-8")
            rows.append({"articles": n, "seconds": run["seconds"], "peak RSS MB": run["peak_rss_mb"]})
            print(f"  {n} articles: {run['seconds']:.0f}s, peak RSS {run['peak_rss_mb']:.0f} MB", file=sys.stderr)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    smallest = rows[0]["peak RSS MB"]
    for row in rows:
        row["x smallest"] = row["peak RSS MB"] / smallest
    print(f"# memory: synthetic articles, chunk size {args.chunk_size}, one fresh process per run")
    print(machine_note())
    print_table(rows, ["articles", "seconds", "peak RSS MB", "x smallest"])
    ratio = rows[-1]["x smallest"]
    print(f"largest / smallest peak = {ratio:.2f} (target < {TARGET}: {'met' if ratio < TARGET else 'NOT met'})")


if __name__ == "__main__":
    main()
