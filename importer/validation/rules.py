"""Field rules shared by the importer's schema and the sandbox.

Every rule exists in two forms that must agree. The vectorized form checks a
pandas Series and serves the Pandera schema on whole chunks. The single-value
form returns a Problem: the sandbox runs it on each customer it receives, and
the importer uses it to word its messages. Both forms live side by side here
so the sandbox and ``validate`` cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

import pandas as pd
import pycountry
from email_validator import SPECIAL_USE_DOMAIN_NAMES, EmailNotValidError, validate_email

from importer.validation.problems import (
    FUTURE_DATE,
    INVALID_BOOLEAN,
    INVALID_COUNTRY_CODE,
    INVALID_DATE,
    INVALID_EMAIL,
    INVALID_TEXT,
    INVALID_TIMESTAMP,
    MISSING_EMAIL,
    Problem,
)

API_DATE_FORMAT = "%d-%m-%Y"
EARLIEST_YEAR = 1900

# Addresses this pattern accepts are also accepted by email-validator (checked
# in the tests): lower-case ASCII dot-atoms under a plain alphabetic top-level
# domain. Everything else goes to email-validator itself.
_LOCAL = r"[a-z0-9_%+-]+(?:\.[a-z0-9_%+-]+)*"
_LABEL = r"[a-z0-9](?:[a-z0-9]|-(?!-)){0,61}(?<!-)"
_COMMON_EMAIL = re.compile(rf"^{_LOCAL}@(?:{_LABEL}\.)+[a-z]{{2,24}}$")
_MAX_EMAIL_LENGTH = 254
_MAX_LOCAL_LENGTH = 64
_SPECIAL_USE_SUFFIXES = tuple(f".{name}" for name in SPECIAL_USE_DOMAIN_NAMES)

_DATE_SHAPE = re.compile(r"^\d{2}-\d{2}-\d{4}$")
_TIMESTAMP_SHAPE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")

# C0 controls other than LF and CR, DEL, and the C1 controls (which mostly
# appear when Windows-1252 text was decoded as Latin-1).
_CONTROL_CHARACTER = re.compile(r"[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f]")

COUNTRY_CODES = frozenset(country.alpha_2 for country in pycountry.countries)


# Email

def normalize_email(value: str) -> str:
    """Trim spaces (no-break spaces included) and lower-case an email."""
    return value.strip().lower()


def _is_common_email(value: str) -> bool:
    if len(value) > _MAX_EMAIL_LENGTH or not _COMMON_EMAIL.match(value):
        return False
    if len(value.partition("@")[0]) > _MAX_LOCAL_LENGTH:
        return False
    return not value.endswith(_SPECIAL_USE_SUFFIXES)


@lru_cache(maxsize=65536)
def email_error(value: str) -> str | None:
    """Return why email-validator rejects ``value``, or None when it is valid.

    No DNS lookup is made.
    """
    if _is_common_email(value):
        return None
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError as exc:
        return str(exc)
    return None


def valid_email_mask(emails: pd.Series) -> pd.Series:
    """Check normalized emails; missing values count as valid here."""
    present = emails.notna()
    text = emails.where(present, "")
    common = text.str.fullmatch(_COMMON_EMAIL.pattern[1:-1]).astype(bool)
    common &= text.str.len() <= _MAX_EMAIL_LENGTH
    common &= text.str.find("@") <= _MAX_LOCAL_LENGTH
    common &= ~text.str.endswith(_SPECIAL_USE_SUFFIXES).astype(bool)
    result = ~present | common

    for index in emails.index[present & ~result]:
        result.at[index] = email_error(emails.at[index]) is None
    return result.astype(bool)


def email_problem(value: str | None) -> Problem | None:
    if value is None or value == "":
        return Problem(MISSING_EMAIL, "email", "", "Email is missing; every customer needs one.")
    reason = email_error(value)
    if reason is None:
        return None
    return Problem(INVALID_EMAIL, "email", value, f"'{value}' is not a valid email address: {reason}")


# Dates (dob, memberSince)

def date_problem(field: str, value: str, today: dt.date) -> Problem | None:
    """Check a date already converted to the API's dd-mm-yyyy form."""
    if not _DATE_SHAPE.match(value):
        return Problem(INVALID_DATE, field, value, f"'{value}' is not a date in dd-mm-yyyy form.")
    try:
        parsed = dt.datetime.strptime(value, API_DATE_FORMAT).date()
    except ValueError:
        return Problem(INVALID_DATE, field, value, f"'{value}' is not a real calendar date.")
    if parsed.year < EARLIEST_YEAR:
        message = f"'{value}' is before {EARLIEST_YEAR}; check the year."
        return Problem(INVALID_DATE, field, value, message)
    if parsed > today:
        message = f"'{value}' is in the future (today is {today.strftime(API_DATE_FORMAT)})."
        return Problem(FUTURE_DATE, field, value, message)
    return None


def date_codes(values: pd.Series, today: dt.date) -> pd.Series:
    """Return the problem code of each date value: '' when valid or missing."""
    present = values.notna()
    text = values.where(present, "")
    parsed = pd.to_datetime(text, format=API_DATE_FORMAT, errors="coerce")
    shaped = text.str.fullmatch(_DATE_SHAPE.pattern[1:-1]).astype(bool)

    codes = pd.Series("", index=values.index, dtype=object)
    invalid = present & (~shaped | parsed.isna() | (parsed.dt.year < EARLIEST_YEAR))
    future = present & ~invalid & (parsed > pd.Timestamp(today))
    codes[invalid] = INVALID_DATE
    codes[future] = FUTURE_DATE
    return codes


# Timestamps (opted_in_at, opt_in_updated_at)

def timestamp_problem(field: str, value: str) -> Problem | None:
    message = f"'{value}' is not an ISO 8601 UTC timestamp such as 2023-05-19T03:48:22.075Z."
    if not _TIMESTAMP_SHAPE.match(value):
        return Problem(INVALID_TIMESTAMP, field, value, message)
    try:
        dt.datetime.strptime(value, "%Y-%m-%dT%H:%M:%S.%fZ")
    except ValueError:
        return Problem(INVALID_TIMESTAMP, field, value, message)
    return None


# Country codes

def country_code_problem(field: str, value: str) -> Problem | None:
    if value in COUNTRY_CODES:
        return None
    message = f"'{value}' is not an ISO 3166-1 alpha-2 country code such as AU, NZ or GB."
    return Problem(INVALID_COUNTRY_CODE, field, value, message)


def valid_country_code_mask(values: pd.Series) -> pd.Series:
    return values.isna() | values.isin(COUNTRY_CODES)


# Booleans

def boolean_problem(field: str, value: object) -> Problem | None:
    if isinstance(value, bool):
        return None
    message = f"'{value}' is not a boolean; send true or false."
    return Problem(INVALID_BOOLEAN, field, str(value), message)


# Text

def text_problem(field: str, value: str) -> Problem | None:
    found = _CONTROL_CHARACTER.search(value)
    if found is None:
        return None
    character = f"U+{ord(found.group()):04X}"
    message = f"contains the control character {character}; remove it from the export."
    return Problem(INVALID_TEXT, field, value, message)


def valid_text_mask(values: pd.Series) -> pd.Series:
    present = values.notna()
    has_control = values.where(present, "").str.contains(_CONTROL_CHARACTER.pattern, regex=True)
    return ~(present & has_control.astype(bool))
