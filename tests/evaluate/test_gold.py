"""Reading gold: TimeML files written here, JSONL corpora, and bad input."""

from __future__ import annotations

import json

import pytest

from newskit import InputError, ParameterError
from newskit.evaluate import read_gold, read_timeml

TIMEML = """<?xml version="1.0" ?>
<TimeML>
<DOCID>storm-001</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="2024-05-08" temporalFunction="false" functionInDocument="CREATION_TIME">May 8, 2024</TIMEX3></DCT>
<TITLE>Storm hits coast</TITLE>
<TEXT>
The storm <EVENT eid="e1" class="OCCURRENCE">hit</EVENT> the coast on <TIMEX3 tid="t1" type="DATE" value="2024-05-06" temporalFunction="true" anchorTimeID="t0">Monday</TIMEX3> and <EVENT eid="e2" class="OCCURRENCE">lasted</EVENT> <TIMEX3 tid="t2" type="DURATION" value="P3D" mod="APPROX">about three days</TIMEX3> &amp; more.
</TEXT>
<MAKEINSTANCE eventID="e1" eiid="ei1" tense="PAST" aspect="NONE" polarity="POS" pos="VERB"/>
</TimeML>
"""

# A dateline inside the text is the creation time: it is the DCT, not a gold timex.
DATELINE = """<TimeML><DOCID>wire-2</DOCID><TEXT>
<TIMEX3 tid="t0" type="DATE" value="1998-02-13" functionInDocument="CREATION_TIME">02/13/1998</TIMEX3>
Talks resume <TIMEX3 tid="t1" type="DATE" value="1998-02-14">tomorrow</TIMEX3>.
</TEXT></TimeML>"""


def test_timeml_text_offsets_and_dct(tmp_path):
    path = tmp_path / "storm.tml"
    path.write_text(TIMEML, encoding="utf-8")
    record = read_timeml(path)
    assert record["doc_id"] == "storm-001"
    assert record["corpus"] == tmp_path.name
    assert record["published"] == "2024-05-08"
    assert record["title"] == "Storm hits coast"
    assert record["text"] == "The storm hit the coast on Monday and lasted about three days & more."
    assert record["gold"]["timexes"] == [
        {"start": 27, "end": 33, "type": "DATE", "value": "2024-05-06"},
        {"start": 45, "end": 61, "type": "DURATION", "value": "P3D", "mod": "APPROX"},
    ]
    assert "dct_span" not in record["gold"]


def test_dateline_dct_becomes_dct_span(tmp_path):
    path = tmp_path / "wire.tml"
    path.write_text(DATELINE, encoding="utf-8")
    record = read_timeml(path)
    text, gold = record["text"], record["gold"]
    assert record["published"] == "1998-02-13"
    assert text[slice(*gold["dct_span"])] == "02/13/1998"
    assert [text[t["start"] : t["end"]] for t in gold["timexes"]] == ["tomorrow"]


def test_directory_of_timeml_files(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "storm.tml").write_text(TIMEML, encoding="utf-8")
    (tmp_path / "a" / "wire.tml").write_text(DATELINE, encoding="utf-8")
    (tmp_path / "a" / "._storm.tml").write_bytes(b"\x00\x05\x16\x07 macOS metadata")
    records = read_gold(tmp_path)
    assert [r["doc_id"] for r in records] == ["storm-001", "wire-2"]
    assert read_gold(tmp_path, limit=1)[0]["doc_id"] == "storm-001"


def test_malformed_timeml_names_the_file(tmp_path):
    path = tmp_path / "broken.tml"
    path.write_text("<TimeML><TEXT>Monday</TIMEX3></TEXT></TimeML>", encoding="utf-8")
    with pytest.raises(InputError, match=r"broken\.tml"):
        read_timeml(path)


def test_timeml_without_text_element(tmp_path):
    path = tmp_path / "empty.tml"
    path.write_text("<TimeML><DOCID>x</DOCID></TimeML>", encoding="utf-8")
    with pytest.raises(InputError, match="no <TEXT>"):
        read_gold(path)


def test_jsonl_corpus_and_its_errors(tmp_path):
    corpus = tmp_path / "mini"
    corpus.mkdir()
    good = {
        "doc_id": "a",
        "corpus": "mini",
        "published": "2024-01-02",
        "title": None,
        "text": "Hi.",
        "gold": {"killed": 1, "injured": 0},
    }
    (corpus / "docs.jsonl").write_text(
        json.dumps(good) + "\n" + json.dumps({**good, "doc_id": "b"}) + "\n", encoding="utf-8"
    )
    assert [r["doc_id"] for r in read_gold(corpus)] == ["a", "b"]
    assert [r["doc_id"] for r in read_gold(tmp_path)] == ["a", "b"]  # a directory of corpus directories

    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(good) + "\n{not json\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.jsonl \(line 2\)"):
        read_gold(bad)
    bad.write_text(json.dumps({"doc_id": "a", "text": "Hi."}) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="'gold'"):
        read_gold(bad)
    bad.write_text(json.dumps(good) + "\n" + json.dumps(good) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="twice"):
        read_gold(bad)


def test_bad_paths_and_limits(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        read_gold(tmp_path / "nowhere")
    with pytest.raises(InputError, match=r"no docs\.jsonl"):
        read_gold(tmp_path)
    with pytest.raises(ParameterError):
        read_gold(tmp_path, limit=0)
