"""The retry policy: Retry-After parsing, backoff and the stop conditions."""

from __future__ import annotations

import httpx
import pytest
from tenacity import Retrying
from upload_fakes import NOW, RecordingClock, http_date

from importer.upload import CredentialsRejected, NullCollector, SendSettings
from importer.upload.errors import RequestFailed
from importer.upload.retry import RetryBudget, build_retrying, parse_retry_after


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        pytest.param("120", 120.0, id="seconds"),
        pytest.param(" 5 ", 5.0, id="seconds-with-spaces"),
        pytest.param("0", 0.0, id="zero"),
        pytest.param(http_date(30), 30.0, id="http-date"),
        pytest.param(http_date(-30), 0.0, id="http-date-in-past"),
        pytest.param("Tue, 02 Jan 2024 03:05:05 -0000", 60.0, id="http-date-minus-zero"),
        pytest.param(None, None, id="missing"),
        pytest.param("soon", None, id="invalid"),
        pytest.param("-5", None, id="negative"),
        pytest.param("1.5", None, id="fraction"),
        pytest.param("\u00b2", None, id="non-ascii-digit"),
    ],
)
def test_parse_retry_after(header, seconds):
    assert parse_retry_after(header, NOW) == seconds


def always_refused() -> None:
    raise RequestFailed(httpx.ConnectError("[Errno 111] Connection refused"), maybe_stored=False)


def build_test_retrying(recording_clock: RecordingClock, **settings) -> Retrying:
    clock = recording_clock.clock()
    return build_retrying(
        SendSettings(**settings),
        batch_id=1,
        action="upload of 1 customers",
        clock=clock,
        budget=RetryBudget(clock),
        sleep=recording_clock.sleep,
        collector=NullCollector(),
    )


def test_backoff_doubles_up_to_cap(recording_clock):
    retrying = build_test_retrying(recording_clock, max_attempts=9, max_retry_wait=30.0, max_total_wait=1000.0)

    with pytest.raises(RequestFailed):
        retrying(always_refused)

    assert recording_clock.waits == [0.75, 1.25, 2.25, 4.25, 8.25, 16.25, 30.0, 30.0]


def test_terminal_error_not_retried(recording_clock):
    retrying = build_test_retrying(recording_clock)

    def rejected() -> None:
        raise CredentialsRejected("acme", 401)

    with pytest.raises(CredentialsRejected):
        retrying(rejected)

    assert recording_clock.waits == []


def test_attempts_limit(recording_clock):
    calls = []

    def refused_and_counted() -> None:
        calls.append(1)
        always_refused()

    retrying = build_test_retrying(recording_clock, max_attempts=3)

    with pytest.raises(RequestFailed):
        retrying(refused_and_counted)

    assert len(calls) == 3
    assert len(recording_clock.waits) == 2
