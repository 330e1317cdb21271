"""report.html: one self-contained page that shows a person what to fix.

The page has no scripts, external styles or fonts, so it opens the same from
an email attachment as from disk. Every value taken from the run goes through
``html.escape``.
"""

from __future__ import annotations

from collections import Counter
from html import escape
from pathlib import Path

from importer.reports.advice import advice_for
from importer.reports.files import open_private
from importer.reports.summary import RunSummary
from importer.reports.tally import MAX_EXAMPLES, ProblemTally

_BAR_HEIGHT = 22
_LABEL_WIDTH = 260
_CHART_WIDTH = 760
_MAX_BARS = 15

_STYLE = """
body { font-family: -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: #1f2933;
       margin: 0; background: #f5f7fa; }
main { max-width: 1100px; margin: 0 auto; padding: 24px 32px 48px; }
h1 { font-size: 26px; margin: 8px 0 4px; }
h2 { font-size: 20px; margin: 32px 0 12px; border-bottom: 2px solid #d9e2ec; padding-bottom: 4px; }
h3 { font-size: 16px; margin: 24px 0 6px; }
.meta { color: #52606d; font-size: 14px; margin: 0 0 16px; }
.status { display: inline-block; padding: 6px 12px; border-radius: 4px; font-weight: 600; }
.status.ok { background: #e3f9e5; color: #05400a; }
.status.warn { background: #fff3c4; color: #513c06; }
.status.stop { background: #ffe3e3; color: #610404; }
.totals { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0; }
.total { background: #fff; border: 1px solid #d9e2ec; border-radius: 6px; padding: 12px 18px; min-width: 120px; }
.total .number { font-size: 24px; font-weight: 700; }
.total .label { color: #52606d; font-size: 13px; }
table { border-collapse: collapse; width: 100%; background: #fff; font-size: 14px; }
th, td { border: 1px solid #d9e2ec; padding: 6px 8px; text-align: left; vertical-align: top; }
th { background: #f0f4f8; }
td.number { text-align: right; white-space: nowrap; }
td.value { font-family: Menlo, Consolas, monospace; min-width: 14em; overflow-wrap: anywhere; }
td.line { text-align: right; white-space: nowrap; }
code { font-family: Menlo, Consolas, monospace; background: #f0f4f8; padding: 1px 4px; border-radius: 3px;
       white-space: nowrap; }
a { color: #0b69a3; }
.advice { background: #fff; border-left: 4px solid #2680c2; padding: 8px 12px; margin: 6px 0 10px; }
svg text { font-family: inherit; font-size: 13px; fill: #1f2933; }
"""


def write_html_report(path: Path, summary: RunSummary, tally: ProblemTally, redacted: bool) -> None:
    """Write the report page for one run, owner-readable only."""
    sections = [
        _header(summary, redacted),
        _totals(summary),
        _problems_by_code(tally),
        _chart_section("Problems by field", tally.by_field),
        _examples(tally),
        _files(summary),
    ]
    page = (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>twc-import {escape(summary.command)} report</title>\n<style>{_STYLE}</style>\n</head>\n"
        f"<body>\n<main>\n{''.join(sections)}</main>\n</body>\n</html>\n"
    )
    with open_private(path, encoding="utf-8") as handle:
        handle.write(page)


def _header(summary: RunSummary, redacted: bool) -> str:
    inputs = ", ".join(summary.inputs)
    lines = [
        f"<h1>twc-import {escape(summary.command)} report</h1>",
        f"<p class=\"meta\">Inputs: {escape(inputs)}<br>Mapping: {escape(summary.mapping)}<br>"
        f"Started {escape(summary.started_at)}, finished {escape(summary.finished_at or '')}</p>",
        f"<p><span class=\"status {_status_class(summary)}\">{escape(_status_text(summary))}</span></p>",
    ]
    if redacted:
        lines.append("<p class=\"meta\">Email addresses and phone numbers are masked in this report.</p>")
    return "\n".join(lines) + "\n"


def _status_class(summary: RunSummary) -> str:
    return {0: "ok", 1: "warn"}.get(summary.exit_code, "stop")


def _status_text(summary: RunSummary) -> str:
    if summary.aborted_reason:
        return f"Aborted: {summary.aborted_reason}. Exit status {summary.exit_code}."
    if summary.exit_code == 0:
        return "Every row is in. Exit status 0."
    return "Some rows did not get in: fix them in rejects.csv and import that file again. Exit status 1."


