"""Reports: the notebooks' parameters, loading and safe display, and ``newskit report``.

The report notebooks (``notebooks/article.ipynb``, ``timeline.ipynb``,
``compare.ipynb``) stay short: they call :func:`validate_parameters` and
:func:`load_facts`, draw with :mod:`newskit.plots`, and show tables with
:func:`show_table`. :func:`run_report` extracts once into a facts store, runs the
notebooks headless with papermill and renders them as self-contained HTML.

Article text is untrusted: everything shown from it goes through
:func:`html.escape` (tables, metadata) or into PNG images (charts), and the HTML
export sanitizes outputs as a second line of defence, so a ``<script>`` inside an
article shows as text and never runs.

Examples:
    >>> from newskit.report import validate_parameters
    >>> validate_parameters(start="2023-01-01", end="2022-01-01")
    Traceback (most recent call last):
    ...
    newskit.errors.ParameterError: parameter start='2023-01-01': is after end='2022-01-01'; swap them
"""

from __future__ import annotations

import base64
import concurrent.futures
import datetime as dt
import difflib
import glob
import html
import io
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .errors import NotebookError, ParameterError
from .facts import Facts
from .plots import EVENT_KINDS, GROUP_BY

__all__ = [
    "MANIFEST",
    "NOTEBOOKS",
    "NOTEBOOK_PARAMETERS",
    "article_card",
    "evidence",
    "is_store",
    "load_facts",
    "notebook_parameters",
    "notebooks_dir",
    "render_html",
    "resolve_entities",
    "run_report",
    "select_article",
    "show_figure",
    "show_html",
    "show_message",
    "show_table",
    "subset",
    "validate_parameters",
]

#: The report notebooks, in the order ``newskit report`` runs them.
NOTEBOOKS: tuple[str, ...] = ("article", "timeline", "compare")
#: Every report notebook's parameters: name → (type, default, meaning). The notebooks' tagged
#: ``parameters`` cells declare exactly these (``papermill --help-notebook`` prints them; a test checks).
NOTEBOOK_PARAMETERS: dict[str, dict[str, tuple[str, object, str]]] = {
    "article": {
        "input": (
            "str",
            "../data/demo",
            "article file or folder, or a facts store directory (one holding manifest.json)",
        ),
        "article": (
            "str",
            "",
            "article id (or its first characters), file name or exact title; empty for the first article",
        ),
        "interactive": ("bool", True, "ipywidgets explorers in JupyterLab; `newskit report` runs with False"),
    },
    "timeline": {
        "input": (
            "str",
            "../data/demo",
            "article file or folder, or a facts store directory (one holding manifest.json)",
        ),
        "start": ("str", "", "earliest date shown, YYYY-MM-DD, or empty for no bound"),
        "end": ("str", "", "latest date shown (inclusive), YYYY-MM-DD, or empty for no bound"),
        "entities": ("list", [], "entity names to follow, one lane each; empty for every event"),
        "kinds": ("list", [], "event kinds: " + ", ".join(EVENT_KINDS) + "; empty for all"),
        "interactive": ("bool", True, "ipywidgets explorers in JupyterLab; `newskit report` runs with False"),
    },
    "compare": {
        "input": (
            "str",
            "../data/demo",
            "article file or folder, or a facts store directory (one holding manifest.json)",
        ),
        "group_by": ("str", "source", "compare by: " + " | ".join(GROUP_BY)),
        "entities": (
            "list",
            [],
            "entity names for the mentions heatmap and the speakers chart; empty for the most mentioned",
        ),
        "interactive": ("bool", True, "ipywidgets explorers in JupyterLab; `newskit report` runs with False"),
    },
}
#: The file that marks a directory as a facts store (written by :mod:`newskit.store`).
MANIFEST = "manifest.json"
#: Kernel the notebooks run in: the ipykernel kernelspec; jupyter_client starts it with the
#: interpreter running papermill (its argv[0] ``python`` is replaced by ``sys.executable``).
KERNEL = "python3"

_REPO_NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
_PACKAGED_NOTEBOOKS = Path(__file__).resolve().parent / "notebooks"


# ---------------------------------------------------------------------------- parameters


