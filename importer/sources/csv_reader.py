"""Read CSV exports as text, record by record, in chunks.

The standard library's csv module does the parsing: it keeps every value as
the exact text written (no type inference, no missing-value words) and lets us
track the physical line on which each record starts, also when a quoted field
holds line breaks.
"""

from __future__ import annotations

import codecs
import csv
import logging
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from importer.sources.errors import SourceError
from importer.sources.records import Chunk, MalformedRecord

logger = logging.getLogger(__name__)

DEFAULT_CHUNK_SIZE = 50_000
ENCODING = "utf-8-sig"  # UTF-8, with or without a byte order mark

# A field larger than the csv module's default limit (128 KiB) is still text
# we must keep, such as a long note.
csv.field_size_limit(64 * 1024 * 1024)


def read_header(path: Path) -> list[str]:
    """Read and check the header row of a CSV file."""
    with _open(path) as handle:
        reader = csv.reader(handle)
        header = _next_record(reader, path)
    if header is None:
        raise SourceError(f"{path}: the file is empty; export it again with its header row.")
    check_header(path, header)
    return header


def check_header(path: Path, header: list[str]) -> None:
    blank = [str(position) for position, name in enumerate(header, start=1) if not name.strip()]
    if blank:
        raise SourceError(
            f"{path}: line 1: the header has empty column names at position(s) "
            f"{', '.join(blank)}; give every column a name."
        )

    seen: dict[str, int] = {}
    repeated = []
    for name in header:
        seen[name] = seen.get(name, 0) + 1
        if seen[name] == 2:
            repeated.append(name)
    if repeated:
        names = ", ".join(f"'{name}'" for name in repeated)
        raise SourceError(f"{path}: line 1: the header repeats the column name(s) {names}; rename them.")


def read_chunks(
    path: Path, source_index: int = 0, chunk_size: int = DEFAULT_CHUNK_SIZE
) -> Iterator[Chunk]:
    """Yield the records after the header in chunks of at most ``chunk_size``."""
    with _open(path) as handle:
        reader = csv.reader(handle)
        header = _next_record(reader, path)
        if header is None:
            return
        builder = _ChunkBuilder(str(path), source_index, header)
        previous_line = reader.line_num

        while True:
            record = _next_record(reader, path)
            if record is None:
                break
            builder.add(record, previous_line + 1)
            previous_line = reader.line_num
            if builder.size >= chunk_size:
                yield builder.build()
        if builder.size or builder.blank_lines or builder.malformed:
            yield builder.build()


class _ChunkBuilder:
    def __init__(self, source: str, source_index: int, header: list[str]):
        self.source = source
        self.source_index = source_index
        self.header = header
        self._reset()

    def _reset(self) -> None:
        self.rows: list[list[str]] = []
        self.lines: list[int] = []
        self.malformed: list[MalformedRecord] = []
        self.blank_lines = 0

    @property
    def size(self) -> int:
        return len(self.rows) + len(self.malformed)

    def add(self, record: list[str], line: int) -> None:
        if not record:
            self.blank_lines += 1
        elif len(record) != len(self.header):
            self.malformed.append(MalformedRecord(line, record, len(self.header)))
        else:
            self.rows.append(record)
            self.lines.append(line)

    def build(self) -> Chunk:
        frame = pd.DataFrame(self.rows, columns=self.header, dtype=object)
        if not self.rows:
            frame = pd.DataFrame({name: pd.Series([], dtype=object) for name in self.header})
        chunk = Chunk(self.source, self.source_index, frame, self.lines, self.malformed, self.blank_lines)
        self._reset()
        return chunk


def _open(path: Path):
    try:
        return open(path, newline="", encoding=ENCODING)
    except FileNotFoundError:
        raise SourceError(f"{path}: file not found; check the path.") from None
    except IsADirectoryError:
        raise SourceError(f"{path}: is a folder; give the export file itself.") from None
    except PermissionError:
        raise SourceError(f"{path}: permission denied; check the file's permissions.") from None


def _next_record(reader, path: Path) -> list[str] | None:
    try:
        return next(reader)
    except StopIteration:
        return None
    except UnicodeDecodeError as exc:
        line, byte = _locate_decode_error(path)
        raise SourceError(
            f"{path}: line {line}: byte {byte} is not valid UTF-8; "
            f"save the export as UTF-8 (in Excel: CSV UTF-8) and run again."
        ) from exc
    except csv.Error as exc:
        raise SourceError(f"{path}: line {reader.line_num}: the CSV cannot be parsed: {exc}.") from exc


def _locate_decode_error(path: Path, block_size: int = 1 << 20) -> tuple[int, str]:
    """Find the line and the value of the first byte that is not valid UTF-8.

    The text layer decodes ahead in blocks, so the csv reader's line count
    cannot tell where the bad byte is; this rescans the raw bytes.
    """
    decoder = codecs.getincrementaldecoder("utf-8")()
    line = 1
    with open(path, "rb") as handle:
        while block := handle.read(block_size):
            try:
                decoder.decode(block)
            except UnicodeDecodeError as exc:
                # The decoder may hold up to three bytes of the previous block.
                start = max(exc.start - len(exc.object) + len(block), 0)
                line += block.count(b"\n", 0, start) + _lone_carriage_returns(block[:start])
                return line, f"0x{block[start]:02X}"
            line += block.count(b"\n") + _lone_carriage_returns(block)
    return line, "?"


def _lone_carriage_returns(data: bytes) -> int:
    return data.count(b"\r") - data.count(b"\r\n")
