"""Report parameters, loading, safe display, and a hostile article rendered without running anything."""

from __future__ import annotations

import html.parser
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import newskit as nk
from newskit import report
from newskit.errors import NotebookError, ParameterError
from newskit.schema import frame

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "report"
HOSTILE = FIXTURES / "hostile-article.txt"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"


# ---------------------------------------------------------------------------- parameters


@pytest.mark.parametrize(
    ("params", "name", "words"),
    [
        ({"input": "no/such/folder"}, "input", "does not exist"),
        ({"input": ""}, "input", "is empty"),
        ({"start": "2024-13-45"}, "start", "is not a date"),
        ({"end": "next blursday"}, "end", "is not a date"),
        ({"start": "2024-06-01", "end": "2024-01-01"}, "start", "is after end"),
        ({"kinds": ["violence", "riots"]}, "kinds", "unknown kind(s) ['riots']"),
        ({"group_by": "outlet"}, "group_by", "source | article | month"),
        ({"entities": "[not json"}, "entities", "is not a list"),
    ],
)
def test_bad_parameters_fail_fast_with_one_line_naming_them(params, name, words):
    with pytest.raises(ParameterError) as caught:
        report.validate_parameters(**params)
    message = str(caught.value)
    assert message.startswith(f"parameter {name}=")
    assert words in message
    assert "\n" not in message
    assert caught.value.name == name


def test_parameters_are_normalised(tmp_path):
    params = report.validate_parameters(
        input=tmp_path,
        start="2024-01-05",
        end="",
        entities="Mara Voss, Kestria",
        kinds='["violence"]',
        group_by="month",
        interactive="false",
    )
    assert params == {
        "input": tmp_path.resolve(),
        "start": pd.Timestamp("2024-01-05"),
        "end": None,
        "entities": ["Mara Voss", "Kestria"],
        "kinds": ["violence"],
        "group_by": "month",
        "interactive": False,
    }


@pytest.mark.parametrize(
    ("start", "end", "first", "last"),
    [
        ("2018", "2018", "2018-01-01", "2018-12-31 23:59:59.999999"),
        ("2018-02", "2018-02", "2018-02-01", "2018-02-28 23:59:59.999999"),
        ("March 2018", "4 March 2018", "2018-03-01", "2018-03-04 23:59:59.999999"),
        ("13/04/2018", "2018-04-13", "2018-04-13", "2018-04-13 23:59:59.999999"),  # day > 12: not ambiguous
        (2017, 2018, "2017-01-01", "2018-12-31 23:59:59.999999"),  # papermill -p end 2018 gives an int
    ],
)
def test_dates_cover_the_whole_year_month_or_day(start, end, first, last):
    params = report.validate_parameters(start=start, end=end)
    assert params["start"] == pd.Timestamp(first)
    assert params["end"] == pd.Timestamp(last)


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("03/04/2018", "day and month order is ambiguous"),  # as the readers refuse it in articles
        ("2018-13", "month 13 is not 1-12"),
        ("9999", "outside the dates newskit holds"),
    ],
)
def test_ambiguous_or_impossible_dates_are_refused(value, words):
    with pytest.raises(ParameterError, match=re.escape(words)) as caught:
        report.validate_parameters(end=value)
    assert str(caught.value).startswith(f"parameter end={value!r}")


def test_parameter_error_renders_as_one_line_in_ipython():
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    try:
        result = shell.run_cell("from newskit import report\nreport.validate_parameters(end='03/04/2018')")
        error = result.error_in_exec
        assert isinstance(error, ParameterError)
        lines = error._render_traceback_()
        assert lines == [f"ParameterError: {error}"]
    finally:
        InteractiveShell.clear_instance()


def test_input_may_be_a_glob_of_articles():
    params = report.validate_parameters(input=str(FIXTURES / "*.txt"))
    assert params["input"] == FIXTURES / "*.txt"
    with pytest.raises(ParameterError, match="does not exist"):
        report.validate_parameters(input=str(FIXTURES / "*.nothing"))


