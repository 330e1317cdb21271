"""Open rejects.csv the way a person does: in LibreOffice Calc.

The test converts rejects.csv to .xlsx with LibreOffice in headless mode
and reads the cells back with python-calamine. It also saves the file back
to CSV through LibreOffice, as a person who fixes a cell and saves does, and
imports the result. It needs the ``soffice`` program (Debian package
libreoffice-calc-nogui) and is skipped without it.

Headless conversion does not detect the byte order mark the way Calc's
import dialog does, so the import filter states what the dialog preselects:
comma-separated, UTF-8, every column with standard type detection, which is
what turns number-like text into numbers.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from importer.pipeline import RunOptions, run_validate
from importer.sources.inputs import resolve_inputs
from report_support import DATA, TODAY

SOFFICE = shutil.which("soffice")
pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed; apt-get install libreoffice-calc-nogui")

CELLS = DATA / "spreadsheet_cells.csv"
MAPPING = DATA / "mappings" / "spreadsheet_cells.yaml"
SOFFICE_TIMEOUT = 180
# Separator 44 (comma), text delimiter 34 ("), character set 76 (UTF-8), from line 1.
CSV_FILTER = "Text - txt - csv (StarCalc):44,34,76,1"


def source_rows() -> list[list[str]]:
    with open(CELLS, newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def soffice_convert(source: Path, target_format: str, out_dir: Path, profile: Path) -> Path:
    command = [
        SOFFICE, "--headless", "--norestore", f"-env:UserInstallation=file://{profile}",
        f"--infilter={CSV_FILTER}", "--convert-to", target_format, "--outdir", str(out_dir), str(source),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=SOFFICE_TIMEOUT, env={**os.environ, "HOME": str(profile)})
    return out_dir / f"{source.stem}.{target_format.split(':')[0]}"


def cell_text(value: object) -> str:
    """Return a cell as it reads in the CSV, without the escaping apostrophe.

    A whole number without leading zeros, or TRUE, may become a number or a
    boolean cell, because Calc saves it back exactly as written.
    """
    if isinstance(value, str):
        return value.removeprefix("'")
    if isinstance(value, bool):
        return str(value).upper()
    return format(value, "g")


def rejects_of_cells(tmp_path: Path) -> Path:
    out_dir = tmp_path / "run"
    run_validate(RunOptions("validate", (str(CELLS),), str(MAPPING), out_dir=out_dir, today=TODAY))
    return out_dir / "rejects.csv"


def test_no_formula_and_values_kept_in_calc(tmp_path):
    rejects = rejects_of_cells(tmp_path)

    workbook = soffice_convert(rejects, "xlsx", tmp_path, tmp_path / "profile")

    with zipfile.ZipFile(workbook) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f" not in sheet
    cells = CalamineWorkbook.from_path(str(workbook)).get_sheet_by_index(0).to_python()
    original = source_rows()
    assert len(cells) == len(original)
    for row_number, (shown, expected) in enumerate(zip(cells, original)):
        for column, (value, text) in enumerate(zip(shown, expected)):
            assert cell_text(value) == text, (row_number, column, value)


def test_saved_from_calc_imports_same_values(tmp_path):
    rejects = rejects_of_cells(tmp_path)
    saved_dir = tmp_path / "saved"
    saved_dir.mkdir()

    saved = soffice_convert(rejects, f"csv:{CSV_FILTER}", saved_dir, tmp_path / "profile")

    (item,) = resolve_inputs([str(saved)], tmp_path)
    assert item.is_rejects_file
    frame = next(item.chunks()).frame
    original = source_rows()
    assert list(frame.columns)[: len(original[0])] == original[0]
    assert frame.iloc[:, : len(original[0])].fillna("").values.tolist() == original[1:]
