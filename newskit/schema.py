"""The columns, dtypes and meanings of every table newskit produces.

This module is the single source for code, documentation and tests: extractors
emit rows as dicts keyed by these column names, :func:`frame` turns rows into a
DataFrame with exactly these columns and dtypes, and ``docs/schema.md`` is
generated from :data:`TABLES` (``python -m newskit.schema``).

Conventions:
    * ``<NA>`` (or ``NaT`` for dates) means *not reported*; it is never 0.
    * ``start``/``end`` (and ``source_start``, ``cue_start`` ...) are ``[start, end)``
      character offsets into that article's ``text``: ``text[start:end]`` is the
      evidence for the row.
    * ``sentence`` is the 0-based index of the sentence (spaCy's segmentation of
      the article's ``text``) that holds the evidence.
    * Dates are ``datetime64[ns]``, UTC-naive.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "EVENT_KINDS",
    "FACT_TABLES",
    "LINK_TABLES",
    "TABLES",
    "Column",
    "arrow_schema",
    "conform",
    "describe",
    "frame",
    "to_arrow",
    "to_frame",
    "to_markdown",
]

STRING = "string"
INT = "Int64"
FLOAT = "Float64"
DATE = "datetime64[ns]"
BOOL = "boolean"
LIST = "object"  # a Python list of str in every cell (empty list, never <NA>)


@dataclass(frozen=True)
class Column:
    """One column of a table.

    Attributes:
        name: Column name.
        dtype: pandas dtype string (``"string"``, ``"Int64"``, ``"Float64"``,
            ``"datetime64[ns]"``, ``"boolean"``, or ``"object"`` for lists of str).
        meaning: What a value in this column means.
    """

    name: str
    dtype: str
    meaning: str


def _columns(*specs: tuple[str, str, str]) -> tuple[Column, ...]:
    return tuple(Column(*spec) for spec in specs)


#: The values of ``events.kind``.
EVENT_KINDS: tuple[str, ...] = (
    "statement",
    "violence",
    "arrest",
    "declaration",
    "agreement",
    "election",
    "protest",
    "other",
)

_ARTICLE_ID = ("article_id", STRING, "Article the row comes from (see `articles.article_id`).")
_SENTENCE = ("sentence", INT, "0-based index of the sentence holding the evidence.")


def _span(prefix: str = "", what: str = "the evidence") -> tuple[tuple[str, str, str], ...]:
    return (
        (f"{prefix}start", INT, f"Character offset where {what} starts in the article text."),
        (f"{prefix}end", INT, f"Character offset just after {what} ends (exclusive)."),
    )


TABLES: dict[str, tuple[Column, ...]] = {
    "articles": _columns(
        (
            "article_id",
            STRING,
            "Stable id: first 16 hex digits of sha1(published date + NUL + body text). "
            "Independent of the file path, so the same article read anywhere gets the same id.",
        ),
        ("published", DATE, "Publication date and time in UTC (time 00:00 when only a date is known); NaT if unknown."),
        ("title", STRING, "Headline, if the input gives one."),
        ("source", STRING, "Outlet or publisher, if the input gives one."),
        ("url", STRING, "Address of the article, if the input gives one."),
        ("author", STRING, "Byline, if the input gives one."),
        ("path", STRING, "File the article was first read from (`file` or `file:line` for JSONL/CSV records)."),
        ("paths", LIST, "Every place the same text was read from (exact duplicates are kept once)."),
        ("format", STRING, "Input format: txt, md, json, jsonl, csv, html."),
        ("text", STRING, "Body text only (headers and front matter removed); every span offset points into it."),
        ("n_words", INT, "Number of whitespace-separated words in `text`."),
        (
            "tone",
            FLOAT,
            "VADER compound score of the body (vaderSentiment 3.3.2, lexicon shipped in the package), "
            "mean over sentences, from -1 (negative) to +1 (positive). Filled by `extract`.",
        ),
        ("tone_positive", FLOAT, "Mean VADER positive proportion over sentences (0..1). Filled by `extract`."),
        ("tone_negative", FLOAT, "Mean VADER negative proportion over sentences (0..1). Filled by `extract`."),
        ("tone_label", STRING, "`negative` (tone <= -0.05), `positive` (tone >= 0.05) or `neutral`."),
        ("story_id", STRING, "Story the article reports (see `stories.story_id`); <NA> until linked."),
    ),
    "mentions": _columns(
        _ARTICLE_ID,
        ("entity_id", STRING, "Canonical entity (see `entities.entity_id`)."),
        ("name", STRING, "Canonical name of the entity (`Albin Kurti` for the mention `Kurti’s`)."),
        (
            "label",
            STRING,
            "Entity label after correction: PERSON, ORG, GPE, LOC, NORP, FAC, PRODUCT, EVENT, LAW, WORK_OF_ART.",
        ),
        ("text", STRING, "The mention as written, possessive stripped (`Kurti` for `Kurti’s`)."),
        *_span(what="the mention"),
        _SENTENCE,
    ),
    "entities": _columns(
        (
            "entity_id",
            STRING,
            "Stable id: `E` + 12 hex digits of sha1(label + NUL + canonical name). The same name with the "
            "same label gets the same id in every article and every run.",
        ),
        (
            "name",
            STRING,
            "Canonical name: the fullest form seen (`Albin Kurti`), groups by their plural noun (`Serbs`).",
        ),
        ("label", STRING, "Entity label (see `mentions.label`)."),
        ("aliases", LIST, "Every distinct surface form seen, sorted."),
        ("n_mentions", INT, "Number of mentions across all articles."),
        ("n_articles", INT, "Number of articles that mention the entity."),
    ),
    "roles": _columns(
        _ARTICLE_ID,
        ("entity_id", STRING, "The person holding the role."),
        ("person", STRING, "Canonical name of the person."),
        ("role", STRING, "The role or title as written, singular (`spokesman`, `Prime Minister`)."),
        ("of", STRING, "Canonical name of the organisation or place the role belongs to; <NA> if not stated."),
        ("of_entity_id", STRING, "Entity id of `of`; <NA> if not stated."),
        *_span(what="the phrase stating the role"),
        _SENTENCE,
    ),
    "timexes": _columns(
        _ARTICLE_ID,
        ("text", STRING, "The time expression as written."),
        *_span(what="the time expression"),
        ("type", STRING, "TIMEX3 type: DATE, TIME, DURATION or SET."),
        (
            "value",
            STRING,
            "TIMEX3 value (`2008`, `2023-11-06`, `2013-W11`, `P20Y`, `PAST_REF`, `XXXX-XX-XXTMO` ...); <NA> if none.",
        ),
        (
            "mod",
            STRING,
            "TIMEX3 mod: APPROX, MORE_THAN, LESS_THAN, EQUAL_OR_MORE, START, MID, END, BEFORE, AFTER ...; <NA> if none.",
        ),
        ("date_start", DATE, "First day of the calendar interval a DATE/TIME value covers; NaT otherwise."),
        ("date_end", DATE, "Last day of that interval (inclusive); NaT otherwise."),
        ("anchor", STRING, "What a relative value was resolved against: `publication`, `timex:<start>` or <NA>."),
        _SENTENCE,
    ),
    "events": _columns(
        _ARTICLE_ID,
        ("date_start", DATE, "Earliest day the event can have happened; NaT if unbounded."),
        ("date_end", DATE, "Latest day the event can have happened (inclusive); NaT if unbounded."),
        (
            "precision",
            STRING,
            "Granularity of the dating: day, week, month, season, quarter, year, decade, century, bound.",
        ),
        (
            "dated_by",
            STRING,
            "How the date was found: `timex` (a time expression in its clause or sentence), `tense` (a bound "
            "from tense: past = before publication, future = after), `narrative` (the day the article reports "
            "on, when that is before publication), `story` (the same event elsewhere in its story or "
            "article), `relative-to-event`, or `publication`.",
        ),
        ("description", STRING, "A short readable clause: who did what."),
        (
            "kind",
            STRING,
            ", ".join(EVENT_KINDS) + ".",
        ),
        ("actors", LIST, "Canonical names of the entities taking part."),
        ("places", LIST, "Canonical names of the places (GPE/LOC/FAC) involved."),
        ("text", STRING, "The evidence text (the event's clause)."),
        *_span(what="the event's clause"),
        _SENTENCE,
        ("trigger", STRING, "The word that names the event as written (`killed`, `attack`, `said`, `talks`)."),
        *_span("trigger_", "the trigger"),
        ("lemma", STRING, "Lemma of the trigger (`kill`, `attack`, `say`)."),
        (
            "salient",
            BOOL,
            "True for happenings (violence, arrests, agreements, elections, disasters ...); False for "
            "reporting and cognitive verbs (`said`, `believe`).",
        ),
        (
            "event_id",
            STRING,
            "Shared by mentions of the same real-world event across the articles of one story; <NA> until linked.",
        ),
        ("story_id", STRING, "Story of the event's article; <NA> until linked."),
    ),
    "quantities": _columns(
        _ARTICLE_ID,
        ("value", FLOAT, "The number as reported (1800000.0 for `1.8 million`); for a range, its midpoint."),
        ("low", FLOAT, "Lower bound (equal to value unless a range or vague amount)."),
        ("high", FLOAT, "Upper bound; <NA> when open (`more than 50`)."),
        ("mod", STRING, "APPROX, MORE_THAN, LESS_THAN, EQUAL_OR_MORE, EQUAL_OR_LESS, RANGE; <NA> if exact."),
        ("unit", STRING, "Unit or currency (`USD`, `percent`, `km`, `tonnes`); <NA> for plain counts."),
        ("counted", STRING, "What is counted or measured (`ethnic Albanians`); <NA> if not found."),
        ("entity_id", STRING, "Entity id when the counted thing is an entity or group; <NA> otherwise."),
        ("kind", STRING, "COUNT, MONEY, PERCENT or QUANTITY."),
        ("text", STRING, "The number expression as written (`around 1.8 million`)."),
        *_span(what="the number expression"),
        _SENTENCE,
    ),
    "casualties": _columns(
        _ARTICLE_ID,
        ("group", STRING, "Who suffered it, as written and singular (`attacker`, `police officer`); <NA> if unstated."),
        ("entity_id", STRING, "Entity id of the group when it is a known entity; <NA> otherwise."),
        ("count", INT, "Number of people; for a vague amount, the low bound; <NA> if not given."),
        ("low", INT, "Lower bound of the count."),
        ("high", INT, "Upper bound of the count; <NA> when open."),
        ("mod", STRING, "APPROX, MORE_THAN, LESS_THAN, EQUAL_OR_MORE, RANGE; <NA> if exact."),
        ("outcome", STRING, "killed, injured, missing, arrested, kidnapped or displaced."),
        ("text", STRING, "The clause reporting the toll."),
        *_span(what="that clause"),
        _SENTENCE,
    ),
    "attributions": _columns(
        _ARTICLE_ID,
        ("kind", STRING, "direct (all in quotation marks), indirect (no quotation marks) or mixed."),
        ("source", STRING, "Canonical name of who said it; <NA> if unknown."),
        ("source_entity_id", STRING, "Entity id of the source; <NA> if unknown."),
        ("source_text", STRING, "The source as written (`they`, `the ministry`); <NA> if absent."),
        *_span("source_", "the source as written"),
        ("cue", STRING, "Reporting verb or phrase (`said`, `accused`, `according to`)."),
        *_span("cue_", "the cue"),
        ("content", STRING, "What was said or claimed."),
        *_span("content_", "the content"),
        ("target", STRING, "Canonical name of the entity the claim blames or is about; <NA> if none."),
        ("target_entity_id", STRING, "Entity id of the target; <NA> if none."),
        _SENTENCE,
    ),
    "stories": _columns(
        (
            "story_id",
            STRING,
            "Stable id: `S` + 12 hex digits derived from the story's founding article (its earliest-published "
            "member, then smallest `article_id`): the same articles give the same ids in every run.",
        ),
        (
            "label",
            STRING,
            "A readable headline built from facts: place, kind, key figure (`Dravik attack (12–15 killed)`).",
        ),
        ("kind", STRING, "Kind of its salient events (see `events.kind`)."),
        ("date_start", DATE, "When it happened: the earliest day of its salient events; NaT if unknown."),
        ("date_end", DATE, "The latest day of its salient events; NaT if unknown."),
        ("first_published", DATE, "Publication of its first article."),
        ("last_published", DATE, "Publication of its last article."),
        ("n_articles", INT, "Number of articles."),
        ("n_sources", INT, "Number of distinct outlets (`articles.source`; an unknown source counts as one)."),
        ("places", LIST, "Canonical names of its places, most mentioned first."),
        ("actors", LIST, "Canonical names of its top entities (people, organisations, groups), most mentioned first."),
        ("merged_from", LIST, "Ids of earlier stories merged into this one by a later run (empty if none)."),
    ),
    "figures": _columns(
        ("story_id", STRING, "The story the figure is about."),
        ("figure_id", STRING, "Stable id of the figure: story, measure, group and unit."),
        (
            "measure",
            STRING,
            "killed, injured, missing, arrested, kidnapped, displaced, or `count` for other quantities.",
        ),
        ("group", STRING, "Who or what is counted, singular (`police officer`); <NA> for everyone in the story."),
        ("unit", STRING, "Unit or currency of a quantity; <NA> for counts of people or things."),
        ("value", FLOAT, "The figure to show: the latest report from the best-supported source (see `link.figures`)."),
        ("low", FLOAT, "Lowest value reported."),
        ("high", FLOAT, "Highest value reported."),
        ("latest", FLOAT, "Value of the most recently published report."),
        ("n_reports", INT, "Number of reports (rows of `figure_reports`)."),
        ("n_sources", INT, "Number of distinct outlets reporting it."),
        ("agree", BOOL, "True when every report gives the same value."),
        ("first_reported", DATE, "Publication of the first report."),
        ("last_reported", DATE, "Publication of the latest report."),
    ),
    "figure_reports": _columns(
        (
            "figure_id",
            STRING,
            "The figure this report counts towards (see `figures.figure_id`); <NA> for a round-up, which counts towards none.",
        ),
        ("story_id", STRING, "The story."),
        _ARTICLE_ID,
        ("source", STRING, "Outlet of the article; <NA> if unknown."),
        ("published", DATE, "Publication of the article."),
        ("measure", STRING, "What the report counts: as `figures.measure`."),
        ("value", FLOAT, "The value this report gives."),
        ("mod", STRING, "APPROX, MORE_THAN, LESS_THAN, RANGE ... as in the fact row; <NA> if exact."),
        (
            "roundup",
            BOOL,
            "True when the text frames the number as an aggregate over a period or an area (`1,424 killed nationwide "
            "this year`, `in such attacks`): kept as evidence, never the story's figure.",
        ),
        ("fact_table", STRING, "`casualties` or `quantities`: the table of the fact row behind the report."),
        ("text", STRING, "The evidence text."),
        *_span(what="the evidence"),
        _SENTENCE,
    ),
}

#: Corpus-level tables built by linking articles (``newskit.link``), not per article.
LINK_TABLES: tuple[str, ...] = ("stories", "figures", "figure_reports")

#: The per-article tables that hold facts (everything but ``articles`` and the link tables).
FACT_TABLES: tuple[str, ...] = tuple(name for name in TABLES if name != "articles" and name not in LINK_TABLES)


def _columns_of(table: str) -> tuple[Column, ...]:
    try:
        return TABLES[table]
    except KeyError:
        raise KeyError(f"unknown table {table!r}; tables are {', '.join(TABLES)}") from None


def frame(table: str, rows: Iterable[Mapping] = ()) -> pd.DataFrame:
    """Build a table from rows, with exactly the schema's columns and dtypes.

    Args:
        table: A name in :data:`TABLES`.
        rows: Dicts keyed by column name; missing keys become ``<NA>``, unknown
            keys raise ``KeyError`` (a misspelt column is a bug, not data).

    Returns:
        A DataFrame with the table's columns in schema order.

    Examples:
        >>> from newskit.schema import frame
        >>> frame("casualties", [{"group": "attacker", "count": 3, "outcome": "killed"}]).dtypes["count"]
        Int64Dtype()
    """
    columns = _columns_of(table)
    names = [c.name for c in columns]
    rows = list(rows)
    if not rows:
        return _empty(table).copy()
    allowed = set(names)
    for row in rows:
        if not allowed.issuperset(row):
            raise KeyError(f"{table}: unknown column(s) {sorted(set(row) - allowed)}")
    data = {c.name: _column([row.get(c.name) for row in rows], c.dtype) for c in columns}
    return pd.DataFrame(data, columns=names)


@functools.cache
def _empty(table: str) -> pd.DataFrame:
    """The table without rows, built once (callers get a copy)."""
    columns = _columns_of(table)
    return pd.DataFrame({c.name: _column([], c.dtype) for c in columns}, columns=[c.name for c in columns])


#: Python types a column of each dtype is built from directly, when every cell is one of them or None.
_PLAIN = {STRING: (str,), INT: (int,), FLOAT: (float, int), BOOL: (bool,)}


def _column(values: list, dtype: str):
    """One column of :func:`frame`: what ``conform`` gives for these values, without the DataFrame
    round trip when the cells are plain (str, small int, finite float, bool or None)."""
    plain = _PLAIN.get(dtype)
    if dtype == LIST:
        return pd.Series([_as_list(v) for v in values], dtype=object)
    if plain and _all_plain(values, dtype):
        return pd.array(values, dtype=dtype)
    # Anything else (dates, numpy scalars, mixed types) as pandas infers it, then cast.
    return _cast(pd.Series(values) if values else pd.Series([], dtype=object), dtype)


def _all_plain(values: list, dtype: str) -> bool:
    """Whether every cell is None or a plain value that pandas' float inference keeps exact (ints
    beside None become float64: only ints under 2**53 survive; NaN is not a plain float)."""
    types = set(map(type, values))
    types.discard(type(None))
    if not types <= set(_PLAIN[dtype]):
        return False
    if int in types:
        ints = [v for v in values if type(v) is int]
        if max(ints) >= 2**53 or min(ints) <= -(2**53):
            return False
    if float in types:
        return not any(v != v for v in values if type(v) is float)  # NaN
    return True


def conform(table: str, df: pd.DataFrame) -> pd.DataFrame:
    """Cast ``df`` to the schema of ``table`` (adding missing columns as ``<NA>``).

    Columns not in the schema are kept, after the schema's columns.
    """
    columns = _columns_of(table)
    if list(df.columns) == [c.name for c in columns] and all(
        c.dtype == LIST or _has_dtype(df[c.name], c.dtype) for c in columns
    ):
        # Already conformed (tables are conformed again at each step): only the lists are rebuilt.
        result = df.reset_index(drop=True)
        for column in columns:
            if column.dtype == LIST:
                result[column.name] = _cast(result[column.name], LIST)
        return result
    out = {}
    n = len(df)
    for column in columns:
        values = df[column.name] if column.name in df.columns else pd.Series([None] * n, index=df.index)
        out[column.name] = _cast(values, column.dtype)
    extra = [c for c in df.columns if c not in out]
    result = pd.DataFrame(out, index=df.index)
    for name in extra:
        result[name] = df[name]
    return result.reset_index(drop=True)


def _cast(values: pd.Series, dtype: str) -> pd.Series:
    if _has_dtype(values, dtype):
        return values  # already cast (conform runs on every table several times per extraction)
    if not len(values):
        return pd.Series([], index=values.index, dtype=object if dtype == LIST else dtype)
    # Columns pandas inferred from rows: cast in one step (the same values as the object
    # round trip below, which costs a Python object per cell).
    if dtype == STRING and isinstance(values.dtype, pd.StringDtype):  # "str": NaN becomes <NA>
        return values.astype(dtype)
    if dtype in (INT, FLOAT) and values.dtype.kind in "iuf" and isinstance(values.dtype, np.dtype):
        return values.astype(dtype)
    if dtype in _PLAIN and values.dtype == object:  # rows read back as dicts: plain cells are built directly
        cells = values.tolist()
        if _all_plain(cells, dtype):
            return pd.Series(pd.array(cells, dtype=dtype), index=values.index)
    if dtype == LIST:
        # Built cell by cell: Series.map would re-infer an Arrow list dtype and hand back arrays.
        return pd.Series([_as_list(v) for v in values], index=values.index, dtype=object)
    if dtype == DATE:
        converted = pd.to_datetime(values, errors="raise", utc=False)
        if getattr(converted.dt, "tz", None) is not None:
            converted = converted.dt.tz_convert("UTC").dt.tz_localize(None)
        return converted.astype(DATE)
    if dtype == BOOL:  # a CSV store reads "True"/"False" back as text
        values = values.map(lambda v: {"true": True, "false": False}.get(v.lower(), v) if isinstance(v, str) else v)
    if dtype in (INT, FLOAT, BOOL):
        values = values.astype(object).where(values.notna(), None)
        return pd.array(values.tolist(), dtype=dtype) if len(values) else pd.Series([], dtype=dtype)
    return values.astype(object).where(values.notna(), None).astype(dtype)


def _has_dtype(values: pd.Series, dtype: str) -> bool:
    """Whether casting ``values`` to ``dtype`` would give them back unchanged (lists are always rebuilt)."""
    if dtype == LIST or values.dtype != _pandas_dtype(dtype, pd.get_option("mode.string_storage")):
        return False
    if dtype == STRING:  # "string" also equals the NaN-flavoured "str"; compare the NA value too
        return values.dtype.na_value is pd.NA
    if dtype == FLOAT:  # a NaN that is not <NA> would become <NA> when cast
        return not np.isnan(values.to_numpy(dtype="float64", na_value=0.0)).any()
    return True


@functools.cache
def _pandas_dtype(dtype: str, string_storage: str):
    return pd.api.types.pandas_dtype(dtype)


def _as_list(value) -> list:
    if type(value) is list:  # the common cell, first (what the general test below gives for it)
        return list(map(str, value))
    if value is None or (not isinstance(value, (list, tuple)) and not hasattr(value, "tolist") and pd.isna(value)):
        return []
    return list(map(str, value.tolist() if hasattr(value, "tolist") else value))


def describe(table: str) -> pd.DataFrame:
    """The schema of ``table`` as a DataFrame (column, dtype, meaning)."""
    return pd.DataFrame([c.__dict__ for c in _columns_of(table)]).rename(columns={"name": "column"})


def to_markdown() -> str:
    """Every table's schema as Markdown: the text of ``docs/schema.md``."""
    lines = [
        "# newskit tables",
        "",
        "Generated from `newskit/schema.py` by `python -m newskit.schema`; a test checks it is current.",
        "`<NA>`/`NaT` means *not reported*, never 0. Span offsets index the article's `text`.",
    ]
    for table, columns in TABLES.items():
        lines += ["", f"## `{table}`", "", "| column | dtype | meaning |", "|---|---|---|"]
        lines += [f"| `{c.name}` | {c.dtype if c.dtype != LIST else 'list of str'} | {c.meaning} |" for c in columns]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- Arrow conversion
