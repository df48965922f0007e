"""Charts are checked by what they draw: marks, labels, titles, folding into "other"."""

from __future__ import annotations

import itertools
import json

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
import pytest
from linked_helpers import linked_facts
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

import newskit as nk
from newskit import plots, report
from newskit.errors import ParameterError
from newskit.schema import frame

# A small, hand-written storyline: five events, two outlets, a disputed number.
ARTICLES = [
    {
        "article_id": "a1",
        "published": "2024-03-12",
        "title": "Twelve killed at $ bridge",
        "source": "Riverwatch News",
        "text": "-",
        "tone": -0.4,
    },
    {
        "article_id": "a2",
        "published": "2024-03-13",
        "title": "Fifteen died, Kestria says",
        "source": "Brenholt Daily",
        "text": "-",
        "tone": -0.2,
    },
    {
        "article_id": "a3",
        "published": "2024-05-21",
        "title": "Ceasefire signed",
        "source": "Riverwatch News",
        "text": "-",
        "tone": 0.3,
    },
]
EVENTS = [
    # one day each: drawn as points
    {
        "article_id": "a1",
        "date_start": "2024-03-10",
        "date_end": "2024-03-10",
        "precision": "day",
        "kind": "violence",
        "description": "Gunmen attacked the Dravik bridge",
        "actors": ["Gunmen"],
        "places": ["Dravik"],
    },
    {
        "article_id": "a2",
        "date_start": "2024-03-11",
        "date_end": "2024-03-11",
        "precision": "day",
        "kind": "statement",
        "description": "Kestria blamed Lorvanian police",
        "actors": ["Kestria"],
        "places": [],
    },
    {
        "article_id": "a3",
        "date_start": "2024-05-20",
        "date_end": "2024-05-20",
        "precision": "day",
        "kind": "agreement",
        "description": "Lorvania and Kestria signed a ceasefire",
        "actors": ["Lorvania", "Kestria"],
        "places": ["Tarnholm"],
    },
    # intervals: a month and a decade (bars), and an open bound "before 2003" (hatched bar)
    {
        "article_id": "a1",
        "date_start": "2024-02-01",
        "date_end": "2024-02-29",
        "precision": "month",
        "kind": "protest",
        "description": "Residents protested in February",
        "actors": ["residents"],
        "places": ["Dravik"],
    },
    {
        "article_id": "a3",
        "date_start": "2000-01-01",
        "date_end": "2009-12-31",
        "precision": "decade",
        "kind": "violence",
        "description": "Clashes on the Serrin in the 2000s",
        "actors": ["Kestria"],
        "places": ["Serrin River"],
    },
    {
        "article_id": "a3",
        "date_start": None,
        "date_end": "2002-12-31",
        "precision": "bound",
        "kind": "agreement",
        "description": "The border treaty was signed before 2003",
        "actors": ["Lorvania", "Kestria"],
        "places": [],
    },
    # undated: never drawn
    {
        "article_id": "a2",
        "date_start": None,
        "date_end": None,
        "precision": None,
        "kind": "other",
        "description": "undated",
    },
]


