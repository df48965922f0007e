"""``newskit report``: extract into a persistent store, run the notebooks headless, write HTML and report.json.

A run (:func:`run_report`) does, in order:

1. checks every parameter, the notebook names and the output folder (nothing is
   written when one is bad; an existing non-empty ``--out`` is refused unless
   ``overwrite``);
2. extracts the input into ONE facts store that later runs reuse (``store``, by
   default :func:`default_store`: ``<parent of out>/.newskit-store/<input>-<hash>``),
   so a nightly ``--out reports/{date}`` only extracts what changed; report folders
   and stores inside the input are never read as articles;
3. runs each notebook with papermill (side by side, one kernel each) into a
   hidden work folder next to ``out``;
4. renders HTML pages, saves the figures, writes ``report.json`` (what every figure
   shows) and ``index.html``, then moves the work folder to ``out`` in one rename.

Which notebooks: :data:`NOTEBOOKS`, i.e. ``article``, ``timeline``, ``compare`` and,
when ``notebooks/story.ipynb`` exists, ``story``: rendered ONCE, for the story its
``story`` parameter names (``-p story WORDS``; by default the notebook's own
choice, the top story), which keeps a report's cost independent of the number of
stories.
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import NotebookError, ParameterError
from .export import extract_figures, render_html, write_index
from .params import MANIFEST, is_store, names, validate_parameters

__all__ = [
    "ERROR_MODES",
    "KERNEL",
    "NOTEBOOKS",
    "REPORT_MARKER",
    "available_notebooks",
    "default_store",
    "format_out",
    "notebook_parameters",
    "notebooks_dir",
    "report_inputs",
    "run_report",
]

#: Kernel the notebooks run in: the ipykernel kernelspec; jupyter_client starts it with the
#: interpreter running papermill (its argv[0] ``python`` is replaced by ``sys.executable``).
KERNEL = "python3"
#: What a bad input does during the report's extraction (as for ``newskit extract``).
ERROR_MODES: tuple[str, ...] = ("raise", "warn", "skip")
#: A hidden file in every report folder: the runner never reads a folder holding it as input.
REPORT_MARKER = ".newskit-report"
#: The report notebooks run by default, in order; ``story`` only when its notebook is there.
CORE_NOTEBOOKS: tuple[str, ...] = ("article", "timeline", "compare")
OPTIONAL_NOTEBOOKS: tuple[str, ...] = ("story",)

_REPO_NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
_PACKAGED_NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def notebooks_dir() -> Path:
    """Where the report notebooks are: ``notebooks/`` of a checkout, else the installed copy."""
    for candidate in (_REPO_NOTEBOOKS, _PACKAGED_NOTEBOOKS):
        if (candidate / "timeline.ipynb").is_file():
            return candidate
    raise FileNotFoundError(f"report notebooks not found in {_REPO_NOTEBOOKS} or {_PACKAGED_NOTEBOOKS}")


def available_notebooks(directory=None) -> tuple[str, ...]:
    """The report notebooks found in ``directory`` (default :func:`notebooks_dir`), in run order."""
    try:
        directory = Path(directory) if directory is not None else notebooks_dir()
    except FileNotFoundError:
        return CORE_NOTEBOOKS
    optional = tuple(n for n in OPTIONAL_NOTEBOOKS if (directory / f"{n}.ipynb").is_file())
    return CORE_NOTEBOOKS + optional


#: The report notebooks, in the order ``newskit report`` runs them.
NOTEBOOKS: tuple[str, ...] = available_notebooks()


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
        return names(name, value)
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


def default_store(input_path, out) -> Path:
    """The facts store a report of ``input_path`` reuses when none is given.

    ``<parent of out>/.newskit-store/<input name>-<8 hex digits of its absolute path>``:
    next to the dated report folders (``reports/{date}`` → ``reports/.newskit-store/…``),
    one per input, hidden so that no reader takes it for articles.
    """
    input_path = Path(input_path)
    key = hashlib.sha256(str(input_path.absolute()).encode("utf-8")).hexdigest()[:8]
    stem = "".join(c if c.isalnum() or c in "-_" else "-" for c in input_path.name)[:40] or "input"
    return Path(out).absolute().parent / ".newskit-store" / f"{stem}-{key}"


def _skip_dir(path: Path) -> bool:
    return (path / REPORT_MARKER).is_file() or (path / MANIFEST).is_file()


def report_inputs(input_path, *, exclude: Sequence = ()) -> list[Path]:
    """What to read from ``input_path``: itself, or, when report folders or stores lie inside it, the rest.

    Folders holding :data:`REPORT_MARKER` (earlier reports) or ``manifest.json``
    (facts stores), and the folders in ``exclude``, are left out, so a report written
    inside its input is not read back as articles by the next run. Hidden entries
    and README files are left out as the readers leave them out of a folder.
    """
    root = Path(input_path)
    if not root.is_dir():
        return [root]
    excluded = {Path(p).absolute() for p in exclude}
    skips = set()
    for folder, dirs, _files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        here = Path(folder)
        for d in list(dirs):
            if (here / d).absolute() in excluded or _skip_dir(here / d):
                skips.add((here / d).absolute())
                dirs.remove(d)
    if not skips:
        return [root]
    return _around(root, skips)


def _around(folder: Path, skips: set[Path]) -> list[Path]:
    """``folder``'s files, then its sub-folders (as the readers' walk orders them), without ``skips``."""
    entries = sorted(p for p in folder.iterdir() if not p.name.startswith("."))
    files = [p for p in entries if not p.is_dir() and not p.name.upper().startswith("README")]
    kept = list(files)
    for sub in (p for p in entries if p.is_dir()):
        if sub.absolute() in skips:
            continue
        inner = any(s.is_relative_to(sub.absolute()) for s in skips)
        kept.extend(_around(sub, skips) if inner else [sub])
    return kept


@dataclass
class _Run:
    name: str
    source: Path
    work: Path
    parameters: dict = field(default_factory=dict)
    seconds: float = 0.0
    cell: int | None = None
    error: str | None = None
    figures: list = field(default_factory=list)


def _check_parameters(names_: Sequence[str], parameters: Mapping, source_dir: Path) -> dict[str, dict]:
    """Each notebook's parameters from ``-p`` values, typed and validated; raises on the first bad one."""
    declared = {name: notebook_parameters(source_dir / f"{name}.ipynb") for name in names_}
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
        for name in names_
    }
    checked = {"start", "end", "entities", "kinds", "group_by", "article", "story"}
    for values in per_notebook.values():  # fail before any work
        validate_parameters(**{k: v for k, v in values.items() if k in checked})
    return per_notebook


