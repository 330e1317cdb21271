"""The run summary: counts that always add up, written as summary.json."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

import orjson

from importer.reports.files import open_private


def utc_now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass
class RunSummary:
    """Counts of one run.

    Every row read is counted once: for ``validate``,
    ``rows_read == rows_valid + rows_rejected``; for ``import``,
    ``rows_read == rows_rejected + rows_accepted + rows_failed``.
    ``rows_rejected`` counts rows refused by validation or by the API, and
    ``rows_failed`` rows that could not be delivered. ``warnings`` lists
    problems of the run that are no row's, such as an input without rows.
    """

    command: str
    inputs: list[str]
    mapping: str
    out_dir: str
    started_at: str = field(default_factory=utc_now)
    finished_at: str | None = None
    rows_read: int = 0
    rows_valid: int = 0
    rows_rejected: int = 0
    rows_sent: int = 0
    rows_accepted: int = 0
    rows_failed: int = 0
    blank_lines_skipped: int = 0
    warnings: list[str] = field(default_factory=list)
    errors_by_code: Counter = field(default_factory=Counter)
    exit_code: int | None = None
    aborted_reason: str | None = None
    max_reject_rate: float | None = None
    reject_rate_exceeded: bool = False

    def count_problems(self, problems) -> None:
        self.errors_by_code.update(problem.code for problem in problems)

    def is_balanced(self) -> bool:
        if self.command == "validate":
            return self.rows_read == self.rows_valid + self.rows_rejected
        return self.rows_read == self.rows_rejected + self.rows_accepted + self.rows_failed

    def to_dict(self) -> dict:
        data = asdict(self)
        data["errors_by_code"] = dict(sorted(self.errors_by_code.items()))
        return data

    def write(self, path: Path) -> None:
        with open_private(path, mode="wb") as handle:
            handle.write(orjson.dumps(self.to_dict(), option=orjson.OPT_INDENT_2) + b"\n")
