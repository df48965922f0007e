"""The explorers' callbacks, driven by setting widget values as a click would (no browser)."""

from __future__ import annotations

import pytest

import newskit as nk
from newskit import plots
from newskit.schema import frame
from newskit.widgets import CompareExplorer, TimelineExplorer

pytest.importorskip("ipywidgets")

EVENTS = [
    {
        "article_id": "a1",
        "date_start": "2024-01-14",
        "date_end": "2024-01-14",
        "kind": "protest",
        "description": "Residents protested in Dravik",
        "actors": ["residents"],
        "places": ["Dravik"],
    },
    {
        "article_id": "a1",
        "date_start": "2024-03-10",
        "date_end": "2024-03-10",
        "kind": "violence",
        "description": "Gunmen attacked the bridge",
        "actors": ["gunmen"],
        "places": ["Dravik"],
    },
    {
        "article_id": "a2",
        "date_start": "2024-03-11",
        "date_end": "2024-03-11",
        "kind": "statement",
        "description": "Kestria blamed the police",
        "actors": ["Kestria"],
        "places": [],
    },
    {
        "article_id": "a3",
        "date_start": "2024-05-01",
        "date_end": "2024-05-31",
        "kind": "agreement",
        "description": "A ceasefire was signed in May",
        "actors": ["Kestria", "Lorvania"],
        "places": ["Tarnholm"],
    },
]


@pytest.fixture
def facts() -> nk.Facts:
    articles = [
        {"article_id": "a1", "published": "2024-01-15", "source": "Marovel Herald", "text": "-"},
        {"article_id": "a2", "published": "2024-03-12", "source": "Brenholt Daily", "text": "-"},
        {"article_id": "a3", "published": "2024-05-21", "source": "Marovel Herald", "text": "-"},
    ]
    mentions = [
        {"article_id": a, "name": n, "label": "GPE"}
        for a, n in [("a1", "Dravik"), ("a2", "Kestria"), ("a3", "Kestria"), ("a3", "Lorvania")]
    ]
    return nk.Facts.from_frames(
        {
            "articles": frame("articles", articles),
            "events": frame("events", EVENTS),
            "mentions": frame("mentions", mentions),
        }
    )


def _shown_html(output) -> str:
    return "".join(o["data"].get("text/html", "") for o in output.outputs)


def test_timeline_explorer_starts_with_every_event(facts):
    explorer = TimelineExplorer(facts)
    assert len(explorer.events) == 4
    assert plots.figure_summary(explorer.figure)["points"] == 3  # the May ceasefire is a bar
    assert explorer.dates.options == ("2024-01", "2024-02", "2024-03", "2024-04", "2024-05")
    assert set(explorer.entities.options[:2]) == {"Dravik", "Kestria"}  # involved in two events each
    assert "image/png" in explorer.figure_out.outputs[0]["data"]
    assert "Gunmen attacked the bridge" in _shown_html(explorer.table_out)


def test_kind_filter_redraws_one_lane_per_kind(facts):
    explorer = TimelineExplorer(facts)
    explorer.kinds.value = ("violence", "statement")
    assert list(explorer.events["kind"]) == ["violence", "statement"]
    ticks = [t.get_text() for t in explorer.figure.axes[0].get_yticklabels()]
    assert ticks == ["violence", "statement"]
    assert "Residents protested" not in _shown_html(explorer.table_out)


def test_entity_filter_gives_entity_lanes(facts):
    explorer = TimelineExplorer(facts)
    explorer.entities.value = ("Kestria",)
    assert list(explorer.events["description"]) == ["Kestria blamed the police", "A ceasefire was signed in May"]
    assert [t.get_text() for t in explorer.figure.axes[0].get_yticklabels()] == ["Kestria"]


def test_date_slider_narrows_the_window(facts):
    explorer = TimelineExplorer(facts)
    explorer.dates.index = (2, 2)  # March 2024 only
    start, end = explorer.window()
    assert (start.isoformat()[:10], end.isoformat()[:10]) == ("2024-03-01", "2024-03-31")
    assert list(explorer.events["kind"]) == ["violence", "statement"]
    assert plots.figure_summary(explorer.figure)["points"] == 2
    explorer.kinds.value = ("agreement",)  # nothing of that kind in March
    assert explorer.events.empty
    assert plots.figure_summary(explorer.figure)["message"] == "no events found"
    assert "no events found" in _shown_html(explorer.table_out)


def test_initial_values_come_from_the_notebook_parameters(facts):
    explorer = TimelineExplorer(facts, kinds=["agreement"], start="2024-04-15", end="2024-06-30")
    assert explorer.dates.value == ("2024-04", "2024-05")
    assert list(explorer.events["description"]) == ["A ceasefire was signed in May"]


def test_explorers_work_on_empty_facts():
    explorer = TimelineExplorer(nk.Facts.empty())
    assert explorer.dates.disabled
    assert plots.figure_summary(explorer.figure)["message"] == "no events found"
    explorer.kinds.value = ("violence",)
    assert explorer.events.empty
    compare = CompareExplorer(nk.Facts.empty())
    assert plots.figure_summary(compare.figure)["message"] == "no entity mentions found"


def test_compare_explorer_regroups_the_heatmap(facts):
    explorer = CompareExplorer(facts)
    assert explorer.figure.axes[0].get_xlabel() == "source (outlet)"
    explorer.group_by.value = "month"
    ax = explorer.figure.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2024-01", "2024-03", "2024-05"]
    explorer.entities.value = ("Kestria",)
    assert [t.get_text() for t in explorer.figure.axes[0].get_yticklabels()] == ["Kestria"]
