"""Command-line messages and exit statuses, in process with click's runner."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from importer.cli import main

DATA = Path(__file__).parent / "data"
BASIC_MAPPING = str(DATA / "mappings" / "basic.yaml")


def invoke(*arguments: str, env: dict | None = None):
    return CliRunner().invoke(main, list(arguments), env={"TWC_TOKEN": "", "TWC_BASE_URL": "", "TWC_TENANT": "", **(env or {})})


@pytest.mark.parametrize("command", [[], ["validate"], ["import"], ["sandbox"]])
def test_every_command_has_help(command):
    result = invoke(*command, "--help")

    assert result.exit_code == 0
    assert "Usage: " in result.output


def test_validate_counts_and_exit_one(tmp_path):
    result = invoke("validate", str(DATA / "basic_customers.csv"), "-m", BASIC_MAPPING, "-o", str(tmp_path))

    assert result.exit_code == 1
    assert result.stdout == f"""\
Rows read  3
Valid      2
Rejected   1

Top problems
Code              Count   What to do
{"─" * 100}
invalid-boolean       2   Use one of the yes/no words the mapping lists for this column, or leave
                          the cell empty.
invalid-date          1   Write a real date with a four-digit year in one of the formats the mapping
                          declares; check for 31st of short months, 29 February outside leap years
                          and years before 1900.

Reports:
  {tmp_path / "report.html"}
  {tmp_path / "rejects.csv"}
  {tmp_path / "errors.csv"}
  {tmp_path / "summary.json"}
"""
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert (summary["rows_read"], summary["rows_valid"], summary["rows_rejected"]) == (3, 2, 1)
    assert summary["errors_by_code"] == {"invalid-boolean": 2, "invalid-date": 1}


def test_mapping_error_exit_two(tmp_path):
    result = invoke("validate", str(DATA / "text_values.csv"), "-m", BASIC_MAPPING, "-o", str(tmp_path))

    assert result.exit_code == 2
    assert result.stderr.splitlines()[:2] == [
        f"Error: {BASIC_MAPPING}: 9 mapped columns are not in the header of {DATA / 'text_values.csv'}:",
        f"  {BASIC_MAPPING}: line 8: column 'ID' is not in the header of {DATA / 'text_values.csv'}.",
    ]


def test_missing_input_exit_two(tmp_path):
    result = invoke("validate", str(DATA / "nothing.csv"), "-m", "shopify", "-o", str(tmp_path))

    assert result.exit_code == 2
    assert result.stderr == f"Error: {DATA / 'nothing.csv'}: file not found; check the path.\n"


def test_unmatched_glob_exit_two(tmp_path):
    result = invoke("validate", str(DATA / "*.nothing"), "-m", "shopify", "-o", str(tmp_path))

    assert result.exit_code == 2
    assert result.stderr == f"Error: {DATA / '*.nothing'}: no file matches this pattern; check the path.\n"


def test_import_without_token_exit_two(tmp_path):
    result = invoke("import", str(DATA / "basic_customers.csv"), "-m", BASIC_MAPPING, "--base-url", "http://127.0.0.1:9", "--tenant", "demo")

    assert result.exit_code == 2
    assert "Error: No access token: set TWC_TOKEN or give --token-file PATH." in result.stderr


def test_import_without_base_url_exit_two(tmp_path):
    result = invoke("import", str(DATA / "basic_customers.csv"), "-m", BASIC_MAPPING, "--tenant", "demo", env={"TWC_TOKEN": "t"})

    assert result.exit_code == 2
    assert "Error: Missing the connection setting --base-url or TWC_BASE_URL." in result.stderr


def test_token_is_not_an_option():
    result = invoke("import", "x.csv", "-m", "shopify", "--token", "secret")

    assert result.exit_code == 2
    assert "Error: No such option '--token'." in result.stderr


def test_rejects_of_same_folder_refused(tmp_path):
    first = invoke("validate", str(DATA / "basic_customers.csv"), "-m", BASIC_MAPPING, "-o", str(tmp_path))
    rejects = tmp_path / "rejects.csv"
    before = rejects.read_bytes()

    second = invoke("validate", str(rejects), "-m", BASIC_MAPPING, "-o", str(tmp_path))

    assert first.exit_code == 1
    assert second.exit_code == 2
    assert second.stderr == (
        f"Error: {rejects}: this input is a report that this run would overwrite in {tmp_path}; "
        "give another --out-dir, such as a new folder for the corrected rows.\n"
    )
    assert rejects.read_bytes() == before


def test_version_printed():
    result = invoke("--version")

    assert result.exit_code == 0
    assert result.output == "twc-import 0.1.0\n"


def test_quiet_after_command_name(tmp_path):
    result = invoke("validate", "-q", str(DATA / "basic_customers.csv"), "-m", BASIC_MAPPING, "-o", str(tmp_path))

    assert result.exit_code == 1
    assert "INFO" not in result.stderr


def test_unmapped_columns_logged(tmp_path):
    mapping = tmp_path / "email_only.yaml"
    mapping.write_text("fields:\n  email: Email\n", encoding="utf-8")

    result = invoke("validate", str(DATA / "basic_customers.csv"), "-m", str(mapping), "-o", str(tmp_path / "out"))

    assert result.exit_code == 0
    assert (
        f"INFO {DATA / 'basic_customers.csv'}: 9 column(s) not mapped, so not sent: "
        "ID, First, Last,  Birthday , Tier, VIP, Email Opt Out, Country, Source\n"
    ) in result.stderr
