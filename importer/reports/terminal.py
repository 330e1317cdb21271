"""The short summary printed at the end of every run.

It shows the totals, the most frequent problems with what to do about them,
and where the reports are. Colours are used only on a terminal.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from rich import box
from rich.console import Console
from rich.table import Table

from importer.reports.advice import advice_for
from importer.reports.summary import RunSummary

TOP_PROBLEMS = 5
REPORT_FILES = ("report.html", "rejects.csv", "errors.csv", "summary.json")
_WIDTH = 100


def print_summary(summary: RunSummary, file: TextIO | None = None) -> None:
    """Print the totals, the top problems and the report paths.

    On a terminal rich prints in colour at the terminal's width. Anywhere else
    the text is plain, 100 columns wide and without trailing spaces, so logs
    and tests see stable lines.
    """
    output = file or sys.stdout
    is_terminal = output.isatty()
    console = Console(file=output, width=None if is_terminal else _WIDTH, highlight=False)

    if is_terminal:
        _print_all(console, summary)
        return
    with console.capture() as captured:
        _print_all(console, summary)
    output.write("".join(line.rstrip() + "\n" for line in captured.get().splitlines()))


def _print_all(console: Console, summary: RunSummary) -> None:
    console.print(_totals_table(summary))
    if summary.errors_by_code:
        console.print()
        console.print(_problems_table(summary))
    console.print()
    console.print("Reports:", markup=False)
    out_dir = Path(summary.out_dir)
    for name in REPORT_FILES:
        console.print(f"  {out_dir / name}", markup=False, soft_wrap=True)


def _totals_table(summary: RunSummary) -> Table:
    table = Table(box=None, show_header=False, pad_edge=False)
    table.add_column("Total")
    table.add_column("Rows", justify="right")
    table.add_row("Rows read", f"{summary.rows_read:,}")
    if summary.command == "validate":
        table.add_row("Valid", f"{summary.rows_valid:,}", style="green")
        table.add_row("Rejected", f"{summary.rows_rejected:,}", style="red" if summary.rows_rejected else None)
        return table
    table.add_row("Sent", f"{summary.rows_sent:,}")
    table.add_row("Accepted", f"{summary.rows_accepted:,}", style="green")
    table.add_row("Rejected", f"{summary.rows_rejected:,}", style="red" if summary.rows_rejected else None)
    table.add_row("Failed", f"{summary.rows_failed:,}", style="red" if summary.rows_failed else None)
    return table


def _problems_table(summary: RunSummary) -> Table:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, title="Top problems", title_justify="left")
    table.add_column("Code", no_wrap=True)
    table.add_column("Count", justify="right")
    table.add_column("What to do")
    for code, count in summary.errors_by_code.most_common(TOP_PROBLEMS):
        table.add_row(code, f"{count:,}", advice_for(code))
    hidden = len(summary.errors_by_code) - TOP_PROBLEMS
    if hidden > 0:
        table.caption = f"{hidden} more codes in report.html"
        table.caption_justify = "left"
    return table
