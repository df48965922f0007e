"""Charts of extracted facts: every function takes tables and returns a matplotlib Figure.

The functions never call ``plt.show()`` and never touch pyplot's global state
(figures are built with :class:`matplotlib.figure.Figure`), so they are safe in
loops, tests and headless report runs. Every chart has a title and labelled axes,
uses the colour-blind-safe Okabe-Ito palette, and stays readable from one article
to tens of thousands: categories beyond ``top_n`` are folded into ``other`` and a
timeline with too many events becomes a count per period.

When there is nothing to draw the figure says so ("no events found") instead of
raising, so a report over tables an extractor left empty still renders. No date
crashes a chart: every date pandas can hold (1677-2262) and NaT is handled, and a
time axis spans the bulk of the dates (:func:`date_window`; on the corpus pages within the
publication span and a margin, :func:`publication_window`), so "the 1700 block of
Maryland Avenue" read as a year is listed under the chart instead of stretching it.

Every function sets ``fig.newskit_info`` (title, kind, n_drawn, n_hidden, series
values for bar and dot charts, outliers; see ``CONTRACT.md``), which
:func:`figure_summary` passes on, with the axis ranges, to the report manifest.
The story charts (:func:`story_timeline`, :func:`story_casualties`,
:func:`figure_disagreement`, :func:`figure_evolution`, :func:`story_articles`)
read the linked ``stories``, ``figures`` and ``figure_reports`` tables.

Modules (everything public is imported here; import from ``newskit.plots``):

- ``_common``: palette, sizes, safe labels, folding into ``other``, the empty figure, ``newskit_info``
- ``_dates``: dates at any scale and the span an axis covers (:func:`date_window`)
- ``select``: which events and stories to draw or list, and in what order
- ``timeline``: events on a time axis (:func:`timeline`, :func:`events_over_time`)
- ``counts``: one set of facts per kind (entities, quantities, casualties, quotes)
- ``compare``: groups of articles side by side (mentions, reported numbers, tone)
- ``stories``: linked stories (ranking, headlines, a lane per story, a story's articles)
- ``figures``: reconciled story figures (tolls, disagreement, evolution)
- ``summary``: what a figure shows as plain data (:func:`figure_summary`, :func:`outliers_table`)

Examples:
    >>> import newskit as nk
    >>> from newskit import plots
    >>> fig = plots.timeline(nk.Facts.empty().events)
    >>> fig.axes[0].texts[0].get_text()
    'no events found'
"""

from __future__ import annotations

from ..schema import EVENT_KINDS
from ._common import DPI as DPI
from ._common import LABEL_FONT as LABEL_FONT
from ._common import NO_EVENTS as NO_EVENTS
from ._common import OKABE_ITO, OTHER_COLOUR, OTHER_MEASURES, TOLL_MEASURES, empty_figure, palette, plain
from ._common import OUTCOMES as OUTCOMES
from ._common import WIDTH as WIDTH
from ._dates import FENCE_IQR as FENCE_IQR
from ._dates import MAX_SPAN_YEARS, date_window, publication_window
from ._dates import MIN_FENCE_YEARS as MIN_FENCE_YEARS
from ._dates import STORY_MARGIN_DAYS as STORY_MARGIN_DAYS
from .compare import (
    GROUP_BY,
    article_groups,
    mentions_heatmap,
    quantity_disagreement,
    shared_quantities,
    tone_over_time,
)
from .counts import casualties_by_group, entity_mentions, quantity_values, quotes_per_speaker
from .figures import disagreements, figure_disagreement, figure_evolution, story_casualties, story_tolls
from .select import rank_events, select_events, select_stories, with_articles
from .stories import find_story, key_figures, story_articles, story_headline, story_timeline, top_stories
from .summary import axis_ranges, figure_summary, outliers_table
from .timeline import events_over_time, timeline

__all__ = [
    "EVENT_KINDS",
    "GROUP_BY",
    "MAX_SPAN_YEARS",
    "OKABE_ITO",
    "OTHER_COLOUR",
    "OTHER_MEASURES",
    "TOLL_MEASURES",
    "article_groups",
    "axis_ranges",
    "casualties_by_group",
    "date_window",
    "disagreements",
    "empty_figure",
    "entity_mentions",
    "events_over_time",
    "figure_disagreement",
    "figure_evolution",
    "figure_summary",
    "find_story",
    "key_figures",
    "mentions_heatmap",
    "outliers_table",
    "palette",
    "plain",
    "publication_window",
    "quantity_disagreement",
    "quantity_values",
    "quotes_per_speaker",
    "rank_events",
    "select_events",
    "select_stories",
    "shared_quantities",
    "story_articles",
    "story_casualties",
    "story_headline",
    "story_timeline",
    "story_tolls",
    "timeline",
    "tone_over_time",
    "top_stories",
    "with_articles",
]
