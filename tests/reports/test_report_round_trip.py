"""rejects.csv round trip and the reject-rate guard, against the sandbox over HTTP on 127.0.0.1."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import httpx

from report_support import HARD_CASES, HARD_CASES_MAPPING, HARD_CASES_MORE, read_records
from sandbox_process import running_sandbox

ROOT = Path(__file__).resolve().parents[2]
TWC_IMPORT = str(Path(sys.executable).parent / "twc-import")
UPLOAD_PATH = "/services/customerservice/api/v2/upload-customers"

# What a person changes in rejects.csv, by (input, line): column -> new value.
# None deletes the row: one of the two rows sharing hal@example.com.
FIXES = {
    (str(HARD_CASES), "4"): {"Email": "cat@example.com"},
    (str(HARD_CASES), "5"): {"Birthday": "28/02/1990"},
    (str(HARD_CASES), "6"): {"Birthday": "28/02/2023"},
    (str(HARD_CASES), "7"): {"Birthday": "01/01/1999"},
    (str(HARD_CASES), "8"): {"Email": "annie@example.com"},
    (str(HARD_CASES), "10"): {"Email": "ida@example.com", "Birthday": "30/04/2000", "Mobile": "0412 345 679", "Country": "GB", "VIP": "no"},
    (str(HARD_CASES), "11"): {"Customer ID": "C10"},
    (str(HARD_CASES_MORE), "2"): None,
}


def twc_import(*arguments: str) -> subprocess.CompletedProcess:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(ROOT), "TWC_TOKEN": "demo-token"}
    return subprocess.run([TWC_IMPORT, *arguments], capture_output=True, text=True, env=env, timeout=300)


def stored_customers(base_url: str) -> list[dict]:
    response = httpx.get(f"{base_url}/_sandbox/tenants/demo/customers")
    response.raise_for_status()
    return response.json()


def upload_requests(base_url: str) -> int:
    response = httpx.get(f"{base_url}/_sandbox/requests")
    response.raise_for_status()
    return sum(1 for request in response.json() if request["path"] == UPLOAD_PATH)


def fix_rejects(rejects: Path, fixed: Path) -> None:
    """Edit rejects.csv as a person does: change some cells, delete a row, keep every other cell as it is."""
    with open(rejects, newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows = list(reader)

    kept = []
    for row in rows:
        record = dict(zip(header, row))
        key = (record["_source"], record["_line"])
        if key in FIXES and FIXES[key] is None:
            continue
        record.update(FIXES.get(key, {}))
        kept.append([record[name] for name in header])

    with open(fixed, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(kept)


def test_fixed_rejects_import_exactly_those_rows(tmp_path):
    inputs = (str(HARD_CASES), str(HARD_CASES_MORE))
    dry_run = twc_import("validate", *inputs, "-m", str(HARD_CASES_MAPPING), "-o", str(tmp_path / "dry-run"))
    assert dry_run.returncode == 1, dry_run.stderr
    fixed = tmp_path / "fixed.csv"
    fix_rejects(tmp_path / "dry-run" / "rejects.csv", fixed)

    with running_sandbox() as base_url:
        result = twc_import("import", str(fixed), "-m", str(HARD_CASES_MAPPING), "-o", str(tmp_path / "import"),
                            "--base-url", base_url, "--tenant", "demo")
        customers = stored_customers(base_url)

    assert result.returncode == 0, result.stdout + result.stderr
    summary = json.loads((tmp_path / "import" / "summary.json").read_text())
    assert (summary["rows_read"], summary["rows_accepted"], summary["rows_rejected"], summary["rows_failed"]) == (9, 9, 0, 0)
    assert summary["rows_read"] == summary["rows_rejected"] + summary["rows_accepted"] + summary["rows_failed"]
    stored = sorted((c["email"], c.get("customerRef"), c.get("dob"), c.get("mobile"), c.get("vipStatus")) for c in customers)
    assert stored == [
        ("ann@example.com", "C1", "28-11-1999", "+61412345678", True),
        ("annie@example.com", "C7", None, None, None),
        ("cat@example.com", "C3", "01-01-1980", None, None),
        ("dan@example.com", "C4", "28-02-1990", None, None),
        ("eve@example.com", "C5", "28-02-2023", None, None),
        ("fay@example.com", "C6", "01-01-1999", None, None),
        ("hal@example.com", "C11", None, "+61414999888", None),
        ("ida@example.com", "C9", "30-04-2000", "+61412345679", False),
        ("jon@example.com", "C10", None, None, None),
    ]
    ida = next(customer for customer in customers if customer["email"] == "ida@example.com")
    assert ida["addresses"] == [{"countryCode": "GB"}]


def test_reject_rate_guard_sends_nothing(tmp_path):
    out_dir = tmp_path / "out"

    with running_sandbox() as base_url:
        result = twc_import("import", str(HARD_CASES), str(HARD_CASES_MORE), "-m", str(HARD_CASES_MAPPING), "-o", str(out_dir),
                            "--base-url", base_url, "--tenant", "demo", "--max-reject-rate", "0.05")
        customers = stored_customers(base_url)
        uploads = upload_requests(base_url)

    reason = (
        "10 of 14 rows (71.4%) were rejected, more than --max-reject-rate 0.05 allows, so nothing was sent; "
        "fix the mapping or the export (see report.html) and run the import again"
    )
    assert result.returncode == 3
    assert (customers, uploads) == ([], 0)
    assert f"Aborted: {reason}." in result.stderr
    summary = json.loads((out_dir / "summary.json").read_text())
    assert (summary["rows_read"], summary["rows_rejected"], summary["rows_failed"], summary["rows_accepted"], summary["rows_sent"]) == (14, 10, 4, 0, 0)
    assert summary["rows_read"] == summary["rows_rejected"] + summary["rows_accepted"] + summary["rows_failed"]
    assert (summary["exit_code"], summary["aborted_reason"], summary["max_reject_rate"]) == (3, reason, 0.05)
    assert summary["errors_by_code"]["upload-failed"] == 4
    rejects = read_records(out_dir / "rejects.csv")
    held = [(row["_line"], row["_errors"]) for row in rejects if row["_errors"].startswith("upload-failed")]
    assert held == [(line, f"upload-failed: not sent: {reason}.") for line in ("3", "9", "13", "3")]
    assert (out_dir / "report.html").exists()


def test_reject_rate_under_limit_sends_valid_rows(tmp_path):
    with running_sandbox() as base_url:
        result = twc_import("import", str(HARD_CASES), str(HARD_CASES_MORE), "-m", str(HARD_CASES_MAPPING), "-o", str(tmp_path),
                            "--base-url", base_url, "--tenant", "demo", "--max-reject-rate", "0.75")
        customers = stored_customers(base_url)

    assert result.returncode == 1, result.stderr
    assert sorted(customer["email"] for customer in customers) == ["bob@example.com", "gus@example.com", "kim@example.com", "liz@example.com"]
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert (summary["rows_read"], summary["rows_rejected"], summary["rows_accepted"], summary["rows_failed"]) == (14, 10, 4, 0)
