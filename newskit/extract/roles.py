"""Extract `roles` rows from a parsed Doc (see newskit.schema for the columns)."""

from __future__ import annotations

from spacy.tokens import Doc

__all__ = ["extract_roles"]


def extract_roles(doc: Doc) -> list[dict]:
    """Rows of the `roles` table found in ``doc`` (without ``article_id``)."""
    return []
