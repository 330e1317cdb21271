"""Find keys that repeat anywhere in a run, with memory that does not grow with it.

A first pass over every input records a 128-bit hash of each key (two
independent 64-bit hashes) with the row's input and line, spread over
partition files on disk. ``finish`` then sorts one partition at a time and
keeps only the hashes seen more than once, which is a small set. The second
pass asks, chunk by chunk, which rows belong to such a group.

With 128 bits, two different keys sharing a hash is about as likely as
1 in 10^22 for 50 million keys, so groups are not re-checked against the text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from importer.customer import UNIQUE_FIELDS
from importer.validation.problems import Problem

PARTITION_BITS = 4
_HASH_KEYS = ("twc-import-key-1", "twc-import-key-2")
_RECORD = np.dtype([("h1", "<u8"), ("h2", "<u8"), ("source", "<u4"), ("line", "<u8")])
_MAX_LINES_NAMED = 10


@dataclass(frozen=True)
class _Group:
    places: tuple[tuple[int, int], ...]  # (source index, line), in input order


class DuplicateFinder:
    """Collects keys in a first pass and reports repeats in a second."""

    def __init__(self, work_dir: Path, source_names: Sequence[str], policy: str):
        self.work_dir = work_dir
        self.source_names = list(source_names)
        self.policy = policy
        self._groups: dict[str, dict[tuple[int, int], _Group]] = {}
        self._group_h1: dict[str, np.ndarray] = {}
        work_dir.mkdir(parents=True, exist_ok=True)

    # First pass

    def add(self, frame: pd.DataFrame, source_index: int, lines: Sequence[int]) -> None:
        """Record the keys of one mapped chunk."""
        for field in UNIQUE_FIELDS:
            if field not in frame.columns:
                continue
            present = frame[field].notna().to_numpy()
            if not present.any():
                continue
            h1, h2 = _hash(frame[field][present])
            records = np.empty(len(h1), dtype=_RECORD)
            records["h1"], records["h2"] = h1, h2
            records["source"] = source_index
            records["line"] = np.asarray(lines, dtype=np.uint64)[present]
            self._append(field, records)

    def _append(self, field: str, records: np.ndarray) -> None:
        partitions = records["h1"] >> np.uint64(64 - PARTITION_BITS)
        for partition in np.unique(partitions):
            with open(self._partition_path(field, int(partition)), "ab") as handle:
                records[partitions == partition].tofile(handle)

    def _partition_path(self, field: str, partition: int) -> Path:
        return self.work_dir / f"{field}.{partition:02d}.keys"

    def finish(self) -> None:
        """Find the repeated keys; call once, after the first pass."""
        for field in UNIQUE_FIELDS:
            groups: dict[tuple[int, int], _Group] = {}
            for partition in range(1 << PARTITION_BITS):
                path = self._partition_path(field, partition)
                if path.exists():
                    groups.update(_repeated_groups(np.fromfile(path, dtype=_RECORD)))
                    path.unlink()
            self._groups[field] = groups
            self._group_h1[field] = np.array(sorted({h1 for h1, _ in groups}), dtype=np.uint64)

    # Second pass

    def find_problems(
        self, frame: pd.DataFrame, source_index: int, lines: Sequence[int]
    ) -> dict[int, list[Problem]]:
        """Return a duplicate problem for each row the policy rejects, by row position."""
        problems: dict[int, list[Problem]] = {}
        for field, code in UNIQUE_FIELDS.items():
            if field not in frame.columns or not len(self._group_h1.get(field, ())):
                continue
            present = frame[field].notna().to_numpy()
            if not present.any():
                continue
            keys = frame[field][present]
            h1, h2 = _hash(keys)
            candidates = np.flatnonzero(np.isin(h1, self._group_h1[field]))
            for offset in candidates:
                group = self._groups[field].get((int(h1[offset]), int(h2[offset])))
                if group is None:
                    continue
                position = keys.index[offset]
                place = (source_index, int(lines[position]))
                message = self._message(field, keys.iloc[offset], place, group)
                if message:
                    problems.setdefault(position, []).append(Problem(code, field, keys.iloc[offset], message))
        return problems

    def _message(self, field: str, value: str, place: tuple[int, int], group: _Group) -> str | None:
        others = [other for other in group.places if other != place]
        if self.policy == "keep-first":
            if place == group.places[0]:
                return None
            return f"{field} '{value}' is already on {self._describe([group.places[0]])}, which is imported instead (duplicates: keep-first)."
        if self.policy == "keep-last":
            if place == group.places[-1]:
                return None
            return f"{field} '{value}' appears again on {self._describe([group.places[-1]])}, which is imported instead (duplicates: keep-last)."
        return (
            f"{field} '{value}' is also on {self._describe(others)}; every row sharing it is rejected. "
            "Remove the extra rows, or set duplicates: keep-first or keep-last in the mapping."
        )

    def _describe(self, places: list[tuple[int, int]]) -> str:
        named = places[:_MAX_LINES_NAMED]
        by_source: dict[int, list[int]] = {}
        for source, line in named:
            by_source.setdefault(source, []).append(line)
        parts = []
        for source, source_lines in by_source.items():
            word = "line" if len(source_lines) == 1 else "lines"
            parts.append(f"{word} {', '.join(map(str, source_lines))} of {self.source_names[source]}")
        text = "; ".join(parts)
        if len(places) > len(named):
            text += f" and {len(places) - len(named)} more"
        return text


def _hash(keys: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    first = pd.util.hash_pandas_object(keys, index=False, hash_key=_HASH_KEYS[0]).to_numpy()
    second = pd.util.hash_pandas_object(keys, index=False, hash_key=_HASH_KEYS[1]).to_numpy()
    return first, second


def _repeated_groups(records: np.ndarray) -> dict[tuple[int, int], _Group]:
    if len(records) < 2:
        return {}
    records = records[np.lexsort((records["line"], records["source"], records["h2"], records["h1"]))]
    same_as_next = (records["h1"][1:] == records["h1"][:-1]) & (records["h2"][1:] == records["h2"][:-1])
    if not same_as_next.any():
        return {}

    groups = {}
    starts = np.flatnonzero(np.concatenate(([True], ~same_as_next)))
    ends = np.append(starts[1:], len(records))
    for start, end in zip(starts, ends):
        if end - start > 1:
            block = records[start:end]
            places = tuple((int(source), int(line)) for source, line in zip(block["source"], block["line"]))
            groups[(int(block["h1"][0]), int(block["h2"][0]))] = _Group(places)
    return groups
