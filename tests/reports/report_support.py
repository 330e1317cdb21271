"""Inputs and readers shared by the report tests."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

from importer.pipeline import RunOptions, run_validate

DATA = Path(__file__).resolve().parents[1] / "data"
HARD_CASES = DATA / "hard_cases.csv"
HARD_CASES_MORE = DATA / "hard_cases_more.csv"
HARD_CASES_MAPPING = DATA / "mappings" / "hard_cases.yaml"
TODAY = dt.date(2026, 12, 4)

# Every email and phone number written in the hard-case inputs, as written.
INPUT_EMAILS = [
    "ann@example.com", "bob@example.com", "cat @example.com", "dan@example.com", "eve@example.com",
    "fay@example.com", "ANN@Example.COM", "gus@example.com", "jon@example.com", "hal@example.com",
    "kim@example.com", "HAL@example.com", "liz@example.com",
]
INPUT_PHONES = ["0412 345 678", "0413 111 222", "0412 345", "0414 999 888", "+61 415 000 111"]


def validate_hard_cases(out_dir: Path, **options) -> dict:
    """Validate both hard-case inputs in one run and return summary.json."""
    run_options = RunOptions(
        command="validate",
        inputs=(str(HARD_CASES), str(HARD_CASES_MORE)),
        mapping=str(HARD_CASES_MAPPING),
        out_dir=out_dir,
        today=TODAY,
        **options,
    )
    run_validate(run_options)
    return json.loads((out_dir / "summary.json").read_text(encoding="utf-8"))


def read_rows(path: Path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        return list(csv.reader(handle))


def read_records(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))
