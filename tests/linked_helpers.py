"""Linked facts written by hand for the story charts: three stories (one whose only date is an address
number read as the year 1700), three outlets disagreeing on a toll (12, 15, 14 killed), 5,000 displaced."""

import newskit as nk
from newskit.schema import frame

S1, S2, S3 = "S000000000001", "S000000000002", "S000000000003"
ARTICLES = [
    {
        "article_id": "a1",
        "published": "2024-03-10 18:00",
        "title": "Gunmen attack Dravik bridge, 12 dead",
        "source": "Riverwatch News",
        "story_id": S1,
        "tone": -0.6,
        "tone_label": "negative",
        "text": "Gunmen attacked the Dravik bridge on Sunday. Twelve people were killed, police said.",
    },
    {
        "article_id": "a2",
        "published": "2024-03-11 09:00",
        "title": "Dravik toll rises to 15",
        "source": "Brenholt Daily",
        "story_id": S1,
        "tone": -0.5,
        "tone_label": "negative",
        "text": "The toll of the Dravik bridge attack rose to 15 dead on Monday. About 5,000 people fled.",
    },
    {
        "article_id": "a3",
        "published": "2024-03-12 07:00",
        "title": "Dravik: 14 killed, says ministry",
        "source": "Kestria Post",
        "story_id": S1,
        "tone": -0.4,
        "tone_label": "negative",
        "text": "The ministry said 14 people were killed in the attack. Two officers were among the dead.",
    },
    {
        "article_id": "a4",
        "published": "2024-05-21 08:00",
        "title": "Ceasefire signed in Tarnholm",
        "source": "Riverwatch News",
        "story_id": S2,
        "tone": 0.3,
        "tone_label": "positive",
        "text": "Lorvania and Kestria signed a ceasefire in Tarnholm on Monday.",
    },
    {
        "article_id": "a5",
        "published": "2024-06-02 08:00",
        "title": "Harbour fire",
        "source": "Kestria Post",
        "story_id": S3,
        "tone": -0.1,
        "tone_label": "negative",
        "text": "A fire broke out at the harbour on Saturday. Nobody was hurt.",
    },
]
STORIES = [
    {
        "story_id": S1,
        "label": "Dravik bridge attack",
        "kind": "violence",
        "date_start": "2024-03-10",
        "date_end": "2024-03-10",
        "first_published": "2024-03-10 18:00",
        "last_published": "2024-03-12 07:00",
        "n_articles": 3,
        "n_sources": 3,
        "places": ["Dravik"],
        "actors": ["Gunmen"],
    },
    {
        "story_id": S2,
        "label": "Tarnholm ceasefire",
        "kind": "agreement",
        "date_start": "2024-05-20",
        "date_end": "2024-05-20",
        "first_published": "2024-05-21 08:00",
        "last_published": "2024-05-21 08:00",
        "n_articles": 1,
        "n_sources": 1,
        "places": ["Tarnholm"],
        "actors": ["Lorvania", "Kestria"],
    },
    # a story whose only date is a misread address number: must not stretch any axis
    {
        "story_id": S3,
        "label": "Harbour fire",
        "kind": "other",
        "date_start": "1700-01-01",
        "date_end": "1700-12-31",
        "first_published": "2024-06-02 08:00",
        "last_published": "2024-06-02 08:00",
        "n_articles": 1,
        "n_sources": 1,
        "places": [],
        "actors": [],
    },
]
FIGURES = [
    {
        "story_id": S1,
        "figure_id": "F1",
        "measure": "killed",
        "value": 14.0,
        "low": 12.0,
        "high": 15.0,
        "latest": 14.0,
        "n_reports": 3,
        "n_sources": 3,
        "agree": False,
    },
    {
        "story_id": S1,
        "figure_id": "F2",
        "measure": "killed",
        "group": "police officer",
        "value": 2.0,
        "low": 2.0,
        "high": 2.0,
        "latest": 2.0,
        "n_reports": 1,
        "n_sources": 1,
        "agree": True,
    },
    {
        "story_id": S1,
        "figure_id": "F3",
        "measure": "displaced",
        "value": 5000.0,
        "low": 5000.0,
        "high": 5000.0,
        "latest": 5000.0,
        "n_reports": 1,
        "n_sources": 1,
        "agree": True,
    },
]
REPORTS = [
    {
        "figure_id": "F1",
        "story_id": S1,
        "article_id": "a1",
        "source": "Riverwatch News",
        "published": "2024-03-10 18:00",
        "value": 12.0,
        "fact_table": "casualties",
        "text": "Twelve people were killed",
    },
    {
        "figure_id": "F1",
        "story_id": S1,
        "article_id": "a2",
        "source": "Brenholt Daily",
        "published": "2024-03-11 09:00",
        "value": 15.0,
        "fact_table": "casualties",
        "text": "rose to 15 dead",
    },
    {
        "figure_id": "F1",
        "story_id": S1,
        "article_id": "a3",
        "source": "Kestria Post",
        "published": "2024-03-12 07:00",
        "value": 14.0,
        "fact_table": "casualties",
        "text": "14 people were killed",
    },
    {
        "figure_id": "F2",
        "story_id": S1,
        "article_id": "a3",
        "source": "Kestria Post",
        "published": "2024-03-12 07:00",
        "value": 2.0,
        "fact_table": "casualties",
        "text": "Two officers were among the dead",
    },
    {
        "figure_id": "F3",
        "story_id": S1,
        "article_id": "a2",
        "source": "Brenholt Daily",
        "published": "2024-03-11 09:00",
        "value": 5000.0,
        "fact_table": "quantities",
        "text": "About 5,000 people fled",
    },
]
EVENTS = [
    {
        "article_id": "a1",
        "date_start": "2024-03-10",
        "date_end": "2024-03-10",
        "precision": "day",
        "dated_by": "timex",
        "kind": "violence",
        "description": "Gunmen attacked the Dravik bridge",
        "salient": True,
        "story_id": S1,
        "event_id": "V1",
    },
    {
        "article_id": "a2",
        "date_start": "2024-03-10",
        "date_end": "2024-03-10",
        "precision": "day",
        "dated_by": "story",
        "kind": "violence",
        "description": "the Dravik bridge attack",
        "salient": True,
        "story_id": S1,
        "event_id": "V1",
    },
    {
        "article_id": "a3",
        "date_start": "2024-03-12",
        "date_end": "2024-03-12",
        "precision": "day",
        "dated_by": "publication",
        "kind": "statement",
        "description": "The ministry said",
        "salient": False,
        "story_id": S1,
    },
    {
        "article_id": "a3",
        "date_start": None,
        "date_end": "2024-03-12",
        "precision": "bound",
        "dated_by": "tense",
        "kind": "violence",
        "description": "officers were among the dead",
        "salient": True,
        "story_id": S1,
    },
    {
        "article_id": "a4",
        "date_start": "2024-05-20",
        "date_end": "2024-05-20",
        "precision": "day",
        "dated_by": "timex",
        "kind": "agreement",
        "description": "Lorvania and Kestria signed a ceasefire",
        "salient": True,
        "story_id": S2,
    },
    {
        "article_id": "a5",
        "date_start": "1700-01-01",
        "date_end": "1700-12-31",
        "precision": "year",
        "dated_by": "timex",
        "kind": "other",
        "description": "the 1700 block of Harbour Road",
        "salient": True,
        "story_id": S3,
    },
]


def _spans(reports):
    """Offsets of each report's evidence, found in its article's text."""
    texts = {a["article_id"]: a["text"] for a in ARTICLES}
    out = []
    for r in reports:
        start = texts[r["article_id"]].index(r["text"])
        out.append({**r, "start": start, "end": start + len(r["text"])})
    return out


def linked_facts() -> nk.Facts:
    return nk.Facts.from_frames(
        {
            "articles": frame("articles", ARTICLES),
            "events": frame("events", EVENTS),
            "stories": frame("stories", STORIES),
            "figures": frame("figures", FIGURES),
            "figure_reports": frame("figure_reports", _spans(REPORTS)),
        }
    )