def _check_out(out: Path, *, overwrite: bool) -> None:
    if out.exists() and not out.is_dir():
        raise ParameterError("out", str(out), "is a file", fix="give a folder for the report")
    if out.is_dir() and any(out.iterdir()) and not overwrite:
        raise ParameterError(
            "out",
            str(out),
            "already exists and is not empty; a report is never overwritten silently",
            fix="pass --overwrite (overwrite=True) to replace it, or write elsewhere, e.g. --out reports/{date}-{time}",
        )


def _extract(inputs: list[Path], store: Path, *, errors: str) -> dict:
    """Extract into ``store`` (only what it does not hold yet); what was skipped or failed."""
    import warnings

    from ..store import extract_to_store

    with warnings.catch_warnings():  # warn mode lists the skipped items itself, once, at the end
        warnings.simplefilter("ignore")
        result = extract_to_store(inputs, store, errors="raise" if errors == "raise" else "skip", progress=False)
    failed = [
        {"path": f.get("path"), "where": f.get("article_id"), "problem": f.get("problem"), "fix": None}
        for f in result.failures
    ]
    return {"skipped": list(result.skipped) + failed, "extracted": result.articles_extracted}


#: Seconds papermill waits for a notebook's kernel to start (its default, 60, is not enough for
#: four kernels starting side by side on a busy 2-core machine: "Kernel didn't respond in 60 seconds").
KERNEL_START_SECONDS = 300


