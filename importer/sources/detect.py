"""Tell an input's format, text encoding and delimiter from its name and first bytes."""

from __future__ import annotations

import codecs
import csv
import io
import re
from pathlib import PurePosixPath

import charset_normalizer

from importer.sources.compression import GZIP_MAGIC, ZIP_MAGICS, Source
from importer.sources.errors import SourceError

DELIMITED, JSON, NDJSON, WORKBOOK = "delimited", "json", "ndjson", "workbook"

SAMPLE_SIZE = 64 * 1024
BLOCK_SIZE = 1 << 20
DELIMITERS = (",", "\t", ";", "|")
_DELIMITER_RECORDS = 200

NDJSON_SUFFIXES = (".ndjson", ".jsonl", ".ldjson")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
DELIMITED_SUFFIXES = (".csv", ".tsv", ".tab", ".txt")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"

# The byte order marks, longest first: a UTF-32 LE mark starts with the UTF-16 LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Without a byte order mark, text that is not UTF-8 is read as one of these.
# Windows-1252 is Latin-1 with printable characters in place of the C1
# control codes 0x80-0x9F, so it is preferred whenever both fit.
_SINGLE_BYTE_CANDIDATES = ["cp1252", "latin_1"]

_NON_ASCII = re.compile(rb"[\x80-\xff]")

_LABELS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8",
    "utf-16": "UTF-16",
    "utf-16-le": "UTF-16",
    "utf-16-be": "UTF-16",
    "utf-32": "UTF-32",
    "cp1252": "Windows-1252",
    "iso8859-1": "Latin-1",
}


def encoding_label(encoding: str) -> str:
    return _LABELS.get(codecs.lookup(encoding).name, encoding)


def detect_format(source: Source) -> str:
    """Return DELIMITED, JSON, NDJSON or WORKBOOK; raise SourceError for a format that is not read."""
    with source.open() as opened:
        head = opened.stream.read(SAMPLE_SIZE)
    suffix = PurePosixPath(source.inner_name).suffix.lower()

    if head.startswith(ZIP_MAGICS):
        return WORKBOOK
    if head.startswith(GZIP_MAGIC):
        raise SourceError(f"{source.name}: the file is compressed twice; decompress it once and run again.")
    if head.startswith(_OLE_MAGIC) or suffix == ".xls":
        raise SourceError(
            f"{source.name}: Excel 97-2003 workbooks (.xls) are not read; "
            "save the sheet as .xlsx or as CSV UTF-8 and run again."
        )
    if suffix in WORKBOOK_SUFFIXES:
        raise SourceError(f"{source.name}: the file is not an Excel workbook; export it again, or rename it to its real type.")
    if suffix in NDJSON_SUFFIXES:
        return NDJSON
    if suffix == ".json":
        return JSON
    if suffix not in DELIMITED_SUFFIXES and _first_character(head) in ("[", "{"):
        return JSON
    return DELIMITED


def _first_character(head: bytes) -> str:
    for bom, _ in _BOMS:
        if head.startswith(bom):
            head = head[len(bom):]
            break
    text = head.replace(b"\x00", b"").lstrip()
    return chr(text[0]) if text else ""


def detect_encoding(source: Source) -> str:
    """Return the codec of a text input: by its byte order mark, else by charset-normalizer on a sample.

    The sample is the first 64 KiB, or, when that is all ASCII, 64 KiB from
    the first line that is not: a file of Windows-1252 text can contain its
    first accented letter a million lines in.
    """
    with source.open() as opened:
        stream = opened.stream
        head = stream.read(SAMPLE_SIZE)
        for bom, encoding in _BOMS:
            if head.startswith(bom):
                return encoding
        utf16 = _utf16_without_bom(head)
        if utf16:
            return utf16
        sample = head if not head.isascii() else _first_non_ascii_sample(stream)
    if not sample or _is_utf8(sample):
        return "utf-8"
    if _mostly_utf8(sample):
        line, byte = locate_decode_error(source, "utf-8")
        raise SourceError(
            f"{source.name}: line {line}: byte {byte} is not valid UTF-8, but other lines are UTF-8, so the file "
            "mixes encodings; save the export as UTF-8 (in Excel: CSV UTF-8), or give its encoding with "
            "--encoding, and run again."
        )

    match = charset_normalizer.from_bytes(sample, cp_isolation=_SINGLE_BYTE_CANDIDATES).best()
    if match is None:
        line, byte = locate_decode_error(source, "utf-8")
        raise SourceError(
            f"{source.name}: line {line}: byte {byte} is not valid UTF-8, and the text does not read as "
            "Windows-1252 or Latin-1 either; give the file's encoding with --encoding (for example "
            "--encoding cp1250 or --encoding shift_jis), or save the export as UTF-8 (in Excel: CSV UTF-8)."
        )
    return codecs.lookup(match.encoding).name


