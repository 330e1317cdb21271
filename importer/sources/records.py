"""Records and chunks that the reading stage passes to the rest of the pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

DEFAULT_CHUNK_SIZE = 50_000


@dataclass(frozen=True, slots=True)
class MalformedRecord:
    """A record that cannot be split into the header's columns.

    For delimited text it has more or fewer fields than the header; for JSON
    it is not an object, or not valid JSON at all. ``message`` explains the
    problem when the field counts alone do not.
    """

    line: int
    values: list[str]
    expected: int
    message: str | None = None


@dataclass(slots=True)
class Chunk:
    """Consecutive records of one input, every value kept as the text written.

    ``frame`` has one column per header name and a RangeIndex; ``lines`` gives
    the 1-based line on which each record starts (for a JSON array, the
    record number; for a workbook, the sheet's row number). ``bytes_read`` is
    how far into the input the reader got, for progress reports.
    """

    source: str
    source_index: int
    frame: pd.DataFrame
    lines: list[int]
    malformed: list[MalformedRecord] = field(default_factory=list)
    blank_lines: int = 0
    bytes_read: int = 0


def text_frame(values: list[str], header: list[str]) -> pd.DataFrame:
    """Build a chunk's frame from its values laid out record after record, one column per header name."""
    rows = len(values) // len(header) if header else 0
    return pd.DataFrame(np.array(values, dtype=object).reshape(rows, len(header)), columns=header, copy=False)
