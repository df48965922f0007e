"""``errors="skip"`` means skip, everywhere, with a record (issue #10, section 2).

Each hostile input below stopped a whole run before (RecursionError, OutOfBoundsDatetime,
UnicodeEncodeError, RuntimeError) or was read wrongly (rows merged, a header in the text,
an epoch guessed, UTF-16 called "binary"). Now each is one record naming the file, the
line or record, the problem and the fix, and the rest of the input is read.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from newskit import readers
from newskit.errors import InputError

GOOD = "Two men were killed in Lorvania on Monday, police said."


def _read_skip(path):
    df = readers.read_articles(path, errors="skip")
    return df, df.attrs["skipped"]


def _one_record(path, *, problem: str, where: str | None = "any") -> dict:
    df, skipped = _read_skip(path)
    assert len(skipped) == 1, skipped
    record = skipped[0]
    assert problem in record["problem"], record
    if where != "any":
        assert record["where"] == where, record
    assert record["fix"], record
    with pytest.raises(InputError):  # errors="raise" still raises, with the same message
        readers.read_articles(path)
    return {"df": df, **record}


def test_deeply_nested_json_is_a_record_not_a_recursion_error(tmp_path):
    deep = '{"text": ' + "[" * 100_000 + "]" * 100_000 + "}"
    (tmp_path / "feed.jsonl").write_text(json.dumps({"text": GOOD}) + "\n" + deep + "\n", encoding="utf-8")
    got = _one_record(tmp_path / "feed.jsonl", problem="nested too deeply", where="line 2")
    assert list(got["df"]["text"]) == [GOOD]  # the good line is still read
    (tmp_path / "one.json").write_text(deep, encoding="utf-8")
    _one_record(tmp_path / "one.json", problem="nested too deeply")


@pytest.mark.parametrize(
    ("value", "year"),
    [("31 December 9999", "9999"), ("Fri, 31 Dec 9999 10:00:00 +0000", "9999"), ("0001-01-01", "year 1 ")],
)
def test_far_dates_in_any_format_are_records(tmp_path, value, year):
    lines = [json.dumps({"text": GOOD}), json.dumps({"text": "Floods in Estmark.", "published": value})]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    got = _one_record(tmp_path / "feed.jsonl", problem="outside the dates newskit can store", where="line 2, published")
    assert year in got["problem"] and "OutOfBounds" not in got["problem"]
    assert len(got["df"]) == 1


def test_json_number_as_a_date_is_refused_not_guessed(tmp_path):
    (tmp_path / "feed.jsonl").write_text(json.dumps({"text": GOOD, "published": 1700000000}) + "\n", encoding="utf-8")
    got = _one_record(tmp_path / "feed.jsonl", problem="not a date", where="line 1, published")
    assert "1700000000" in got["problem"] and "epoch" in got["problem"]
    (tmp_path / "feed.jsonl").unlink()
    (tmp_path / "feed.csv").write_text(f'text,published\n"{GOOD}",1700000000\n', encoding="utf-8")
    _one_record(tmp_path / "feed.csv", problem="not a date")


def test_utf16_file_says_utf16_and_gives_the_iconv_fix(tmp_path):
    (tmp_path / "a.txt").write_bytes(GOOD.encode("utf-16"))
    (tmp_path / "b.txt").write_bytes(GOOD.encode("utf-16-le"))
    df, skipped = _read_skip(tmp_path)
    assert len(skipped) == 2 and df.empty
    for record in skipped:
        assert "UTF-16" in record["problem"] and "binary" not in record["problem"]
        assert "iconv -f UTF-16 -t UTF-8" in record["fix"]


def test_non_utf8_file_name_is_a_record(tmp_path):
    folder = os.fsencode(tmp_path)
    with open(os.path.join(folder, b"caf\xe9.txt"), "wb") as fh:
        fh.write(GOOD.encode("utf-8"))
    (tmp_path / "ok.txt").write_text("Floods in Estmark.", encoding="utf-8")
    df, skipped = _read_skip(tmp_path)
    assert list(df["text"]) == ["Floods in Estmark."]
    assert len(skipped) == 1 and "not valid UTF-8" in skipped[0]["problem"]
    assert skipped[0]["path"].endswith("caf\\xe9.txt")  # printable, and names the file


def test_symlinked_folders_are_followed_once_and_loops_reported(tmp_path):
    root = tmp_path / "in"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "a.txt").write_text(GOOD, encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "b.txt").write_text("Floods in Estmark.", encoding="utf-8")
    os.symlink(elsewhere, root / "linked")  # a folder reached only through a link: read
    os.symlink(root / "sub", root / "again")  # a folder reached twice: read once
    os.symlink(root, root / "sub" / "loop")  # a loop back to the top
    os.symlink(root / "self.txt", root / "self.txt")  # a file link to itself
    df, skipped = _read_skip(root)
    assert sorted(df["text"]) == sorted([GOOD, "Floods in Estmark."])
    problems = {Path(r["path"]).name: r["problem"] for r in skipped}
    assert set(problems) == {"loop", "self.txt"}
    assert "symbolic link loop" in problems["loop"] and "symbolic link loop" in problems["self.txt"]


def test_csv_unterminated_quote_names_file_and_line_and_merges_nothing(tmp_path):
    path = tmp_path / "feed.csv"
    path.write_text(f'text,title\n"{GOOD}",first\n"Floods in Estmark,second\nA third body,third\n', encoding="utf-8")
    got = _one_record(path, problem="not closed properly", where="line 3")
    assert list(got["df"]["text"]) == [GOOD]  # rows before it are read; nothing merged into a cell
    assert got["path"] == str(path)


def test_impossible_header_date_is_an_error_and_never_text(tmp_path):
    path = tmp_path / "vote.txt"
    path.write_text("date 2023-13-45 The vote was held on Sunday in Calvera.\n", encoding="utf-8")
    got = _one_record(path, problem="2023-13-45", where="line 1")
    assert got["df"].empty
    path.write_text("title: The vote\ndate 2023-02-30\n\nThe vote was held on Sunday.\n", encoding="utf-8")
    got = _one_record(path, problem="2023-02-30", where="line 2")
    # A body that merely starts with the word stays a body.
    path.write_text("Date night ideas for the weekend in Calvera.\n", encoding="utf-8")
    assert readers.read_articles(path).loc[0, "text"].startswith("Date night")


def test_an_unexpected_reader_failure_is_a_record_in_skip_mode(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.md").write_text("Floods in Estmark.", encoding="utf-8")

    def broken(path, **_):
        raise ZeroDivisionError("a bug")
        yield  # pragma: no cover

    monkeypatch.setitem(readers.READERS, "md", broken)
    df, skipped = _read_skip(tmp_path)
    assert list(df["text"]) == [GOOD]
    assert skipped[0]["path"].endswith("b.md") and "ZeroDivisionError" in skipped[0]["problem"]
