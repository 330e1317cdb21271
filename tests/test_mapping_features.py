"""The mapping keys beyond column, constant and lookup: each applied to a small frame of text."""

import pandas as pd
import pytest

from importer.mapping.apply import apply_mapping, bind_mapping
from importer.mapping.convert import split_full_name
from importer.mapping.errors import MappingError
from importer.mapping.loader import parse_mapping


def apply(text: str, rows: list[dict[str, str]], input_name: str = "export.csv"):
    mapping = parse_mapping("fields:\n  email: Email\n" + text, "m.yaml")
    frame = pd.DataFrame(rows, dtype=object)
    bound = bind_mapping(mapping, list(frame.columns), input_name)
    return apply_mapping(bound, frame)


def problems_of(mapped) -> list[tuple[int, str, str, str, str]]:
    return [(position, p.code, p.field, p.value, p.message) for position, items in sorted(mapped.problems.items()) for p in items]


def test_template_joins_columns_and_collapses_spaces():
    mapped = apply(
        "  addresses[0].address1:\n    template: \"{Street} {Number}{{x}}\"\n",
        [{"Email": "a@example.com", "Street": "George St", "Number": "12"},
         {"Email": "b@example.com", "Street": " Pitt St ", "Number": ""},
         {"Email": "c@example.com", "Street": "", "Number": ""}],
    )

    assert mapped.frame["addresses[0].address1"].tolist() == ["George St 12{x}", "Pitt St {x}", "{x}"]


@pytest.mark.parametrize(
    "full_name, first, last",
    [
        ("Ann Lee", "Ann", "Lee"),
        ("  Ann   Lee ", "Ann", "Lee"),
        ("Dr. Ann Lee", "Ann", "Lee"),
        ("Mrs Ann van der Berg", "Ann", "van der Berg"),
        ("Lee, Ann", "Ann", "Lee"),
        ("Cher", "Cher", None),
        ("Dr", "Dr", None),
    ],
)
def test_split_full_name(full_name, first, last):
    assert split_full_name(full_name.strip(), "first") == first
    assert split_full_name(full_name.strip(), "last") == last


def test_split_name_rule():
    mapped = apply(
        "  firstName:\n    split_name: {column: Name, part: first}\n  lastName:\n    split_name: {column: Name, part: last}\n",
        [{"Email": "a@example.com", "Name": "Ann Lee"}, {"Email": "b@example.com", "Name": "Cher"}, {"Email": "c@example.com", "Name": " "}],
    )

    assert mapped.frame[["firstName", "lastName"]].values.tolist() == [["Ann", "Lee"], ["Cher", None], [None, None]]


def test_phone_to_e164_and_invalid_phone():
    mapped = apply(
        "  phone:\n    column: Phone\n    phone: {region: AU}\n",
        [{"Email": "a@example.com", "Phone": "0412 345 678"}, {"Email": "b@example.com", "Phone": "+64 21 123 4567"},
         {"Email": "c@example.com", "Phone": "12345"}, {"Email": "d@example.com", "Phone": ""}],
    )

    assert mapped.frame["phone"].tolist() == ["+61412345678", "+64211234567", None, None]
    assert problems_of(mapped) == [(
        2, "invalid-phone", "phone", "12345",
        "'12345' in column 'Phone' is not a valid phone number for the region AU; write it in full with its country code, such as +61 412 345 678.",
    )]


def test_country_names_codes_and_lookup_override():
    mapped = apply(
        "  addresses[0].countryCode:\n    column: Country\n    country: names\n    lookup: {Oz: AU}\n",
        [{"Email": f"{index}@example.com", "Country": value}
         for index, value in enumerate(["Australia", "new zealand", "GBR", "nz", "UK", "Oz", "Atlantis"])],
    )

    assert mapped.frame["addresses[0].countryCode"].tolist() == ["AU", "NZ", "GB", "NZ", "GB", "AU", None]
    assert problems_of(mapped) == [(
        6, "invalid-country-code", "addresses[0].countryCode", "Atlantis",
        "'Atlantis' in column 'Country' is not a country name or ISO 3166 code; "
        "add it to the lookup of 'addresses[0].countryCode', such as {\"Atlantis\": AU}.",
    )]


def test_dates_in_order_and_excel_serials():
    mapped = apply(
        "  dob:\n    column: Born\n    date_formats: [\"%Y-%m-%d\", \"%d/%m/%Y\"]\n    excel_serial: true\n",
        [{"Email": f"{index}@example.com", "Born": value} for index, value in enumerate(["1999-11-28", "28/11/1999", "36492", "36492.5", "11/28/1999"])],
    )

    assert mapped.frame["dob"].tolist() == ["28-11-1999", "28-11-1999", "28-11-1999", "28-11-1999", None]
    assert problems_of(mapped) == [(
        4, "invalid-date", "dob", "11/28/1999",
        "'11/28/1999' in column 'Born' is not a real date in the format(s) %Y-%m-%d, %d/%m/%Y, an Excel serial day number.",
    )]


def test_blank_if_empties_matching_values():
    mapped = apply(
        "  dob:\n    column: Born\n    blank_if: \"0000-00-00.*\"\n    date_formats: [\"%Y-%m-%d\"]\n",
        [{"Email": "a@example.com", "Born": "0000-00-00 00:00:00"}, {"Email": "b@example.com", "Born": "1980-01-02"}],
    )

    assert mapped.frame["dob"].tolist() == [None, "02-01-1980"]
    assert mapped.problems == {}