@pytest.fixture(scope="module")
def facts() -> nk.Facts:
    mentions = [
        {"article_id": aid, "name": name, "label": label, "entity_id": f"E{name}"}
        for aid, name, label, n in [
            ("a1", "Kestria", "GPE", 3),
            ("a2", "Kestria", "GPE", 5),
            ("a1", "Lorvania", "GPE", 2),
            ("a3", "Lorvania", "GPE", 1),
            ("a2", "Mara Voss", "PERSON", 2),
        ]
        for _ in range(n)
    ]
    quantities = [
        {
            "article_id": "a1",
            "value": 12.0,
            "low": 12.0,
            "high": 12.0,
            "counted": "people",
            "kind": "COUNT",
            "text": "twelve",
        },
        {
            "article_id": "a2",
            "value": 15.0,
            "low": 15.0,
            "high": 15.0,
            "counted": "People",
            "kind": "COUNT",
            "text": "15",
        },
        {
            "article_id": "a1",
            "value": 2000.0,
            "low": 2000.0,
            "high": 2000.0,
            "counted": "families",
            "kind": "COUNT",
            "text": "2,000",
        },
        {
            "article_id": "a2",
            "value": 3500.0,
            "low": 3000.0,
            "high": 4000.0,
            "mod": "APPROX",
            "counted": "families",
            "kind": "COUNT",
            "text": "about 3,500",
        },
        {
            "article_id": "a3",
            "value": 40.0,
            "low": 40.0,
            "high": 40.0,
            "unit": "km",
            "counted": "river",
            "kind": "QUANTITY",
            "text": "40 km",
        },
    ]
    casualties = [
        {"article_id": "a1", "group": "civilian", "count": 9, "low": 9, "high": 9, "outcome": "killed"},
        {"article_id": "a1", "group": "police officer", "count": 3, "low": 3, "high": 3, "outcome": "killed"},
        {"article_id": "a1", "group": "civilian", "count": 20, "low": 20, "high": 20, "outcome": "injured"},
        {
            "article_id": "a2",
            "group": "civilian",
            "count": None,
            "low": None,
            "outcome": "injured",
        },  # not reported: left out
    ]
    attributions = [
        {"article_id": "a1", "kind": "direct", "source": "Mara Voss"},
        {"article_id": "a1", "kind": "indirect", "source": "Mara Voss"},
        {"article_id": "a2", "kind": "mixed", "source": "Oskar Lindqvar"},
        {"article_id": "a2", "kind": "indirect", "source": None},
    ]
    return nk.Facts.from_frames(
        {
            "articles": frame("articles", ARTICLES),
            "events": frame("events", EVENTS),
            "mentions": frame("mentions", mentions),
            "quantities": frame("quantities", quantities),
            "casualties": frame("casualties", casualties),
            "attributions": frame("attributions", attributions),
        }
    )


def _render(fig: Figure):
    canvas = FigureCanvasAgg(fig)
    canvas.draw()  # lays out the text so extents are real
    return canvas.get_renderer()


def test_timeline_draws_points_for_days_and_bars_for_intervals(facts):
    fig = plots.timeline(facts.events)
    summary = plots.figure_summary(fig)
    assert summary["points"] == 3  # three events dated to a day
    assert summary["bars"] == 1  # February; the 2000s are far from the rest, "before 2003" is open
    assert summary["labels"] == 4  # the undated event is not drawn
    assert summary["title"] == "Events over time (4 events)"
    assert summary["xlabel"].startswith("date")
    ax = fig.axes[0]
    assert isinstance(ax.xaxis.get_major_formatter(), mdates.ConciseDateFormatter)
    assert not [p for p in ax.patches if p.get_hatch()]  # open bounds are counted, not drawn
    info = fig.newskit_info
    assert (info["kind"], info["n_drawn"], info["n_hidden"]) == ("timeline", 4, 2)
    assert info["outliers"] == [{"date": "2000-01-01 – 2009-12-31", "label": "Clashes on the Serrin in the 2000s"}]
    assert "1 known only as before/after a date (not drawn)" in summary["xlabel"]
    # the axis spans 2024 only: the decade is listed, not drawn across twenty years
    left, right = (mdates.num2date(x).date().isoformat() for x in ax.get_xlim())
    assert left >= "2024-01-01" and right <= "2024-12-31"


def test_timeline_draws_open_bounds_only_when_asked(facts):
    fig = plots.timeline(facts.events, open_bounds=True, start="2000-01-01", end="2024-06-30")
    ax = fig.axes[0]
    hatched = [p for p in ax.patches if p.get_hatch()]
    assert len(hatched) == 1  # only "before 2003" is open-ended
    # the open bar is a short stub that ends with 2002
    assert mdates.num2date(hatched[0].get_x() + hatched[0].get_width()).date().isoformat() == "2003-01-01"
    renderer = _render(fig)
    assert 20 < hatched[0].get_window_extent(renderer).width < 0.05 * ax.get_window_extent(renderer).width
    assert fig.newskit_info["n_drawn"] == 6


def test_timeline_labels_do_not_collide_and_stay_inside(facts):
    crowded = frame(
        "events",
        [
            {
                "article_id": "a",
                "date_start": f"2024-03-{day:02d}",
                "date_end": f"2024-03-{day:02d}",
                "kind": "statement",
                "description": f"Minister number {day} said something at length",
            }
            for day in range(1, 21)
        ],
    )
    for events in (facts.events, crowded):
        fig = plots.timeline(events)
        renderer = _render(fig)
        ax = fig.axes[0]
        labels = [t for t in ax.texts if t.get_gid() == "event-labels"]
        boxes = [t.get_window_extent(renderer) for t in labels]
        for a, b in itertools.combinations(boxes, 2):
            assert not a.overlaps(b)
        axes_box = ax.get_window_extent(renderer)
        assert all(box.x1 <= axes_box.x1 + 1 for box in boxes)
    assert plots.figure_summary(plots.timeline(crowded))["points"] == 20


