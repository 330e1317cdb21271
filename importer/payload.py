"""Turn mapped rows into Customer JSON objects as the Customer API spells them.

A field without a value is left out; so is an opt-in channel or an attribute
group that ends up with no fields at all. An address is left out unless it has
a field other than the person's names, because mappings commonly copy the
customer's names into every address and a name alone is no address.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pandas as pd

_ADDRESS = re.compile(r"^addresses\[(\d+)\]\.(\w+)$")
_OPTIN = re.compile(r"^optin_preferences\.(\w+)\.(\w+)$")
_ATTRIBUTE = re.compile(r"^attributeGroups\.([^.]+)\.attributes\.(.+)$")
_NAME_FIELDS = frozenset({"firstName", "lastName", "name"})


def _placement(path: str) -> tuple:
    """Return where a field path goes: ("top", name), ("address", i, name), ..."""
    if match := _ADDRESS.match(path):
        return ("address", int(match.group(1)), match.group(2))
    if match := _OPTIN.match(path):
        return ("optin", match.group(1), match.group(2))
    if match := _ATTRIBUTE.match(path):
        return ("attribute", match.group(1), match.group(2))
    return ("top", path)


def build_customers(frame: pd.DataFrame, group_descriptions: dict[str, str]) -> Iterator[dict]:
    """Yield one Customer object per row of a mapped frame, in row order."""
    placements = [_placement(path) for path in frame.columns]
    for values in zip(*(frame[column].tolist() for column in frame.columns)):
        yield _build_one(placements, values, group_descriptions)


def _build_one(placements: list[tuple], values: tuple, group_descriptions: dict[str, str]) -> dict:
    customer: dict = {}
    addresses: dict[int, dict] = {}
    optins: dict[str, dict] = {}
    groups: dict[str, dict] = {}

    for placement, value in zip(placements, values):
        if value is None:
            continue
        kind = placement[0]
        if kind == "top":
            customer[placement[1]] = value
        elif kind == "address":
            addresses.setdefault(placement[1], {})[placement[2]] = value
        elif kind == "optin":
            optins.setdefault(placement[1], {})[placement[2]] = value
        else:
            groups.setdefault(placement[1], {})[placement[2]] = value

    kept = [addresses[index] for index in sorted(addresses) if not addresses[index].keys() <= _NAME_FIELDS]
    if kept:
        customer["addresses"] = kept
    if optins:
        customer["optin_preferences"] = optins
    if groups:
        customer["attributeGroups"] = {
            name: _group(attributes, group_descriptions.get(name)) for name, attributes in groups.items()
        }
    return customer


def _group(attributes: dict[str, str], description: str | None) -> dict:
    group: dict = {"attributes": attributes}
    if description:
        group["description"] = description
    return group
