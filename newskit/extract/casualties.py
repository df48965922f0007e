"""Extract `casualties` rows from a parsed Doc (see newskit.schema for the columns)."""

from __future__ import annotations

from spacy.tokens import Doc

__all__ = ["extract_casualties"]


def extract_casualties(doc: Doc) -> list[dict]:
    """Rows of the `casualties` table found in ``doc`` (without ``article_id``)."""
    return []