def _execute(run: _Run) -> None:
    """Run one notebook with papermill in a child process of this interpreter; record the failing cell.

    A child process keeps the kernels of notebooks run side by side apart and keeps the
    kernel's own log lines off the terminal. ``sys.executable -m papermill`` runs the
    papermill of this environment, whose ``python3`` kernel is this interpreter.
    """
    t0 = time.perf_counter()
    notebook = run.work / f"{run.name}.ipynb"
    command = [
        sys.executable, "-m", "papermill", str(run.source), str(notebook), "-y", json.dumps(run.parameters),
        "-k", KERNEL, "--cwd", str(run.work), "--no-progress-bar", "--no-log-output",
        "--start-timeout", str(KERNEL_START_SECONDS),
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    run.seconds = time.perf_counter() - t0
    if result.returncode != 0:
        run.cell, run.error = _failure(notebook, result.stderr)


def _failure(notebook: Path, stderr: str) -> tuple[int | None, str]:
    """The first failing cell of an executed notebook (index as in the source notebook plus
    papermill's injected-parameters cell) and its one-line error, or the last line papermill printed."""
    import nbformat

    if notebook.is_file():
        nb = nbformat.read(notebook, as_version=4)
        cells = [c for c in nb.cells if "papermill-error-cell-tag" not in c.metadata.get("tags", [])]
        for index, cell in enumerate(cells):
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    return index, " ".join(f"{output.get('ename')}: {output.get('evalue')}".split())
    lines = [line for line in stderr.strip().splitlines() if line.strip()]
    return None, lines[-1].strip() if lines else "papermill failed"


def _run_notebooks(runs: list[_Run], *, with_code: bool, step) -> None:
    # Each notebook runs in its own papermill process and kernel; they only read the store,
    # so they run side by side (kernel start-up and imports dominate a small report).
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, min(len(runs), os.cpu_count() or 1))) as pool:
        pending = {pool.submit(_execute, run): run for run in runs}
        for future in concurrent.futures.as_completed(pending):
            run = pending[future]
            future.result()
            notebook = run.work / f"{run.name}.ipynb"
            if notebook.is_file():
                render_html(notebook, run.work / f"{run.name}.html", with_code=with_code)
                run.figures = extract_figures(notebook, run.work / "figures", run.name)
            step(f"{run.name}: {'ok' if run.error is None else 'failed'} in {run.seconds:.1f} s")


def _manifest(runs, *, input_path, store, started, skipped, n_articles) -> dict:
    """What ``report.json`` holds: the run, and per notebook and figure what it shows."""
    from .._version import __version__

    notebooks = {}
    for run in runs:
        has = {ext: (run.work / f"{run.name}.{ext}").is_file() for ext in ("ipynb", "html")}
        notebooks[run.name] = {
            "notebook": f"{run.name}.ipynb" if has["ipynb"] else None,
            "html": f"{run.name}.html" if has["html"] else None,
            "parameters": run.parameters,
            "seconds": round(run.seconds, 1),
            "error": run.error,
            "figures": [{**info, "file": path.relative_to(run.work).as_posix()} for path, info in run.figures],
        }
    return {
        "newskit": __version__,
        "input": str(input_path),
        "store": str(store),
        "articles": n_articles,
        "started": started.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "finished": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "notebooks": notebooks,
        "skipped": skipped,
    }


def _publish(work: Path, out: Path) -> None:
    """Move the finished work folder to ``out`` (replacing an old report only after the new one is complete)."""
    old = None
    if out.exists():
        old = out.with_name(f".{out.name}.old-{os.getpid()}")
        out.rename(old)
    work.rename(out)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _stepper(total: int, progress: bool):
    """A progress bar on a terminal; one line per step on stderr otherwise (logs get no bar frames)."""
    from tqdm.auto import tqdm

    interactive = progress and sys.stderr.isatty()
    bar = tqdm(total=total, desc="report", unit="step", disable=not interactive)

    def step(message: str) -> None:
        bar.update()
        if interactive:
            bar.set_postfix_str(message)
        elif progress:
            print(f"report: {message}", file=sys.stderr, flush=True)

    return bar, step


def _plan(input, out, *, notebooks, parameters, store, errors, overwrite) -> tuple[Path, Path, Path, dict]:
    """Check everything :func:`run_report` is given, before any work: input, notebooks, parameters, out, store.

    Returns:
        The input path, the output folder (placeholders filled in), the store, and
        each selected notebook's parameters (in run order).
    """
    input_path = validate_parameters(input=input)["input"]
    if errors not in ERROR_MODES:
        raise ParameterError("errors", errors, "is not an error mode", fix=f"use {' | '.join(ERROR_MODES)}")
    selected = list(notebooks or NOTEBOOKS)
    unknown = [n for n in selected if n not in available_notebooks()]
    if unknown:
        raise ParameterError("notebooks", ",".join(unknown), "unknown notebook", fix=f"use {', '.join(NOTEBOOKS)}")
    per_notebook = _check_parameters(selected, dict(parameters or {}), notebooks_dir())
    out = format_out(out).absolute()
    _check_out(out, overwrite=overwrite)
    if is_store(input_path):
        store = input_path
    else:
        store = Path(store).absolute() if store is not None else default_store(input_path, out)
    return input_path, out, store, per_notebook


