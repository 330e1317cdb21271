"""The TWC Customer as the Customer API spells it.

Mapping targets, payload building, validation and the sandbox all take their
field names from here, so a field is spelled one way everywhere.

Inside the importer a customer is a flat record whose keys are *field paths*:
``email``, ``addresses[0].city``, ``optin_preferences.email.opt_in_active`` or
``attributeGroups.shopify.attributes.Tags``. The payload stage nests them.
"""

from __future__ import annotations

import re

TOP_LEVEL_TEXT_FIELDS = (
    "customerRef",
    "alternateCustomerRef",
    "email",
    "firstName",
    "lastName",
    "mobile",
    "phone",
    "loyaltyTier",
    "spendToNextTier",
    "joinedStoreId",
)
DATE_FIELDS = ("dob", "memberSince")
TOP_LEVEL_BOOLEAN_FIELDS = ("vipStatus",)

ADDRESS_FIELDS = (
    "address1",
    "address2",
    "addressRef",
    "city",
    "company",
    "email",
    "firstName",
    "lastName",
    "name",
    "postcode",
    "phone",
    "province",
    "provinceCode",
    "country",
    "countryCode",
)

OPTIN_CHANNELS = ("email", "sms")
OPTIN_FIELDS = ("opt_in_active", "opted_in_at", "opt_in_updated_at")

# Fields the API calculates itself; a mapping that targets one is an error.
CALCULATED_FIELDS = (
    "id",
    "lifetimeOrderValue",
    "averageSpendPerAnnum",
    "running12monthSpend",
    "totalOrders",
    "totalSpend",
    "lastOrderDate",
    "lastOrderRef",
    "createdDate",
    "lastModified",
    "lastModifiedDate",
    "deleted",
)

# Keys that must be unique across a run and within a tenant, with the problem
# code reported for a repeat.
UNIQUE_FIELDS = {
    "email": "duplicate-email",
    "customerRef": "duplicate-customer-ref",
    "alternateCustomerRef": "duplicate-alternate-customer-ref",
}

MAX_ADDRESSES = 10

_ADDRESS_PATH = re.compile(r"^addresses\[(\d+)\]\.(\w+)$")
_OPTIN_PATH = re.compile(r"^optin_preferences\.(\w+)\.(\w+)$")
_ATTRIBUTE_PATH = re.compile(r"^attributeGroups\.([^.]+)\.attributes\.(.+)$")
_GROUP_DESCRIPTION_PATH = re.compile(r"^attributeGroups\.([^.]+)\.description$")


def address_path(index: int, name: str) -> str:
    return f"addresses[{index}].{name}"


def optin_path(channel: str, name: str) -> str:
    return f"optin_preferences.{channel}.{name}"


def attribute_path(group: str, name: str) -> str:
    return f"attributeGroups.{group}.attributes.{name}"


def group_description_path(group: str) -> str:
    return f"attributeGroups.{group}.description"


def is_known_path(path: str) -> bool:
    """Tell whether ``path`` names a field the importer may send."""
    if path in TOP_LEVEL_TEXT_FIELDS or path in DATE_FIELDS or path in TOP_LEVEL_BOOLEAN_FIELDS:
        return True

    address = _ADDRESS_PATH.match(path)
    if address:
        return int(address.group(1)) < MAX_ADDRESSES and address.group(2) in ADDRESS_FIELDS

    optin = _OPTIN_PATH.match(path)
    if optin:
        return optin.group(1) in OPTIN_CHANNELS and optin.group(2) in OPTIN_FIELDS

    return bool(_ATTRIBUTE_PATH.match(path) or _GROUP_DESCRIPTION_PATH.match(path))


def is_boolean_path(path: str) -> bool:
    return path in TOP_LEVEL_BOOLEAN_FIELDS or path.endswith(".opt_in_active")


def is_timestamp_path(path: str) -> bool:
    return path.endswith(".opted_in_at") or path.endswith(".opt_in_updated_at")


def is_country_code_path(path: str) -> bool:
    return path.endswith(".countryCode") and path.startswith("addresses[")


def all_simple_paths() -> list[str]:
    """List every fixed field path, for suggesting the closest one to a typo."""
    paths = [*TOP_LEVEL_TEXT_FIELDS, *DATE_FIELDS, *TOP_LEVEL_BOOLEAN_FIELDS]
    paths += [address_path(0, name) for name in ADDRESS_FIELDS]
    paths += [optin_path(channel, name) for channel in OPTIN_CHANNELS for name in OPTIN_FIELDS]
    return paths


def flatten_customer(customer: dict) -> dict[str, object]:
    """Turn a nested Customer JSON object back into field paths.

    Keys the importer never sends (such as ``id``) are kept under their own
    names, so a caller can still see and reject them.
    """
    flat: dict[str, object] = {}
    for key, value in customer.items():
        if key == "addresses" and isinstance(value, list):
            for index, address in enumerate(value):
                for name, item in (address or {}).items():
                    flat[address_path(index, name)] = item
        elif key == "optin_preferences" and isinstance(value, dict):
            for channel, preference in value.items():
                for name, item in (preference or {}).items():
                    flat[optin_path(channel, name)] = item
        elif key == "attributeGroups" and isinstance(value, dict):
            for group, content in value.items():
                content = content or {}
                for name, item in (content.get("attributes") or {}).items():
                    flat[attribute_path(group, name)] = item
                if "description" in content:
                    flat[group_description_path(group)] = content["description"]
        else:
            flat[key] = value
    return flat