def notebooks_dir() -> Path:
    """Where the report notebooks are: ``notebooks/`` of a checkout, else the installed copy."""
    for candidate in (_REPO_NOTEBOOKS, _PACKAGED_NOTEBOOKS):
        if (candidate / "timeline.ipynb").is_file():
            return candidate
    raise FileNotFoundError(f"report notebooks not found in {_REPO_NOTEBOOKS} or {_PACKAGED_NOTEBOOKS}")


def is_store(path) -> bool:
    """True when ``path`` is a facts store directory (it holds ``manifest.json``)."""
    path = Path(path)
    return path.is_dir() and (path / MANIFEST).is_file()


def _date(name: str, value) -> pd.Timestamp | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError, OverflowError):
        ts = None
    if ts is None or pd.isna(ts):
        raise ParameterError(name, value, "is not a date", fix="use YYYY-MM-DD, or leave it empty for no bound")
    if ts.tzinfo is not None:
        ts = ts.tz_convert("UTC").tz_localize(None)
    return ts


def _names(name: str, value) -> list[str]:
    """A list parameter given as a list, a comma-separated string, or None."""
    if value is None:
        return []
    if isinstance(value, str):
        value = value.strip()
        if value.startswith("["):
            try:
                value = json.loads(value)
            except json.JSONDecodeError as exc:
                raise ParameterError(name, value, "is not a list", fix='write ["a", "b"] or a,b') from exc
        else:
            value = value.split(",")
    if not isinstance(value, (list, tuple)):
        raise ParameterError(name, value, "must be a list of names", fix='write ["a", "b"] or a,b')
    return [str(v).strip() for v in value if str(v).strip()]


def validate_parameters(
    *,
    input=None,
    article=None,
    start=None,
    end=None,
    entities=None,
    kinds=None,
    group_by=None,
    interactive=None,
) -> dict:
    """Check and normalise notebook parameters; the first bad one raises, naming it.

    Only the parameters given are checked. Checks that need the facts (an unknown
    entity, an article that is not in the input) are in :func:`resolve_entities`
    and :func:`select_article`.

    Args:
        input: An article file, folder or glob, or a facts store directory; must exist.
        article: An article id (or its first characters), path or title; kept as text.
        start: Earliest date (YYYY-MM-DD) or empty for no bound.
        end: Latest date (inclusive) or empty for no bound.
        entities: Entity names, as a list or a comma-separated string.
        kinds: Event kinds (see :data:`newskit.plots.EVENT_KINDS`).
        group_by: ``source``, ``article`` or ``month``.
        interactive: Whether to show ipywidgets explorers.

    Returns:
        The given parameters, normalised: ``input`` a resolved Path, dates as
        Timestamps or None, ``entities``/``kinds`` lists of str.

    Raises:
        ParameterError: One line naming the bad parameter and how to fix it.
    """
    out: dict = {}
    if input is not None:
        if not str(input).strip():
            raise ParameterError("input", input, "is empty", fix="give an article file or folder, or a facts store")
        path = Path(input).expanduser()
        if path.exists():
            out["input"] = path.resolve()
        elif glob.has_magic(str(input)) and glob.glob(str(path), recursive=True):
            out["input"] = path  # a glob of article files, read as such
        else:
            raise ParameterError(
                "input", str(input), "does not exist", fix="give an article file, folder or glob, or a facts store"
            )
    if article is not None:
        out["article"] = str(article).strip()
    if start is not None or end is not None:
        out["start"], out["end"] = _date("start", start), _date("end", end)
        if out["start"] is not None and out["end"] is not None and out["start"] > out["end"]:
            raise ParameterError("start", str(start), f"is after end={str(end)!r}", fix="swap them")
    if entities is not None:
        out["entities"] = _names("entities", entities)
    if kinds is not None:
        out["kinds"] = _names("kinds", kinds)
        unknown = [k for k in out["kinds"] if k not in EVENT_KINDS]
        if unknown:
            raise ParameterError("kinds", kinds, f"unknown kind(s) {unknown}", fix=f"use {', '.join(EVENT_KINDS)}")
    if group_by is not None:
        if group_by not in GROUP_BY:
            raise ParameterError("group_by", group_by, "is not a grouping", fix=f"use {' | '.join(GROUP_BY)}")
        out["group_by"] = group_by
    if interactive is not None:
        if isinstance(interactive, str):
            interactive = interactive.strip().lower() in {"1", "true", "yes", "on"}
        out["interactive"] = bool(interactive)
    return out


