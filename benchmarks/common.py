"""Shared helpers of the benchmark scripts: texts to run on, machine notes, table printing."""

from __future__ import annotations

import json
import os
import platform
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synth

REPO = Path(__file__).resolve().parents[1]
GVA_DEV = REPO / ".." / "shared" / "corpora" / "gva-dev" / "docs.jsonl"


def corpus_records(n: int, *, synthetic: bool = False) -> tuple[list[dict], str]:
    """``n`` article dicts (``article_id``, ``published``, ``text`` ...) and where they come from.

    The gva-dev texts are read at run time from ``../shared`` (never copied into the
    project); without them, or with ``synthetic=True``, synthetic articles are used.
    Fewer than ``n`` gva-dev texts are topped up by cycling through them.
    """
    from newskit.extract import article_id_for

    records: list[dict] = []
    source = "synthetic (benchmarks/synth.py)"
    if not synthetic and GVA_DEV.is_file():
        with GVA_DEV.open(encoding="utf-8") as fh:
            docs = [json.loads(line) for line in fh]
        docs = [d for d in docs if d.get("text", "").strip()]
        source = f"gva-dev ({len(docs)} texts in ../shared/corpora)"
        for i in range(n):
            doc = docs[i % len(docs)]
            text = doc["text"] if i < len(docs) else f"{doc['text']}\n\n(Copy {i}.)"
            records.append(
                {"text": text, "published": doc.get("published"), "title": doc.get("title"), "path": f"gva:{i}"}
            )
    else:
        records = [dict(a, path=f"synthetic:{i}") for i, a in enumerate(synth.iter_articles(n))]
    import pandas as pd

    for record in records:
        published = pd.Timestamp(record["published"]) if record.get("published") else None
        record["published"] = published
        record["article_id"] = article_id_for(record["text"], published)
        record["n_words"] = len(record["text"].split())
        record["paths"] = [record["path"]]
    return records, source


def words(records: list[dict]) -> int:
    return sum(len(r["text"].split()) for r in records)


def machine_note() -> str:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"
    return (
        f"machine: {os.cpu_count()} cores, load average {load} (other processes share the cores), "
        f"Python {platform.python_version()}"
    )


def print_table(rows: list[dict], columns: list[str]) -> None:
    """Print rows as a Markdown table (numbers rounded for reading)."""

    def fmt(value) -> str:
        if value is None:
            return ""
        if isinstance(value, float):
            return f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"
        return str(value)

    print("| " + " | ".join(columns) + " |")
    print("|" + "|".join("---" for _ in columns) + "|")
    for row in rows:
        print("| " + " | ".join(fmt(row.get(c, "")) for c in columns) + " |")
