"""report.html: self-contained, escaped, with totals, charts, examples and advice."""

from __future__ import annotations

import re
from collections import Counter

from importer.reports.advice import ADVICE, advice_for
from importer.reports.html import write_html_report
from importer.reports.redact import Redactor
from importer.reports.summary import RunSummary
from importer.reports.tally import MAX_EXAMPLES, ProblemTally
from importer.validation.problems import Problem
from report_support import validate_hard_cases


def test_page_is_self_contained(tmp_path):
    validate_hard_cases(tmp_path)

    page = (tmp_path / "report.html").read_text(encoding="utf-8")

    assert "<script" not in page.lower()
    assert "<link" not in page.lower()
    assert "@import" not in page
    assert "url(" not in page
    assert re.findall(r"(?:src|href)=\"([^\"#][^\"]*)\"", page) == []
    assert page.count("<svg") == 2


def test_page_shows_totals_codes_and_advice(tmp_path):
    validate_hard_cases(tmp_path)

    page = (tmp_path / "report.html").read_text(encoding="utf-8")

    for label, count in (("Rows read", 14), ("Valid", 4), ("Rejected", 10)):
        assert f"<div class=\"number\">{count}</div><div class=\"label\">{label}</div>" in page
    assert "<h3 id=\"invalid-date\"><code>invalid-date</code>: 3</h3>" in page
    assert f"What to do: {advice_for('invalid-date')}" in page
    assert "<td class=\"value\">29/02/2023</td>" in page
    assert ">addresses[0].countryCode</text>" in page


def test_examples_capped_and_escaped(tmp_path):
    summary = RunSummary("validate", ["in.csv"], "m.yaml", str(tmp_path), rows_read=30, rows_rejected=30, exit_code=1)
    tally = ProblemTally(Redactor())
    for line in range(2, 32):
        tally.add("in.csv", line, [Problem("invalid-text", "firstName", f"<b>{line}</b>", "has <script>")])

    write_html_report(tmp_path / "report.html", summary, tally, redacted=False)

    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert page.count("&lt;b&gt;") == MAX_EXAMPLES
    assert "<b>2</b>" not in page
    assert "<script>" not in page
    assert "&lt;b&gt;21&lt;/b&gt;" in page
    assert "&lt;b&gt;22&lt;/b&gt;" not in page
    assert tally.by_code == Counter({"invalid-text": 30})


def test_every_stable_code_has_advice():
    codes = [
        "missing-email", "invalid-email", "duplicate-email", "duplicate-customer-ref",
        "duplicate-alternate-customer-ref", "invalid-date", "future-date", "invalid-boolean",
        "invalid-country-code", "invalid-phone", "malformed-row", "rejected-by-api", "upload-failed",
    ]

    for code in codes:
        assert code in ADVICE, code