# ---------------------------------------------------------------------------- loading


def load_facts(input, *, progress: bool = False) -> Facts:
    """The facts of ``input``: read from a store, or read the articles and extract them.

    A directory holding ``manifest.json`` is a facts store and is read without
    touching any text; anything else is read with :func:`newskit.readers.read_articles`
    and extracted.

    Raises:
        ParameterError: ``input`` does not exist or holds no articles.
    """
    path = validate_parameters(input=input)["input"]
    if is_store(path):
        from .store import read_facts

        facts = read_facts(path)
    else:
        from .extract import extract
        from .readers import read_articles

        facts = extract(read_articles(path), progress=progress)
    if facts.articles.empty:
        raise ParameterError("input", str(input), "holds no articles", fix="point it at articles or a non-empty store")
    return facts


def resolve_entities(facts: Facts, entities: Sequence[str]) -> list[str]:
    """Canonical names of the entities asked for, matched on name, alias or id (any case).

    Raises:
        ParameterError: An entity that is not in the facts (with the closest names as a hint).
    """
    if not entities:
        return []
    lookup: dict[str, str] = {}
    table = facts.entities
    for entity_id, name, aliases in zip(table["entity_id"], table["name"], table["aliases"], strict=True):
        if not isinstance(name, str):
            continue
        for key in [name, entity_id, *(aliases if isinstance(aliases, (list, tuple)) else [])]:
            if isinstance(key, str):
                lookup.setdefault(key.casefold(), name)
    # Events name actors and places even when an entities table is missing or partial.
    for names in list(facts.events["actors"]) + list(facts.events["places"]):
        for name in names if isinstance(names, (list, tuple)) else []:
            lookup.setdefault(str(name).casefold(), str(name))
    resolved = []
    for wanted in entities:
        name = lookup.get(wanted.casefold())
        if name is None:
            close = difflib.get_close_matches(wanted.casefold(), list(lookup), n=3)
            hint = (
                f"did you mean {', '.join(repr(lookup[c]) for c in close)}?"
                if close
                else "no entity of that name was found"
            )
            raise ParameterError("entities", wanted, "is not an entity of the input", fix=hint)
        if name not in resolved:
            resolved.append(name)
    return resolved


def subset(facts: Facts, article_ids) -> Facts:
    """The facts of some articles only (``entities`` recounted over them)."""
    ids = set(article_ids)
    frames = {name: df[df["article_id"].isin(ids)] for name, df in facts.tables().items() if "article_id" in df.columns}
    mentions = frames["mentions"]
    entities = facts.entities[facts.entities["entity_id"].isin(set(mentions["entity_id"].dropna()))].copy()
    if len(entities):
        per = mentions.groupby("entity_id")
        entities["n_mentions"] = entities["entity_id"].map(per.size()).astype("Int64")
        entities["n_articles"] = entities["entity_id"].map(per["article_id"].nunique()).astype("Int64")
    frames["entities"] = entities
    return Facts.from_frames(frames)


def select_article(facts: Facts, article=None) -> Facts:
    """The facts of one article, chosen by id (or a unique prefix of it), path or exact title.

    An empty ``article`` selects the first article.

    Raises:
        ParameterError: No article, or several, match.
    """
    arts = facts.articles
    if arts.empty:
        raise ParameterError("input", "", "holds no articles", fix="point it at articles or a non-empty store")
    article = (article or "").strip()
    if not article:
        return subset(facts, [arts["article_id"].iloc[0]])
    ids = arts["article_id"].astype(str)
    paths = [
        [str(p) for p in (ps if isinstance(ps, (list, tuple)) else [])] + [str(p)]
        for p, ps in zip(arts["path"], arts["paths"], strict=True)
    ]
    candidates = [
        ids == article,
        pd.Series(
            [
                any(p == article or Path(p.split(":")[0]).name == article or p.endswith(article) for p in ps)
                for ps in paths
            ],
            index=arts.index,
        ),
        arts["title"].astype(str).str.strip() == article,
        ids.str.startswith(article),
    ]
    for mask in candidates:
        mask = mask.fillna(False).astype(bool)
        if mask.sum() == 1:
            return subset(facts, list(ids[mask]))
        if mask.sum() > 1:
            raise ParameterError(
                "article", article, f"matches {int(mask.sum())} articles", fix="give more of the article id"
            )
    raise ParameterError("article", article, "is not an article of the input", fix="give an article id, path or title")


