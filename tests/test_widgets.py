"""The explorers' callbacks, driven by setting widget values as a click would (no browser)."""

from __future__ import annotations

import pandas as pd
import pytest
from linked_helpers import linked_facts

import newskit as nk
from newskit import plots
from newskit.schema import frame
from newskit.widgets import MAX_OPTIONS, CompareExplorer, TimelineExplorer, date_stops

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
    # 14 Jan to 31 May: more than three months, so one stop per week (Mondays), not per month or year
    stops = explorer.dates.options
    assert (stops[0], stops[-1], len(stops)) == ("2024-01-08", "2024-05-27", 21)
    assert set(explorer.entity_search.options[:2]) == {"Dravik", "Kestria"}  # involved in two events each
    assert explorer.entities.options == ()  # nobody followed yet
    assert explorer.story.disabled  # no stories in unlinked facts
    assert "image/png" in explorer.figure_out.outputs[0]["data"]
    assert "Gunmen attacked the bridge" in _shown_html(explorer.table_out)


def test_kind_filter_redraws_one_lane_per_kind(facts):
    explorer = TimelineExplorer(facts)
    explorer.kinds.value = ("violence", "statement")
    assert list(explorer.events["kind"]) == ["violence", "statement"]
    ticks = [t.get_text() for t in explorer.figure.axes[0].get_yticklabels()]
    assert ticks == ["violence", "statement"]
    assert "Residents protested" not in _shown_html(explorer.table_out)


def test_typing_an_entity_follows_it(facts):
    explorer = TimelineExplorer(facts)
    explorer.entity_search.value = "Kestria"  # what choosing a typed-ahead option does
    assert explorer.entities.value == ("Kestria",)
    assert explorer.entity_search.value == ""  # ready for the next one
    assert list(explorer.events["description"]) == ["Kestria blamed the police", "A ceasefire was signed in May"]
    assert [t.get_text() for t in explorer.figure.axes[0].get_yticklabels()] == ["Kestria"]
    explorer.entities.value = ()  # deselecting drops the filter
    assert len(explorer.events) == 4


def test_date_slider_narrows_the_window(facts):
    explorer = TimelineExplorer(facts)
    explorer.dates.index = (8, 9)  # the weeks of 4 and 11 March 2024
    start, end = explorer.window()
    assert (start.isoformat()[:10], end.isoformat()[:10]) == ("2024-03-04", "2024-03-17")
    assert list(explorer.events["kind"]) == ["violence", "statement"]
    assert plots.figure_summary(explorer.figure)["points"] == 2
    explorer.kinds.value = ("agreement",)  # nothing of that kind in March
    assert explorer.events.empty
    assert plots.figure_summary(explorer.figure)["message"] == "no events found"
    assert "no events found" in _shown_html(explorer.table_out)


def test_initial_values_come_from_the_notebook_parameters(facts):
    explorer = TimelineExplorer(facts, kinds=["agreement"], start="2024-04-15", end="2024-06-30")
    assert explorer.dates.value == ("2024-04-15", "2024-05-27")
    assert list(explorer.events["description"]) == ["A ceasefire was signed in May"]


def test_slider_stops_cover_the_bulk_not_stray_years():
    days = [f"2018-{m:02d}-{d:02d}" for m in range(1, 13) for d in (3, 17)] + ["1700-06-01", "2045-01-01"]
    events = frame("events", [{"article_id": "a", "date_start": d, "date_end": d, "kind": "violence"} for d in days])
    stops = date_stops(pd.concat([events["date_start"], events["date_end"]]))
    assert stops[0][0] == "2018-01-01" and stops[-1][0] == "2018-12-17"  # weeks of 2018 only
    assert len(stops) == 51  # not 346 yearly stops from 1700 to 2045
    explorer = TimelineExplorer(nk.Facts.from_frames({"events": events}))
    assert len(explorer.dates.options) == 51


def test_pickers_offer_at_most_a_few_hundred_names():
    events = frame(
        "events",
        [
            {"article_id": "a", "date_start": "2024-01-01", "date_end": "2024-01-01", "actors": [f"Person {i}"]}
            for i in range(1000)
        ],
    )
    explorer = TimelineExplorer(nk.Facts.from_frames({"events": events}))
    assert len(explorer.entity_search.options) == MAX_OPTIONS == 300


def test_story_picker_filters_to_one_story():
    explorer = TimelineExplorer(linked_facts())
    headlines = explorer.story.options
    assert headlines[0] == "Dravik bridge attack: 14 (12–15) killed"  # three outlets: first
    assert set(headlines) == {"Dravik bridge attack: 14 (12–15) killed", "Tarnholm ceasefire", "Harbour fire"}
    explorer.story.value = "Tarnholm ceasefire"
    assert list(explorer.events["description"]) == ["Lorvania and Kestria signed a ceasefire"]
    explorer.story.value = ""
    assert len(explorer.events) == 6


def test_explorers_work_on_empty_facts():
    explorer = TimelineExplorer(nk.Facts.empty())
    assert explorer.dates.disabled
    assert explorer.entity_search.disabled
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
    explorer.entity_search.value = "Kestria"
    assert [t.get_text() for t in explorer.figure.axes[0].get_yticklabels()] == ["Kestria"]