def test_timeline_lanes_per_entity_and_kind(facts):
    selected = plots.select_events(facts.events, entities=["kestria", "Tarnholm"])
    assert len(selected) == 4  # Kestria in 4 events (one of them also in Tarnholm)
    fig = plots.timeline(selected, lane_by="entity", lanes=["Kestria", "Tarnholm"])
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["Kestria", "Tarnholm"]
    # the ceasefire belongs to both lanes: drawn twice
    assert plots.figure_summary(fig)["points"] == 3
    fig = plots.timeline(facts.events, lane_by="kind", lanes=["violence", "agreement"])
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["violence", "agreement"]
    # the bridge attack and the ceasefire; the 2000s clashes are off the axis, "before 2003" is open
    assert plots.figure_summary(fig)["labels"] == 2


def test_timeline_entity_lanes_do_not_depend_on_the_hash_seed(facts):
    # On the axis: the bridge attack (Gunmen; Dravik), Kestria's statement, the ceasefire (Lorvania,
    # Kestria; Tarnholm) and the protest (residents; Dravik). Dravik and Kestria are in two events each,
    # the rest in one: ties keep the order the events name them in, in every process.
    fig = plots.timeline(facts.events, lane_by="entity")
    lanes = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert lanes == ["Dravik", "Kestria", "Gunmen", "Lorvania", "Tarnholm", "residents"]


def test_select_events_window_entities_kinds(facts):
    march = plots.select_events(facts.events, start="2024-03-01", end="2024-03-31")
    assert list(march["description"]) == ["Gunmen attacked the Dravik bridge", "Kestria blamed Lorvanian police"]
    early = plots.select_events(facts.events, end="2001-06-30")
    # the 2000s overlap the window and "before 2003" is open to the left; the undated event is dropped
    assert sorted(early["precision"]) == ["bound", "decade"]
    assert len(plots.select_events(facts.events, kinds=["agreement"])) == 2
    assert len(plots.select_events(facts.events)) == len(facts.events)


def test_timeline_of_many_events_counts_per_period():
    rng = np.random.default_rng(7)
    days = pd.Timestamp("2010-01-01") + pd.to_timedelta(rng.integers(0, 365 * 10, 10_000), unit="D")
    kinds = rng.choice(["violence", "statement", "protest"], 10_000)
    events = frame(
        "events",
        [{"article_id": "x", "date_start": d, "date_end": d, "kind": k} for d, k in zip(days, kinds, strict=True)],
    )
    fig = plots.timeline(events, lane_by="kind")
    summary = plots.figure_summary(fig)
    assert summary["title"] == "Events over time (10000 events, counted per year)"
    assert summary["ylabel"] == "events per year"
    heights = sum(p.get_height() for p in fig.axes[0].patches if p.get_gid() == "count-bars")
    assert heights == 10_000
    assert summary["labels"] == 0


def test_every_chart_says_so_when_tables_are_empty():
    empty = nk.Facts.empty()
    charts = {
        plots.timeline(empty.events): "no events found",
        plots.entity_mentions(empty): "no entities found",
        plots.mentions_heatmap(empty): "no entity mentions found",
        plots.quantity_values(empty): "no quantities found",
        plots.quantity_disagreement(empty): "no counted quantities found",
        plots.casualties_by_group(empty): "no casualties found",
        plots.quotes_per_speaker(empty): "no attributed statements found",
        plots.tone_over_time(empty): "no dated articles with a tone score",
    }
    for fig, message in charts.items():
        summary = plots.figure_summary(fig)
        assert summary["message"] == message
        assert summary["title"]
        _render(fig)


def test_mentions_heatmap_counts_and_folds_into_other(facts):
    fig = plots.mentions_heatmap(facts, group_by="source")
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Brenholt Daily", "Riverwatch News"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Kestria", "Lorvania", "Mara Voss"]
    values = ax.images[0].get_array()
    assert values.sum() == len(facts.mentions) == 13
    assert values[0].tolist() == [5, 3]  # Kestria: 5 in the Brenholt Daily article, 3 in Riverwatch
    assert ax.get_xlabel() == "source (outlet)"
    assert fig.axes[1].get_ylabel() == "mentions (count)"
    folded = plots.mentions_heatmap(facts, group_by="article", top_n=1)
    labels = [t.get_text() for t in folded.axes[0].get_yticklabels()]
    assert labels == ["Kestria", "other"]
    assert folded.axes[0].images[0].get_array()[1].sum() == 5  # Lorvania 3 + Mara Voss 2
    # the "$" of a headline is shown, not read as mathtext
    assert r"Twelve killed at \$ bridge" in [t.get_text() for t in folded.axes[0].get_xticklabels()]
    _render(folded)


