"""Value conversions of the mapping stage: names, booleans, dates, timestamps, phones, countries.

Each conversion takes the cleaned values of one rule (str or None) and
returns the converted Series. A value that cannot be converted becomes None
and adds a Problem at its row position, naming the rule's source and the
value as written in the input.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from functools import lru_cache

import pandas as pd
import phonenumbers
import pycountry

from importer.mapping.model import FieldRule
from importer.validation.problems import (
    INVALID_BOOLEAN,
    INVALID_COUNTRY_CODE,
    INVALID_DATE,
    INVALID_PHONE,
    INVALID_TIMESTAMP,
    Problem,
)
from importer.validation.rules import API_DATE_FORMAT, COUNTRY_CODES

Problems = dict[int, list[Problem]]

# Titles dropped from the front of a full name before it is split.
NAME_TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "rev"})

# Country names people write that pycountry does not list under that spelling.
COUNTRY_ALIASES = {
    "uk": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "great britain": "GB",
    "south korea": "KR",
    "north korea": "KP",
    "russia": "RU",
    "vietnam": "VN",
    "laos": "LA",
    "the netherlands": "NL",
    "holland": "NL",
}

# Timestamp formats read when a timestamp rule declares none: ISO 8601 with a zone.
ISO_TIMESTAMP_FORMATS = (
    "%Y-%m-%dT%H:%M:%S.%fZ",
    "%Y-%m-%dT%H:%M:%SZ",
    "%Y-%m-%dT%H:%M:%S.%f%z",
    "%Y-%m-%dT%H:%M:%S%z",
)

# Excel counts days from 1899-12-30 in its default (1900) date system; serial
# 60 is the 29 February 1900 that never was, so only serials from 61
# (1900-03-01) are read correctly this way.
EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_EXCEL_SERIAL = re.compile(r"^\d{1,7}(\.\d+)?$")


def add_problem(problems: Problems, position: int, problem: Problem) -> None:
    problems.setdefault(position, []).append(problem)


# Names

def split_full_name(full_name: str, part: str) -> str | None:
    """Return the first or last name of a full name.

    ``Lee, Ann`` (surname first, with a comma) gives Ann and Lee. Otherwise a
    leading title (Mr, Dr...) is dropped, the first word is the first name
    and the remaining words are the last name, which keeps particles such as
    "van der Berg" together. A single word is a first name with no last name.
    """
    if "," in full_name:
        last, _, first = full_name.partition(",")
        words = [first.strip(), last.strip()]
    else:
        words = full_name.split()
        while len(words) > 1 and words[0].lower().rstrip(".") in NAME_TITLES:
            words = words[1:]
        words = [words[0], " ".join(words[1:])] if words else ["", ""]
    value = words[0] if part == "first" else words[1]
    return value or None


# Booleans

def to_booleans(rule: FieldRule, raw: pd.Series, values: pd.Series, problems: Problems) -> pd.Series:
    table = rule.boolean.lookup_table(rule.invert)
    present = values.notna()
    converted = values.where(present, "").astype(object).map(lambda value: table.get(value.strip().lower()))
    converted = converted.astype(object).where(converted.notna(), None)

    for position in values.index[present & converted.isna()]:
        value = raw.at[position]
        message = f"'{value}' in {rule.source_label} is not in the boolean vocabulary {rule.boolean.describe()}."
        add_problem(problems, position, Problem(INVALID_BOOLEAN, rule.target, value, message))
    return converted


# Dates

def to_api_dates(rule: FieldRule, raw: pd.Series, values: pd.Series, problems: Problems) -> pd.Series:
    formats = rule.date_formats or (() if rule.excel_serial else (API_DATE_FORMAT,))
    present = values.notna()
    converted = pd.Series(None, index=values.index, dtype=object)
    if rule.excel_serial:
        serials = values.map(_excel_datetime)
        converted[serials.notna()] = serials[serials.notna()].map(lambda moment: moment.strftime(API_DATE_FORMAT))

    for date_format in formats:
        pending = present & converted.isna()
        if not pending.any():
            break
        parsed = pd.to_datetime(values[pending], format=date_format, errors="coerce")
        parsed = parsed[parsed.notna()]
        converted[parsed.index] = parsed.dt.strftime(API_DATE_FORMAT)

    for position in values.index[present & converted.isna()]:
        value = raw.at[position]
        message = f"'{value}' in {rule.source_label} is not a real date in the format(s) {_describe_formats(rule, formats)}."
        add_problem(problems, position, Problem(INVALID_DATE, rule.target, value, message))
    return converted


def _describe_formats(rule: FieldRule, formats: tuple[str, ...]) -> str:
    names = list(formats) + (["an Excel serial day number"] if rule.excel_serial else [])
    return ", ".join(names)


def _excel_datetime(value: str | None) -> dt.datetime | None:
    if value is None or not _EXCEL_SERIAL.match(value.strip()):
        return None
    days = float(value)
    if days < 61:
        return None
    return EXCEL_EPOCH + dt.timedelta(days=days)


# Timestamps

def to_api_timestamps(rule: FieldRule, raw: pd.Series, values: pd.Series, problems: Problems) -> pd.Series:
    """Convert to ISO 8601 UTC with milliseconds, such as 2023-05-19T03:48:22.075Z."""
    formats = rule.date_formats or ISO_TIMESTAMP_FORMATS
    converted = values.map(lambda value: None if value is None else _timestamp(value.strip(), formats, rule.timezone, rule.excel_serial))
    converted = converted.astype(object).where(converted.notna(), None)

    for position in values.index[values.notna() & converted.isna()]:
        value = raw.at[position]
        zone = f" in the time zone {rule.timezone}" if rule.timezone else ""
        message = f"'{value}' in {rule.source_label} is not a timestamp in the format(s) {_describe_formats(rule, formats)}{zone}."
        add_problem(problems, position, Problem(INVALID_TIMESTAMP, rule.target, value, message))
    return converted


@lru_cache(maxsize=65536)
def _timestamp(value: str, formats: tuple[str, ...], timezone: str | None, excel_serial: bool) -> str | None:
    moment = _excel_datetime(value) if excel_serial else None
    for timestamp_format in formats:
        if moment is not None:
            break
        try:
            moment = dt.datetime.strptime(value, timestamp_format)
        except ValueError:
            continue
        if timestamp_format.endswith("Z") and "%z" not in timestamp_format:
            moment = moment.replace(tzinfo=dt.timezone.utc)
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zoneinfo.ZoneInfo(timezone))
    utc = moment.astimezone(dt.timezone.utc)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


# Phone numbers

def to_e164(rule: FieldRule, raw: pd.Series, values: pd.Series, problems: Problems) -> pd.Series:
    converted = values.map(lambda value: None if value is None else _e164(value, rule.phone_region))
    converted = converted.astype(object).where(converted.notna(), None)

    for position in values.index[values.notna() & converted.isna()]:
        value = raw.at[position]
        message = (
            f"'{value}' in {rule.source_label} is not a valid phone number for the region {rule.phone_region}; "
            "write it in full with its country code, such as +61 412 345 678."
        )
        add_problem(problems, position, Problem(INVALID_PHONE, rule.target, value, message))
    return converted


@lru_cache(maxsize=65536)
def _e164(value: str, region: str) -> str | None:
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# Countries

def to_country_codes(rule: FieldRule, raw: pd.Series, values: pd.Series, problems: Problems) -> pd.Series:
    converted = values.map(lambda value: None if value is None else country_code(value))
    converted = converted.astype(object).where(converted.notna(), None)

    for position in values.index[values.notna() & converted.isna()]:
        value = raw.at[position]
        message = (
            f"'{value}' in {rule.source_label} is not a country name or ISO 3166 code; "
            f"add it to the lookup of '{rule.target}', such as {{\"{value}\": AU}}."
        )
        add_problem(problems, position, Problem(INVALID_COUNTRY_CODE, rule.target, value, message))
    return converted


@lru_cache(maxsize=4096)
def country_code(value: str) -> str | None:
    """Return the alpha-2 code of a country name, alpha-2, alpha-3 or numeric code, or None."""
    text = value.strip()
    if text.upper() in COUNTRY_CODES:
        return text.upper()
    if text.lower() in COUNTRY_ALIASES:
        return COUNTRY_ALIASES[text.lower()]
    try:
        return pycountry.countries.lookup(text).alpha_2
    except LookupError:
        return None
