"""The validate and import runs: read, map, validate, then report or send.

Every input is read twice. The first pass maps only the unique keys (email,
customerRef, alternateCustomerRef) so that duplicates are known across the
whole run before any row is judged or sent. The second pass maps, validates
and hands on each row. Rows stream through in chunks, so memory does not grow
with the size of the inputs.
"""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from importer.customer import UNIQUE_FIELDS
from importer.errors import EXIT_OK, EXIT_ROWS_REJECTED, ConfigurationError, RunAborted
from importer.mapping.apply import BoundMapping, apply_mapping, bind_mapping
from importer.mapping.loader import load_mapping
from importer.mapping.model import Mapping
from importer.payload import build_customers
from importer.reports.cells import META_COLUMNS
from importer.reports.files import make_private_directory
from importer.reports.run_reports import RunReports
from importer.reports.summary import RunSummary, utc_now
from importer.reports.writers import PayloadsWriter
from importer.sources.inputs import Input, resolve_inputs
from importer.sources.options import ReadOptions
from importer.sources.progress import NullProgress, ReadProgress
from importer.sources.records import DEFAULT_CHUNK_SIZE, Chunk, MalformedRecord
from importer.validation.date_formats import check_four_digit_years
from importer.validation.problems import MALFORMED_ROW, UPLOAD_FAILED, Problem
from importer.validation.schema import find_problems
from importer.validation.spool import RowSpool, SpooledRow
from importer.validation.uniqueness import DuplicateFinder

logger = logging.getLogger(__name__)

DEFAULT_RUNS_DIRECTORY = Path("twc-import-runs")


@dataclass(frozen=True)
class RunOptions:
    """Options of every command that processes rows."""

    command: str
    inputs: tuple[str, ...]
    mapping: str
    out_dir: Path | None = None
    payloads: Path | None = None
    chunk_size: int = DEFAULT_CHUNK_SIZE
    today: dt.date | None = None
    read: ReadOptions = ReadOptions()
    redact: bool = False
    max_reject_rate: float | None = None


class RejectRateExceeded(RunAborted):
    """More rows were rejected than ``--max-reject-rate`` allows, so nothing is sent."""


@dataclass(frozen=True)
class ValidRow:
    """A row that passed validation, ready to send.

    The source values stay in the chunk's frame and are copied out only if
    the row has to be reported after all.
    """

    source: str
    line: int
    frame: pd.DataFrame
    position: int
    customer: dict

    @property
    def record(self) -> dict[str, str]:
        return self.frame.iloc[self.position].to_dict()


def default_out_dir() -> Path:
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    return DEFAULT_RUNS_DIRECTORY / stamp


