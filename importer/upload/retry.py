"""The retry policy for every request of the upload stage.

A request is tried again when it raises a ``TransientError``: the API responded
with 429, 502, 503 or 504, or the request failed or timed out. The wait before the
next attempt is the response's ``Retry-After`` when it has one, and otherwise
an exponential backoff with random jitter. Both are capped at
``SendSettings.max_retry_wait``. Retrying stops after
``SendSettings.max_attempts`` requests, or earlier when the next wait would
take the batch past ``SendSettings.max_total_wait``.
"""

from __future__ import annotations

import email.utils
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timezone

from tenacity import RetryCallState, Retrying, retry_if_exception_type
from tenacity.stop import stop_base
from tenacity.wait import wait_base

from importer.errors import TransientError
from importer.upload.errors import RetryableStatus
from importer.upload.progress import Collector
from importer.upload.settings import SendSettings

logger = logging.getLogger(__name__)

# The sender takes 429 and 503 to mean that the API did not process the
# request, so it sends the same customers again.
RETRYABLE_STATUSES = frozenset({429, 502, 503, 504})
# A gateway returns 502 or 504 when the API behind it failed or was too slow,
# which may be after the API stored the customers. The sender looks them up by
# email before sending them again.
AMBIGUOUS_STATUSES = frozenset({502, 504})

# Backoff before retry n (from 1): BACKOFF_INITIAL * 2 ** (n - 1) seconds plus
# up to BACKOFF_JITTER seconds at random, so that batches that failed together
# do not all come back at the same moment.
BACKOFF_INITIAL = 0.5
BACKOFF_JITTER = 0.5


@dataclass(frozen=True)
class Clock:
    """Time sources of the retry policy. Tests replace them to assert exact waits.

    Attributes:
        sleep: waits the given seconds. None waits on the run's stop event, so
            that an aborted run does not sit out a long ``Retry-After``.
        now: wall-clock time in seconds since the epoch, for ``Retry-After`` dates.
        monotonic: a monotonic clock in seconds, for the time spent on a batch.
        jitter: a random number in [0, 1) that scales the backoff jitter.
    """

    sleep: Callable[[float], None] | None = None
    now: Callable[[], float] = time.time
    monotonic: Callable[[], float] = time.monotonic
    jitter: Callable[[], float] = random.random


class RetryBudget:
    """Time one batch has spent on retries, shared by all the requests made for it.

    Only the worker thread that delivers the batch uses it.
    """

    def __init__(self, clock: Clock) -> None:
        self._monotonic = clock.monotonic
        self._started = clock.monotonic()
        self.waited = 0.0

    def spent(self) -> float:
        """Return the seconds spent so far: the time elapsed, or the time waited if that is more."""
        # The waits alone count when a test replaces sleep and no time passes.
        return max(self._monotonic() - self._started, self.waited)


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Convert a ``Retry-After`` header (seconds or an HTTP date) to seconds from ``now``.

    Returns None when the header is missing or invalid, and 0 for a date in the past.
    """
    if value is None:
        return None

    value = value.strip()
    if value.isascii() and value.isdigit():
        return float(value)

    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None

    if moment.tzinfo is None:
        # RFC 9110 dates are always in GMT; "-0000" parses as naive.
        moment = moment.replace(tzinfo=timezone.utc)
    return max(moment.timestamp() - now, 0.0)


class RetryAfterOrBackoff(wait_base):
    """Wait for the ``Retry-After`` delay when there is one, else back off exponentially with jitter.

    Either wait is capped at ``max_wait`` seconds.
    """

    def __init__(self, max_wait: float, jitter: Callable[[], float]) -> None:
        self.max_wait = max_wait
        self.jitter = jitter

    def __call__(self, retry_state: RetryCallState) -> float:
        error = retry_state.outcome.exception() if retry_state.outcome else None
        if isinstance(error, RetryableStatus) and error.retry_after is not None:
            return min(error.retry_after, self.max_wait)

        backoff = BACKOFF_INITIAL * 2 ** (retry_state.attempt_number - 1)
        return min(backoff + BACKOFF_JITTER * self.jitter(), self.max_wait)


class StopAfterAttemptsOrBudget(stop_base):
    """Stop after ``max_attempts`` attempts, or when the next wait would exceed the batch's time budget."""

    def __init__(self, max_attempts: int, max_total_wait: float, budget: RetryBudget) -> None:
        self.max_attempts = max_attempts
        self.max_total_wait = max_total_wait
        self.budget = budget

    def __call__(self, retry_state: RetryCallState) -> bool:
        if retry_state.attempt_number >= self.max_attempts:
            return True
        return self.budget.spent() + retry_state.upcoming_sleep > self.max_total_wait


def build_retrying(
    settings: SendSettings,
    *,
    batch_id: int,
    action: str,
    clock: Clock,
    budget: RetryBudget,
    sleep: Callable[[float], None],
    collector: Collector,
) -> Retrying:
    """Build the retry policy for one request of a batch.

    ``action`` names the request in the retry log lines, for example
    ``"upload of 500 customers"``. It must not contain personal data.
    The last error is re-raised once the attempts or the time budget run out.
    """

    def before_sleep(retry_state: RetryCallState) -> None:
        error = retry_state.outcome.exception()
        wait = retry_state.upcoming_sleep
        budget.waited += wait
        logger.warning(
            "Batch %s: %s failed with %s; retrying in %.2f s (attempt %s of %s)",
            batch_id,
            action,
            error,
            wait,
            retry_state.attempt_number + 1,
            settings.max_attempts,
        )
        status_or_error = error.status if isinstance(error, RetryableStatus) else str(error)
        collector.retry(batch_id, status_or_error, wait)

    return Retrying(
        retry=retry_if_exception_type(TransientError),
        wait=RetryAfterOrBackoff(settings.max_retry_wait, clock.jitter),
        stop=StopAfterAttemptsOrBudget(settings.max_attempts, settings.max_total_wait, budget),
        sleep=sleep,
        before_sleep=before_sleep,
        reraise=True,
    )
