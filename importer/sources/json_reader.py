"""Read JSON and NDJSON exports as text records, streaming, in chunks.

A JSON input is an array of objects (``[{...}, {...}]``), or an object that
contains one (``{"customers": [{...}]}``); an NDJSON input has one object per
line. Each object is flattened: a nested object's fields become dotted
column names (``default_address.city``), and the items of an array are
numbered (``addresses.0.city``, ``addresses.1.city``). Every value is kept as
text: a number as its literal text in the file, true and false as ``true``
and ``false``; null is an empty value.

For a JSON array a record's line is its 1-based record number; for NDJSON it
is the line in the file.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

from importer.sources.compression import Source
from importer.sources.detect import NDJSON, decode_error, detect_encoding, text_codec
from importer.sources.errors import EmptyInput, SourceError
from importer.sources.options import ReadOptions
from importer.sources.records import DEFAULT_CHUNK_SIZE, Chunk, MalformedRecord, text_frame

BLOCK_SIZE = 1 << 20
MAX_RECORD_CHARACTERS = 64 * 1024 * 1024

_WHITESPACE = re.compile(r"[ \t\n\r]*")


def _keep_literal(text: str) -> str:
    return text


# Numbers keep the exact text written (1.50 stays 1.50, long IDs keep every digit).
_DECODER = json.JSONDecoder(parse_float=_keep_literal, parse_int=_keep_literal, parse_constant=_keep_literal)


@dataclass(frozen=True)
class _Record:
    """One record of a JSON input: its line or number, and its columns, or why it cannot be read."""

    line: int
    columns: dict[str, str] | None
    problem: str | None = None
    key: str | None = None  # the key of the array that contains it, in a wrapping object


class JsonReader:
    """Reads one JSON or NDJSON input."""

    def __init__(self, source: Source, kind: str, options: ReadOptions = ReadOptions()):
        self.source = source
        self.kind = kind
        self.encoding_given = options.encoding is not None
        self.encoding = text_codec(options.encoding or detect_encoding(source))
        self.records_key: str | None = None
        self.header: list[str] | None = None
        self._wrapped = False
        self._arrays: dict[str, bool] = {}  # in a wrapping object: each array's key, and whether its items are all objects
        if kind != NDJSON and self._is_ndjson():
            self.kind = NDJSON

    def _is_ndjson(self) -> bool:
        """Tell whether a .json file contains one object per line, as many tools write it."""
        with self.source.open() as opened:
            text = io.TextIOWrapper(opened.stream, encoding=self.encoding, newline="")
            try:
                first = text.readline(MAX_RECORD_CHARACTERS)
                second = next((line for line in text if line.strip()), "")
            except UnicodeDecodeError:
                return False
        try:
            return isinstance(_DECODER.decode(first), dict) and second.lstrip().startswith("{")
        except json.JSONDecodeError:
            return False

    def read_header(self) -> list[str]:
        """Return every column name in the order first seen; this reads the whole input once."""
        columns: dict[str | None, dict[str, None]] = {}
        for record in self._records():
            seen = columns.setdefault(record.key, {})
            if record.columns:
                seen.update(dict.fromkeys(record.columns))
        if self._wrapped:
            self.records_key = _records_key(self.source.name, self._arrays)
        header = list(columns.get(self.records_key, {}))
        if not header:
            lacking = "fields" if columns.get(self.records_key) is not None else "records"
            raise EmptyInput(f"{self.source.name}: the file contains no {lacking}; export it again with its records.")
        self.header = header
        return header

    def read_chunks(self, source_index: int = 0, chunk_size: int = DEFAULT_CHUNK_SIZE) -> Iterator[Chunk]:
        if self.header is None:
            self.read_header()
        header = self.header
        values: list[str] = []
        lines: list[int] = []
        malformed: list[MalformedRecord] = []
        blank = 0
        records = self._records()
        while True:
            records_taken = 0
            for record in records:
                if record.key != self.records_key:
                    continue
                if record.problem is not None:
                    malformed.append(MalformedRecord(record.line, [], len(header), record.problem))
                elif not record.columns:
                    blank += 1
                    continue
                else:
                    get = record.columns.get
                    values.extend([get(name, "") for name in header])
                    lines.append(record.line)
                records_taken += 1
                if records_taken == chunk_size:
                    break
            if lines or malformed or blank:
                frame = text_frame(values, header)
                yield Chunk(self.source.name, source_index, frame, lines, malformed, blank, self._bytes_read)
                values, lines, malformed, blank = [], [], [], 0
            if records_taken < chunk_size:
                return

    # Records

    def _records(self) -> Iterator[_Record]:
        with self.source.open() as opened:
            self._opened = opened
            text = io.TextIOWrapper(opened.stream, encoding=self.encoding, newline="")
            try:
                if self.kind == NDJSON:
                    yield from self._ndjson_records(text)
                else:
                    yield from self._json_records(_Scanner(text, self.source.name))
            except UnicodeDecodeError as exc:
                raise decode_error(self.source, self.encoding, self.encoding_given) from exc

    @property
    def _bytes_read(self) -> int:
        return self._opened.bytes_read

    def _ndjson_records(self, lines) -> Iterator[_Record]:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                yield _Record(number, None)
                continue
            line = line.rstrip("\r\n")
            try:
                value = _DECODER.decode(line)
            except json.JSONDecodeError as exc:
                problem = f"the line is not valid JSON ({exc.msg} at column {exc.colno}); fix it or export the file again"
                yield _Record(number, None, problem)
                continue
            yield _flattened_record(number, value)

    def _json_records(self, scanner: _Scanner) -> Iterator[_Record]:
        first = scanner.peek()
        if first is None:
            return
        if first == "[":
            yield from (_flattened_record(number, value) for number, value in enumerate(scanner.array_items(), 1))
        elif first == "{":
            self._wrapped = True
            yield from self._wrapped_records(scanner)
        else:
            raise scanner.error("the file is not a JSON array or object of records")
        if scanner.peek() is not None:
            raise scanner.error("unexpected text after the JSON value")

    def _wrapped_records(self, scanner: _Scanner) -> Iterator[_Record]:
        """Yield the items of every array that a top-level object contains, such as {"customers": [...]}."""
        for key in scanner.object_keys():
            if scanner.peek() != "[":
                scanner.value()
                continue
            self._arrays.setdefault(key, True)
            for number, value in enumerate(scanner.array_items(), 1):
                if not isinstance(value, dict):
                    self._arrays[key] = False
                if self.records_key is None or key == self.records_key:
                    yield _flattened_record(number, value, key)


def _records_key(name: str, arrays: dict[str, bool]) -> str:
    """Choose the array of records among a wrapping object's arrays, given whether each contains only objects."""
    if len(arrays) == 1:
        return next(iter(arrays))
    of_objects = [key for key, objects in arrays.items() if objects]
    if len(of_objects) == 1:
        return of_objects[0]
    if not arrays:
        raise SourceError(
            f"{name}: the JSON object contains no array of records; give an array of objects, "
            'an object holding one (such as {"customers": [...]}), or one object per line (NDJSON).'
        )
    keys = ", ".join(f"'{key}'" for key in arrays)
    raise SourceError(f"{name}: the JSON object contains several arrays ({keys}); keep only the array of records.")


