"""The package is built in layers: every module imports only from layers below it (or its own).

Read with ``ast`` from the source (imports inside functions included, so a cycle cannot hide
behind a late import), never by importing. A package (``readers/``, ``extract/``, ``link/``,
``store/``, ``report/`` ...) counts as one module: its files may import each other.

One documented exception: :meth:`newskit.Facts.to_parquet` calls the store (a pandas-style
shortcut, ``df.to_parquet``), an import from the ``facts`` layer up to ``store``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "newskit"

#: Bottom to top. Modules in one layer may import each other (but not in a cycle).
LAYERS: tuple[tuple[str, ...], ...] = (
    ("errors", "_progress", "lexicons", "formatting"),
    ("schema",),
    ("_version",),
    ("dates",),
    ("articles",),
    ("facts", "nlp"),
    ("readers", "extract"),
    ("link",),
    ("engines",),
    ("store",),
    ("plots",),
    ("report", "widgets"),
    ("evaluate",),
    ("cli", "__main__", "__init__"),
)

#: (importing unit, imported unit, why): the only upward imports allowed.
EXCEPTIONS = {("facts", "store"): "Facts.to_parquet: a pandas-style shortcut to newskit.store.write_facts"}


def _unit(module: str) -> str:
    """``newskit.readers.csv_file`` → ``readers``; ``newskit`` → ``__init__``."""
    parts = module.split(".")
    assert parts[0] == "newskit", module
    return parts[1] if len(parts) > 1 else "__init__"


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _imports(path: Path) -> list[tuple[str, int]]:
    """Every newskit module ``path`` imports, with its line (relative imports resolved)."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names if alias.name.split(".")[0] == "newskit"]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "newskit":
                continue
            for alias in node.names:
                # ``from . import schema`` imports the module newskit.schema; ``from . import x`` of a
                # name defined in a package's __init__ imports that package.
                candidate = f"{target}.{alias.name}"
                is_module = (ROOT.parent / Path(*candidate.split("."))).with_suffix(".py").exists() or (
                    ROOT.parent / Path(*candidate.split("."))
                ).is_dir()
                found.append((candidate if is_module else target, node.lineno))
    return found


def _layer_of() -> dict[str, int]:
    return {unit: i for i, layer in enumerate(LAYERS) for unit in layer}


def _edges() -> list[tuple[str, str, str]]:
    """(importing unit, imported unit, "file:line") for every import between two units."""
    edges = []
    for path in sorted(ROOT.rglob("*.py")):
        source = _unit(_module_name(path))
        for target, line in _imports(path):
            unit = _unit(target)
            if unit != source:
                edges.append((source, unit, f"{path.relative_to(ROOT.parent)}:{line}"))
    return edges


def test_every_module_has_a_layer():
    units = {_unit(_module_name(p)) for p in ROOT.rglob("*.py")}
    missing = sorted(units - set(_layer_of()))
    assert not missing, f"add these modules to LAYERS in tests/test_layers.py: {missing}"


def test_no_module_imports_from_a_layer_above_it():
    layer = _layer_of()
    upward = [
        f"{where}: {source} (layer {layer[source]}) imports {target} (layer {layer[target]})"
        for source, target, where in _edges()
        if layer.get(target, -1) > layer.get(source, -1) and (source, target) not in EXCEPTIONS
    ]
    assert not upward, "upward imports:\n" + "\n".join(upward)


def test_no_import_cycle_between_modules_of_one_layer():
    graph: dict[str, set[str]] = {}
    for source, target, _ in _edges():
        if (source, target) not in EXCEPTIONS:
            graph.setdefault(source, set()).add(target)
    visiting, done = set(), set()

    def visit(unit: str, trail: list[str]) -> None:
        if unit in done:
            return
        assert unit not in visiting, "import cycle: " + " -> ".join([*trail, unit])
        visiting.add(unit)
        for nxt in sorted(graph.get(unit, ())):
            visit(nxt, [*trail, unit])
        visiting.discard(unit)
        done.add(unit)

    for unit in sorted(graph):
        visit(unit, [])


def test_the_checker_sees_imports_inside_functions(tmp_path):
    # The checker must not be fooled by the late-import trick that hid the old cycle.
    assert any(source == "facts" and target == "store" for source, target, _ in _edges())


@pytest.mark.parametrize(
    ("module", "forbidden"),
    [("newskit.schema", "spacy"), ("newskit.articles", "spacy"), ("newskit.facts", "spacy")],
)
def test_low_layers_do_not_import_spacy(module, forbidden):
    path = ROOT.parent / Path(*module.split("."))
    path = path.with_suffix(".py") if path.with_suffix(".py").exists() else path / "__init__.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    names += [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert not any(name.split(".")[0] == forbidden for name in names)


def test_steps_run_after_what_they_require():
    from newskit.extract.pipeline import STEPS, Step, check_steps

    check_steps(STEPS)
    assert [step.table for step in STEPS] == [table for table, _ in STEPS]  # still unpacks as (table, extractor)
    assert all(isinstance(step, Step) for step in STEPS)
    # Every fact table is filled by exactly one step.
    from newskit import schema

    assert sorted(step.table for step in STEPS) == sorted(t for t in schema.FACT_TABLES if t != "entities")


def test_a_step_moved_before_its_requirement_is_refused():
    from newskit.extract.pipeline import STEPS, check_steps

    events = next(step for step in STEPS if step.table == "events")
    reordered = (events, *(step for step in STEPS if step is not events))
    with pytest.raises(ValueError, match="'events' runs before"):
        check_steps(reordered)
