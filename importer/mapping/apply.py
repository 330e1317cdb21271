"""Bind a mapping to an input's header and apply it to chunks of records."""

from __future__ import annotations

import dataclasses
import fnmatch
import re
from collections.abc import Collection
from dataclasses import dataclass, field

import pandas as pd

from importer import customer as fields
from importer.mapping import convert
from importer.mapping.errors import MappingError, closest
from importer.mapping.model import FieldRule, Mapping, RestGroup
from importer.mapping.rule_keys import template_parts
from importer.reports.cells import META_COLUMNS
from importer.validation.problems import Problem


@dataclass(frozen=True)
class BoundMapping:
    """A mapping checked against one input.

    ``columns`` gives, for each column a rule names, its name in this
    input's header. ``rules`` are the mapping's rules plus one rule per column
    taken by a rest attribute group. ``file_values`` contains the value each
    ``when_file`` rule takes for this input's file name.
    """

    mapping: Mapping
    columns: dict[str, str]
    rules: tuple[FieldRule, ...] = ()
    file_values: dict[str, str | bool | None] = field(default_factory=dict)

    def only(self, targets: Collection[str]) -> BoundMapping:
        """Return the same binding restricted to the rules for ``targets``."""
        return dataclasses.replace(self, rules=tuple(rule for rule in self.rules if rule.target in targets))


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
    """Check ``mapping`` against one input, before any of its rows is read.

    Columns are found exactly, then ignoring case and surrounding spaces.
    Raises MappingError naming the mapping line for a column the header
    lacks, or for a file name that no ``when_file`` pattern matches.
    """
    columns = bind_columns(mapping, header, input_name)
    rules = mapping.rules + _rest_rules(mapping, header, set(columns.values()))
    file_values = {rule.target: _file_value(rule, mapping, input_name) for rule in mapping.rules if rule.when_file}
    return BoundMapping(mapping, columns, rules, file_values)


def bind_columns(mapping: Mapping, header: list[str], input_name: str) -> dict[str, str]:
    """Find every column the rules read in ``header``; raise MappingError for the first one missing."""
    by_loose_name: dict[str, str] = {}
    for name in header:
        by_loose_name.setdefault(name.strip().lower(), name)

    columns: dict[str, str] = {}
    missing: list[MappingError] = []
    for rule in mapping.rules:
        for wanted in _wanted_columns(rule):
            try:
                columns[wanted[0]] = _find_column(wanted, header, by_loose_name, mapping, rule, input_name)
            except MappingError as exc:
                missing.append(exc)

    if len(missing) == 1:
        raise missing[0]
    if missing:
        # Name every missing column at once, so one run shows everything to fix.
        details = "\n".join(f"  {error}" for error in missing)
        raise MappingError(mapping.source, None, f"{len(missing)} mapped columns are not in the header of {input_name}:\n{details}")
    return columns


def _wanted_columns(rule: FieldRule) -> list[tuple[str, ...]]:
    """List the columns a rule reads; each entry is a column and its fallbacks, in order."""
    if rule.template is not None:
        return [(column,) for column in rule.template_columns]
    if rule.column is not None:
        return [(rule.column, *rule.fallback_columns)]
    return []


def _find_column(wanted: tuple[str, ...], header: list[str], by_loose_name: dict[str, str], mapping: Mapping, rule: FieldRule, input_name: str) -> str:
    for column in wanted:
        if column in header:
            return column
        if column.strip().lower() in by_loose_name:
            return by_loose_name[column.strip().lower()]

    hint = closest(wanted[0], header)
    if len(wanted) == 1:
        message = f"column '{wanted[0]}' is not in the header of {input_name}.{hint}"
    else:
        names = ", ".join(f"'{column}'" for column in wanted)
        message = f"none of the columns {names} is in the header of {input_name}.{hint}"
    raise MappingError(mapping.source, rule.line, message)


