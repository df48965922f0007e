"""Each input format: what becomes text, what becomes metadata, and each article's path."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import newskit.readers as readers
from newskit import schema

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "readers"


def write(folder: Path, name: str, content: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")
    return path


def read_one(path, **options) -> pd.Series:
    df = readers.read_articles(path, **options)
    assert len(df) == 1, df
    return df.iloc[0]


# --- .txt --------------------------------------------------------------------------------------


def test_seed_inline_header(seed_path):
    df = readers.read_articles(seed_path)
    assert len(df) == 1
    row = df.iloc[0]
    assert row["published"] == pd.Timestamp("2023-11-06")
    assert row["text"].startswith("The recent turmoil in Kosovo")
    assert "date 2023-11-06" not in row["text"]
    assert row["format"] == "txt"
    assert row["path"] == str(seed_path)
    assert pd.isna(row["title"]) and pd.isna(row["source"])
    assert row["n_words"] == len(row["text"].split())
    assert list(df.columns) == [c.name for c in schema.TABLES["articles"]]


def test_seed_text_matches_the_fixture_and_extract_text_id(seed_path, seed_text):
    row = read_one(seed_path)
    assert row["text"] == seed_text  # offsets in EXPECTED.md index this text
    assert row["article_id"] == readers.article_id_for(seed_text, "2023-11-06")


def test_txt_key_value_header(tmp_path):
    path = write(
        tmp_path,
        "a.txt",
        "title: Floods close the Serrin crossing\n"
        "date: 2024-03-12\n"
        "source: Riverwatch News\n"
        "author: Tomas Ferrin\n"
        "url: https://riverwatch.example/floods\n"
        "\n"
        "The river rose two metres overnight.\n\nThe crossing stays shut until Friday.\n",
    )
    row = read_one(path)
    assert row["title"] == "Floods close the Serrin crossing"
    assert row["published"] == pd.Timestamp("2024-03-12")
    assert row["source"] == "Riverwatch News"
    assert row["author"] == "Tomas Ferrin"
    assert row["url"] == "https://riverwatch.example/floods"
    assert row["text"] == "The river rose two metres overnight.\n\nThe crossing stays shut until Friday."


def test_txt_header_without_colons_needs_a_date(tmp_path):
    path = write(tmp_path, "a.txt", "date 2024-03-12\nsource Riverwatch News\n\nThe river rose.\n")
    row = read_one(path)
    assert row["published"] == pd.Timestamp("2024-03-12")
    assert row["source"] == "Riverwatch News"
    assert row["text"] == "The river rose."


@pytest.mark.parametrize(
    "body",
    [
        "Date night ideas for the long weekend: a walk by the river, then dinner.",
        "Source close to the minister said the talks had stalled.\n\nMore follows.",
        "Title deeds for Sella Island were lost in the 2019 flood.",
        "Date 2024-03-12 was the worst night in Dravik for years.",
    ],
)
def test_txt_body_that_starts_with_a_header_word_is_kept(tmp_path, body):
    row = read_one(write(tmp_path, "a.txt", body + "\n"))
    assert row["text"] == body
    assert pd.isna(row["published"])
    assert pd.isna(row["source"]) and pd.isna(row["title"])


def test_txt_header_lines_then_inline_date(tmp_path):
    path = write(tmp_path, "a.txt", "source: Serrin Valley Observer\n date 2024-03-20 PELLAVIN — Camps are full.\n")
    row = read_one(path)
    assert row["source"] == "Serrin Valley Observer"
    assert row["published"] == pd.Timestamp("2024-03-20")
    assert row["text"] == "PELLAVIN — Camps are full."


def test_txt_windows_newlines_and_bom(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(
        "\ufefftitle: Bridge reopens\r\ndate: 2024-06-01\r\n\r\nCars cross again.\r\nTrucks wait.\r\n".encode()
    )
    row = read_one(path)
    assert row["title"] == "Bridge reopens"
    assert row["text"] == "Cars cross again.\nTrucks wait."


def test_txt_rfc_2822_header_is_converted_to_utc(tmp_path):
    path = write(tmp_path, "a.txt", "date: Tue, 21 May 2024 14:05:00 +0200\n\nThe ceasefire was signed.\n")
    assert read_one(path)["published"] == pd.Timestamp("2024-05-21 12:05")


# --- .md ---------------------------------------------------------------------------------------


def test_md_front_matter():
    row = read_one(FIXTURES / "with-front-matter.md")
    assert row["title"] == "Mayor opens a new school in Pellavin"
    assert row["published"] == pd.Timestamp("2024-09-02 08:30")  # +02:00 -> UTC
    assert row["author"] == "Ana Brell, Nico Sarant"
    assert row["source"] == "Marovel Herald"
    assert row["format"] == "md"
    assert row["text"].startswith("PELLAVIN — The mayor opened")
    assert "---" not in row["text"] and "tags" not in row["text"]


def test_md_columns_rename_front_matter(tmp_path):
    path = write(tmp_path, "a.md", "---\nheadline: Ferry resumes\nday: 2024-03-05\n---\nThe ferry ran again.\n")
    row = read_one(path, columns={"headline": "title", "day": "published"})
    assert row["title"] == "Ferry resumes"
    assert row["published"] == pd.Timestamp("2024-03-05")
    assert row["text"] == "The ferry ran again."


# --- .jsonl / .json / .csv ---------------------------------------------------------------------


def test_jsonl_records_and_paths(tmp_path):
    path = write(
        tmp_path,
        "feed.jsonl",
        '{"text": "First article.", "published": "2024-02-03T16:40:00+01:00", "source": "Lorvanian Press Agency"}\n'
        "\n"
        '{"text": "Second article.", "date": "March 13, 2024", "title": "Toll rises", "author": "Greta Holm"}\n',
    )
    df = readers.read_articles(path)
    assert list(df["path"]) == [f"{path}:1", f"{path}:3"]
    assert list(df["published"]) == [pd.Timestamp("2024-02-03 15:40"), pd.Timestamp("2024-03-13")]
    assert list(df["format"]) == ["jsonl", "jsonl"]
    assert df.loc[1, "title"] == "Toll rises" and df.loc[1, "author"] == "Greta Holm"
    assert df.loc[0, "source"] == "Lorvanian Press Agency" and pd.isna(df.loc[1, "source"])


def test_jsonl_columns_mapping(tmp_path):
    path = write(tmp_path, "feed.jsonl", '{"body": "Mapped body.", "pubDate": "Mon, 04 Mar 2024 10:00:00 GMT"}\n')
    row = read_one(path, columns={"body": "text", "pubDate": "published"})
    assert row["text"] == "Mapped body."
    assert row["published"] == pd.Timestamp("2024-03-04 10:00")


def test_json_single_object(tmp_path):
    path = write(tmp_path, "one.json", '{"text": "Just one.", "title": "Single", "published": "6 November 2023"}')
    row = read_one(path)
    assert row["path"] == str(path)
    assert row["format"] == "json"
    assert row["published"] == pd.Timestamp("2023-11-06")


def test_json_list_reports_the_bad_record_and_reads_the_others():
    path = FIXTURES / "records.json"
    df = readers.read_articles(path, errors="skip")
    assert list(df["path"]) == [f"{path}:record 1", f"{path}:record 3"]
    assert df.loc[1, "author"] == "Greta Holm, Ivo Lent"
    assert df.loc[1, "published"] == pd.Timestamp("2024-06-03")
    [skipped] = df.attrs["skipped"]
    assert skipped["path"] == str(path) and skipped["where"] == "record 2"
    assert "without text" in skipped["problem"] and "columns=" in skipped["fix"]


def test_csv_with_columns_mapping():
    path = FIXTURES / "feed.csv"
    df = readers.read_articles(
        path, columns={"headline": "title", "body": "text", "pubDate": "published", "outlet": "source"}
    )
    assert list(df["path"]) == [f"{path}:row 2", f"{path}:row 3"]  # the header is row 1
    assert list(df["title"]) == ["Flood warning for the Serrin valley", "Ferry service resumes at Ostrel"]
    assert list(df["published"]) == [pd.Timestamp("2024-03-04"), pd.Timestamp("2024-03-05 08:00")]
    assert df.loc[0, "text"].endswith("Residents of Dravik were told to move cars away from the bank.")
    assert "\n\n" in df.loc[0, "text"]  # a quoted multi-line cell keeps its paragraphs
    assert list(df["source"]) == ["Serrin Valley Observer", "Lorvanian Press Agency"]


def test_csv_without_a_text_column_is_reported_once():
    path = FIXTURES / "feed.csv"
    df = readers.read_articles(path, errors="skip")
    assert df.empty
    [skipped] = df.attrs["skipped"]
    assert (skipped["path"], skipped["where"]) == (str(path), "row 1")
    assert skipped["problem"] == "no text column (columns: headline, body, pubDate, outlet)"
    assert "columns=" in skipped["fix"]


def test_csv_row_without_text_and_with_extra_cells(tmp_path):
    path = write(tmp_path, "a.csv", "text,title\nFirst body.,One\n,Two\nThird body.,Three,surplus\nFourth body.,Four\n")
    df = readers.read_articles(path, errors="skip")
    assert list(df["title"]) == ["One", "Four"]
    assert list(df["path"]) == [f"{path}:row 2", f"{path}:row 5"]
    assert [(s["where"], s["problem"].split(" (")[0]) for s in df.attrs["skipped"]] == [
        ("row 3", "record without text"),
        ("row 4", "1 more cell(s) than the header has columns"),
    ]


def test_record_whose_text_is_not_a_string(tmp_path):
    path = write(tmp_path, "a.jsonl", '{"text": ["para one", "para two"]}\n')
    df = readers.read_articles(path, errors="skip")
    assert df.attrs["skipped"][0]["problem"] == "its text is a list, not a string"


# --- .html -------------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html><html><head>
<meta charset="utf-8"><title>Dredgers return to the Serrin | Riverwatch News</title>
<meta name="author" content="Tomas Ferrin"><meta property="og:site_name" content="Riverwatch News">
<meta property="og:title" content="Dredgers return to the Serrin">
<meta property="article:published_time" content="2024-08-01T07:00:00+02:00"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/subscribe">Subscribe now</a></nav>
<article><h1>Dredgers return to the Serrin</h1>
<p>DRAVIK — Kestrian dredging barges returned to the Serrin River on Thursday, residents said, three months after the ceasefire barred armed boats from the water.</p>
<p>The mayor of Dravik said that the barges were unarmed and that the joint river commission had approved the work in July.</p>
</article>
<footer><p>© 2024 Riverwatch News · Privacy policy · Cookie settings</p></footer></body></html>"""


