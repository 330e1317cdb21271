"""Aborted and interrupted imports: exit 3, a consistent journal, and a resume that completes."""

from __future__ import annotations

import signal
import socket

from reliability_support import (
    TENANT,
    TOKEN,
    assert_balanced,
    assert_token_absent,
    import_command,
    journal_rows,
    read_rejects,
    read_summary,
    run,
    start,
    stored_batches,
    stored_emails,
    wait_until,
    write_customers,
    write_mapping,
)
from sandbox_process import running_sandbox

NEW_TOKEN = "tok-rotated-81b2-SECRET"
OLD_TOKEN_MESSAGE = (
    "The Customer API rejected the credentials for tenant 'demo' with HTTP 401 (the access token is "
    "missing or wrong), so the run stopped. Check the tenant key and the token (TWC_TOKEN or "
    "--token-file), then run the import again."
)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_401_mid_run_then_resume(tmp_path):
    """The tenant's token is rotated on the server in the middle of the import.

    The sandbox takes its tenants when it starts, so the rotation is a restart
    on the same port and database file with a new token: the running import
    first retries the refused connections, then gets 401 and stops with exit 3.
    A resume with the new token sends the rest, and nobody is stored twice.
    """
    customers = write_customers(tmp_path / "customers.csv", 6_000, invalid_every=500)
    mapping = write_mapping(tmp_path)
    out_dir = tmp_path / "out"
    database = str(tmp_path / "sandbox.sqlite")
    port = str(free_port())
    options = ("--batch-size", "50", "--concurrency", "2")
    slow = ("--latency-ms", "20")

    with running_sandbox("--port", port, "--db", database, "--tenant", f"{TENANT}:{TOKEN}", *slow) as base_url:
        process = start(import_command(customers.path, mapping, base_url, "-o", str(out_dir), *options), tmp_path / "first.log")
        wait_until(lambda: stored_batches(base_url) >= 20, process)
    with running_sandbox("--port", port, "--db", database, "--tenant", f"{TENANT}:{NEW_TOKEN}") as base_url:
        process.wait(timeout=300)
        first_output = (tmp_path / "first.log").read_text(encoding="utf-8")
        first_summary = read_summary(out_dir)
        first_rejects = read_rejects(out_dir)
        rows = journal_rows(out_dir)
        stored_before = stored_emails(base_url)

        resumed = run(import_command(customers.path, mapping, base_url, "--resume", str(out_dir), *options), token=NEW_TOKEN)
        stored = stored_emails(base_url)
    summary = read_summary(out_dir)

    assert process.returncode == 3
    assert f"Error: {OLD_TOKEN_MESSAGE}" in first_output or f"Aborted: {OLD_TOKEN_MESSAGE}" in first_output
    assert first_summary["exit_code"] == 3
    assert first_summary["aborted_reason"] == OLD_TOKEN_MESSAGE
    assert first_summary["rows_read"] == 6_000
    assert_balanced(first_summary)
    assert first_summary["rows_failed"] == 6_000 - 12 - first_summary["rows_accepted"]
    assert {row["_errors"] for row in first_rejects if "upload-failed" in row["_errors"]} == {
        f"upload-failed: not sent because the run was aborted: {OLD_TOKEN_MESSAGE}"
    }
    assert {state for state, _ in rows.values()} <= {"accepted", "pending", "sent", "unknown", "failed"}
    assert sum(1 for state, _ in rows.values() if state == "accepted") == first_summary["rows_accepted"]
    assert len(stored_before) == first_summary["rows_accepted"]

    assert resumed.returncode == 1, resumed.stderr
    assert len(stored) == len(customers.valid_emails)
    assert set(stored) == customers.valid_emails
    assert summary["rows_accepted"] == len(customers.valid_emails)
    assert summary["rows_rejected"] == 12
    assert summary["rows_failed"] == 0
    assert summary["exit_code"] == 1
    assert_balanced(summary)
    assert_token_absent(out_dir, first_output, resumed.stdout, resumed.stderr)
    assert NEW_TOKEN not in resumed.stderr


