"""Options of the reading stage, as given on the command line."""

from __future__ import annotations

import codecs
from dataclasses import dataclass

DELIMITER_NAMES = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}


@dataclass(frozen=True)
class ReadOptions:
    """How to read every input of a run; ``None`` means detect it."""

    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None


def parse_encoding(name: str) -> str:
    """Return the codec name for ``name``, or raise ValueError for an unknown one."""
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise ValueError(f"'{name}' is not a known encoding; use a name such as utf-8, cp1252, latin-1 or utf-16.") from None


def parse_delimiter(text: str) -> str:
    """Return the delimiter character for ``text`` (one character, or tab, comma, semicolon, pipe)."""
    delimiter = DELIMITER_NAMES.get(text.lower(), text)
    if len(delimiter) != 1 or delimiter in "\r\n\"":
        raise ValueError(
            f"'{text}' cannot be a delimiter; give one character such as , ; | or the word tab."
        )
    return delimiter
