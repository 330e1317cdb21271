"""Import every preset's sample into the sandbox with the console script, and compare field by field.

The expected Customers in samples/presets/<preset>/expected.json come from
samples/generate_preset_samples.py, which builds them from the same invented
people as the export, without the importer.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import httpx
import pytest

from sandbox_process import running_sandbox
from test_end_to_end import stored_customers, twc_import, without_server_fields

SAMPLES = Path(__file__).parent.parent.parent / "samples" / "presets"
PRESETS = sorted(path.name for path in SAMPLES.iterdir() if (path / "expected.json").is_file())


def expected_for(preset: str) -> dict:
    return json.loads((SAMPLES / preset / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def sandbox_url():
    with running_sandbox() as base_url:
        yield base_url


def import_files(base_url: str, out_dir: Path, preset: str, files: list[Path]):
    httpx.post(f"{base_url}/_sandbox/reset").raise_for_status()
    result = twc_import("import", *map(str, files), "-m", preset, "-o", str(out_dir), "--base-url", base_url, "--tenant", "demo")
    return result, [without_server_fields(customer) for customer in stored_customers(base_url)]


def rejected_rows(out_dir: Path) -> list[tuple[str, int, list[str]]]:
    with open(out_dir / "rejects.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    found = [(Path(row["_source"]).name, int(row["_line"]), sorted(part.split(":")[0] for part in row["_errors"].split(" | "))) for row in rows]
    return sorted(found)


def test_every_preset_has_a_sample():
    assert PRESETS == [
        "dynamics365", "hubspot", "klaviyo", "lightspeed", "magento2", "mailchimp",
        "salesforce", "salesforce_report", "shopify_legacy", "square", "woocommerce", "zoho",
    ]


@pytest.mark.parametrize("preset", PRESETS)
def test_preset_sample_imports_exactly(preset, sandbox_url, tmp_path):
    expected = expected_for(preset)
    files = [SAMPLES / preset / name for name in expected["files"]]

    result, stored = import_files(sandbox_url, tmp_path, preset, files)

    assert result.returncode == 1, result.stderr
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["rows_read"] == expected["rows_read"]
    assert summary["rows_accepted"] == len(expected["customers"])
    assert summary["rows_rejected"] == len(expected["rejected"])
    stored_by_email = {customer["email"]: customer for customer in stored}
    assert len(stored_by_email) == len(expected["customers"])
    for customer in expected["customers"]:
        assert stored_by_email[customer["email"]] == customer
    assert rejected_rows(tmp_path) == sorted((entry["file"], entry["line"], sorted(entry["codes"])) for entry in expected["rejected"])


def test_mailchimp_zip_imports_like_its_files(sandbox_url, tmp_path):
    expected = expected_for("mailchimp")
    archive = SAMPLES / "mailchimp" / "mailchimp_audience_export.zip"

    result, stored = import_files(sandbox_url, tmp_path, "mailchimp", [archive])

    assert result.returncode == 1, result.stderr
    stored_by_email = {customer["email"]: customer for customer in stored}
    assert len(stored_by_email) == len(expected["customers"])
    for customer in expected["customers"]:
        assert stored_by_email[customer["email"]] == customer
    found = [(line, codes) for _, line, codes in rejected_rows(tmp_path)]
    assert sorted(found) == sorted((entry["line"], sorted(entry["codes"])) for entry in expected["rejected"])
