"""What the reading stage hands to the rest of the pipeline."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd


@dataclass(frozen=True, slots=True)
class MalformedRecord:
    """A record whose number of fields differs from the header's."""

    line: int
    values: list[str]
    expected: int


@dataclass(slots=True)
class Chunk:
    """Consecutive records of one input, every value kept as the text written.

    ``frame`` has one column per header name and a RangeIndex; ``lines`` gives
    the 1-based line on which each record starts.
    """

    source: str
    source_index: int
    frame: pd.DataFrame
    lines: list[int]
    malformed: list[MalformedRecord] = field(default_factory=list)
    blank_lines: int = 0
