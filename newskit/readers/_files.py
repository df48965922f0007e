"""Finding the files to read, and reading their bytes as text without guessing encodings."""

from __future__ import annotations

import errno
import glob
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError, ParameterError

__all__ = ["EXTENSIONS", "Found", "decode", "expand", "format_of", "read_bytes", "sniff"]

#: File extension (lower case) -> format name.
EXTENSIONS: dict[str, str] = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".csv": "csv",
    ".html": "html",
    ".htm": "html",
}

FORMATS_FIX = (
    "newskit reads .txt, .md, .json, .jsonl, .csv and .html/.htm files; convert it or move it out of the folder"
)
UTF8_FIX = "re-save the file as UTF-8 (e.g. `iconv -f latin1 -t utf-8 in.txt > out.txt`, if latin-1 is what it is)"
UTF16_FIX = "newskit reads UTF-8: convert it with `iconv -f UTF-16 -t UTF-8 in.txt > out.txt`"
NAME_FIX = "rename it to a UTF-8 name (e.g. `convmv -f latin1 -t utf-8 --notest FILE`, if latin-1 is what it is)"
_GLOB_CHARS = frozenset("*?[")
_SNIFF_BYTES = 8192


@dataclass(frozen=True)
class Found:
    """One item met while expanding the user's paths.

    Attributes:
        path: The file, as found (relative paths stay relative, for readable reports).
        problem: ``None`` for a file to read; otherwise the error that takes its place
            (a missing path, an unknown extension, a skipped README ...).
        always_skip: The item is skipped even when ``errors="raise"`` (a README:
            documentation, not a bad input).
    """

    path: Path
    problem: InputError | None = None
    always_skip: bool = False
    real: Path | None = None  # the path as the OS names it, when ``path`` had to be made printable


def expand(paths) -> Iterator[Found]:
    """The files behind a file, directory, glob or list of them, each file once.

    Directories are read recursively in sorted order; hidden files and folders
    (``.name``) are ignored; files named ``README*`` inside a directory or glob
    are documentation and come back as an always-skipped item.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    elif not hasattr(paths, "__iter__"):
        raise ParameterError(
            "paths", paths, "must be a path, a glob or a list of them", fix='e.g. read_articles("data/demo")'
        )
    seen: set[str] = set()
    for item in paths:
        if not isinstance(item, (str, os.PathLike)):
            raise ParameterError("paths", item, "each item must be a str or pathlib.Path")
        for found in _expand_one(item):
            key = os.path.realpath(found.real or found.path)
            if key in seen:  # the same file named twice (a folder and a file inside it) is read once
                continue
            seen.add(key)
            yield found


def _expand_one(item) -> Iterator[Found]:
    path = Path(item)
    if path.is_dir():
        yield from _walk(path)
    elif path.exists() or path.is_symlink():
        yield _file(path, explicit=True)
    elif _GLOB_CHARS & set(str(item)):
        matches = sorted(glob.glob(str(item), recursive=True))
        if not matches:
            yield Found(
                path, InputError(path, "no file matches this pattern", fix="check the glob (quote it in a shell)")
            )
        for match in matches:
            match_path = Path(match)
            if match_path.is_dir():
                yield from _walk(match_path)
            elif not _hidden(match_path.name):
                yield _file(match_path, explicit=False)
    else:
        yield Found(path, InputError(path, "no such file or directory", fix="check the path"))


def _walk(folder: Path) -> Iterator[Found]:
    """Files under ``folder``, following symbolic links to folders once each; loops are reported."""
    unreadable: list[OSError] = []  # os.walk would otherwise pass over a folder it cannot list without a word
    visited = {os.path.realpath(folder)}
    for root, dirs, files in os.walk(folder, onerror=unreadable.append, followlinks=True):
        yield from _unreadable_folders(unreadable)
        keep = []
        for name in sorted(d for d in dirs if not _hidden(d)):
            path = Path(root) / name
            real = os.path.realpath(path)
            if real in visited:
                if path.is_symlink() and _is_ancestor(real, root):
                    yield _symlink_loop(path, real)
                continue  # a folder reached a second way (a link to a folder already read) is read once
            visited.add(real)
            keep.append(name)
        dirs[:] = keep  # in place and sorted: os.walk descends in this order
        for name in sorted(files):
            if not _hidden(name):
                yield _file(Path(root) / name, explicit=False)
    yield from _unreadable_folders(unreadable)


def _is_ancestor(real: str, root: str) -> bool:
    here = os.path.realpath(root)
    return here == real or here.startswith(real.rstrip(os.sep) + os.sep)


def _symlink_loop(path: Path, target: str) -> Found:
    problem = InputError(
        path, f"symbolic link loop (it points back to {target}, a folder being read)", fix="remove or repoint the link"
    )
    return Found(path, problem, always_skip=True)


def _unreadable_folders(errors: list[OSError]) -> Iterator[Found]:
    while errors:
        error = errors.pop(0)
        path = Path(error.filename or "?")
        problem = f"cannot list the folder ({error.strerror or error})"
        yield Found(path, InputError(path, problem, fix="check it exists and is readable"))


def _hidden(name: str) -> bool:
    return name.startswith(".")


def _file(path: Path, *, explicit: bool) -> Found:
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        shown = Path(os.fsencode(path).decode("utf-8", "backslashreplace"))
        return Found(shown, InputError(shown, "the file name is not valid UTF-8", fix=NAME_FIX), real=path)
    if path.is_symlink() and not path.exists():
        try:
            os.stat(path)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                return Found(path, InputError(path, "symbolic link loop", fix="remove or repoint the link"))
        target = os.readlink(path)
        return Found(path, InputError(path, f"broken symbolic link (to {target})", fix="remove or repoint the link"))
    if not explicit and path.name.upper().startswith("README"):
        problem = InputError(
            path, "a README is documentation, not an article", fix="pass the file by name to read it as an article"
        )
        return Found(path, problem, always_skip=True)
    if format_of(path) is None:
        suffix = path.suffix or "(no extension)"
        return Found(path, InputError(path, f"unknown file type {suffix}", fix=FORMATS_FIX))
    return Found(path)


def format_of(path: Path) -> str | None:
    """The format name for ``path``'s extension, or ``None`` if newskit cannot read it."""
    return EXTENSIONS.get(path.suffix.lower())


