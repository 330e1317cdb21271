"""CustomerSender against the real sandbox over HTTP on 127.0.0.1, with its fault options."""

from __future__ import annotations

import logging

import httpx
import pytest
from upload_fakes import RecordingClock, make_customers

from importer.upload import (
    ApiUnreachable,
    BatchOutcome,
    Clock,
    ConnectionSettings,
    CredentialsRejected,
    CustomerSender,
    Outgoing,
    SendSettings,
)

from sandbox_process import API_PATH, DEMO_HEADERS, running_sandbox


def send_to_sandbox(
    base_url: str,
    items: list[Outgoing],
    clock: Clock | None = None,
    collector=None,
    token: str = "demo-token",
    **settings,
) -> list[BatchOutcome]:
    connection = ConnectionSettings(base_url, "demo", token, timeout=10.0)
    with CustomerSender(connection, SendSettings(**settings), collector, clock=clock) as sender:
        outcomes = list(sender.send(items))
    return sorted(outcomes, key=lambda outcome: outcome.batch_id)


def stored_emails(base_url: str) -> list[str]:
    response = httpx.get(f"{base_url}/_sandbox/tenants/demo/customers")
    assert response.status_code == 200
    return [customer["email"] for customer in response.json()]


def received_requests(base_url: str) -> list[dict]:
    response = httpx.get(f"{base_url}/_sandbox/requests")
    assert response.status_code == 200
    return response.json()


def accepted_keys(outcomes: list[BatchOutcome]) -> list[int]:
    return sorted(key for outcome in outcomes for key in outcome.accepted)


def no_wait_clock() -> Clock:
    """Retry at once: for faults that do not depend on time, such as 503s and dropped connections."""
    return RecordingClock().clock()


def test_sandbox_stores_every_customer():
    items = make_customers(1000)

    with running_sandbox() as base_url:
        outcomes = send_to_sandbox(base_url, items, batch_size=100, concurrency=4)
        stored = stored_emails(base_url)

    assert [outcome.batch_id for outcome in outcomes] == list(range(1, 11))
    assert accepted_keys(outcomes) == list(range(1000))
    assert sorted(stored) == sorted(item.customer["email"] for item in items)


def test_sandbox_max_batch_halves():
    items = make_customers(100)

    with running_sandbox("--max-batch", "30") as base_url:
        outcomes = send_to_sandbox(base_url, items, batch_size=100, concurrency=1)
        sizes = [request["batchSize"] for request in received_requests(base_url)]
        stored = stored_emails(base_url)

    assert sizes == [100, 50, 25, 25, 25, 25]
    assert outcomes == [BatchOutcome(1, list(range(100)), [], [])]
    assert len(stored) == 100


def test_sandbox_fail_rate_retried():
    items = make_customers(300)

    with running_sandbox("--fail-rate", "0.3", "--seed", "7") as base_url:
        outcomes = send_to_sandbox(base_url, items, clock=no_wait_clock(), batch_size=20, concurrency=4)
        statuses = [request["status"] for request in received_requests(base_url)]
        stored = stored_emails(base_url)

    assert accepted_keys(outcomes) == list(range(300))
    assert statuses.count(503) > 0
    assert statuses.count(202) == 15
    assert sorted(stored) == sorted(item.customer["email"] for item in items)


class RetryCollector:
    def __init__(self) -> None:
        self.retries: list[tuple[int, int | str, float]] = []

    def batch_sent(self, batch_id, size):
        pass

    def retry(self, batch_id, status_or_error, wait):
        self.retries.append((batch_id, status_or_error, wait))

    def batch_done(self, outcome):
        pass


def test_sandbox_rate_limit_honours_retry_after():
    items = make_customers(200)
    collector = RetryCollector()

    # Real waits: the sandbox's token bucket refills with time.
    with running_sandbox("--rate-limit", "5") as base_url:
        outcomes = send_to_sandbox(base_url, items, collector=collector, batch_size=10, concurrency=4)
        statuses = [request["status"] for request in received_requests(base_url)]
        stored = stored_emails(base_url)

    assert accepted_keys(outcomes) == list(range(200))
    assert statuses.count(429) == len(collector.retries)
    assert statuses.count(429) > 0
    for _, status, wait in collector.retries:
        assert status == 429
        # The sandbox sends Retry-After in whole seconds, at least 1.
        assert wait >= 1.0
        assert wait == int(wait)
    assert len(stored) == 200


def test_sandbox_dropped_connection_settled_by_lookup():
    items = make_customers(200)

    with running_sandbox("--drop-after-store-rate", "0.4", "--seed", "11") as base_url:
        outcomes = send_to_sandbox(base_url, items, clock=no_wait_clock(), batch_size=10, concurrency=4)
        requests = received_requests(base_url)
        stored = stored_emails(base_url)

    uploads = [request for request in requests if request["method"] == "POST"]
    lookups = [request for request in requests if request["method"] == "GET"]
    dropped = [request for request in uploads if request["dropped"]]
    assert accepted_keys(outcomes) == list(range(200))
    assert [outcome.rejected for outcome in outcomes] == [[]] * 20
    assert len(dropped) > 0
    # Every dropped batch was stored, so its customers were looked up and none was sent again.
    assert len(uploads) == 20
    assert len(lookups) == 10 * len(dropped)
    assert sorted(stored) == sorted(item.customer["email"] for item in items)


def test_sandbox_rejects_invalid_customers():
    items = make_customers(10)
    items[3] = Outgoing(3, {"email": "not-an-email"})

    with running_sandbox() as base_url:
        with httpx.Client(base_url=base_url + API_PATH, headers=DEMO_HEADERS) as client:
            existing = client.post("/upload-customers", json=[{"email": "customer7@example.com"}])
            assert existing.status_code == 202
        outcomes = send_to_sandbox(base_url, items)
        stored = stored_emails(base_url)

    assert outcomes[0].rejected == [
        (3, "email: 'not-an-email' is not a valid email address: An email address must have an @-sign."),
        (7, "email: A customer with email 'customer7@example.com' already exists in this tenant."),
    ]
    assert outcomes[0].accepted == [0, 1, 2, 4, 5, 6, 8, 9]
    assert len(stored) == 9


@pytest.mark.parametrize(
    ("token", "status"),
    [
        pytest.param("wrong-token", 401, id="wrong-token"),
        pytest.param("acme-token", 403, id="other-tenant-token"),
    ],
)
def test_sandbox_credentials_rejected(token, status, caplog):
    caplog.set_level(logging.DEBUG)

    with running_sandbox("--tenant", "demo:demo-token", "--tenant", "acme:acme-token") as base_url:
        with pytest.raises(CredentialsRejected) as raised:
            send_to_sandbox(base_url, make_customers(50), token=token, batch_size=10)
        stored = stored_emails(base_url)

    assert raised.value.status == status
    assert token not in str(raised.value)
    assert stored == []
    assert len(caplog.records) > 0
    for record in caplog.records:
        assert token not in record.getMessage()


def test_sandbox_stopped_api_unreachable():
    with running_sandbox() as base_url:
        pass

    with pytest.raises(ApiUnreachable) as raised:
        send_to_sandbox(base_url, make_customers(5), clock=no_wait_clock(), max_attempts=2)

    assert raised.value.base_url == base_url
    assert raised.value.last_error.startswith("ConnectError: ")
