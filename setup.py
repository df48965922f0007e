"""Build hook: ship the report notebooks inside the wheel (everything else is in pyproject.toml).

``newskit report`` runs ``newskit/notebooks/*.ipynb`` from an installed package
(:func:`newskit.report.notebooks_dir`). In a checkout they live in ``notebooks/`` at the
repository root, where JupyterLab users open them; this hook copies them into the built
package when ``newskit/notebooks/`` does not hold them already (once they are moved there,
``package-data`` picks them up and the hook does nothing).
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithNotebooks(build_py):
    def run(self):
        super().run()
        here = Path(__file__).resolve().parent
        packaged = here / "newskit" / "notebooks"
        if any(packaged.glob("*.ipynb")):
            return
        target = Path(self.build_lib) / "newskit" / "notebooks"
        target.mkdir(parents=True, exist_ok=True)
        for notebook in sorted((here / "notebooks").glob("*.ipynb")):
            shutil.copy2(notebook, target / notebook.name)


setup(cmdclass={"build_py": BuildWithNotebooks})