def test_ctrl_c_finishes_batches_in_flight(tmp_path):
    customers = write_customers(tmp_path / "customers.csv", 6_000)
    mapping = write_mapping(tmp_path)
    out_dir = tmp_path / "out"
    options = ("--batch-size", "50", "--concurrency", "4")

    with running_sandbox("--tenant", f"{TENANT}:{TOKEN}", "--latency-ms", "20") as base_url:
        process = start(import_command(customers.path, mapping, base_url, "-o", str(out_dir), *options), tmp_path / "first.log")
        wait_until(lambda: stored_batches(base_url) >= 10, process)
        process.send_signal(signal.SIGINT)
        process.wait(timeout=300)
        first_output = (tmp_path / "first.log").read_text(encoding="utf-8")
        first_summary = read_summary(out_dir)
        rows = journal_rows(out_dir)
        stored_before = stored_emails(base_url)

        resumed = run(import_command(customers.path, mapping, base_url, "--resume", str(out_dir), *options))
        stored = stored_emails(base_url)
    summary = read_summary(out_dir)

    assert process.returncode == 3
    assert "Interrupted: no more batches are started; waiting for the batches in flight to finish" in first_output
    assert first_summary["aborted_reason"] == "interrupted (Ctrl-C)"
    assert first_summary["rows_read"] == 6_000
    assert_balanced(first_summary)
    # Every batch started before Ctrl-C finished: no row is left pending, sent or unknown.
    assert {state for state, _ in rows.values()} == {"accepted"}
    assert len(rows) == first_summary["rows_accepted"] == len(stored_before)
    assert first_summary["rows_failed"] == 6_000 - first_summary["rows_accepted"]

    assert resumed.returncode == 0, resumed.stderr
    assert len(stored) == 6_000
    assert set(stored) == customers.valid_emails
    assert summary["rows_accepted"] == 6_000
    assert summary["rows_sent"] == 6_000 - first_summary["rows_accepted"]
    assert summary["exit_code"] == 0
    assert_balanced(summary)
    assert_token_absent(out_dir, first_output, resumed.stdout, resumed.stderr)


def test_resume_rejects_changed_input(tmp_path):
    customers = write_customers(tmp_path / "customers.csv", 20)
    mapping = write_mapping(tmp_path)
    out_dir = tmp_path / "out"

    with running_sandbox("--tenant", f"{TENANT}:{TOKEN}") as base_url:
        first = run(import_command(customers.path, mapping, base_url, "-o", str(out_dir)))
        with open(customers.path, "a", encoding="utf-8") as handle:
            handle.write("C999999,Late,late@example.com\n")
        resumed = run(import_command(customers.path, mapping, base_url, "--resume", str(out_dir)))
        again = run(import_command(customers.path, mapping, base_url, "-o", str(out_dir)))
        stored = stored_emails(base_url)

    assert first.returncode == 0, first.stderr
    assert resumed.returncode == 2
    assert resumed.stderr == (
        f"Error: {customers.path} changed since the import in {out_dir} started (its size, modification "
        "time or content differs), so the journal's line numbers may no longer match its rows. "
        "Resume with the unchanged file, or start a new import with another --out-dir.\n"
    )
    assert again.returncode == 2
    assert again.stderr == (
        f"Error: {out_dir} already contains the journal of an import. Continue that import with "
        f"--resume {out_dir}, or give another --out-dir for a new one.\n"
    )
    assert len(stored) == 20
    assert read_summary(out_dir)["rows_accepted"] == 20


def test_resume_without_journal(tmp_path):
    customers = write_customers(tmp_path / "customers.csv", 5)
    mapping = write_mapping(tmp_path)
    empty = tmp_path / "empty"
    empty.mkdir()

    result = run(import_command(customers.path, mapping, "http://127.0.0.1:9", "--resume", str(empty)))

    assert result.returncode == 2
    assert result.stderr == (
        f"Error: {empty} contains no run journal (journal.sqlite), so there is nothing to resume. "
        "Check the folder given to --resume, or start a new import without it.\n"
    )


def test_journal_is_owner_only(tmp_path):
    customers = write_customers(tmp_path / "customers.csv", 5)
    mapping = write_mapping(tmp_path)
    out_dir = tmp_path / "out"

    with running_sandbox("--tenant", f"{TENANT}:{TOKEN}") as base_url:
        result = run(import_command(customers.path, mapping, base_url, "-o", str(out_dir)))

    assert result.returncode == 0, result.stderr
    assert (out_dir / "journal.sqlite").stat().st_mode & 0o777 == 0o600
    assert not (out_dir / "journal.sqlite.partial").exists()
    assert journal_rows(out_dir) == {line: ("accepted", 1) for line in range(2, 7)}