def test_html_main_text_and_metadata(tmp_path):
    row = read_one(write(tmp_path, "page.html", PAGE))
    assert row["format"] == "html"
    assert row["title"] == "Dredgers return to the Serrin"
    assert row["author"] == "Tomas Ferrin"
    assert row["source"] == "Riverwatch News"
    assert row["published"] == pd.Timestamp("2024-08-01")
    assert row["text"].startswith("DRAVIK — Kestrian dredging barges")
    assert row["text"].endswith("approved the work in July.")
    for boilerplate in ("Subscribe", "Privacy", "Cookie", "Home"):
        assert boilerplate not in row["text"]


def test_html_is_deterministic(tmp_path):
    path = write(tmp_path, "page.htm", PAGE)
    first, second = readers.read_articles(path), readers.read_articles(path)
    pd.testing.assert_frame_equal(first, second)


# --- many files --------------------------------------------------------------------------------


def test_directory_is_read_recursively_sorted_without_hidden_files(tmp_path):
    write(tmp_path, "b.txt", "Second by name.")
    write(tmp_path, "a.txt", "First by name.")
    write(tmp_path, "sub/c.txt", "In a sub-folder.")
    write(tmp_path, ".hidden.txt", "Never read.")
    write(tmp_path, ".git/d.txt", "Never read either.")
    write(tmp_path, "README.md", "# About these files")
    df = readers.read_articles(tmp_path)
    assert list(df["text"]) == ["First by name.", "Second by name.", "In a sub-folder."]
    [readme] = df.attrs["skipped"]  # documentation is skipped, but with a record
    assert readme["path"] == str(tmp_path / "README.md")
    assert "README" in readme["problem"]


