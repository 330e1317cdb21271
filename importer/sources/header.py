"""Check a header row before any record is read."""

from __future__ import annotations

import re
from collections.abc import Callable

from importer.sources.errors import SourceError

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_NUMBER = re.compile(r"[+-]?\d[\d ]*(?:[.,]\d+)?")
_DATE = re.compile(
    r"(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?\S*)?"
)


def position_label(position: int) -> str:
    return str(position)


def check_header(
    name: str,
    where: str,
    header: list[str],
    label: Callable[[int], str] = position_label,
    columns_word: str = "at position(s)",
) -> None:
    """Raise SourceError for a header with empty or repeated names, or one that looks like data.

    ``where`` names the header's place (``line 1``), and ``label`` turns a
    1-based column position into its name for the message (a spreadsheet
    column letter, for example).
    """
    blank = [label(position) for position, column in enumerate(header, start=1) if not column.strip()]
    if blank:
        raise SourceError(
            f"{name}: {where}: the header has empty column names {columns_word} "
            f"{', '.join(blank)}; give every column a name."
        )

    seen: dict[str, int] = {}
    repeated = []
    for column in header:
        seen[column] = seen.get(column, 0) + 1
        if seen[column] == 2:
            repeated.append(column)
    if repeated:
        names = ", ".join(f"'{column}'" for column in repeated)
        raise SourceError(f"{name}: {where}: the header repeats the column name(s) {names}; rename them.")

    data = [
        f"column {label(position)} '{column}' is {kind}"
        for position, column in enumerate(header, start=1)
        if (kind := data_kind(column))
    ]
    if data:
        raise SourceError(
            f"{name}: {where} looks like data, not a header: {', '.join(data)}; "
            "add the header row with the column names at the top and run again."
        )


def data_kind(cell: str) -> str | None:
    """Say what a header cell is if it is a value no column name would be: an email address, a number or a date."""
    text = cell.strip()
    if _EMAIL.fullmatch(text):
        return "an email address"
    if _DATE.fullmatch(text):
        return "a date"
    if _NUMBER.fullmatch(text):
        return "a number"
    return None
