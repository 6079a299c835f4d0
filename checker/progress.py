"""A progress bar on stderr for long runs: the CLI's side of run.execute's progress callback.

Drawn only when the CLI decides so (stderr is a terminal, no --no-progress, no --quiet),
and then only once a phase has at least `min_items` items: checking three files should
not flicker a bar. Redrawn in place with a carriage return at most once per percent, and
erased when the run ends so the summary line starts clean.
"""

from __future__ import annotations

from typing import IO

MIN_ITEMS = 10
_LABELS = {"load": "reading", "evaluate": "evaluating"}


class ProgressBar:
    def __init__(self, stream: IO[str], min_items: int = MIN_ITEMS, width: int = 28) -> None:
        self.stream = stream
        self.min_items = min_items
        self.width = width
        self._last: tuple[str, int] | None = None
        self._drawn = False

    def __call__(self, phase: str, done: int, total: int) -> None:
        if total < self.min_items:
            return
        percent = done * 100 // total
        if self._last == (phase, percent):
            return
        self._last = (phase, percent)
        filled = done * self.width // total
        bar = "#" * filled + "-" * (self.width - filled)
        label = _LABELS.get(phase, phase)
        self.stream.write(f"\rtdcheck: {label:<10} [{bar}] {done}/{total}")
        self.stream.flush()
        self._drawn = True

    def close(self) -> None:
        if self._drawn:
            self.stream.write("\r\033[K")  # erase the bar's line
            self.stream.flush()
            self._drawn = False
