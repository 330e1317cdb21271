"""Write rejects.csv, errors.csv and the payloads file as rows arrive."""

from __future__ import annotations

import csv
import threading
from pathlib import Path

import orjson

from importer.reports.cells import META_COLUMNS, escape_cell, guard_cell
from importer.reports.files import open_private
from importer.reports.redact import Redactor
from importer.reports.tally import ProblemTally
from importer.validation.problems import Problem

ERRORS_COLUMNS = ("source", "line", "email", "field", "code", "value", "message")
# The byte order mark makes spreadsheets read the files as UTF-8 rather than
# the system's legacy code page; the importer's reader removes it.
CSV_ENCODING = "utf-8-sig"
PROBLEM_SEPARATOR = " | "


class RejectsWriter:
    """Every source row that did not get in, with its original values and its problems.

    The columns are the union of the inputs' headers, in order of appearance,
    followed by ``_source``, ``_line`` and ``_errors``.
    """

    def __init__(self, path: Path, columns: list[str]):
        self.path = path
        self.columns = columns
        self._handle = open_private(path, newline="", encoding=CSV_ENCODING)
        self._writer = csv.writer(self._handle, lineterminator="\r\n")
        self._writer.writerow([escape_cell(name) for name in (*columns, *META_COLUMNS)])
        self._lock = threading.Lock()

    def write(self, source: str, line: int, record: dict[str, str], problems: list[Problem]) -> None:
        cells = [record.get(name, "") for name in self.columns]
        errors = PROBLEM_SEPARATOR.join(problem.describe() for problem in problems)
        cells += [source, str(line), errors]
        with self._lock:
            self._writer.writerow([escape_cell(cell) for cell in cells])

    def close(self) -> None:
        self._handle.close()


class ErrorsWriter:
    """One line per problem, for sorting and filtering in a spreadsheet.

    With an enabled ``redactor``, emails and phone numbers are masked in the
    email, value and message columns. A ``tally`` counts every problem written.
    """

    def __init__(self, path: Path, redactor: Redactor | None = None, tally: ProblemTally | None = None):
        self.path = path
        self.redactor = redactor or Redactor()
        self.tally = tally
        self._handle = open_private(path, newline="", encoding=CSV_ENCODING)
        self._writer = csv.writer(self._handle, lineterminator="\r\n")
        self._writer.writerow(ERRORS_COLUMNS)
        self._lock = threading.Lock()

    def write(self, source: str, line: int, email: str, problems: list[Problem]) -> None:
        email = self.redactor.email(email)
        with self._lock:
            for problem in map(self.redactor.problem, problems):
                cells = [source, str(line), email, problem.field, problem.code, problem.value, problem.message]
                self._writer.writerow([guard_cell(cell) for cell in cells])
            if self.tally is not None:
                self.tally.add(source, line, problems)

    def close(self) -> None:
        self._handle.close()


class PayloadsWriter:
    """Every customer that would be sent, one JSON object per line, in input order."""

    def __init__(self, path: Path):
        self.path = path
        self._handle = open_private(path, mode="wb")

    def write(self, customer: dict) -> None:
        self._handle.write(orjson.dumps(customer) + b"\n")

    def close(self) -> None:
        self._handle.close()
