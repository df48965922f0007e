"""Turning executed report notebooks into files: self-contained HTML pages, figure PNGs, the index page.

Every page forbids scripts with a Content-Security-Policy, Markdown and HTML outputs
are sanitized (bleach) as a second line of defence behind the escaping in
:mod:`newskit.report.display`, stderr outputs (warnings) are dropped, and
bidirectional control characters are shown as ``[U+202E]`` wherever they are.
Figures are taken out of the notebooks with nbconvert's ``ExtractOutputPreprocessor``.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from .display import escape, visible_controls

__all__ = ["CSP", "extract_figures", "render_html", "write_index"]

#: The Content-Security-Policy of every report page: no script of any origin, images only as data URIs.
CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'none'"
_CSP_META = f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'

#: The HTML template: nbconvert's ``lab`` page without its scripts (require.js, MathJax, mermaid,
#: widgets), under a Content-Security-Policy that forbids every script, so that nothing in an
#: article can run even if it slipped past escaping and sanitizing. MathJax is dropped too
#: because it would typeset article text between dollar signs as maths.
_TEMPLATE = (
    """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js -%}
"""
    + _CSP_META
    + """
{%- endblock html_head_js -%}
{% block jupyter_widgets %}{% endblock jupyter_widgets %}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
"""
)

#: Tags and attributes kept in Markdown and HTML outputs (the notebooks' own prose and the
#: escaped tables); everything else is escaped by bleach, ``javascript:`` links are dropped.
_ALLOWED_TAGS = frozenset(
    [
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "code",
        "div",
        "em",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "li",
        "ol",
        "p",
        "pre",
        "span",
        "strong",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
    ]
)
_ALLOWED_ATTRIBUTES = {
    "*": ["class", "id"],
    "a": ["href", "title", "class", "id"],
    "td": ["class", "style"],
    "th": ["class", "style"],
}
_ALLOWED_CSS = ("text-align", "vertical-align", "white-space")


def _clean_html(element) -> str:
    import bleach
    from bleach.css_sanitizer import CSSSanitizer

    text = element.decode() if isinstance(element, bytes) else str(element)
    return bleach.clean(
        visible_controls(text),
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        protocols={"http", "https", "mailto"},
        css_sanitizer=CSSSanitizer(allowed_css_properties=_ALLOWED_CSS),
    )


def _visible(value):
    if isinstance(value, str):
        return visible_controls(value)
    if isinstance(value, list):
        return [_visible(v) for v in value]
    return value


def _safe_outputs(cell, resources, index):
    """Drop stderr outputs and make bidirectional controls visible in every output and Markdown cell.

    The ``preprocess_cell`` of an nbconvert preprocessor (see :func:`_safe_outputs_preprocessor`).
    """
    if cell.cell_type == "markdown":
        cell.source = visible_controls(cell.source)
    if cell.cell_type != "code":
        return cell, resources
    kept = []
    for output in cell.get("outputs", []):
        if output.get("output_type") == "stream":
            if output.get("name") == "stderr":
                continue
            output["text"] = _visible(output.get("text", ""))
        for mime, value in output.get("data", {}).items():
            if mime.startswith("text/"):
                output["data"][mime] = _visible(value)
        if output.get("output_type") == "error":
            output["evalue"] = _visible(output.get("evalue", ""))
            output["traceback"] = _visible(output.get("traceback", []))
        kept.append(output)
    cell.outputs = kept
    return cell, resources


def _safe_outputs_preprocessor():
    # nbconvert is imported here, not at module level: the notebooks import newskit.report, and
    # nbconvert's import (seconds on a busy machine) would slow every kernel's start.
    from nbconvert.preprocessors import Preprocessor

    class SafeOutputsPreprocessor(Preprocessor):
        def preprocess_cell(self, cell, resources, index):
            return _safe_outputs(cell, resources, index)

    return SafeOutputsPreprocessor()


def render_html(notebook, html_path, *, with_code: bool = False) -> Path:
    """Write an executed notebook as one self-contained HTML file.

    Images are embedded as data URIs (the file can be mailed), code and prompts
    are hidden unless ``with_code``, stderr output (warnings) is dropped, every
    Markdown and HTML output is sanitized, and the page forbids scripts (see
    :data:`CSP`), so no active content from an article reaches a reader.
    """
    import nbformat
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter

    nb = nbformat.read(str(notebook), as_version=4)
    nb.metadata.pop("widgets", None)
    exporter = HTMLExporter(
        extra_loaders=[DictLoader({"newskit_report.html.j2": _TEMPLATE})],
        template_file="newskit_report.html.j2",
        exclude_input=not with_code,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        sanitize_html=True,
        embed_images=True,
        filters={"clean_html": _clean_html},
    )
    exporter.register_preprocessor(_safe_outputs_preprocessor(), enabled=True)
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": f"newskit {Path(notebook).stem} report"}})
    path = Path(html_path)
    path.write_text(body, encoding="utf-8")
    return path


def _safe_name(name: str) -> str:
    import re

    return re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-")[:60] or "figure"


def extract_figures(notebook, directory, prefix: str) -> list[tuple[Path, dict]]:
    """Save the PNG figures of an executed notebook as ``directory/<prefix>-<name>.png``.

    ``name`` is the one given to :func:`newskit.report.show_figure` (``-2``, ``-3`` for
    repeats). nbconvert's ``ExtractOutputPreprocessor`` decodes the images.

    Returns:
        ``(path, info)`` per figure, in notebook order; ``info`` is the figure's
        ``"newskit"`` display metadata (empty for a PNG shown some other way).
    """
    import nbformat
    from nbconvert.preprocessors import ExtractOutputPreprocessor

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob(f"{_safe_name(prefix)}-*.png"):  # from an earlier run into the same folder
        stale.unlink()
    nb = nbformat.read(str(notebook), as_version=4)
    extractor = ExtractOutputPreprocessor(extract_output_types={"image/png"})
    nb, resources = extractor.preprocess(nb, {"unique_key": _safe_name(prefix), "outputs": {}})
    saved, seen = [], {}
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            filename = output.get("metadata", {}).get("filenames", {}).get("image/png")
            if filename is None:
                continue
            meta = output.get("metadata", {})
            info = dict(meta.get("newskit") or {})
            name = _safe_name(str(info.get("name") or meta.get("image/png", {}).get("newskit_figure") or "figure"))
            seen[name] = seen.get(name, 0) + 1
            stem = name if seen[name] == 1 else f"{name}-{seen[name]}"
            path = directory / f"{_safe_name(prefix)}-{stem}.png"
            path.write_bytes(resources["outputs"][filename])
            saved.append((path, info))
    return saved


_INDEX_STYLE = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; color: #222; }
table { border-collapse: collapse; margin: 1rem 0; } th, td { border: 1px solid #ccc; padding: .3rem .6rem; text-align: left; }
.failed { color: #b00; } img { max-width: 18rem; border: 1px solid #ddd; margin: .2rem; }
"""