def evidence(facts: Facts, rows: str | pd.DataFrame, *, context: int = 240) -> pd.DataFrame:
    """Rows of a table with an ``evidence`` column: the sentence around each row's span.

    The sentence is cut from the article text at the nearest sentence end
    (``.``, ``!``, ``?`` followed by a space, or a newline) within ``context``
    characters either side of ``[start, end)``.

    Args:
        facts: The facts (their ``articles`` hold the text).
        rows: A table name (``"quantities"``) or rows of a table with ``article_id``,
            ``start`` and ``end``.
        context: How far to look for the sentence ends.
    """
    df = (getattr(facts, rows) if isinstance(rows, str) else rows).copy()
    texts = dict(zip(facts.articles["article_id"], facts.articles["text"], strict=True))
    out = []
    for article_id, start, end in zip(df["article_id"], df["start"], df["end"], strict=True):
        text = texts.get(article_id)
        if not isinstance(text, str) or pd.isna(start) or pd.isna(end):
            out.append(None)
            continue
        start, end = int(start), int(end)
        lo = max(0, start - context)
        head = text[lo:start]
        cut = max((m.end() for m in re.finditer(r"[.!?][\"'”’)]?\s|\n", head)), default=None)
        left = lo + cut if cut is not None else lo
        tail = text[end : end + context]
        found = re.search(r"[.!?][\"'”’)]?(?=\s|$)|\n", tail)
        right = end + found.end() if found else min(len(text), end + context)
        snippet = " ".join(text[left:right].split())
        out.append(
            ("…" if left > 0 and cut is None else "") + snippet + ("…" if found is None and right < len(text) else "")
        )
    df["evidence"] = pd.array(out, dtype="string")
    return df


# ---------------------------------------------------------------------------- display


