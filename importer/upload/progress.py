"""Progress reporting of the upload stage.

The sender reports to a ``Collector``. The default ``NullCollector`` does
nothing; a command line can pass one that draws a progress bar or counts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from importer.upload.batches import BatchOutcome


class Collector(Protocol):
    """Receiver of progress events.

    ``batch_sent`` and ``retry`` are called from the sender's worker threads,
    so an implementation must be thread-safe. ``batch_done`` is called from the
    thread that iterates ``CustomerSender.send``.
    """

    def batch_sent(self, batch_id: int, size: int) -> None:
        """Record that the sender started delivering a batch of ``size`` customers."""

    def retry(self, batch_id: int, status_or_error: int | str, wait: float) -> None:
        """Record a retry: the HTTP status or the error text, and the wait in seconds."""

    def batch_done(self, outcome: BatchOutcome) -> None:
        """Record a batch's final outcome."""


class NullCollector:
    """Collector that ignores every event."""

    def batch_sent(self, batch_id: int, size: int) -> None:
        pass

    def retry(self, batch_id: int, status_or_error: int | str, wait: float) -> None:
        pass

    def batch_done(self, outcome: BatchOutcome) -> None:
        pass