@pytest.fixture
def facts() -> nk.Facts:
    articles = [
        {
            "article_id": "fbf282538c59e82d",
            "title": "Dredging angers Dravik",
            "path": "/data/demo/dredging.txt",
            "paths": ["/data/demo/dredging.txt"],
            "text": "Interior Minister Mara Voss said 200 metres were lost. Kestria denied it.",
            "published": "2024-01-15",
        },
        {
            "article_id": "fb0000000000aaaa",
            "title": "Talks open",
            "path": "/data/demo/feed.jsonl:2",
            "paths": ["/data/demo/feed.jsonl:2"],
            "text": "Talks opened in Tarnholm.",
            "published": "2024-06-01",
        },
    ]
    entities = [
        {
            "entity_id": "E1",
            "name": "Mara Voss",
            "label": "PERSON",
            "aliases": ["Mara Voss", "Voss"],
            "n_mentions": 1,
            "n_articles": 1,
        },
        {
            "entity_id": "E2",
            "name": "Kestria",
            "label": "GPE",
            "aliases": ["Kestria"],
            "n_mentions": 1,
            "n_articles": 1,
        },
    ]
    mentions = [
        {
            "article_id": "fbf282538c59e82d",
            "entity_id": "E1",
            "name": "Mara Voss",
            "label": "PERSON",
            "start": 18,
            "end": 27,
        },
        {
            "article_id": "fbf282538c59e82d",
            "entity_id": "E2",
            "name": "Kestria",
            "label": "GPE",
            "start": 55,
            "end": 62,
        },
    ]
    quantities = [
        {
            "article_id": "fbf282538c59e82d",
            "value": 200.0,
            "unit": "m",
            "counted": "metres",
            "text": "200 metres",
            "start": 33,
            "end": 43,
        }
    ]
    return nk.Facts.from_frames(
        {
            "articles": frame("articles", articles),
            "entities": frame("entities", entities),
            "mentions": frame("mentions", mentions),
            "quantities": frame("quantities", quantities),
        }
    )


def test_resolve_entities_by_name_alias_or_id(facts):
    assert report.resolve_entities(facts, ["voss", "E2", "Mara Voss"]) == ["Mara Voss", "Kestria"]
    with pytest.raises(
        ParameterError, match=r"parameter entities='Mara Vos': is not an entity of the input; did you mean 'Mara Voss'"
    ):
        report.resolve_entities(facts, ["Mara Vos"])


def test_select_article_by_id_prefix_path_or_title(facts):
    assert report.select_article(facts, "").articles["title"].tolist() == ["Dredging angers Dravik"]
    assert report.select_article(facts, "fb0000").articles["title"].tolist() == ["Talks open"]
    assert report.select_article(facts, "dredging.txt").articles["title"].tolist() == ["Dredging angers Dravik"]
    assert report.select_article(facts, "Talks open").articles["article_id"].tolist() == ["fb0000000000aaaa"]
    one = report.select_article(facts, "fbf282538c59e82d")
    assert one.entities["n_mentions"].tolist() == [1, 1]
    with pytest.raises(ParameterError, match="matches 2 articles"):
        report.select_article(facts, "fb")
    with pytest.raises(ParameterError, match="parameter article='nope': is not an article"):
        report.select_article(facts, "nope")
    with pytest.raises(ParameterError, match="holds no articles"):
        report.select_article(nk.Facts.empty(), "")


def test_evidence_is_the_sentence_around_the_span(facts):
    rows = report.evidence(facts, "quantities")
    assert rows["evidence"].tolist() == ["Interior Minister Mara Voss said 200 metres were lost."]


