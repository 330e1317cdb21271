"""Check one Customer JSON object the way the Customer API does.

The sandbox runs this on every customer it receives. It applies the same rules
(from ``importer.validation.rules``) that the importer's Pandera schema applies
to whole chunks, so a customer that ``validate`` accepts is accepted here too.
"""

from __future__ import annotations

import datetime as dt

from importer import customer as fields
from importer.validation import rules
from importer.validation.problems import Problem

INVALID_FIELD = "invalid-field"

_TOP_LEVEL_SCALARS = frozenset(
    (*fields.TOP_LEVEL_TEXT_FIELDS, *fields.DATE_FIELDS, *fields.TOP_LEVEL_BOOLEAN_FIELDS)
)


def check_customer(customer: object, today: dt.date) -> list[Problem]:
    """Return every problem of one customer; an empty list means it is valid."""
    if not isinstance(customer, dict):
        return [Problem(INVALID_FIELD, "", str(customer), "A customer must be a JSON object.")]

    problems = _check_structure(customer)
    if problems:
        return problems

    flat = fields.flatten_customer(customer)
    email = flat.get("email")
    if email is not None and not isinstance(email, str):
        problems.append(Problem(INVALID_FIELD, "email", str(email), "'email' must be a JSON string."))
    else:
        email_problem = rules.email_problem(email or None)
        if email_problem:
            problems.append(email_problem)
    for path, value in flat.items():
        problem = _check_value(path, value, today)
        if problem:
            problems.append(problem)
    return problems


def _check_structure(customer: dict) -> list[Problem]:
    problems = []
    for key, value in customer.items():
        expected = _expected_container(key)
        if expected is None:
            message = f"'{key}' is not a Customer field the API accepts."
            problems.append(Problem(INVALID_FIELD, key, "", message))
        elif expected is not str and not isinstance(value, expected):
            message = f"'{key}' must be a JSON {expected.__name__}."
            problems.append(Problem(INVALID_FIELD, key, str(value), message))
        elif expected is not str:
            problems.extend(_check_nested_objects(key, value))
    return problems


def _check_nested_objects(key: str, value: list | dict) -> list[Problem]:
    """Report the nested members that are neither a JSON object nor null.

    Addresses, opt-in preferences, attribute groups and attribute maps must be
    objects, because flatten_customer reads them as objects.
    """
    if key == "addresses":
        members = [(f"addresses[{index}]", item) for index, item in enumerate(value)]
    else:
        members = [(f"{key}.{name}", item) for name, item in value.items()]
    if key == "attributeGroups":
        members += [
            (f"{path}.attributes", group.get("attributes"))
            for path, group in members
            if isinstance(group, dict)
        ]

    problems = []
    for path, item in members:
        if item is not None and not isinstance(item, dict):
            message = f"'{path}' must be a JSON object."
            problems.append(Problem(INVALID_FIELD, path, str(item), message))
    return problems


def _expected_container(key: str) -> type | None:
    if key == "addresses":
        return list
    if key in ("optin_preferences", "attributeGroups"):
        return dict
    if key in _TOP_LEVEL_SCALARS:
        return str
    return None


def _check_value(path: str, value: object, today: dt.date) -> Problem | None:
    if path == "email":
        return None
    if not fields.is_known_path(path):
        message = f"'{path}' is not a Customer field the API accepts."
        return Problem(INVALID_FIELD, path, str(value), message)
    if fields.is_boolean_path(path):
        return rules.boolean_problem(path, value)
    if not isinstance(value, str):
        return Problem(INVALID_FIELD, path, str(value), f"'{path}' must be a JSON string.")

    if path in fields.DATE_FIELDS:
        return rules.date_problem(path, value, today)
    if fields.is_timestamp_path(path):
        return rules.timestamp_problem(path, value)
    if fields.is_country_code_path(path):
        return rules.country_code_problem(path, value)
    return rules.text_problem(path, value)
