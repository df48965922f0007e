"""One way to show progress: a tqdm bar on a terminal, one summary line in logs and pipes.

Scheduled runs (cron, ``>> log 2>&1``, CI) write stderr to a file, where every redraw of
a bar is a line of noise. When stderr is not a terminal, :func:`progress_bar` draws
nothing while it runs and writes one line when it closes, e.g. ``extract: 120 articles
in 41.2 s``. Every progress display of newskit goes through this helper.
"""

from __future__ import annotations

import sys
import time

__all__ = ["progress_bar", "stderr_is_terminal"]


def stderr_is_terminal() -> bool:
    """Whether stderr is an interactive terminal (where a redrawn bar belongs)."""
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):  # replaced or closed stderr
        return False


def progress_bar(iterable=None, *, enabled: bool = True, **options):
    """A tqdm bar on a terminal; otherwise a quiet stand-in that prints one summary line on close.

    Args:
        iterable: What to iterate over (optional: call ``update(n)`` instead).
        enabled: ``False`` shows nothing at all.
        **options: tqdm options (``desc``, ``unit``, ``total`` ...).

    Returns:
        An object with tqdm's ``update``, ``close``, iteration and context-manager protocol.
    """
    if enabled and stderr_is_terminal():
        from tqdm.auto import tqdm

        return tqdm(iterable, **options)
    return _SummaryLine(iterable, enabled=enabled, desc=options.get("desc"), unit=options.get("unit", "it"))


class _SummaryLine:
    """Counts like a tqdm bar, draws nothing, and writes ``desc: N units in S s`` once when closed."""

    def __init__(self, iterable, *, enabled: bool, desc: str | None, unit: str):
        self.iterable = iterable
        self.enabled = enabled
        self.desc = desc
        self.unit = unit
        self.n = 0
        self._started = time.perf_counter()
        self._closed = False

    def __iter__(self):
        try:
            for item in self.iterable:
                yield item
                self.n += 1
        except BaseException:
            self.abandon()
            raise
        self.close()

    def __len__(self) -> int:
        return len(self.iterable)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def update(self, n: int = 1) -> None:
        self.n += n

    def set_postfix_str(self, *_args, **_kwargs) -> None:
        """Accepted for tqdm compatibility; nothing to redraw."""

    def set_description(self, *_args, **_kwargs) -> None:
        """Accepted for tqdm compatibility; nothing to redraw."""

    def abandon(self) -> None:
        """Close without the summary line (the step failed; its error is what the log needs)."""
        self._closed = True

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self.enabled and self.desc:
            units = self.unit if self.n == 1 or self.unit.endswith("s") else self.unit + "s"
            seconds = time.perf_counter() - self._started
            print(f"{self.desc}: {self.n} {units} in {seconds:.1f} s", file=sys.stderr, flush=True)
