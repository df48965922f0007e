"""Cost against article length: newskit and bare spaCy on one text of 1k to 100k words.

The text is fictional articles from ``synth.py`` joined by blank lines (real-like news prose,
nothing copied). For each size it times bare spaCy (``nlp(text)``), newskit's whole
extraction of that text (``newskit.extract``: parse, every extractor, tone) and each
extractor alone, and prints words/s. Wall time depends on what else runs on the machine, so
the process's CPU seconds (``time.process_time``) are printed beside it, with the ratio on CPU
and the load average while each size ran. Targets (issue #10, section 4): newskit's time per
word at the largest size within 1.5x its time per word at the smallest, and newskit's total
within 2x bare spaCy at every size.

Usage:
    python benchmarks/long_article.py [--sizes 1000 10000 50000 100000] [--steps] [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import time

import synth
from common import machine_note, print_table


def long_text(n_words: int) -> str:
    parts, total = [], 0
    for article in synth.iter_articles(10**6, seed=7):
        parts.append(article["text"])
        total += len(article["text"].split())
        if total >= n_words:
            break
    return "\n\n".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 50000, 100000])
    parser.add_argument("--steps", action="store_true", help="also time each extractor on its own")
    parser.add_argument("--repeat", type=int, default=1, help="runs per size; the fastest is kept (wall and CPU apart)")
    args = parser.parse_args()

    import pandas as pd

    import newskit as nk
    from newskit.articles import published_date
    from newskit.extract import pipeline
    from newskit.nlp import load_pipeline, model_version

    nlp = load_pipeline()
    bare_nlp = load_pipeline(spacy_components=True)  # bare spaCy: its own attribute ruler and lemmatizer
    nk.extract_text(long_text(300), published="2024-05-01", nlp=nlp)  # warm up: lexicons, lazy imports
    bare_nlp(long_text(300))
    rows, step_rows = [], []
    for size in args.sizes:
        text = long_text(size)
        n_words = len(text.split())
        nlp.max_length = bare_nlp.max_length = max(nlp.max_length, len(text) + 1)
        bare = newskit = (float("inf"), float("inf"))  # (wall, CPU) seconds, best of --repeat
        for _ in range(args.repeat):
            started, cpu_started = time.perf_counter(), time.process_time()
            doc = bare_nlp(text)
            bare = min(bare[0], time.perf_counter() - started), min(bare[1], time.process_time() - cpu_started)
            started, cpu_started = time.perf_counter(), time.process_time()
            nk.extract(pd.DataFrame([{"text": text, "published": "2024-05-01"}]), nlp=nlp)
            newskit = (
                min(newskit[0], time.perf_counter() - started),
                min(newskit[1], time.process_time() - cpu_started),
            )
        rows.append(
            {
                "words": n_words,
                "bare spaCy s": bare[0],
                "newskit s": newskit[0],
                "bare words/s": n_words / bare[0],
                "newskit words/s": n_words / newskit[0],
                "x bare time": newskit[0] / bare[0],
                "bare CPU s": bare[1],
                "newskit CPU s": newskit[1],
                "x bare CPU": newskit[1] / bare[1],
                "load": os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan"),
            }
        )
        if args.steps:
            pipeline.prepare_doc(doc, article_id="long", published=published_date(pd.Timestamp("2024-05-01")))
            timing = {"words": n_words}
            for step in pipeline.STEPS:
                started = time.perf_counter()
                doc._.nk_facts[step.table] = step.extractor(doc)
                timing[step.table] = time.perf_counter() - started
            step_rows.append(timing)
        print(f"  {n_words} words done", flush=True)
    base = rows[0]["newskit s"] / rows[0]["words"]
    cpu_base = rows[0]["newskit CPU s"] / rows[0]["words"]
    for row in rows:
        row["per-word x smallest"] = (row["newskit s"] / row["words"]) / base
        row["per-word CPU x smallest"] = (row["newskit CPU s"] / row["words"]) / cpu_base
    print(f"# long_article: synthetic articles joined into one text; pipeline {model_version(nlp)}")
    print(machine_note())
    print_table(
        rows,
        ["words", "bare spaCy s", "newskit s", "bare words/s", "newskit words/s", "x bare time", "per-word x smallest"],
    )
    print("\nCPU seconds of this process (less sensitive to other jobs on the machine; load = 1-minute load average):")
    print_table(rows, ["words", "bare CPU s", "newskit CPU s", "x bare CPU", "per-word CPU x smallest", "load"])
    if step_rows:
        print("\nseconds per extractor on the parsed text:")
        print_table(step_rows, ["words", *(step.table for step in pipeline.STEPS)])
    worst = max(r["per-word x smallest"] for r in rows)
    slowest = max(r["x bare time"] for r in rows)
    slowest_cpu = max(r["x bare CPU"] for r in rows)
    print(
        f"per-word cost at the largest size: {rows[-1]['per-word x smallest']:.2f}x the smallest wall, "
        f"{rows[-1]['per-word CPU x smallest']:.2f}x CPU (target <= 1.5); worst {worst:.2f}x wall; "
        f"newskit <= {slowest:.2f}x bare spaCy wall, {slowest_cpu:.2f}x CPU (target <= 2)"
    )


if __name__ == "__main__":
    main()
