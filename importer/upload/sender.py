"""The sending stage: customers in, one outcome per batch out.

```python
with CustomerSender(connection, SendSettings()) as sender:
    for outcome in sender.send(Outgoing(key, customer) for key, customer in rows):
        ...
```
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass

import httpx

from importer.upload.batches import Batch, BatchOutcome, Outgoing, make_batches
from importer.upload.client import CustomerApi, RateLimiter
from importer.upload.delivery import BatchDelivery
from importer.upload.errors import SendStopped
from importer.upload.journal import Journal, NullJournal
from importer.upload.progress import Collector, NullCollector
from importer.upload.retry import Clock
from importer.upload.settings import ConnectionSettings, SendSettings

__all__ = ["BatchOutcome", "CustomerSender", "Outgoing"]

logger = logging.getLogger(__name__)


@dataclass
class _Totals:
    batches: int = 0
    accepted: int = 0
    rejected: int = 0
    failed: int = 0

    def add(self, outcome: BatchOutcome) -> None:
        self.batches += 1
        self.accepted += len(outcome.accepted)
        self.rejected += len(outcome.rejected)
        self.failed += len(outcome.failed)


class CustomerSender:
    """Sends customers to ``upload-customers`` through one HTTP client for the whole run.

    Use it as a context manager, so that the client's connections are closed.
    ``transport`` replaces the network, for example with ``httpx.MockTransport``.
    ``journal`` follows each batch's state, and ``clock`` replaces the retry
    policy's time sources in tests.
    """

    def __init__(
        self,
        connection: ConnectionSettings,
        settings: SendSettings,
        collector: Collector | None = None,
        transport: httpx.BaseTransport | None = None,
        *,
        journal: Journal | None = None,
        clock: Clock | None = None,
    ) -> None:
        self._connection = connection
        self._settings = settings
        self._collector = collector if collector is not None else NullCollector()
        self._journal = journal if journal is not None else NullJournal()
        self._clock = clock if clock is not None else Clock()

        rate_limiter = None
        if settings.requests_per_second is not None:
            rate_limiter = RateLimiter(settings.requests_per_second, self._clock.monotonic)
        self._api = CustomerApi(
            connection,
            max_connections=settings.concurrency,
            rate_limiter=rate_limiter,
            transport=transport,
        )

    def __enter__(self) -> CustomerSender:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the HTTP client and its connections."""
        self._api.close()

    def send(self, items: Iterable[Outgoing]) -> Iterator[BatchOutcome]:
        """Send customers in batches and yield one outcome per batch, in the order the batches finish.

        Batches hold at most ``batch_size`` customers and ``max_batch_bytes``
        bytes of JSON. Up to ``concurrency`` batches are sent at once by worker
        threads, and ``items`` is read lazily, so that at most
        ``2 * concurrency`` batches wait in memory.

        Raises:
            CredentialsRejected: the API responded with 401 or 403.
            ApiUnreachable: a request kept failing or timing out until the
                retries ran out.

        Either error stops the other batches: the ones not started are
        cancelled, and the ones in flight stop before their next request.
        """
        stopping = threading.Event()
        delivery = BatchDelivery(
            self._api,
            self._settings,
            clock=self._clock,
            collector=self._collector,
            journal=self._journal,
            stopping=stopping,
        )
        batches = make_batches(items, self._settings.batch_size, self._settings.max_batch_bytes)
        executor = ThreadPoolExecutor(max_workers=self._settings.concurrency, thread_name_prefix="upload")
        logger.info(
            "Sending customers to %s for tenant %s: up to %s customers per batch, %s batches at once",
            self._connection.display_url,
            self._connection.tenant,
            self._settings.batch_size,
            self._settings.concurrency,
        )

        try:
            yield from self._run(batches, executor, delivery, stopping)
        finally:
            stopping.set()
            executor.shutdown(wait=True, cancel_futures=True)

    def _run(
        self,
        batches: Iterator[Batch],
        executor: ThreadPoolExecutor,
        delivery: BatchDelivery,
        stopping: threading.Event,
    ) -> Iterator[BatchOutcome]:
        totals = _Totals()
        window = 2 * self._settings.concurrency
        in_flight: set[Future[BatchOutcome]] = set()
        self._submit(batches, window, executor, delivery, in_flight)

        while in_flight:
            done, in_flight = wait(in_flight, return_when=FIRST_COMPLETED)
            outcomes, error = self._collect(done, delivery)
            if error is not None:
                stopping.set()

            for outcome in outcomes:
                totals.add(outcome)
                yield outcome

            if error is not None:
                raise error
            self._submit(batches, window, executor, delivery, in_flight)

        logger.info(
            "Sent %s batches: %s customers accepted, %s rejected, %s failed",
            totals.batches,
            totals.accepted,
            totals.rejected,
            totals.failed,
        )

    def _submit(
        self,
        batches: Iterator[Batch],
        window: int,
        executor: ThreadPoolExecutor,
        delivery: BatchDelivery,
        in_flight: set[Future[BatchOutcome]],
    ) -> None:
        """Start batches until ``window`` of them are running or queued."""
        while len(in_flight) < window:
            batch = next(batches, None)
            if batch is None:
                return
            self._journal.record_pending(batch.batch_id, batch.keys)
            in_flight.add(executor.submit(delivery.deliver, batch))

    def _collect(
        self, done: set[Future[BatchOutcome]], delivery: BatchDelivery
    ) -> tuple[list[BatchOutcome], BaseException | None]:
        """Record the finished batches in batch order, and return them with the error to raise, if any."""
        outcomes = []
        errors = []
        for future in done:
            error = future.exception()
            if error is None:
                outcomes.append(future.result())
            else:
                errors.append(error)

        outcomes.sort(key=lambda outcome: outcome.batch_id)
        for outcome in outcomes:
            self._journal.record_outcome(outcome)
            self._collector.batch_done(outcome)

        if not errors:
            return outcomes, None

        # A batch raises SendStopped only after another batch's error, which is
        # the one to report even if that batch has not finished yet.
        errors.sort(key=lambda error: isinstance(error, SendStopped))
        if isinstance(errors[0], SendStopped) and delivery.abort_cause is not None:
            return outcomes, delivery.abort_cause
        return outcomes, errors[0]
