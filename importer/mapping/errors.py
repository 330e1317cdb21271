"""Errors of the mapping stage."""

from __future__ import annotations

import difflib

from importer.errors import ConfigurationError


class MappingError(ConfigurationError):
    """A mapping file is invalid, or does not fit an input's header."""

    def __init__(self, source: str, line: int | None, message: str):
        super().__init__(f"{_location(source, line)}: {message}")
        self.source = source
        self.line = line


PRESET_PREFIX = "preset "


def _location(source: str, line: int | None) -> str:
    if not line:
        return source
    if source.startswith(PRESET_PREFIX):
        # Say which file the line is in, so it is not read as a line of the input.
        return f"{source} (line {line} of mappings/{source.removeprefix(PRESET_PREFIX)}.yaml)"
    return f"{source}: line {line}"


def closest(name: str, candidates: list[str]) -> str:
    """Return ``" Did you mean 'x'?"`` for the closest candidate, or ``""``."""
    by_lower = {candidate.lower(): candidate for candidate in candidates}
    matches = difflib.get_close_matches(name.lower(), list(by_lower), n=1, cutoff=0.6)
    return f" Did you mean '{by_lower[matches[0]]}'?" if matches else ""