def _cell(value, limit: int) -> str:
    if isinstance(value, (list, tuple)):
        value = ", ".join(str(v) for v in value)
    elif value is None or (not isinstance(value, str) and pd.api.types.is_scalar(value) and pd.isna(value)):
        return "—"
    elif isinstance(value, pd.Timestamp):
        value = value.strftime("%Y-%m-%d") if value == value.normalize() else value.strftime("%Y-%m-%d %H:%M")
    elif isinstance(value, float):
        value = f"{value:,.4g}"
    text = " ".join(str(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# Text reads best left-aligned (JupyterLab right-aligns table cells for numbers); short cells
# such as dates stay on one line. These constant styles are the only ones the sanitizer keeps.
_LEFT = "text-align: left; vertical-align: top;"
_NOWRAP = " white-space: nowrap;"
_SHORT = 16


def table_html(
    df: pd.DataFrame,
    *,
    columns: Sequence[str] | None = None,
    max_rows: int = 30,
    max_chars: int = 160,
    empty: str = "no rows",
) -> str:
    """An HTML table of ``df`` with every cell escaped (article text is untrusted)."""
    if columns is not None:
        df = df[[c for c in columns if c in df.columns]]
    if df.empty:
        return f'<p class="nk-empty"><em>{html.escape(empty)}</em></p>'
    shown = df.head(max_rows)
    head = "".join(f'<th style="{_LEFT}">{html.escape(str(c))}</th>' for c in shown.columns)

    def td(value) -> str:
        text = _cell(value, max_chars)
        style = _LEFT + (_NOWRAP if len(text) <= _SHORT else "")
        return f'<td style="{style}">{html.escape(text)}</td>'

    body = "".join("<tr>" + "".join(td(v) for v in row) + "</tr>" for row in shown.itertuples(index=False, name=None))
    note = f"<p><em>showing {max_rows} of {len(df)} rows</em></p>" if len(df) > max_rows else ""
    return f'<table class="dataframe nk-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>{note}'


def _display(obj) -> None:
    from IPython.display import display

    display(obj)


def show_html(markup: str) -> None:
    """Display HTML the caller built from escaped parts."""
    from IPython.display import HTML

    _display(HTML(markup))


def show_table(
    df: pd.DataFrame,
    *,
    columns: Sequence[str] | None = None,
    max_rows: int = 30,
    max_chars: int = 160,
    empty: str = "no rows",
) -> None:
    """Display ``df`` as an escaped HTML table (at most ``max_rows`` rows, long cells cut)."""
    show_html(table_html(df, columns=columns, max_rows=max_rows, max_chars=max_chars, empty=empty))


def show_message(message: str) -> None:
    """Display a short escaped note (e.g. "no events found")."""
    show_html(f'<p class="nk-note"><em>{html.escape(message)}</em></p>')


def figure_png(fig, *, dpi: int = 100) -> bytes:
    """The figure as PNG bytes."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def show_figure(fig, name: str) -> None:
    """Display a figure as a PNG tagged ``name``; :func:`run_report` saves it as ``figures/<notebook>-<name>.png``.

    The output's metadata also carries :func:`newskit.plots.figure_summary` (title,
    axis labels, number of points and bars), so an executed notebook can be checked
    by what its charts show.
    """
    from IPython.display import Image

    from .plots import figure_summary

    metadata = {"newskit_figure": name, **figure_summary(fig)}
    _display(Image(data=figure_png(fig), format="png", metadata=metadata))


def article_card(article: Mapping) -> str:
    """Escaped HTML of one article's metadata and tone."""

    def row(label, value):
        return f"<tr><th>{html.escape(label)}</th><td>{html.escape(_cell(value, 200))}</td></tr>"

    tone = article.get("tone")
    tone_text = "—" if tone is None or pd.isna(tone) else f"{float(tone):+.2f} ({article.get('tone_label') or '—'})"
    parts = [
        row("title", article.get("title")),
        row("published", article.get("published")),
        row("source", article.get("source")),
        row("author", article.get("author")),
        row("url", article.get("url")),
        row("path", article.get("path")),
        row("id", article.get("article_id")),
        row("words", article.get("n_words")),
        f"<tr><th>tone</th><td>{html.escape(tone_text)}</td></tr>",
    ]
    return '<table class="nk-card">' + "".join(parts) + "</table>"


# ---------------------------------------------------------------------------- running


def notebook_parameters(name_or_path) -> dict[str, dict]:
    """The parameters a report notebook declares (papermill's inspection: name → type, default, help)."""
    import papermill

    path = Path(name_or_path)
    if not path.suffix:
        path = notebooks_dir() / f"{name_or_path}.ipynb"
    return papermill.inspect_notebook(str(path))


def _coerce(name: str, value, declared: dict):
    """A ``-p NAME VALUE`` string as the type the notebook declares."""
    if not isinstance(value, str):
        return value
    kind = (declared.get("inferred_type_name") or "").lower()
    if "list" in kind:
        return _names(name, value)
    if "bool" in kind:
        return value.strip().lower() in {"1", "true", "yes", "on"}
    if kind.startswith("int"):
        try:
            return int(value)
        except ValueError as exc:
            raise ParameterError(name, value, "is not an integer") from exc
    return value


def format_out(out) -> Path:
    """``out`` with ``{date}`` (YYYY-MM-DD) and ``{time}`` (HHMMSS, UTC) filled in."""
    now = dt.datetime.now(dt.UTC)
    return Path(str(out).replace("{date}", now.strftime("%Y-%m-%d")).replace("{time}", now.strftime("%H%M%S")))


def _extract_store(input_path: Path, store: Path, *, progress: bool) -> Path:
    """Extract ``input_path`` into the store ``store`` (reusing what it already holds)."""
    try:
        from .store import extract_to_store
    except ImportError:
        extract_to_store = None
    if extract_to_store is not None:
        extract_to_store([input_path], store, progress=progress)
        return store
    from .extract import extract
    from .readers import read_articles

    extract(read_articles(input_path), progress=progress).to_parquet(store)
    return store


@dataclass
class _Run:
    name: str
    notebook: Path
    html: Path | None = None
    figures: list[Path] = field(default_factory=list)
    parameters: dict = field(default_factory=dict)
    seconds: float = 0.0
    error: NotebookError | None = None


def run_report(
    input,
    out,
    *,
    notebooks: Sequence[str] | None = None,
    parameters: Mapping | None = None,
    with_code: bool = False,
    progress: bool = True,
) -> Path:
    """Extract once, run the report notebooks headless, and write them as HTML with an index.

    Writes into ``out``: ``facts/`` (the store, unless ``input`` already is one),
    ``<name>.ipynb`` (executed), ``<name>.html`` (self-contained: images embedded,
    code hidden unless ``with_code``), ``figures/<name>-<figure>.png`` and
    ``index.html`` linking them with the run's parameters and time.

    Args:
        input: Article file or folder, or a facts store directory.
        out: Output directory; ``{date}`` and ``{time}`` are filled in.
        notebooks: Names among :data:`NOTEBOOKS` (default: all).
        parameters: Notebook parameters (``-p NAME VALUE``); each goes to the notebooks
            that declare it, strings are converted to the declared type.
        with_code: Show the code cells in the HTML.
        progress: Show a progress bar of the steps.

    Returns:
        The output directory (with the placeholders filled in).

    Raises:
        ParameterError: A bad parameter or notebook name (before anything runs).
        NotebookError: A notebook failed; raised after every notebook ran and the
            partial notebook, its HTML and the index were written.
    """
    from tqdm.auto import tqdm

    started = dt.datetime.now(dt.UTC)
    input_path = validate_parameters(input=input)["input"]
    names = list(notebooks or NOTEBOOKS)
    unknown = [n for n in names if n not in NOTEBOOKS]
    if unknown:
        raise ParameterError("notebooks", ",".join(unknown), "unknown notebook", fix=f"use {', '.join(NOTEBOOKS)}")
    source_dir = notebooks_dir()
    declared = {name: notebook_parameters(source_dir / f"{name}.ipynb") for name in names}
    parameters = dict(parameters or {})
    for key in ("input", "interactive"):
        if key in parameters:
            raise ParameterError(
                key, parameters[key], "is set by newskit report", fix="give INPUT as the first argument"
            )
    everywhere = set().union(*(set(d) for d in declared.values()))
    stray = sorted(set(parameters) - everywhere)
    if stray:
        raise ParameterError(
            stray[0],
            parameters[stray[0]],
            "is not a parameter of the notebooks run",
            fix=f"use {', '.join(sorted(everywhere - {'input', 'interactive'}))}",
        )
    per_notebook = {
        name: {
            key: _coerce(key, value, declared[name][key]) for key, value in parameters.items() if key in declared[name]
        }
        for name in names
    }
    for values in per_notebook.values():  # fail before any work
        validate_parameters(
            **{k: v for k, v in values.items() if k in {"start", "end", "entities", "kinds", "group_by"}}
        )
    out = format_out(out).resolve()
    (out / "figures").mkdir(parents=True, exist_ok=True)

    bar = tqdm(total=1 + 2 * len(names) + 1, desc="report", unit="step", disable=not progress)
    runs = [
        _Run(
            name=name,
            notebook=out / f"{name}.ipynb",
            parameters={**per_notebook[name], "input": "", "interactive": False},
        )
        for name in names
    ]
    try:
        bar.set_postfix_str("extract")
        store = input_path if is_store(input_path) else _extract_store(input_path, out / "facts", progress=False)
        bar.update()
        for run in runs:
            run.parameters["input"] = str(store)
        bar.set_postfix_str("run " + ", ".join(names))
        # Each notebook runs in its own papermill process and kernel; they only read the store,
        # so they run side by side (kernel start-up and imports dominate a small report).
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, min(len(runs), os.cpu_count() or 1))) as pool:
            pending = {pool.submit(_execute, source_dir / f"{run.name}.ipynb", run, cwd=out): run for run in runs}
            for future in concurrent.futures.as_completed(pending):
                run = pending[future]
                future.result()
                bar.update()
                bar.set_postfix_str(f"html {run.name}")
                if run.notebook.is_file():
                    run.html = render_html(run.notebook, out / f"{run.name}.html", with_code=with_code)
                    run.figures = _save_figures(run.notebook, out / "figures", run.name)
                bar.update()
        bar.set_postfix_str("index")
        _write_index(out, input_path, store, runs, started)
        bar.update()
    finally:
        bar.close()
    for run in runs:
        if run.error is not None:
            raise run.error
    return out


