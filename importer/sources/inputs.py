"""Turn the command line's INPUT arguments into a list of readable inputs."""

from __future__ import annotations

import glob
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from importer.reports.cells import is_rejects_header, unescape_cell
from importer.sources import csv_reader
from importer.sources.errors import SourceError
from importer.sources.records import Chunk

STDIN_ARGUMENT = "-"
STDIN_NAME = "<stdin>"


@dataclass(frozen=True)
class Input:
    """One input file of a run, with its header already read and checked."""

    index: int
    name: str
    path: Path
    header: list[str]

    @property
    def is_rejects_file(self) -> bool:
        """Tell whether this input is a rejects file written by an earlier run."""
        return is_rejects_header(self.header)

    def chunks(self, chunk_size: int = csv_reader.DEFAULT_CHUNK_SIZE) -> Iterator[Chunk]:
        for chunk in csv_reader.read_chunks(self.path, self.index, chunk_size):
            chunk.source = self.name
            if self.is_rejects_file:
                chunk.frame = chunk.frame.map(unescape_cell)
            yield chunk


def resolve_inputs(arguments: list[str], spool_dir: Path) -> list[Input]:
    """Expand paths, globs and ``-`` into inputs, in the order given.

    Standard input is copied to ``spool_dir`` first, because every input is
    read twice: once to find duplicate keys across the whole run, then to
    process its rows.
    """
    paths: list[tuple[str, Path]] = []
    for argument in arguments:
        paths.extend(_expand(argument, spool_dir))

    inputs = []
    for index, (name, path) in enumerate(paths):
        inputs.append(Input(index, name, path, csv_reader.read_header(path)))
    return inputs


def _expand(argument: str, spool_dir: Path) -> list[tuple[str, Path]]:
    if argument == STDIN_ARGUMENT:
        spooled = spool_dir / "stdin.csv"
        with open(spooled, "wb") as target:
            shutil.copyfileobj(sys.stdin.buffer, target)
        return [(STDIN_NAME, spooled)]

    if glob.has_magic(argument):
        matches = sorted(glob.glob(argument))
        if not matches:
            raise SourceError(f"{argument}: no file matches this pattern; check the path.")
        return [(match, Path(match)) for match in matches]

    return [(argument, Path(argument))]
