"""The importer's validation and the sandbox accept and reject the same customers.

Each case is a mapped row (field paths to values, as the mapping stage
produces them). The importer side runs the Pandera schema on it; the sandbox
side receives the payload built from it over real HTTP, one customer per
batch, and responds with 202 or 400.
"""

from __future__ import annotations

import datetime as dt

import httpx
import pandas as pd
import pytest

from importer.payload import build_customers
from importer.validation.schema import find_problems
from sandbox_process import API_PATH, DEMO_HEADERS, running_sandbox

VALID = True
REJECTED = False

CASES = [
    ("plain", {"email": "ann@example.com"}, VALID),
    ("every field", {
        "email": "ann@example.com", "customerRef": "C1", "alternateCustomerRef": "A1", "firstName": "Ann",
        "lastName": "Lee", "mobile": "+61412345678", "phone": "0298765432", "dob": "28-11-1999",
        "memberSince": "01-01-2020", "vipStatus": True, "loyaltyTier": "Gold", "spendToNextTier": "120.00",
        "joinedStoreId": "S1", "addresses[0].countryCode": "AU", "addresses[0].postcode": "0800",
        "optin_preferences.email.opt_in_active": True,
        "optin_preferences.email.opted_in_at": "2023-05-19T03:48:22.075Z",
        "attributeGroups.crm.attributes.tags": "a, b",
    }, VALID),
    ("missing email", {"firstName": "Ann"}, REJECTED),
    ("email without at", {"email": "ann.example.com"}, REJECTED),
    ("email with space inside", {"email": "ann lee@example.com"}, REJECTED),
    ("email with two at signs", {"email": "ann@@example.com"}, REJECTED),
    ("email without top-level domain", {"email": "ann@example"}, REJECTED),
    ("email with double dot", {"email": "ann..lee@example.com"}, REJECTED),
    ("email on special-use domain", {"email": "ann@shop.test"}, REJECTED),
    ("email with non-ascii local part", {"email": "zoë@example.com"}, VALID),
    ("email with plus tag", {"email": "ann+news@example.co.nz"}, VALID),
    ("names that look missing", {"email": "n@example.com", "firstName": "Null", "lastName": "NA"}, VALID),
    ("dob of 31 February", {"email": "a@example.com", "dob": "31-02-2020"}, REJECTED),
    ("dob of 29 February in a leap year", {"email": "a@example.com", "dob": "29-02-2020"}, VALID),
    ("dob of 29 February in a common year", {"email": "a@example.com", "dob": "29-02-2023"}, REJECTED),
    ("dob before 1900", {"email": "a@example.com", "dob": "31-12-1899"}, REJECTED),
    ("dob in 1900", {"email": "a@example.com", "dob": "01-01-1900"}, VALID),
    ("dob in the future", {"email": "a@example.com", "dob": "01-01-2999"}, REJECTED),
    ("dob in year-first form", {"email": "a@example.com", "dob": "1999-11-28"}, REJECTED),
    ("memberSince without padding", {"email": "a@example.com", "memberSince": "1-1-2020"}, REJECTED),
    ("country code AU", {"email": "a@example.com", "addresses[0].countryCode": "AU"}, VALID),
    ("country code UK", {"email": "a@example.com", "addresses[0].countryCode": "UK"}, REJECTED),
    ("country code in lower case", {"email": "a@example.com", "addresses[0].countryCode": "au"}, REJECTED),
    ("country name", {"email": "a@example.com", "addresses[1].countryCode": "Australia"}, REJECTED),
    ("control character in name", {"email": "a@example.com", "firstName": "A\x07nn"}, REJECTED),
    ("tab in address", {"email": "a@example.com", "addresses[0].address1": "1\tMain St"}, REJECTED),
    ("line breaks in attribute", {"email": "a@example.com", "attributeGroups.g.attributes.note": "one\r\ntwo"}, VALID),
    ("timestamp without milliseconds", {"email": "a@example.com", "optin_preferences.sms.opted_in_at": "2023-05-19T03:48:22Z"}, REJECTED),
    ("timestamp of 30 February", {"email": "a@example.com", "optin_preferences.sms.opt_in_updated_at": "2023-02-30T03:48:22.075Z"}, REJECTED),
    ("boolean false", {"email": "a@example.com", "vipStatus": False}, VALID),
]

TODAY = dt.date.today()


def importer_accepts(row: dict) -> bool:
    frame = pd.DataFrame([row], dtype=object)
    return not find_problems(frame, TODAY)


def payload_of(row: dict) -> dict:
    frame = pd.DataFrame([row], dtype=object)
    return next(build_customers(frame, {}))


@pytest.fixture(scope="module")
def sandbox_url():
    with running_sandbox() as base_url:
        yield base_url


@pytest.mark.parametrize("name, row, expected", CASES, ids=[case[0] for case in CASES])
def test_importer_and_sandbox_agree(sandbox_url, name, row, expected):
    url = f"{sandbox_url}/services/customerservice/api/v2/upload-customers"

    response = httpx.post(url, json=[payload_of(row)], headers=DEMO_HEADERS)
    httpx.post(f"{sandbox_url}/_sandbox/reset")

    assert importer_accepts(row) is expected
    assert response.status_code == (202 if expected else 400), response.text


def test_api_path_matches_sandbox_helper():
    assert API_PATH == "/services/customerservice/api/v2"
