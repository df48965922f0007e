"""Lexicons are data under one loader with one comment rule (newskit.lexicons)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from newskit import lexicons

ROOT = Path(__file__).resolve().parent.parent / "newskit"


def test_a_row_that_starts_with_a_hash_and_a_tab_is_data():
    # Penn Treebank writes the pound sign as `#`: the row `#<TAB>GBP` is a currency, not a comment.
    assert ("#", "GBP") in lexicons.rows("currencies")
    assert lexicons.table("currencies")["#"] == "GBP"
    assert ("gb#", "GBP") in lexicons.rows("currencies.txt")


@pytest.mark.parametrize(
    ("line", "comment"),
    [("# a note", True), ("#", True), ("", True), ("   ", True), ("#\tGBP", False), ("gb#\tGBP", False)],
)
def test_the_one_comment_rule(line, comment):
    assert lexicons.is_comment(line) is comment


@pytest.mark.parametrize("name", lexicons.names())
def test_every_lexicon_loads_without_comment_text_in_its_rows(name):
    rows = lexicons.rows(name)
    assert rows, name
    assert not [row for row in rows if row[0].startswith("# ")]
    assert all(field == field.strip() for row in rows for field in row)


def test_casualty_word_lists_are_data_not_code():
    tree = ast.parse((ROOT / "extract" / "casualties.py").read_text(encoding="utf-8"))
    literal_sets = {
        target.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign) and isinstance(node.value, (ast.Set, ast.Dict))
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    assert not literal_sets & {"_NOT_PEOPLE", "_CONDITION_WORDS", "_HOSPITAL_WORDS", "_VAGUE_VICTIMS", "_MODALS"}
    from newskit.extract import casualties

    assert {"hospital", "trauma"} <= casualties._HOSPITAL_WORDS
    assert casualties._CONDITION_WORDS["critical"] == "shot" and casualties._CONDITION_WORDS["stable"] == "injured"
    assert {"could", "will", "wo"} <= casualties._MODALS


def test_only_the_loader_opens_lexicon_files():
    # Every rule reads its word lists through newskit.lexicons (one comment rule).
    readers = []
    for path in ROOT.rglob("*.py"):
        if path.parent.name == "lexicons":
            continue
        source = path.read_text(encoding="utf-8")
        if '"lexicons"' in source and "read_text" in source:
            readers.append(str(path.relative_to(ROOT)))
    assert not readers
