"""Keep CSV cells inert and unchanged in spreadsheets, and restore them when read back.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a
tab or carriage return before one) as a formula. It also reads number-like
text as a number, and writes that number back in its own form when the file is
saved: LibreOffice Calc 7.4 turns ``0412345678`` into ``412345678``, ``10.50``
into ``10.5``, ``1e5`` into ``100000``, a 20-digit id into ``1.2E+019`` and
``12:30`` into ``12:30:00 PM``, ``$5`` into ``$5.00`` and ``1/2`` into
``01/02/26``.

NOTE: the forms escaped here are those Calc converts in the en-US locale.
A spreadsheet in another locale may read more text as numbers or dates.

The writers put an apostrophe before such a value. LibreOffice keeps that
apostrophe as part of the text, so the cell is neither run nor converted, and
a file saved from the spreadsheet still carries it. In rejects.csv a value
that already starts with an apostrophe gets one too, so reading the file back
removes exactly one apostrophe and returns every value unchanged.
"""

from __future__ import annotations

import re

ESCAPE = "'"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ROUND_TRIP_STARTS = (*FORMULA_STARTS, ESCAPE)

# Text a spreadsheet may read as a number, a date or a time of day.
_NUMBER_LIKE = re.compile(r"[+-]?[$\u20ac\u00a3\u00a5]?\s?[\d.,]*\d[\d.,]*(?:[eE][+-]?\d+)?%?")
_TIME = r"\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:\s*[AaPp][Mm])?"
_DATE = r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}|\d{1,2}[-/]\d{1,2}"
_DATE_OR_TIME_LIKE = re.compile(rf"(?:(?:{_DATE})(?:[ T]{_TIME})?|{_TIME})")
# Numbers a spreadsheet writes back exactly as read: no leading or trailing
# zeros, no separators, and at most 15 digits (a double's exact precision).
_STABLE_NUMBER = re.compile(r"(?:0|[1-9]\d*)(?:\.\d*[1-9])?")
_MAX_STABLE_DIGITS = 15

# A rejects file ends with these columns. An input whose header contains any of
# them is read back with its cells restored, so deleting some of them in a
# spreadsheet before importing the file again changes no value.
META_COLUMNS = ("_source", "_line", "_errors")


def escape_cell(value: str) -> str:
    """Escape a rejects.csv cell so that it survives a spreadsheet and ``unescape_cell`` restores it."""
    if value.startswith(ROUND_TRIP_STARTS) or _changes_in_spreadsheet(value):
        return ESCAPE + value
    return value


def guard_cell(value: str) -> str:
    """Keep a cell of a report that is never read back (errors.csv) from running as a formula."""
    return ESCAPE + value if value.startswith(FORMULA_STARTS) else value


def unescape_cell(value: str) -> str:
    return value[1:] if value.startswith(ESCAPE) else value


def is_rejects_header(header: list[str]) -> bool:
    """Tell whether a header is a rejects file's, also after someone deleted some of its extra columns."""
    return any(name in META_COLUMNS for name in header)


def _changes_in_spreadsheet(value: str) -> bool:
    if _DATE_OR_TIME_LIKE.fullmatch(value):
        return True
    if not _NUMBER_LIKE.fullmatch(value):
        return False
    digits = sum(character.isdigit() for character in value)
    return not (_STABLE_NUMBER.fullmatch(value) and digits <= _MAX_STABLE_DIGITS)
