"""Read delimited text (CSV, TSV, semicolon or pipe separated) as text, record by record, in chunks.

The standard library's csv module does the parsing: it keeps every value as
the exact text written (no type inference, no missing-value words) and lets us
track the physical line on which each record starts, also when a quoted field
contains line breaks. CRLF, LF and CR line endings are all read.
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from importer.sources.compression import OpenedSource, Source
from importer.sources.detect import SAMPLE_SIZE, decode_error, detect_delimiter, detect_encoding, text_codec
from importer.sources.errors import EmptyInput, SourceError
from importer.sources.header import check_header
from importer.sources.options import ReadOptions
from importer.sources.records import DEFAULT_CHUNK_SIZE, Chunk, MalformedRecord, text_frame

# A field larger than the csv module's default limit (128 KiB) is still text
# we must keep, such as a long note.
csv.field_size_limit(64 * 1024 * 1024)


class DelimitedReader:
    """Reads one delimited text input; the encoding and delimiter are detected unless given."""

    def __init__(self, source: Source, options: ReadOptions = ReadOptions()):
        self.source = source
        self.encoding_given = options.encoding is not None
        self.encoding = text_codec(options.encoding or detect_encoding(source))
        self.delimiter = options.delimiter or self._detect_delimiter()

    def _detect_delimiter(self) -> str:
        preferred = "\t" if self.source.inner_name.lower().endswith((".tsv", ".tab")) else ","
        with self.source.open() as opened:
            text = io.TextIOWrapper(opened.stream, encoding=self.encoding, newline="")
            sample = self._decoded(lambda: text.read(SAMPLE_SIZE))
            complete = self._decoded(lambda: not text.read(1))
        return detect_delimiter(sample, complete, preferred)

    def read_header(self) -> list[str]:
        """Read and check the header row; raise EmptyInput when the file contains nothing."""
        with self._open_text() as (_, reader):
            line, header = self._decoded(lambda: _header_record(reader))
        if header is None:
            raise EmptyInput(f"{self.source.name}: the file is empty; export it again with its header row.")
        check_header(self.source.name, f"line {line}", header)
        return header

    def read_chunks(self, source_index: int = 0, chunk_size: int = DEFAULT_CHUNK_SIZE) -> Iterator[Chunk]:
        """Yield the records after the header in chunks of at most ``chunk_size``."""
        with self._open_text() as (opened, reader):
            line, header = self._decoded(lambda: _header_record(reader))
            if header is None:
                return
            builder = _ChunkBuilder(self.source.name, source_index, header, reader.line_num)
            builder.blank_lines = line - 1
            while True:
                more = self._decoded(lambda: builder.fill(reader, chunk_size))
                if not more and builder.last_record_lines > 1:
                    self._check_last_quote_closed(builder.last_record_start)
                if builder.lines or builder.malformed or builder.blank_lines:
                    yield builder.build(opened.bytes_read)
                if not more:
                    return

    def _check_last_quote_closed(self, start_line: int) -> None:
        """Stop when the file ends inside a quoted field that opened on ``start_line``.

        The csv module then takes everything up to the end of the file as one
        value, which would turn the rest of the export into a single row.
        """
        with self.source.open() as opened:
            text = io.TextIOWrapper(opened.stream, encoding=self.encoding, newline="")
            rest = itertools.islice(text, start_line - 1, None)
            try:
                for _ in csv.reader(rest, delimiter=self.delimiter, strict=True):
                    pass
            except csv.Error:
                raise SourceError(
                    f"{self.source.name}: line {start_line}: a quoted field that opens on this line is never "
                    "closed, so the rest of the file would be read as one value; add the missing closing "
                    "quote (\") on this line, or remove the stray one."
                ) from None

    @contextmanager
    def _open_text(self) -> Iterator[tuple[OpenedSource, Iterator[list[str]]]]:
        with self.source.open() as opened:
            text = io.TextIOWrapper(opened.stream, encoding=self.encoding, newline="")
            yield opened, csv.reader(text, delimiter=self.delimiter)

    def _decoded(self, read):
        """Call ``read``, turning a decoding or parsing error into a SourceError that names the line."""
        try:
            return read()
        except UnicodeDecodeError as exc:
            raise decode_error(self.source, self.encoding, self.encoding_given) from exc
        except csv.Error as exc:
            raise SourceError(f"{self.source.name}: the text cannot be parsed: {exc}.") from exc



def _header_record(reader) -> tuple[int, list[str] | None]:
    """Return the header's line and fields, skipping blank lines before it; fields are None for an empty file."""
    line = 1
    for record in reader:
        if record:
            return line, record
        line = reader.line_num + 1
    return line, None


class _ChunkBuilder:
    """Collects records into a chunk.

    Values go into one flat list rather than a list per record: millions of
    short-lived lists make Python's cyclic garbage collector run over and
    over, which cost more than the parsing itself.
    """

    def __init__(self, source: str, source_index: int, header: list[str], header_end_line: int):
        self.source = source
        self.source_index = source_index
        self.header = header
        self.previous_line = header_end_line
        self.last_record_start = 0
        self.last_record_lines = 0
        self._reset()

    def _reset(self) -> None:
        self.values: list[str] = []
        self.lines: list[int] = []
        self.malformed: list[MalformedRecord] = []
        self.blank_lines = 0

    def fill(self, reader, chunk_size: int) -> bool:
        """Take up to ``chunk_size`` records; return False once the input is exhausted."""
        width = len(self.header)
        extend, add_line = self.values.extend, self.lines.append
        previous, records_taken = self.previous_line, 0
        for record in reader:
            line, previous = previous + 1, reader.line_num
            if len(record) == width:
                extend(record)
                add_line(line)
            elif not record:
                self.blank_lines += 1
                continue
            else:
                self.malformed.append(MalformedRecord(line, record, width))
            records_taken += 1
            if records_taken == chunk_size:
                self.previous_line = previous
                return True
        self.previous_line = previous
        if records_taken:
            self.last_record_start, self.last_record_lines = line, previous - line + 1
        return False

    def build(self, bytes_read: int) -> Chunk:
        frame = text_frame(self.values, self.header)
        chunk = Chunk(self.source, self.source_index, frame, self.lines, self.malformed, self.blank_lines, bytes_read)
        self._reset()
        return chunk


def read_header(path: Path, options: ReadOptions = ReadOptions()) -> list[str]:
    """Read and check the header of the delimited text file at ``path``."""
    return DelimitedReader(Source(str(path), path), options).read_header()


def read_chunks(
    path: Path, source_index: int = 0, chunk_size: int = DEFAULT_CHUNK_SIZE, options: ReadOptions = ReadOptions()
) -> Iterator[Chunk]:
    """Yield the records of the delimited text file at ``path`` in chunks."""
    return DelimitedReader(Source(str(path), path), options).read_chunks(source_index, chunk_size)
