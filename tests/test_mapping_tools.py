"""The twc-import mapping commands: init, check and presets, run as the real console script."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from importer.mapping.apply import apply_mapping, bind_mapping
from importer.mapping.loader import load_mapping, preset_names
from importer.sources.csv_reader import read_chunks, read_header
from test_end_to_end import twc_import

ROOT = Path(__file__).parent.parent
DATA = ROOT / "tests" / "data"
PRESET_SAMPLES = ROOT / "samples" / "presets"
DYNAMICS_HEADER = ["(Do Not Modify) Contact", "(Do Not Modify) Row Checksum", "(Do Not Modify) Modified On",
                   "Full Name", "Email", "Company Name", "Business Phone"]


def preset_headers() -> list[tuple[str, str, list[str]]]:
    """List (preset, file name, header) for every preset's sample file."""
    headers = [("shopify", "shopify_customers_export.csv", read_header(ROOT / "samples" / "shopify_customers_export.csv"))]
    for folder in sorted(PRESET_SAMPLES.iterdir()):
        for path in sorted(folder.glob("*.csv")):
            headers.append((folder.name, path.name, read_header(path)))
    headers.append(("dynamics365", "dynamics365_contacts.csv", DYNAMICS_HEADER))
    return headers


def test_every_preset_has_a_sample_header():
    assert sorted({preset for preset, _, _ in preset_headers()}) == preset_names()


@pytest.mark.parametrize("preset, file_name, header", preset_headers(), ids=lambda value: value if isinstance(value, str) else "")
def test_init_names_the_preset(preset, file_name, header, tmp_path):
    source = tmp_path / file_name
    with open(source, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerow(header)
    draft = tmp_path / "draft.yaml"

    result = twc_import("mapping", "init", str(source), "-o", str(draft), token=None)

    assert result.returncode == 0, result.stderr
    assert result.stderr == f"The header fits the preset '{preset}': use -m {preset}.\n"
    assert draft.read_text(encoding="utf-8").splitlines()[1] == f"# Import it with -m {preset}, or edit this copy of the preset."
    assert load_mapping(str(draft)).description == load_mapping(preset).description


def test_init_maps_renamed_columns(tmp_path):
    draft = tmp_path / "draft.yaml"

    result = twc_import("mapping", "init", str(DATA / "renamed_columns.csv"), "-o", str(draft), token=None)

    assert result.returncode == 0, result.stderr
    assert result.stderr == "Columns left unmapped: Client No, Favourite Colour.\n"
    mapping = load_mapping(str(draft))
    rules = {rule.target: rule for rule in mapping.rules}
    assert rules["email"].column == "E-mail Address"
    assert rules["firstName"].column == "Given Name"
    assert rules["lastName"].column == "Family Name"
    assert rules["phone"].column == "Telephone No."
    assert rules["dob"].column == "Date Of Birth"
    assert rules["dob"].date_formats == ("%d/%m/%Y",)
    assert rules["addresses[0].city"].column == "Town"
    assert rules["addresses[0].postcode"].column == "Zip Code"
    assert set(rules) == {"email", "firstName", "lastName", "phone", "dob", "addresses[0].city", "addresses[0].postcode"}

    bound = bind_mapping(mapping, read_header(DATA / "renamed_columns.csv"), "renamed_columns.csv")
    [chunk] = list(read_chunks(DATA / "renamed_columns.csv"))
    first = apply_mapping(bound, chunk.frame).frame.iloc[0].to_dict()
    assert first["email"] == "ann.lee@example.com"
    assert first["dob"] == "28-11-1999"
    assert first["phone"] == "0412 345 678"


def test_init_flags_undecidable_day_month_order():
    result = twc_import("mapping", "init", str(DATA / "ambiguous_dates.csv"), token=None)

    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        "Check: the sample values of 'Birthday' fit both %d/%m/%Y and %m/%d/%Y, so the day/month order cannot be told.",
        "Check: the sample values of 'Newsletter' (maybe, perhaps) are in no built-in boolean vocabulary.",
    ]
    assert "  # CHECK: the sample values of 'Birthday' fit both %d/%m/%Y and %m/%d/%Y, so the day/month order cannot be told." in result.stdout
    assert '  #   date_formats: ["%d/%m/%Y"]' in result.stdout


def test_check_shows_field_values(tmp_path):
    result = twc_import("mapping", "check", str(DATA / "mappings" / "basic.yaml"), str(DATA / "basic_customers.csv"), "--rows", "1", token=None)

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"{DATA / 'mappings' / 'basic.yaml'}: valid, 11 field rules."
    assert "  line 2:" in lines
    assert "    email = 'ann@example.com'" in lines
    assert "    dob = '28-11-1999'" in lines


def test_check_rejects_bad_mapping_with_exit_2(tmp_path):
    mapping = tmp_path / "bad.yaml"
    mapping.write_text("fields:\n  email: Email\n  firstName:\n    column: First\n    titlecase: true\n", encoding="utf-8")

    result = twc_import("mapping", "check", str(mapping), token=None)

    assert result.returncode == 2
    assert result.stderr == f"Error: {mapping}: line 5: 'titlecase' is not a rule key for 'firstName'. Did you mean 'case'?\n"


def test_check_reports_column_missing_from_input(tmp_path):
    result = twc_import("mapping", "check", "shopify", str(DATA / "basic_customers.csv"), token=None)

    source = DATA / "basic_customers.csv"
    lines = result.stderr.splitlines()
    assert result.returncode == 2
    assert lines[0] == f"Error: preset shopify: 21 mapped columns are not in the header of {source}:"
    assert lines[1] == f"  preset shopify (line 16 of mappings/shopify.yaml): column 'Customer ID' is not in the header of {source}."
    assert lines[2] == (
        f"  preset shopify (line 19 of mappings/shopify.yaml): column 'First Name' is not in the header of {source}. "
        "Did you mean 'First'?"
    )
    assert len(lines) == 22


def test_presets_lists_one_line_each():
    result = twc_import("mapping", "presets", token=None)

    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines] == preset_names()
    assert "shopify            Shopify customer export (Customers > Export, current format)" in lines
