import datetime as dt
import random
import string

import pandas as pd
import pytest
from email_validator import EmailNotValidError, validate_email

from importer.mapping.apply import apply_mapping, bind_mapping
from importer.mapping.errors import MappingError
from importer.mapping.loader import load_mapping
from importer.validation import rules
from importer.validation.date_formats import check_four_digit_years
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


@pytest.mark.parametrize(
    "value, code, message",
    [
        ("29-02-2023", "invalid-date", "'29-02-2023' is not a real calendar date."),
        ("31-02-2024", "invalid-date", "'31-02-2024' is not a real calendar date."),
        ("29-02-2024", None, None),
        ("28-11-99", "invalid-date", "'28-11-99' is not a date in dd-mm-yyyy form."),
        ("05-12-2026", "future-date", "'05-12-2026' is in the future (today is 04-12-2026)."),
        ("04-12-2026", None, None),
        ("31-12-1899", "invalid-date", "'31-12-1899' is before 1900; check the year."),
    ],
)
def test_date_problem_messages(value, code, message):
    problem = rules.date_problem("dob", value, TODAY)

    assert (problem.code if problem else None) == code
    assert (problem.message if problem else None) == message


def test_vectorized_dates_agree_with_single_value_rule():
    values = ["29-02-2023", "31-02-2024", "29-02-2024", "28-11-99", "05-12-2026", "04-12-2026", "31-12-1899", "1-1-2000"]

    codes = rules.date_codes(pd.Series(values, dtype=object), TODAY)

    for value, code in zip(values, codes):
        problem = rules.date_problem("dob", value, TODAY)
        assert code == (problem.code if problem else ""), value


def write_mapping(tmp_path, date_formats):
    path = tmp_path / "mapping.yaml"
    path.write_text(f"fields:\n  email: Email\n  dob:\n    column: Birthday\n    date_formats: {date_formats}\n", encoding="utf-8")
    return path


def test_two_digit_year_format_refused(tmp_path):
    mapping = load_mapping(str(write_mapping(tmp_path, '["%Y-%m-%d", "%d/%m/%y"]')))

    with pytest.raises(MappingError) as raised:
        check_four_digit_years(mapping)

    assert str(raised.value) == (
        f"{tmp_path / 'mapping.yaml'}: line 3: date format '%d/%m/%y' of dob has a two-digit year (%y), so the "
        "century would be a guess; export the dates with four-digit years and declare %Y instead."
    )


def test_four_digit_year_formats_accepted(tmp_path):
    mapping = load_mapping(str(write_mapping(tmp_path, '["%d/%m/%Y", "%Y-%m-%d", "%d.%m.%Y %H:%M"]')))

    check_four_digit_years(mapping)


@pytest.mark.parametrize(
    "raw, codes",
    [
        ("  ann@example.com  ", []),
        ("\u00a0ann@example.com\u00a0", []),
        ("\tANN@Example.com ", []),
        ("ann @example.com", ["invalid-email"]),
        ("ann@ example.com", ["invalid-email"]),
        ("ann@exa mple.com", ["invalid-email"]),
        ("   ", ["missing-email"]),
    ],
)
def test_email_spaces_around_trimmed_inside_rejected(raw, codes, tmp_path):
    path = tmp_path / "mapping.yaml"
    path.write_text("fields:\n  email: Email\n", encoding="utf-8")
    bound = bind_mapping(load_mapping(str(path)), ["Email"], "in.csv")

    mapped = apply_mapping(bound, pd.DataFrame({"Email": [raw]}, dtype=object))

    assert [problem.code for problem in find_problems(mapped.frame, TODAY).get(0, [])] == codes
