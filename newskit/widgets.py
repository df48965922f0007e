"""JupyterLab explorers: ipywidgets filters that redraw the report charts and tables.

Each explorer keeps its state in plain attributes (``events``, ``figure``) and
redraws through :meth:`update`, which the widgets' observers call; setting a
widget's ``value`` in a test therefore exercises the same path as a click, with
no browser. Outputs are appended with :meth:`ipywidgets.Output.append_display_data`,
which works with or without a running kernel. Headless report runs never build
them (the notebooks' ``interactive`` parameter is False there).

Examples:
    >>> import newskit as nk
    >>> from newskit.widgets import TimelineExplorer
    >>> explorer = TimelineExplorer(nk.Facts.empty())
    >>> len(explorer.events)
    0
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import pandas as pd

from . import plots
from .facts import Facts
from .report import figure_png, table_html

__all__ = [
    "EVENT_COLUMNS",
    "MAX_OPTIONS",
    "CompareExplorer",
    "TimelineExplorer",
    "date_stops",
    "story_options",
    "top_entities",
]

#: Columns of the events table shown under the timeline.
EVENT_COLUMNS: tuple[str, ...] = (
    "date_start",
    "date_end",
    "precision",
    "dated_by",
    "kind",
    "description",
    "actors",
    "places",
)


def _widgets():
    import ipywidgets

    return ipywidgets


def _show(output, figure=None, markup: str | None = None) -> None:
    from IPython.display import HTML, Image

    output.outputs = ()  # clear_output() needs a kernel; resetting the trait works everywhere
    if figure is not None:
        output.append_display_data(Image(data=figure_png(figure), format="png"))
    if markup is not None:
        output.append_display_data(HTML(markup))


#: Most options a picker offers: the rest are reached by narrowing the data, not by scrolling.
MAX_OPTIONS = 300


def top_entities(events: pd.DataFrame, *, limit: int = MAX_OPTIONS) -> list[str]:
    """The entities involved in most events (actors and places), at most ``limit``."""
    involved = Counter(n for a, p in zip(events["actors"], events["places"], strict=True) for n in {*a, *p})
    return [name for name, _ in involved.most_common(limit)]


def story_options(facts: Facts, *, limit: int = MAX_OPTIONS) -> dict[str, str]:
    """Headline → story id for the ``limit`` most relevant stories (see :func:`newskit.plots.top_stories`)."""
    top = plots.top_stories(facts.stories, limit)
    keys = plots.key_figures(facts.figures[facts.figures["story_id"].isin(set(top["story_id"]))])
    options: dict[str, str] = {}
    for row in top.to_dict("records"):
        headline = plots.story_headline(row, keys=keys)
        if headline in options:  # two stories with one label stay apart
            headline = f"{headline} [{str(row['story_id'])[:7]}]"
        options[headline] = str(row["story_id"])
    return options


def date_stops(dates: pd.Series) -> list[tuple[str, pd.Timestamp, pd.Timestamp]]:
    """Stops of a date-range slider over the bulk of ``dates``: days, weeks or months.

    Days when the bulk spans three months or less, weeks up to three years, months
    beyond; stray dates (see :func:`newskit.plots.date_window`) add no stops.

    Returns:
        ``(label, first day, last day)`` per stop.
    """
    lo, hi, _ = plots.date_window(dates)
    if lo is None:
        return []
    span = (hi - lo).days
    freq = "D" if span <= 92 else "W" if span <= 366 * 3 else "M"
    stops = []
    for period in pd.period_range(lo, hi, freq=freq):
        first, last = period.start_time.normalize(), period.end_time.normalize()
        label = first.strftime("%Y-%m") if freq == "M" else first.strftime("%Y-%m-%d")
        stops.append((label, first, last))
    return stops


def _picker(w, options: Sequence[str], *, placeholder: str, description: str):
    """A type-to-search box over ``options`` (a Combobox: the browser filters as you type)."""
    return w.Combobox(
        options=tuple(options),
        placeholder=placeholder if options else "(none in the data)",
        description=description,
        ensure_option=True,
        disabled=not options,
        layout=w.Layout(width="45%"),
    )


class TimelineExplorer:
    """Pickers and a date-range slider over the events timeline and table.

    Args:
        facts: The facts to explore.
        entities: Entities followed at start (canonical names).
        kinds: Event kinds selected at start.
        start: Initial left end of the date range (default: the bulk's first day).
        end: Initial right end (default: the bulk's last day).
        max_rows: Rows of the events table shown.

    Attributes:
        entity_search: ``Combobox``: type an entity (of the :data:`MAX_OPTIONS` involved in most
            events) to follow it.
        entities: ``SelectMultiple`` of the entities followed (deselect to drop one).
        story: ``Combobox`` of the most relevant stories' headlines (empty: every story).
        kinds: ``SelectMultiple`` of event kinds.
        dates: ``SelectionRangeSlider`` over the days, weeks or months of the bulk of the dates.
        events: The events selected by the current filters.
        figure: The timeline last drawn.
        widget: The box to display.
    """

    def __init__(
        self,
        facts: Facts,
        *,
        entities: Sequence[str] = (),
        kinds: Sequence[str] = (),
        start=None,
        end=None,
        max_rows: int = 30,
    ):
        w = _widgets()
        self.facts = facts
        self.max_rows = max_rows
        events = facts.events
        self.entity_search = _picker(
            w, top_entities(events), placeholder="type an entity to follow", description="entity"
        )
        self.entities = w.SelectMultiple(
            options=tuple(entities), value=tuple(entities), description="following", rows=4
        )
        self._stories = story_options(facts)
        self.story = _picker(w, list(self._stories), placeholder="type words of a story", description="story")
        self.kinds = w.SelectMultiple(
            options=plots.EVENT_KINDS, value=tuple(kinds), description="kinds", rows=len(plots.EVENT_KINDS)
        )
        self._stops = date_stops(pd.concat([events["date_start"], events["date_end"]], ignore_index=True))
        labels = [label for label, _, _ in self._stops] or ["(no dates)"]
        lo, hi = 0, len(labels) - 1
        if self._stops and start is not None:
            lo = next((i for i, (_, _, last) in enumerate(self._stops) if last >= pd.Timestamp(start)), lo)
        if self._stops and end is not None:
            hi = max((i for i, (_, first, _) in enumerate(self._stops) if first <= pd.Timestamp(end)), default=hi)
        self.dates = w.SelectionRangeSlider(
            options=labels,
            index=(lo, max(lo, hi)),
            description="dates",
            disabled=not self._stops,
            layout=w.Layout(width="95%"),
            continuous_update=False,
        )
        self.figure_out = w.Output()
        self.table_out = w.Output()
        self.entity_search.observe(self._follow, names="value")
        for control in (self.entities, self.kinds, self.dates, self.story):
            control.observe(self._changed, names="value")
        self.widget = w.VBox(
            [
                w.HBox([self.entity_search, self.story]),
                w.HBox([self.entities, self.kinds]),
                self.dates,
                self.figure_out,
                self.table_out,
            ]
        )
        self.events = events.iloc[0:0]
        self.figure = None
        self.update()

    def window(self) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
        """The date range the slider selects (None, None when the events carry no dates)."""
        if not self._stops:
            return None, None
        lo, hi = self.dates.index
        return self._stops[lo][1], self._stops[hi][2]

    def _follow(self, change) -> None:
        name = change["new"]
        if not name or name in self.entities.value:
            return
        self.entities.options = (*self.entities.options, name)
        self.entities.value = (*self.entities.value, name)  # redraws through _changed
        self.entity_search.value = ""

    def _changed(self, _change) -> None:
        self.update()

    def update(self) -> None:
        """Filter the events with the current widget values and redraw the timeline and table."""
        start, end = self.window()
        entities, kinds = list(self.entities.value), list(self.kinds.value)
        if self._stops and self.dates.index == (0, len(self._stops) - 1):
            start = end = None  # the full range: undated and stray events stay in the table too
        events = self.facts.events
        story_id = self._stories.get(self.story.value)
        if story_id is not None:
            events = events[events["story_id"] == story_id]
        self.events = plots.select_events(events, start=start, end=end, entities=entities, kinds=kinds)
        lane_by, lanes = ("entity", entities) if entities else ("kind", kinds) if kinds else (None, None)
        self.figure = plots.timeline(self.events, lane_by=lane_by, lanes=lanes, start=start, end=end)
        markup = table_html(
            plots.rank_events(self.events), columns=EVENT_COLUMNS, max_rows=self.max_rows, empty=plots.NO_EVENTS
        )
        _show(self.figure_out, self.figure)
        _show(self.table_out, markup=markup)

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


class CompareExplorer:
    """A grouping selector and a type-to-search entity picker over the mentions heatmap.

    Attributes:
        group_by: ``Dropdown`` of ``source`` / ``article`` / ``month``.
        entity_search: ``Combobox`` of the :data:`MAX_OPTIONS` most mentioned entities; choosing one adds it.
        entities: ``SelectMultiple`` of the entities shown (empty: the top ones).
        figure: The heatmap last drawn.
        widget: The box to display.
    """

    def __init__(
        self, facts: Facts, *, group_by: str = "source", entities: Sequence[str] = (), top_n: int = MAX_OPTIONS
    ):
        w = _widgets()
        self.facts = facts
        names = list(facts.mentions["name"].dropna().value_counts().index[:top_n])
        self.group_by = w.Dropdown(options=plots.GROUP_BY, value=group_by, description="group by")
        self.entity_search = _picker(w, names, placeholder="type an entity to add", description="entity")
        self.entities = w.SelectMultiple(options=tuple(entities), value=tuple(entities), description="shown", rows=4)
        self.figure_out = w.Output()
        self.entity_search.observe(self._add, names="value")
        for control in (self.group_by, self.entities):
            control.observe(lambda _change: self.update(), names="value")
        self.widget = w.VBox([w.HBox([self.group_by, self.entity_search]), self.entities, self.figure_out])
        self.figure = None
        self.update()

    def _add(self, change) -> None:
        name = change["new"]
        if not name or name in self.entities.value:
            return
        self.entities.options = (*self.entities.options, name)
        self.entities.value = (*self.entities.value, name)
        self.entity_search.value = ""

    def update(self) -> None:
        """Redraw the heatmap for the current grouping and entities."""
        self.figure = plots.mentions_heatmap(
            self.facts, group_by=self.group_by.value, entities=list(self.entities.value)
        )
        _show(self.figure_out, self.figure)

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)
