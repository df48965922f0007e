"""The report notebooks: committed clean, parameters documented, executed headless on real input."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from newskit import formatting as fmt
from newskit import plots, report
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


# ---------------------------------------------------------------------------- readable at 1, 13 and 2,000 articles

SEED_ARTICLE = REPO / "data" / "seed" / "kosovo-kremlin-2023-11-06.txt"

#: At most this many story lanes: the top 12 stories (``plots.story_timeline``) and one "other stories" lane.
MAX_STORY_LANES = 13
#: At most this many tick labels on any axis: lanes, bars or dates a reader can still tell apart.
MAX_TICK_LABELS = 30
#: At most this many event labels per timeline: 3 x 30 label rows, the most relevant events (the rest unlabelled).
MAX_EVENT_LABELS = 90
#: How far a date axis of the corpus pages may reach beyond the publication span: a quarter of the span,
#: at least a year (events a little before the first report, room for the last label). An address number
#: read as a year (1700) or a date far in the future must never stretch it.
MARGIN_SHARE, MARGIN_MIN = 0.25, pd.Timedelta(days=366)
#: The story page's events axis stays within a quarter of the story's own reports (its first and last
#: publication): the happening a little before, a trial set for the coming weeks; never last year's attack.
STORY_MARGIN = pd.Timedelta(days=92)


def _publication_window(facts) -> tuple[pd.Timestamp, pd.Timestamp]:
    published = facts.articles["published"].dropna()
    first, last = published.min(), published.max()
    margin = max((last - first) * MARGIN_SHARE, MARGIN_MIN)
    return first - margin, last + margin


def _date_axes(out: Path, names=("timeline", "compare", "story")):
    """``(notebook, figure, x range)`` of every date x axis of the corpus pages (and of the story's reports)."""
    for notebook, run in _manifest(out)["notebooks"].items():
        if notebook not in names:
            continue
        for info in run["figures"]:
            if notebook == "story" and info["name"] not in ("articles", "figures"):
                continue  # the story's events: see _assert_story_events_near_its_reports
            for axes in info["axes"]:
                if isinstance(axes["x"][0], str):
                    yield notebook, info["name"], tuple(map(pd.Timestamp, axes["x"]))


def _reconciled_tolls(facts) -> dict[str, dict[str, float]]:
    """Per story and outcome, its reconciled figure, read from ``figures`` here rather than through ``plots``.

    Killed and injured come from ``nk.casualty_summary(by="story")``; the other outcomes
    follow its rule: the figure for everyone in the story, else the largest group's.
    """
    import newskit as nk

    tolls: dict[str, dict[str, float]] = {}
    summary = nk.casualty_summary(facts, by="story")
    for outcome in ("killed", "injured"):
        for story_id, value in zip(summary["story_id"], summary[outcome], strict=True):
            if not pd.isna(value):
                tolls.setdefault(str(story_id), {})[outcome] = float(value)
    figures = facts.figures
    for outcome in ("missing", "kidnapped", "arrested", "displaced"):
        rows = figures[(figures["measure"] == outcome) & figures["unit"].isna() & figures["value"].notna()]
        for story_id, rows_of_story in rows.groupby("story_id"):
            everyone = rows_of_story[rows_of_story["group"].isna()]
            value = everyone["value"].iloc[0] if len(everyone) else rows_of_story["value"].max()
            tolls.setdefault(str(story_id), {})[outcome] = float(value)
    return tolls


def _assert_axes_on_publication_span(out: Path, facts) -> None:
    """Every date axis of the corpus pages lies within the publication span +- the margin."""
    lo, hi = _publication_window(facts)
    checked = 0
    for notebook, name, (left, right) in _date_axes(out):
        assert lo <= left <= right <= hi, (notebook, name, str(left), str(right), "window", str(lo), str(hi))
        checked += 1
    assert checked >= 3  # the stories, the events per period and the events at least
    _assert_story_events_near_its_reports(out, facts)


def _assert_story_events_near_its_reports(out: Path, facts) -> None:
    """The story page's events axis lies within the margin of the publication span of the story it shows."""
    run = _manifest(out)["notebooks"]["story"]
    axes = [a["x"] for f in run["figures"] if f["name"] == "events" for a in f["axes"] if isinstance(a["x"][0], str)]
    if not axes:
        return  # no dated event: the page says so instead of drawing
    story_id = plots.find_story(facts.stories, run["parameters"].get("story", ""))  # the page's own choice
    published = facts.articles.loc[facts.articles["story_id"] == story_id, "published"].dropna()
    lo, hi = published.min().floor("D") - STORY_MARGIN, published.max().floor("D") + STORY_MARGIN
    for left, right in (tuple(map(pd.Timestamp, x)) for x in axes):
        assert lo <= left <= right <= hi, ("story events", str(left), str(right), "window", str(lo), str(hi))


def _assert_few_lanes_and_labels(out: Path, facts) -> None:
    """At most N story lanes, tick labels per axis and event labels per timeline."""
    manifest = _manifest(out)
    stories = {f["name"]: f for f in manifest["notebooks"]["timeline"]["figures"]}["stories"]
    n_stories = len(facts.stories)
    assert len(stories["lanes"]) == min(n_stories, 12) + (1 if n_stories > 12 else 0) <= MAX_STORY_LANES
    assert stories["n_drawn"] + stories["n_hidden"] == n_stories
    if n_stories:
        assert stories["axes"][0]["n_yticklabels"] == len(stories["lanes"])
    for notebook, run in manifest["notebooks"].items():
        for info in run["figures"]:
            assert info["marks"].get("labels", 0) <= MAX_EVENT_LABELS, (notebook, info["name"])
            for axes in info["axes"]:
                assert axes["n_xticklabels"] <= MAX_TICK_LABELS, (notebook, info["name"], axes)
                assert axes["n_yticklabels"] <= MAX_TICK_LABELS, (notebook, info["name"], axes)


def _assert_casualty_totals(out: Path, facts) -> dict:
    """The casualty totals are the per-story reconciled figures added up, never a sum over mentions or outlets.

    Returns the casualties entry of the compare notebook in report.json.
    """
    casualties = {f["name"]: f for f in _manifest(out)["notebooks"]["compare"]["figures"]}["casualties"]
    stated = casualties["casualty_totals"]
    tolls = _reconciled_tolls(facts)
    assert stated["stories"] == tolls
    assert stated["n_stories"] == len(tolls)
    expected = {}
    for per_story in tolls.values():
        for outcome, value in per_story.items():
            expected[outcome] = expected.get(outcome, 0.0) + value
    assert stated["totals"] == pytest.approx(expected)
    # the bars drawn are those figures: each value is the reconciled figure of a story of that label
    labels = dict(zip(facts.stories["story_id"].astype(str), facts.stories["label"], strict=True))
    names = {s: str(labels[s])[:40] if isinstance(labels.get(s), str) and labels[s].strip() else s for s in tolls}
    for outcome, bars in casualties["series"].items():
        for label, value in bars.items():
            assert value in {t[outcome] for s, t in tolls.items() if outcome in t and names[s] == label}, (
                outcome,
                label,
                value,
            )
    assert casualties["n_drawn"] + casualties["n_hidden"] == len(tolls)
    assert casualties["n_drawn"] <= 15
    if casualties["n_hidden"] == 0 and len(set(names.values())) == len(tolls):
        for outcome, total in stated["totals"].items():
            assert sum(casualties["series"].get(outcome, {}).values()) == pytest.approx(total)
    page = (out / "compare.html").read_text(encoding="utf-8")
    for outcome, total in stated["totals"].items():
        assert f"{fmt.number(total)} {outcome}" in page  # the page states the same totals
    return casualties


@pytest.fixture(scope="session")
def one_article_report(tmp_path_factory) -> Path:
    """Every notebook on one real article (the seed, kept in data/seed)."""
    return report.run_report(SEED_ARTICLE, tmp_path_factory.mktemp("one") / "report", progress=False)


@pytest.mark.slow
def test_report_on_one_article(one_article_report):
    facts = _check_report(one_article_report)
    assert len(facts.articles) == 1 and len(facts.stories) == 1
    _assert_few_lanes_and_labels(one_article_report, facts)
    casualties = _assert_casualty_totals(one_article_report, facts)
    # read in the text: "Three attackers and one police officer lost their lives"; no one is reported injured
    assert casualties["casualty_totals"]["totals"] == {"killed": 4.0}
    stories = {f["name"]: f for f in _manifest(one_article_report)["notebooks"]["timeline"]["figures"]}["stories"]
    assert len(stories["lanes"]) == 1 and stories["n_hidden"] == 0
    # the story page finds the one story by itself
    assert _manifest(one_article_report)["notebooks"]["story"]["error"] is None


@pytest.mark.slow
def test_demo_report_is_readable(demo_report):
    facts = read_facts(_manifest(demo_report)["store"])
    _assert_few_lanes_and_labels(demo_report, facts)
    casualties = _assert_casualty_totals(demo_report, facts)
    # data/demo reports people killed (the Dravik bridge attack) and injured (police officers at Ostrel)
    assert {"killed", "injured"} <= set(casualties["casualty_totals"]["totals"])


#: The large report's input: every gva-dev and polnear-train-dev document (1,980 real articles: gun
#: violence, US politics), topped up past 2,000 with the first 60 ecbplus-dev documents, which carry no
#: date (a report must take undated articles too). Outlets: PolNeAR's, from its document ids; the
#: corpus name for the others.
CORPUS_PARTS = (("gva-dev", None), ("polnear-train-dev", None), ("ecbplus-dev", 60))


def write_corpus_feed(corpora_dir: Path, folder: Path) -> int:
    """Write the corpus documents as newskit JSON Lines feeds into ``folder`` (a temporary one, never the repo).

    Returns:
        The number of articles written.
    """
    folder.mkdir(parents=True, exist_ok=True)
    written = 0
    for name, limit in CORPUS_PARTS:
        with (
            (corpora_dir / name / "docs.jsonl").open(encoding="utf-8") as docs,
            (folder / f"{name}.jsonl").open("w", encoding="utf-8") as feed,
        ):
            for i, line in enumerate(docs):
                if limit is not None and i >= limit:
                    break
                doc = json.loads(line)
                source = doc["doc_id"].split("_")[0] if doc["corpus"].startswith("polnear") else doc["corpus"]
                record = {"title": doc["title"], "published": doc["published"], "source": source, "text": doc["text"]}
                feed.write(json.dumps({k: v for k, v in record.items() if v is not None}) + "\n")
                written += 1
    return written


@pytest.fixture(scope="session")
def corpus_report(corpora_dir, tmp_path_factory) -> Path:
    """Every notebook on >= 2,000 real articles, extracted once per session (2 processes) into one store.

    ``NEWSKIT_TEST_CACHE=DIR`` keeps the feed and the store in DIR across sessions: the next
    session's extraction finds every article stored and extracts nothing.
    """
    from newskit.store import extract_to_store

    cache = os.environ.get("NEWSKIT_TEST_CACHE")
    root = Path(cache) if cache else tmp_path_factory.mktemp("corpus")
    n = write_corpus_feed(corpora_dir, root / "feed")
    assert n >= 2000
    result = extract_to_store([root / "feed"], root / "store", n_process=2)
    assert not result.failures, result.failures
    # PolNeAR holds one text twice: the second copy is skipped as a duplicate, nothing else is
    assert all("same text as" in item["problem"] for item in result.skipped), result.skipped
    return report.run_report(root / "store", tmp_path_factory.mktemp("corpus-report") / "report", progress=False)


@pytest.fixture(scope="session")
def corpus_facts(corpus_report):
    return _check_report(corpus_report)


@pytest.mark.slow
@pytest.mark.corpus
def test_corpus_report_draws_few_lanes_and_adds_up_story_tolls(corpus_report, corpus_facts):
    facts = corpus_facts
    assert len(facts.articles) >= 2000
    assert facts.articles["published"].isna().sum() == 60  # the ECB+ documents, undated
    _assert_few_lanes_and_labels(corpus_report, facts)
    _assert_casualty_totals(corpus_report, facts)
    timeline = {f["name"]: f for f in _manifest(corpus_report)["notebooks"]["timeline"]["figures"]}
    assert len(timeline["stories"]["lanes"]) == MAX_STORY_LANES  # hundreds of stories: 12 lanes and "other"
    assert timeline["stories"]["lanes"][-1] == f"{len(facts.stories) - 12} other stories"
    # tens of thousands of events are counted per period, not drawn one by one
    assert timeline["timeline"]["kind"] == "bar" and timeline["timeline"]["marks"]["labels"] == 0


@pytest.mark.slow
@pytest.mark.parametrize(
    "size",
    [
        # the seed article recalls Kosovo's independence (2008): listed under the charts, not drawn
        "one_article",
        "demo",
        # 2,039 articles published 2013-2018 whose events reach back to 2004
        pytest.param("corpus", marks=pytest.mark.corpus),
    ],
)
def test_date_axes_lie_on_the_publication_span(size, request):
    out = request.getfixturevalue(f"{size}_report")
    facts = request.getfixturevalue("corpus_facts") if size == "corpus" else read_facts(_manifest(out)["store"])
    _assert_axes_on_publication_span(out, facts)


@pytest.mark.slow
@pytest.mark.corpus
def test_corpus_casualty_totals_are_near_the_gun_violence_archive(corpus_report, corpus_facts, corpora_dir):
    # Gold: the Gun Violence Archive's counts of the incident each gva-dev article is about. Articles
    # of one incident repeat its counts, so the per-article sum is an upper bound of the true total
    # and the sum over distinct (date, killed, injured) incidents about a lower one.
    gold = pd.DataFrame([json.loads(line)["gold"] for line in (corpora_dir / "gva-dev" / "docs.jsonl").open()])
    incidents = gold.drop_duplicates(["incident_date", "killed", "injured"])
    facts = corpus_facts
    is_gva = facts.articles["source"].eq("gva").fillna(False).astype(bool)
    story_ids = facts.articles["story_id"].astype(str)
    gva_stories = set(story_ids[is_gva]) - set(story_ids[~is_gva])  # stories of gva articles only
    tolls = _reconciled_tolls(facts)
    for outcome in ("killed", "injured"):
        total = sum(t.get(outcome, 0.0) for s, t in tolls.items() if s in gva_stories)
        assert 0.5 * incidents[outcome].sum() <= total <= 1.5 * gold[outcome].sum(), (outcome, total)
