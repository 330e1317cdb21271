import pandas as pd

from importer.payload import build_customers


def test_nesting_and_empty_values_left_out():
    frame = pd.DataFrame(
        {
            "email": ["ann@example.com", "bob@example.com"],
            "firstName": ["Null", None],
            "vipStatus": [False, None],
            "addresses[0].postcode": ["0800", None],
            "addresses[0].countryCode": ["AU", None],
            "addresses[1].city": [None, "Auckland"],
            "optin_preferences.email.opt_in_active": [True, None],
            "optin_preferences.sms.opt_in_active": [None, False],
            "attributeGroups.shop.attributes.tags": ["vip, wholesale", None],
        },
        dtype=object,
    )

    customers = list(build_customers(frame, {"shop": "Shop values"}))

    assert customers == [
        {
            "email": "ann@example.com",
            "firstName": "Null",
            "vipStatus": False,
            "addresses": [{"postcode": "0800", "countryCode": "AU"}],
            "optin_preferences": {"email": {"opt_in_active": True}},
            "attributeGroups": {"shop": {"attributes": {"tags": "vip, wholesale"}, "description": "Shop values"}},
        },
        {
            "email": "bob@example.com",
            "addresses": [{"city": "Auckland"}],
            "optin_preferences": {"sms": {"opt_in_active": False}},
        },
    ]


def test_address_of_names_only_left_out():
    frame = pd.DataFrame(
        {"email": ["ann@example.com"], "addresses[0].firstName": ["Ann"], "addresses[0].lastName": ["Lee"], "addresses[1].city": ["Perth"]},
        dtype=object,
    )

    assert list(build_customers(frame, {})) == [{"email": "ann@example.com", "addresses": [{"city": "Perth"}]}]
