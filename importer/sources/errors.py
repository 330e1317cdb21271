"""Errors of the reading stage."""

from importer.errors import ConfigurationError


class SourceError(ConfigurationError):
    """An input cannot be read: missing, undecodable, or without a usable header."""


class EmptyInput(SourceError):
    """An input contains no header and no records: an empty file, or a JSON file without records."""
