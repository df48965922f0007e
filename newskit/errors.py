"""Every error newskit raises on purpose.

Each error carries what the user needs to act: the file, the line or field, and
the fix. The command line prints ``str(error)`` as one line; ``--debug`` shows the
traceback.
"""

from __future__ import annotations

__all__ = [
    "InputError",
    "ModelNotFoundError",
    "NewskitError",
    "NotebookError",
    "ParameterError",
    "StoreDamagedError",
    "StoreError",
]


class NewskitError(Exception):
    """Base class of every error newskit raises on purpose."""


class InputError(NewskitError):
    """An input file, line or record that newskit cannot read.

    Attributes:
        path: The file that holds the bad input.
        where: Line, record or field inside the file (``None`` for the whole file).
        problem: What is wrong.
        fix: What the user can do about it.
    """

    def __init__(self, path, problem: str, *, where: str | None = None, fix: str | None = None):
        self.path = str(path)
        self.where = where
        self.problem = problem
        self.fix = fix
        location = self.path if where is None else f"{self.path} ({where})"
        message = f"{location}: {problem}"
        if fix:
            message += f"; {fix}"
        super().__init__(message)

    def as_record(self) -> dict:
        """The error as a row of the ``skipped`` report."""
        return {"path": self.path, "where": self.where, "problem": self.problem, "fix": self.fix}


class ParameterError(NewskitError, ValueError):
    """A parameter (function keyword, CLI option, notebook parameter) with a bad value.

    Attributes:
        name: The parameter's name.
        value: The value given.
    """

    def __init__(self, name: str, value, problem: str, *, fix: str | None = None):
        self.name = name
        self.value = value
        message = f"parameter {name}={value!r}: {problem}"
        if fix:
            message += f"; {fix}"
        super().__init__(message)

    def _render_traceback_(self) -> list[str]:
        # IPython (a notebook cell, papermill's error) shows these lines instead of the traceback:
        # a bad parameter is the user's to fix, and the one line says how.
        return [f"{type(self).__name__}: {self}"]


class ModelNotFoundError(NewskitError):
    """No spaCy English pipeline could be loaded."""


class StoreError(NewskitError):
    """A facts store that cannot be read or written."""


class NotebookError(NewskitError):
    """A report notebook that failed while executing.

    Attributes:
        notebook: Path of the (partially) executed notebook.
        cell: Index of the failing cell, or ``None``.
        error: One line: the exception name and message raised in the cell.
    """

    def __init__(self, notebook, cell: int | None, error: str):
        self.notebook = str(notebook)
        self.cell = cell
        self.error = error
        where = f"cell {cell}" if cell is not None else "a cell"
        super().__init__(f"{self.notebook}: {where} failed: {error}")


class StoreDamagedError(StoreError):
    """A facts store whose manifest or files are not what newskit wrote (truncated, changed, swapped).

    ``newskit extract ... --out STORE`` repairs it: the damaged chunks are dropped and their
    articles extracted again. The message names the damaged file and that command.
    """