def test_load_facts_reads_a_store_without_parsing_text(facts, tmp_path, monkeypatch):
    from newskit.store import write_facts

    write_facts(facts, tmp_path / "store")
    assert report.is_store(tmp_path / "store")

    def no_parsing(*args, **kwargs):
        raise AssertionError("a store must be read, not re-extracted")

    monkeypatch.setattr(sys.modules["newskit.extract"], "extract", no_parsing)
    monkeypatch.setattr(sys.modules["newskit.readers"], "read_articles", no_parsing)
    loaded = report.load_facts(tmp_path / "store")
    assert loaded.articles["article_id"].tolist() == facts.articles["article_id"].tolist()
    assert len(loaded.quantities) == 1


def test_load_facts_rejects_an_input_without_articles(tmp_path):
    from newskit.store import write_facts

    write_facts(nk.Facts.empty(), tmp_path / "empty")
    with pytest.raises(ParameterError, match="holds no articles"):
        report.load_facts(tmp_path / "empty")


def test_tables_escape_article_text():
    df = pd.DataFrame({"content": ['<script>alert("x")</script>', None], "actors": [["<b>A</b>", "B"], []]})
    markup = report.table_html(df)
    assert "<script>" not in markup and "<b>" not in markup
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in markup
    assert "&lt;b&gt;A&lt;/b&gt;, B" in markup
    assert ">—</td>" in markup  # not reported
    assert (
        report.table_html(df.iloc[0:0], empty="no events found") == '<p class="nk-empty"><em>no events found</em></p>'
    )
    card = report.article_card({"title": "<img src=x onerror=alert(1)>", "tone": -0.25, "tone_label": "negative"})
    assert "<img" not in card and "&lt;img src=x onerror=alert(1)&gt;" in card
    assert "-0.25 (negative)" in card


def test_bidirectional_controls_are_shown_not_obeyed():
    rlo = "\u202e"  # RIGHT-TO-LEFT OVERRIDE: "evil\u202etxt.exe" reads as "evilexe.txt"
    df = pd.DataFrame({"title": [f"invoice{rlo}fdp.exe"], "actors": [["A\u2066B\u2069"]]})
    markup = report.table_html(df)
    assert rlo not in markup and "\u2066" not in markup and "\u2069" not in markup
    assert "invoice[U+202E]fdp.exe" in markup
    assert "A[U+2066]B[U+2069]" in markup
    card = report.article_card({"title": f"x{rlo}y", "source": "\u202aS\u202c"})
    assert "x[U+202E]y" in card and "[U+202A]S[U+202C]" in card
    assert not report.BIDI_CONTROLS.search(card)


def test_out_placeholders():
    out = report.format_out("reports/{date}/run-{time}")
    assert re.fullmatch(r"reports/\d{4}-\d{2}-\d{2}/run-\d{6}", out.as_posix())


def test_run_report_rejects_bad_parameters_before_running(tmp_path):
    with pytest.raises(ParameterError, match="parameter input="):
        report.run_report(tmp_path / "missing", tmp_path / "out", progress=False)
    with pytest.raises(ParameterError, match="parameter notebooks='summary'"):
        report.run_report(FIXTURES, tmp_path / "out", notebooks=["summary"], progress=False)
    with pytest.raises(ParameterError, match="parameter colour="):
        report.run_report(FIXTURES, tmp_path / "out", parameters={"colour": "red"}, progress=False)
    with pytest.raises(ParameterError, match="parameter start='yesterday-ish'"):
        report.run_report(
            FIXTURES, tmp_path / "out", notebooks=["timeline"], parameters={"start": "yesterday-ish"}, progress=False
        )
    assert not (tmp_path / "out").exists()  # nothing was written