def test_heatmap_by_month_and_filter(facts):
    fig = plots.mentions_heatmap(facts, group_by="month", entities=["lorvania"])
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2024-03", "2024-05"]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Lorvania"]
    with pytest.raises(ParameterError, match="group_by"):
        plots.mentions_heatmap(facts, group_by="outlet")


def test_quantity_disagreement_shows_each_report(facts):
    fig = plots.quantity_disagreement(facts)
    summary = plots.figure_summary(fig)
    ax = fig.axes[0]
    # "people" (12 vs 15) and "families" (2,000 vs 3,500) were reported by two articles; the river by one
    assert {t.get_text() for t in ax.get_yticklabels()} == {"families", "people"}
    assert summary["points"] == 4
    assert summary["title"].endswith("(4 reports)")
    assert {t.get_text() for t in ax.get_legend().get_texts()} == {"Riverwatch News", "Brenholt Daily"}
    assert ax.get_xscale() == "log"  # 12 to 3,500


def test_quantity_values_of_one_article(facts):
    one = report.subset(facts, ["a2"])
    fig = plots.quantity_values(one)
    ax = fig.axes[0]
    assert plots.figure_summary(fig)["points"] == 2
    assert [t.get_text() for t in ax.get_yticklabels()] == ["15 — People", "about 3,500 — families"]
    segments = ax.collections[0].get_segments()  # the range line of "about 3,500": 3,000 to 4,000
    assert [list(s[:, 0]) for s in segments][1] == [3000.0, 4000.0]


def test_casualties_stacked_by_outcome(facts):
    fig = plots.casualties_by_group(facts)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["police officer", "civilian"]
    assert {t.get_text() for t in ax.get_legend().get_texts()} == {"killed", "injured"}
    ends = {}
    for patch in ax.patches:
        ends[round(patch.get_y() + patch.get_height() / 2)] = max(
            ends.get(round(patch.get_y() + patch.get_height() / 2), 0), patch.get_x() + patch.get_width()
        )
    assert ends == {
        0: 3,
        1: 29,
    }  # police: 3 killed; civilians: 9 killed + 20 injured (the unreported toll adds nothing)
    assert ax.get_xlabel() == "people (sum of reported counts)"


def test_quotes_per_speaker(facts):
    fig = plots.quotes_per_speaker(facts)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()][-1] == "Mara Voss"  # most quoted on top
    assert plots.figure_summary(fig)["bars"] == 4
    assert ax.get_xlabel() == "statements attributed (count)"
    folded = plots.quotes_per_speaker(facts, top_n=1)
    assert {t.get_text() for t in folded.axes[0].get_yticklabels()} == {"Mara Voss", "other"}


def test_tone_over_time_one_line_per_source(facts):
    fig = plots.tone_over_time(facts)
    ax = fig.axes[0]
    summary = plots.figure_summary(fig)
    assert summary["lines"] == 2
    assert summary["ylabel"].startswith("mean tone")
    assert ax.get_ylim() == (-1.05, 1.05)
    riverwatch = next(line for line in ax.get_lines() if line.get_label() == "Riverwatch News")
    # March and May are weeks apart: the line breaks (NaN) instead of joining them
    y = list(riverwatch.get_ydata())
    assert y[0] == -0.4 and np.isnan(y[1]) and y[2] == 0.3
    assert fig.newskit_info["series"]["Riverwatch News"] == {"2024-03-11": -0.4, "2024-05-20": 0.3}
    assert isinstance(ax.xaxis.get_major_formatter(), mdates.ConciseDateFormatter)


def test_entity_mentions_top_n(facts):
    fig = plots.entity_mentions(facts, top_n=2)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Lorvania", "Kestria"]
    assert [p.get_width() for p in ax.patches] == [3, 8]


def test_palette_is_okabe_ito():
    assert plots.palette(2) == ["#E69F00", "#56B4E9"]
    assert len(set(plots.palette(8))) == 8


