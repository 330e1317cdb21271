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

    header = ["ID", "E-mail", "First", "Last", "Birthday", "Tier", "VIP", "Email Opt Out", "Country", "Source"]

    with pytest.raises(MappingError) as error:
        bind_mapping(mapping, header, "export.csv")

    assert str(error.value) == f"{BASIC}: line 11: column 'Email' is not in the header of export.csv. Did you mean 'E-mail'?"


def test_every_missing_column_named_at_once():
    mapping = load_mapping(str(BASIC))

    with pytest.raises(MappingError) as error:
        bind_mapping(mapping, ["ID", "E-mail", "First", "Last", "Birthday", "Tier", "VIP", "Country", "Source"], "export.csv")

    assert str(error.value).splitlines() == [
        f"{BASIC}: 2 mapped columns are not in the header of export.csv:",
        f"  {BASIC}: line 11: column 'Email' is not in the header of export.csv. Did you mean 'E-mail'?",
        f"  {BASIC}: line 31: column 'Email Opt Out' is not in the header of export.csv.",
    ]


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
        ("fields:\n  email: Email\n  firstName:\n    column: A\n    constant: B\n", "m.yaml: line 3: 'firstName' needs exactly one of 'column', 'constant', 'template', 'split_name' or 'when_file'."),
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


@pytest.mark.parametrize(
    "text, message",
    [
        (
            "fields:\n  email: Email\n  addresses[0].countryCode:\n    column: Country\n    country: guess\n",
            "m.yaml: line 3: 'guess' is not a country conversion for 'addresses[0].countryCode'; use 'country: names'.",
        ),
        (
            "fields:\n  email: Email\n  phone:\n    column: Phone\n    phnoe: {region: AU}\n",
            "m.yaml: line 5: 'phnoe' is not a rule key for 'phone'. Did you mean 'phone'?",
        ),
        (
            "fields:\n  email: Email\n  phone:\n    column: Phone\n    phone: {region: XX}\n",
            "m.yaml: line 3: 'XX' in phone of 'phone' is not a region phonenumbers knows; use an ISO 3166-1 alpha-2 code such as AU or NZ.",
        ),
        (
            "fields:\n  email: Email\n  firstName:\n    column: First\n    phone: AU\n",
            "m.yaml: line 3: 'firstName' is not a phone field (mobile, phone, addresses[n].phone), so 'phone' does not apply.",
        ),
        (
            "fields:\n  email: Email\n  firstName:\n    split_name: {column: Name, part: middle}\n",
            "m.yaml: line 3: part of split_name for 'firstName' must be 'first' or 'last', not 'middle'.",
        ),
        (
            "fields:\n  email: Email\n  lastName:\n    template: \"{Last\"\n",
            "m.yaml: line 3: template '{Last' of 'lastName' has an unmatched brace; write {{ or }} for a literal one.",
        ),
        (
            "fields:\n  email: Email\n  optin_preferences.email.opted_in_at:\n    column: Opted\n    date_formats: [\"%Y-%m-%d %H:%M:%S\"]\n",
            "m.yaml: line 3: '%Y-%m-%d %H:%M:%S' in date_formats of 'optin_preferences.email.opted_in_at' has no time zone; "
            "add timezone: UTC, or the zone the export writes its times in, such as Australia/Sydney.",
        ),
        (
            "fields:\n  email: Email\n  optin_preferences.email.opted_in_at:\n    column: Opted\n    date_formats: [\"%Y-%m-%d %H:%M:%S\"]\n    timezone: Australia/Sydny\n",
            "m.yaml: line 3: 'Australia/Sydny' in timezone of 'optin_preferences.email.opted_in_at' is not an IANA time zone name "
            "such as UTC or Australia/Sydney. Did you mean 'Australia/Sydney'?",
        ),
        (
            "fields:\n  email: Email\n  dob:\n    column: Born\n    date_formats: [\"%d/%q/%Y\"]\n",
            "m.yaml: line 3: '%d/%q/%Y' in date_formats of 'dob' is not a full date format; "
            "use strftime codes with day, month and year, such as %Y-%m-%d or %d/%m/%Y.",
        ),
        (
            "fields:\n  email: Email\n  firstName:\n    column: First\n    excel_serial: true\n",
            "m.yaml: line 3: 'firstName' is not a date or timestamp field (dob, memberSince, "
            "optin_preferences.<channel>.opted_in_at or opt_in_updated_at), so 'excel_serial' does not apply.",
        ),
        (
            "fields:\n  email: Email\n  dob:\n    column: Born\n    blank_if: \"(\"\n",
            "m.yaml: line 3: blank_if of 'dob' is not a valid regular expression: missing ), unterminated subpattern at position 0.",
        ),
        (
            "fields:\n  email: Email\n  optin_preferences.email.opt_in_active:\n    when_file: [subscribed]\n",
            "m.yaml: line 3: when_file of 'optin_preferences.email.opt_in_active' must map file-name patterns to values, "
            "such as {\"subscribed_*\": true}.",
        ),
        (
            "fields:\n  email: Email\nattribute_groups:\n  a:\n    rest: true\n  b:\n    attributes: {\"*\": rest}\n",
            "m.yaml: line 6: attribute group 'b' takes the rest of the columns, but group 'a' already does; keep one.",
        ),
        (
            "fields:\n  email: Email\nattribute_groups:\n  a:\n    attributes: {\"*\": all}\n",
            "m.yaml: line 5: '*' in attributes can only be 'rest', meaning every column not mapped elsewhere.",
        ),
    ],
)
def test_mapping_errors_of_extended_keys(text, message):
    with pytest.raises(MappingError) as error:
        parse_mapping(text, "m.yaml")

    assert str(error.value) == message


@pytest.mark.parametrize(
    "text, header, message",
    [
        (
            "fields:\n  email: Email\n  lastName:\n    template: \"{Prefix} {Surname}\"\n",
            ["Email", "Prefix", "Surnme"],
            "m.yaml: line 3: column 'Surname' is not in the header of export.csv. Did you mean 'Surnme'?",
        ),
        (
            "fields:\n  email: Email\n  firstName:\n    split_name: {column: Full Name, part: first}\n",
            ["Email", "FullName"],
            "m.yaml: line 3: column 'Full Name' is not in the header of export.csv. Did you mean 'FullName'?",
        ),
        (
            "fields:\n  email:\n    column: [Email, E-mail]\n",
            ["Mail"],
            "m.yaml: line 2: none of the columns 'Email', 'E-mail' is in the header of export.csv. Did you mean 'Mail'?",
        ),
    ],
)
def test_missing_columns_of_extended_keys(text, header, message):
    mapping = parse_mapping(text, "m.yaml")

    with pytest.raises(MappingError) as error:
        bind_mapping(mapping, header, "export.csv")

    assert str(error.value) == message


def test_every_preset_loads():
    for name in preset_names():
        assert load_mapping(name).description