def test_an_existing_report_folder_is_never_overwritten_silently(tmp_path):
    out = tmp_path / "reports" / "2024-01-01"
    out.mkdir(parents=True)
    (out / "index.html").write_text("yesterday's report", encoding="utf-8")
    with pytest.raises(ParameterError, match=r"parameter out=.*already exists and is not empty.*--overwrite"):
        report.run_report(FIXTURES, out, notebooks=["article"], progress=False)
    assert (out / "index.html").read_text(encoding="utf-8") == "yesterday's report"
    assert not (tmp_path / "reports" / ".newskit-store").exists()  # refused before any extraction


def test_default_store_is_beside_the_dated_folders_not_inside(tmp_path):
    a = report.default_store(tmp_path / "feeds", report.format_out(tmp_path / "reports" / "{date}"))
    b = report.default_store(tmp_path / "feeds", tmp_path / "reports" / "1999-01-01")
    assert a == b  # every dated run of one input reuses one store
    assert a.parent == tmp_path / "reports" / ".newskit-store"
    assert report.default_store(tmp_path / "other", tmp_path / "reports" / "x") != a  # one per input


def test_report_folders_and_stores_inside_the_input_are_not_read(tmp_path):
    root = tmp_path / "in"
    (root / "2024").mkdir(parents=True)
    (root / "2024" / "a.txt").write_text("A.", encoding="utf-8")
    (root / "b.txt").write_text("B.", encoding="utf-8")
    (root / "README.md").write_text("docs", encoding="utf-8")
    old = root / "reports" / "2024-01-01"
    old.mkdir(parents=True)
    (old / report.REPORT_MARKER).write_text("", encoding="utf-8")
    (old / "article.html").write_text("<p>a report</p>", encoding="utf-8")
    (root / "reports" / "notes.txt").write_text("C.", encoding="utf-8")
    store = root / "facts"
    store.mkdir()
    (store / "manifest.json").write_text("{}", encoding="utf-8")
    assert report.report_inputs(root / "2024") == [root / "2024"]  # nothing to leave out: the folder itself
    assert report.report_inputs(root) == [root / "b.txt", root / "2024", root / "reports" / "notes.txt"]
    assert report.report_inputs(root, exclude=[root / "2024"]) == [root / "b.txt", root / "reports" / "notes.txt"]


def test_story_notebook_runs_when_present(tmp_path):
    for name in ("article", "timeline", "compare"):
        (tmp_path / f"{name}.ipynb").write_text("{}", encoding="utf-8")
    assert report.available_notebooks(tmp_path) == ("article", "timeline", "compare")
    (tmp_path / "story.ipynb").write_text("{}", encoding="utf-8")
    assert report.available_notebooks(tmp_path) == ("article", "timeline", "compare", "story")


# ---------------------------------------------------------------------------- a hostile article


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory) -> Path:
    """The article report of an article full of HTML, script and Markdown injection."""
    out = tmp_path_factory.mktemp("hostile")
    return report.run_report(FIXTURES, out, notebooks=["article"], progress=False)


