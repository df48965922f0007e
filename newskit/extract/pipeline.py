"""The one extraction loop: parse articles with spaCy, run every extractor, collect the rows.

:func:`iter_article_facts` is the loop. :func:`newskit.extract` collects its output into
DataFrames (:func:`collect`); :func:`extract_chunk` (the work unit the engines of
:mod:`newskit.engines` schedule, locally or on Dask) turns it into Arrow tables. There is no
other per-article loop.

Each :class:`Step` says which table it fills, what it ``requires`` (tables or Doc attributes
earlier steps set) and what it ``assigns``, as spaCy components do; a test checks that the
order of :data:`STEPS` satisfies every requirement.

Texts longer than the pipeline's ``nlp.max_length`` are parsed in parts cut at paragraph
boundaries and joined back into one Doc (:func:`split_text`), so every span still indexes
the whole text.

How to add a new kind of fact (four steps, in this order):

1. Declare its table in :data:`newskit.schema.TABLES` (columns, dtypes, meanings; then
   ``python -m newskit.schema > docs/schema.md``).
2. Add a field of that name to :class:`newskit.Facts` (a DataFrame).
3. Write ``newskit/extract/<kind>.py`` with ``extract_<kind>(doc) -> list[dict]`` (one dict
   per row, keyed by the schema's columns; read earlier facts with
   :func:`newskit.extract._doc.facts`).
4. Append a :class:`Step` to :data:`STEPS` saying what it ``requires`` and ``assigns``; the
   test ``tests/test_layers.py::test_steps_run_after_what_they_require`` checks the order.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import pandas as pd
from spacy.tokens import Doc

from .. import schema
from ..articles import complete_article, published_date
from ..facts import entities_table
from . import attributions, casualties, entities, events, quantities, roles, timexes
from ._gc import older_objects_frozen
from .tone import score_tone

__all__ = [
    "STEPS",
    "ChunkResult",
    "Step",
    "check_steps",
    "collect",
    "extract_chunk",
    "iter_article_facts",
    "prepare_doc",
    "run_extractors",
    "split_text",
]


@dataclass(frozen=True)
class Step:
    """One extractor and the table it fills.

    Attributes:
        table: The table of :data:`newskit.schema.TABLES` its rows go to.
        extractor: ``extractor(doc) -> list[dict]``.
        requires: What must be set before it runs: a table name (rows in
            ``doc._.nk_facts``) or a Doc attribute such as ``doc.spans[nk_mentions]``.
        assigns: What it sets for later steps (its table is always assigned).
    """

    table: str
    extractor: Callable[[Doc], list[dict]]
    requires: tuple[str, ...] = ()
    assigns: tuple[str, ...] = ()

    def __iter__(self):
        # Unpacks as ``table, extractor``: the form STEPS entries had before they declared needs.
        return iter((self.table, self.extractor))


MENTION_SPANS = "doc.spans[nk_mentions]"
ENTITY_NAMES = "nk_facts[entity_names]"

#: The extractors in the order they run: entities first (they set the canonical mentions every
#: later extractor reads), events last (they read timexes, casualties and attributions).
STEPS: tuple[Step, ...] = (
    Step("mentions", entities.extract_mentions, assigns=(MENTION_SPANS, ENTITY_NAMES)),
    Step("roles", roles.extract_roles, requires=(MENTION_SPANS, ENTITY_NAMES)),
    Step("timexes", timexes.extract_timexes),
    Step("quantities", quantities.extract_quantities, requires=("timexes", MENTION_SPANS)),
    Step("casualties", casualties.extract_casualties, requires=(MENTION_SPANS,)),
    # Resolving "the spokesman" to a name reads the roles.
    Step("attributions", attributions.extract_attributions, requires=(MENTION_SPANS, ENTITY_NAMES, "roles")),
    Step(
        "events",
        events.extract_events,
        requires=(MENTION_SPANS, ENTITY_NAMES, "timexes", "casualties", "attributions"),
    ),
)

_ARTICLE_COLUMNS = tuple(c.name for c in schema.TABLES["articles"])


def check_steps(steps: Iterable[Step] = STEPS) -> None:
    """Raise ``ValueError`` naming the first step that runs before what it requires is set.

    A step assigns its table and its ``assigns``; a requirement is met by an earlier step.
    """
    available: set[str] = set()
    for step in steps:
        missing = [need for need in step.requires if need not in available]
        if missing:
            raise ValueError(f"step {step.table!r} runs before {', '.join(missing)} is set: move it later")
        available |= {step.table, *step.assigns}


def prepare_doc(doc: Doc, *, article_id: str = "", published=None, author=None, source=None) -> Doc:
    """Attach the article's metadata to a parsed Doc before extractors run (``author`` and ``source``,
    the byline and outlet, name the writer when the article speaks in the first person)."""
    doc._.nk_article_id = article_id
    doc._.nk_published = published
    doc._.nk_author = _given(author)
    doc._.nk_source = _given(source)
    doc._.nk_facts = {}
    return doc


def _given(value) -> str | None:
    """A metadata string, or None when missing (None, NA, NaN or blank)."""
    if value is None or not isinstance(value, str):
        return None
    return value.strip() or None


def run_extractors(doc: Doc, *, until: str | None = None) -> dict[str, list[dict]]:
    """Run the extractors on a prepared Doc.

    Args:
        doc: A Doc passed through :func:`prepare_doc`.
        until: Stop after this table (handy when developing one extractor).

    Returns:
        Table name → rows, each row carrying ``article_id``.
    """
    found = doc._.nk_facts
    for table, extractor in STEPS:
        rows = extractor(doc)
        for row in rows:
            row["article_id"] = doc._.nk_article_id
        found[table] = rows
        if table == until:
            break
    return {table: found.get(table, []) for table, _ in STEPS}


# --------------------------------------------------------------------------- long texts

_CUTS = (re.compile(r"\n\s*\n\s*"), re.compile(r"\n\s*"), re.compile(r"(?<=[.!?])\s+"), re.compile(r"\s+"))


def split_text(text: str, max_length: int) -> list[tuple[int, int]]:
    """``[start, end)`` bounds of consecutive parts of ``text``, each at most ``max_length`` long.

    Parts end after a blank line (a paragraph) where one is in reach, else after a line
    break, a sentence end or a space; only a part without any of these is cut mid-word.
    The parts cover the text exactly, so a Doc joined from them has the same text.
    """
    bounds: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > max_length:
        window = text[start : start + max_length]
        cut = 0
        for pattern in _CUTS:
            ends = [m.end() for m in pattern.finditer(window) if 0 < m.end() < len(window)]
            # A cut in the first half would make many tiny parts: look for a coarser one later.
            if ends and ends[-1] > max_length // 2:
                cut = ends[-1]
                break
        cut = cut or max_length
        bounds.append((start, start + cut))
        start += cut
    bounds.append((start, len(text)))
    return bounds


def _parse(nlp, records: list[dict], *, batch_size: int, n_process: int) -> Iterator[tuple[Doc, int]]:
    """``(doc, index)`` for every record, in order; long texts parsed in parts and joined."""
    limit = nlp.max_length

    def texts() -> Iterator[tuple[str, tuple[int, int]]]:
        for i, record in enumerate(records):
            text = record["text"]
            if len(text) <= limit:
                yield text, (i, 1)
                continue
            parts = split_text(text, limit)
            for start, end in parts:
                yield text[start:end], (i, len(parts))

    pending: list[Doc] = []
    for doc, (i, n_parts) in nlp.pipe(texts(), as_tuples=True, batch_size=batch_size, n_process=n_process):
        if n_parts == 1:
            yield doc, i
            continue
        pending.append(doc)
        if len(pending) == n_parts:
            joined = Doc.from_docs(pending, ensure_whitespace=False)
            pending = []
            yield joined, i


# --------------------------------------------------------------------------- the loop


def iter_article_facts(
    articles: pd.DataFrame | Iterable[dict],
    nlp,
    *,
    batch_size: int = 32,
    n_process: int = 1,
    errors: str = "raise",
    failures: list[dict] | None = None,
) -> Iterator[tuple[dict, dict[str, list[dict]]]]:
    """Parse and extract article by article: the one extraction loop.

    Args:
        articles: A DataFrame of articles or article dicts (at least ``text``; completed
            with :func:`newskit.articles.complete_article`).
        nlp: A loaded spaCy pipeline (see :func:`newskit.nlp.load_pipeline`).
        batch_size: Texts per ``nlp.pipe`` batch.
        n_process: spaCy worker processes for parsing.
        errors: ``"raise"`` re-raises an extractor's exception (with a note naming the
            article); ``"warn"``/``"skip"`` leave the article out and record it in ``failures``.
        failures: Where ``{"article_id", "path", "problem"}`` is appended per failed article.

    Yields:
        ``(article_row, tables)`` for each article, in input order: the article's row (a
        dict, with the tone columns filled) and its fact rows by table.
    """
    rows = articles.to_dict("records") if isinstance(articles, pd.DataFrame) else articles
    records = [complete_article(r) for r in rows]
    with older_objects_frozen():
        yield from _extract_each(
            nlp, records, batch_size=batch_size, n_process=n_process, errors=errors, failures=failures
        )


def _extract_each(nlp, records, *, batch_size, n_process, errors, failures):
    """The body of :func:`iter_article_facts`, over completed article records."""
    for doc, i in _parse(nlp, records, batch_size=batch_size, n_process=n_process):
        record = records[i]
        try:
            prepare_doc(
                doc,
                article_id=record["article_id"],
                published=published_date(record.get("published")),
                author=record.get("author"),
                source=record.get("source"),
            )
            tables = run_extractors(doc)
            record.update(score_tone(doc))
        except Exception as exc:
            if errors == "raise":
                exc.add_note(f"newskit: while extracting article {record['article_id']} ({record.get('path')})")
                raise
            if failures is not None:
                failures.append(_failure(record, f"{type(exc).__name__}: {exc}"))
            continue
        yield record, tables


def _failure(record: dict, problem: str) -> dict:
    return {"article_id": record["article_id"], "path": record.get("path"), "problem": problem}


def collect(pairs: Iterable[tuple[dict, dict[str, list[dict]]]]) -> dict[str, pd.DataFrame]:
    """Turn :func:`iter_article_facts` output into one DataFrame per table (``entities`` included)."""
    article_rows, rows = _gather(pairs)
    frames = {"articles": schema.conform("articles", pd.DataFrame(article_rows))}
    for table, table_rows in rows.items():
        frames[table] = schema.frame(table, table_rows)
    frames["entities"] = entities_table(frames["mentions"])
    return frames


def _gather(pairs) -> tuple[list[dict], dict[str, list[dict]]]:
    article_rows: list[dict] = []
    rows: dict[str, list[dict]] = {table: [] for table, _ in STEPS}
    for article, tables in pairs:
        article_rows.append(article)
        for table, table_rows in tables.items():
            rows.setdefault(table, []).extend(table_rows)
    return article_rows, rows


# --------------------------------------------------------------------------- the chunk work unit


@dataclass
class ChunkResult:
    """The facts of one chunk, as the engines hand them to the store.

    Attributes:
        tables: Table name → Arrow table (every stored table, ``entities`` excluded).
        failures: ``{"article_id", "path", "problem"}`` per article whose extraction failed
            (left out of ``tables``).
        model_version: The spaCy pipeline that parsed the chunk (``newskit.nlp.model_version``).
        seconds: Wall-clock time spent in the worker.
        cpu_seconds: CPU time the worker used (less than ``seconds`` when it had to share cores).
    """

    tables: dict
    failures: list[dict] = field(default_factory=list)
    model_version: str = ""
    seconds: float = 0.0
    cpu_seconds: float = 0.0


def extract_chunk(records: list[dict], *, batch_size: int = 32, errors: str = "raise") -> ChunkResult:
    """Extract every stored table from a chunk of articles (runs wherever an engine puts it).

    Loads the spaCy pipeline once per process (:func:`newskit.nlp.load_pipeline` is cached), runs
    :func:`iter_article_facts` and converts the rows to Arrow tables, so a worker returns plain
    data and only the caller writes files.

    Args:
        records: Article dicts with at least ``article_id`` and ``text``.
        batch_size: Texts per ``nlp.pipe`` batch.
        errors: As for :func:`iter_article_facts`; rows that do not fit their table's schema
            fail only their article.

    Returns:
        A :class:`ChunkResult`.
    """
    from ..nlp import load_pipeline, model_version

    started, cpu_started = time.perf_counter(), time.process_time()
    nlp = load_pipeline()
    failures: list[dict] = []
    pairs = iter_article_facts(records, nlp, batch_size=batch_size, errors=errors, failures=failures)
    articles, rows = _gather(({k: v for k, v in a.items() if k in _ARTICLE_COLUMNS}, t) for a, t in pairs)
    try:
        tables = _arrow_tables(articles, rows)
    except Exception as exc:
        if errors == "raise":
            exc.add_note("newskit: an extractor returned a value its table's schema cannot hold")
            raise
        # Find the articles whose rows do not fit the schema, leave them out, keep the rest.
        bad = _unfit_articles(articles, rows)
        failures += [_failure(a, problem) for a in articles if (problem := bad.get(a["article_id"]))]
        articles = [a for a in articles if a["article_id"] not in bad]
        rows = {t: [r for r in table_rows if r["article_id"] not in bad] for t, table_rows in rows.items()}
        tables = _arrow_tables(articles, rows)
    return ChunkResult(
        tables, failures, model_version(nlp), time.perf_counter() - started, time.process_time() - cpu_started
    )


def _arrow_tables(articles: list[dict], rows: dict[str, list[dict]]) -> dict:
    tables = {"articles": schema.to_arrow("articles", pd.DataFrame(articles, columns=list(_ARTICLE_COLUMNS)))}
    for table, table_rows in rows.items():
        tables[table] = schema.to_arrow(table, schema.frame(table, table_rows))
    return tables


def _unfit_articles(articles: list[dict], rows: dict[str, list[dict]]) -> dict[str, str]:
    """article_id → problem, for the articles whose rows fail the schema (checked one article at a time)."""
    bad: dict[str, str] = {}
    for article in articles:
        article_id = article["article_id"]
        try:
            _arrow_tables([article], {t: [r for r in rs if r["article_id"] == article_id] for t, rs in rows.items()})
        except Exception as exc:
            bad[article_id] = f"{type(exc).__name__}: {exc}"
    return bad
