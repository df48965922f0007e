"""The newskit version, in a module of its own so that any layer can read it without a cycle.

``pyproject.toml`` reads it too (``[tool.setuptools.dynamic]``), so it is written in one place.
"""

__version__ = "0.1.0"
