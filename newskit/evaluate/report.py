"""The result of an evaluation: metric tables per corpus, printable as plain text."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

__all__ = ["EvalReport", "metrics_frame"]

#: Columns whose values are counts (printed as integers).
_COUNT_COLUMNS = ("correct", "gold", "predicted", "documents", "matched")


def metrics_frame(metrics: dict[str, dict]) -> pd.DataFrame:
    """Turn a scorer's ``measure → metrics`` dict into a DataFrame indexed by measure."""
    frame = pd.DataFrame.from_dict(metrics, orient="index")
    frame.index.name = "measure"
    for column in frame.columns:
        if column in _COUNT_COLUMNS:
            frame[column] = pd.array([None if _nan(v) else int(v) for v in frame[column]], dtype="Int64")
        else:
            frame[column] = frame[column].astype("float64")
    return frame


def _nan(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


@dataclass
class EvalReport:
    """Scores of one task on one set of gold documents.

    Attributes:
        task: The task scored (``timex``, ``entities``, ``quantities``,
            ``casualties`` or ``attribution``).
        tables: Corpus name → metrics DataFrame (index ``measure``; columns ``P``,
            ``R``, ``F1``, ``accuracy``, ``correct``, ``gold``, ``predicted`` for
            span tasks; ``accuracy``, ``MAE``, ``documents`` for casualties).
            When the documents come from several corpora, ``all`` pools them.
        documents: Corpus name → number of documents scored.
        source: Where the gold was read from (for the printed header).

    Examples:
        >>> from newskit.evaluate import score
        >>> gold = [{"doc_id": "d", "corpus": "c", "text": "On Monday.", "gold": {"timexes": [
        ...     {"start": 3, "end": 9, "type": "DATE", "value": "2024-05-06"}]}}]
        >>> report = score("timex", gold, None)
        >>> float(report.tables["c"].loc["relaxed", "R"])
        0.0
    """

    task: str
    tables: dict[str, pd.DataFrame]
    documents: dict[str, int] = field(default_factory=dict)
    source: str = ""

    def to_frame(self) -> pd.DataFrame:
        """Every table in one long DataFrame with ``corpus`` and ``measure`` columns."""
        frames = [table.reset_index().assign(corpus=corpus) for corpus, table in self.tables.items()]
        if not frames:
            return pd.DataFrame(columns=["task", "corpus", "measure"])
        long = pd.concat(frames, ignore_index=True)
        long.insert(0, "task", self.task)
        long.insert(1, "corpus", long.pop("corpus"))
        return long

    def __str__(self) -> str:
        blocks = []
        for corpus, table in self.tables.items():
            n = self.documents.get(corpus)
            header = f"{self.task}: {corpus}"
            if n is not None:
                header += f" ({n} document{'s' if n != 1 else ''})"
            blocks.append(header + "\n" + _plain_table(table))
        return "\n\n".join(blocks)

    def __repr__(self) -> str:
        corpora = ", ".join(f"{c}={n}" for c, n in self.documents.items())
        return f"EvalReport(task={self.task!r}, documents: {corpora})"


def _plain_table(table: pd.DataFrame) -> str:
    """Fixed-width text: 3 decimals for scores, integers for counts, ``-`` for undefined."""
    columns = [c for c in table.columns if not table[c].isna().all() or c in ("P", "R", "F1")]
    header = ["measure", *columns]
    rows = [header]
    for measure, values in table.iterrows():
        cells = [str(measure)]
        for column in columns:
            value = values[column]
            if _nan(value):
                cells.append("-")
            elif column in _COUNT_COLUMNS:
                cells.append(str(int(value)))
            else:
                cells.append(f"{float(value):.3f}")
        rows.append(cells)
    widths = [max(len(row[k]) for row in rows) for k in range(len(header))]
    lines = []
    for row in rows:
        first = row[0].ljust(widths[0])
        rest = [cell.rjust(widths[k + 1]) for k, cell in enumerate(row[1:])]
        lines.append("  ".join([first, *rest]).rstrip())
    return "\n".join(lines)
