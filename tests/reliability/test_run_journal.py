"""SqliteJournal on a real SQLite file: states, batch ids across resumes, and identity checks."""

from __future__ import annotations

import sqlite3

import pytest

from importer.errors import ConfigurationError
from importer.upload.batches import BatchOutcome
from importer.upload.run_journal import EarlierResult, RunIdentity, SqliteJournal

IDENTITY = RunIdentity(mapping="m1", inputs=({"name": "a.csv", "size": 10, "mtime_ns": 1},))


def add_rows(journal: SqliteJournal, lines: range) -> None:
    for key, line in enumerate(lines):
        journal.add_row(key, ("a.csv", line))


def test_journal_follows_batch_states(tmp_path):
    with SqliteJournal.create(tmp_path, IDENTITY) as journal:
        add_rows(journal, range(2, 6))
        journal.record_pending(1, [0, 1, 2, 3])
        journal.record_sent(1, [0, 1, 2, 3])
        journal.record_unknown(1, [0, 1])
        journal.record_sent(1, [0])
        journal.record_outcome(BatchOutcome(1, accepted=[0, 1], rejected=[(2, "email: taken")], failed=[(3, "gave up")]))
        counts = journal.count_rows()

    with SqliteJournal.reopen(tmp_path, IDENTITY) as journal:
        results = {line: journal.earlier_result(("a.csv", line)) for line in range(2, 7)}

    assert counts == {"accepted": 2, "rejected": 1, "failed": 1}
    assert results == {
        2: EarlierResult("accepted", None, True),
        3: EarlierResult("accepted", None, True),
        4: EarlierResult("rejected", "email: taken", True),
        5: EarlierResult("failed", "gave up", True),
        6: None,
    }


def test_pending_row_not_maybe_stored(tmp_path):
    with SqliteJournal.create(tmp_path, IDENTITY) as journal:
        add_rows(journal, range(2, 4))
        journal.record_pending(1, [0, 1])

    with SqliteJournal.reopen(tmp_path, IDENTITY) as journal:
        assert journal.earlier_result(("a.csv", 2)) == EarlierResult("pending", None, False)


def test_batch_ids_continue_after_resume(tmp_path):
    with SqliteJournal.create(tmp_path, IDENTITY) as journal:
        add_rows(journal, range(2, 4))
        journal.record_pending(1, [0])
        journal.record_pending(2, [1])

    with SqliteJournal.reopen(tmp_path, IDENTITY) as journal:
        journal.add_row(0, ("a.csv", 2))
        journal.record_pending(1, [0])
        journal.record_sent(1, [0])

    connection = sqlite3.connect(tmp_path / "journal.sqlite")
    batches = connection.execute("SELECT batch_id, state, size FROM batches ORDER BY batch_id").fetchall()
    rows = connection.execute("SELECT line, batch_id, state FROM rows ORDER BY line").fetchall()
    connection.close()

    assert batches == [(1, "pending", 1), (2, "pending", 1), (3, "sent", 1)]
    assert rows == [(2, 3, "sent"), (3, 2, "pending")]


def test_reopen_rejects_other_mapping(tmp_path):
    SqliteJournal.create(tmp_path, IDENTITY).close()

    with pytest.raises(ConfigurationError) as raised:
        SqliteJournal.reopen(tmp_path, RunIdentity(mapping="m2", inputs=IDENTITY.inputs))

    assert str(raised.value) == (
        f"The mapping differs from the one the import in {tmp_path} used. Resume with the same mapping file, unchanged."
    )


def test_reopen_rejects_other_inputs(tmp_path):
    SqliteJournal.create(tmp_path, IDENTITY).close()
    other = RunIdentity(mapping="m1", inputs=({"name": "b.csv", "size": 10, "mtime_ns": 1},))

    with pytest.raises(ConfigurationError) as raised:
        SqliteJournal.reopen(tmp_path, other)

    assert str(raised.value) == (
        f"The import in {tmp_path} read a.csv, but this run reads b.csv. "
        "Resume with the same INPUT arguments, in the same order."
    )