def _execute(source: Path, run: _Run, *, cwd: Path) -> None:
    """Run one notebook with papermill in a child process of this interpreter; set ``run.error`` if it fails.

    A child process keeps the kernels of notebooks run side by side apart and keeps the
    kernel's own log lines off the progress bar. ``sys.executable -m papermill`` runs
    the papermill of this environment, whose ``python3`` kernel is this interpreter.
    """
    t0 = time.perf_counter()
    command = [
        sys.executable, "-m", "papermill", str(source), str(run.notebook), "-y", json.dumps(run.parameters),
        "-k", KERNEL, "--cwd", str(cwd), "--no-progress-bar", "--no-log-output",
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    run.seconds = time.perf_counter() - t0
    if result.returncode != 0:
        run.error = _notebook_error(run.notebook, result.stderr)


def _notebook_error(notebook: Path, stderr: str) -> NotebookError:
    """The first failing cell of an executed notebook (index as in the source notebook plus
    papermill's injected-parameters cell), or the last line papermill printed."""
    import nbformat

    if notebook.is_file():
        nb = nbformat.read(notebook, as_version=4)
        cells = [c for c in nb.cells if "papermill-error-cell-tag" not in c.metadata.get("tags", [])]
        for index, cell in enumerate(cells):
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    return NotebookError(
                        notebook, index, " ".join(f"{output.get('ename')}: {output.get('evalue')}".split())
                    )
    lines = [line for line in stderr.strip().splitlines() if line.strip()]
    return NotebookError(notebook, None, lines[-1].strip() if lines else "papermill failed")


def _figure_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-")[:60] or "figure"


def _save_figures(notebook: Path, directory: Path, prefix: str) -> list[Path]:
    import nbformat

    nb = nbformat.read(notebook, as_version=4)
    for stale in directory.glob(f"{_figure_name(prefix)}-*.png"):  # from an earlier run into the same folder
        stale.unlink()
    saved, seen = [], {}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "image/png" not in data:
                continue
            name = _figure_name(str(output.get("metadata", {}).get("image/png", {}).get("newskit_figure") or "figure"))
            seen[name] = seen.get(name, 0) + 1
            stem = name if seen[name] == 1 else f"{name}-{seen[name]}"
            path = directory / f"{_figure_name(prefix)}-{stem}.png"
            path.write_bytes(base64.b64decode(data["image/png"]))
            saved.append(path)
    return saved


#: The HTML template: nbconvert's ``lab`` page without its scripts (require.js, MathJax, mermaid,
#: widgets), under a Content-Security-Policy that forbids every script, so that nothing in an
#: article can run even if it slipped past escaping and sanitizing. MathJax is dropped too
#: because it would typeset article text between dollar signs as maths.
_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js -%}
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'none'">
{%- endblock html_head_js -%}
{% block jupyter_widgets %}{% endblock jupyter_widgets %}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
"""

#: Tags and attributes kept in Markdown and HTML outputs (the notebooks' own prose and the
#: escaped tables); everything else is escaped by bleach, ``javascript:`` links are dropped.
_ALLOWED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "code",
        "div",
        "em",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "li",
        "ol",
        "p",
        "pre",
        "span",
        "strong",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
    }
)
_ALLOWED_ATTRIBUTES = {
    "*": ["class", "id"],
    "a": ["href", "title", "class", "id"],
    "td": ["class", "style"],
    "th": ["class", "style"],
}
_ALLOWED_CSS = ("text-align", "vertical-align", "white-space")


def _clean_html(element) -> str:
    import bleach
    from bleach.css_sanitizer import CSSSanitizer

    text = element.decode() if isinstance(element, bytes) else str(element)
    return bleach.clean(
        text,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        protocols={"http", "https", "mailto"},
        css_sanitizer=CSSSanitizer(allowed_css_properties=_ALLOWED_CSS),
    )


def render_html(notebook, html_path, *, with_code: bool = False) -> Path:
    """Write an executed notebook as one self-contained HTML file.

    Images are embedded as data URIs (the file can be mailed), code and prompts
    are hidden unless ``with_code``, stderr output (warnings) is dropped, every
    Markdown and HTML output is sanitized, and the page forbids scripts (see
    :data:`_TEMPLATE`), so no active content from an article reaches a reader.
    """
    import nbformat
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    nb = nbformat.read(str(notebook), as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [
                o
                for o in cell.get("outputs", [])
                if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
            ]
    nb.metadata.pop("widgets", None)
    exporter = HTMLExporter(
        extra_loaders=[DictLoader({"newskit_report.html.j2": _TEMPLATE})],
        template_file="newskit_report.html.j2",
        exclude_input=not with_code,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        sanitize_html=True,
        embed_images=True,
        filters={"clean_html": _clean_html},
    )
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": f"newskit {Path(notebook).stem} report"}})
    path = Path(html_path)
    path.write_text(body, encoding="utf-8")
    return path


_INDEX_STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; color: #222; }
table { border-collapse: collapse; margin: 1rem 0; } th, td { border: 1px solid #ccc; padding: .3rem .6rem; text-align: left; }
.failed { color: #b00; } img { max-width: 18rem; border: 1px solid #ddd; margin: .2rem; }
"""