class _Tags(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


@pytest.mark.slow
def test_hostile_article_is_shown_as_text(hostile_report):
    page = (hostile_report / "article.html").read_text(encoding="utf-8")
    parser = _Tags()
    parser.feed(page)
    names = [tag for tag, _ in parser.tags]
    assert "script" not in names  # not the article's, and the page carries none of its own
    assert not {"iframe", "svg", "b", "object", "embed"} & set(names)
    for tag, attrs in parser.tags:
        assert not [a for a in attrs if a.startswith("on")], (tag, attrs)
        for key in ("href", "src"):
            assert not (attrs.get(key) or "").strip().lower().startswith("javascript:"), (tag, attrs)
        if tag == "img":
            assert attrs["src"].startswith("data:image/png;base64,")
    assert "<style>body{display:none}" not in page
    # ... and the article's strings are there, as text
    assert "&lt;script&gt;document.title=" in page  # the headline and the quote
    assert "&lt;b onmouseover=" in page  # the source
    assert "PWNED-QUOTE" in page
    assert "[click here](javascript:document.title=" in page  # Markdown is not interpreted
    assert 'http-equiv="Content-Security-Policy"' in page
    index = (hostile_report / "index.html").read_text(encoding="utf-8")
    assert '<a href="article.html">article.html</a>' in index
    # with the code shown, the page is just as inert
    with_code = report.render_html(hostile_report / "article.ipynb", hostile_report / "with-code.html", with_code=True)
    page = with_code.read_text(encoding="utf-8")
    assert "validate_parameters" in page
    assert "<script" not in page and "&lt;script&gt;document.title=" in page


def _dump_dom(page: Path) -> str:
    result = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-dev-shm-usage",
            "--virtual-time-budget=3000",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return result.stdout


@pytest.mark.slow
def test_hostile_article_runs_no_script_in_a_browser(hostile_report, tmp_path):
    if not Path(CHROMIUM).exists():
        pytest.skip("headless Chromium is not installed (Debian: apt-get install chromium); browser check skipped")
    # The harness detects a script that runs: a page that does what the article tries, unescaped.
    control = tmp_path / "control.html"
    control.write_text(
        "<html><head><title>clean</title></head><body><script>document.title='PWNED-QUOTE';"
        "document.body.appendChild(document.createElement('pwned-element'))</script></body></html>",
        encoding="utf-8",
    )
    dom = _dump_dom(control)
    assert "<title>PWNED-QUOTE</title>" in dom and "<pwned-element>" in dom
    dom = _dump_dom(hostile_report / "article.html")
    assert "One article" in dom  # the page rendered
    title = re.search(r"<title>(.*?)</title>", dom, re.S).group(1)
    assert title == "newskit article report"
    assert "<pwned-element" not in dom
    assert not re.search(r"<body[^>]*data-pwned", dom)
    assert "PWNED-QUOTE" in dom  # shown as text


# ---------------------------------------------------------------------------- failures


@pytest.mark.slow
def test_failing_notebook_raises_notebook_error_after_writing_it(hostile_report, tmp_path):
    store = json.loads((hostile_report / "report.json").read_text(encoding="utf-8"))["store"]
    with pytest.raises(NotebookError) as caught:
        report.run_report(
            store, tmp_path / "out", notebooks=["timeline"], parameters={"entities": "Nobody Atall"}, progress=False
        )
    error = caught.value
    message = str(error)
    assert "\n" not in message
    assert error.notebook == str(tmp_path / "out" / "timeline.ipynb")
    assert error.cell == 3  # the title, the parameters, papermill's injected parameters, then validation
    assert error.error.startswith("ParameterError: parameter entities='Nobody Atall': is not an entity of the input")
    assert message.startswith(f"{error.notebook}: cell 3 failed: ParameterError")
    assert (tmp_path / "out" / "timeline.ipynb").is_file()  # the partial notebook is kept
    assert (tmp_path / "out" / "timeline.html").is_file()
    assert "failed" in (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert not (tmp_path / ".newskit-store").exists()  # the store given as input was reused, no other made
    assert json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))["store"] == store


# ---------------------------------------------------------------------------- what figures show


def test_figure_info_reads_axis_ranges_and_keeps_the_plot_info(monkeypatch):
    from matplotlib.figure import Figure

    fig = Figure()
    ax = fig.add_subplot()
    ax.plot([pd.Timestamp("2024-01-01"), pd.Timestamp("2024-03-01")], [1, 5])
    ax.set_xlim(pd.Timestamp("2024-01-01"), pd.Timestamp("2024-03-01"))
    ax.set_ylim(0, 10)
    fig.newskit_info = {"title": "Tone", "kind": "line", "n_drawn": 1, "n_hidden": 2, "series": {}}
    info = report.figure_info(fig, "tone")
    assert info["name"] == "tone" and info["title"] == "Tone" and info["kind"] == "line"
    assert (info["n_drawn"], info["n_hidden"]) == (1, 2)
    assert info["axes"][0]["x"] == ["2024-01-01T00:00:00", "2024-03-01T00:00:00"]
    assert info["axes"][0]["y"] == [0.0, 10.0]

    shown = []
    monkeypatch.setattr(sys.modules["newskit.report.display"], "_display", lambda obj, **kw: shown.append((obj, kw)))
    report.show_figure(fig, "tone")
    data, kwargs = shown[0]
    assert data["image/png"]  # base64 PNG
    assert kwargs["metadata"]["newskit"] == info


