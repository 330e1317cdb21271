"""A dry run over two hard-case inputs: every rule, every report file."""

from __future__ import annotations

import re
import stat

import pytest

from report_support import (
    HARD_CASES,
    HARD_CASES_MORE,
    INPUT_EMAILS,
    INPUT_PHONES,
    read_records,
    read_rows,
    validate_hard_cases,
)

FIRST, SECOND = str(HARD_CASES), str(HARD_CASES_MORE)
REJECT_HINT = "every row sharing it is rejected. Remove the extra rows, or set duplicates: keep-first or keep-last in the mapping."


@pytest.fixture(scope="module")
def dry_run(tmp_path_factory):
    out_dir = tmp_path_factory.mktemp("hard-cases")
    return out_dir, validate_hard_cases(out_dir)


@pytest.fixture(scope="module")
def redacted_run(tmp_path_factory):
    out_dir = tmp_path_factory.mktemp("hard-cases-redacted")
    return out_dir, validate_hard_cases(out_dir, redact=True)


def test_counts_add_up(dry_run):
    _, summary = dry_run

    assert (summary["rows_read"], summary["rows_valid"], summary["rows_rejected"]) == (14, 4, 10)
    assert summary["rows_read"] == summary["rows_valid"] + summary["rows_rejected"]
    assert summary["exit_code"] == 1
    assert summary["errors_by_code"] == {
        "duplicate-customer-ref": 2,
        "duplicate-email": 4,
        "future-date": 1,
        "invalid-boolean": 1,
        "invalid-country-code": 1,
        "invalid-date": 3,
        "invalid-email": 2,
        "invalid-phone": 1,
    }


def test_errors_file_exact(dry_run):
    out_dir, _ = dry_run

    assert read_rows(out_dir / "errors.csv") == [
        ["source", "line", "email", "field", "code", "value", "message"],
        [FIRST, "2", "ann@example.com", "email", "duplicate-email", "ann@example.com", f"email 'ann@example.com' is also on line 8 of {FIRST}; {REJECT_HINT}"],
        [FIRST, "2", "ann@example.com", "customerRef", "duplicate-customer-ref", "C1", f"customerRef 'C1' is also on line 11 of {FIRST}; {REJECT_HINT}"],
        [FIRST, "4", "cat @example.com", "email", "invalid-email", "cat @example.com", "'cat @example.com' is not a valid email address: The email address contains invalid characters before the @-sign: SPACE."],
        [FIRST, "5", "dan@example.com", "dob", "invalid-date", "31/02/1990", "'31/02/1990' in column 'Birthday' is not a real date in the format(s) %d/%m/%Y."],
        [FIRST, "6", "eve@example.com", "dob", "invalid-date", "29/02/2023", "'29/02/2023' in column 'Birthday' is not a real date in the format(s) %d/%m/%Y."],
        [FIRST, "7", "fay@example.com", "dob", "future-date", "01-01-2999", "'01-01-2999' is in the future (today is 04-12-2026)."],
        [FIRST, "8", "ANN@Example.COM", "email", "duplicate-email", "ann@example.com", f"email 'ann@example.com' is also on line 2 of {FIRST}; {REJECT_HINT}"],
        [FIRST, "10", "bad", "dob", "invalid-date", "31/04/2000", "'31/04/2000' in column 'Birthday' is not a real date in the format(s) %d/%m/%Y."],
        [FIRST, "10", "bad", "mobile", "invalid-phone", "0412 345", "'0412 345' in column 'Mobile' is not a valid phone number for the region AU; write it in full with its country code, such as +61 412 345 678."],
        [FIRST, "10", "bad", "vipStatus", "invalid-boolean", "maybe", "'maybe' in column 'VIP' is not in the boolean vocabulary yes_no (yes, y / no, n)."],
        [FIRST, "10", "bad", "email", "invalid-email", "bad", "'bad' is not a valid email address: An email address must have an @-sign."],
        [FIRST, "10", "bad", "addresses[0].countryCode", "invalid-country-code", "UK", "'UK' is not an ISO 3166-1 alpha-2 country code such as AU, NZ or GB."],
        [FIRST, "11", "jon@example.com", "customerRef", "duplicate-customer-ref", "C1", f"customerRef 'C1' is also on line 2 of {FIRST}; {REJECT_HINT}"],
        [FIRST, "12", "hal@example.com", "email", "duplicate-email", "hal@example.com", f"email 'hal@example.com' is also on line 2 of {SECOND}; {REJECT_HINT}"],
        [SECOND, "2", "HAL@example.com", "email", "duplicate-email", "hal@example.com", f"email 'hal@example.com' is also on line 12 of {FIRST}; {REJECT_HINT}"],
    ]