def read_bytes(path: Path) -> bytes:
    """All bytes of ``path``, checked to be a non-empty text file.

    Raises:
        InputError: unreadable, empty, or binary (holds NUL bytes).
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(
            path, f"cannot read the file ({exc.strerror or exc})", fix="check it exists and is readable"
        ) from exc
    _check_head(path, data[:_SNIFF_BYTES], whole=data)
    return data


def sniff(path: Path) -> None:
    """Check the start of a file that is then streamed (JSONL, CSV): readable, non-empty, not binary."""
    try:
        with path.open("rb") as handle:
            head = handle.read(_SNIFF_BYTES)
    except OSError as exc:
        raise InputError(
            path, f"cannot read the file ({exc.strerror or exc})", fix="check it exists and is readable"
        ) from exc
    _check_head(path, head, whole=None)


def _check_head(path: Path, head: bytes, *, whole: bytes | None) -> None:
    if not head.strip() and (whole is None or not whole.strip()):
        raise InputError(path, "the file is empty", fix="remove it or add the article text")
    utf16 = _utf16(head)
    if utf16:
        raise InputError(path, f"UTF-16 text ({utf16}), not UTF-8", fix=UTF16_FIX)
    if b"\x00" in head:
        raise InputError(path, "binary file (it holds NUL bytes), not text", fix=FORMATS_FIX)


def _utf16(head: bytes) -> str | None:
    """How ``head`` shows it is UTF-16 (a byte-order mark, or NULs beside every ASCII letter), or ``None``."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "it starts with a UTF-16 byte-order mark"
    sample = head[: len(head) // 2 * 2]
    if len(sample) >= 4:
        even, odd = sample[0::2], sample[1::2]
        if odd.count(0) >= 0.9 * len(odd) and even.count(0) == 0:
            return "little-endian, without byte-order mark"
        if even.count(0) >= 0.9 * len(even) and odd.count(0) == 0:
            return "big-endian, without byte-order mark"
    return None


def decode(path: Path, data: bytes, *, encoding: str | None = None, where: str | None = None) -> str:
    """Bytes as text: UTF-8 (a byte-order mark is dropped), or an error; never a silent latin-1 guess.

    Args:
        path: The file (named in the error).
        data: Its bytes.
        encoding: An encoding the file itself declares (an HTML ``charset``); UTF-8 otherwise.
        where: Line or record, for the error.
    """
    codec = "utf-8-sig" if encoding is None or encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding
    try:
        text = data.decode(codec)
    except LookupError as exc:
        raise InputError(path, f"declares an unknown encoding {encoding!r}", where=where, fix=UTF8_FIX) from exc
    except UnicodeDecodeError as exc:
        bad = data[exc.start : exc.start + 1].hex()
        name = "UTF-8" if codec == "utf-8-sig" else codec
        raise InputError(
            path, f"not valid {name} text (byte 0x{bad} at offset {exc.start})", where=where, fix=UTF8_FIX
        ) from exc
    return normalize_newlines(text)


def normalize_newlines(text: str) -> str:
    """``\\r\\n`` and ``\\r`` as ``\\n``, as Python's text mode reads files (offsets then match on every OS)."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text
