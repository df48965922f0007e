"""The report notebooks: committed clean, parameters documented, executed headless on real input."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from newskit import report
from newskit.store import read_facts

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = REPO / "notebooks"
DEMO = REPO / "data" / "demo"


def _notebook(name: str):
    return nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)


def _figures(path: Path) -> dict[str, dict]:
    """Figure name → what it shows (the ``"newskit"`` display metadata ``report.show_figure`` attaches)."""
    nb = nbformat.read(path, as_version=4)
    found = {}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            meta = output.get("metadata", {}).get("newskit")
            if meta:
                found[meta["name"]] = meta
    return found


def _manifest(out: Path) -> dict:
    return json.loads((out / "report.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", report.NOTEBOOKS)
def test_notebook_is_committed_without_outputs(name):
    nb = _notebook(name)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{name}.ipynb has outputs: clear them before committing"
            assert cell.execution_count is None
    assert "widgets" not in nb.metadata


@pytest.mark.parametrize("name", report.NOTEBOOKS)
def test_one_parameters_cell_then_validation(name):
    nb = _notebook(name)
    tagged = [i for i, cell in enumerate(nb.cells) if "parameters" in cell.metadata.get("tags", [])]
    assert len(tagged) == 1
    validation = nb.cells[tagged[0] + 1]
    assert validation.cell_type == "code"
    assert "report.validate_parameters(" in validation.source
    # the notebook reads like a report: every chart cell follows a markdown cell explaining it
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and "show_figure(" in cell.source:
            assert nb.cells[i - 1].cell_type == "markdown"


@pytest.mark.parametrize("name", report.NOTEBOOKS)
def test_help_notebook_matches_documented_parameters(name):
    result = subprocess.run(
        [sys.executable, "-m", "papermill", "--help-notebook", str(NOTEBOOKS / f"{name}.ipynb")],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    documented = report.NOTEBOOK_PARAMETERS[name]
    shown = {}
    for match in re.finditer(r"^  (\w+): (\w+) \(default (.*?)\)\s+(.*?)$", result.stdout, re.M | re.S):
        shown[match.group(1)] = (match.group(2), match.group(3), " ".join(match.group(4).split()))
    assert list(shown) == list(documented)
    for key, (kind, default, meaning) in documented.items():
        assert shown[key] == (kind, json.dumps(default) if not isinstance(default, bool) else str(default), meaning)


# ---------------------------------------------------------------------------- executed headless


_KINDS = {"bar", "dot", "timeline", "line", "heatmap", "image", "step", "table", ""}


def _check_figure(info: dict, out: Path) -> None:
    """A figure entry of report.json: complete, consistent with its PNG, ranges ordered."""
    assert isinstance(info["title"], str) and info["title"], info
    assert info["kind"] in _KINDS or isinstance(info["kind"], str), info
    assert isinstance(info["n_drawn"], int) and info["n_drawn"] >= 0, info
    assert info["n_hidden"] is None or (isinstance(info["n_hidden"], int) and info["n_hidden"] >= 0), info
    assert isinstance(info["series"], dict)
    assert (out / info["file"]).is_file()
    for axes in info["axes"]:
        for key in ("x", "y"):
            lo, hi = axes[key]
            assert type(lo) is type(hi), axes  # both dates (ISO strings) or both numbers
            if isinstance(lo, str):
                assert pd.Timestamp(lo) <= pd.Timestamp(hi), axes


def _check_report(out: Path, *, group_by: str = "source"):
    """Assertions every report run must pass; returns the facts the notebooks read."""
    manifest = _manifest(out)
    facts = read_facts(manifest["store"])
    assert not Path(manifest["store"]).is_relative_to(out)  # the store is reused across runs, not per folder
    assert manifest["articles"] == len(facts.articles)
    assert list(manifest["notebooks"]) == list(report.NOTEBOOKS)
    for name in report.NOTEBOOKS:
        run = manifest["notebooks"][name]
        assert run["error"] is None, run["error"]
        assert run["parameters"]["interactive"] is False
        nb = nbformat.read(out / f"{name}.ipynb", as_version=4)
        errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
        assert errors == [], f"{name}: {errors}"
        widget_outputs = [
            o
            for c in nb.cells
            for o in c.get("outputs", [])
            if "application/vnd.jupyter.widget-view+json" in o.get("data", {})
        ]
        assert widget_outputs == []  # headless: plain figures and tables only
        html = (out / f"{name}.html").read_text(encoding="utf-8")
        assert "<script" not in html
        if name in ("article", "timeline", "compare"):
            assert run["figures"], f"{name} shows no figure"
        assert html.count('src="data:image/png;base64,') == len(run["figures"])
        assert [f["name"] for f in run["figures"]] == list(_figures(out / f"{name}.ipynb"))
        for info in run["figures"]:
            _check_figure(info, out)
    figures = {p.relative_to(out).as_posix() for p in (out / "figures").glob("*.png")}
    assert figures == {f["file"] for run in manifest["notebooks"].values() for f in run["figures"]}
    index = (out / "index.html").read_text(encoding="utf-8")
    for name in report.NOTEBOOKS:
        assert f'href="{name}.html"' in index and f'href="{name}.ipynb"' in index
    assert "interactive = False" in index
    assert 'http-equiv="Content-Security-Policy"' in index
    compare = {f["name"]: f for f in manifest["notebooks"]["compare"]["figures"]}
    assert any(group_by in (a["xlabel"] + a["ylabel"] + f["title"]) for f in compare.values() for a in f["axes"])
    # the timeline draws every dated event once, as a point or a bar (or counts them when there are many)
    timeline = _figures(out / "timeline.ipynb")["timeline"]
    marks = timeline["marks"]
    dated = facts.events[facts.events["date_start"].notna() | facts.events["date_end"].notna()]
    if dated.empty:
        assert marks["message"] == "no events found"
    elif len(dated) <= 300:
        # happenings only (reporting verbs are not drawn); open bounds ("before publication") and
        # dates off the bulk are counted as hidden, not drawn
        dated = dated[dated["salient"].fillna(True).astype(bool)]
        info = timeline
        assert marks["points"] + marks["bars"] == info["n_drawn"]
        assert info["n_drawn"] + info["n_hidden"] == len(dated)
        assert marks["title"] == f"Events over time ({info['n_drawn']} event{'s' if info['n_drawn'] != 1 else ''})"
    compare = _figures(out / "compare.ipynb")
    assert compare["mentions"]["marks"]["title"] == f"Mentions per entity and {group_by}"
    assert (
        compare["mentions"]["marks"]["xlabel"]
        == {"source": "source (outlet)", "month": "month of publication"}[group_by]
    )
    assert compare["tone"]["marks"]["ylabel"].startswith("mean tone")
    assert compare["tone"]["marks"]["lines"] == min(facts.articles["source"].fillna("(no source)").nunique(), 8)
    article = _figures(out / "article.ipynb")
    first = facts.articles["article_id"].iloc[0]
    n_entities = facts.mentions.loc[facts.mentions["article_id"] == first, ["name", "label"]].drop_duplicates().shape[0]
    assert article["entities"]["marks"]["bars"] == min(n_entities, 15)
    n_quantities = int(facts.quantities.loc[facts.quantities["article_id"] == first, "value"].notna().sum())
    assert article["quantities"]["marks"]["points"] == min(n_quantities, 25)
    return facts


@pytest.fixture(scope="session")
def demo_report(tmp_path_factory) -> Path:
    if not DEMO.is_dir():
        pytest.skip("data/demo is absent")
    return report.run_report(DEMO, tmp_path_factory.mktemp("demo") / "report-{date}", progress=False)


@pytest.mark.slow
def test_report_on_demo_data(demo_report):
    assert re.fullmatch(r"report-\d{4}-\d{2}-\d{2}", demo_report.name)
    facts = _check_report(demo_report)
    assert len(facts.articles) == 13
    timeline = {f["name"]: f for f in _manifest(demo_report)["notebooks"]["timeline"]["figures"]}
    dated = facts.events.dropna(subset=["date_start"])["date_start"]
    for info in timeline.values():  # a date axis of the timeline notebook covers some of the events
        for axes in info["axes"]:
            if isinstance(axes["x"][0], str) and len(dated):
                lo, hi = map(pd.Timestamp, axes["x"])
                assert ((dated >= lo) & (dated <= hi)).any(), (info["name"], axes["x"])


@pytest.mark.slow
def test_report_on_a_meantime_slice(corpora_dir, tmp_path):
    docs = [json.loads(line) for line in (corpora_dir / "meantime-airbus-apple" / "docs.jsonl").open(encoding="utf-8")][
        :6
    ]
    feed = tmp_path / "meantime.jsonl"
    with feed.open("w", encoding="utf-8") as handle:
        for doc in docs:
            record = {
                "title": doc["title"],
                "published": doc["published"],
                "source": doc["corpus"],
                "text": doc["text"],
            }
            handle.write(json.dumps(record) + "\n")
    out = report.run_report(feed, tmp_path / "out", progress=False, parameters={"group_by": "month"})
    facts = _check_report(out, group_by="month")
    assert len(facts.articles) == 6


@pytest.mark.slow
def test_interactive_run_shows_widgets_and_does_not_hang(demo_report, tmp_path):
    import papermill

    out = tmp_path / "timeline.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOKS / "timeline.ipynb"),
        str(out),
        kernel_name=report.KERNEL,
        progress_bar=False,
        execution_timeout=120,
        parameters={"input": _manifest(demo_report)["store"], "interactive": True, "kinds": ["statement"]},
    )
    nb = nbformat.read(out, as_version=4)
    widgets = [
        o
        for c in nb.cells
        for o in c.get("outputs", [])
        if "application/vnd.jupyter.widget-view+json" in o.get("data", {})
    ]
    assert len(widgets) == 1
    assert _figures(out)  # figures carry their "newskit" metadata when run interactively too
