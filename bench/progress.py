"""A one-line progress bar on stderr (no dependency): `with Progress("servants", total) as bar:
bar.advance(k)`. It redraws at most ten times a second, so it costs nothing next to the work."""

from __future__ import annotations

import sys
import time
from types import TracebackType


class Progress:
    WIDTH = 30

    def __init__(self, label: str, total: int, *, stream=None) -> None:
        self.label, self.total, self.done = label, max(total, 1), 0
        self.stream = stream or sys.stderr
        self.started = time.perf_counter()
        self._drawn = 0.0

    def __enter__(self) -> Progress:
        self._draw(force=True)
        return self

    def advance(self, k: int = 1) -> None:
        self.done = min(self.total, self.done + k)
        self._draw()

    def _draw(self, force: bool = False) -> None:
        now = time.perf_counter()
        if not self.stream.isatty() and not force and self.done < self.total:
            return  # a log file gets the first and the last state only
        if not force and now - self._drawn < 0.1 and self.done < self.total:
            return
        self._drawn = now
        filled = int(self.WIDTH * self.done / self.total)
        elapsed = now - self.started
        self.stream.write(f"\r  {self.label:<28} [{'#' * filled}{'.' * (self.WIDTH - filled)}] "
                          f"{self.done:>9,}/{self.total:<9,} {elapsed:6.1f}s")
        self.stream.flush()

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self.done < self.total:
            self._draw(force=True)
        self.stream.write("\n")
        self.stream.flush()
