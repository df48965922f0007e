"""Split the scored documents into groups that differ by topic, source or time.

Rules tuned on a dev set can fit that set's topics and outlets; scoring each dev
corpus in two halves that differ in topic, outlet or period (and keeping only the
rules that help both) makes over-fitting visible. ``newskit eval --by half`` prints
one table per half:

- MEANTIME: the ``airbus`` and ``apple`` topics (the records' ``corpus``);
- TimeBank / AQUAINT: the two collections (the records' ``corpus``);
- PolNeAR: by outlet (the ``doc_id`` prefix), the seven outlets in alphabetical
  order assigned alternately to half ``A`` (breitbart, nyt, usa-today,
  west-journal) and ``B`` (huff-post, politico, wash-post), train and dev pooled;
- GVA: by period, articles published up to 2015 and from 2016 on;
- anything else: its ``corpus``.

``--by outlet`` prints PolNeAR per outlet (other corpora as ``--by corpus``).
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["GROUPINGS", "group_of", "outlet_of"]

#: PolNeAR outlets (``doc_id`` prefixes) in alphabetical order; alternately half A and B.
POLNEAR_OUTLETS: tuple[str, ...] = (
    "breitbart",
    "huff-post",
    "nyt",
    "politico",
    "usa-today",
    "wash-post",
    "west-journal",
)


def outlet_of(record: dict) -> str | None:
    """The outlet of a PolNeAR record (its ``doc_id`` prefix), None for other corpora."""
    corpus = str(record.get("corpus") or "")
    if not corpus.startswith("polnear"):
        return None
    return str(record["doc_id"]).split("_", 1)[0]


def _corpus(record: dict) -> str:
    return str(record.get("corpus") or "corpus")


def _half(record: dict) -> str:
    outlet = outlet_of(record)
    if outlet is not None:
        index = POLNEAR_OUTLETS.index(outlet) if outlet in POLNEAR_OUTLETS else len(POLNEAR_OUTLETS)
        members = POLNEAR_OUTLETS[index % 2 :: 2]
        return f"polnear-{'AB'[index % 2]} ({', '.join(members)})"
    corpus = _corpus(record)
    if corpus == "gva":
        year = str(record.get("published") or "")[:4]
        return "gva-to-2015" if year and year <= "2015" else "gva-from-2016"
    return corpus


def _outlet(record: dict) -> str:
    outlet = outlet_of(record)
    return f"polnear-{outlet}" if outlet is not None else _corpus(record)


#: ``by`` → function of a gold record giving its group's name.
GROUPINGS: dict[str, Callable[[dict], str]] = {"corpus": _corpus, "half": _half, "outlet": _outlet}


def group_of(record: dict, by: str = "corpus") -> str:
    """The name of the group ``record`` is scored in under grouping ``by``."""
    return GROUPINGS[by](record)
