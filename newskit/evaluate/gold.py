"""Read annotated (gold) documents: newskit's JSONL corpora and TimeML files.

Every reader returns *gold records*, one dict per document, in the form of the
dev corpora's ``docs.jsonl`` lines::

    {"doc_id": str, "corpus": str, "published": "YYYY-MM-DD" | None,
     "title": str | None, "text": str, "gold": {...}}

All gold spans are ``[start, end)`` code point offsets into ``text``. TimeML
files become records with ``gold["timexes"]`` (``start``, ``end``, ``type``,
``value`` and ``mod`` where annotated); the document creation time (the TIMEX3
with ``functionInDocument="CREATION_TIME"``) gives ``published`` and is not a
gold time expression; if it sits inside ``<TEXT>`` (a dateline) its span becomes
``gold["dct_span"]``, which the scorer ignores.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from ..errors import InputError, ParameterError

__all__ = ["read_gold", "read_jsonl", "read_timeml"]

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}")


def read_gold(path: str | Path, *, limit: int | None = None) -> list[dict]:
    """Read gold records from a corpus.

    Args:
        path: One of: a corpus directory holding ``docs.jsonl``; a directory of
            corpus directories (each with ``docs.jsonl``); a ``.jsonl`` file; a
            TimeML ``.tml`` file; a directory holding ``.tml`` files (searched
            recursively; macOS ``._*`` metadata files are skipped).
        limit: Read at most this many documents (the first ones, in file order).

    Returns:
        Gold records (see the module docstring), in file order.

    Raises:
        InputError: The path does not exist, holds no gold documents, or a file
            in it cannot be read (the error names the file and the line).
        ParameterError: ``limit`` is not a positive integer.
    """
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
        raise ParameterError("limit", limit, "must be a positive integer or None")
    path = Path(path)
    if not path.exists():
        raise InputError(path, "does not exist", fix="give a corpus directory, a docs.jsonl file or TimeML .tml files")
    records: list[dict] = []
    for file in _gold_files(path):
        remaining = None if limit is None else limit - len(records)
        if remaining is not None and remaining <= 0:
            break
        if file.suffix == ".tml":
            records.append(read_timeml(file))
        else:
            records.extend(read_jsonl(file, limit=remaining))
    _check_unique_ids(path, records)
    return records


def _gold_files(path: Path) -> list[Path]:
    if path.is_file():
        if path.suffix not in (".jsonl", ".tml"):
            raise InputError(
                path, "is neither a .jsonl corpus file nor a TimeML .tml file", fix="give docs.jsonl or a .tml file"
            )
        return [path]
    if (path / "docs.jsonl").is_file():
        return [path / "docs.jsonl"]
    corpora = sorted(path.glob("*/docs.jsonl"))
    if corpora:
        return corpora
    timeml = sorted(p for p in path.rglob("*.tml") if not p.name.startswith("._") and p.is_file())
    if timeml:
        return timeml
    raise InputError(
        path, "holds no docs.jsonl and no .tml files", fix="give a corpus directory or a directory of TimeML files"
    )


def _check_unique_ids(path: Path, records: list[dict]) -> None:
    seen: set[str] = set()
    for record in records:
        if record["doc_id"] in seen:
            raise InputError(path, f"doc_id {record['doc_id']!r} occurs twice", fix="give each document a distinct id")
        seen.add(record["doc_id"])


def read_jsonl(path: str | Path, *, limit: int | None = None) -> list[dict]:
    """Read gold records from a JSONL corpus file (one document per line).

    Each line needs ``doc_id`` and ``text`` (strings) and ``gold`` (an object);
    ``corpus`` defaults to the name of the file's directory, ``published`` and
    ``title`` to None.

    Raises:
        InputError: A line that is not JSON or lacks a required field (names the line).
    """
    path = Path(path)
    records = []
    try:
        lines = path.open(encoding="utf-8")
    except OSError as exc:
        raise InputError(path, f"cannot be opened: {exc.strerror}") from exc
    with lines:
        for number, line in enumerate(lines, start=1):
            if limit is not None and len(records) >= limit:
                break
            if not line.strip():
                continue
            where = f"line {number}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(
                    path, f"is not valid JSON ({exc.msg})", where=where, fix="one JSON object per line"
                ) from exc
            records.append(_checked_record(record, path, where, default_corpus=path.parent.name or path.stem))
    return records


def _checked_record(record, path: Path, where: str, *, default_corpus: str) -> dict:
    if not isinstance(record, dict):
        raise InputError(path, "is not a JSON object", where=where)
    for key, kind in (("doc_id", str), ("text", str), ("gold", dict)):
        if not isinstance(record.get(key), kind):
            raise InputError(
                path,
                f"field {key!r} is missing or not a {kind.__name__}",
                where=where,
                fix="each line needs doc_id (str), text (str) and gold (object)",
            )
    published = record.get("published")
    if published is not None and not (isinstance(published, str) and _DATE.match(published)):
        raise InputError(path, f"field 'published' is {published!r}, not YYYY-MM-DD", where=where)
    return {
        "doc_id": record["doc_id"],
        "corpus": str(record.get("corpus") or default_corpus),
        "published": published[:10] if published else None,
        "title": record.get("title"),
        "text": record["text"],
        "gold": record["gold"],
    }


def read_timeml(path: str | Path) -> dict:
    """Read one TimeML (``.tml``) file as a gold record with ``gold["timexes"]``.

    ``text`` is the character content of ``<TEXT>`` with its leading and trailing
    whitespace removed; TIMEX3 offsets point into it. ``doc_id`` is ``<DOCID>``
    (else the file name without ``.tml``), ``corpus`` the name of the file's
    directory, ``title`` the ``<TITLE>`` text if any.

    Raises:
        InputError: The file is not well-formed XML or has no ``<TEXT>`` element.
    """
    path = Path(path)
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise InputError(path, f"is not well-formed TimeML XML ({exc})", fix="check the tags near that line") from exc
    except OSError as exc:
        raise InputError(path, f"cannot be read: {exc.strerror}") from exc
    text_element = root.find(".//TEXT")
    if text_element is None:
        raise InputError(path, "has no <TEXT> element", fix="TimeML documents keep their body in <TEXT>...</TEXT>")

    pieces: list[str] = []
    timexes: list[tuple[ET.Element, int, int]] = []
    _flatten(text_element, pieces, timexes, top=True)
    raw = "".join(pieces)
    lead = len(raw) - len(raw.lstrip())
    text = raw.strip()

    dct = _creation_time(root)
    published = None
    if dct is not None and _DATE.match(dct.get("value") or ""):
        published = dct.get("value")[:10]
    gold: dict = {"timexes": []}
    for element, start, end in timexes:
        start, end = start - lead, end - lead
        if element is dct:
            gold["dct_span"] = [start, end]
            continue
        timex_type = (element.get("type") or "").upper() or None
        if timex_type is None:
            raise InputError(
                path, f"TIMEX3 {element.get('tid', '?')} has no type attribute", fix="add type=DATE/TIME/DURATION/SET"
            )
        item = {"start": start, "end": end, "type": timex_type, "value": element.get("value") or None}
        if element.get("mod"):
            item["mod"] = element.get("mod")
        gold["timexes"].append(item)

    doc_id = (root.findtext(".//DOCID") or "").strip() or path.name.removesuffix(".tml")
    title = (root.findtext(".//TITLE") or "").strip() or None
    return {
        "doc_id": doc_id,
        "corpus": path.parent.name or "timeml",
        "published": published,
        "title": title,
        "text": text,
        "gold": gold,
    }


def _flatten(element: ET.Element, pieces: list[str], timexes: list, *, top: bool = False) -> None:
    """Append ``element``'s character content to ``pieces``, recording TIMEX3 offsets."""
    start = sum(len(p) for p in pieces)
    if element.text:
        pieces.append(element.text)
    for child in element:
        _flatten(child, pieces, timexes)
        if child.tail:
            pieces.append(child.tail)
    if not top and element.tag == "TIMEX3":
        end = sum(len(p) for p in pieces)
        timexes.append((element, start, end))


def _creation_time(root: ET.Element) -> ET.Element | None:
    """The DCT: the TIMEX3 marked CREATION_TIME, else the first TIMEX3 inside ``<DCT>``."""
    for element in root.iter("TIMEX3"):
        if (element.get("functionInDocument") or "").upper() == "CREATION_TIME":
            return element
    dct = root.find(".//DCT")
    if dct is not None:
        return dct.find(".//TIMEX3")
    return None
