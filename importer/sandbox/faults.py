"""Fault injection: a per-tenant rate limit and random failures that a seed makes repeatable."""

from __future__ import annotations

import math
import random
import threading
import time
from collections.abc import Callable

from importer.sandbox.settings import FaultSettings


class RateLimiter:
    """A token bucket per tenant.

    Each tenant's bucket refills at ``rate`` tokens per second up to a
    capacity of ``max(1, rate)`` tokens. So a burst of up to ``rate`` requests
    passes at once, and a steady client gets ``rate`` requests per second.
    """

    def __init__(self, rate: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self.capacity = max(1.0, rate)
        self._clock = clock
        self._lock = threading.Lock()
        self._buckets: dict[str, tuple[float, float]] = {}

    def acquire(self, tenant: str) -> int | None:
        """Take a token for one request of ``tenant``.

        Returns None when the request may go ahead, else the whole number of
        seconds (at least 1) after which a token will be available, for a
        ``Retry-After`` header. A rejected request takes no token.
        """
        with self._lock:
            now = self._clock()
            tokens, updated = self._buckets.get(tenant, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - updated) * self.rate)
            if tokens >= 1.0:
                self._buckets[tenant] = (tokens - 1.0, now)
                return None
            self._buckets[tenant] = (tokens, now)
            return max(1, math.ceil((1.0 - tokens) / self.rate))

    def reset(self) -> None:
        with self._lock:
            self._buckets.clear()


class FaultInjector:
    """Decides, request by request, whether to inject a 503 or a dropped connection.

    Each fault draws from its own generator, seeded from ``seed`` and the fault's
    name, so that turning one fault on does not change the sequence of the other.
    """

    def __init__(self, faults: FaultSettings) -> None:
        self.faults = faults
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        """Restart both random sequences from the seed."""
        seed = self.faults.seed
        with self._lock:
            self._fail_random = random.Random(None if seed is None else f"{seed}:fail")
            self._drop_random = random.Random(None if seed is None else f"{seed}:drop")

    def should_fail(self) -> bool:
        """Draw whether this request gets a 503 (``fail_rate``)."""
        return self._draw(self._fail_random, self.faults.fail_rate)

    def should_drop(self) -> bool:
        """Draw whether the connection is dropped after this batch is stored."""
        return self._draw(self._drop_random, self.faults.drop_after_store_rate)

    def _draw(self, generator: random.Random, probability: float) -> bool:
        if probability <= 0.0:
            return False
        with self._lock:
            return generator.random() < probability
