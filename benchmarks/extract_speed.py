"""newskit extraction speed next to bare spaCy ``nlp.pipe`` on the same texts, in the same run.

Bare spaCy only parses, with spaCy's own components as the package ships them; newskit
parses with the same pipeline, whose attribute ruler and lemmatizer newskit swaps for
faster ones that set bit-identical annotations (``newskit.nlp.components``, tested token by
token), and then runs every extractor and the tone scorer (``newskit.extract``). Target:
newskit >= 0.85x bare spaCy with all of spaCy's default components (newskit runs them all:
it reads what each sets).
Texts: the gva-dev corpus from ../shared if present, else synthetic articles.

Usage:
    python benchmarks/extract_speed.py [--n 300] [--repeat 2] [--batch-size 32] [--synthetic]
"""

from __future__ import annotations

import argparse
import time

from common import corpus_records, machine_note, print_table, words

TARGET = 0.85


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300, help="number of texts (default 300)")
    parser.add_argument("--repeat", type=int, default=2, help="timed repetitions; the best is kept")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--synthetic", action="store_true", help="use synthetic articles even if gva-dev is there")
    args = parser.parse_args()

    import pandas as pd

    import newskit as nk
    from newskit.nlp import load_pipeline, model_version

    records, source = corpus_records(args.n, synthetic=args.synthetic)
    texts = [r["text"] for r in records]
    articles = pd.DataFrame(records)
    n_words = words(records)
    nlp = load_pipeline()
    bare_nlp = load_pipeline(spacy_components=True)  # spaCy's own attribute ruler and lemmatizer
    nk.extract(articles.head(5), nlp=nlp)  # warm up: lexicons, lazy imports, caches
    list(bare_nlp.pipe(texts[:5]))
    newskit_name = "newskit extract"

    def run_newskit() -> None:
        nk.extract(articles, nlp=nlp, batch_size=args.batch_size)

    try:
        run_newskit()
    except Exception as exc:  # an extractor bug must not hide the timing; say so and time the store path
        from newskit.engines import extract_chunk

        print(
            f"note: newskit.extract failed on these texts ({type(exc).__name__}: {str(exc)[:120]}); "
            "timing newskit.engines.extract_chunk(errors='skip') instead (same parse + extractors + tone)"
        )
        newskit_name = "newskit extract_chunk"

        def run_newskit() -> None:
            extract_chunk(records, batch_size=args.batch_size, errors="skip")

    best = {"bare spaCy nlp.pipe": float("inf"), newskit_name: float("inf")}
    # CPU seconds of this process too: on a machine whose cores other jobs share, wall time
    # measures the share of CPU each run got; CPU time measures the work.
    cpu = dict.fromkeys(best, float("inf"))
    for _ in range(args.repeat):
        started, cpu_started = time.perf_counter(), time.process_time()
        for _doc in bare_nlp.pipe(texts, batch_size=args.batch_size):
            pass
        best["bare spaCy nlp.pipe"] = min(best["bare spaCy nlp.pipe"], time.perf_counter() - started)
        cpu["bare spaCy nlp.pipe"] = min(cpu["bare spaCy nlp.pipe"], time.process_time() - cpu_started)
        started, cpu_started = time.perf_counter(), time.process_time()
        run_newskit()
        best[newskit_name] = min(best[newskit_name], time.perf_counter() - started)
        cpu[newskit_name] = min(cpu[newskit_name], time.process_time() - cpu_started)

    bare = n_words / best["bare spaCy nlp.pipe"]
    rows = [
        {
            "run": name,
            "texts": len(texts),
            "words": n_words,
            "seconds": seconds,
            "words/s": n_words / seconds,
            "x bare spaCy": (n_words / seconds) / bare,
            "CPU s": cpu[name],
            "x bare spaCy (CPU)": cpu["bare spaCy nlp.pipe"] / cpu[name],
        }
        for name, seconds in best.items()
    ]
    print(
        f"# extract_speed: {source}; pipeline {model_version(nlp)} (bare: spaCy's components; "
        f"newskit: {', '.join(nlp.get_pipe_meta(n).factory for n in nlp.pipe_names)}); best of {args.repeat}"
    )
    print(machine_note())
    print_table(rows, ["run", "texts", "words", "seconds", "words/s", "x bare spaCy", "CPU s", "x bare spaCy (CPU)"])
    ratio, cpu_ratio = rows[1]["x bare spaCy"], rows[1]["x bare spaCy (CPU)"]
    print(
        f"newskit / bare spaCy = {ratio:.2f} wall, {cpu_ratio:.2f} CPU "
        f"(target >= {TARGET}: {'met' if ratio >= TARGET else 'NOT met'} on wall time)"
    )


if __name__ == "__main__":
    main()
