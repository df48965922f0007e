"""Report parameters, loading, safe display, and a hostile article rendered without running anything."""

from __future__ import annotations

import html.parser
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
    store = hostile_report / "facts"
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
    assert not (tmp_path / "out" / "facts").exists()  # the store given as input was reused