def test_readme_named_explicitly_is_read(tmp_path):
    path = write(tmp_path, "README.txt", "An article that happens to be called README.")
    assert read_one(path)["text"].startswith("An article")


def test_glob_and_list(tmp_path):
    write(tmp_path, "x/one.txt", "One.")
    write(tmp_path, "x/two.jsonl", '{"text": "Two."}\n')
    write(tmp_path, "y/three.txt", "Three.")
    df = readers.read_articles(str(tmp_path / "**" / "*.txt"))
    assert list(df["text"]) == ["One.", "Three."]
    df = readers.read_articles([tmp_path / "y", tmp_path / "x" / "two.jsonl"])
    assert list(df["text"]) == ["Three.", "Two."]


def test_same_file_named_twice_is_read_once(tmp_path):
    path = write(tmp_path, "a.txt", "Only once.")
    df = readers.read_articles([tmp_path, path])
    assert list(df["paths"]) == [[str(path)]]


def test_duplicates_kept_once_with_every_path_and_a_stable_id(tmp_path):
    first = write(tmp_path, "wire/a.txt", "date: 2024-03-12\n\nTwelve people were killed.\n")
    second = write(tmp_path, "copy/b.jsonl", '{"text": "Twelve people were killed.", "published": "2024-03-12"}\n')
    df = readers.read_articles([first, second])
    assert len(df) == 1
    assert df.loc[0, "paths"] == [str(first), f"{second}:1"]
    assert df.loc[0, "path"] == str(first)
    alone = readers.read_articles(second)  # the same text read from another path alone: the same id
    assert alone.loc[0, "article_id"] == df.loc[0, "article_id"]
    assert alone.loc[0, "article_id"] == readers.article_id_for("Twelve people were killed.", "2024-03-12")


