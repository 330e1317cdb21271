"""The reading stage through the command line: options, empty inputs, formats, exit statuses."""

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from importer.cli import main

DATA = Path(__file__).parent / "data"
EMAIL_ONLY = str(DATA / "mappings" / "email_only.yaml")


def invoke(*arguments: str, input: bytes | None = None):
    return CliRunner().invoke(main, list(arguments), input=input, env={"TWC_TOKEN": "", "TWC_BASE_URL": "", "TWC_TENANT": ""})


def summary_of(out_dir: Path) -> dict:
    return json.loads((out_dir / "summary.json").read_text())


@pytest.mark.parametrize(
    "name, warning",
    [
        ("empty.csv", "the file is empty; export it again with its header row."),
        ("header_only.csv", "the file has a header but no rows; check that the export is complete."),
        ("json_empty.json", "the file contains no records; export it again with its records."),
    ],
)
def test_input_without_rows_warns_and_writes_a_summary(tmp_path, name, warning):
    mapping = tmp_path / "m.yaml"
    mapping.write_text("fields:\n  email: a\n")

    result = invoke("validate", str(DATA / name), "-m", str(mapping), "-o", str(tmp_path / "run"))

    assert result.exit_code == 1
    summary = summary_of(tmp_path / "run")
    assert (summary["rows_read"], summary["rows_valid"], summary["rows_rejected"]) == (0, 0, 0)
    assert summary["warnings"] == [f"{DATA / name}: {warning}"]
    assert summary["exit_code"] == 1
    assert f"{DATA / name}: {warning}" in result.stderr


def test_empty_input_beside_rows_still_warns(tmp_path):
    result = invoke("validate", str(DATA / "one_column.csv"), str(DATA / "empty.csv"), "-m", EMAIL_ONLY, "-o", str(tmp_path))

    assert result.exit_code == 1
    summary = summary_of(tmp_path)
    assert (summary["rows_read"], summary["rows_valid"]) == (2, 2)
    assert summary["inputs"] == [str(DATA / "one_column.csv"), str(DATA / "empty.csv")]
    assert len(summary["warnings"]) == 1


def test_json_nested_fields_through_a_mapping(tmp_path):
    mapping = str(DATA / "mappings" / "json_customers.yaml")
    payloads = tmp_path / "payloads.ndjson"

    result = invoke("validate", str(DATA / "customers.json"), "-m", mapping, "-o", str(tmp_path), "--payloads", str(payloads))

    assert result.exit_code == 0, result.output
    first = json.loads(payloads.read_text().splitlines()[0])
    assert first["customerRef"] == "7123456789012345678"
    assert first["phone"] == "+61412345678"
    assert first["addresses"] == [{"city": "Zürich", "postcode": "0800"}, {"city": "Genève", "postcode": "1201"}]


def test_malformed_json_records_are_rejected_with_their_lines(tmp_path):
    mapping = tmp_path / "m.yaml"
    mapping.write_text("fields:\n  email: email\n")

    result = invoke("validate", str(DATA / "customers.ndjson"), "-m", str(mapping), "-o", str(tmp_path))

    assert result.exit_code == 1
    summary = summary_of(tmp_path)
    assert (summary["rows_read"], summary["rows_valid"], summary["rows_rejected"]) == (5, 3, 2)
    assert summary["blank_lines_skipped"] == 1
    with open(tmp_path / "errors.csv", newline="", encoding="utf-8") as handle:
        errors = list(csv.DictReader(handle))
    assert [(error["line"], error["code"], error["message"]) for error in errors] == [
        ("4", "malformed-row", "the line is not valid JSON (Expecting value at column 44); fix it or export the file again."),
        ("5", "malformed-row", "the record is a JSON array, not an object with named fields."),
    ]


def test_sheet_option(tmp_path):
    result = invoke("validate", str(DATA / "customers.xlsx"), "--sheet", "Loyalty", "-m", EMAIL_ONLY, "-o", str(tmp_path))

    assert result.exit_code == 0, result.output
    assert summary_of(tmp_path)["rows_valid"] == 1


def test_encoding_option(tmp_path):
    result = invoke("validate", str(DATA / "shift_jis.csv"), "--encoding", "shift_jis", "-m", EMAIL_ONLY, "-o", str(tmp_path))

    assert result.exit_code == 0, result.output
    assert summary_of(tmp_path)["rows_valid"] == 2


def test_delimiter_option(tmp_path):
    mapping = tmp_path / "m.yaml"
    mapping.write_text("fields:\n  email: Email;Name;Spent;Zip\n")

    result = invoke("validate", str(DATA / "semicolon.csv"), "--delimiter", "tab", "-m", str(mapping), "-o", str(tmp_path))

    assert result.exit_code == 1
    assert summary_of(tmp_path)["rows_read"] == 2
    assert summary_of(tmp_path)["errors_by_code"] == {"invalid-email": 2}


@pytest.mark.parametrize(
    "option, value, message",
    [
        ("--encoding", "klingon", "Invalid value for '--encoding': 'klingon' is not a known encoding; use a name such as utf-8, cp1252, latin-1 or utf-16."),
        ("--delimiter", ";;", "Invalid value for '--delimiter': ';;' cannot be a delimiter; give one character such as , ; | or the word tab."),
    ],
)
def test_bad_read_options_exit_two(tmp_path, option, value, message):
    result = invoke("validate", str(DATA / "one_column.csv"), option, value, "-m", EMAIL_ONLY, "-o", str(tmp_path))

    assert result.exit_code == 2
    assert message in result.stderr


def test_undecodable_input_exit_two(tmp_path):
    result = invoke("validate", str(DATA / "mixed_encoding.csv"), "-m", EMAIL_ONLY, "-o", str(tmp_path))

    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {DATA / 'mixed_encoding.csv'}: line 4: byte 0xE9 is not valid UTF-8")


def test_header_that_is_data_exit_two(tmp_path):
    result = invoke("validate", str(DATA / "header_is_data.csv"), "-m", EMAIL_ONLY, "-o", str(tmp_path))

    assert result.exit_code == 2
    assert "line 1 looks like data, not a header: column 1 'ann@example.com' is an email address" in result.stderr


def test_mailchimp_zip_and_stdin_in_one_run(tmp_path):
    mapping = tmp_path / "m.yaml"
    mapping.write_text("fields:\n  email: Email Address\n")
    stdin = b"Email Address\ndan@example.com\n"

    result = invoke("validate", str(DATA / "mailchimp_audience.zip"), "-", "-m", str(mapping), "-o", str(tmp_path), input=stdin)

    assert result.exit_code == 0, result.output
    summary = summary_of(tmp_path)
    assert summary["rows_valid"] == 4
    assert summary["inputs"][-1] == "<stdin>"
    assert len(summary["inputs"]) == 4
