"""Cost of linking (stories, figures) over a store, next to the cost of extraction.

Measures, each store linked in a fresh process (peak RSS of that process):

* extraction time per article on a ``--sample`` of synthetic articles (``newskit.extract``,
  ``link=False``), scaled to ``--n`` articles;
* linking all ``--n`` articles (``newskit.store.link_store(full=True)``) and linking all of a
  ``--small`` store (1,000 articles by default), with their peak memory;
* linking ``--new`` more articles into the linked ``--n`` store (incremental).

The ``--n`` store is built without extracting ``--n`` articles: the texts are the real
synthetic articles 0..n-1 (``benchmarks/synth.py``), their fact rows those of the extracted
sample cycled over them (ids rewritten), so TF-IDF sees ``--n`` distinct texts and linking
sees realistic fact tables. Targets: linking <= 10% of extraction; peak memory of the ``--n``
run < 1.3x the ``--small`` run; the ``--new`` increment < 5% of linking all.

Usage:
    python benchmarks/link.py [--n 20000] [--sample 1000] [--small 1000] [--new 200] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import machine_note, print_table, synth


def _peak_mb() -> float:
    """This process's peak RSS (VmHWM: unlike ``ru_maxrss``, not inherited across ``exec`` from the
    large parent that started it)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _letters(number: int) -> str:
    """A lowercase word naming ``number`` (0 -> ``a``, 26 -> ``ba``)."""
    word = ""
    while True:
        number, digit = divmod(number, 26)
        word = chr(ord("a") + digit) + word
        if not number:
            return word


