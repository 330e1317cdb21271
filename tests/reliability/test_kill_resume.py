"""kill -9 at random moments of a 20,000-row import, then --resume: every valid customer exactly once."""

from __future__ import annotations

import random
import signal

from reliability_support import (
    TENANT,
    TOKEN,
    assert_balanced,
    assert_token_absent,
    email_of_line,
    import_command,
    journal_rows,
    read_summary,
    reset,
    run,
    start,
    stored_batches,
    stored_emails,
    wait_until,
    write_customers,
    write_mapping,
)
from sandbox_process import running_sandbox

ROWS = 20_000
INVALID_EVERY = 1_000
BATCH_SIZE = 100
BATCHES = ROWS // BATCH_SIZE
ITERATIONS = 20
# Every RESUME_KILLED_EVERY-th iteration also kills the first resume.
RESUME_KILLED_EVERY = 4


def kill_after_batches(command, log, base_url: str, batches: int) -> None:
    """Start an import and SIGKILL it once the sandbox has stored ``batches`` of its batches."""
    process = start(command, log)
    try:
        wait_until(lambda: stored_batches(base_url) >= batches, process)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    assert process.returncode == -signal.SIGKILL


def check_journal_after_kill(out_dir, stored: list[str]) -> None:
    """Every customer the sandbox holds must be a row the journal marks as possibly stored."""
    rows = journal_rows(out_dir)
    maybe_stored = {email_of_line(line) for line, (_, flag) in rows.items() if flag}
    assert set(stored) <= maybe_stored


def test_kill_9_then_resume_exactly_once(tmp_path):
    customers = write_customers(tmp_path / "customers.csv", ROWS, INVALID_EVERY)
    mapping = write_mapping(tmp_path)
    rng = random.Random(20240630)

    with running_sandbox("--tenant", f"{TENANT}:{TOKEN}") as base_url:
        for iteration in range(ITERATIONS):
            reset(base_url)
            out_dir = tmp_path / f"run-{iteration}"
            options = ("--batch-size", str(BATCH_SIZE), "--concurrency", "4")
            first = import_command(customers.path, mapping, base_url, "-o", str(out_dir), *options)
            resume = import_command(customers.path, mapping, base_url, "--resume", str(out_dir), *options)

            kill_after_batches(first, tmp_path / f"first-{iteration}.log", base_url, rng.randrange(1, BATCHES))
            check_journal_after_kill(out_dir, stored_emails(base_url))

            if iteration % RESUME_KILLED_EVERY == 0:
                already = stored_batches(base_url)
                point = already + rng.randrange(1, (BATCHES - already) // 2 + 2)
                kill_after_batches(resume, tmp_path / f"resume-{iteration}.log", base_url, point)
                check_journal_after_kill(out_dir, stored_emails(base_url))

            result = run(resume)
            stored = stored_emails(base_url)
            summary = read_summary(out_dir)

            assert result.returncode == 1, result.stderr
            assert len(stored) == len(customers.valid_emails)
            assert set(stored) == customers.valid_emails
            assert summary["rows_read"] == ROWS
            assert summary["rows_accepted"] == len(customers.valid_emails)
            assert summary["rows_rejected"] == len(customers.invalid_lines)
            assert summary["rows_failed"] == 0
            assert_balanced(summary)
            assert_token_absent(out_dir, result.stdout, result.stderr)
