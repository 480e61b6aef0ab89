"""Progress of a benchmark run: a rich bar on a terminal, one line per cell elsewhere.

On a terminal (and with ``rich`` installed) a live bar shows the cell being measured. When
stderr is a file, a pipe or a CI log, each finished cell prints one line with the time it took,
the time elapsed and an estimate of what is left, so a long run is never silent.
"""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO


def _clock(seconds: float) -> str:
    seconds = max(0, round(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


class LineProgress:
    """One line per finished cell:
    ``[3/24] norm numpy 1e+06 float32  1.2 s  (0:05, ~0:40 left)``."""

    def __init__(
        self, total: int, weights: list[float] | None = None, stream: TextIO | None = None
    ):
        self.total = total
        self.weights = weights or [1.0] * total
        self.stream = stream or sys.stderr
        self.start = time.perf_counter()
        self.done_weight = 0.0

    def remaining(self, i: int) -> float | None:
        """Seconds left, from the time per unit of expected work so far."""
        elapsed = time.perf_counter() - self.start
        if self.done_weight <= 0:
            return None
        rest = sum(self.weights[i + 1 :])
        return elapsed / self.done_weight * rest

    def cell(self, i: int, label: str, seconds: float) -> None:
        self.done_weight += self.weights[i] if i < len(self.weights) else 1.0
        left = self.remaining(i)
        eta = f", ~{_clock(left)} left" if left is not None and i + 1 < self.total else ""
        elapsed = _clock(time.perf_counter() - self.start)
        self.stream.write(f"[{i + 1}/{self.total}] {label}  {seconds:.1f} s  ({elapsed}{eta})\n")
        self.stream.flush()

    def close(self) -> None:
        pass


class RichProgress(LineProgress):
    """A live bar on a terminal."""

    def __init__(
        self, total: int, weights: list[float] | None = None, stream: TextIO | None = None
    ):
        super().__init__(total, weights, stream)
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.bar = Progress(
            TextColumn("[bold]bench"),
            BarColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            TextColumn("{task.description}"),
            console=Console(file=self.stream),
            transient=False,
        )
        self.task = self.bar.add_task("starting", total=sum(self.weights))
        self.bar.start()

    def cell(self, i: int, label: str, seconds: float) -> None:
        w = self.weights[i] if i < len(self.weights) else 1.0
        self.done_weight += w
        # the bar advances by expected work (so its estimate holds); the text counts cells
        self.bar.update(self.task, advance=w, description=f"{i + 1}/{self.total} {label}")

    def close(self) -> None:
        self.bar.stop()


def make_progress(
    total: int, weights: list[float] | None = None, stream: Any = None, enabled: bool = True
) -> LineProgress | None:
    """The rich bar when ``stream`` is a terminal and rich is installed, else line mode."""
    if not enabled:
        return None
    stream = stream or sys.stderr
    if getattr(stream, "isatty", lambda: False)():
        try:
            return RichProgress(total, weights, stream)
        except ImportError:
            pass
    return LineProgress(total, weights, stream)
