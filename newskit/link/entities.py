"""SCAFFOLD: replaced by its owner in this wave (see newskit/link/__init__.py for the step's contract)."""

from __future__ import annotations

from ..facts import Facts

__all__ = ["link_entities"]


def link_entities(facts: Facts) -> Facts:
    """SCAFFOLD: returns facts unchanged until implemented."""
    return facts
