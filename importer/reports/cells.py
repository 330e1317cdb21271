"""Keep CSV cells inert in spreadsheets, and restore them when read back.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a
tab or carriage return before one) as a formula. The report writers put an
apostrophe before such a value; a value that already starts with an
apostrophe gets one too, so reading a report back can remove exactly one
apostrophe and return every value unchanged.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")
ESCAPE = "'"

# A rejects file ends with these columns; an input whose header ends with them
# is read back with its cells restored.
META_COLUMNS = ("_source", "_line", "_errors")


def escape_cell(value: str) -> str:
    return ESCAPE + value if value.startswith(FORMULA_STARTS) else value


def unescape_cell(value: str) -> str:
    return value[1:] if value.startswith(ESCAPE) else value


def is_rejects_header(header: list[str]) -> bool:
    return tuple(header[-len(META_COLUMNS):]) == META_COLUMNS