def run_report(
    input,
    out,
    *,
    notebooks: Sequence[str] | None = None,
    parameters: Mapping | None = None,
    with_code: bool = False,
    progress: bool = True,
    store=None,
    errors: str = "warn",
    overwrite: bool = False,
) -> Path:
    """Extract into a persistent store, run the report notebooks headless, write HTML, report.json and index.

    Writes into ``out``: ``<name>.ipynb`` (executed), ``<name>.html`` (self-contained:
    images embedded, code hidden unless ``with_code``), ``figures/<name>-<figure>.png``,
    ``report.json`` (per notebook and figure: title, kind, axis ranges, items drawn and
    hidden, plotted values; the skipped inputs) and ``index.html``.

    Args:
        input: Article file, folder or glob, or a facts store directory (used as is).
        out: Output directory; ``{date}`` and ``{time}`` are filled in. Must not exist
            or be empty, unless ``overwrite``.
        notebooks: Names among :data:`NOTEBOOKS` (default: all).
        parameters: Notebook parameters (``-p NAME VALUE``); each goes to the notebooks
            that declare it, strings are converted to the declared type.
        with_code: Show the code cells in the HTML.
        progress: Show progress (a bar on a terminal, one line per step otherwise).
        store: The facts store to extract into and read from (default: :func:`default_store`).
        errors: A bad input item: ``"raise"`` stops the run; ``"warn"`` (default) skips
            it and lists it on stderr and in ``index.html``; ``"skip"`` lists it in
            ``index.html`` only.
        overwrite: Replace an existing ``out`` (the old report stays until the new one is complete).

    Returns:
        The output directory (with the placeholders filled in).

    Raises:
        ParameterError: A bad parameter, notebook name or ``out`` (before anything runs).
        NotebookError: A notebook failed; raised after every notebook ran and the
            partial notebook, its HTML, report.json and the index were written.
    """
    started = dt.datetime.now(dt.UTC)
    input_path, out, store, per_notebook = _plan(
        input, out, notebooks=notebooks, parameters=parameters, store=store, errors=errors, overwrite=overwrite
    )
    selected, source_dir = list(per_notebook), notebooks_dir()
    work = out.with_name(f".{out.name}.partial-{os.getpid()}")
    shutil.rmtree(work, ignore_errors=True)
    (work / "figures").mkdir(parents=True)
    (work / REPORT_MARKER).write_text("newskit report folder: never read as input\n", encoding="utf-8")
    bar, step = _stepper(2 + len(selected), progress)
    try:
        extracted = {"skipped": [], "extracted": 0}
        if store != input_path:
            inputs = report_inputs(input_path, exclude=[out, work, store])
            extracted = _extract(inputs, store, errors=errors)
        step(f"store {store} ({extracted['extracted']} extracted, {len(extracted['skipped'])} skipped)")
        runs = [
            _Run(
                name,
                source_dir / f"{name}.ipynb",
                work,
                {**per_notebook[name], "input": str(store), "interactive": False},
            )
            for name in selected
        ]
        _run_notebooks(runs, with_code=with_code, step=step)
        manifest = _manifest(
            runs,
            input_path=input_path,
            store=store,
            started=started,
            skipped=extracted["skipped"],
            n_articles=_count_articles(store),
        )
        (work / "report.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False), encoding="utf-8")
        write_index(work, manifest)
        step("index")
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    finally:
        bar.close()
    _publish(work, out)
    _tell_skipped(extracted["skipped"], errors=errors)
    for run in runs:
        if run.error is not None:
            raise NotebookError(out / f"{run.name}.ipynb", run.cell, run.error)
    return out


def _count_articles(store: Path) -> int | None:
    from ..store import describe_store

    try:
        return int(describe_store(store)["articles"])
    except Exception:
        return None


def _tell_skipped(skipped: list[dict], *, errors: str) -> None:
    if not skipped or errors == "raise":
        return
    print(f"newskit report: {len(skipped)} input item(s) skipped (listed in index.html)", file=sys.stderr)
    if errors == "warn":
        for item in skipped:
            where = f" ({item['where']})" if item.get("where") else ""
            fix = f"; {item['fix']}" if item.get("fix") else ""
            print(f"  skipped {item.get('path')}{where}: {item.get('problem')}{fix}", file=sys.stderr)
