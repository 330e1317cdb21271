"""Helpers of the reliability tests: generated inputs, the console script, and what the sandbox stores."""

from __future__ import annotations

import csv
import json
import sqlite3
import ssl
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
TWC_IMPORT = str(Path(sys.executable).parent / "twc-import")
UPLOAD_PATH = "/services/customerservice/api/v2/upload-customers"
TENANT = "demo"
# A token that appears nowhere else, so that finding it in an output proves a leak.
TOKEN = "tok-5e1c9a77-d0e4-SECRET"
MAPPING_TEXT = "fields:\n  email: Email\n  firstName: First Name\n  customerRef: Customer ID\n"
RUN_TIMEOUT = 300.0


@dataclass(frozen=True)
class Customers:
    """A generated export: its path, the emails of its valid rows, and its invalid lines."""

    path: Path
    valid_emails: frozenset[str]
    invalid_lines: tuple[int, ...]


def email_of_line(line: int) -> str:
    """Return the email that ``write_customers`` puts on a line of the file."""
    return f"customer{line - 1:06d}@example.com"


def write_customers(path: Path, count: int, invalid_every: int | None = None) -> Customers:
    """Write ``count`` customers as CSV; every ``invalid_every``-th row gets an invalid email."""
    valid = set()
    invalid = []
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Customer ID", "First Name", "Email"])
        for number in range(1, count + 1):
            line = number + 1
            email = email_of_line(line)
            if invalid_every and number % invalid_every == 0:
                email = f"not-an-email-{number}"
                invalid.append(line)
            else:
                valid.add(email)
            writer.writerow([f"C{number:06d}", f"First{number}", email])
    return Customers(path, frozenset(valid), tuple(invalid))


def write_mapping(directory: Path) -> Path:
    path = directory / "mapping.yaml"
    path.write_text(MAPPING_TEXT, encoding="utf-8")
    return path


def import_command(customers: Path, mapping: Path, base_url: str, *options: str) -> list[str]:
    return [TWC_IMPORT, "import", str(customers), "-m", str(mapping), "--base-url", base_url, "--tenant", TENANT, *options]


def environment(token: str = TOKEN) -> dict[str, str]:
    return {"PATH": "/usr/bin:/bin", "HOME": str(ROOT), "TWC_TOKEN": token}


def run(command: list[str], token: str = TOKEN) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, env=environment(token), timeout=RUN_TIMEOUT)


def start(command: list[str], log: Path, token: str = TOKEN) -> subprocess.Popen:
    """Start the console script in the background, its output going to ``log``."""
    with open(log, "w", encoding="utf-8") as handle:
        return subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                env=environment(token))


def stored_emails(base_url: str, verify: bool | ssl.SSLContext = True) -> list[str]:
    response = httpx.get(f"{base_url}/_sandbox/tenants/{TENANT}/customers", verify=verify, timeout=30)
    response.raise_for_status()
    return [customer["email"] for customer in response.json() if not customer["deleted"]]


def received_requests(base_url: str, verify: bool | ssl.SSLContext = True) -> list[dict]:
    response = httpx.get(f"{base_url}/_sandbox/requests", verify=verify, timeout=30)
    response.raise_for_status()
    return response.json()


def stored_batches(base_url: str) -> int:
    """Count the upload requests whose batch the sandbox stored, dropped connections included."""
    return sum(
        1
        for request in received_requests(base_url)
        if request["path"] == UPLOAD_PATH and (request["status"] == 202 or request["dropped"])
    )


def reset(base_url: str) -> None:
    httpx.post(f"{base_url}/_sandbox/reset", timeout=30).raise_for_status()


def wait_until(condition, process: subprocess.Popen, timeout: float = 120.0) -> None:
    """Poll ``condition`` until it holds; fail if ``process`` ends first or time runs out."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert process.poll() is None, f"the import ended with status {process.returncode} before the kill point"
        assert time.monotonic() < deadline, "the kill point was not reached in time"


def read_summary(out_dir: Path) -> dict:
    return json.loads((out_dir / "summary.json").read_text(encoding="utf-8"))


def read_rejects(out_dir: Path) -> list[dict[str, str]]:
    with open(out_dir / "rejects.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def journal_rows(out_dir: Path) -> dict[int, tuple[str, int]]:
    """Map each line in the journal to its state and maybe_stored flag."""
    connection = sqlite3.connect(out_dir / "journal.sqlite")
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        rows = connection.execute("SELECT line, state, maybe_stored FROM rows").fetchall()
    finally:
        connection.close()
    return {line: (state, maybe_stored) for line, state, maybe_stored in rows}


def assert_balanced(summary: dict) -> None:
    assert summary["rows_read"] == summary["rows_rejected"] + summary["rows_accepted"] + summary["rows_failed"]


def assert_token_absent(out_dir: Path, *outputs: str) -> None:
    """Check that no file of ``out_dir`` (the journal included) and no output contains the token."""
    secret = TOKEN.encode()
    for path in sorted(out_dir.rglob("*")):
        if path.is_file():
            assert secret not in path.read_bytes(), f"the token is in {path}"
    for output in outputs:
        assert TOKEN not in output