def test_iter_articles_streams_without_repeating_a_text(tmp_path):
    write(tmp_path, "a.txt", "Same text.")
    write(tmp_path, "b.txt", "Same text.")
    write(tmp_path, "c.txt", "Other text.")
    skipped: list = []
    stream = readers.iter_articles(tmp_path, skipped=skipped)
    first = next(stream)
    assert first["text"] == "Same text." and first["paths"] == [str(tmp_path / "a.txt")]
    assert set(first) >= {"article_id", "published", "path", "format", "n_words"}
    assert [a["text"] for a in stream] == ["Other text."]
    assert skipped == [
        {"path": str(tmp_path / "b.txt"), "where": None, "problem": f"same text as {tmp_path / 'a.txt'}", "fix": None}
    ]


def test_empty_folder_gives_an_empty_table(tmp_path):
    df = readers.read_articles(tmp_path)
    assert df.empty
    assert list(df.columns) == [c.name for c in schema.TABLES["articles"]]
    assert df.attrs["skipped"] == []


def test_progress_bar_on_a_terminal_only(tmp_path, capsys, monkeypatch):
    write(tmp_path, "a.txt", "With a bar.")
    assert len(readers.read_articles(tmp_path, progress=True)) == 1
    # stderr is not a terminal under pytest (as in cron or CI): no bar frames, one summary line.
    err = capsys.readouterr().err
    assert "\r" not in err and "it/s" not in err and "|" not in err
    assert err.splitlines() == [line for line in err.splitlines() if line.startswith("read: 1 file in ")]
    assert len(err.splitlines()) == 1

    import tqdm.auto

    from newskit import _progress

    shown = []
    monkeypatch.setattr(_progress, "stderr_is_terminal", lambda: True)
    monkeypatch.setattr(tqdm.auto, "tqdm", lambda iterable, **options: shown.append(options) or iterable)
    assert len(readers.read_articles(tmp_path, progress=True)) == 1
    assert shown and shown[0]["desc"] == "read"
