"""Read an Excel workbook's sheet as text records, with python-calamine.

Cells become the text a person reads in them: a number as its digits, with
no trailing ``.0`` and no exponent (Excel keeps 15 significant digits, and so
does this); a date as ``yyyy-mm-dd``; a date with a time as
``yyyy-mm-dd hh:mm:ss``; TRUE and FALSE as written. A record's line is the
sheet's row number.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from decimal import Decimal

import python_calamine

from importer.sources.compression import Source
from importer.sources.errors import EmptyInput, SourceError
from importer.sources.header import check_header
from importer.sources.options import ReadOptions
from importer.sources.records import DEFAULT_CHUNK_SIZE, Chunk, text_frame


class WorkbookReader:
    """Reads the first visible sheet of a workbook, or the one named by ``--sheet``.

    NOTE: calamine loads the whole sheet into memory before the first row is
    read, so a workbook's memory use grows with its size (an .xlsx sheet
    contains at most 1,048,576 rows).
    """

    def __init__(self, source: Source, options: ReadOptions = ReadOptions()):
        self.source = source
        self.sheet_name = options.sheet

    def read_header(self) -> list[str]:
        rows, first_row = self._rows()
        for number, row in enumerate(rows, start=first_row):
            if any(cell != "" for cell in row):
                header = [cell_text(cell) for cell in row]
                check_header(self.source.name, f"sheet '{self._sheet}' row {number}", header, column_letter, "in column(s)")
                return header
        raise EmptyInput(f"{self.source.name}: sheet '{self._sheet}' is empty; export it again with its header row.")

    def read_chunks(self, source_index: int = 0, chunk_size: int = DEFAULT_CHUNK_SIZE) -> Iterator[Chunk]:
        rows, first_row = self._rows()
        size = self.source.size
        header: list[str] | None = None
        values: list[str] = []
        lines: list[int] = []
        blank = 0
        for number, row in enumerate(rows, start=first_row):
            if not any(cell != "" for cell in row):
                blank += 1
                continue
            if header is None:
                header = [cell_text(cell) for cell in row]
                continue
            values.extend(cell_text(cell) for cell in row)
            lines.append(number)
            if len(lines) == chunk_size:
                yield self._chunk(source_index, header, values, lines, blank, size * (number - first_row + 1) // self._height)
                values, lines, blank = [], [], 0
        if header is not None and (lines or blank):
            yield self._chunk(source_index, header, values, lines, blank, size)

    def _chunk(self, source_index, header, values, lines, blank, bytes_read) -> Chunk:
        return Chunk(self.source.name, source_index, text_frame(values, header), lines, [], blank, bytes_read)

    def _rows(self) -> tuple[Iterator[list], int]:
        """Return the sheet's rows and the sheet row number of the first one."""
        try:
            with self.source.open() as opened:
                workbook = python_calamine.CalamineWorkbook.from_filelike(opened.stream)
            sheet = workbook.get_sheet_by_name(self._choose_sheet(workbook))
        except python_calamine.CalamineError as exc:
            raise SourceError(
                f"{self.source.name}: the workbook cannot be read ({exc}); open it in Excel and save it "
                "again as .xlsx, or save the sheet as CSV UTF-8."
            ) from exc
        self._sheet = sheet.name
        self._height = max(sheet.height, 1)
        return sheet.iter_rows(), sheet.start[0] + 1 if sheet.start else 1

    def _choose_sheet(self, workbook) -> str:
        names = workbook.sheet_names
        if self.sheet_name is not None:
            if self.sheet_name not in names:
                listed = ", ".join(f"'{name}'" for name in names)
                raise SourceError(f"{self.source.name}: the workbook has no sheet '{self.sheet_name}'; its sheets are {listed}.")
            return self.sheet_name
        visible = [meta.name for meta in workbook.sheets_metadata if meta.visible == python_calamine.SheetVisibleEnum.Visible]
        if not visible and not names:
            raise EmptyInput(f"{self.source.name}: the workbook has no sheets; export it again.")
        return (visible or names)[0]


def cell_text(value) -> str:
    """Return the text of a cell value as calamine gives it."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return number_text(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="milliseconds" if value.microsecond else "seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.timedelta):
        hours, rest = divmod(int(value.total_seconds()), 3600)
        return f"{hours}:{rest // 60:02d}:{rest % 60:02d}"
    return str(value)


def number_text(value: float) -> str:
    """Write a number's digits without exponent or trailing zeros, to Excel's 15 significant digits."""
    if not math.isfinite(value):
        return str(value)
    text = format(Decimal(f"{value:.15g}"), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def column_letter(position: int) -> str:
    """Return the spreadsheet letter of a 1-based column position: 1 is A, 27 is AA."""
    letters = ""
    while position:
        position, remainder = divmod(position - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters
