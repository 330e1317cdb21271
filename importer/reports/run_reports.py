"""The reports of one run, fed as rows are rejected and written when it ends."""

from __future__ import annotations

from pathlib import Path

from importer.reports.html import write_html_report
from importer.reports.redact import Redactor
from importer.reports.summary import RunSummary
from importer.reports.tally import ProblemTally
from importer.reports.writers import ErrorsWriter, RejectsWriter


class RunReports:
    """rejects.csv, errors.csv and the tally behind report.html.

    Every problem written to errors.csv is also counted in the tally, so a
    caller that writes both files is fully reported.

    ``redact`` masks emails and phone numbers in errors.csv and report.html;
    rejects.csv always keeps the values as read, because it is imported again.
    """

    def __init__(self, out_dir: Path, columns: list[str], redact: bool = False):
        self.out_dir = out_dir
        self.redactor = Redactor(redact)
        self.tally = ProblemTally(self.redactor)
        self.rejects = RejectsWriter(out_dir / "rejects.csv", columns)
        self.errors = ErrorsWriter(out_dir / "errors.csv", self.redactor, self.tally)

    def close(self) -> None:
        self.rejects.close()
        self.errors.close()

    def write_html(self, summary: RunSummary) -> None:
        write_html_report(self.out_dir / "report.html", summary, self.tally, self.redactor.enabled)
