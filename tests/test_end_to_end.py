"""The twc-import command line against the real sandbox over HTTP on 127.0.0.1."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from sandbox_process import running_sandbox

ROOT = Path(__file__).parent.parent
SAMPLE = ROOT / "samples" / "shopify_customers_export.csv"
SAMPLE_EXPECTED = json.loads((ROOT / "samples" / "shopify_customers_export.expected.json").read_text())
TWC_IMPORT = str(Path(sys.executable).parent / "twc-import")
TOKEN = "demo-token"


def twc_import(*arguments: str, token: str | None = TOKEN, **environment: str) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(ROOT), **environment}
    if token is not None:
        env["TWC_TOKEN"] = token
    return subprocess.run([TWC_IMPORT, *arguments], capture_output=True, text=True, env=env, timeout=300)


def stored_customers(base_url: str, tenant: str = "demo") -> list[dict]:
    response = httpx.get(f"{base_url}/_sandbox/tenants/{tenant}/customers")
    response.raise_for_status()
    return response.json()


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def without_server_fields(customer: dict) -> dict:
    return {key: value for key, value in customer.items() if key not in ("id", "createdDate", "lastModifiedDate", "deleted")}


def expected_shopify_customer(row: dict[str, str]) -> dict:
    """Build the Customer the Shopify preset must produce, written out by hand."""
    def text(column: str) -> str | None:
        value = row[column].strip()
        return value.removeprefix("'") if column in ("Customer ID", "Phone", "Default Address Zip", "Default Address Phone") else value

    def put(target: dict, key: str, value):
        if value not in (None, ""):
            target[key] = value

    customer: dict = {}
    put(customer, "customerRef", text("Customer ID"))
    put(customer, "firstName", text("First Name"))
    put(customer, "lastName", text("Last Name"))
    put(customer, "email", row["Email"].strip().lower())
    put(customer, "phone", text("Phone"))

    address: dict = {}
    put(address, "firstName", text("First Name"))
    put(address, "lastName", text("Last Name"))
    for column, key in [("Company", "company"), ("Address1", "address1"), ("Address2", "address2"), ("City", "city"), ("Province Code", "provinceCode")]:
        put(address, key, text(f"Default Address {column}"))
    put(address, "countryCode", text("Default Address Country Code").upper())
    put(address, "postcode", text("Default Address Zip"))
    put(address, "phone", text("Default Address Phone"))
    if set(address) - {"firstName", "lastName"}:
        customer["addresses"] = [address]

    optins = {}
    for column, channel in [("Accepts Email Marketing", "email"), ("Accepts SMS Marketing", "sms")]:
        if text(column):
            optins[channel] = {"opt_in_active": text(column).lower() == "yes"}
    if optins:
        customer["optin_preferences"] = optins

    attributes: dict = {}
    for column, key in [("Total Spent", "total_spent"), ("Total Orders", "total_orders"), ("Tags", "tags"), ("Note", "note"), ("Tax Exempt", "tax_exempt")]:
        put(attributes, key, text(column))
    if attributes:
        customer["attributeGroups"] = {"shopify": {"attributes": attributes, "description": "Shopify customer export values"}}
    return customer


def sample_rows_by_line() -> dict[int, dict[str, str]]:
    rows = {}
    with open(SAMPLE, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        previous = reader.line_num
        for row in reader:
            rows[previous + 1] = row
            previous = reader.line_num
    return rows


@pytest.fixture(scope="module")
def sample_import(tmp_path_factory):
    out_dir = tmp_path_factory.mktemp("sample-import")
    with running_sandbox() as base_url:
        result = twc_import("import", str(SAMPLE), "-m", "shopify", "-o", str(out_dir), "--base-url", base_url, "--tenant", "demo")
        customers = stored_customers(base_url)
    return result, out_dir, customers


def test_sample_import_exit_and_counts(sample_import):
    result, out_dir, _ = sample_import
    summary = json.loads((out_dir / "summary.json").read_text())

    assert result.returncode == 1, result.stderr
    assert summary["rows_read"] == SAMPLE_EXPECTED["rows_read"]
    assert summary["rows_accepted"] == SAMPLE_EXPECTED["rows_valid"]
    assert summary["rows_rejected"] == SAMPLE_EXPECTED["rows_rejected"]
    assert summary["rows_failed"] == 0
    assert summary["rows_read"] == summary["rows_rejected"] + summary["rows_accepted"] + summary["rows_failed"]
    assert summary["errors_by_code"] == dict(sorted(SAMPLE_EXPECTED["errors_by_code"].items()))
    assert summary["exit_code"] == 1


def test_sample_valid_rows_stored_once_exactly(sample_import):
    _, _, customers = sample_import
    rejected_lines = {entry["line"] for entry in SAMPLE_EXPECTED["rejected"]}
    expected = [expected_shopify_customer(row) for line, row in sample_rows_by_line().items() if line not in rejected_lines]

    emails = [customer["email"] for customer in customers]
    assert len(emails) == len(set(emails))
    stored_by_email = {customer["email"]: without_server_fields(customer) for customer in customers}
    assert len(stored_by_email) == len(expected)
    for customer in expected:
        assert stored_by_email[customer["email"]] == customer


def test_sample_rejects_have_lines_and_codes(sample_import):
    _, out_dir, _ = sample_import
    rejects = read_csv(out_dir / "rejects.csv")

    found = sorted((int(row["_line"]), sorted(part.split(":")[0] for part in row["_errors"].split(" | "))) for row in rejects)
    expected = sorted((entry["line"], sorted(entry["codes"])) for entry in SAMPLE_EXPECTED["rejected"])
    assert found == expected
    assert {row["_source"] for row in rejects} == {str(SAMPLE)}


def test_sample_rejects_keep_original_values(sample_import):
    _, out_dir, _ = sample_import
    rows = sample_rows_by_line()

    for reject in read_csv(out_dir / "rejects.csv"):
        original = rows[int(reject["_line"])]
        for column, value in original.items():
            written = reject[column]
            restored = written[1:] if written.startswith("'") else written
            assert restored == value, (reject["_line"], column)


def test_validate_writes_payloads_in_input_order(tmp_path):
    payloads = tmp_path / "customers.ndjson"

    result = twc_import("validate", str(SAMPLE), "-m", "shopify", "-o", str(tmp_path / "out"), "--payloads", str(payloads), token=None)

    assert result.returncode == 1
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["rows_read"] == summary["rows_valid"] + summary["rows_rejected"]
    assert summary["rows_valid"] == SAMPLE_EXPECTED["rows_valid"]
    rejected_lines = {entry["line"] for entry in SAMPLE_EXPECTED["rejected"]}
    expected = [expected_shopify_customer(row) for line, row in sample_rows_by_line().items() if line not in rejected_lines]
    written = [json.loads(line) for line in payloads.read_text(encoding="utf-8").splitlines()]
    assert written == expected


def test_wrong_token_aborts_and_never_leaks(tmp_path):
    secret = "wrong-token-5f2c9a"
    out_dir = tmp_path / "out"

    with running_sandbox() as base_url:
        result = twc_import("import", str(SAMPLE), "-m", "shopify", "-o", str(out_dir), "--base-url", base_url, "--tenant", "demo", token=secret)
        customers = stored_customers(base_url)

    assert result.returncode == 3
    assert customers == []
    assert "demo" in result.stderr
    assert "401" in result.stderr
    assert secret not in result.stdout
    assert secret not in result.stderr
    for path in out_dir.rglob("*"):
        if path.is_file():
            assert secret not in path.read_text(encoding="utf-8", errors="replace"), path
    summary = json.loads((out_dir / "summary.json").read_text())
    assert summary["exit_code"] == 3
    assert summary["rows_accepted"] == 0
    assert summary["rows_read"] == summary["rows_rejected"] + summary["rows_accepted"] + summary["rows_failed"]


def test_token_file_is_used(tmp_path):
    token_file = tmp_path / "token"
    token_file.write_text("demo-token\n")

    with running_sandbox() as base_url:
        result = twc_import(
            "import", str(ROOT / "tests" / "data" / "basic_customers.csv"), "-m", str(ROOT / "tests" / "data" / "mappings" / "basic.yaml"),
            "-o", str(tmp_path / "out"), "--base-url", base_url, "--tenant", "demo", "--token-file", str(token_file), token=None,
        )
        customers = stored_customers(base_url)

    assert result.returncode == 1, result.stderr
    assert sorted(customer["email"] for customer in customers) == ["ann@example.com", "ben@example.com"]


def test_handwritten_shopify_export(tmp_path):
    source = ROOT / "tests" / "data" / "shopify_handwritten.csv"
    expected = json.loads((ROOT / "tests" / "data" / "shopify_handwritten.expected.json").read_text(encoding="utf-8"))

    with running_sandbox() as base_url:
        result = twc_import("import", str(source), "-m", "shopify", "-o", str(tmp_path), "--base-url", base_url, "--tenant", "demo")
        customers = stored_customers(base_url)

    assert result.returncode == 1, result.stderr
    stored = [without_server_fields(customer) for customer in customers]
    assert stored == [record["customer"] for record in expected["records"] if "customer" in record]
    rejects = read_csv(tmp_path / "rejects.csv")
    found = [(int(row["_line"]), [part.split(":")[0] for part in row["_errors"].split(" | ")]) for row in rejects]
    assert found == [(record["line"], record["codes"]) for record in expected["records"] if "codes" in record]
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["errors_by_code"] == dict(sorted(expected["errors_by_code"].items()))
