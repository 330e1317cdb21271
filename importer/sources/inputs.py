"""Turn the command line's INPUT arguments into a list of readable inputs."""

from __future__ import annotations

import glob
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from importer.reports.cells import is_rejects_header, unescape_cell
from importer.sources.compression import Source, expand_sources
from importer.sources.csv_reader import DelimitedReader
from importer.sources.detect import DELIMITED, WORKBOOK, detect_format
from importer.sources.errors import EmptyInput, SourceError
from importer.sources.json_reader import JsonReader
from importer.sources.options import ReadOptions
from importer.sources.records import DEFAULT_CHUNK_SIZE, Chunk
from importer.sources.xlsx_reader import WorkbookReader

STDIN_ARGUMENT = "-"
STDIN_NAME = "<stdin>"


class Reader(Protocol):
    """Reads one input of one format."""

    def read_header(self) -> list[str]:
        """Return the checked column names; raise EmptyInput when the input contains nothing."""

    def read_chunks(self, source_index: int, chunk_size: int) -> Iterator[Chunk]:
        """Yield the records after the header, in chunks."""


@dataclass(frozen=True)
class Input:
    """One input of a run, with its header already read and checked.

    ``empty`` gives the reason an input has no header at all (an empty file); such
    an input has an empty header and yields no chunks.
    """

    index: int
    name: str
    source: Source
    reader: Reader
    header: list[str]
    empty: str | None = None

    @property
    def is_rejects_file(self) -> bool:
        """Tell whether this input is a rejects file written by an earlier run."""
        return is_rejects_header(self.header)

    @property
    def size(self) -> int:
        """Return the bytes ``Chunk.bytes_read`` counts up to."""
        return self.source.size

    def chunks(self, chunk_size: int = DEFAULT_CHUNK_SIZE) -> Iterator[Chunk]:
        if self.empty:
            return
        for chunk in self.reader.read_chunks(self.index, chunk_size):
            chunk.source = self.name
            if self.is_rejects_file:
                chunk.frame = chunk.frame.map(unescape_cell)
            yield chunk


def resolve_inputs(arguments: list[str], spool_dir: Path, options: ReadOptions = ReadOptions()) -> list[Input]:
    """Expand paths, globs, ``-`` and zip archives into inputs, in the order given.

    Standard input is copied to ``spool_dir`` first, because every input is
    read twice: once to find duplicate keys across the whole run, then to
    process its rows.
    """
    sources: list[Source] = []
    for argument in arguments:
        for name, path in _expand(argument, spool_dir):
            sources.extend(expand_sources(name, path))

    inputs = []
    for index, source in enumerate(sources):
        reader = open_reader(source, options)
        try:
            inputs.append(Input(index, source.name, source, reader, reader.read_header()))
        except EmptyInput as exc:
            inputs.append(Input(index, source.name, source, reader, [], empty=str(exc)))
    return inputs


def open_reader(source: Source, options: ReadOptions = ReadOptions()) -> Reader:
    """Return the reader for a source's format, as its name and first bytes tell."""
    kind = detect_format(source)
    if kind == WORKBOOK:
        return WorkbookReader(source, options)
    if kind == DELIMITED:
        return DelimitedReader(source, options)
    return JsonReader(source, kind, options)


def _expand(argument: str, spool_dir: Path) -> list[tuple[str, Path]]:
    if argument == STDIN_ARGUMENT:
        # No suffix, so the format is detected from the content.
        spooled = spool_dir / "stdin"
        with open(spooled, "wb") as target:
            shutil.copyfileobj(sys.stdin.buffer, target)
        return [(STDIN_NAME, spooled)]

    if glob.has_magic(argument):
        matches = sorted(glob.glob(argument))
        if not matches:
            raise SourceError(f"{argument}: no file matches this pattern; check the path.")
        return [(match, Path(match)) for match in matches]

    return [(argument, Path(argument))]
