"""Each fault option, observed from a plain httpx client against its own sandbox process."""

from __future__ import annotations

import time

import httpx
import pytest
from sandbox_helpers import TIMESTAMP, received_requests, stored_customers, tenant_arguments, tenant_headers
from sandbox_process import API_PATH, running_sandbox

BATCH = [{"email": "ann@example.com"}, {"email": "bob@example.com"}]


def upload(base_url: str, batch: list, tenant: str = "demo") -> httpx.Response:
    return httpx.post(f"{base_url}{API_PATH}/upload-customers", json=batch, headers=tenant_headers(tenant))


def search(base_url: str, tenant: str = "demo") -> httpx.Response:
    return httpx.get(
        f"{base_url}{API_PATH}/customers/search",
        params={"email": "ann@example.com"},
        headers=tenant_headers(tenant),
    )


def test_rate_limit_answers_429_with_retry_after():
    # One request per 10 s: the second request comes well within that, and
    # the wait left is between 9 and 10 s whatever the machine's speed.
    with running_sandbox(*tenant_arguments(), "--rate-limit", "0.1") as base_url:
        first = search(base_url)
        second = search(base_url)
        other_tenant = search(base_url, "acme")

    assert first.status_code == 200
    assert second.status_code == 429
    assert second.headers["Retry-After"] == "10"
    assert second.json() == {
        "message": "Rate limit of 0.1 requests per second exceeded for tenant 'demo'; retry after 10 s."
    }
    assert other_tenant.status_code == 200


def test_rate_limit_skips_unauthenticated_requests():
    with running_sandbox("--rate-limit", "0.1") as base_url:
        rejected = httpx.get(f"{base_url}{API_PATH}/customers/x")
        accepted = search(base_url)

    assert rejected.status_code == 401
    assert accepted.status_code == 200


def test_fail_rate_one_answers_503():
    with running_sandbox("--fail-rate", "1", "--seed", "7") as base_url:
        response = upload(base_url, BATCH)
        stored = stored_customers(base_url)
        health = httpx.get(f"{base_url}/_sandbox/health")

    assert response.status_code == 503
    assert response.json() == {
        "message": "The sandbox injected a temporary failure (--fail-rate); retry later."
    }
    assert stored == []
    assert health.status_code == 200


def test_fail_rate_sequence_repeats_with_seed():
    sequences = []
    for _ in range(2):
        with running_sandbox("--fail-rate", "0.5", "--seed", "42") as base_url:
            first = [search(base_url).status_code for _ in range(12)]
            httpx.post(f"{base_url}/_sandbox/reset")
            after_reset = [search(base_url).status_code for _ in range(12)]
        sequences.append(first)
        assert after_reset == first

    assert sequences[0] == sequences[1]
    assert set(sequences[0]) == {200, 503}


def test_latency_delays_api_requests():
    with running_sandbox("--latency-ms", "300") as base_url:
        started = time.monotonic()
        response = search(base_url)
        elapsed = time.monotonic() - started

    assert response.status_code == 200
    assert elapsed >= 0.3


def test_max_batch_answers_413_above_limit():
    with running_sandbox("--max-batch", "2") as base_url:
        too_large = upload(base_url, [*BATCH, {"email": "cy@example.com"}])
        stored_after_413 = stored_customers(base_url)
        at_limit = upload(base_url, BATCH)

    assert too_large.status_code == 413
    assert too_large.json() == {
        "message": "The batch contains 3 customers, more than the maximum of 2; send smaller batches."
    }
    assert stored_after_413 == []
    assert at_limit.status_code == 202
    assert at_limit.json() == {"accepted": 2}


def test_drop_after_store_closes_connection_without_response():
    with running_sandbox("--drop-after-store-rate", "1", "--seed", "1") as base_url:
        with pytest.raises(httpx.RemoteProtocolError, match="Server disconnected without sending a response"):
            upload(base_url, BATCH)
        stored = stored_customers(base_url)
        records = received_requests(base_url)
        lookup = search(base_url)

    assert [customer["email"] for customer in stored] == ["ann@example.com", "bob@example.com"]
    assert TIMESTAMP.match(records[0].pop("time"))
    assert records[0] == {
        "method": "POST",
        "path": "/services/customerservice/api/v2/upload-customers",
        "query": "",
        "tenant": "demo",
        "status": None,
        "batchSize": 2,
        "dropped": True,
    }
    assert lookup.status_code == 200


def test_drop_after_store_answers_rejected_batch():
    with running_sandbox("--drop-after-store-rate", "1") as base_url:
        response = upload(base_url, [{"email": "not-an-email"}])

    assert response.status_code == 400
    assert response.json()["errors"][0]["index"] == 0