def _write_index(out: Path, input_path: Path, store: Path, runs: list[_Run], started: dt.datetime) -> Path:
    esc = html.escape
    finished = dt.datetime.now(dt.UTC)

    def link(path: Path | None) -> str:
        if path is None:
            return "—"
        rel = path.relative_to(out).as_posix()
        return f'<a href="{esc(rel, quote=True)}">{esc(rel)}</a>'

    rows = []
    for run in runs:
        status = "ok" if run.error is None else f'<span class="failed">{esc(str(run.error))}</span>'
        params = "<br>".join(f"{esc(k)} = {esc(repr(v))}" for k, v in sorted(run.parameters.items()))
        rows.append(
            f"<tr><td>{esc(run.name)}</td><td>{link(run.html)}</td><td>{link(run.notebook if run.notebook.is_file() else None)}</td>"
            f"<td>{run.seconds:.1f} s</td><td>{status}</td><td>{params}</td></tr>"
        )
    figures = "".join(
        f'<a href="{esc(p.relative_to(out).as_posix(), quote=True)}"><img src="{esc(p.relative_to(out).as_posix(), quote=True)}" alt="{esc(p.stem, quote=True)}"></a>'
        for run in runs
        for p in run.figures
    )
    from ._version import __version__

    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>newskit report</title><style>{_INDEX_STYLE}</style></head>
<body>
<h1>newskit report</h1>
<table>
<tr><th>input</th><td>{esc(str(input_path))}</td></tr>
<tr><th>facts store</th><td>{esc(str(store))}</td></tr>
<tr><th>started (UTC)</th><td>{esc(started.strftime("%Y-%m-%d %H:%M:%S"))}</td></tr>
<tr><th>finished (UTC)</th><td>{esc(finished.strftime("%Y-%m-%d %H:%M:%S"))}</td></tr>
<tr><th>newskit</th><td>{esc(__version__)} (Python {esc(sys.version.split()[0])})</td></tr>
</table>
<h2>Notebooks</h2>
<table><tr><th>notebook</th><th>report</th><th>executed notebook</th><th>time</th><th>status</th><th>parameters</th></tr>
{"".join(rows)}
</table>
<h2>Figures</h2>
<p>{figures or "<em>no figures</em>"}</p>
</body></html>
"""
    path = out / "index.html"
    path.write_text(page, encoding="utf-8")
    return path
