"""Find keys that repeat anywhere in a run, with memory that does not grow with it.

A first pass over every input records a 128-bit hash of each key (two
independent 64-bit hashes) with the row's input and line, spread over
partition files on disk. The key text goes to a companion file of each
partition. ``finish`` then sorts one partition at a time and keeps only the
hashes seen more than once, which is a small set. For those few groups it
reads the key texts back and splits a group whose texts differ, so a hash
collision can never make two different keys look like duplicates. The second
pass looks up, chunk by chunk, the rows that belong to such a group.

Memory holds one partition's hashes at a time plus the places and texts of
the repeated keys; every other key stays on disk.
"""

from __future__ import annotations

import mmap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from importer.customer import UNIQUE_FIELDS
from importer.validation.problems import Problem

PARTITION_BITS = 4
_HASH_KEYS = ("twc-import-key-1", "twc-import-key-2")
# offset and length locate the key's UTF-8 text in the partition's text file.
_RECORD = np.dtype(
    [("h1", "<u8"), ("h2", "<u8"), ("source", "<u4"), ("line", "<u8"), ("offset", "<u8"), ("length", "<u4")]
)
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
        # field -> (h1, h2) -> key text -> group; only keys seen more than once.
        self._groups: dict[str, dict[tuple[int, int], dict[str, _Group]]] = {}
        self._group_h1: dict[str, np.ndarray] = {}
        work_dir.mkdir(parents=True, exist_ok=True)

    # First pass

    def add(self, frame: pd.DataFrame, source_index: int, lines: Sequence[int]) -> None:
        """Record the keys of one mapped chunk."""
        for field in UNIQUE_FIELDS:
            hashed = _hashed_keys(frame, field)
            if hashed is None:
                continue
            present, keys, h1, h2 = hashed
            records = np.empty(len(h1), dtype=_RECORD)
            records["h1"], records["h2"] = h1, h2
            records["source"] = source_index
            records["line"] = np.asarray(lines, dtype=np.uint64)[present]
            texts = keys.str.encode("utf-8").to_numpy(dtype=object)
            records["length"] = np.fromiter(map(len, texts), dtype=np.uint32, count=len(texts))
            self._append(field, records, texts)

    def _append(self, field: str, records: np.ndarray, texts: np.ndarray) -> None:
        partitions = records["h1"] >> np.uint64(64 - PARTITION_BITS)
        for partition in np.unique(partitions):
            selected = np.flatnonzero(partitions == partition)
            block = records[selected]
            text_path = self._text_path(field, int(partition))
            start = text_path.stat().st_size if text_path.exists() else 0
            block["offset"] = start + np.concatenate(([0], np.cumsum(block["length"][:-1], dtype=np.uint64)))
            with open(text_path, "ab") as handle:
                handle.write(b"".join(texts[selected].tolist()))
            with open(self._partition_path(field, int(partition)), "ab") as handle:
                block.tofile(handle)

    def _partition_path(self, field: str, partition: int) -> Path:
        return self.work_dir / f"{field}.{partition:02d}.keys"

    def _text_path(self, field: str, partition: int) -> Path:
        return self.work_dir / f"{field}.{partition:02d}.text"

    def finish(self) -> None:
        """Find the repeated keys; call once, after the first pass."""
        for field in UNIQUE_FIELDS:
            groups: dict[tuple[int, int], dict[str, _Group]] = {}
            for partition in range(1 << PARTITION_BITS):
                path = self._partition_path(field, partition)
                text_path = self._text_path(field, partition)
                if path.exists():
                    groups.update(_repeated_groups(np.fromfile(path, dtype=_RECORD), text_path))
                    path.unlink()
                    text_path.unlink()
            self._groups[field] = groups
            self._group_h1[field] = np.array(sorted({h1 for h1, _ in groups}), dtype=np.uint64)

    # Second pass

    def find_problems(
        self, frame: pd.DataFrame, source_index: int, lines: Sequence[int]
    ) -> dict[int, list[Problem]]:
        """Return a duplicate problem for each row the policy rejects, by row position."""
        problems: dict[int, list[Problem]] = {}
        for field, code in UNIQUE_FIELDS.items():
            if not len(self._group_h1.get(field, ())):
                continue
            hashed = _hashed_keys(frame, field)
            if hashed is None:
                continue
            _, keys, h1, h2 = hashed
            candidates = np.flatnonzero(np.isin(h1, self._group_h1[field]))
            for offset in candidates:
                by_text = self._groups[field].get((int(h1[offset]), int(h2[offset])), {})
                group = by_text.get(keys.iloc[offset])
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


def _hashed_keys(frame: pd.DataFrame, field: str) -> tuple[np.ndarray, pd.Series, np.ndarray, np.ndarray] | None:
    """Return the mask of rows with a key, those keys and their two hashes; None when no row has one."""
    if field not in frame.columns:
        return None
    present = frame[field].notna().to_numpy()
    if not present.any():
        return None
    keys = frame[field][present]
    h1, h2 = _hash(keys)
    return present, keys, h1, h2


def _hash(keys: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    first = pd.util.hash_pandas_object(keys, index=False, hash_key=_HASH_KEYS[0]).to_numpy()
    second = pd.util.hash_pandas_object(keys, index=False, hash_key=_HASH_KEYS[1]).to_numpy()
    return first, second


def _repeated_groups(records: np.ndarray, text_path: Path) -> dict[tuple[int, int], dict[str, _Group]]:
    """Group the records whose keys repeat, by hash and then by the key text itself."""
    if len(records) < 2:
        return {}
    records = records[np.lexsort((records["line"], records["source"], records["h2"], records["h1"]))]
    same_as_next = (records["h1"][1:] == records["h1"][:-1]) & (records["h2"][1:] == records["h2"][:-1])
    if not same_as_next.any():
        return {}

    groups = {}
    starts = np.flatnonzero(np.concatenate(([True], ~same_as_next)))
    ends = np.append(starts[1:], len(records))
    with open(text_path, "rb") as handle:
        # mmap cannot map an empty file, which is what a run of empty keys leaves.
        texts = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) if text_path.stat().st_size else b""
        for start, end in zip(starts, ends):
            if end - start > 1:
                block = records[start:end]
                by_text = _split_by_text(block, texts)
                if by_text:
                    groups[(int(block["h1"][0]), int(block["h2"][0]))] = by_text
        if isinstance(texts, mmap.mmap):
            texts.close()
    return groups


def _split_by_text(block: np.ndarray, texts: mmap.mmap | bytes) -> dict[str, _Group]:
    """Split one hash group by key text; a text seen only once is a hash collision, not a duplicate."""
    places: dict[str, list[tuple[int, int]]] = {}
    for record in block:
        offset, length = int(record["offset"]), int(record["length"])
        text = texts[offset:offset + length].decode("utf-8")
        places.setdefault(text, []).append((int(record["source"]), int(record["line"])))
    return {text: _Group(tuple(found)) for text, found in places.items() if len(found) > 1}
