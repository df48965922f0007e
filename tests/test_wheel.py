"""The wheel runs the main job: build it, install it in a fresh venv outside the repo, `newskit report`.

Slow (a PEP 517 build plus a report run: a few minutes) and needs the build backend
(setuptools, wheel) from PyPI, as CI has. The fresh venv reuses this environment's installed
dependencies through a ``.pth`` file and installs only the wheel (``--no-deps --no-index``), so
nothing else is downloaded and the newskit that runs is the wheel's, not the checkout's.
"""

from __future__ import annotations

import importlib.util
import os
import site
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


def _run(args: list, *, cwd: Path, env: dict | None = None, timeout: int = 900) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    assert result.returncode == 0, (
        f"{' '.join(map(str, args))} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    )
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    if _has_build_frontend():
        _run([sys.executable, "-m", "build", "--wheel", "--outdir", out, REPO], cwd=out)
    else:  # the same PEP 517 build through pip, when the `build` front end is not installed
        _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", out, REPO], cwd=out)
    (wheel,) = out.glob("newskit-*.whl")
    return wheel


def test_the_wheel_holds_the_notebooks_and_lexicons(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    notebooks = {n for n in names if n.startswith("newskit/notebooks/") and n.endswith(".ipynb")}
    assert notebooks == {f"newskit/notebooks/{p.name}" for p in (REPO / "notebooks").glob("*.ipynb")}
    assert {"newskit/notebooks/timeline.ipynb", "newskit/notebooks/story.ipynb"} <= notebooks
    lexicons = {Path(n).name for n in names if n.startswith("newskit/lexicons/")}
    assert {p.name for p in (REPO / "newskit" / "lexicons").iterdir() if p.suffix in {".txt", ".tsv"}} <= lexicons
    assert "newskit/lexicons/__init__.py" in names


@pytest.fixture(scope="module")
def venv(tmp_path_factory, wheel) -> Path:
    root = tmp_path_factory.mktemp("venv") / "env"
    _run([sys.executable, "-m", "venv", "--without-pip", root], cwd=root.parent)
    python = root / "bin" / "python"
    purelib = Path(
        _run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], cwd=root).stdout.strip()
    )
    # This environment's packages (spaCy, its model, pandas, papermill ...), after the venv's own.
    (purelib / "newskit-test-deps.pth").write_text("\n".join(site.getsitepackages()) + "\n", encoding="utf-8")
    _run(
        [sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps", "--no-index", wheel],
        cwd=root,
    )
    return root


def _clean_env(venv: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"}}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    # Dependencies installed by pip put data files (nbconvert's HTML templates, kernel specs) under
    # their environment's share/jupyter; the reused packages keep theirs there, so point Jupyter at it.
    env["JUPYTER_PATH"] = os.pathsep.join(
        p for p in (str(Path(sys.prefix) / "share" / "jupyter"), os.environ.get("JUPYTER_PATH")) if p
    )
    return env


def test_newskit_report_runs_from_the_installed_wheel(venv, tmp_path):
    env = _clean_env(venv)
    where = _run([venv / "bin" / "python", "-c", "import newskit; print(newskit.__file__)"], cwd=tmp_path, env=env)
    assert str(venv) in where.stdout and str(REPO) not in where.stdout  # the wheel's newskit, not the checkout's
    out = tmp_path / "report"
    _run([venv / "bin" / "newskit", "report", REPO / "data" / "seed", "--out", out], cwd=tmp_path, env=env)
    pages = {p.name for p in out.glob("*.html")}
    assert {"index.html", "article.html", "timeline.html", "compare.html"} <= pages
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "article.html" in index and "timeline.html" in index
    # The seed's casualties reached the article page: extraction used the packaged lexicons.
    article = (out / "article.html").read_text(encoding="utf-8")
    assert "police officer" in article


def _has_build_frontend() -> bool:
    # A setuptools `build/` folder in the checkout would pass for the `build` package: look for its entry point.
    try:
        return importlib.util.find_spec("build.__main__") is not None
    except ImportError:
        return False
