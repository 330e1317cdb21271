"""The import run: validate the inputs, send the valid rows, keep a journal, and resume.

A new run writes ``journal.sqlite`` into its output folder (see
``importer.upload.run_journal``). ``--resume OUT_DIR`` reads the same inputs
with the same mapping again and reports on the whole input, as if it were one
run:

- rows the journal has as accepted are counted as accepted and not sent;
- rows the API rejected are reported again with the API's message;
- rows an earlier run may have stored are looked up by email, and sent only
  when missing; every other valid row is sent.

So the resumed run's reports and summary.json replace the earlier run's, and
``rows_read == rows_rejected + rows_accepted + rows_failed`` holds for the
whole input. ``rows_sent`` counts only the rows this run handed to the sender.

When a run is aborted or interrupted, the rest of the input is still read and
validated, so that every row is reported: rows that were not sent get
``upload-failed``.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import signal
import threading
from collections.abc import Iterator
from pathlib import Path

from importer import customer as fields
from importer.errors import EXIT_ABORTED, RunAborted
from importer.mapping.loader import preset_text
from importer.pipeline import Run, RunOptions, ValidRow
from importer.reports.summary import RunSummary
from importer.sources.inputs import STDIN_NAME
from importer.sources.progress import ReadProgress
from importer.upload.batches import BatchOutcome, Outgoing
from importer.upload.progress import Collector
from importer.upload.run_journal import (
    ACCEPTED,
    REJECTED,
    RunIdentity,
    SqliteJournal,
    input_fingerprint,
)
from importer.upload.sender import CustomerSender
from importer.upload.settings import ConnectionSettings, SendSettings
from importer.reports.writers import PROBLEM_SEPARATOR
from importer.validation.problems import REJECTED_BY_API, Problem

logger = logging.getLogger(__name__)

INTERRUPTED = "interrupted (Ctrl-C)"


def run_import(
    options: RunOptions,
    connection: ConnectionSettings,
    settings: SendSettings,
    collector: Collector | None = None,
    *,
    resume: bool = False,
    progress: ReadProgress | None = None,
) -> RunSummary:
    """Send every valid row to the Customer API; write the journal and the reports.

    With ``resume``, ``options.out_dir`` must hold the journal of an earlier
    run over the same inputs and mapping. An aborted or interrupted run still
    writes its reports, and the summary's exit code is 3.
    """
    journals: list[SqliteJournal] = []
    run = Run(options, before_reports=lambda run: journals.append(_open_journal(run, resume)), progress=progress)

    with journals[0] as journal, _stop_on_interrupt() as interrupted:
        feed = _Feed(run, journal, interrupted)
        reason = _send(run, feed, connection, settings, collector)
        if reason is None and interrupted.is_set() and not feed.exhausted:
            reason = INTERRUPTED

        if reason is None:
            return run.finish()
        logger.error("Run aborted: %s", reason)
        feed.fail_the_rest(f"not sent because the run was aborted: {reason}")

    run.summary.aborted_reason = reason
    return run.finish(EXIT_ABORTED)


def _send(
    run: Run,
    feed: _Feed,
    connection: ConnectionSettings,
    settings: SendSettings,
    collector: Collector | None,
) -> str | None:
    """Send the feed's rows and record each outcome. Returns the reason the run was aborted, or None."""
    try:
        with CustomerSender(connection, settings, collector, journal=feed.journal) as sender:
            for outcome in sender.send(feed.outgoing()):
                feed.record(outcome)
    except RunAborted as exc:
        return str(exc)
    return None