def test_figure_info_without_plot_info_reads_bars_from_the_axes():
    from matplotlib.figure import Figure

    fig = Figure()
    ax = fig.add_subplot()
    ax.barh(["killed", "injured"], [3, 12], label="Dravik attack")
    ax.set_title("Casualties")
    info = report.figure_info(fig, "casualties")
    assert info["title"] == "Casualties" and info["kind"] == "bar"
    assert info["n_drawn"] == 2 and info["n_hidden"] is None
    assert info["series"] == {"Dravik attack": {"killed": 3.0, "injured": 12.0}}
    assert info["axes"][0]["x"][1] >= 12


# ---------------------------------------------------------------------------- scheduled runs

DREDGING = Path(__file__).resolve().parents[1] / "data" / "demo" / "2024-01-15-marovel-herald-dredging.txt"


@pytest.mark.slow
def test_bad_parameter_is_one_line_through_plain_papermill(tmp_path):
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    with pytest.raises(PapermillExecutionError) as caught:
        papermill.execute_notebook(
            str(report.notebooks_dir() / "timeline.ipynb"),
            str(tmp_path / "timeline.ipynb"),
            kernel_name=report.KERNEL,
            progress_bar=False,
            execution_timeout=120,
            parameters={"input": str(FIXTURES), "end": "03/04/2018"},
        )
    error = caught.value
    assert error.ename == "ParameterError"
    assert "parameter end='03/04/2018': is not a date (day and month order is ambiguous)" in error.evalue
    assert error.traceback == [f"ParameterError: {error.evalue}"]  # one line, not a 50-line traceback
    nb = nbformat.read(tmp_path / "timeline.ipynb", as_version=4)
    outputs = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert [len(o["traceback"]) for o in outputs] == [1]


@pytest.fixture(scope="module")
def feed_dir(tmp_path_factory) -> Path:
    """A folder of articles as a nightly job meets it: a good one, one with a bidi override, a stray file."""
    if not DREDGING.is_file():
        pytest.skip("data/demo is absent")
    root = tmp_path_factory.mktemp("nightly") / "in"
    root.mkdir()
    shutil.copy(DREDGING, root / "dredging.txt")
    (root / "bidi.txt").write_text(
        "title: Leaked invoice\u202egnp.exe circulates\ndate: 2024-02-01\nsource: Wire\n\n"
        "MAROVEL, Lorvania — Police said two people were injured in Marovel on Monday.\n",
        encoding="utf-8",
    )
    (root / "notes.xyz").write_text("not an article", encoding="utf-8")
    return root


