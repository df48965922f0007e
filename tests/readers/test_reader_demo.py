"""The shipped data: the seed copy and the fictional demo corpus."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

import newskit.readers as readers

DATA = Path(__file__).resolve().parents[2] / "data"
DEMO_OUTLETS = {
    "Marovel Herald",
    "Lorvanian Press Agency",
    "Brenholt Daily",
    "Riverwatch News",
    "Serrin Valley Observer",
}


def test_demo_reads_thirteen_fictional_articles_and_skips_nothing():
    df = readers.read_articles(DATA / "demo")
    assert len(df) == 13
    assert df.attrs["skipped"] == []
    assert set(df["source"]) == DEMO_OUTLETS
    assert df["published"].notna().all()
    assert df["published"].between(pd.Timestamp("2024-01-01"), pd.Timestamp("2024-12-31")).all()
    assert df["title"].notna().all()
    assert set(df["format"]) == {"txt", "jsonl", "html", "md"}
    assert df["n_words"].between(120, 300).all()
    assert df["article_id"].is_unique


def test_demo_headers_and_boilerplate_stay_out_of_the_text():
    df = readers.read_articles(DATA / "demo").set_index("path")
    inline = df.loc[str(DATA / "demo" / "2024-03-20-serrin-valley-observer-pellavin-camp.txt")]
    assert inline["published"] == pd.Timestamp("2024-03-20")
    assert inline["text"].startswith("PELLAVIN, Lorvania — More than 4,000")
    ceasefire = df.loc[str(DATA / "demo" / "2024-05-21-riverwatch-ceasefire.txt")]
    assert ceasefire["published"] == pd.Timestamp("2024-05-21 12:05")  # 14:05 +0200
    page = df.loc[str(DATA / "demo" / "2024-03-12-riverwatch-dravik-bridge.html")]
    assert page["text"].startswith("DRAVIK — Twelve people were killed")
    assert "Subscribe" not in page["text"] and "Related stories" not in page["text"] and "©" not in page["text"]
    for text in df["text"]:
        assert not text.startswith(("title", "date", "source", "---"))


def test_seed_copy_is_byte_for_byte(shared_dir):
    shipped = DATA / "seed" / "kosovo-kremlin-2023-11-06.txt"
    assert shipped.read_bytes() == (shared_dir / "seed" / "kosovo-kremlin-2023-11-06.txt").read_bytes()


def test_seed_folder_reads_the_article_and_records_its_readme():
    df = readers.read_articles(DATA / "seed")
    assert len(df) == 1
    assert df.loc[0, "published"] == pd.Timestamp("2023-11-06")
    assert df.loc[0, "text"].startswith("The recent turmoil")
    assert [Path(s["path"]).name for s in df.attrs["skipped"]] == ["README.md"]
