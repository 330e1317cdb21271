"""Validation problems as data.

A problem has a stable kebab-case code, the place of the row it belongs to
(input file and line), the Customer field, the offending value and a message
written for the person who will fix the export.
"""

from __future__ import annotations

from dataclasses import dataclass

MISSING_EMAIL = "missing-email"
INVALID_EMAIL = "invalid-email"
DUPLICATE_EMAIL = "duplicate-email"
DUPLICATE_CUSTOMER_REF = "duplicate-customer-ref"
DUPLICATE_ALTERNATE_CUSTOMER_REF = "duplicate-alternate-customer-ref"
INVALID_DATE = "invalid-date"
FUTURE_DATE = "future-date"
INVALID_BOOLEAN = "invalid-boolean"
INVALID_COUNTRY_CODE = "invalid-country-code"
INVALID_PHONE = "invalid-phone"
INVALID_TEXT = "invalid-text"
INVALID_TIMESTAMP = "invalid-timestamp"
MALFORMED_ROW = "malformed-row"
REJECTED_BY_API = "rejected-by-api"
UPLOAD_FAILED = "upload-failed"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with one row."""

    code: str
    field: str
    value: str
    message: str

    def describe(self) -> str:
        """Format the problem as ``code: message`` for the rejects file."""
        return f"{self.code}: {self.message}"
