"""The record of the Customer API requests a sandbox received, for tests and demos."""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass

# NOTE: only the most recent requests are kept, so that a long import run does
# not grow the sandbox's memory without bound.
MAX_RECORDS = 10_000


@dataclass(slots=True)
class RequestRecord:
    """One request: filled in while the request is handled, then added to the log."""

    time: str
    method: str
    path: str
    query: str
    tenant: str | None = None
    status: int | None = None
    batch_size: int | None = None
    dropped: bool = False

    def to_json(self) -> dict[str, object]:
        return {
            "time": self.time,
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "tenant": self.tenant,
            "status": self.status,
            "batchSize": self.batch_size,
            "dropped": self.dropped,
        }


class RequestLog:
    """The last MAX_RECORDS requests, oldest first; safe to use from several threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._records: deque[RequestRecord] = deque(maxlen=MAX_RECORDS)

    def add(self, record: RequestRecord) -> None:
        with self._lock:
            self._records.append(record)

    def to_json(self) -> list[dict[str, object]]:
        with self._lock:
            return [record.to_json() for record in self._records]

    def clear(self) -> None:
        with self._lock:
            self._records.clear()
