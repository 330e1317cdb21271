from pathlib import Path

import pytest

from importer.mapping.apply import apply_mapping, bind_mapping
from importer.mapping.errors import MappingError
from importer.mapping.loader import load_mapping, parse_mapping, preset_names
from importer.sources.csv_reader import read_chunks, read_header

DATA = Path(__file__).parent / "data"
BASIC = DATA / "mappings" / "basic.yaml"
CUSTOMERS = DATA / "basic_customers.csv"


def mapped_rows():
    mapping = load_mapping(str(BASIC))
    bound = bind_mapping(mapping, read_header(CUSTOMERS), "basic_customers.csv")
    [chunk] = list(read_chunks(CUSTOMERS))
    return apply_mapping(bound, chunk.frame)


def test_every_rule_key_applied():
    mapped = mapped_rows()
    rows = mapped.frame.to_dict("records")

    assert rows[0] == {
        "customerRef": "1",
        "email": "ann@example.com",
        "firstName": "Ann",
        "lastName": " Lee ",
        "dob": "28-11-1999",
        "loyaltyTier": "Gold",
        "joinedStoreId": "WEB",
        "vipStatus": True,
        "optin_preferences.email.opt_in_active": True,
        "addresses[0].countryCode": "AU",
        "attributeGroups.crm.attributes.source": "shop",
    }
    assert rows[1]["dob"] == "28-11-1999"
    assert rows[1]["loyaltyTier"] == "Bronze"
    assert rows[1]["vipStatus"] is False
    assert rows[1]["optin_preferences.email.opt_in_active"] is False
    assert rows[1]["attributeGroups.crm.attributes.source"] is None


def test_conversion_problems_name_column_and_formats():
    problems = mapped_rows().problems

    assert list(problems) == [2]
    assert [(problem.code, problem.field, problem.value, problem.message) for problem in problems[2]] == [
        (
            "invalid-date",
            "dob",
            "1999-02-31",
            "'1999-02-31' in column 'Birthday' is not a real date in the format(s) %Y-%m-%d, %d/%m/%Y.",
        ),
        (
            "invalid-boolean",
            "vipStatus",
            "maybe",
            "'maybe' in column 'VIP' is not in the boolean vocabulary yes_no (yes, y / no, n).",
        ),
        (
            "invalid-boolean",
            "optin_preferences.email.opt_in_active",
            "X",
            "'X' in column 'Email Opt Out' is not in the boolean vocabulary opt_out (Y / N).",
        ),
    ]


def test_unknown_values_pass_lookup_unchanged():
    rows = mapped_rows().frame.to_dict("records")

    assert rows[2]["loyaltyTier"] == "PLATINUM"


def test_shopify_preset_found_by_name():
    assert "shopify" in preset_names()
    mapping = load_mapping("shopify")

    assert mapping.source == "preset shopify"
    assert mapping.duplicates == "reject"


def test_unknown_preset_suggests_closest():
    with pytest.raises(MappingError) as error:
        load_mapping("shopfy")

    assert str(error.value) == (
        "shopfy: no mapping file at this path and no preset of this name. "
        f"Did you mean 'shopify'? Presets: {', '.join(preset_names())}."
    )


def test_missing_column_names_mapping_line():
    mapping = load_mapping(str(BASIC))

    with pytest.raises(MappingError) as error:
        bind_mapping(mapping, ["ID", "E-mail"], "export.csv")

    assert str(error.value) == f"{BASIC}: line 11: column 'Email' is not in the header of export.csv. Did you mean 'E-mail'?"


@pytest.mark.parametrize(
    "text, message",
    [
        ("fields:\n  emial: Email\n", "m.yaml: line 2: 'emial' is not a Customer field. Did you mean 'email'?"),
        ("fields:\n  email: Email\n  totalSpend: Spent\n", "m.yaml: line 3: 'totalSpend' is calculated by the Customer API and cannot be sent."),
        ("fields:\n  firstName: First\n", "m.yaml: line 1: the mapping has no rule for 'email', which every customer needs."),
        ("fields:\n  email:\n    column: Email\n    cas: lower\n", "m.yaml: line 4: 'cas' is not a rule key for 'email'. Did you mean 'case'?"),
        ("fields:\n  email:\n    column: Email\n    case: title\n", "m.yaml: line 2: case of 'email' must be 'lower' or 'upper', not 'title'."),
        (
            "fields:\n  email: Email\n  dob:\n    column: Born\n    date_formats: ['%Y-%m']\n",
            "m.yaml: line 3: '%Y-%m' in date_formats of 'dob' is not a full date format; "
            "use strftime codes with day, month and year, such as %Y-%m-%d or %d/%m/%Y.",
        ),
        (
            "fields:\n  email: Email\n  vipStatus:\n    column: VIP\n    boolean: yesno\n",
            "m.yaml: line 3: 'yesno' is not a boolean vocabulary. Did you mean 'yes_no'? "
            "Known: yes_no, true_false, one_zero, subscribed, any.",
        ),
        ("duplicates: first\nfields:\n  email: Email\n", "m.yaml: line 1: duplicates: 'first' is not a policy; use one of reject, keep-first, keep-last."),
        ("fields:\n  email: Email\n  firstName:\n    column: A\n    constant: B\n", "m.yaml: line 3: 'firstName' needs exactly one of 'column' or 'constant'."),
        ("fields: [email]\n", "m.yaml: line 1: the mapping needs a 'fields' mapping from Customer fields to columns."),
        ("fields:\n  email: Email\n  bad: [\n", "m.yaml: line 4: invalid YAML: expected the node content, but found '<stream end>'."),
        ("feilds:\n  email: Email\n", "m.yaml: line 1: 'feilds' is not a top-level key. Did you mean 'fields'?"),
        (
            "fields:\n  email: Email\n  vipStatus:\n    constant: maybe\n",
            "m.yaml: line 3: 'vipStatus' is a boolean, so its constant or default must be true or false, not 'maybe'.",
        ),
    ],
)
def test_mapping_errors(text, message):
    with pytest.raises(MappingError) as error:
        parse_mapping(text, "m.yaml")

    assert str(error.value) == message


def test_yaml_scalars_stay_text():
    mapping = parse_mapping("fields:\n  email: Email\n  joinedStoreId:\n    constant: 0800\n", "m.yaml")

    assert mapping.rules[1].constant == "0800"