class Run:
    """One run over a set of inputs with one mapping, and its reports."""

    def __init__(
        self,
        options: RunOptions,
        before_reports: Callable[[Run], None] | None = None,
        progress: ReadProgress | None = None,
    ):
        """Load the mapping and open the inputs; then call ``before_reports``, then create the report files.

        ``before_reports`` can check the run and raise before any report of an
        earlier run in the same folder is overwritten.
        """
        self.options = options
        self.progress = progress or NullProgress()
        self.today = options.today or dt.date.today()
        self.mapping: Mapping = load_mapping(options.mapping)
        check_four_digit_years(self.mapping)
        self.out_dir = make_private_directory(options.out_dir or default_out_dir())
        self._spool = tempfile.TemporaryDirectory(prefix=".work-", dir=self.out_dir)
        self.inputs: list[Input] = resolve_inputs(list(options.inputs), Path(self._spool.name), options.read)
        _check_reports_are_not_inputs(self.inputs, self.out_dir, options.payloads)
        self.bound = {
            item.index: bind_mapping(self.mapping, item.header, item.name) for item in self.inputs if not item.empty
        }
        for item in self.inputs:
            if not item.empty:
                _log_unmapped_columns(item, self.bound[item.index])
        self.summary = RunSummary(
            command=options.command,
            inputs=[item.name for item in self.inputs],
            mapping=self.mapping.source,
            out_dir=str(self.out_dir),
        )
        for item in self.inputs:
            if item.empty:
                self.warn(item.empty)
        if before_reports is not None:
            before_reports(self)
        self.summary.max_reject_rate = options.max_reject_rate
        self.reports = RunReports(self.out_dir, _union_of_headers(self.inputs), options.redact)
        self.rejects = self.reports.rejects
        self.errors = self.reports.errors

    # Rows

    def valid_rows(self) -> Iterator[ValidRow | SpooledRow]:
        """Yield every valid row in input order; report every other row.

        With ``max_reject_rate`` set, every row is validated before the first
        one is yielded, and RejectRateExceeded is raised instead when too many
        were rejected.
        """
        if self.options.max_reject_rate is not None:
            return self._rows_within_reject_rate(self.options.max_reject_rate)
        return self._validated_rows()

    def _validated_rows(self) -> Iterator[ValidRow]:
        duplicates = self._find_duplicates()
        task = "Validating" if self.options.command == "validate" else "Importing"
        for item in self.inputs:
            if item.empty:
                continue
            logger.info("Reading %s", item.name)
            records = 0
            for chunk in self._read(item, task):
                records += len(chunk.frame) + len(chunk.malformed)
                yield from self._process_chunk(chunk, duplicates)
            if records == 0:
                self.warn(f"{item.name}: the file has a header but no rows; check that the export is complete.")

    def _find_duplicates(self) -> DuplicateFinder:
        finder = DuplicateFinder(Path(self._spool.name) / "keys", self.summary.inputs, self.mapping.duplicates)
        for item in self.inputs:
            if item.empty:
                continue
            keys_only = self.bound[item.index].only(UNIQUE_FIELDS)
            for chunk in self._read(item, "Checking keys in"):
                finder.add(apply_mapping(keys_only, chunk.frame).frame, item.index, chunk.lines)
        finder.finish()
        return finder

    def _read(self, item: Input, task: str) -> Iterator[Chunk]:
        """Yield an input's chunks, reporting the progress of ``task``."""
        self.progress.start(task, item.name, item.size)
        for chunk in item.chunks(self.options.chunk_size):
            self.progress.advance(len(chunk.frame) + len(chunk.malformed), chunk.bytes_read)
            yield chunk
        self.progress.finish()

    def warn(self, message: str) -> None:
        """Report a problem of the run that is not a row's, such as an input without rows."""
        logger.warning("%s", message)
        self.summary.warnings.append(message)

    def _process_chunk(self, chunk: Chunk, duplicates: DuplicateFinder) -> Iterator[ValidRow]:
        self.summary.blank_lines_skipped += chunk.blank_lines
        for malformed in chunk.malformed:
            self._reject_malformed(chunk, malformed)

        mapped = apply_mapping(self.bound[chunk.source_index], chunk.frame)
        problems = _merge(
            mapped.problems,
            find_problems(mapped.frame, self.today),
            duplicates.find_problems(mapped.frame, chunk.source_index, chunk.lines),
        )
        self.summary.rows_read += len(chunk.frame)

        valid = [position not in problems for position in range(len(chunk.frame))]
        for position in sorted(problems):
            record = chunk.frame.iloc[position].to_dict()
            self.reject(chunk.source, chunk.lines[position], record, problems[position])

        positions = [position for position, keep in enumerate(valid) if keep]
        customers = build_customers(mapped.frame[valid], self.mapping.group_descriptions)
        for position, customer in zip(positions, customers):
            self.summary.rows_valid += 1
            yield ValidRow(chunk.source, chunk.lines[position], chunk.frame, position, customer)

    def _reject_malformed(self, chunk: Chunk, malformed: MalformedRecord) -> None:
        self.summary.rows_read += 1
        header = list(chunk.frame.columns)
        record = dict(zip(header, malformed.values))
        if malformed.message:
            message = malformed.message + "."
        else:
            message = (
                f"the record has {len(malformed.values)} fields but the header has {malformed.expected}; "
                "check for a missing or extra delimiter or quote on this line."
            )
        extra = malformed.values[len(header):]
        if extra:
            message += " Values past the last column: " + ", ".join(repr(value) for value in extra) + "."
        self.reject(chunk.source, malformed.line, record, [Problem(MALFORMED_ROW, "", "", message)])

    def _rows_within_reject_rate(self, limit: float) -> Iterator[SpooledRow]:
        """Validate the whole run into a spool, then yield its rows or stop the run.

        When the share of rejected rows is above ``limit``, every valid row is
        reported as ``upload-failed`` (so each row read is still counted once)
        and RejectRateExceeded is raised before anything is sent.
        """
        spool = RowSpool(Path(self._spool.name) / "valid-rows.ndjson")
        frame, records = None, []
        for row in self._validated_rows():
            if row.frame is not frame:
                frame, records = row.frame, row.frame.to_dict("records")
            spool.write(row.source, row.line, records[row.position], row.customer)

        read, rejected = self.summary.rows_read, self.summary.rows_rejected
        rate = rejected / read if read else 0.0
        if rate <= limit:
            yield from spool.rows()
            return

        reason = (
            f"{rejected:,} of {read:,} rows ({rate:.1%}) were rejected, more than --max-reject-rate {limit:g} "
            "allows, so nothing was sent; fix the mapping or the export (see report.html) and run the import again"
        )
        for row in spool.rows():
            self.fail(row, f"not sent: {reason}.")
        self.summary.reject_rate_exceeded = True
        raise RejectRateExceeded(reason)

    def fail(self, row: ValidRow | SpooledRow, message: str) -> None:
        """Report a valid row that did not get in, and count it as failed (``upload-failed``)."""
        self.summary.rows_failed += 1
        problems = [Problem(UPLOAD_FAILED, "", "", message)]
        self.summary.count_problems(problems)
        self.rejects.write(row.source, row.line, row.record, problems)
        self.errors.write(row.source, row.line, row.customer.get("email", ""), problems)

    def reject(self, source: str, line: int, record: dict[str, str], problems: list[Problem]) -> None:
        """Report a row that does not get in, and count it as rejected."""
        self.summary.rows_rejected += 1
        self.summary.count_problems(problems)
        self.rejects.write(source, line, record, problems)
        self.errors.write(source, line, _email_of(record, self.mapping, self.bound), problems)

    # End of run

    def finish(self, exit_code: int | None = None) -> RunSummary:
        self.reports.close()
        self._spool.cleanup()
        self.summary.finished_at = utc_now()
        if exit_code is None:
            all_in = self.summary.rows_read == self._rows_in() and not self.summary.warnings
            exit_code = EXIT_OK if all_in else EXIT_ROWS_REJECTED
        self.summary.exit_code = exit_code
        self.summary.write(self.out_dir / "summary.json")
        self.reports.write_html(self.summary)
        if not self.summary.is_balanced():
            logger.error("Row counts do not add up: %s", self.summary.to_dict())
        return self.summary

    def _rows_in(self) -> int:
        if self.summary.command == "validate":
            return self.summary.rows_valid
        return self.summary.rows_accepted


