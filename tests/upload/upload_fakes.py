"""Test doubles for the upload tests: a mock Customer API, customers and a clock that never sleeps."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime, timezone
from email.utils import format_datetime

import httpx
import orjson

from importer.upload import Clock, Outgoing

BASE_URL = "http://api.test"
TENANT = "acme"
TOKEN = "tok-3f9a8c1e-SECRET"
UPLOAD_PATH = "/services/customerservice/api/v2/upload-customers"

# 2024-01-02 03:04:05 UTC, the wall-clock time of every test clock.
NOW = datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc).timestamp()


def http_date(seconds_from_now: float) -> str:
    """Format the test clock's time plus some seconds as an HTTP date."""
    return format_datetime(datetime.fromtimestamp(NOW + seconds_from_now, timezone.utc), usegmt=True)


class RecordingClock:
    """A clock whose sleep records the waits instead of waiting."""

    def __init__(self) -> None:
        self.waits: list[float] = []
        self._lock = threading.Lock()

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.waits.append(seconds)

    def clock(self) -> Clock:
        # jitter 0.5 makes the backoff before retry n exactly 0.5 * 2 ** (n - 1) + 0.25.
        return Clock(sleep=self.sleep, now=lambda: NOW, monotonic=lambda: 0.0, jitter=lambda: 0.5)


def make_customers(count: int, start: int = 0) -> list[Outgoing]:
    return [
        Outgoing(key, {"email": f"customer{key}@example.com", "firstName": f"First{key}"})
        for key in range(start, start + count)
    ]


def emails_of(request: httpx.Request) -> list[str]:
    return [customer["email"] for customer in orjson.loads(request.content)]


class FakeApi:
    """A mock Customer API that stores uploaded customers by email and responds to look-ups.

    ``script`` contains the responses to the first upload requests, in order: an
    ``httpx.Response``, an exception to raise, or a function of the request.
    Once it is used up, every upload is stored and gets a 202 response.
    """

    def __init__(self, *script: httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]):
        self.script = list(script)
        self.stored: dict[str, dict] = {}
        self.uploads: list[list[str]] = []
        self.lookups: list[str] = []
        self.requests: list[httpx.Request] = []
        self._lock = threading.Lock()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        with self._lock:
            self.requests.append(request)
            if request.method == "GET":
                return self._look_up(request)

            self.uploads.append(emails_of(request))
            if self.script:
                response = self.script.pop(0)
                if isinstance(response, Exception):
                    raise response
                if callable(response):
                    return response(request)
                return response
            return self.store(request)

    def store(self, request: httpx.Request) -> httpx.Response:
        """Store every customer of an upload request, failing the test on a duplicate."""
        for customer in orjson.loads(request.content):
            assert customer["email"] not in self.stored, f"{customer['email']} was created twice"
            self.stored[customer["email"]] = customer
        return httpx.Response(202)

    def _look_up(self, request: httpx.Request) -> httpx.Response:
        self.lookups.append(request.url.raw_path.decode())
        email = request.url.path.split("/")[-2]
        if email in self.stored:
            return httpx.Response(200, json=self.stored[email])
        return httpx.Response(404, json={"message": "customer not found"})