def _link(rel: str | None) -> str:
    if rel is None:
        return "—"
    return f'<a href="{escape(rel)}">{escape(rel)}</a>'


def _skipped_html(skipped: Sequence[Mapping]) -> str:
    if not skipped:
        return "<p><em>nothing was skipped</em></p>"
    rows = "".join(
        "<tr>"
        + "".join(f"<td>{escape(item.get(k) or '—')}</td>" for k in ("path", "where", "problem", "fix"))
        + "</tr>"
        for item in skipped
    )
    return f"<table><tr><th>path</th><th>where</th><th>problem</th><th>fix</th></tr>{rows}</table>"


def write_index(out: Path, manifest: Mapping) -> Path:
    """Write ``out/index.html`` from the report manifest (what ``report.json`` holds)."""
    from .._version import __version__

    rows, figures = [], []
    for name, run in manifest["notebooks"].items():
        status = "ok" if run["error"] is None else f'<span class="failed">failed: {escape(run["error"])}</span>'
        params = "<br>".join(f"{escape(k)} = {escape(repr(v))}" for k, v in sorted(run["parameters"].items()))
        rows.append(
            f"<tr><td>{escape(name)}</td><td>{_link(run['html'])}</td><td>{_link(run['notebook'])}</td>"
            f"<td>{run['seconds']:.1f} s</td><td>{status}</td><td>{params}</td></tr>"
        )
        figures += [
            f'<a href="{escape(f["file"])}"><img src="{escape(f["file"])}" alt="{escape(f.get("title") or f["file"])}"></a>'
            for f in run["figures"]
        ]
    skipped = manifest.get("skipped", [])
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">{_CSP_META}<title>newskit report</title><style>{_INDEX_STYLE}</style></head>
<body>
<h1>newskit report</h1>
<table>
<tr><th>input</th><td>{escape(manifest["input"])}</td></tr>
<tr><th>facts store</th><td>{escape(manifest["store"])}</td></tr>
<tr><th>articles</th><td>{escape(manifest.get("articles", "—"))}</td></tr>
<tr><th>started (UTC)</th><td>{escape(manifest["started"])}</td></tr>
<tr><th>finished (UTC)</th><td>{escape(manifest["finished"])}</td></tr>
<tr><th>newskit</th><td>{escape(__version__)} (Python {escape(sys.version.split()[0])})</td></tr>
</table>
<h2>Notebooks</h2>
<table><tr><th>notebook</th><th>report</th><th>executed notebook</th><th>time</th><th>status</th><th>parameters</th></tr>
{"".join(rows)}
</table>
<h2>Figures</h2>
<p>{"".join(figures) or "<em>no figures</em>"}</p>
<h2>Skipped inputs ({len(skipped)})</h2>
{_skipped_html(skipped)}
</body></html>
"""
    path = out / "index.html"
    path.write_text(page, encoding="utf-8")
    return path
