"""Stories, figures and casualty_summary(by="story") on a fictional multi-outlet fixture.

tests/fixtures/stories/articles.jsonl holds 20 invented articles from four invented outlets
about five happenings; truth.json was written by reading them (see its ``_about``). Two of
the stories are deliberately alike: bombings in the same country a week apart (Harnow market,
Lisket bus depot), with different places, people and tolls.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import newskit as nk
from newskit.link.figures import is_roundup
from newskit.link.stories import story_id_for

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "stories"
TRUTH = json.loads((FIXTURE / "truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def facts(nlp):
    return nk.extract(nk.read_articles(FIXTURE / "articles.jsonl"), nlp=nlp)


def _key(url: str) -> str:
    return url.rsplit("/", 1)[-1]


@pytest.fixture(scope="module")
def story_of(facts) -> dict[str, str]:
    """Truth story name → predicted story id (the id of its first article)."""
    by_key = dict(zip(facts.articles["url"].map(_key), facts.articles["story_id"], strict=True))
    return {name: by_key[members[0]] for name, members in TRUTH["stories"].items()}


def test_articles_cluster_into_the_five_true_stories(facts):
    by_key = dict(zip(facts.articles["url"].map(_key), facts.articles["story_id"], strict=True))
    predicted = {frozenset(k for k, s in by_key.items() if s == story) for story in set(by_key.values())}
    truth = {frozenset(members) for members in TRUTH["stories"].values()}
    assert predicted == truth


def test_two_similar_bombings_a_week_apart_stay_two_stories(story_of):
    assert story_of["harnow"] != story_of["lisket"]


def test_story_ids_are_those_of_the_founding_article(facts, story_of):
    first = facts.articles[facts.articles["url"].str.endswith("/a1")].iloc[0]
    assert story_of["harnow"] == story_id_for(first["article_id"])


def test_stories_table_counts_articles_and_outlets_and_dates_the_happening(facts, story_of):
    stories = facts.stories.set_index("story_id")
    harnow = stories.loc[story_of["harnow"]]
    assert (harnow["n_articles"], harnow["n_sources"]) == (5, 4)
    assert harnow["first_published"] == pd.Timestamp("2025-04-07 18:00")
    assert harnow["last_published"] == pd.Timestamp("2025-04-10 15:00")
    assert "Harnow" in harnow["places"]
    assert harnow["kind"] == "violence"
    assert "Harnow" in harnow["label"] and "killed" in harnow["label"]
    # The bombing was on Monday 7 April; no salient event of the story is dated before it.
    assert harnow["date_start"] == pd.Timestamp("2025-04-07")
    assert len(stories) == 5


def test_a_police_raid_with_arrests_is_an_arrest_story(facts, story_of):
    assert facts.stories.set_index("story_id").loc[story_of["tarvos"], "kind"] == "arrest"


def _overall(facts, story_id: str, measure: str) -> pd.Series:
    figures = facts.figures
    rows = figures[figures["story_id"].eq(story_id) & figures["measure"].eq(measure) & figures["group"].isna()]
    assert len(rows) == 1, f"one story-wide {measure} figure expected, got {len(rows)}"
    return rows.iloc[0]


@pytest.mark.parametrize(
    ("story", "measure"),
    [("harnow", "killed"), ("harnow", "injured"), ("lisket", "killed"), ("lisket", "injured"), ("tarvos", "arrested")],
)
def test_figures_reconcile_outlets_as_a_reader_does(facts, story_of, story, measure):
    figure = _overall(facts, story_of[story], measure)
    truth = TRUTH["figures"][story][measure]
    assert figure["value"] == truth["value"]
    assert figure["high"] == truth["high"]
    assert figure["latest"] == truth["latest"]
    assert bool(figure["agree"]) == truth["agree"]
    if "n_sources" in truth:
        assert figure["n_sources"] == truth["n_sources"]
    assert figure["low"] == truth["low"]


def test_first_harnow_report_of_nine_killed_is_a_report(facts, story_of):
    figure = _overall(facts, story_of["harnow"], "killed")
    assert (figure["low"], figure["n_sources"]) == (9, 4)


def test_oradel_displacement_figure_has_every_report(facts, story_of):
    figure = _overall(facts, story_of["oradel"], "displaced")
    assert (figure["value"], figure["low"], figure["high"]) == (2500, 2000, 2500)


def test_a_toll_restated_by_several_outlets_is_one_figure_never_a_sum(facts, story_of):
    figure = _overall(facts, story_of["lisket"], "killed")
    reports = facts.figure_reports[facts.figure_reports["figure_id"].eq(figure["figure_id"])]
    assert len(reports) == figure["n_reports"] >= 4
    assert figure["value"] == 6 and reports["value"].sum() > figure["value"]


def test_figure_reports_carry_evidence_spans(facts):
    text_of = dict(zip(facts.articles["article_id"], facts.articles["text"], strict=True))
    assert len(facts.figure_reports) > 10
    for row in facts.figure_reports.itertuples():
        assert text_of[row.article_id][row.start : row.end] == row.text
        assert pd.notna(row.source) and pd.notna(row.published)


def test_the_roundup_number_is_not_a_figure(facts, story_of):
    sentence = TRUTH["roundup"]["text"]
    assert is_roundup(sentence)
    harnow = facts.figure_reports[facts.figure_reports["story_id"].eq(story_of["harnow"])]
    roundups = harnow[harnow["text"].str.contains("such attacks").fillna(False).astype(bool)]
    # kept as evidence, flagged, counted towards no figure
    assert roundups["roundup"].all() and roundups["figure_id"].isna().all()
    counted = harnow[~harnow["roundup"].astype(bool)]
    assert not (counted["value"] == 300).any() and not counted["text"].str.contains("such attacks").any()
    figures = facts.figures[facts.figures["story_id"].eq(story_of["harnow"])]
    assert not (figures[["value", "low", "high"]] == 300).any().any()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("More than 300 people have died in such attacks this year", True),
        ("2,432 people have been injured this year", True),
        ("Police have arrested 40 people nationwide since January", True),
        ("So far 12 bodies have been recovered", True),
        ("Twelve people were killed at the bridge on Monday", False),
        ("the attack killed 14 people, police chief Tomas Vrell said", False),
        # a national tally with an abbreviated month, a city's weekend, a war's years, a rate
        ("2,432 people have been injured in America and 1,424 have been killed since Jan.", True),
        ("Six people were killed in shootings across the city since Friday night", True),
        ("two years of trench warfare in which 100,000 died", True),
        ("90 people a day die of overdoses", True),
        # an incident dated by the month, a country's history and a day after: one incident's toll
        ("A man who was gunned down last month has died", False),
        ("A woman was shot earlier this month", False),
        ("49 people were killed in the worst mass shooting in U.S. history", False),
        ("A day after the shooting, police arrested two men", False),
    ],
)
def test_roundup_clauses_are_recognised_by_their_own_words(text, expected):
    assert is_roundup(text) is expected


def test_a_toll_of_millions_is_a_roundup_not_the_story_figure(nlp):
    # a war, a genocide or a population is counted in millions; an incident never is
    text = (
        "A gunman killed three people at a market in Dravik on Monday. The letter recalled "
        "campaigns against ethnic groups that ended with millions dead."
    )
    facts = nk.extract_text(text, published="2024-05-06", nlp=nlp)
    killed = facts.figures[facts.figures["measure"].eq("killed")]
    assert killed["value"].tolist() == [3.0] and killed["high"].tolist() == [3.0]
    reports = facts.figure_reports
    millions = reports[reports["text"].eq("millions dead")]
    assert len(millions) == 1 and millions["roundup"].all() and millions["figure_id"].isna().all()


def test_casualty_summary_by_story_matches_the_truth(facts, story_of):
    summary = nk.casualty_summary(facts, by="story").set_index("story_id")
    assert list(summary.columns) == ["killed", "injured", "killed_low", "killed_high", "injured_low", "injured_high"]
    assert all(str(summary[c].dtype) == "Int64" for c in summary.columns)
    for story, truth in TRUTH["casualty_summary"].items():
        row = summary.loc[story_of[story]]
        for column, value in truth.items():
            got = row[column]
            assert pd.isna(got) if value is None else got == value, (story, column, got, value)


def test_casualty_summary_by_article_is_unchanged(facts):
    summary = nk.casualty_summary(facts)
    assert list(summary.columns) == ["article_id", "killed", "injured"]
    assert len(summary) == 20


def test_casualty_summary_rejects_an_unknown_grouping(facts):
    with pytest.raises(nk.ParameterError, match="by"):
        nk.casualty_summary(facts, by="outlet")


def test_linking_does_not_mutate_its_input(facts):
    unlinked = facts.articles.assign(story_id=pd.array([None] * len(facts.articles), dtype="string"))
    before = nk.Facts(**{**facts.tables(), "articles": unlinked})
    snapshot = before.articles.copy()
    after = nk.link(before)
    pd.testing.assert_frame_equal(before.articles, snapshot)
    assert after.articles["story_id"].notna().all()
    assert set(after.articles["story_id"]) == set(facts.articles["story_id"])


def test_extract_without_link_leaves_stories_empty(nlp):
    articles = nk.read_articles(FIXTURE / "articles.jsonl").head(3)
    facts = nk.extract(articles, nlp=nlp, link=False)
    assert facts.stories.empty and facts.articles["story_id"].isna().all()


def test_seed_article_is_one_story(seed_facts):
    assert len(seed_facts.stories) == 1
    assert seed_facts.articles["story_id"].notna().all()
    assert seed_facts.stories.iloc[0]["n_articles"] == 1


def test_a_year_the_other_story_names_in_passing_counts_half_against_merging():
    """Two reports with cosine 0.25, one about 2005 and one about 1972. When neither names the
    other's year the full year penalty (0.15) leaves 0.10, under the 0.12 threshold: two stories.
    When the 1972 report also names 2005 and the 2005 one names 1972 (background years), only
    half the conflict counts: 0.25 - 0.075 = 0.175, one story."""
    from scipy import sparse

    from newskit.link.stories import StoryParams, cluster_articles

    matrix = sparse.csr_matrix(np.array([[1.0, 0.0], [0.25, np.sqrt(1 - 0.25**2)]]))
    days = np.array([np.nan, np.nan])
    params = StoryParams(threshold=0.12, year_penalty=0.15, year_soft=0.5)
    apart = cluster_articles(matrix, days, ["2005", "1972"], params=params, named_years=[{"2005"}, {"1972"}])
    assert apart[0] != apart[1]
    together = cluster_articles(
        matrix, days, ["2005", "1972"], params=params, named_years=[{"2005", "1972"}, {"1972", "2005"}]
    )
    assert together[0] == together[1]


def _two_rows(cosine: float):
    from scipy import sparse

    return sparse.csr_matrix(np.array([[1.0, 0.0], [cosine, np.sqrt(1 - cosine**2)]]))


def test_two_reports_about_different_people_are_two_stories():
    """Cosine 0.15 is over the 0.12 threshold; when the first report's head names only Jackson and
    the second only Williams, and neither names the other's man anywhere, 0.15 - 0.05 = 0.10 keeps
    them apart. When the second also names Jackson in its body, they are about the same man."""
    from newskit.link.stories import StoryParams, cluster_articles

    params = StoryParams(threshold=0.12, people_penalty=0.05, attach_threshold=0)
    days = np.array([np.nan, np.nan])
    heads = [{"jackson"}, {"williams"}]
    apart = cluster_articles(_two_rows(0.15), days, [None, None], params=params, people=(heads, heads))
    assert apart[0] != apart[1]
    named = [{"jackson"}, {"williams", "jackson"}]
    together = cluster_articles(_two_rows(0.15), days, [None, None], params=params, people=(heads, named))
    assert together[0] == together[1]


def test_a_fragment_kept_out_by_a_year_named_in_passing_attaches_to_its_larger_story():
    """Three reports of one happening (2013) and a fourth with cosine 0.2 to each that names only
    1994. The year penalty (0.15) leaves 0.05 < 0.12: the first pass keeps it apart. Its nearest
    cluster is three times its size and 0.2 >= attach_threshold 0.15 (without the years), so it
    attaches; with the step off, or when the nearest cluster is only as large as it, it does not."""
    from scipy import sparse

    from newskit.link.stories import StoryParams, cluster_articles

    c = 0.2
    rows = np.array([[1.0, 0.0], [1.0, 0.0], [1.0, 0.0], [c, np.sqrt(1 - c**2)]])
    days = np.full(4, np.nan)
    years = ["2013", "2013", "2013", "1994"]
    named = [{"2013"}, {"2013"}, {"2013"}, {"1994"}]
    on = StoryParams(threshold=0.12, year_penalty=0.15, attach_threshold=0.15, attach_ratio=3)
    labels = cluster_articles(sparse.csr_matrix(rows), days, years, params=on, named_years=named)
    assert len(set(labels)) == 1
    off = StoryParams(threshold=0.12, year_penalty=0.15, attach_threshold=0)
    labels = cluster_articles(sparse.csr_matrix(rows), days, years, params=off, named_years=named)
    assert labels[0] == labels[1] == labels[2] != labels[3]
    # Two reports of each happening: the nearest cluster is no larger, both stay apart.
    rows2 = np.array([[1.0, 0.0], [1.0, 0.0], [c, np.sqrt(1 - c**2)], [c, np.sqrt(1 - c**2)]])
    labels = cluster_articles(
        sparse.csr_matrix(rows2),
        days,
        ["2013", "2013", "1994", "1994"],
        params=on,
        named_years=named[:2] + [{"1994"}] * 2,
    )
    assert labels[0] == labels[1] != labels[2] == labels[3]


def test_article_people_reads_surnames_in_the_head_and_everywhere():
    from newskit.link.stories import article_people

    text = "http://example.com/x\nVincent Jackson was arrested.\n" + "x " * 500 + "Coach Norv Turner spoke."
    articles = pd.DataFrame({"article_id": ["a"], "text": [text]})
    start_turner = text.index("Norv")
    mentions = pd.DataFrame(
        {
            "article_id": ["a", "a", "a"],
            "name": ["Vincent Jackson", None, "Norv Turner"],
            "text": ["Vincent Jackson", "San Diego", "Norv Turner"],
            "label": ["PERSON", "GPE", "PERSON"],
            "start": [text.index("Vincent"), 0, start_turner],
        }
    )
    head, named = article_people(articles, mentions, lead_chars=100)
    assert head == [{"jackson"}]
    assert named == [{"jackson", "turner"}]


def test_reports_chaining_beyond_the_span_cap_are_split():
    """Four identical reports published on days 0, 12, 24 and 36: each is a candidate of the next
    (20-day windows), so without a cap they chain into one story spanning 36 days. With
    max_span_days=30 no story spans more than 30 days, so they are at least two stories."""
    from scipy import sparse

    from newskit.link.stories import StoryParams, cluster_articles

    matrix = sparse.csr_matrix(np.ones((4, 1)))
    days = np.array([0.0, 12.0, 24.0, 36.0])
    years = ["2024"] * 4
    uncapped = cluster_articles(matrix, days, years, params=StoryParams(max_span_days=0))
    assert len(set(uncapped)) == 1
    capped = cluster_articles(matrix, days, years, params=StoryParams(max_span_days=30))
    assert len(set(capped)) >= 2
    for label in set(capped):
        members = days[capped == label]
        assert members.max() - members.min() <= 30