def test_emails_trimmed_around_are_valid(dry_run):
    out_dir, _ = dry_run
    rejected_lines = {(row["_source"], row["_line"]) for row in read_records(out_dir / "rejects.csv")}

    assert (FIRST, "3") not in rejected_lines
    assert (FIRST, "9") not in rejected_lines


def test_row_with_several_problems_lists_all(dry_run):
    out_dir, _ = dry_run
    row = next(row for row in read_records(out_dir / "rejects.csv") if row["_line"] == "10")

    codes = [part.split(":")[0] for part in row["_errors"].split(" | ")]
    assert codes == ["invalid-date", "invalid-phone", "invalid-boolean", "invalid-email", "invalid-country-code"]
    assert (row["Customer ID"], row["Email"], row["Birthday"], row["Mobile"], row["Country"], row["VIP"]) == (
        "C9", "bad", "'31/04/2000", "0412 345", "UK", "maybe",
    )


def test_rejects_keep_every_source_value(dry_run):
    out_dir, _ = dry_run

    rows = read_records(out_dir / "rejects.csv")

    assert [(row["_source"], row["_line"]) for row in rows] == [
        (FIRST, "2"), (FIRST, "4"), (FIRST, "5"), (FIRST, "6"), (FIRST, "7"), (FIRST, "8"),
        (FIRST, "10"), (FIRST, "11"), (FIRST, "12"), (SECOND, "2"),
    ]
    assert rows[5]["Email"] == "ANN@Example.COM"


def test_output_files_owner_only(dry_run):
    out_dir, _ = dry_run

    assert stat.S_IMODE(out_dir.stat().st_mode) == 0o700
    names = sorted(path.name for path in out_dir.iterdir())
    assert names == ["errors.csv", "rejects.csv", "report.html", "summary.json"]
    for path in out_dir.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name


def test_unredacted_errors_hold_emails_and_phones(dry_run):
    out_dir, _ = dry_run

    text = (out_dir / "errors.csv").read_text(encoding="utf-8-sig")

    assert "ann@example.com" in text
    assert "0412 345" in text


def test_redacted_files_hold_no_email_or_phone(redacted_run):
    out_dir, summary = redacted_run

    assert summary["rows_rejected"] == 10
    for name in ("errors.csv", "report.html"):
        text = (out_dir / name).read_text(encoding="utf-8-sig")
        for email in INPUT_EMAILS:
            assert email.lower() not in text.lower(), (name, email)
        for phone in INPUT_PHONES:
            digits = re.sub(r"\D", "", phone)
            e164 = "+61" + digits.removeprefix("61").removeprefix("0")
            for form in (phone, digits, e164):
                assert form not in text, (name, form)


def test_redacted_errors_masked_exact(redacted_run):
    out_dir, _ = redacted_run

    rows = read_rows(out_dir / "errors.csv")

    assert rows[1][2:6] == ["a***@example.com", "email", "duplicate-email", "a***@example.com"]
    assert rows[1][6] == f"email 'a***@example.com' is also on line 8 of {FIRST}; {REJECT_HINT}"
    assert rows[3][2:] == [
        "c***@example.com", "email", "invalid-email", "c***@example.com",
        "'c***@example.com' is not a valid email address: The email address contains invalid characters before the @-sign: SPACE.",
    ]
    assert rows[9][5:] == [
        "**** *45",
        "'**** *45' in column 'Mobile' is not a valid phone number for the region AU; write it in full with its country code, such as +** *** *** *78.",
    ]


def test_rejects_not_redacted(redacted_run):
    out_dir, _ = redacted_run

    emails = [row["Email"] for row in read_records(out_dir / "rejects.csv")]

    assert "ann@example.com" in emails
    assert "cat @example.com" in emails