def test_timestamps_to_utc_milliseconds():
    mapped = apply(
        "  optin_preferences.email.opted_in_at:\n    column: Opted\n    date_formats: [\"%Y-%m-%d %H:%M:%S\"]\n    timezone: Australia/Sydney\n"
        "  optin_preferences.sms.opted_in_at: Iso\n",
        [{"Email": "a@example.com", "Opted": "2023-05-19 13:48:22", "Iso": "2023-05-19T03:48:22.075Z"},
         {"Email": "b@example.com", "Opted": "2023-01-10 09:00:00", "Iso": "2023-05-19T13:48:22+10:00"},
         {"Email": "c@example.com", "Opted": "19/05/2023", "Iso": "2023-05-19 03:48:22"}],
    )

    assert mapped.frame["optin_preferences.email.opted_in_at"].tolist() == ["2023-05-19T03:48:22.000Z", "2023-01-09T22:00:00.000Z", None]
    assert mapped.frame["optin_preferences.sms.opted_in_at"].tolist() == ["2023-05-19T03:48:22.075Z", "2023-05-19T03:48:22.000Z", None]
    assert problems_of(mapped) == [
        (2, "invalid-timestamp", "optin_preferences.email.opted_in_at", "19/05/2023",
         "'19/05/2023' in column 'Opted' is not a timestamp in the format(s) %Y-%m-%d %H:%M:%S in the time zone Australia/Sydney."),
        (2, "invalid-timestamp", "optin_preferences.sms.opted_in_at", "2023-05-19 03:48:22",
         "'2023-05-19 03:48:22' in column 'Iso' is not a timestamp in the format(s) "
         "%Y-%m-%dT%H:%M:%S.%fZ, %Y-%m-%dT%H:%M:%SZ, %Y-%m-%dT%H:%M:%S.%f%z, %Y-%m-%dT%H:%M:%S%z."),
    ]


def test_boolean_inversion_for_opt_out():
    mapped = apply(
        "  optin_preferences.email.opt_in_active:\n    column: HasOptedOutOfEmail\n    boolean: true_false\n    invert: true\n",
        [{"Email": "a@example.com", "HasOptedOutOfEmail": "true"}, {"Email": "b@example.com", "HasOptedOutOfEmail": "FALSE"}],
    )

    assert mapped.frame["optin_preferences.email.opt_in_active"].tolist() == [False, True]


WHEN_FILE = (
    "  optin_preferences.email.opt_in_active:\n    when_file:\n"
    "      \"subscribed_*\": true\n      \"unsubscribed_*\": false\n      \"*\": false\n"
)


@pytest.mark.parametrize(
    "input_name, expected",
    [
        ("exports/subscribed_members_export_1.csv", True),
        ("exports/Unsubscribed_members_export_1.csv", False),
        ("audience.zip!subscribed_members_export_1.csv", True),
        ("cleaned_members_export_1.csv", False),
    ],
)
def test_when_file_first_matching_pattern_wins(input_name, expected):
    mapped = apply(WHEN_FILE, [{"Email": "a@example.com"}], input_name)

    assert mapped.frame["optin_preferences.email.opt_in_active"].tolist() == [expected]


def test_when_file_without_match_is_an_error():
    mapping = parse_mapping("fields:\n  email: Email\n  optin_preferences.email.opt_in_active:\n    when_file: {\"subscribed_*\": true}\n", "m.yaml")

    with pytest.raises(MappingError) as error:
        bind_mapping(mapping, ["Email"], "members.csv")

    assert str(error.value) == (
        "m.yaml: line 3: the file name of members.csv matches none of the when_file patterns of "
        "'optin_preferences.email.opt_in_active' ('subscribed_*'); rename the file to match one, or give the rule a default."
    )


def test_column_list_takes_first_present():
    text = "  optin_preferences.email.opt_in_updated_at:\n    column: [LAST_CHANGED, UNSUB_TIME]\n    date_formats: [\"%Y-%m-%d %H:%M:%S\"]\n    timezone: UTC\n"

    mapped = apply(text, [{"Email": "a@example.com", "UNSUB_TIME": "2020-01-02 03:04:05"}])

    assert mapped.frame["optin_preferences.email.opt_in_updated_at"].tolist() == ["2020-01-02T03:04:05.000Z"]


def test_rest_group_takes_unmapped_columns():
    mapping = parse_mapping(
        "fields:\n  email: Email\n  firstName: First\nattribute_groups:\n  named:\n    attributes: {tier: Tier}\n"
        "  other:\n    description: The rest\n    rest: true\n    exclude: [\"secret*\"]\n",
        "m.yaml",
    )
    header = ["Email", "First", "Tier", "Colour", "Secret Token", "_source", "_line", "_errors"]
    frame = pd.DataFrame([["a@example.com", "Ann", "Gold", "Red", "x", "f.csv", "2", "e"]], columns=header, dtype=object)

    mapped = apply_mapping(bind_mapping(mapping, header, "f.csv"), frame)

    assert mapped.frame.iloc[0].to_dict() == {
        "email": "a@example.com",
        "firstName": "Ann",
        "attributeGroups.named.attributes.tier": "Gold",
        "attributeGroups.other.attributes.Colour": "Red",
    }


def test_star_rest_is_the_same_as_rest_true():
    mapping = parse_mapping("fields:\n  email: Email\nattribute_groups:\n  other:\n    attributes: {\"*\": rest}\n", "m.yaml")

    bound = bind_mapping(mapping, ["Email", "Colour"], "f.csv")

    assert [rule.target for rule in bound.rules] == ["email", "attributeGroups.other.attributes.Colour"]