def test_charts_stay_readable_for_thousands_of_articles():
    rng = np.random.default_rng(3)
    n = 10_000
    articles = pd.DataFrame(
        {
            "article_id": [f"a{i}" for i in range(n)],
            "published": pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 1500, n), unit="D"),
            "source": [f"Outlet {i}" for i in rng.integers(0, 120, n)],
            "text": "-",
            "tone": rng.uniform(-1, 1, n),
        }
    )
    mentions = pd.DataFrame(
        {
            "article_id": [f"a{i}" for i in rng.integers(0, n, 30_000)],
            "name": [f"Entity {i}" for i in rng.integers(0, 500, 30_000)],
            "label": "ORG",
        }
    )
    attributions = pd.DataFrame(
        {"article_id": mentions["article_id"][:5000], "kind": "direct", "source": mentions["name"][:5000]}
    )
    many = nk.Facts.from_frames({"articles": articles, "mentions": mentions, "attributions": attributions})
    heat = plots.mentions_heatmap(many, top_n=20, max_groups=25)
    ax = heat.axes[0]
    assert ax.images[0].get_array().shape == (21, 26)  # top 20 + other, top 25 outlets + other
    assert ax.images[0].get_array().sum() == 30_000  # nothing dropped, only folded
    by_month = plots.mentions_heatmap(many, group_by="month", max_groups=24)
    assert len(by_month.axes[0].get_xticklabels()) == 25  # the latest 24 months + other
    tone = plots.tone_over_time(many)
    assert plots.figure_summary(tone)["lines"] == 8  # 7 outlets + other
    speakers = [t.get_text() for t in plots.quotes_per_speaker(many).axes[0].get_yticklabels()]
    assert len(speakers) == 16 and speakers[0] == "other"  # the top 15 and, at the bottom, the rest


# ---------------------------------------------------------------------------- any date, any size

STRAY = {"1700": "1700-01-01", "2262": "2262-04-10"}


def _events(days, **extra):
    return frame(
        "events",
        [
            {
                "article_id": "a",
                "date_start": d,
                "date_end": d,
                "kind": "violence",
                "description": f"event {i}",
                **extra,
            }
            for i, d in enumerate(days)
        ],
    )


CASES = {
    "none": [],
    "one": ["2024-03-10"],
    "NaT only": [None],
    "1700 among 2024": ["1700-01-01", "2024-03-10", "2024-03-11", "2024-03-14"],
    "2262 among 2024": ["2024-03-10", "2024-03-11", "2262-04-10"],
    "only 1700 and 2262": ["1700-01-01", "2262-04-10"],
    "the limits of pandas": ["1677-09-22", "2262-04-11"],
}


@pytest.mark.parametrize("case", list(CASES))
def test_no_date_crashes_a_chart(case):
    events = _events(CASES[case], salient=True, dated_by="timex", story_id="S1")
    articles = frame(
        "articles",
        [
            {"article_id": f"a{i}", "published": d, "source": f"outlet {i % 2}", "tone": 0.1, "story_id": "S1"}
            for i, d in enumerate(CASES[case])
        ],
    )
    stories = frame(
        "stories",
        [
            {"story_id": "S1", "label": "Test story", "date_start": d, "last_published": d, "n_sources": 1}
            for d in CASES[case][:1]
        ],
    )
    reports = frame(
        "figure_reports",
        [
            {
                "figure_id": "F1",
                "story_id": "S1",
                "article_id": f"a{i}",
                "source": f"outlet {i % 2}",
                "published": d,
                "value": i,
            }
            for i, d in enumerate(CASES[case])
        ],
    )
    facts = nk.Facts.from_frames(
        {"articles": articles, "events": events, "stories": stories, "figure_reports": reports}
    )
    for fig in (
        plots.timeline(events),
        plots.timeline(events, lane_by="kind", open_bounds=True),
        plots.timeline(pd.concat([events] * 120, ignore_index=True)),  # counted per period
        plots.events_over_time(events),
        plots.story_timeline(facts),
        plots.tone_over_time(facts),
        plots.story_articles(facts, "S1"),
        plots.figure_evolution(facts, "S1"),
    ):
        _render(fig)
        info = fig.newskit_info
        assert info["n_drawn"] >= 0 and info["n_hidden"] >= 0
        ax = fig.axes[0]
        if ax.axison and ax.xaxis.get_major_formatter().__class__ is mdates.ConciseDateFormatter:
            left, right = ax.get_xlim()
            assert right - left < 366 * 260  # never the whole 1677-2262 range