def build_store(sample_facts, n: int, out: Path) -> None:
    """A snapshot store of ``n`` synthetic articles whose facts cycle through ``sample_facts``.

    Every article of one synthetic story (``synth.STORY_SIZE`` consecutive articles) takes the
    fact rows of the same sample article, as reports of one happening name the same people and
    places; the texts are the articles' own. The names of those rows get a suffix of their story's
    own (``Harnow`` -> ``Harnowqd``): the sample's names stand for the story's, and without it
    every ``len(sample)``-th story would name exactly the same people and places as this one,
    which real happenings a few days apart do not.
    """
    import numpy as np
    import pandas as pd

    import newskit as nk
    from newskit import schema
    from newskit.extract import article_id_for

    sample_ids = sample_facts.articles["article_id"].astype(str).tolist()
    rows, templates, new_ids, story_of = [], [], [], {}
    for i, record in enumerate(synth.iter_articles(n)):
        article_id = article_id_for(record["text"], pd.Timestamp(record["published"]))
        rows.append(
            {
                **record,
                "article_id": article_id,
                "published": pd.Timestamp(record["published"]),
                "path": record["url"],
                "paths": [record["url"]],
                "n_words": len(record["text"].split()),
            }
        )
        templates.append(sample_ids[(i // synth.STORY_SIZE) % len(sample_ids)])
        new_ids.append(article_id)
        story_of[article_id] = _letters(i // synth.STORY_SIZE)
    frames = {}
    for table, df in sample_facts.tables().items():
        if table in schema.LINK_TABLES or table in ("entities", "articles"):
            continue
        positions = df.reset_index(drop=True).groupby(df["article_id"].astype(str).to_numpy()).indices
        take, owner = [], []
        for template, article_id in zip(templates, new_ids, strict=True):
            rows_of = positions.get(template)
            if rows_of is not None:
                take.append(rows_of)
                owner.extend([article_id] * len(rows_of))
        picked = df.reset_index(drop=True).iloc[np.concatenate(take) if take else []]
        picked = picked.assign(article_id=pd.array(owner, dtype="string")).reset_index(drop=True)
        if table == "mentions":
            suffix = pd.Series(story_of, dtype="string").reindex(picked["article_id"]).to_numpy()
            for column in ("name", "text"):
                picked[column] = (picked[column] + suffix).astype(picked[column].dtype)
        frames[table] = picked
    frames["articles"] = schema.conform("articles", pd.DataFrame(rows))
    nk.Facts.from_frames(frames).to_parquet(out)


def child(store: str, mode: str) -> None:
    """Run in a fresh process: link ``store`` and print seconds and peak RSS as JSON."""
    from newskit.store import _link as store_link

    started = time.perf_counter()
    result = store_link.link_store(store, full=(mode == "full"))
    print(json.dumps({"seconds": time.perf_counter() - started, "peak_mb": _peak_mb(), **result}))


def run_child(store: Path, mode: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", str(store), mode], check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=20000)
    parser.add_argument("--sample", type=int, default=1000)
    parser.add_argument("--new", type=int, default=200)
    parser.add_argument("--small", type=int, default=1000, help="articles of the store whose peak memory is compared")
    parser.add_argument("--keep", type=Path)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return
    import pandas as pd

    import newskit as nk
    from newskit.extract import article_id_for
    from newskit.nlp import load_pipeline
    from newskit.store import _link as store_link
    from newskit.store._format import load_manifest

    work = args.keep or Path(tempfile.mkdtemp(prefix="nk-link-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    records = list(synth.iter_articles(args.sample))
    articles = pd.DataFrame(records)
    articles["article_id"] = [article_id_for(r["text"], pd.Timestamp(r["published"])) for r in records]
    articles["published"] = pd.to_datetime(articles["published"])
    nlp = load_pipeline()
    nk.extract(articles.head(20), nlp=nlp, link=False)  # warm-up
    started = time.perf_counter()
    sample_facts = nk.extract(articles, nlp=nlp, link=False)
    extract_seconds = time.perf_counter() - started
    per_article = extract_seconds / args.sample

    small, big = work / f"store-{args.small}", work / f"store-{args.n}"
    build_store(sample_facts, args.small, small)
    build_store(sample_facts, args.n + args.new, big)
    small_run = run_child(small, "full")
    big_run = run_child(big, "full")
    # Forget the last --new articles' links, then link them incrementally.
    links = store_link.read_links(big)
    newest = nk.read_facts(big, tables=["articles"], columns={"articles": ["article_id", "published"]}).articles
    newest = newest.sort_values(["published", "article_id"]).tail(args.new)["article_id"]
    kept = links["article_links"][~links["article_links"]["article_id"].isin(newest)]
    store_link._write_generation(big, load_manifest(big), {**links, "article_links": kept})
    increment = run_child(big, "incremental")

    rows = [
        {
            "run": f"extract {args.sample} (measured)",
            "articles": args.sample,
            "seconds": extract_seconds,
            "peak MB": None,
            "ratio": None,
        },
        {
            "run": f"extract {args.n + args.new} (scaled)",
            "articles": args.n + args.new,
            "seconds": per_article * (args.n + args.new),
            "peak MB": None,
            "ratio": None,
        },
        {
            "run": f"link all {args.small}",
            "articles": args.small,
            "seconds": small_run["seconds"],
            "peak MB": small_run["peak_mb"],
            "stories": small_run["stories"],
            "ratio": None,
        },
        {
            "run": f"link all {args.n + args.new}",
            "articles": args.n + args.new,
            "seconds": big_run["seconds"],
            "peak MB": big_run["peak_mb"],
            "stories": big_run["stories"],
            "ratio": f"{big_run['seconds'] / (per_article * (args.n + args.new)):.1%} of extraction; memory {big_run['peak_mb'] / small_run['peak_mb']:.2f}x",
        },
        {
            "run": f"link {args.new} new into the linked store",
            "articles": args.new,
            "seconds": increment["seconds"],
            "peak MB": increment["peak_mb"],
            "stories": f"{increment['stories']} touched",
            "ratio": f"{increment['seconds'] / big_run['seconds']:.1%} of linking all",
        },
    ]
    print(machine_note())
    print_table(rows, ["run", "articles", "seconds", "peak MB", "stories", "ratio"])


if __name__ == "__main__":
    main()
