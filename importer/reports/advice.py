"""Advice for each problem code: the steps a person takes to fix the row.

The HTML report, the terminal summary and docs/reports.md show this text next
to each code, so it is written for the onboarding staff who fix the export in
a spreadsheet, not for engineers.
"""

from __future__ import annotations

from importer.validation.problems import (
    DUPLICATE_ALTERNATE_CUSTOMER_REF,
    DUPLICATE_CUSTOMER_REF,
    DUPLICATE_EMAIL,
    FUTURE_DATE,
    INVALID_BOOLEAN,
    INVALID_COUNTRY_CODE,
    INVALID_DATE,
    INVALID_EMAIL,
    INVALID_PHONE,
    INVALID_TEXT,
    INVALID_TIMESTAMP,
    MALFORMED_ROW,
    MISSING_EMAIL,
    REJECTED_BY_API,
    UPLOAD_FAILED,
)

ADVICE = {
    MISSING_EMAIL: "Fill in the customer's email address, or remove the row if the customer has none.",
    INVALID_EMAIL: "Correct the address: one @, no spaces or commas inside it, and a full domain such as example.com.",
    DUPLICATE_EMAIL: (
        "Keep one row per email (compared ignoring case) and delete or merge the others, "
        "or set duplicates: keep-first or keep-last in the mapping."
    ),
    DUPLICATE_CUSTOMER_REF: "Give each customer its own customerRef, or merge the rows that share one.",
    DUPLICATE_ALTERNATE_CUSTOMER_REF: "Give each customer its own alternateCustomerRef, or clear the repeated ones.",
    INVALID_DATE: (
        "Write a real date with a four-digit year in one of the formats the mapping declares; "
        "check for 31st of short months, 29 February outside leap years and years before 1900."
    ),
    FUTURE_DATE: "Correct the date: birthdays and membership dates cannot be later than today.",
    INVALID_BOOLEAN: "Use one of the yes/no words the mapping lists for this column, or leave the cell empty.",
    INVALID_COUNTRY_CODE: "Use a two-letter ISO country code such as AU, NZ, GB or US (GB, not UK).",
    INVALID_PHONE: "Correct the number so it is complete for its country, with the area or mobile prefix.",
    INVALID_TEXT: "Delete the invisible control character from the cell; retyping the value removes it.",
    INVALID_TIMESTAMP: "Write the consent time as a date and time the mapping can read, such as 2023-05-19T03:48:22.075Z.",
    MALFORMED_ROW: "Open the line in a text editor and fix the quote or delimiter that splits or merges its cells.",
    REJECTED_BY_API: "Fix the value named in the message; the Customer API refused the customer as sent.",
    UPLOAD_FAILED: (
        "Nothing is wrong with the row itself: the message says why it was not sent. "
        "Once that is fixed, resume the import or import rejects.csv again."
    ),
}

FALLBACK_ADVICE = "Read the message, correct the value in rejects.csv and import that file again."


def advice_for(code: str) -> str:
    return ADVICE.get(code, FALLBACK_ADVICE)
