"""Bad input: raised with file, place and fix, or skipped with a record — never dropped silently."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest

import newskit.readers as readers
from newskit.errors import InputError, ParameterError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "readers"


def write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


@pytest.fixture
def messy(tmp_path) -> Path:
    """A folder with two good articles and one of each kind of bad input."""
    write(tmp_path, "good.txt", "date: 2024-01-15\n\nA good article.")
    write(tmp_path, "binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    write(tmp_path, "empty.txt", "  \n")
    write(tmp_path, "latin1.txt", (FIXTURES / "latin1.txt").read_bytes())
    write(tmp_path, "notes.pdf", b"%PDF-1.4")
    write(tmp_path, "z-feed.jsonl", (FIXTURES / "broken.jsonl").read_text(encoding="utf-8"))
    return tmp_path


def problems(df) -> dict[tuple[str, str | None], str]:
    return {(Path(s["path"]).name, s["where"]): s["problem"] for s in df.attrs["skipped"]}


def test_skip_reads_the_rest_and_records_every_skipped_item(messy):
    df = readers.read_articles(messy, errors="skip")
    assert list(df["text"]) == [
        "A good article.",
        "The first record is fine. It was published in May.",
        "The fourth line is fine too, after a blank line.",
    ]
    assert list(df["path"])[1:] == [f"{messy / 'z-feed.jsonl'}:1", f"{messy / 'z-feed.jsonl'}:5"]
    found = problems(df)
    assert set(found) == {
        ("binary.txt", None),
        ("empty.txt", None),
        ("latin1.txt", None),
        ("notes.pdf", None),
        ("z-feed.jsonl", "line 2"),
        ("z-feed.jsonl", "line 3"),
    }
    assert "binary" in found["binary.txt", None]
    assert "empty" in found["empty.txt", None]
    assert "not valid UTF-8" in found["latin1.txt", None] and "0xe9" in found["latin1.txt", None]
    assert "unknown file type .pdf" in found["notes.pdf", None]
    assert "not valid JSON" in found["z-feed.jsonl", "line 2"]
    assert "without text" in found["z-feed.jsonl", "line 3"]
    assert all(s["fix"] for s in df.attrs["skipped"])  # every record says what to do


def test_skipped_table(messy):
    table = readers.skipped_table(readers.read_articles(messy, errors="skip"))
    assert list(table.columns) == ["path", "where", "problem", "fix"]
    assert len(table) == 6
    assert table["path"].str.endswith("latin1.txt").sum() == 1


def test_warn_warns_once_per_skipped_item(messy):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        df = readers.read_articles(messy, errors="warn")
    assert len(df) == 3
    messages = [str(w.message) for w in caught]
    assert len(messages) == len(df.attrs["skipped"]) == 6
    assert any("z-feed.jsonl (line 2): not valid JSON" in m for m in messages)
    assert all("\n" not in m for m in messages)


def test_raise_stops_at_the_first_bad_input_naming_file_and_fix(messy):
    with pytest.raises(InputError) as info:
        readers.read_articles(messy)  # errors="raise" is the default
    error = info.value
    assert Path(error.path).name == "binary.txt"  # sorted order: binary.txt comes first
    assert error.fix
    assert str(error).startswith(str(messy / "binary.txt"))


def test_raise_names_the_line_of_a_bad_jsonl_record():
    with pytest.raises(InputError, match=r"broken\.jsonl \(line 2\): not valid JSON") as info:
        readers.read_articles(FIXTURES / "broken.jsonl")
    assert info.value.where == "line 2"
    assert "one complete JSON object per line" in info.value.fix


def test_non_utf8_is_reported_not_guessed():
    with pytest.raises(InputError, match="not valid UTF-8") as info:
        readers.read_articles(FIXTURES / "latin1.txt")
    assert "UTF-8" in info.value.fix


def test_missing_path_and_empty_glob(tmp_path):
    with pytest.raises(InputError, match="no such file or directory"):
        readers.read_articles(tmp_path / "nowhere.txt")
    df = readers.read_articles([tmp_path / "nowhere.txt", str(tmp_path / "*.jsonl")], errors="skip")
    assert df.empty
    assert [s["problem"] for s in df.attrs["skipped"]] == ["no such file or directory", "no file matches this pattern"]


def test_bad_date_names_file_line_and_value(tmp_path):
    path = write(
        tmp_path,
        "feed.jsonl",
        '{"text": "Fine.", "published": "2024-05-01"}\n{"text": "Bad.", "published": "the other day"}\n',
    )
    with pytest.raises(InputError) as info:
        readers.read_articles(path)
    message = str(info.value)
    assert str(path) in message and "line 2" in message and "'the other day'" in message
    df = readers.read_articles(path, errors="skip")
    assert list(df["text"]) == ["Fine."]


def test_bad_date_header_in_txt(tmp_path):
    path = write(tmp_path, "a.txt", "date: next week\n\nBody.")
    with pytest.raises(InputError, match=r"a\.txt \(line 1\): cannot read the date 'next week'"):
        readers.read_articles(path)


def test_txt_with_only_a_header(tmp_path):
    with pytest.raises(InputError, match="no article text"):
        readers.read_articles(write(tmp_path, "a.txt", "title: Nothing else\ndate: 2024-01-01\n"))


def test_bad_front_matter(tmp_path):
    path = write(tmp_path, "a.md", "---\ntitle: [unclosed\n---\nBody.")
    with pytest.raises(InputError, match="front matter is not valid YAML"):
        readers.read_articles(path)


def test_html_without_article_text(tmp_path):
    path = write(tmp_path, "a.html", "<html><head><title>Empty</title></head><body><nav>Home</nav></body></html>")
    with pytest.raises(InputError, match="no article text found"):
        readers.read_articles(path)


def test_broken_json_file(tmp_path):
    path = write(tmp_path, "a.json", '[{"text": "one"},')
    with pytest.raises(InputError, match="not valid JSON") as info:
        readers.read_articles(path)
    assert info.value.where.startswith("line 1")


def test_bad_parameters(tmp_path):
    with pytest.raises(ParameterError, match="errors='ignore'"):
        readers.read_articles(tmp_path, errors="ignore")
    with pytest.raises(ParameterError, match="errors"):
        readers.iter_articles(tmp_path, errors="loud")  # raised at the call, not at the first next()
    with pytest.raises(ParameterError, match="not an article field"):
        readers.read_articles(tmp_path, columns={"body": "content"})
    with pytest.raises(ParameterError, match="columns"):
        readers.read_articles(tmp_path, columns=["body"])


def test_errors_raise_still_records_readmes(tmp_path):
    write(tmp_path, "README.md", "# docs")
    write(tmp_path, "a.txt", "Body.")
    df = readers.read_articles(tmp_path)
    assert len(df) == 1 and len(df.attrs["skipped"]) == 1
    assert isinstance(readers.skipped_table(df), pd.DataFrame)


def test_unreadable_file(tmp_path, monkeypatch):
    path = write(tmp_path, "locked.txt", "Body.")
    original = Path.read_bytes

    def deny(self):
        if self.name == "locked.txt":  # chmod 000 does not stop root, so refuse the read here
            raise PermissionError(13, "Permission denied", str(self))
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", deny)
    with pytest.raises(InputError, match=r"locked\.txt: cannot read the file \(Permission denied\)"):
        readers.read_articles(path)
