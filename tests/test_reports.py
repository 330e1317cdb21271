import csv
import stat

import pytest

from importer.reports.cells import escape_cell, unescape_cell
from importer.reports.writers import ErrorsWriter, RejectsWriter
from importer.validation.problems import Problem


@pytest.mark.parametrize(
    "value, written",
    [
        ("=SUM(A1:A2)", "'=SUM(A1:A2)"),
        ("+61412345678", "'+61412345678"),
        ("-5.00", "'-5.00"),
        ("@cmd", "'@cmd"),
        ("\t=1", "'\t=1"),
        ("'quoted", "''quoted"),
        ("plain", "plain"),
        ("", ""),
    ],
)
def test_cells_escaped_and_restored(value, written):
    assert escape_cell(value) == written
    assert unescape_cell(written) == value


def test_rejects_file_layout_and_mode(tmp_path):
    path = tmp_path / "rejects.csv"
    writer = RejectsWriter(path, ["Email", "Phone"])
    problems = [Problem("invalid-email", "email", "x", "bad one"), Problem("invalid-date", "dob", "y", "bad two")]
    writer.write("in.csv", 7, {"Email": "x", "Phone": "+614"}, problems)
    writer.close()

    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows == [
        ["Email", "Phone", "_source", "_line", "_errors"],
        ["x", "'+614", "in.csv", "7", "invalid-email: bad one | invalid-date: bad two"],
    ]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_errors_file_one_line_per_problem(tmp_path):
    path = tmp_path / "errors.csv"
    writer = ErrorsWriter(path)
    writer.write("in.csv", 7, "x", [Problem("invalid-email", "email", "x", "bad one"), Problem("invalid-date", "dob", "=1", "bad two")])
    writer.close()

    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows == [
        ["source", "line", "email", "field", "code", "value", "message"],
        ["in.csv", "7", "x", "email", "invalid-email", "x", "bad one"],
        ["in.csv", "7", "x", "dob", "invalid-date", "'=1", "bad two"],
    ]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
