"""Across articles: stories, cross-article entity and event ids, reconciled figures.

Extraction sees one article at a time; linking sees many, but only through their facts
(never the text again), so it can run over a store. The steps run in this order, each
taking and returning a :class:`newskit.Facts`:

1. :func:`newskit.link.entities.link_entities`: one ``entity_id`` per real entity across
   articles (a surname takes the full name's id when unambiguous).
2. :func:`newskit.link.stories.link_stories`: cluster articles into stories
   (``articles.story_id``, the ``stories`` table).
3. :func:`newskit.link.events.link_events`: ``events.event_id`` shared by mentions of one
   real-world event within a story, and dates inherited from the same event elsewhere.
4. :func:`newskit.link.figures.reconcile_figures`: ``figures`` and ``figure_reports``.
"""

from __future__ import annotations

from ..facts import Facts
from .entities import link_entities
from .events import link_events
from .figures import reconcile_figures
from .stories import link_stories

__all__ = ["link", "link_entities", "link_events", "link_stories", "reconcile_figures"]


def link(facts: Facts) -> Facts:
    """Link already extracted facts across their articles.

    Args:
        facts: Facts of any number of articles (from :func:`newskit.extract` or
            :func:`newskit.read_facts`).

    Returns:
        New Facts with ``stories``, ``figures``, ``figure_reports`` filled and
        ``articles.story_id``, ``events.event_id``/``story_id`` set.
    """
    facts = link_entities(facts)
    facts = link_stories(facts)
    facts = link_events(facts)
    return reconcile_figures(facts)
