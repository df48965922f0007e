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

__all__ = ["EVENT_COLUMNS", "CompareExplorer", "TimelineExplorer"]

#: Columns of the events table shown under the timeline.
EVENT_COLUMNS: tuple[str, ...] = ("date_start", "date_end", "precision", "kind", "description", "actors", "places")


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


class TimelineExplorer:
    """Entity and kind filters and a date-range slider over the events timeline and table.

    Args:
        facts: The facts to explore.
        entities: Entities selected at start (canonical names).
        kinds: Event kinds selected at start.
        start: Initial left end of the date range (default: the earliest date).
        end: Initial right end (default: the latest date).
        max_rows: Rows of the events table shown.

    Attributes:
        entities: ``SelectMultiple`` of the entities involved in events (most events first).
        kinds: ``SelectMultiple`` of event kinds.
        dates: ``SelectionRangeSlider`` over the months (or years) the events cover.
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
        involved = Counter(n for a, p in zip(events["actors"], events["places"], strict=True) for n in {*a, *p})
        names = [name for name, _ in involved.most_common()]
        names += [n for n in entities if n not in names]
        self.entities = w.SelectMultiple(
            options=names, value=tuple(entities), description="entities", rows=min(8, max(len(names), 2))
        )
        self.kinds = w.SelectMultiple(
            options=plots.EVENT_KINDS, value=tuple(kinds), description="kinds", rows=len(plots.EVENT_KINDS)
        )
        self._periods = self._date_options(events)
        labels = [label for label, _ in self._periods] or ["(no dates)"]
        lo, hi = 0, len(labels) - 1
        if self._periods and start is not None:
            lo = next((i for i, (_, p) in enumerate(self._periods) if p.end_time >= pd.Timestamp(start)), lo)
        if self._periods and end is not None:
            hi = max((i for i, (_, p) in enumerate(self._periods) if p.start_time <= pd.Timestamp(end)), default=hi)
        self.dates = w.SelectionRangeSlider(
            options=labels,
            index=(lo, max(lo, hi)),
            description="dates",
            disabled=not self._periods,
            layout=w.Layout(width="95%"),
            continuous_update=False,
        )
        self.figure_out = w.Output()
        self.table_out = w.Output()
        for control in (self.entities, self.kinds, self.dates):
            control.observe(self._changed, names="value")
        self.widget = w.VBox([w.HBox([self.entities, self.kinds]), self.dates, self.figure_out, self.table_out])
        self.events = events.iloc[0:0]
        self.figure = None
        self.update()

    @staticmethod
    def _date_options(events: pd.DataFrame) -> list[tuple[str, pd.Period]]:
        known = pd.concat([events["date_start"], events["date_end"]]).dropna()
        if known.empty:
            return []
        lo, hi = known.min(), known.max()
        freq, fmt = ("M", "%Y-%m") if (hi - lo).days <= 366 * 40 else ("Y", "%Y")
        return [(p.strftime(fmt), p) for p in pd.period_range(lo, hi, freq=freq)]

    def window(self) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
        """The date range the slider selects (None, None when the events carry no dates)."""
        if not self._periods:
            return None, None
        lo, hi = self.dates.index
        return self._periods[lo][1].start_time.normalize(), self._periods[hi][1].end_time.normalize()

    def _changed(self, _change) -> None:
        self.update()

    def update(self) -> None:
        """Filter the events with the current widget values and redraw the timeline and table."""
        start, end = self.window()
        entities, kinds = list(self.entities.value), list(self.kinds.value)
        if self._periods and self.dates.index == (0, len(self._periods) - 1):
            start = end = None  # the full range: undated events stay in the table too
        self.events = plots.select_events(self.facts.events, start=start, end=end, entities=entities, kinds=kinds)
        lane_by, lanes = ("entity", entities) if entities else ("kind", kinds) if kinds else (None, None)
        self.figure = plots.timeline(self.events, lane_by=lane_by, lanes=lanes, start=start, end=end)
        markup = table_html(self.events, columns=EVENT_COLUMNS, max_rows=self.max_rows, empty=plots.NO_EVENTS)
        _show(self.figure_out, self.figure)
        _show(self.table_out, markup=markup)

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


class CompareExplorer:
    """A grouping selector and an entity filter over the mentions heatmap.

    Attributes:
        group_by: ``Dropdown`` of ``source`` / ``article`` / ``month``.
        entities: ``SelectMultiple`` of the most mentioned entities (empty: the top ones).
        figure: The heatmap last drawn.
        widget: The box to display.
    """

    def __init__(self, facts: Facts, *, group_by: str = "source", entities: Sequence[str] = (), top_n: int = 50):
        w = _widgets()
        self.facts = facts
        names = list(facts.mentions["name"].dropna().value_counts().index[:top_n])
        names += [n for n in entities if n not in names]
        self.group_by = w.Dropdown(options=plots.GROUP_BY, value=group_by, description="group by")
        self.entities = w.SelectMultiple(
            options=names, value=tuple(entities), description="entities", rows=min(8, max(len(names), 2))
        )
        self.figure_out = w.Output()
        for control in (self.group_by, self.entities):
            control.observe(lambda _change: self.update(), names="value")
        self.widget = w.VBox([w.HBox([self.group_by, self.entities]), self.figure_out])
        self.figure = None
        self.update()

    def update(self) -> None:
        """Redraw the heatmap for the current grouping and entities."""
        self.figure = plots.mentions_heatmap(
            self.facts, group_by=self.group_by.value, entities=list(self.entities.value)
        )
        _show(self.figure_out, self.figure)

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)
