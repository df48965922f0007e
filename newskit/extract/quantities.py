"""Extract `quantities` rows from a parsed Doc (see newskit.schema for the columns)."""

from __future__ import annotations

from spacy.tokens import Doc

__all__ = ["extract_quantities"]


def extract_quantities(doc: Doc) -> list[dict]:
    """Rows of the `quantities` table found in ``doc`` (without ``article_id``)."""
    return []
