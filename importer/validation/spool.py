"""Valid rows held on disk while the rest of the run is validated.

``import --max-reject-rate`` must judge every row before it sends any, so the
valid rows of the validation pass wait here, one JSON line each, and are read
back in input order for sending. Memory stays flat; the file is about as large
as the valid part of the input.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import orjson

from importer.reports.files import open_private


@dataclass(frozen=True)
class SpooledRow:
    """A valid row read back from the spool: where it came from, its source values and its customer."""

    source: str
    line: int
    record: dict[str, str]
    customer: dict


class RowSpool:
    """Append rows during validation, then read them back once."""

    def __init__(self, path: Path):
        self.path = path
        self._handle = open_private(path, mode="wb")

    def write(self, source: str, line: int, record: dict[str, str], customer: dict) -> None:
        self._handle.write(orjson.dumps([source, line, record, customer]) + b"\n")

    def rows(self) -> Iterator[SpooledRow]:
        """Close the spool for writing and yield its rows in the order written."""
        self._handle.close()
        with open(self.path, "rb") as handle:
            for text in handle:
                source, line, record, customer = orjson.loads(text)
                yield SpooledRow(source, line, record, customer)