def _totals(summary: RunSummary) -> str:
    if summary.command == "validate":
        figures = [("Rows read", summary.rows_read), ("Valid", summary.rows_valid), ("Rejected", summary.rows_rejected)]
    else:
        figures = [
            ("Rows read", summary.rows_read),
            ("Sent", summary.rows_sent),
            ("Accepted", summary.rows_accepted),
            ("Rejected", summary.rows_rejected),
            ("Failed", summary.rows_failed),
        ]
    cards = "".join(
        f"<div class=\"total\"><div class=\"number\">{count:,}</div><div class=\"label\">{escape(label)}</div></div>"
        for label, count in figures
    )
    return f"<h2>Totals</h2>\n<div class=\"totals\">{cards}</div>\n"


def _problems_by_code(tally: ProblemTally) -> str:
    if not tally.by_code:
        return "<h2>Problems by code</h2>\n<p>No problems found.</p>\n"
    rows = "".join(
        f"<tr><td><a href=\"#{escape(code)}\"><code>{escape(code)}</code></a></td><td class=\"number\">{count:,}</td>"
        f"<td>{escape(advice_for(code))}</td></tr>"
        for code, count in tally.by_code.most_common()
    )
    table = f"<table><tr><th>Code</th><th>Problems</th><th>What to do</th></tr>{rows}</table>\n"
    return _chart_section("Problems by code", tally.by_code) + table


def _chart_section(title: str, counts: Counter) -> str:
    if not counts:
        return ""
    return f"<h2>{escape(title)}</h2>\n{_bar_chart(title, counts)}\n"


def _bar_chart(title: str, counts: Counter) -> str:
    """Draw a horizontal bar per entry as inline SVG, largest first."""
    entries = counts.most_common(_MAX_BARS)
    largest = entries[0][1]
    bar_space = _CHART_WIDTH - _LABEL_WIDTH - 80
    height = len(entries) * (_BAR_HEIGHT + 6) + 6

    bars = []
    for index, (label, count) in enumerate(entries):
        top = 6 + index * (_BAR_HEIGHT + 6)
        width = max(2, round(bar_space * count / largest))
        middle = top + _BAR_HEIGHT / 2 + 4
        bars.append(
            f"<text x=\"{_LABEL_WIDTH - 8}\" y=\"{middle}\" text-anchor=\"end\">{escape(_shorten(label))}</text>"
            f"<rect x=\"{_LABEL_WIDTH}\" y=\"{top}\" width=\"{width}\" height=\"{_BAR_HEIGHT}\" fill=\"#2680c2\"/>"
            f"<text x=\"{_LABEL_WIDTH + width + 6}\" y=\"{middle}\">{count:,}</text>"
        )
    hidden = len(counts) - len(entries)
    note = f"<p class=\"meta\">{hidden} more not drawn; see the table.</p>" if hidden > 0 else ""
    return (
        f"<svg role=\"img\" aria-label=\"{escape(title)}\" width=\"{_CHART_WIDTH}\" height=\"{height}\" "
        f"viewBox=\"0 0 {_CHART_WIDTH} {height}\" xmlns=\"http://www.w3.org/2000/svg\">{''.join(bars)}</svg>{note}"
    )


def _shorten(label: str, limit: int = 36) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "\u2026"


def _examples(tally: ProblemTally) -> str:
    if not tally.examples:
        return ""
    parts = [f"<h2>Examples</h2>\n<p class=\"meta\">The first {MAX_EXAMPLES} problems of each code, in input order.</p>\n"]
    for code, count in tally.by_code.most_common():
        rows = "".join(
            f"<tr><td>{escape(example.source)}</td><td class=\"line\">{example.line}</td>"
            f"<td>{escape(example.field)}</td><td class=\"value\">{escape(example.value)}</td>"
            f"<td>{escape(example.message)}</td></tr>"
            for example in tally.examples.get(code, [])
        )
        parts.append(
            f"<h3 id=\"{escape(code)}\"><code>{escape(code)}</code>: {count:,}</h3>\n"
            f"<div class=\"advice\">What to do: {escape(advice_for(code))}</div>\n"
            "<table><tr><th>Input</th><th>Line</th><th>Field</th><th>Value</th><th>Message</th></tr>"
            f"{rows}</table>\n"
        )
    return "".join(parts)


def _files(summary: RunSummary) -> str:
    out_dir = Path(summary.out_dir)
    items = [
        ("rejects.csv", "every row that did not get in, with its problems; fix the values and import this file again"),
        ("errors.csv", "one line per problem, for sorting and filtering"),
        ("summary.json", "the counts of this run"),
    ]
    listed = "".join(f"<li><code>{escape(str(out_dir / name))}</code>: {escape(text)}</li>" for name, text in items)
    return f"<h2>Files</h2>\n<ul>{listed}</ul>\n"