def test_a_stray_year_is_listed_not_drawn():
    days = [f"2018-{m:02d}-{d:02d}" for m in range(1, 13) for d in (3, 17)]
    events = _events([*days, "1700-06-01", "2045-01-01"])
    fig = plots.timeline(events)
    left, right = (mdates.num2date(x).year for x in fig.axes[0].get_xlim())
    assert (left, right) == (2017, 2019) or (left, right) == (2018, 2018) or (left, right) == (2017, 2018)
    info = fig.newskit_info
    assert (info["n_drawn"], info["n_hidden"]) == (24, 2)
    assert sorted(o["date"] for o in info["outliers"]) == ["1700-06-01", "2045-01-01"]
    table = plots.outliers_table(fig)
    assert list(table.columns) == ["date", "label"] and len(table) == 2


def test_date_window_keeps_a_uniform_spread_and_drops_strays():
    spread = pd.Series(pd.date_range("2010-01-01", "2019-12-31", periods=1000))
    first, last, out = plots.date_window(spread)
    assert (first, last, int(out.sum())) == (pd.Timestamp("2010-01-01"), pd.Timestamp("2019-12-31"), 0)
    with_strays = pd.concat([spread, pd.Series(pd.to_datetime(["1760-05-01", "2045-01-01"]))], ignore_index=True)
    first, last, out = plots.date_window(with_strays)
    assert first.year == 2010 and last.year == 2019 and list(out[out].index) == [1000, 1001]
    assert plots.date_window(pd.Series([pd.NaT]))[0] is None


def test_publication_window_keeps_background_history_off_the_axes():
    # articles published 2016-2017: a fifth of the span (146 days) is under the one-year minimum
    published = pd.Series(pd.to_datetime(["2016-03-01", "2016-09-01", "2017-03-01"]))
    assert plots.publication_window(published) == (pd.Timestamp("2015-03-02"), pd.Timestamp("2018-03-01"))
    assert plots.publication_window(pd.Series([pd.NaT])) is None
    # one article of 2023 recalls an event of 2008: among so few dates the bulk rule keeps 2008
    # (the seed article's story ran 2007-2024); the publication window lists it under the chart
    window = plots.publication_window(pd.Series(pd.to_datetime(["2023-11-06"])))
    days = ["2023-11-05", "2023-11-06", "2023-11-06", "2008-02-17"]
    assert plots.date_window(pd.Series(pd.to_datetime(days)))[0] == pd.Timestamp("2008-02-17")
    events = _events(days)
    for fig in (plots.timeline(events, window=window), plots.events_over_time(events, window=window)):
        left, right = (pd.Timestamp(mdates.num2date(x)).tz_localize(None) for x in fig.axes[0].get_xlim())
        assert window[0] <= left <= right <= window[1] + pd.Timedelta(days=1), fig.newskit_info["title"]
        assert right - left < pd.Timedelta(days=60)  # the days of the news, not 15 years
        info = fig.newskit_info
        assert (info["n_drawn"], info["n_hidden"]) == (3, 1)
        assert [o["date"] for o in info["outliers"]] == ["2008-02-17"]
    # dates asked for (start/end) win over the window
    fig = plots.timeline(events, window=window, start="2008-01-01", end="2023-12-31")
    assert fig.newskit_info["n_drawn"] == 4


def test_every_event_outside_the_window_is_listed_not_drawn():
    window = (pd.Timestamp("2023-01-01"), pd.Timestamp("2024-12-31"))
    events = _events(["2008-02-17", "1999-03-24"])
    for fig in (plots.timeline(events, window=window), plots.events_over_time(events, window=window)):
        info = fig.newskit_info
        assert (info["n_drawn"], info["n_hidden"]) == (0, 2)
        assert sorted(o["date"] for o in info["outliers"]) == ["1999-03-24", "2008-02-17"]


def test_the_table_lists_relevant_events_first():
    events = frame(
        "events",
        [
            {
                "article_id": "a1",
                "date_start": "1700-01-01",
                "date_end": "1700-12-31",
                "description": "stray",
                "salient": True,
                "dated_by": "timex",
            },
            {
                "article_id": "a1",
                "date_start": "2024-03-11",
                "date_end": "2024-03-11",
                "description": "said",
                "salient": False,
                "dated_by": "publication",
            },
            {
                "article_id": "a1",
                "date_start": "2024-03-10",
                "date_end": "2024-03-10",
                "description": "attack",
                "salient": True,
                "dated_by": "timex",
                "event_id": "V1",
            },
            {
                "article_id": "a2",
                "date_start": "2024-03-10",
                "date_end": "2024-03-10",
                "description": "the attack",
                "salient": True,
                "dated_by": "story",
                "event_id": "V1",
            },
        ],
    )
    ranked = list(plots.rank_events(events)["description"])
    # the attack two articles report, then the lone (wrong) 1700 date, the reporting verb last
    assert ranked == ["attack", "the attack", "stray", "said"]


