"""Progress of the reading stage: rows and bytes read per input.

The pipeline reports to a ``ReadProgress``. ``NullProgress`` does nothing;
``LogProgress`` writes a log line at a fixed interval (for runs without a
terminal, such as cron jobs); ``BarProgress`` draws a rich progress bar on a
terminal.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Protocol

logger = logging.getLogger(__name__)

LOG_INTERVAL_SECONDS = 10.0


class ReadProgress(Protocol):
    """Receiver of reading progress, one input and pass at a time."""

    def start(self, task: str, name: str, total_bytes: int) -> None:
        """Begin reporting ``task`` (such as "Validating") on the input ``name``."""

    def advance(self, rows: int, bytes_read: int) -> None:
        """Add ``rows`` records read; ``bytes_read`` is the position reached in the input."""

    def finish(self) -> None:
        """End the current input's report."""


class NullProgress:
    """Progress that ignores every report."""

    def start(self, task: str, name: str, total_bytes: int) -> None:
        pass

    def advance(self, rows: int, bytes_read: int) -> None:
        pass

    def finish(self) -> None:
        pass


class _Counts:
    """Rows, bytes and time of the current input, shared by the reporting classes."""

    def __init__(self, clock: Callable[[], float]):
        self.clock = clock
        self.task, self.name, self.total_bytes = "", "", 0
        self.rows, self.bytes_read, self.started = 0, 0, clock()

    def reset(self, task: str, name: str, total_bytes: int) -> None:
        self.task, self.name, self.total_bytes = task, name, total_bytes
        self.rows, self.bytes_read, self.started = 0, 0, self.clock()

    def describe(self) -> str:
        elapsed = max(self.clock() - self.started, 1e-9)
        text = (
            f"{self.task} {self.name}: {self.rows:,} rows, {self.rows / elapsed:,.0f} rows/s, "
            f"{_megabytes(self.bytes_read)} of {_megabytes(self.total_bytes)} read"
        )
        if 0 < self.bytes_read < self.total_bytes:
            left = elapsed * (self.total_bytes - self.bytes_read) / self.bytes_read
            text += f", about {left:,.0f} s left"
        return text


def _megabytes(count: int) -> str:
    return f"{count / 1e6:,.1f} MB"


class LogProgress:
    """Logs a line with rows, rows per second, bytes read and time left, at most every ``interval`` seconds."""

    def __init__(self, interval: float = LOG_INTERVAL_SECONDS, clock: Callable[[], float] = time.monotonic):
        self.interval = interval
        self.counts = _Counts(clock)
        self._last = clock()

    def start(self, task: str, name: str, total_bytes: int) -> None:
        self.counts.reset(task, name, total_bytes)
        self._last = self.counts.started

    def advance(self, rows: int, bytes_read: int) -> None:
        self.counts.rows += rows
        self.counts.bytes_read = bytes_read
        now = self.counts.clock()
        if now - self._last >= self.interval:
            self._last = now
            logger.info("%s", self.counts.describe())

    def finish(self) -> None:
        pass


class BarProgress:
    """Draws a progress bar on the terminal: rows, rows per second, bytes read and time left."""

    def __init__(self, console=None):
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        self.console = console or Console(stderr=True)
        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.fields[rows]:>12,} rows"),
            TextColumn("{task.fields[rate]:>9,.0f} rows/s"),
            DownloadColumn(),
            TimeRemainingColumn(),
            console=self.console,
            transient=True,
        )
        self._task = None
        self._counts = _Counts(time.monotonic)

    def start(self, task: str, name: str, total_bytes: int) -> None:
        self._counts.reset(task, name, total_bytes)
        if self._task is None:
            self._progress.start()
        else:
            self._progress.remove_task(self._task)
        self._task = self._progress.add_task(f"{task} {name}", total=total_bytes, rows=0, rate=0.0)

    def advance(self, rows: int, bytes_read: int) -> None:
        self._counts.rows += rows
        elapsed = max(time.monotonic() - self._counts.started, 1e-9)
        self._progress.update(
            self._task, completed=bytes_read, rows=self._counts.rows, rate=self._counts.rows / elapsed
        )

    def finish(self) -> None:
        if self._task is not None:
            self._progress.update(self._task, completed=self._counts.total_bytes)

    def close(self) -> None:
        if self._task is not None:
            self._progress.stop()
            self._task = None