@pytest.mark.slow
def test_scheduled_runs_reuse_one_store_and_never_read_their_own_reports(feed_dir, capsys):
    out = feed_dir / "reports" / "{date}"  # written INSIDE the input, as a careless cron line would
    first = report.run_report(feed_dir, out, notebooks=["article"], parameters={"article": "bidi.txt"})
    err = capsys.readouterr().err
    assert "2 extracted" in err
    assert re.search(r"skipped \S*notes\.xyz: unknown file type \.xyz", err)  # warn: listed on stderr, no raise
    manifest = json.loads((first / "report.json").read_text(encoding="utf-8"))
    store = Path(manifest["store"])
    assert store.parent == feed_dir / "reports" / ".newskit-store"  # beside the dated folders, not inside
    assert manifest["articles"] == 2
    assert [Path(s["path"]).name for s in manifest["skipped"]] == ["notes.xyz"]
    index = (first / "index.html").read_text(encoding="utf-8")
    assert f'<meta http-equiv="Content-Security-Policy" content="{report.CSP}">' in index
    assert "Skipped inputs (1)" in index and "notes.xyz" in index
    page = (first / "article.html").read_text(encoding="utf-8")
    assert "Leaked invoice[U+202E]gnp.exe circulates" in page  # shown, not obeyed
    assert not report.BIDI_CONTROLS.search(page) and not report.BIDI_CONTROLS.search(index)

    # the next night: same store, nothing re-extracted, and the report folder is not read as articles
    again = report.run_report(
        feed_dir, first, notebooks=["article"], parameters={"article": "bidi.txt"}, overwrite=True
    )
    err = capsys.readouterr().err
    assert again == first
    assert "0 extracted" in err
    manifest2 = json.loads((again / "report.json").read_text(encoding="utf-8"))
    assert manifest2["store"] == manifest["store"]
    assert manifest2["articles"] == 2
    assert [Path(s["path"]).name for s in manifest2["skipped"]] == ["notes.xyz"]
    assert manifest2["started"] >= manifest["started"]
    assert not list((feed_dir / "reports").glob(".*.partial-*")) and not list((feed_dir / "reports").glob(".*.old-*"))


def test_table_cells_show_numbers_for_people_not_scientific_notation():
    from newskit.report.display import table_html

    markup = table_html(pd.DataFrame({"what": ["bail"], "value": [325000.0]}))
    assert "325,000" in markup and "e+05" not in markup


def test_article_card_with_unknown_tone_label_does_not_crash():
    from newskit.report.display import article_card

    card = article_card({"title": "Floods", "tone": 0.3, "tone_label": pd.NA})
    assert "+0.30 (—)" in card


def test_casualty_totals_add_one_reconciled_figure_per_story():
    def figure(story, measure, group, value, low=None, high=None):
        return {"story_id": story, "figure_id": f"{story}-{measure}-{group}", "measure": measure, "group": group,
                "value": value, "low": low if low is not None else value, "high": high if high is not None else value}  # fmt: skip

    figures = [
        figure("S1", "killed", None, 12.0, 12.0, 15.0),  # three outlets said 12, 13, 15: counted once, as 12
        figure("S1", "killed", "police officer", 2.0),  # part of the 12, not added
        figure("S1", "injured", None, 30.0),
        figure("S2", "killed", "attacker", 3.0),  # no story-wide figure: the largest group's, never 3 + 1
        figure("S2", "killed", "police officer", 1.0),
        figure("S2", "count", "people", 45_000_000.0),  # not a casualty
        figure("S3", "displaced", None, 2000.0),
    ]
    facts = nk.Facts.from_frames({"figures": frame("figures", figures)})
    totals = report.casualty_totals(facts)
    assert totals["totals"] == {"killed": 15.0, "injured": 30.0, "displaced": 2000.0}
    assert totals["stories"] == {
        "S1": {"killed": 12.0, "injured": 30.0},
        "S2": {"killed": 3.0},
        "S3": {"displaced": 2000.0},
    }
    assert totals["n_stories"] == 3
    assert report.casualty_totals(nk.Facts.empty()) == {"totals": {}, "stories": {}, "n_stories": 0}


def test_figure_info_takes_extra_facts_without_letting_them_replace_its_own():
    from matplotlib.figure import Figure

    fig = Figure()
    fig.add_subplot().barh(["Dravik attack", "Ostrel clash"], [12, 0])
    info = report.figure_info(fig, "casualties", extra={"casualty_totals": {"killed": 12.0}, "title": "not this"})
    assert info["casualty_totals"] == {"killed": 12.0}
    assert info["title"] == "" and info["n_drawn"] == 2
    assert info["axes"][0]["n_yticklabels"] == 2  # the two story labels
