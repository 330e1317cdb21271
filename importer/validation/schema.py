"""The Pandera schema of a mapped chunk, and the problems it finds.

The schema is built for the field paths a mapping produces. Each check is
named by the problem code it reports, so a Pandera failure case turns
directly into a Problem. The message comes from the single-value form of the
same rule in ``importer.validation.rules``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from importer import customer as fields
from importer.validation import rules
from importer.validation.problems import (
    FUTURE_DATE,
    INVALID_COUNTRY_CODE,
    INVALID_DATE,
    INVALID_EMAIL,
    INVALID_TEXT,
    INVALID_TIMESTAMP,
    MISSING_EMAIL,
    Problem,
)


def build_schema(paths: list[str], today: dt.date) -> pa.DataFrameSchema:
    columns = {path: _column(path, today) for path in paths}
    return pa.DataFrameSchema(columns, name="Customer")


def find_problems(frame: pd.DataFrame, today: dt.date) -> dict[int, list[Problem]]:
    """Validate a mapped chunk and return its problems by row position."""
    if "email" not in frame.columns:
        # Every customer needs an email, so a frame without the column fails on every row.
        frame = frame.assign(email=pd.Series(None, index=frame.index, dtype=object))
    schema = build_schema(list(frame.columns), today)
    try:
        schema.validate(frame, lazy=True)
    except SchemaErrors as exc:
        return _problems_from_failures(exc.failure_cases, today)
    return {}


def _column(path: str, today: dt.date) -> pa.Column:
    checks = [pa.Check(check, name=code, ignore_na=False) for code, check in _checks(path, today)]
    return pa.Column(None, checks=checks, nullable=True, required=False)


def _checks(path: str, today: dt.date) -> list[tuple[str, Callable[[pd.Series], pd.Series]]]:
    if fields.is_boolean_path(path):
        return []
    if path == "email":
        return [(MISSING_EMAIL, lambda values: values.notna()), (INVALID_EMAIL, rules.valid_email_mask)]
    if path in fields.DATE_FIELDS:
        return [
            (INVALID_DATE, lambda values: rules.date_codes(values, today) != INVALID_DATE),
            (FUTURE_DATE, lambda values: rules.date_codes(values, today) != FUTURE_DATE),
        ]
    if fields.is_timestamp_path(path):
        return [(INVALID_TIMESTAMP, _valid_timestamp_mask)]

    checks = [(INVALID_TEXT, rules.valid_text_mask)]
    if fields.is_country_code_path(path):
        checks.append((INVALID_COUNTRY_CODE, rules.valid_country_code_mask))
    return checks


def _valid_timestamp_mask(values: pd.Series) -> pd.Series:
    return values.map(lambda value: value is None or rules.timestamp_problem("", value) is None).astype(bool)


def _problems_from_failures(failures: pd.DataFrame, today: dt.date) -> dict[int, list[Problem]]:
    problems: dict[int, list[Problem]] = {}
    for row in failures.itertuples(index=False):
        if row.index is None or pd.isna(row.index):
            # A check that raised has no row: every row of the chunk is unchecked.
            raise RuntimeError(f"validation check {row.check} on {row.column} failed: {row.failure_case}")
        value = None if pd.isna(row.failure_case) else str(row.failure_case)
        problem = _describe(row.check, row.column, value, today)
        problems.setdefault(int(row.index), []).append(problem)
    return problems


def _describe(code: str, path: str, value: str | None, today: dt.date) -> Problem:
    problem: Problem | None = None
    if code in (MISSING_EMAIL, INVALID_EMAIL):
        problem = rules.email_problem(value)
    elif code in (INVALID_DATE, FUTURE_DATE):
        problem = rules.date_problem(path, value, today)
    elif code == INVALID_TIMESTAMP:
        problem = rules.timestamp_problem(path, value)
    elif code == INVALID_COUNTRY_CODE:
        problem = rules.country_code_problem(path, value)
    elif code == INVALID_TEXT:
        problem = rules.text_problem(path, value)

    if problem is None or problem.code != code:
        # NOTE: the vectorized and single-value forms of a rule disagreed;
        # the row is still rejected, under the vectorized check's code.
        return Problem(code, path, value or "", f"'{value}' failed the {code} check.")
    return problem