# ---------------------------------------------------------------------------- stories


@pytest.fixture
def linked() -> nk.Facts:
    return linked_facts()


def test_story_timeline_one_lane_per_story_with_what_happened(linked):
    fig = plots.story_timeline(linked)
    info = fig.newskit_info
    assert info["lanes"] == ["Dravik bridge attack: 14 (12–15) killed", "Harbour fire", "Tarnholm ceasefire"]
    assert info["series"]["sources"]["Dravik bridge attack: 14 (12–15) killed"] == 3
    # one marker per story day dated by when it happened: the bridge attack (two mentions, one day)
    # and the ceasefire; the statement dated by publication and the 1700 address are not markers
    assert info["n_markers"] == 2
    assert {"date": "1700-01-01", "label": "start of Harbour fire"} in info["outliers"]
    left, right = (mdates.num2date(x).date().isoformat() for x in fig.axes[0].get_xlim())
    assert "2024-02-01" < left < "2024-03-10" and "2024-06-02" < right < "2024-07-15"
    assert fig.axes[0].get_title() == "Stories over time (showing 3 of 3 stories)"
    folded = plots.story_timeline(linked, top_n=1)
    assert folded.newskit_info["lanes"] == ["Dravik bridge attack: 14 (12–15) killed", "2 other stories"]
    assert (folded.newskit_info["n_drawn"], folded.newskit_info["n_hidden"]) == (1, 2)


def test_story_charts_say_so_when_not_linked(facts):
    for fig in (plots.story_timeline(facts), plots.story_casualties(facts), plots.figure_disagreement(facts)):
        assert fig.newskit_info["n_drawn"] == 0
        assert plots.figure_summary(fig)["message"]


def test_events_per_period_count_each_linked_event_once(linked):
    fig = plots.events_over_time(linked.events)
    info = fig.newskit_info
    # V1 twice -> once; the ceasefire; "said" is not salient; "among the dead" has only an end bound
    assert info["series"] == {"violence": {"2024-03-04": 1.0}, "agreement": {"2024-05-20": 1.0}}
    assert info["n_drawn"] == 2
    assert info["n_hidden"] == 2  # the open bound and the 1700 address
    assert info["outliers"] == [{"date": "1700-01-01 – 1700-12-31", "label": "the 1700 block of Harbour Road"}]


def test_casualties_per_story_are_reconciled_not_summed(linked):
    fig = plots.story_casualties(linked)
    info = fig.newskit_info
    # 14 (the reconciled figure), not 12 + 15 + 14 reports, nor 14 + 2 officers
    assert info["series"]["killed"] == {"Dravik bridge attack": 14.0}
    assert info["series"]["displaced"] == {"Dravik bridge attack": 5000.0}
    main, other = fig.axes[:2]
    assert main.get_xlim()[1] < 100  # 5,000 displaced have their own scale
    assert other.get_xlim()[1] >= 5000
    bars = [p for p in main.patches if p.get_gid() == "casualty-bars"]
    assert [p.get_width() for p in bars] == [14.0]
    caps = [line for c in main.containers if hasattr(c, "lines") for line in c.lines[1] if line is not None]
    assert caps  # the 12-15 range as an error bar
    labels = [t.get_text() for t in main.texts + other.texts if t.get_gid() == "value-labels"]
    assert labels == ["14", "5,000"]
    assert list(plots.story_tolls(linked)["value"]) == [5000.0, 14.0]


