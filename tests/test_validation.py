import datetime as dt
import random
import string

import pandas as pd
import pytest
from email_validator import EmailNotValidError, validate_email

from importer.validation import rules
from importer.validation.customer_check import check_customer
from importer.validation.schema import find_problems

TODAY = dt.date(2026, 12, 4)


def flat(problems):
    return [(position, problem.code, problem.field, problem.value) for position, items in sorted(problems.items()) for problem in items]


def frame(**columns):
    return pd.DataFrame(columns, dtype=object)


def test_email_rules_on_hard_cases():
    emails = frame(email=["ann@example.com", None, "a b@example.com", "bob@@example.com", "x@example", "zoë@example.net", "z@shop.test"])

    assert flat(find_problems(emails, TODAY)) == [
        (1, "missing-email", "email", ""),
        (2, "invalid-email", "email", "a b@example.com"),
        (3, "invalid-email", "email", "bob@@example.com"),
        (4, "invalid-email", "email", "x@example"),
        (6, "invalid-email", "email", "z@shop.test"),
    ]


def test_email_message_comes_from_email_validator():
    problems = find_problems(frame(email=["a b@example.com"]), TODAY)

    assert problems[0][0].message == (
        "'a b@example.com' is not a valid email address: "
        "The email address contains invalid characters before the @-sign: SPACE."
    )


def test_date_rules_on_hard_cases():
    dates = frame(
        email=["a@example.com"] * 6,
        dob=["28-11-1999", "31-02-2020", "29-02-2021", "29-02-2020", "01-01-1899", "05-12-2026"],
    )

    assert flat(find_problems(dates, TODAY)) == [
        (1, "invalid-date", "dob", "31-02-2020"),
        (2, "invalid-date", "dob", "29-02-2021"),
        (4, "invalid-date", "dob", "01-01-1899"),
        (5, "future-date", "dob", "05-12-2026"),
    ]


def test_row_with_several_problems_reports_all():
    row = frame(email=["bad"], memberSince=["01-13-2020"], **{"addresses[0].countryCode": ["UK"], "firstName": ["A\x00B"]})

    assert flat(find_problems(row, TODAY)) == [
        (0, "invalid-email", "email", "bad"),
        (0, "invalid-date", "memberSince", "01-13-2020"),
        (0, "invalid-country-code", "addresses[0].countryCode", "UK"),
        (0, "invalid-text", "firstName", "A\x00B"),
    ]


def test_line_breaks_allowed_in_text():
    notes = frame(email=["a@example.com"], **{"attributeGroups.g.attributes.note": ["one\r\ntwo\nthree"]})

    assert find_problems(notes, TODAY) == {}


def test_fast_email_path_agrees_with_email_validator():
    generator = random.Random(7)
    alphabet = string.ascii_lowercase + string.digits + ".-_+%@"
    candidates = ["".join(generator.choice(alphabet) for _ in range(generator.randint(3, 20))) for _ in range(4000)]
    candidates += [f"{name}@{domain}" for name in ("a", "a.b", "a..b", "-a") for domain in ("x.co", "x-.co", "-x.co", "x.c", "x.museum", "x.local", "xn--ls8h.la")]

    for candidate in candidates:
        try:
            validate_email(candidate, check_deliverability=False)
            expected = True
        except EmailNotValidError:
            expected = False
        assert bool(rules.valid_email_mask(pd.Series([candidate], dtype=object))[0]) is expected, candidate


@pytest.mark.parametrize(
    "customer, codes",
    [
        ({"email": "ann@example.com"}, []),
        ({"email": "ANN@example.com", "dob": "28-11-1999", "vipStatus": True}, []),
        ({"firstName": "Ann"}, ["missing-email"]),
        ({"email": "ann@example.com", "dob": "1999-11-28"}, ["invalid-date"]),
        ({"email": "ann@example.com", "vipStatus": "yes"}, ["invalid-boolean"]),
        ({"email": "ann@example.com", "addresses": [{"countryCode": "XX"}]}, ["invalid-country-code"]),
        ({"email": "ann@example.com", "totalSpend": "10"}, ["invalid-field"]),
        ({"email": "ann@example.com", "addresses": {"city": "X"}}, ["invalid-field"]),
        ({"email": "ann@example.com", "optin_preferences": {"email": {"opted_in_at": "2023-05-19 03:48"}}}, ["invalid-timestamp"]),
    ],
)
def test_check_customer(customer, codes):
    assert [problem.code for problem in check_customer(customer, TODAY)] == codes
