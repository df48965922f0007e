"""Bare spaCy as a baseline for ``newskit eval``: the model's own entities, per half.

Scores the pipeline's ``doc.ents`` with the same scorers as ``newskit eval`` and the same
grouping (``--by half`` by default), so newskit's tables have the model they start
from beside them:

- entities: every entity of a name label as a mention, ``entity_id`` = label + text
  (exact string match is the model's only notion of identity);
- quantities: CARDINAL, MONEY, PERCENT and QUANTITY entities (kind = the label);
- timex: DATE and TIME entities (type = the label; spaCy gives no values).

Run from the repository root (the corpora are read from ``../shared/corpora``)::

    .venv/bin/python benchmarks/bare_spacy.py entities ../shared/corpora/meantime-airbus-apple
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from newskit.evaluate import read_gold, score
from newskit.nlp import load_pipeline

_NAME_LABELS = {"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "PRODUCT", "EVENT", "LAW", "WORK_OF_ART"}
_QUANTITY_KIND = {"CARDINAL": "COUNT", "MONEY": "MONEY", "PERCENT": "PERCENT", "QUANTITY": "QUANTITY"}


def _rows(task: str, records: list[dict]) -> pd.DataFrame:
    nlp = load_pipeline()
    rows = []
    for record, doc in zip(records, nlp.pipe(r["text"] for r in records), strict=True):
        for ent in doc.ents:
            row = {"article_id": record["doc_id"], "start": ent.start_char, "end": ent.end_char}
            if task == "entities" and ent.label_ in _NAME_LABELS:
                rows.append(row | {"label": ent.label_, "entity_id": f"{ent.label_}:{ent.text}"})
            elif task == "quantities" and ent.label_ in _QUANTITY_KIND:
                rows.append(row | {"kind": _QUANTITY_KIND[ent.label_]})
            elif task == "timex" and ent.label_ in ("DATE", "TIME"):
                rows.append(row | {"type": ent.label_, "value": None, "mod": None})
    return pd.DataFrame(rows)


def main(argv: list[str] | None = None) -> int:
    """Print the bare-spaCy tables for one task and corpus."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("task", choices=("entities", "quantities", "timex"))
    parser.add_argument("path")
    parser.add_argument("--by", default="half", choices=("corpus", "half", "outlet"))
    args = parser.parse_args(argv)
    key = {"entities": "entities", "quantities": "quantities", "timex": "timexes"}[args.task]
    records = [r for r in read_gold(args.path) if r["gold"].get(key) is not None]
    print(score(args.task, records, _rows(args.task, records), source=args.path, by=args.by))
    return 0


if __name__ == "__main__":
    sys.exit(main())
