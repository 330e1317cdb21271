"""Refuse date formats whose century would have to be guessed."""

from __future__ import annotations

from importer.mapping.errors import MappingError
from importer.mapping.model import Mapping

TWO_DIGIT_YEAR = "%y"


def check_four_digit_years(mapping: Mapping) -> None:
    """Raise MappingError for a declared date format with a two-digit year.

    The Customer API needs four-digit years, and reading ``85`` as 1985 or
    2085 is a guess (Python's ``%y`` picks 1969 to 2068). A birthday in the
    wrong century looks valid, so such a mapping is refused before any row is
    read, rather than rows being imported with a guessed year.
    """
    for rule in mapping.rules:
        for date_format in rule.date_formats:
            if TWO_DIGIT_YEAR in date_format.replace("%%", ""):
                raise MappingError(
                    mapping.source,
                    rule.line,
                    f"date format '{date_format}' of {rule.target} has a two-digit year (%y), so the century "
                    "would be a guess; export the dates with four-digit years and declare %Y instead.",
                )
