"""The hook through which a run journal follows each batch's state.

A batch's customers move through these states::

    pending --> sent --> accepted / rejected / failed
                 |  ^
                 v  |
               unknown   (the API may have stored them; settled by looking them up)

The sender calls a ``Journal`` at each step. The default ``NullJournal``
records nothing. A journal that persists the states lets a resumed run skip
accepted customers and pass the ones left ``sent`` or ``unknown`` back with
``Outgoing.maybe_stored=True``, so that they are looked up before being sent.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from importer.upload.batches import BatchOutcome


class Journal(Protocol):
    """Receiver of batch state changes.

    ``record_pending`` and ``record_outcome`` are called from the thread that
    iterates ``CustomerSender.send``. ``record_sent`` and ``record_unknown`` are
    called from the worker threads, so an implementation must be thread-safe.
    """

    def record_pending(self, batch_id: int, keys: Sequence[int]) -> None:
        """Record a new batch whose customers have not been sent yet."""

    def record_sent(self, batch_id: int, keys: Sequence[int]) -> None:
        """Record that a request carrying these customers is about to be sent."""

    def record_unknown(self, batch_id: int, keys: Sequence[int]) -> None:
        """Record that a request carrying these customers got no response after its body was sent."""

    def record_outcome(self, outcome: BatchOutcome) -> None:
        """Record a batch's final outcome for every customer in it."""


class NullJournal:
    """Journal that records nothing."""

    def record_pending(self, batch_id: int, keys: Sequence[int]) -> None:
        pass

    def record_sent(self, batch_id: int, keys: Sequence[int]) -> None:
        pass

    def record_unknown(self, batch_id: int, keys: Sequence[int]) -> None:
        pass

    def record_outcome(self, outcome: BatchOutcome) -> None:
        pass