# Here, beside the dtypes, so that the extraction loop (which hands Arrow tables to the
# store) and the store both read them from the bottom layer.


def _arrow_type(dtype: str):
    import pyarrow as pa

    return {
        STRING: pa.string(),
        INT: pa.int64(),
        FLOAT: pa.float64(),
        DATE: pa.timestamp("ns"),
        BOOL: pa.bool_(),
        LIST: pa.list_(pa.string()),
    }[dtype]


def arrow_schema(table: str):
    """The Arrow schema every Parquet file of ``table`` is written with (one per table, all chunks)."""
    import pyarrow as pa

    return pa.schema([pa.field(c.name, _arrow_type(c.dtype)) for c in _columns_of(table)])


def _pandas_types() -> dict:
    import pyarrow as pa

    return {
        pa.string(): pd.StringDtype(),
        pa.large_string(): pd.StringDtype(),
        pa.int64(): pd.Int64Dtype(),
        pa.float64(): pd.Float64Dtype(),
        pa.bool_(): pd.BooleanDtype(),
    }


def to_arrow(table: str, df: pd.DataFrame):
    """A schema-conformant DataFrame as a ``pyarrow.Table`` (extra columns kept with inferred types)."""
    import pyarrow as pa

    df = conform(table, df)
    target = arrow_schema(table)
    extras = [c for c in df.columns if c not in target.names]
    if extras:
        inferred = pa.Table.from_pandas(df[extras], preserve_index=False).schema
        target = pa.schema([*target, *(inferred.field(name) for name in extras)])
    return pa.Table.from_pandas(df, schema=target, preserve_index=False).replace_schema_metadata(None)


def to_frame(table: str, data) -> pd.DataFrame:
    """A ``pyarrow.Table`` as a DataFrame with exactly the schema's dtypes (lists as Python lists)."""
    df = data.to_pandas(types_mapper=_pandas_types().get, ignore_metadata=True)
    dtypes = {c.name: c.dtype for c in _columns_of(table)}
    for name in df.columns:
        dtype = dtypes.get(name)
        if dtype == LIST:
            df[name] = pd.Series([[] if v is None else v for v in data.column(name).to_pylist()], dtype=object)
        elif dtype is not None and str(df[name].dtype) != dtype:
            df[name] = df[name].astype(dtype)
    return df


if __name__ == "__main__":
    print(to_markdown(), end="")
