"""Errors of the reading stage."""

from importer.errors import ConfigurationError


class SourceError(ConfigurationError):
    """An input cannot be read: missing, undecodable, or without a usable header."""