def run_validate(options: RunOptions, progress: ReadProgress | None = None) -> RunSummary:
    """Validate every row without sending anything; write the reports."""
    run = Run(options, progress=progress)
    payloads = PayloadsWriter(options.payloads) if options.payloads else None
    try:
        for row in run.valid_rows():
            if payloads:
                payloads.write(row.customer)
    finally:
        if payloads:
            payloads.close()
    return run.finish()


def _merge(*problem_maps: dict[int, list[Problem]]) -> dict[int, list[Problem]]:
    merged: dict[int, list[Problem]] = {}
    for problems in problem_maps:
        for position, items in problems.items():
            merged.setdefault(position, []).extend(items)
    return merged


def _log_unmapped_columns(item: Input, bound: BoundMapping) -> None:
    """Name the columns no rule reads, so a column the mapping forgot is noticed."""
    used = set(bound.columns.values()) | {rule.column for rule in bound.rules if rule.column}
    unmapped = [name for name in item.header if name not in used and name not in META_COLUMNS]
    if unmapped:
        logger.info("%s: %s column(s) not mapped, so not sent: %s", item.name, len(unmapped), ", ".join(unmapped))


REPORT_FILE_NAMES = ("rejects.csv", "errors.csv", "summary.json", "report.html")


def _check_reports_are_not_inputs(inputs: list[Input], out_dir: Path, payloads: Path | None) -> None:
    """Stop before a report this run writes would overwrite one of its own inputs."""
    outputs = {(out_dir / name).resolve() for name in REPORT_FILE_NAMES}
    if payloads is not None:
        outputs.add(payloads.resolve())
    for item in inputs:
        path = Path(item.name)
        if path.is_file() and path.resolve() in outputs:
            raise ConfigurationError(
                f"{item.name}: this input is a report that this run would overwrite in {out_dir}; "
                "give another --out-dir, such as a new folder for the corrected rows."
            )


def _union_of_headers(inputs: list[Input]) -> list[str]:
    columns: dict[str, None] = {}
    for item in inputs:
        for name in item.header:
            if name not in META_COLUMNS:
                columns.setdefault(name, None)
    return list(columns)


def _email_of(record: dict[str, str], mapping: Mapping, bound: dict[int, BoundMapping]) -> str:
    for rule in mapping.rules:
        if rule.target == "email" and rule.column is not None:
            for binding in bound.values():
                column = binding.columns.get(rule.column)
                if column in record:
                    return (record[column] or "").strip()
    return ""
