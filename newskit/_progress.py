"""One way to show progress: tqdm on a terminal, silent in logs and pipes."""

from __future__ import annotations

__all__ = ["progress_bar"]


def progress_bar(iterable=None, *, enabled: bool = True, **options):
    """A tqdm bar when ``enabled`` and stderr is a terminal; a silent pass-through otherwise.

    Scheduled runs write logs, where a redrawn bar is noise; tqdm's ``disable=None``
    switches the bar off on a non-terminal.
    """
    from tqdm.auto import tqdm

    return tqdm(iterable, disable=None if enabled else True, **options)
