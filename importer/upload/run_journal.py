"""The run journal: an SQLite file in the output folder that follows every row sent.

A row is identified across runs by its input's name and the line its record
starts on. The journal stores, for each row handed to the sender, the batch it
went out in, its state and, once the batch finished, the API's verdict::

    pending   in a batch that has not been sent yet
    sent      a request carrying it is about to go out: the API may have stored it
    unknown   a request carrying it got no response after its body was sent
    accepted  stored by the API
    rejected  refused by the API, with the API's message
    failed    not delivered, with the reason

``maybe_stored`` is set once a row reached ``sent`` and is never cleared, so a
resumed run looks such a row up by email before sending it again, even when a
later attempt failed.

Every state change is one transaction, committed with ``synchronous=FULL`` in
WAL mode before the sender goes on. ``sent`` is committed before the request
leaves, so a process killed at any instant leaves a journal in which every row
the API may have stored is marked ``maybe_stored``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import sqlite3
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from importer.errors import ConfigurationError
from importer.reports.files import open_private

if TYPE_CHECKING:
    from importer.upload.batches import BatchOutcome

logger = logging.getLogger(__name__)

JOURNAL_NAME = "journal.sqlite"
JOURNAL_VERSION = 1

PENDING = "pending"
SENT = "sent"
UNKNOWN = "unknown"
ACCEPTED = "accepted"
REJECTED = "rejected"
FAILED = "failed"
FINISHED = "finished"

# A row of an input: (input name, line of the record's first line).
RowId = tuple[str, int]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS run (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS batches (
    batch_id INTEGER PRIMARY KEY,
    state TEXT NOT NULL,
    size INTEGER NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS rows (
    source TEXT NOT NULL,
    line INTEGER NOT NULL,
    batch_id INTEGER NOT NULL,
    state TEXT NOT NULL,
    maybe_stored INTEGER NOT NULL DEFAULT 0,
    message TEXT,
    PRIMARY KEY (source, line)
) WITHOUT ROWID;
"""


@dataclass(frozen=True)
class RunIdentity:
    """The mapping and inputs that a resumed run must share with the run that wrote the journal.

    Attributes:
        mapping: SHA-256 of the mapping file's text.
        inputs: one fingerprint per input, in order, from ``input_fingerprint``.
    """

    mapping: str
    inputs: tuple[dict, ...]

    def to_json(self) -> str:
        return json.dumps({"version": JOURNAL_VERSION, "mapping": self.mapping, "inputs": list(self.inputs)})


@dataclass(frozen=True)
class EarlierResult:
    """The state an earlier run left a row in."""

    state: str
    message: str | None
    maybe_stored: bool


def input_fingerprint(name: str, path: Path, hash_content: bool) -> dict:
    """Describe an input so that a change between two runs is noticed.

    Files are compared by size and modification time. Standard input has
    neither, so its spooled copy is hashed when ``hash_content`` is true.
    """
    stat = path.stat()
    if not hash_content:
        return {"name": name, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}

    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return {"name": name, "size": stat.st_size, "sha256": digest.hexdigest()}


