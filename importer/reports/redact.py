"""Mask email addresses and phone numbers in reports meant for sharing.

``--redact`` applies this to errors.csv and report.html so they can go to
support. rejects.csv is never masked, because it is imported again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from importer.validation.problems import Problem

MASK = "***"

# Anything around an @ up to a space, quote or list punctuation: wide on
# purpose, so that invalid addresses are masked too.
_EMAIL = re.compile(r"[^\s@'\"<>,;|()\[\]]+@[^\s@'\"<>,;|()\[\]]*")
# A run of at least 7 digits, optionally with +, spaces, dots, dashes or brackets.
_PHONE = re.compile(r"\+?\(?\d[\d ().-]{5,}\d\)?")
_MIN_PHONE_DIGITS = 7
# Dates such as 28-11-1999 or 2023-05-19 look like phone numbers but are kept.
_DATE = re.compile(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}")
_PHONE_FIELD = re.compile(r"(^|\.)(phone|mobile)$")
_KEPT_DIGITS = 2


def mask_email(value: str) -> str:
    """Keep the first character and the domain: ``a***@example.com``."""
    local, at, domain = value.partition("@")
    return f"{local[:1]}{MASK}{at}{domain}" if local else f"{MASK}{at}{domain}"


def mask_phone(value: str) -> str:
    """Replace every digit but the last two with ``*``, keeping the layout."""
    digits = sum(character.isdigit() for character in value)
    masked = []
    for character in value:
        if character.isdigit() and digits > _KEPT_DIGITS:
            masked.append("*")
            digits -= 1
        else:
            masked.append(character)
    return "".join(masked)


def mask_text(text: str) -> str:
    """Mask every email address and phone number found in free text."""
    text = _EMAIL.sub(lambda match: mask_email(match.group()), text)
    return _PHONE.sub(_mask_phone_match, text)


def _mask_phone_match(match: re.Match) -> str:
    found = match.group()
    if sum(character.isdigit() for character in found) < _MIN_PHONE_DIGITS or _DATE.fullmatch(found.strip("()")):
        return found
    return mask_phone(found)


@dataclass(frozen=True)
class Redactor:
    """Masks personal data when enabled; returns values unchanged otherwise."""

    enabled: bool = False

    def email(self, value: str) -> str:
        return mask_email(value) if self.enabled and value else value

    def problem(self, problem: Problem) -> Problem:
        if not self.enabled:
            return problem
        message = problem.message
        if problem.value:
            message = message.replace(problem.value, self._value(problem.field, problem.value))
        return Problem(problem.code, problem.field, self._value(problem.field, problem.value), mask_text(message))

    def _value(self, field: str, value: str) -> str:
        if not value:
            return value
        if field.endswith("email"):
            return mask_email(value)
        if _PHONE_FIELD.search(field):
            return mask_phone(value)
        return mask_text(value)