def _flattened_record(line: int, value, key: str | None = None) -> _Record:
    if not isinstance(value, dict):
        problem = f"the record is a JSON {_json_type(value)}, not an object with named fields"
        return _Record(line, None, problem, key)
    columns: dict[str, str] = {}
    try:
        _flatten(value, "", columns)
    except KeyError as exc:
        problem = f"two fields of the record give the column name '{exc.args[0]}'; rename one of them"
        return _Record(line, None, problem, key)
    return _Record(line, columns, None, key)


def _flatten(value, prefix: str, columns: dict[str, str]) -> None:
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = ((str(position), item) for position, item in enumerate(value))
    else:
        if prefix in columns:
            raise KeyError(prefix)
        columns[prefix] = _text(value)
        return
    for key, item in items:
        _flatten(item, f"{prefix}.{key}" if prefix else key, columns)


def _text(value) -> str:
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    return value  # a string, or a number's literal text


def _json_type(value) -> str:
    if isinstance(value, list):
        return "array"
    if isinstance(value, bool):
        return "boolean"
    if value is None:
        return "null"
    return "string or number"


class _Scanner:
    """Walks the top level of a JSON document in a text stream, decoding one value at a time.

    Only the array of records is walked item by item, so one record at a time
    is in memory however long the file is.
    """

    def __init__(self, text, name: str):
        self._text = text
        self._name = name
        self._buffer = ""
        self._position = 0
        self._line = 1  # the line at the start of the buffer
        self._at_end = False

    def _fill(self) -> bool:
        """Append the next block of text; return False at the end of the input."""
        if self._at_end:
            return False
        block = self._text.read(BLOCK_SIZE)
        if not block:
            self._at_end = True
            return False
        consumed = self._buffer[: self._position]
        self._line += consumed.count("\n")
        self._buffer = self._buffer[self._position :] + block
        self._position = 0
        return True

    def peek(self) -> str | None:
        """Skip whitespace and return the next character, or None at the end."""
        while True:
            self._position = _WHITESPACE.match(self._buffer, self._position).end()
            if self._position < len(self._buffer):
                return self._buffer[self._position]
            if not self._fill():
                return None

    def expect(self, character: str) -> None:
        if self.peek() != character:
            raise self.error(f"expected '{character}'")
        self._position += 1

    def value(self):
        """Decode the next JSON value, reading more text until it is complete."""
        self.peek()
        while True:
            try:
                value, self._position = _DECODER.raw_decode(self._buffer, self._position)
                return value
            except json.JSONDecodeError as exc:
                if len(self._buffer) - self._position > MAX_RECORD_CHARACTERS or not self._fill():
                    raise self.error(exc.msg, exc.pos) from None

    def array_items(self) -> Iterator:
        self.expect("[")
        if self.peek() == "]":
            self._position += 1
            return
        while True:
            yield self.value()
            if self.peek() == ",":
                self._position += 1
                continue
            self.expect("]")
            return

    def object_keys(self) -> Iterator[str]:
        """Yield each key of an object; the caller reads its value before asking for the next."""
        self.expect("{")
        if self.peek() == "}":
            self._position += 1
            return
        while True:
            if self.peek() != '"':
                raise self.error("expected a key in double quotes")
            key = self.value()
            self.expect(":")
            yield key
            if self.peek() == ",":
                self._position += 1
                continue
            self.expect("}")
            return

    def error(self, message: str, position: int | None = None) -> SourceError:
        position = self._position if position is None else position
        before = self._buffer[:position]
        line = self._line + before.count("\n")
        column = position - before.rfind("\n")
        return SourceError(
            f"{self._name}: line {line}, column {column}: invalid JSON: {message}; "
            "fix the file or export it again."
        )
