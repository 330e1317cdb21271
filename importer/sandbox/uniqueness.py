"""The keys that identify a customer within a tenant, and repeats of them in one batch."""

from __future__ import annotations

from dataclasses import dataclass

from importer import customer as fields
from importer.validation.problems import Problem
from importer.validation.rules import normalize_email

KEY_FIELDS = tuple(fields.UNIQUE_FIELDS)


@dataclass(frozen=True, slots=True)
class FieldError:
    """One problem of one customer as the sandbox reports it in a 400 body.

    ``index`` is the customer's position in an ``upload-customers`` batch, and
    None for a request that carries a single customer.
    """

    field: str
    message: str
    index: int | None = None

    @classmethod
    def from_problem(cls, problem: Problem, index: int | None = None) -> FieldError:
        return cls(problem.field, problem.message, index)

    def to_json(self) -> dict[str, object]:
        body: dict[str, object] = {}
        if self.index is not None:
            body["index"] = self.index
        body["field"] = self.field
        body["message"] = self.message
        return body


def customer_keys(customer: dict) -> dict[str, str]:
    """Return the unique keys of a customer, by field name.

    The email is trimmed and lower-cased because emails are unique regardless
    of case. Keys that are missing, empty or not strings are left out.
    """
    keys = {}
    for name in KEY_FIELDS:
        value = customer.get(name)
        if not isinstance(value, str):
            continue
        if name == "email":
            value = normalize_email(value)
        if value:
            keys[name] = value
    return keys


def find_repeated_keys(customers: list[object]) -> list[FieldError]:
    """Report every customer of a batch that shares a key with another one of the batch.

    Each customer sharing a key gets its own error naming the other indexes,
    so that none of them is stored (the batch is rejected as a whole anyway).
    """
    indexes_by_key: dict[tuple[str, str], list[int]] = {}
    for index, customer in enumerate(customers):
        if isinstance(customer, dict):
            for name, value in customer_keys(customer).items():
                indexes_by_key.setdefault((name, value), []).append(index)

    errors = []
    for (name, value), indexes in indexes_by_key.items():
        if len(indexes) < 2:
            continue
        for index in indexes:
            others = ", ".join(str(other) for other in indexes if other != index)
            message = f"{name} '{value}' is also used at index {others} of this batch."
            errors.append(FieldError(name, message, index))
    return errors


def existing_key_message(name: str, value: str) -> str:
    return f"A customer with {name} '{value}' already exists in this tenant."
