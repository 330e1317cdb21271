import csv
import io
import stat
from collections import Counter

import pytest

from importer.reports.cells import escape_cell, guard_cell, is_rejects_header, unescape_cell
from importer.reports.redact import Redactor, mask_email, mask_phone, mask_text
from importer.reports.summary import RunSummary
from importer.reports.terminal import print_summary
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
        ("0412345678", "'0412345678"),
        ("0800", "'0800"),
        ("10.50", "'10.50"),
        ("3.0", "'3.0"),
        ("1e5", "'1e5"),
        ("1,234", "'1,234"),
        ("12345678901234567890", "'12345678901234567890"),
        ("$5", "'$5"),
        ("1999-11-28", "'1999-11-28"),
        ("28/11/1999", "'28/11/1999"),
        ("1/2", "'1/2"),
        ("12:30", "'12:30"),
        ("4:05 PM", "'4:05 PM"),
        ("123", "123"),
        ("10.5", "10.5"),
        ("0", "0"),
        ("123456789012345", "123456789012345"),
        ("SW1A 1AA", "SW1A 1AA"),
        ("(02) 9999 0000", "(02) 9999 0000"),
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

    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with open(path, newline="", encoding="utf-8-sig") as handle:
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

    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with open(path, newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert rows == [
        ["source", "line", "email", "field", "code", "value", "message"],
        ["in.csv", "7", "x", "email", "invalid-email", "x", "bad one"],
        ["in.csv", "7", "x", "dob", "invalid-date", "'=1", "bad two"],
    ]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@pytest.mark.parametrize(
    "value, written",
    [("=1", "'=1"), ("+614", "'+614"), ("'quoted' is bad", "'quoted' is bad"), ("0412", "0412"), ("x", "x")],
)
def test_errors_cells_guarded_not_doubled(value, written):
    assert guard_cell(value) == written


@pytest.mark.parametrize(
    "value, masked",
    [("ann@example.com", "a***@example.com"), ("bad", "b***"), ("@example.com", "***@example.com"), ("a b@x.co", "a***@x.co")],
)
def test_mask_email(value, masked):
    assert mask_email(value) == masked


@pytest.mark.parametrize(
    "value, masked",
    [("0412 345 678", "**** *** *78"), ("+61412345678", "+*********78"), ("12", "12")],
)
def test_mask_phone(value, masked):
    assert mask_phone(value) == masked


def test_mask_text_keeps_dates_and_line_numbers():
    text = "'0412 345 678' on lines 2, 9; born 28-11-1999; email ann@example.com (today is 04-12-2026)."

    assert mask_text(text) == "'**** *** *78' on lines 2, 9; born 28-11-1999; email a***@example.com (today is 04-12-2026)."


def test_redactor_masks_value_and_message():
    problem = Problem("invalid-phone", "addresses[0].phone", "0412 345", "'0412 345' is not valid.")

    assert Redactor(True).problem(problem) == Problem("invalid-phone", "addresses[0].phone", "**** *45", "'**** *45' is not valid.")
    assert Redactor(False).problem(problem) is problem


def test_terminal_summary_of_aborted_import(tmp_path):
    summary = RunSummary(
        "import", ["in.csv"], "m.yaml", str(tmp_path), rows_read=10, rows_sent=0, rows_rejected=6, rows_failed=4,
        errors_by_code=Counter({"invalid-email": 6, "upload-failed": 4}), exit_code=3,
    )
    output = io.StringIO()

    print_summary(summary, output)

    assert output.getvalue() == f"""\
Rows read  10
Sent        0
Accepted    0
Rejected    6
Failed      4

Top problems
Code            Count   What to do
{"─" * 100}
invalid-email       6   Correct the address: one @, no spaces or commas inside it, and a full domain
                        such as example.com.
upload-failed       4   Nothing is wrong with the row itself: the message says why it was not sent.
                        Once that is fixed, resume the import or import rejects.csv again.

Reports:
  {tmp_path / "report.html"}
  {tmp_path / "rejects.csv"}
  {tmp_path / "errors.csv"}
  {tmp_path / "summary.json"}
"""


def test_rejects_header_recognised_without_some_extra_columns():
    assert is_rejects_header(["Email", "_source", "_line", "_errors"])
    assert is_rejects_header(["Email", "_line"])
    assert not is_rejects_header(["Email", "Phone"])