class SqliteJournal:
    """The ``Journal`` of a run, kept in ``OUT_DIR/journal.sqlite``.

    The sender numbers batches from 1 in each run. The journal adds the
    highest batch id of earlier runs, so batch ids stay unique across resumes.
    The sender's threads share one connection behind a lock.
    """

    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self.path = path
        self._connection = connection
        self._lock = threading.Lock()
        self._row_ids: dict[int, RowId] = {}
        self._batch_offset = connection.execute("SELECT COALESCE(MAX(batch_id), 0) FROM batches").fetchone()[0]

    @classmethod
    def create(cls, out_dir: Path, identity: RunIdentity) -> SqliteJournal:
        """Start the journal of a new run. Raises ConfigurationError if ``out_dir`` already has one."""
        path = out_dir / JOURNAL_NAME
        if path.exists():
            raise ConfigurationError(
                f"{out_dir} already contains the journal of an import. Continue that import with "
                f"--resume {out_dir}, or give another --out-dir for a new one."
            )

        # The journal is written under a temporary name and renamed once it
        # names its inputs, so a process killed here leaves either no journal
        # or a complete one. Nothing has been sent yet at this point.
        # An empty file is a valid SQLite database; creating it first makes it
        # owner-only, and SQLite gives its -wal and -shm files the same mode.
        partial = path.with_name(path.name + ".partial")
        open_private(partial, "wb").close()
        connection = _connect(partial, wal=False)
        with connection:
            connection.execute("INSERT INTO run VALUES ('identity', ?)", (identity.to_json(),))
            connection.execute("INSERT INTO run VALUES ('created_at', ?)", (_now(),))
        connection.close()
        os.replace(partial, path)
        journal = cls(_connect(path), path)
        return journal

    @classmethod
    def reopen(cls, out_dir: Path, identity: RunIdentity) -> SqliteJournal:
        """Open the journal of an earlier run to resume it.

        Raises ConfigurationError when there is no journal, or when the mapping
        or an input differs from the earlier run's.
        """
        path = out_dir / JOURNAL_NAME
        if not path.is_file():
            raise ConfigurationError(
                f"{out_dir} contains no run journal ({JOURNAL_NAME}), so there is nothing to resume. "
                "Check the folder given to --resume, or start a new import without it."
            )

        os.chmod(path, 0o600)
        connection = _connect(path)
        try:
            stored = connection.execute("SELECT value FROM run WHERE name = 'identity'").fetchone()
        except sqlite3.DatabaseError as exc:
            connection.close()
            raise ConfigurationError(f"The run journal {path} cannot be read: {exc}.") from exc

        if stored is None:
            connection.close()
            raise ConfigurationError(f"The run journal {path} is incomplete: it does not name its inputs.")
        try:
            _check_identity(json.loads(stored[0]), identity, out_dir)
        except ConfigurationError:
            connection.close()
            raise
        return cls(connection, path)

    def close(self) -> None:
        with self._lock:
            self._connection.close()

    def __enter__(self) -> SqliteJournal:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # Rows of earlier runs

    def earlier_result(self, row: RowId) -> EarlierResult | None:
        """Return what an earlier run of this journal did with a row, or None if it never handed it to the sender."""
        with self._lock:
            found = self._connection.execute(
                "SELECT state, message, maybe_stored FROM rows WHERE source = ? AND line = ?", row
            ).fetchone()
        if found is None:
            return None
        return EarlierResult(found[0], found[1], bool(found[2]))

    def add_row(self, key: int, row: RowId) -> None:
        """Tell the journal which row a sender key stands for, before the key is sent."""
        self._row_ids[key] = row

    # The Journal protocol

    def record_pending(self, batch_id: int, keys: Sequence[int]) -> None:
        journal_id = batch_id + self._batch_offset
        rows = [(*self._row_ids[key], journal_id) for key in keys]
        with self._lock, self._connection:
            self._connection.execute(
                "INSERT INTO batches VALUES (?, ?, ?, ?)", (journal_id, PENDING, len(keys), _now())
            )
            self._connection.executemany(
                "INSERT INTO rows (source, line, batch_id, state) VALUES (?, ?, ?, 'pending') "
                "ON CONFLICT (source, line) DO UPDATE SET "
                "batch_id = excluded.batch_id, state = 'pending', message = NULL",
                rows,
            )

    def record_sent(self, batch_id: int, keys: Sequence[int]) -> None:
        self._set_rows(batch_id, keys, SENT, "state = 'sent', maybe_stored = 1")

    def record_unknown(self, batch_id: int, keys: Sequence[int]) -> None:
        self._set_rows(batch_id, keys, UNKNOWN, "state = 'unknown', maybe_stored = 1")

    def record_outcome(self, outcome: BatchOutcome) -> None:
        updates = [(ACCEPTED, None, *self._row_ids[key]) for key in outcome.accepted]
        updates += [(REJECTED, message, *self._row_ids[key]) for key, message in outcome.rejected]
        updates += [(FAILED, message, *self._row_ids[key]) for key, message in outcome.failed]

        with self._lock, self._connection:
            self._connection.executemany(
                "UPDATE rows SET state = ?, message = ? WHERE source = ? AND line = ?", updates
            )
            self._set_batch_state(outcome.batch_id, FINISHED)

        for key in [*outcome.accepted, *(key for key, _ in outcome.rejected), *(key for key, _ in outcome.failed)]:
            self._row_ids.pop(key, None)

    def _set_rows(self, batch_id: int, keys: Sequence[int], state: str, assignments: str) -> None:
        rows = [self._row_ids[key] for key in keys]
        with self._lock, self._connection:
            self._connection.executemany(f"UPDATE rows SET {assignments} WHERE source = ? AND line = ?", rows)
            self._set_batch_state(batch_id, state)

    def _set_batch_state(self, batch_id: int, state: str) -> None:
        self._connection.execute(
            "UPDATE batches SET state = ?, updated_at = ? WHERE batch_id = ?",
            (state, _now(), batch_id + self._batch_offset),
        )

    # Inspection

    def count_rows(self) -> dict[str, int]:
        """Count the journal's rows by state."""
        with self._lock:
            found = self._connection.execute("SELECT state, COUNT(*) FROM rows GROUP BY state").fetchall()
        return dict(found)


def _connect(path: Path, wal: bool = True) -> sqlite3.Connection:
    try:
        connection = sqlite3.connect(path, check_same_thread=False, isolation_level="DEFERRED")
        connection.execute(f"PRAGMA journal_mode={'WAL' if wal else 'DELETE'}")
        # FULL syncs every commit, so "sent" is on disk before the request
        # leaves even if the machine, not only the process, goes down.
        connection.execute("PRAGMA synchronous=FULL")
        with connection:
            connection.executescript(_SCHEMA)
    except sqlite3.DatabaseError as exc:
        raise ConfigurationError(
            f"The run journal {path} cannot be opened: {exc}. It must be the journal.sqlite file "
            "that twc-import wrote into the output folder."
        ) from exc
    return connection


def _check_identity(stored: dict, current: RunIdentity, out_dir: Path) -> None:
    stored_names = [item["name"] for item in stored.get("inputs", [])]
    current_names = [item["name"] for item in current.inputs]
    if stored_names != current_names:
        raise ConfigurationError(
            f"The import in {out_dir} read {', '.join(stored_names) or 'no input'}, but this run reads "
            f"{', '.join(current_names)}. Resume with the same INPUT arguments, in the same order."
        )

    for earlier, now in zip(stored["inputs"], current.inputs):
        if earlier != now:
            raise ConfigurationError(
                f"{now['name']} changed since the import in {out_dir} started (its size, modification "
                "time or content differs), so the journal's line numbers may no longer match its rows. "
                "Resume with the unchanged file, or start a new import with another --out-dir."
            )

    if stored.get("mapping") != current.mapping:
        raise ConfigurationError(
            f"The mapping differs from the one the import in {out_dir} used. "
            "Resume with the same mapping file, unchanged."
        )


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