class _Feed:
    """The valid rows of a run, sorted into those an earlier run settled and those to send.

    ``pending`` maps the sender's keys to the rows handed to it and not yet settled.
    """

    def __init__(self, run: Run, journal: SqliteJournal, interrupted: threading.Event) -> None:
        self.run = run
        self.journal = journal
        self.pending: dict[int, ValidRow] = {}
        self.exhausted = False
        self._rows = run.valid_rows()
        self._interrupted = interrupted
        self._next_key = 0

    def outgoing(self) -> Iterator[Outgoing]:
        """Yield the rows to send, until the input ends or the run is interrupted."""
        while not self._interrupted.is_set():
            row = next(self._rows, None)
            if row is None:
                self.exhausted = True
                return
            earlier = self.journal.earlier_result((row.source, row.line))
            if self._settled_earlier(row, earlier):
                continue

            key = self._next_key
            self._next_key += 1
            self.pending[key] = row
            self.journal.add_row(key, (row.source, row.line))
            self.run.summary.rows_sent += 1
            yield Outgoing(key, row.customer, maybe_stored=earlier is not None and earlier.maybe_stored)

    def record(self, outcome: BatchOutcome) -> None:
        """Count and report one batch's outcome."""
        for key in outcome.accepted:
            self.pending.pop(key)
            self.run.summary.rows_accepted += 1
        for key, message in outcome.rejected:
            self._reject(self.pending.pop(key), message)
        for key, message in outcome.failed:
            self._fail(self.pending.pop(key), message)

    def fail_the_rest(self, message: str) -> None:
        """Report every row not settled yet as failed, reading the rest of the input to find them."""
        for key in sorted(self.pending):
            self._fail(self.pending[key], message)
        self.pending.clear()

        for row in self._rows:
            earlier = self.journal.earlier_result((row.source, row.line))
            if not self._settled_earlier(row, earlier):
                self._fail(row, message)
        self.exhausted = True

    def _settled_earlier(self, row: ValidRow, earlier) -> bool:
        """Count a row that an earlier run got accepted or rejected, and tell whether it was one."""
        if earlier is None:
            return False
        if earlier.state == ACCEPTED:
            self.run.summary.rows_accepted += 1
            return True
        if earlier.state == REJECTED:
            self._reject(row, earlier.message or "")
            return True
        return False

    def _reject(self, row: ValidRow, message: str) -> None:
        self.run.reject(row.source, row.line, row.record, api_problems(row.customer, message))

    def _fail(self, row: ValidRow, message: str) -> None:
        self.run.fail(row, message)


def api_problems(customer: dict, message: str) -> list[Problem]:
    """Turn the API's message for one customer into one problem per field it names.

    The sender joins the API's per-field errors as ``field: message | field: message``.
    """
    flat = fields.flatten_customer(customer)
    problems = []
    for part in message.split(PROBLEM_SEPARATOR):
        field, separator, _ = part.partition(": ")
        if separator and field in flat:
            problems.append(Problem(REJECTED_BY_API, field, str(flat[field]), part))
        else:
            problems.append(Problem(REJECTED_BY_API, "", "", part))
    return problems


def _open_journal(run: Run, resume: bool) -> SqliteJournal:
    identity = RunIdentity(
        mapping=_mapping_digest(run.options.mapping),
        inputs=tuple(input_fingerprint(item.name, item.source.path, item.name == STDIN_NAME) for item in run.inputs),
    )
    if resume:
        journal = SqliteJournal.reopen(run.out_dir, identity)
        logger.info("Resuming the import in %s: %s", run.out_dir, journal.count_rows())
        return journal
    return SqliteJournal.create(run.out_dir, identity)


def _mapping_digest(name_or_path: str) -> str:
    path = Path(name_or_path)
    text = path.read_bytes() if path.is_file() else preset_text(name_or_path).encode("utf-8")
    return hashlib.sha256(text).hexdigest()


@contextlib.contextmanager
def _stop_on_interrupt() -> Iterator[threading.Event]:
    """Turn Ctrl-C (SIGINT) into an event, so that the batches in flight can finish.

    Outside the main thread, where Python cannot install signal handlers, the
    event is never set and Ctrl-C keeps its default effect.
    """
    interrupted = threading.Event()
    if threading.current_thread() is not threading.main_thread():
        yield interrupted
        return

    def handle_interrupt(signum, frame) -> None:
        if interrupted.is_set():
            logger.warning("Already stopping: waiting for the batches in flight to finish")
            return
        interrupted.set()
        logger.warning("Interrupted: no more batches are started; waiting for the batches in flight to finish")

    previous = signal.signal(signal.SIGINT, handle_interrupt)
    try:
        yield interrupted
    finally:
        signal.signal(signal.SIGINT, previous)
