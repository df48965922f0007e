"""Reports: the notebooks' parameters, facts queries, safe display, and ``newskit report``.

The report notebooks (``notebooks/article.ipynb``, ``timeline.ipynb``,
``compare.ipynb`` and, when present, ``story.ipynb``) stay short: they call
:func:`validate_parameters` and :func:`load_facts`, draw with :mod:`newskit.plots`,
and show tables and figures with :func:`show_table` and :func:`show_figure`.
:func:`run_report` extracts into a persistent facts store, runs the notebooks
headless with papermill and renders them as self-contained HTML with a
``report.json`` manifest of what every figure shows.

=====================  =========================================================
module                 what it is for
=====================  =========================================================
``report.params``      the notebooks' parameters; checking them before any work
``report.queries``     facts for a notebook: load, subset, one article, entities, evidence
``report.display``     escaped HTML tables and cards, figures with their metadata
``report.export``      executed notebook → HTML page, figure PNGs, index page
``report.runner``      ``newskit report``: store, papermill, report.json, output folder
=====================  =========================================================

Article text is untrusted: everything shown from it is escaped (bidirectional
control characters made visible) or drawn into PNG images, and the HTML export
sanitizes outputs as a second line of defence under a script-forbidding
Content-Security-Policy, so a ``<script>`` inside an article shows as text and never runs.

Examples:
    >>> from newskit.report import validate_parameters
    >>> validate_parameters(start="2023-01-01", end="2022-01-01")
    Traceback (most recent call last):
    ...
    newskit.errors.ParameterError: parameter start='2023-01-01': is after end='2022-01-01'; swap them
"""

from __future__ import annotations

from .display import (
    BIDI_CONTROLS,
    article_card,
    escape,
    figure_info,
    figure_png,
    show_figure,
    show_html,
    show_message,
    show_table,
    table_html,
    visible_controls,
)
from .export import CSP, extract_figures, render_html, write_index
from .params import MANIFEST, NOTEBOOK_PARAMETERS, date_bound, is_store, validate_parameters
from .queries import casualty_totals, evidence, load_facts, resolve_entities, select_article, subset
from .runner import (
    ERROR_MODES,
    KERNEL,
    NOTEBOOKS,
    REPORT_MARKER,
    available_notebooks,
    default_store,
    format_out,
    notebook_parameters,
    notebooks_dir,
    report_inputs,
    run_report,
)

__all__ = [
    "BIDI_CONTROLS",
    "CSP",
    "ERROR_MODES",
    "KERNEL",
    "MANIFEST",
    "NOTEBOOKS",
    "NOTEBOOK_PARAMETERS",
    "REPORT_MARKER",
    "article_card",
    "available_notebooks",
    "casualty_totals",
    "date_bound",
    "default_store",
    "escape",
    "evidence",
    "extract_figures",
    "figure_info",
    "figure_png",
    "format_out",
    "is_store",
    "load_facts",
    "notebook_parameters",
    "notebooks_dir",
    "render_html",
    "report_inputs",
    "resolve_entities",
    "run_report",
    "select_article",
    "show_figure",
    "show_html",
    "show_message",
    "show_table",
    "subset",
    "table_html",
    "validate_parameters",
    "visible_controls",
    "write_index",
]
