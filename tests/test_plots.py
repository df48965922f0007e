"""Charts are checked by what they draw: marks, labels, titles, folding into "other"."""

from __future__ import annotations

import itertools

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
import pytest
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
