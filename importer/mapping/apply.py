"""Bind a mapping to an input's header and apply it to chunks of records."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from importer.mapping.errors import MappingError, closest
from importer.mapping.model import FieldRule, Mapping
from importer.validation.problems import INVALID_BOOLEAN, INVALID_DATE, Problem
from importer.validation.rules import API_DATE_FORMAT


@dataclass(frozen=True)
class BoundMapping:
    """A mapping checked against one header: each mapped column's name in that header."""

    mapping: Mapping
    columns: dict[str, str]


@dataclass
class MappedChunk:
    """Customer field values of a chunk, one column per field path.

    Values are str, bool or None (no value). ``problems`` holds, by row
    position, what went wrong while converting (an unknown boolean word, a
    date in none of the declared formats); such a value is set to None.
    """

    frame: pd.DataFrame
    problems: dict[int, list[Problem]] = field(default_factory=dict)


def bind_mapping(mapping: Mapping, header: list[str], input_name: str) -> BoundMapping:
    """Find each mapped column in ``header``: exactly, then ignoring case and spaces."""
    by_loose_name = {}
    for name in header:
        by_loose_name.setdefault(name.strip().lower(), name)

    columns = {}
    for column, line in mapping.columns:
        if column in header:
            columns[column] = column
        elif column.strip().lower() in by_loose_name:
            columns[column] = by_loose_name[column.strip().lower()]
        else:
            hint = closest(column, header)
            raise MappingError(
                mapping.source, line, f"column '{column}' is not in the header of {input_name}.{hint}"
            )
    return BoundMapping(mapping, columns)


def apply_mapping(bound: BoundMapping, frame: pd.DataFrame) -> MappedChunk:
    result = MappedChunk(pd.DataFrame(index=frame.index))
    for rule in bound.mapping.rules:
        if rule.constant is not None:
            result.frame[rule.target] = pd.Series(rule.constant, index=frame.index, dtype=object)
            continue
        column = bound.columns[rule.column]
        result.frame[rule.target] = _apply_rule(rule, frame[column], result.problems)
    return result


def _apply_rule(rule: FieldRule, raw: pd.Series, problems: dict[int, list[Problem]]) -> pd.Series:
    values = raw.astype(object)
    if rule.trim or rule.target == "email":
        values = values.str.strip()
    if rule.strip_prefix:
        values = values.str.removeprefix(rule.strip_prefix)
    if rule.case == "lower" or rule.target == "email":
        values = values.str.lower()
    elif rule.case == "upper":
        values = values.str.upper()
    if rule.lookup:
        values = values.map(lambda value: rule.lookup.get(value, value))

    values = values.where(values.str.strip() != "", None)
    if rule.boolean is not None:
        values = _to_booleans(rule, raw, values, problems)
    elif rule.date_formats or rule.target in ("dob", "memberSince"):
        values = _to_api_dates(rule, raw, values, problems)

    if rule.default is not None:
        values = values.where(values.notna(), rule.default)
    return values


def _to_booleans(rule: FieldRule, raw: pd.Series, values: pd.Series, problems) -> pd.Series:
    table = rule.boolean.lookup_table(rule.invert)
    present = values.notna()
    converted = values.where(present, "").str.strip().str.lower().map(table)
    converted = converted.astype(object).where(converted.notna(), None)

    for position in values.index[present & converted.isna()]:
        value = raw.at[position]
        message = (
            f"'{value}' in column '{rule.column}' is not in the boolean vocabulary "
            f"{rule.boolean.describe()}."
        )
        problems.setdefault(position, []).append(Problem(INVALID_BOOLEAN, rule.target, value, message))
    return converted


def _to_api_dates(rule: FieldRule, raw: pd.Series, values: pd.Series, problems) -> pd.Series:
    formats = rule.date_formats or (API_DATE_FORMAT,)
    present = values.notna()
    converted = pd.Series(None, index=values.index, dtype=object)

    for date_format in formats:
        pending = present & converted.isna()
        if not pending.any():
            break
        parsed = pd.to_datetime(values[pending], format=date_format, errors="coerce")
        parsed = parsed[parsed.notna()]
        converted[parsed.index] = parsed.dt.strftime(API_DATE_FORMAT)

    for position in values.index[present & converted.isna()]:
        value = raw.at[position]
        message = (
            f"'{value}' in column '{rule.column}' is not a real date in the format(s) "
            f"{', '.join(formats)}."
        )
        problems.setdefault(position, []).append(Problem(INVALID_DATE, rule.target, value, message))
    return converted