def _first_non_ascii_sample(stream) -> bytes:
    while block := stream.read(BLOCK_SIZE):
        if not block.isascii():
            first = _NON_ASCII.search(block).start()
            start = block.rfind(b"\n", 0, first) + 1
            sample = block[start : start + SAMPLE_SIZE]
            if len(sample) < SAMPLE_SIZE:
                sample += stream.read(SAMPLE_SIZE - len(sample))
            return sample
    return b""


def _utf16_without_bom(head: bytes) -> str | None:
    """Recognise UTF-16 text without a byte order mark by its zero bytes, which ASCII characters have."""
    if len(head) < 4 or b"\x00" not in head:
        return None
    half = len(head) // 2
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if odd > 0.3 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.3 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def _mostly_utf8(sample: bytes) -> bool:
    """Tell whether more of the sample's non-ASCII characters are valid UTF-8 than not.

    Windows-1252 text almost never contains valid UTF-8 sequences (they read as
    "Ã©" and the like), so such a sample is UTF-8 with some bytes of another
    encoding pasted in.
    """
    text = sample.decode("utf-8", errors="replace")
    invalid = text.count("\ufffd")
    return sum(1 for character in text if character > "\x7f") - invalid > invalid


def _is_utf8(sample: bytes) -> bool:
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        return False
    return True


def text_codec(encoding: str) -> str:
    """Return the codec to read text with: UTF-8 also drops a byte order mark, which is no part of the first column's name."""
    return "utf-8-sig" if codecs.lookup(encoding).name == "utf-8" else encoding


def decode_error(source: Source, encoding: str, encoding_given: bool) -> SourceError:
    """Return the error for text that does not decode, naming the line and the byte."""
    line, byte = locate_decode_error(source, encoding)
    label = encoding_label(encoding)
    if encoding_given:
        advice = "check the --encoding value, or save the export as UTF-8 (in Excel: CSV UTF-8) and run again."
    else:
        advice = (
            f"the start of the file reads as {label}, so the file may mix encodings; save the export "
            "as UTF-8 (in Excel: CSV UTF-8), or give its encoding with --encoding, and run again."
        )
    return SourceError(f"{source.name}: line {line}: byte {byte} is not valid {label}; {advice}")


def locate_decode_error(source: Source, encoding: str) -> tuple[int, str]:
    """Return the line and the value of the first byte that does not decode, such as (3, "0xE9").

    The text layer decodes ahead in blocks, so a reader's line count cannot
    tell where the bad byte is: this finds its offset, then counts the line
    breaks in the text before it.
    """
    decoder = codecs.getincrementaldecoder(encoding)()
    fed = 0
    with source.open() as opened:
        while block := opened.stream.read(BLOCK_SIZE):
            pending = decoder.getstate()[0]
            try:
                decoder.decode(block)
            except UnicodeDecodeError as exc:
                offset = fed - len(pending) + exc.start
                return _line_at(source, encoding, offset), f"0x{exc.object[exc.start]:02X}"
            fed += len(block)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as exc:
            return _line_at(source, encoding, fed - len(exc.object) + exc.start), "at the end of the file"
    return 1, "?"


def _line_at(source: Source, encoding: str, offset: int) -> int:
    decoder = codecs.getincrementaldecoder(encoding)()
    line, after_cr, left = 1, False, offset
    with source.open() as opened:
        while left and (block := opened.stream.read(min(BLOCK_SIZE, left))):
            left -= len(block)
            text = decoder.decode(block)
            line += text.count("\n") + text.count("\r") - text.count("\r\n")
            if after_cr and text.startswith("\n"):
                line -= 1
            after_cr = text.endswith("\r") if text else after_cr
    return line


def detect_delimiter(text: str, complete: bool, preferred: str = ",") -> str:
    """Return the candidate delimiter that splits the sample's records like its header.

    Each of , TAB ; | is tried: the header must split into at least two
    columns, and the most records of the sample must have the header's
    number of fields. A file that no candidate splits has one column.
    """
    order = (preferred,) + tuple(candidate for candidate in DELIMITERS if candidate != preferred)
    best, best_score = preferred, -1.0
    for delimiter in order:
        records = [record for record in _sample_records(text, delimiter, complete) if record]
        if not records or len(records[0]) < 2:
            continue
        width, rest = len(records[0]), records[1:]
        score = sum(len(record) == width for record in rest) / len(rest) if rest else 1.0
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _sample_records(text: str, delimiter: str, complete: bool) -> list[list[str]]:
    records = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for record in reader:
            records.append(record)
            if len(records) > _DELIMITER_RECORDS:
                return records[:_DELIMITER_RECORDS]
    except csv.Error:
        pass
    return records if complete else records[:-1]
