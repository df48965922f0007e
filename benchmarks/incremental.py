"""Incremental re-run: extracting an unchanged folder into its own store again.

The second run reads every article, finds it in the store's manifest with the
same fingerprint and versions, and extracts nothing. Target: < 5% of the first
run's time.

Usage:
    python benchmarks/incremental.py [--n 20000] [--chunk-size 500]
    python benchmarks/incremental.py --reuse DIR/run-20000.json   # a store kept by memory.py --keep DIR
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path

from common import machine_note, print_table, synth
from memory import inputs_of

TARGET = 0.05


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20000, help="number of synthetic articles (default 20000)")
    parser.add_argument("--chunk-size", type=int, default=500)
    parser.add_argument("--reuse", type=Path, help="run-N.json written by memory.py --keep: skip the first run")
    args = parser.parse_args()

    from newskit.store import extract_to_store

    workdir = Path(tempfile.mkdtemp(prefix="nk-incremental-"))
    try:
        if args.reuse:
            run = json.loads(args.reuse.read_text(encoding="utf-8"))
            folder, store, first_seconds, n = Path(run["input"]), Path(run["store"]), run["seconds"], run["articles"]
            first_note = f"first run timed by memory.py ({args.reuse})"
        else:
            folder, store, n = workdir / "input", workdir / "store", args.n
            synth.write_corpus(folder, n)
            started = time.perf_counter()
            first = extract_to_store(inputs_of(folder), store, chunk_size=args.chunk_size)
            first_seconds = time.perf_counter() - started
            assert first.articles_extracted == n, first
            first_note = "first run timed here"
        started = time.perf_counter()
        again = extract_to_store(inputs_of(folder), store, chunk_size=args.chunk_size)
        again_seconds = time.perf_counter() - started
        assert again.articles_unchanged == n and again.articles_extracted == 0, again
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    ratio = again_seconds / first_seconds
    print(f"# incremental: {n} synthetic articles, chunk size {args.chunk_size}; {first_note}")
    print(machine_note())
    print_table(
        [
            {"run": "first (extract all)", "articles extracted": n, "seconds": first_seconds},
            {"run": "again (unchanged)", "articles extracted": 0, "seconds": again_seconds},
        ],
        ["run", "articles extracted", "seconds"],
    )
    print(f"re-run / first run = {ratio:.3%} (target < {TARGET:.0%}: {'met' if ratio < TARGET else 'NOT met'})")


if __name__ == "__main__":
    main()