def test_where_outlets_disagree(linked):
    table = plots.disagreements(linked)
    assert list(table["figure_id"]) == ["F1"]  # F2 and F3 have one outlet each
    assert (table["low"].iloc[0], table["high"].iloc[0], table["spread"].iloc[0]) == (12.0, 15.0, 3.0)
    fig = plots.figure_disagreement(linked)
    assert fig.newskit_info["series"] == {
        "Dravik bridge attack — killed": {"Riverwatch News": 12.0, "Brenholt Daily": 15.0, "Kestria Post": 14.0}
    }
    assert plots.figure_summary(fig)["points"] == 3
    # a figure two outlets agree on ranks after the disputed one
    agreeing = linked_facts()
    agreeing.figure_reports = pd.concat(
        [
            agreeing.figure_reports,
            frame(
                "figure_reports",
                [
                    {
                        "figure_id": "F2",
                        "story_id": "S000000000001",
                        "article_id": "a2",
                        "source": "Brenholt Daily",
                        "value": 2.0,
                    }
                ],
            ),
        ],
        ignore_index=True,
    )
    assert list(plots.disagreements(agreeing)["figure_id"]) == ["F1", "F2"]


def test_figure_evolution_steps_per_outlet(linked):
    fig = plots.figure_evolution(linked, "S000000000001")
    info = fig.newskit_info
    assert info["series"]["killed"] == {"Riverwatch News": 12.0, "Brenholt Daily": 15.0, "Kestria Post": 14.0}
    assert [ax.get_ylabel() for ax in fig.axes] == ["killed", "killed police officer", "displaced"]
    riverwatch = next(line for line in fig.axes[0].get_lines() if line.get_label() == "Riverwatch News")
    assert list(riverwatch.get_ydata()) == [12.0, 12.0]  # its one report, held to the last report of the story


def test_find_story_by_id_prefix_or_words(linked):
    stories = linked.stories
    assert plots.find_story(stories, "S000000000002") == "S000000000002"
    assert plots.find_story(stories, "dravik BRIDGE") == "S000000000001"
    assert plots.find_story(stories, "") == "S000000000001"  # most outlets
    with pytest.raises(ParameterError, match="matches no story"):
        plots.find_story(stories, "volcano")


def test_story_articles_side_by_side(linked):
    fig = plots.story_articles(linked, "S000000000001")
    assert fig.newskit_info["series"]["articles"] == {
        "Riverwatch News": 1.0,
        "Brenholt Daily": 1.0,
        "Kestria Post": 1.0,
    }
    assert plots.figure_summary(fig)["labels"] == 3


def test_every_chart_describes_itself(facts, linked):
    figures = [
        plots.timeline(facts.events),
        plots.entity_mentions(facts),
        plots.mentions_heatmap(facts),
        plots.quantity_values(facts),
        plots.quantity_disagreement(facts),
        plots.casualties_by_group(facts),
        plots.quotes_per_speaker(facts),
        plots.tone_over_time(facts),
        plots.story_timeline(linked),
        plots.events_over_time(linked.events),
        plots.story_casualties(linked),
        plots.figure_disagreement(linked),
        plots.figure_evolution(linked, "S000000000001"),
        plots.story_articles(linked, "S000000000001"),
    ]
    for fig in figures:
        info = fig.newskit_info
        assert set(info) >= {"title", "kind", "n_drawn", "n_hidden", "series", "outliers"}
        assert info["kind"] in {"bar", "dot", "timeline", "line", "heatmap"}
        assert info["title"] and info["n_drawn"] > 0
    casualties = plots.casualties_by_group(facts).newskit_info
    assert casualties["series"]["killed"] == {"civilian": 9.0, "police officer": 3.0}
    assert plots.entity_mentions(facts).newskit_info["series"]["mentions"]["Kestria"] == 8


def test_thousands_displaced_get_their_own_scale():
    casualties = frame(
        "casualties",
        [
            {"article_id": "a", "group": "civilian", "count": 12, "low": 12, "outcome": "killed"},
            {"article_id": "a", "group": "resident", "count": 5000, "low": 5000, "outcome": "displaced"},
        ],
    )
    fig = plots.casualties_by_group(nk.Facts.from_frames({"casualties": casualties}))
    killed_axes, displaced_axes = fig.axes[:2]
    assert killed_axes.get_xlim()[1] < 100  # the 12 killed are not flattened by 5,000 displaced
    assert displaced_axes.get_xlim()[1] >= 5000
    assert fig.newskit_info["series"] == {"killed": {"civilian": 12.0}, "displaced": {"resident": 5000.0}}


def test_figure_summary_carries_the_manifest_entry(linked):
    entry = plots.figure_summary(plots.story_timeline(linked))["newskit"]
    assert entry["title"] == "Stories over time" and entry["n_drawn"] == 3
    (axes,) = entry["axes"]
    assert axes["x_dates"] and "2024-01-01" < axes["x"][0] < axes["x"][1] < "2024-12-31"
    json.dumps(entry)  # plain data: the runner writes it to report.json