def _rest_rules(mapping: Mapping, header: list[str], used: set[str]) -> tuple[FieldRule, ...]:
    rules = []
    for group in mapping.rest_groups:
        taken = {rule.target for rule in mapping.rules}
        for column in header:
            target = fields.attribute_path(group.group, column)
            if column in used or column in META_COLUMNS or target in taken or _excluded(column, group):
                continue
            rules.append(FieldRule(target=target, line=group.line, column=column))
    return tuple(rules)


def _excluded(column: str, group: RestGroup) -> bool:
    return any(fnmatch.fnmatchcase(column.lower(), pattern.lower()) for pattern in group.exclude)


def file_name_of(input_name: str) -> str:
    """Return the last part of an input name: the file name, or the member name inside an archive."""
    return re.split(r"[/\\!:]", input_name)[-1]


def _file_value(rule: FieldRule, mapping: Mapping, input_name: str) -> str | bool | None:
    """Pick the value of the first ``when_file`` pattern that matches the file name, ignoring case."""
    name = file_name_of(input_name).lower()
    for pattern, value in rule.when_file:
        if fnmatch.fnmatchcase(name, pattern.lower()):
            return value
    if rule.default is not None:
        return None
    patterns = ", ".join(f"'{pattern}'" for pattern, _ in rule.when_file)
    raise MappingError(
        mapping.source, rule.line,
        f"the file name of {input_name} matches none of the when_file patterns of '{rule.target}' "
        f"({patterns}); rename the file to match one, or give the rule a default.",
    )


def apply_mapping(bound: BoundMapping, frame: pd.DataFrame) -> MappedChunk:
    result = MappedChunk(pd.DataFrame(index=frame.index))
    for rule in bound.rules:
        if rule.constant is not None or rule.when_file:
            value = rule.constant if rule.constant is not None else bound.file_values[rule.target]
            if value is None:
                value = rule.default
            result.frame[rule.target] = pd.Series(value, index=frame.index, dtype=object)
            continue
        raw = _source_values(rule, bound, frame)
        result.frame[rule.target] = _apply_rule(rule, raw, result.problems)
    return result


def _source_values(rule: FieldRule, bound: BoundMapping, frame: pd.DataFrame) -> pd.Series:
    if rule.template is not None:
        return _fill_template(rule.template, bound, frame)
    values = frame[bound.columns.get(rule.column, rule.column)].astype(object)
    if rule.name_part is not None:
        values = values.map(lambda value: convert.split_full_name(value.strip(), rule.name_part) or "")
    return values


def _fill_template(template: str, bound: BoundMapping, frame: pd.DataFrame) -> pd.Series:
    """Fill the template for every row; runs of spaces left by empty cells become one space."""
    filled = pd.Series("", index=frame.index, dtype=object)
    for literal, column in template_parts(template):
        filled = filled + literal
        if column is not None:
            filled = filled + frame[bound.columns[column]].astype(object).str.strip()
    return filled.str.replace(r" {2,}", " ", regex=True).str.strip()


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

    blank = values.str.strip() == ""
    if rule.blank_if:
        blank |= values.str.fullmatch(rule.blank_if).astype(bool)
    values = values.where(~blank, None)
    values = _convert(rule, raw, values, problems)

    if rule.default is not None:
        values = values.where(values.notna(), rule.default)
    # Conversions may leave NaN for a missing value; the payload needs None.
    return values.astype(object).where(values.notna(), None)


def _convert(rule: FieldRule, raw: pd.Series, values: pd.Series, problems: dict[int, list[Problem]]) -> pd.Series:
    if rule.boolean is not None:
        return convert.to_booleans(rule, raw, values, problems)
    if fields.is_timestamp_path(rule.target):
        return convert.to_api_timestamps(rule, raw, values, problems)
    if rule.date_formats or rule.excel_serial or rule.target in fields.DATE_FIELDS:
        return convert.to_api_dates(rule, raw, values, problems)
    if rule.phone_region:
        return convert.to_e164(rule, raw, values, problems)
    if rule.country:
        return convert.to_country_codes(rule, raw, values, problems)
    return values
