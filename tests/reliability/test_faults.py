"""The console script against the sandbox's fault options: every valid customer ends up stored exactly once."""

from __future__ import annotations

import re

import httpx
import pytest

from reliability_support import (
    TENANT,
    TOKEN,
    UPLOAD_PATH,
    assert_balanced,
    assert_token_absent,
    import_command,
    read_rejects,
    read_summary,
    received_requests,
    run,
    stored_emails,
    write_customers,
    write_mapping,
)
from sandbox_process import API_PATH, running_sandbox

RETRY_LINE = re.compile(r"Batch (\d+): upload of \d+ customers failed with (HTTP \d{3}[^;]*|\w+Error[^;]*); retrying in ([\d.]+) s")


def import_with_faults(tmp_path, count: int, *sandbox_options: str, send_options=("--batch-size", "50")):
    customers = write_customers(tmp_path / "customers.csv", count)
    mapping = write_mapping(tmp_path)
    out_dir = tmp_path / "out"
    with running_sandbox("--tenant", f"{TENANT}:{TOKEN}", *sandbox_options) as base_url:
        result = run(import_command(customers.path, mapping, base_url, "-o", str(out_dir), *send_options))
        stored = stored_emails(base_url)
        requests = received_requests(base_url)
    return customers, out_dir, result, stored, requests


def assert_all_stored_once(customers, out_dir, result, stored) -> None:
    summary = read_summary(out_dir)
    assert result.returncode == 0, result.stderr
    assert len(stored) == len(customers.valid_emails)
    assert set(stored) == customers.valid_emails
    assert summary["rows_accepted"] == len(customers.valid_emails)
    assert summary["rows_failed"] == 0
    assert summary["rows_rejected"] == 0
    assert_balanced(summary)
    assert_token_absent(out_dir, result.stdout, result.stderr)


def test_429_storm_retry_after_honoured(tmp_path):
    customers, out_dir, result, stored, requests = import_with_faults(
        tmp_path, 1_000, "--rate-limit", "10", send_options=("--batch-size", "25", "--concurrency", "4")
    )
    retries = RETRY_LINE.findall(result.stderr)
    limited = [request for request in requests if request["status"] == 429]

    assert_all_stored_once(customers, out_dir, result, stored)
    assert len(limited) >= 10
    assert len(retries) == len(limited)
    # The sandbox sends Retry-After: 1 with every 429, so every wait is exactly 1 s.
    assert {(status, wait) for _, status, wait in retries} == {("HTTP 429 Too Many Requests", "1.00")}


def test_503_on_30_percent_retried(tmp_path):
    customers, out_dir, result, stored, requests = import_with_faults(
        tmp_path, 2_000, "--fail-rate", "0.3", "--seed", "11"
    )
    failed = [request for request in requests if request["status"] == 503]
    retries = RETRY_LINE.findall(result.stderr)

    assert_all_stored_once(customers, out_dir, result, stored)
    assert len(failed) >= 10
    assert len(retries) == len(failed)
    assert {status for _, status, _ in retries} == {"HTTP 503 Service Unavailable"}


def test_dropped_after_store_looked_up(tmp_path):
    customers, out_dir, result, stored, requests = import_with_faults(
        tmp_path, 2_000, "--drop-after-store-rate", "0.3", "--seed", "5"
    )
    dropped = [request for request in requests if request["dropped"]]
    lookups = [request for request in requests if request["path"].endswith("/email")]

    assert_all_stored_once(customers, out_dir, result, stored)
    assert len(dropped) >= 5
    # Each dropped batch of 50 is looked up customer by customer, and never sent again.
    assert len(lookups) == 50 * len(dropped)
    assert sum(r["batchSize"] for r in requests if r["path"] == UPLOAD_PATH and r["status"] == 202) + 50 * len(dropped) == 2_000


def test_all_faults_together(tmp_path):
    customers, out_dir, result, stored, requests = import_with_faults(
        tmp_path, 2_000, "--rate-limit", "25", "--fail-rate", "0.2", "--drop-after-store-rate", "0.1",
        "--max-batch", "40", "--seed", "3",
        send_options=("--batch-size", "100", "--concurrency", "4"),
    )
    statuses = {request["status"] for request in requests}

    assert_all_stored_once(customers, out_dir, result, stored)
    assert {413, 429, 503, None} <= statuses


def test_three_bad_customers_among_500(tmp_path):
    """Three customers of the export already exist in the tenant, so the API refuses them in a batch of 500."""
    customers = write_customers(tmp_path / "customers.csv", 500)
    mapping = write_mapping(tmp_path)
    out_dir = tmp_path / "out"
    taken = {11: "customer000010@example.com", 251: "customer000250@example.com", 490: "customer000489@example.com"}
    headers = {"X-TWC-Tenant": TENANT, "Authorization": TOKEN}

    with running_sandbox("--tenant", f"{TENANT}:{TOKEN}") as base_url:
        for email in taken.values():
            created = httpx.post(f"{base_url}{API_PATH}/customers", json={"email": email, "firstName": "Earlier"}, headers=headers)
            assert created.status_code == 201
        result = run(import_command(customers.path, mapping, base_url, "-o", str(out_dir), "--batch-size", "500"))
        stored = stored_emails(base_url)
        uploads = [request for request in received_requests(base_url) if request["path"] == UPLOAD_PATH]

    summary = read_summary(out_dir)
    rejects = read_rejects(out_dir)

    assert result.returncode == 1, result.stderr
    assert len(stored) == 500
    assert set(stored) == customers.valid_emails
    assert [(upload["batchSize"], upload["status"]) for upload in uploads] == [(500, 400), (497, 202)]
    assert summary["rows_accepted"] == 497
    assert summary["rows_rejected"] == 3
    assert summary["errors_by_code"] == {"rejected-by-api": 3}
    assert [int(row["_line"]) for row in rejects] == sorted(taken)
    assert [row["_errors"] for row in rejects] == [
        f"rejected-by-api: email: A customer with email '{taken[line]}' already exists in this tenant."
        for line in sorted(taken)
    ]
    assert_balanced(summary)


def test_api_path_in_base_url_stops(tmp_path):
    """A base URL that already contains the API path makes every upload a 404, so the run stops at the first one."""
    customers = tmp_path / "customers.csv"
    write_customers(customers, 30)
    mapping = write_mapping(tmp_path)

    with running_sandbox("--tenant", f"{TENANT}:{TOKEN}") as base_url:
        wrong = f"{base_url}/services/customerservice/api/v2"
        result = run(import_command(customers, mapping, wrong, "-o", str(tmp_path / "out"), "--batch-size", "10"))
        stored = stored_emails(base_url)

    assert result.returncode == 3, result.stderr
    assert (
        f"The API responded with HTTP 404 Not Found to {wrong}/services/customerservice/api/v2/upload-customers, "
        f"so the run stopped. Check --base-url ({wrong}): it is the address before /services/customerservice"
    ) in result.stderr, result.stderr
    assert stored == []
    assert_token_absent(tmp_path / "out", result.stdout, result.stderr)
