#!/usr/bin/env python3
"""Generate one small synthetic export per preset, and the Customers each must give.

For every preset (except shopify, which has its own generator) this writes,
under samples/presets/<preset>/, the export in that system's layout and
expected.json. The expected Customers are built from the same invented
people as the export, by rules written here from each preset's
documentation, not by running the importer, so the end-to-end tests compare
the importer against an independent oracle.

Everyone is invented; email addresses use example.com, example.net and
example.org. Only the standard library is used, and every run writes the
same bytes.

Usage: python samples/generate_preset_samples.py [--output-dir DIR]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import random
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

SEED = 20240612
PEOPLE_PER_SAMPLE = 30

FIRST_NAMES = ["Ann", "Ben", "Chloe", "Dev", "Ella", "Finn", "Grace", "Hamish", "Isla", "Jack", "Kiri", "Liam",
               "Mia", "Noah", "Olivia", "Priya", "Quinn", "Ruby", "Sam", "Tama", "Uma", "Vince", "Wen", "Zoe"]
LAST_NAMES = ["Lee", "Nguyen", "Smith", "O'Brien", "Patel", "Walker", "Chen", "Ngata", "Murphy", "Kelly",
              "Singh", "Brown", "Wilson", "Taylor", "Martin", "Rossi"]
CITIES = [("Sydney", "New South Wales", "NSW", "2000", "AU", "Australia"),
          ("Melbourne", "Victoria", "VIC", "3000", "AU", "Australia"),
          ("Darwin", "Northern Territory", "NT", "0800", "AU", "Australia"),
          ("Auckland", "Auckland", "AUK", "1010", "NZ", "New Zealand"),
          ("Wellington", "Wellington", "WGN", "6011", "NZ", "New Zealand")]
STREETS = ["George Street", "Collins Street", "Smith Street", "Queen Street", "Lambton Quay"]
COMPANIES = ["", "", "Harbour Gifts", "Kauri Design", ""]
DOMAINS = ["example.com", "example.net", "example.org"]
# Australian mobile prefixes that phonenumbers accepts as valid.
MOBILE_PREFIXES = ["400", "401", "412", "423", "438", "466"]


@dataclass
class Person:
    """One invented customer, in canonical form."""

    number: int
    first: str
    last: str
    email: str
    mobile_national: str
    mobile_e164: str
    dob: dt.date | None
    company: str
    street: str
    house: str
    city: tuple[str, str, str, str, str, str]
    consent: bool | None
    opted_in_at: dt.datetime
    changed_at: dt.datetime
    joined: dt.datetime
    tags: str


def make_people(rng: random.Random, start: int) -> list[Person]:
    people = []
    for offset in range(PEOPLE_PER_SAMPLE):
        number = start + offset
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        digits = f"{rng.choice(MOBILE_PREFIXES)}{rng.randrange(100000, 999999)}"
        opted_in = dt.datetime(2016, 1, 1) + dt.timedelta(seconds=rng.randrange(0, 200_000_000))
        people.append(Person(
            number=number,
            first=first,
            last=last,
            email=f"{first.lower()}.{last.lower().replace(chr(39), '')}{number}@{rng.choice(DOMAINS)}",
            mobile_national=f"0{digits[:3]} {digits[3:6]} {digits[6:]}",
            mobile_e164=f"+61{digits}",
            dob=None if offset % 5 == 4 else dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(0, 19000)),
            company=rng.choice(COMPANIES),
            street=rng.choice(STREETS),
            house=str(rng.randrange(1, 400)),
            city=rng.choice(CITIES),
            consent=[True, False, None][offset % 3],
            opted_in_at=opted_in,
            changed_at=opted_in + dt.timedelta(days=rng.randrange(1, 300), seconds=rng.randrange(0, 86400)),
            joined=dt.datetime(2015, 1, 1) + dt.timedelta(seconds=rng.randrange(0, 250_000_000)),
            tags=rng.choice(["", "vip", "wholesale, newsletter"]),
        ))
    return people


# Expected values

def api_date(value: dt.date | dt.datetime | None) -> str | None:
    return None if value is None else value.strftime("%d-%m-%Y")


def api_timestamp(value: dt.datetime, milliseconds: int = 0) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{milliseconds:03d}Z"


def compact(values: dict) -> dict:
    """Drop empty values, as the importer leaves a field without a value out."""
    return {key: value for key, value in values.items() if value not in (None, "")}


def customer(top: dict, addresses: list[dict] = (), optins: dict | None = None, group: tuple[str, str, dict] | None = None) -> dict:
    result = compact(top)
    kept = [compact(address) for address in addresses]
    kept = [address for address in kept if set(address) - {"firstName", "lastName", "name"}]
    if kept:
        result["addresses"] = kept
    if optins:
        result["optin_preferences"] = {channel: compact(values) for channel, values in optins.items() if compact(values)}
        if not result["optin_preferences"]:
            del result["optin_preferences"]
    if group is not None and compact(group[2]):
        result["attributeGroups"] = {group[0]: {"attributes": compact(group[2]), "description": group[1]}}
    return result


def yes_no(value: bool | None) -> str:
    return {True: "yes", False: "no", None: ""}[value]


def true_false(value: bool | None) -> str:
    return {True: "true", False: "false", None: ""}[value]


@dataclass
class Sample:
    """One preset's export files and the result importing them must give."""

    preset: str
    files: dict[str, tuple[list[str], list[dict[str, str]]]]
    customers: list[dict]
    rejected: list[dict]

    def add(self, file_name: str, header: list[str], row: dict[str, str], expected: dict | None, codes: list[str] = ()) -> None:
        """Add a row; a row with problem codes is expected in rejects.csv instead of the sandbox."""
        header_and_rows = self.files.setdefault(file_name, (header, []))
        header_and_rows[1].append({column: row.get(column, "") for column in header})
        if codes:
            self.rejected.append({"file": file_name, "line": len(header_and_rows[1]) + 1, "codes": list(codes)})
        else:
            self.customers.append(expected)


def address_line(person: Person) -> str:
    return f"{person.house} {person.street}"


# Shopify, older layout

SHOPIFY_LEGACY_HEADER = ["First Name", "Last Name", "Email", "Company", "Address1", "Address2", "City", "Province",
                         "Province Code", "Country", "Country Code", "Zip", "Phone", "Accepts Marketing", "Total Spent",
                         "Total Orders", "Tags", "Note", "Tax Exempt"]


def shopify_legacy(people: list[Person]) -> Sample:
    sample = Sample("shopify_legacy", {}, [], [])
    for offset, person in enumerate(people):
        city, province, province_code, postcode, country_code, country = person.city
        phone = ("'" if offset % 4 == 0 else "") + person.mobile_national
        row = {
            "First Name": person.first, "Last Name": person.last, "Email": person.email, "Company": person.company,
            "Address1": address_line(person), "Address2": "Unit 2" if offset % 6 == 1 else "", "City": city,
            "Province": province, "Province Code": province_code, "Country": country,
            "Country Code": country_code.lower() if offset % 7 == 3 else country_code, "Zip": postcode, "Phone": phone,
            "Accepts Marketing": yes_no(person.consent), "Total Spent": f"{offset * 12.5:.2f}", "Total Orders": str(offset % 4),
            "Tags": person.tags, "Note": "Prefers email" if offset % 8 == 2 else "", "Tax Exempt": "no",
        }
        address = {"firstName": person.first, "lastName": person.last, "company": person.company,
                   "address1": row["Address1"], "address2": row["Address2"], "city": city, "province": province,
                   "provinceCode": province_code, "country": country, "countryCode": country_code, "postcode": postcode}
        attributes = {"total_spent": row["Total Spent"], "total_orders": row["Total Orders"], "tags": person.tags,
                      "note": row["Note"], "tax_exempt": "no"}
        expected = customer(
            {"firstName": person.first, "lastName": person.last, "email": person.email, "phone": person.mobile_national},
            [address], {"email": {"opt_in_active": person.consent}},
            ("shopify", "Shopify customer export values", attributes),
        )
        codes = []
        if offset == 7:
            row["Email"], codes = person.email.replace("@", "@@"), ["invalid-email"]
        if offset == 12:
            row["Accepts Marketing"], codes = "maybe", ["invalid-boolean"]
        sample.add("shopify_legacy_customers.csv", SHOPIFY_LEGACY_HEADER, row, expected, codes)
    return sample


# Mailchimp

MAILCHIMP_COMMON = ["Email Address", "First Name", "Last Name", "Address", "Phone Number", "Birthday", "MEMBER_RATING",
                    "OPTIN_TIME", "OPTIN_IP", "CONFIRM_TIME", "CONFIRM_IP", "LATITUDE", "LONGITUDE", "GMTOFF", "DSTOFF",
                    "TIMEZONE", "CC", "REGION"]
MAILCHIMP_TAIL = ["LEID", "EUID", "NOTES", "TAGS"]
MAILCHIMP_FILES = {
    "subscribed_members_export_5f2c9a.csv": (True, ["LAST_CHANGED"]),
    "unsubscribed_members_export_5f2c9a.csv": (False, ["UNSUB_TIME", "UNSUB_CAMPAIGN_TITLE", "UNSUB_CAMPAIGN_ID",
                                                       "UNSUB_REASON", "UNSUB_REASON_OTHER"]),
    "cleaned_members_export_5f2c9a.csv": (False, ["CLEAN_TIME", "CLEAN_CAMPAIGN_TITLE", "CLEAN_CAMPAIGN_ID"]),
}
MAILCHIMP_TIME = "%Y-%m-%d %H:%M:%S"


def mailchimp(people: list[Person]) -> Sample:
    sample = Sample("mailchimp", {}, [], [])
    names = list(MAILCHIMP_FILES)
    for offset, person in enumerate(people):
        file_name = names[0] if offset < 18 else names[1] if offset < 25 else names[2]
        subscribed, extra_columns = MAILCHIMP_FILES[file_name]
        header = MAILCHIMP_COMMON + extra_columns + MAILCHIMP_TAIL
        row, attributes = mailchimp_row(person, offset, extra_columns)
        expected = customer(
            {"email": person.email, "firstName": person.first, "lastName": person.last, "phone": person.mobile_national},
            [{"countryCode": person.city[4]}],
            {"email": {"opt_in_active": subscribed, "opted_in_at": api_timestamp(person.opted_in_at),
                       "opt_in_updated_at": api_timestamp(person.changed_at)}},
            ("mailchimp", "Mailchimp audience values", attributes),
        )
        codes = []
        if offset == 3:
            row["OPTIN_TIME"], codes = person.opted_in_at.strftime("%d/%m/%Y %H:%M"), ["invalid-timestamp"]
        if offset in (5, 29):
            # The same address, written differently, in the subscribed and the cleaned file.
            row["Email Address"] = people[5].email if offset == 5 else f" {people[5].email.upper()} "
            codes = ["duplicate-email"]
        sample.add(file_name, header, row, expected, codes)
    return sample


def mailchimp_row(person: Person, offset: int, extra_columns: list[str]) -> tuple[dict[str, str], dict[str, str]]:
    city, _, province_code, postcode, country_code, _ = person.city
    row = {
        "Email Address": person.email, "First Name": person.first, "Last Name": person.last,
        "Address": f"{address_line(person)}  {city}  {province_code}  {postcode}  {country_code}",
        "Phone Number": person.mobile_national, "Birthday": person.dob.strftime("%m/%d") if person.dob else "",
        "MEMBER_RATING": str(offset % 5 + 1), "OPTIN_TIME": person.opted_in_at.strftime(MAILCHIMP_TIME),
        "OPTIN_IP": f"203.0.113.{offset + 1}", "CONFIRM_TIME": (person.opted_in_at + dt.timedelta(minutes=3)).strftime(MAILCHIMP_TIME),
        "CONFIRM_IP": f"203.0.113.{offset + 1}", "LATITUDE": "-33.8688", "LONGITUDE": "151.2093", "GMTOFF": "10",
        "DSTOFF": "11", "TIMEZONE": "Australia/Sydney", "CC": country_code.lower() if offset % 4 == 1 else country_code,
        "REGION": province_code, "LEID": str(100000 + offset), "EUID": f"a1b2c3{offset:04d}", "NOTES": "",
        "TAGS": '"VIP"' if offset % 6 == 0 else "",
    }
    row[extra_columns[0]] = person.changed_at.strftime(MAILCHIMP_TIME)
    if extra_columns[0] == "UNSUB_TIME":
        row.update({"UNSUB_CAMPAIGN_TITLE": "Winter sale", "UNSUB_CAMPAIGN_ID": "9f8e7d6c5b", "UNSUB_REASON": "NORMAL"})
    elif extra_columns[0] == "CLEAN_TIME":
        row.update({"CLEAN_CAMPAIGN_TITLE": "Spring catalogue", "CLEAN_CAMPAIGN_ID": "1a2b3c4d5e"})

    mapped = {"Email Address", "First Name", "Last Name", "Phone Number", "CC", "OPTIN_TIME", extra_columns[0]}
    excluded = {"OPTIN_IP", "CONFIRM_IP", "LATITUDE", "LONGITUDE", "GMTOFF", "DSTOFF"}
    attributes = {column: value for column, value in row.items() if column not in mapped | excluded}
    return row, attributes


# Klaviyo

KLAVIYO_HEADER = ["Email", "Klaviyo ID", "First Name", "Last Name", "Organization", "Title", "Phone Number", "Address",
                  "Address 2", "City", "State / Region", "Country", "Zip Code", "Latitude", "Longitude", "Source",
                  "IP Address", "Email Marketing Consent", "Email Marketing Consent Timestamp",
                  "Historic Customer Lifetime Value", "Total Customer Lifetime Value", "Predicted Customer Lifetime Value",
                  "Average Order Value", "Historic Number Of Orders", "First Active", "Last Active", "Profile Created On",
                  "Date Added", "Last Open", "Last Click", "Average Days Between Orders", "Email Suppressions",
                  "Favourite Store"]
KLAVIYO_MAPPED = {"Email", "Klaviyo ID", "First Name", "Last Name", "Organization", "Phone Number", "Address", "Address 2",
                  "City", "State / Region", "Country", "Zip Code", "Email Marketing Consent",
                  "Email Marketing Consent Timestamp"}
KLAVIYO_EXCLUDED = {"IP Address", "Latitude", "Longitude"}


def klaviyo(people: list[Person]) -> Sample:
    sample = Sample("klaviyo", {}, [], [])
    for offset, person in enumerate(people):
        city, province, _, postcode, country_code, country = person.city
        consent = {True: "SUBSCRIBED", False: "UNSUBSCRIBED", None: "NEVER_SUBSCRIBED"}[person.consent]
        phone = person.mobile_e164 if offset % 3 else f"+61 {person.mobile_national[1:]}"
        row = {
            "Email": person.email, "Klaviyo ID": f"01HKV{offset:04d}Q8ZP3M6W2XN7Y5T9R", "First Name": person.first,
            "Last Name": person.last, "Organization": person.company, "Title": "Buyer" if offset % 5 == 0 else "",
            "Phone Number": phone, "Address": address_line(person), "Address 2": "", "City": city,
            "State / Region": province, "Country": country if offset % 4 else {"AU": "AUS", "NZ": "NZL"}[country_code],
            "Zip Code": postcode, "Latitude": "-33.87", "Longitude": "151.21", "Source": "Shopify",
            "IP Address": f"198.51.100.{offset + 1}", "Email Marketing Consent": consent,
            "Email Marketing Consent Timestamp": person.opted_in_at.strftime("%Y-%m-%d %H:%M:%S") if person.consent is not None else "",
            "Historic Customer Lifetime Value": f"{offset * 20:.1f}", "Total Customer Lifetime Value": f"{offset * 25:.1f}",
            "Predicted Customer Lifetime Value": "", "Average Order Value": "40.0", "Historic Number Of Orders": str(offset % 6),
            "First Active": person.joined.strftime("%Y-%m-%d %H:%M:%S"), "Last Active": "", "Profile Created On": person.joined.strftime("%Y-%m-%d %H:%M:%S"),
            "Date Added": person.joined.strftime("%Y-%m-%d %H:%M:%S"), "Last Open": "", "Last Click": "",
            "Average Days Between Orders": "", "Email Suppressions": "", "Favourite Store": "Bondi" if offset % 2 else "",
        }
        address = {"firstName": person.first, "lastName": person.last, "company": person.company, "address1": row["Address"],
                   "city": city, "province": province, "country": row["Country"], "countryCode": country_code, "postcode": postcode}
        optin = {"opt_in_active": person.consent is True,
                 "opted_in_at": api_timestamp(person.opted_in_at) if person.consent is not None else None}
        attributes = {column: value for column, value in row.items() if column not in KLAVIYO_MAPPED | KLAVIYO_EXCLUDED}
        expected = customer(
            {"email": person.email, "alternateCustomerRef": row["Klaviyo ID"], "firstName": person.first,
             "lastName": person.last, "phone": person.mobile_e164},
            [address], {"email": optin}, ("klaviyo", "Klaviyo profile values", attributes),
        )
        codes = []
        if offset == 8:
            row["Phone Number"], codes = "+61 12", ["invalid-phone"]
        if offset == 14:
            row["Country"], codes = "Atlantis", ["invalid-country-code"]
        sample.add("klaviyo_profiles.csv", KLAVIYO_HEADER, row, expected, codes)
    return sample


# HubSpot

HUBSPOT_HEADER = ["Record ID", "First Name", "Last Name", "Email", "Phone Number", "Contact owner",
                  "Primary Associated Company ID", "Last Activity Date", "Lead Status", "Marketing contact status",
                  "Create Date", "Associated Company"]


def hubspot(people: list[Person]) -> Sample:
    sample = Sample("hubspot", {}, [], [])
    for offset, person in enumerate(people):
        status = "Marketing contact" if person.consent else "Non-marketing contact"
        row = {
            "Record ID": str(51000 + person.number), "First Name": person.first, "Last Name": person.last,
            "Email": person.email, "Phone Number": person.mobile_national, "Contact owner": "Sam Carter",
            "Primary Associated Company ID": str(9100 + offset) if person.company else "",
            "Last Activity Date": person.changed_at.strftime("%Y-%m-%d %H:%M"), "Lead Status": "NEW" if offset % 3 else "",
            "Marketing contact status": status, "Create Date": person.joined.strftime("%Y-%m-%d %H:%M"),
            "Associated Company": person.company,
        }
        attributes = {column: row[column] for column in ("Contact owner", "Primary Associated Company ID",
                                                         "Last Activity Date", "Lead Status", "Create Date")}
        expected = customer(
            {"customerRef": row["Record ID"], "firstName": person.first, "lastName": person.last,
             "email": person.email, "phone": person.mobile_national},
            [{"company": person.company}], {"email": {"opt_in_active": bool(person.consent)}},
            ("hubspot", "HubSpot contact values", attributes),
        )
        codes = []
        if offset == 10:
            row["Marketing contact status"], codes = "Unknown", ["invalid-boolean"]
        if offset == 20:
            row["Email"], codes = "", ["missing-email"]
        sample.add("hubspot_contacts.csv", HUBSPOT_HEADER, row, expected, codes)
    return sample


# Salesforce, Data Loader export with API names

SALESFORCE_HEADER = ["Id", "IsDeleted", "MasterRecordId", "AccountId", "LastName", "FirstName", "Salutation", "Name",
                     "OtherStreet", "OtherCity", "OtherState", "OtherPostalCode", "OtherCountry", "OtherLatitude",
                     "OtherLongitude", "OtherGeocodeAccuracy", "MailingStreet", "MailingCity", "MailingState",
                     "MailingPostalCode", "MailingCountry", "MailingLatitude", "MailingLongitude",
                     "MailingGeocodeAccuracy", "Phone", "Fax", "MobilePhone", "HomePhone", "OtherPhone",
                     "AssistantPhone", "ReportsToId", "Email", "Title", "Department", "AssistantName", "LeadSource",
                     "Birthdate", "Description", "OwnerId", "HasOptedOutOfEmail", "HasOptedOutOfFax", "DoNotCall",
                     "CreatedDate", "CreatedById", "LastModifiedDate", "LastModifiedById", "SystemModstamp",
                     "LastActivityDate", "LastCURequestDate", "LastCUUpdateDate", "LastViewedDate",
                     "LastReferencedDate", "EmailBouncedReason", "EmailBouncedDate", "IsEmailBounced", "PhotoUrl",
                     "Jigsaw", "JigsawContactId", "CleanStatus", "IndividualId"]
SALESFORCE_COUNTRY_SPELLINGS = {"AU": ["Australia", "AUS", "australia"], "NZ": ["New Zealand", "NZ", "NZL"]}


def salesforce(people: list[Person]) -> Sample:
    sample = Sample("salesforce", {}, [], [])
    for offset, person in enumerate(people):
        row, expected = salesforce_person(person, offset)
        codes = []
        if offset == 6:
            row["Birthdate"], codes = "1985-02-30", ["invalid-date"]
        if offset == 16:
            row["MailingCountry"], codes = "Atlantis", ["invalid-country-code"]
        if offset == 26:
            row["HasOptedOutOfEmail"], codes = "maybe", ["invalid-boolean"]
        sample.add("salesforce_contacts.csv", SALESFORCE_HEADER, row, expected, codes)
    return sample


def salesforce_person(person: Person, offset: int) -> tuple[dict[str, str], dict]:
    city, province, _, postcode, country_code, _ = person.city
    country = SALESFORCE_COUNTRY_SPELLINGS[country_code][offset % 3]
    created = person.joined.replace(microsecond=(offset * 37 % 1000) * 1000)
    has_other = offset % 4 == 0
    row = {
        "Id": f"0035g00000Xy{offset:03d}AAA", "IsDeleted": "false", "AccountId": "0015g00000Ab12CAAR",
        "LastName": person.last, "FirstName": person.first, "Salutation": "Ms." if offset % 2 else "",
        "Name": f"{person.first} {person.last}", "MailingStreet": address_line(person), "MailingCity": city,
        "MailingState": province, "MailingPostalCode": postcode, "MailingCountry": country,
        "OtherStreet": "1 Harbour Road" if has_other else "", "OtherCity": "Hobart" if has_other else "",
        "OtherState": "Tasmania" if has_other else "", "OtherPostalCode": "7000" if has_other else "",
        "OtherCountry": "Australia" if has_other else "", "Phone": person.mobile_national,
        "MobilePhone": person.mobile_e164 if offset % 2 else "", "HomePhone": "02 9876 5432" if offset % 5 == 0 else "",
        "Email": person.email, "Title": "Manager" if offset % 3 == 0 else "", "Department": "",
        "LeadSource": "Web", "Birthdate": person.dob.isoformat() if person.dob else "", "Description": "",
        "OwnerId": "0055g00000Qw34EAAR", "HasOptedOutOfEmail": "false" if person.consent else "true",
        "HasOptedOutOfFax": "false", "DoNotCall": "false",
        "CreatedDate": created.strftime("%Y-%m-%dT%H:%M:%S.") + f"{created.microsecond // 1000:03d}Z",
        "LastModifiedDate": person.changed_at.strftime("%Y-%m-%dT%H:%M:%S.000Z"), "IsEmailBounced": "false",
    }
    names = {"firstName": person.first, "lastName": person.last}
    mailing = {**names, "address1": row["MailingStreet"], "city": city, "province": province, "postcode": postcode,
               "country": country, "countryCode": country_code}
    other = {**names, "address1": row["OtherStreet"], "city": row["OtherCity"], "province": row["OtherState"],
             "postcode": row["OtherPostalCode"], "country": row["OtherCountry"], "countryCode": "AU" if has_other else None}
    attributes = {"salutation": row["Salutation"], "title": row["Title"], "department": "", "lead_source": "Web",
                  "account_id": row["AccountId"], "description": "", "home_phone": row["HomePhone"]}
    expected = customer(
        {"customerRef": row["Id"], "firstName": person.first, "lastName": person.last, "email": person.email,
         "phone": person.mobile_national, "mobile": row["MobilePhone"], "dob": api_date(person.dob),
         "memberSince": api_date(person.joined)},
        [mailing, other], {"email": {"opt_in_active": bool(person.consent)}},
        ("salesforce", "Salesforce contact values", attributes),
    )
    return row, expected


# Salesforce, report export with labels

SALESFORCE_REPORT_HEADER = ["Contact ID", "First Name", "Last Name", "Email", "Phone", "Mobile", "Birthdate",
                            "Email Opt Out", "Mailing Street", "Mailing City", "Mailing State/Province",
                            "Mailing Zip/Postal Code", "Mailing Country", "Title", "Lead Source", "Account Name"]


def salesforce_report(people: list[Person]) -> Sample:
    sample = Sample("salesforce_report", {}, [], [])
    for offset, person in enumerate(people):
        city, province, _, postcode, country_code, country = person.city
        row = {
            "Contact ID": f"0035g00000Rp{offset:03d}AAA", "First Name": person.first, "Last Name": person.last,
            "Email": person.email, "Phone": person.mobile_national, "Mobile": "",
            "Birthdate": person.dob.strftime("%d/%m/%Y") if person.dob else "",
            "Email Opt Out": "0" if person.consent else "1", "Mailing Street": address_line(person), "Mailing City": city,
            "Mailing State/Province": province, "Mailing Zip/Postal Code": postcode, "Mailing Country": country,
            "Title": "", "Lead Source": "Store" if offset % 2 else "Web", "Account Name": person.company,
        }
        address = {"firstName": person.first, "lastName": person.last, "address1": row["Mailing Street"], "city": city,
                   "province": province, "postcode": postcode, "country": country, "countryCode": country_code}
        attributes = {"title": "", "lead_source": row["Lead Source"], "account_name": person.company}
        expected = customer(
            {"customerRef": row["Contact ID"], "firstName": person.first, "lastName": person.last,
             "email": person.email, "phone": person.mobile_national, "dob": api_date(person.dob)},
            [address], {"email": {"opt_in_active": bool(person.consent)}},
            ("salesforce", "Salesforce contact values", attributes),
        )
        codes = []
        if offset == 9:
            # A US-ordered date that cannot be day/month/year.
            row["Birthdate"], codes = "12/31/1980", ["invalid-date"]
        sample.add("salesforce_report_contacts.csv", SALESFORCE_REPORT_HEADER, row, expected, codes)
    return sample


# Square

SQUARE_HEADER = ["Reference ID", "First Name", "Last Name", "Email Address", "Phone Number", "Nickname", "Company Name",
                 "Street Address 1", "Street Address 2", "City", "State", "Postal Code", "Birthday", "Memo",
                 "Square Customer ID", "Creation Source", "First Visit", "Last Visit", "Transaction Count",
                 "Lifetime Spend", "Email Subscription Status", "Instant Profile", "Blocked from online booking"]


def square(people: list[Person]) -> Sample:
    sample = Sample("square", {}, [], [])
    for offset, person in enumerate(people):
        city, _, province_code, postcode, _, _ = person.city
        year_known = offset % 3 != 2
        birthday = "" if person.dob is None else person.dob.isoformat() if year_known else person.dob.strftime("%m-%d")
        status = {True: "Subscribed", False: "Unsubscribed", None: "Unknown"}[person.consent]
        row = {
            "Reference ID": f"SQ-{person.number}", "First Name": person.first, "Last Name": person.last,
            "Email Address": person.email, "Phone Number": person.mobile_national,
            "Nickname": person.first[:3] if offset % 4 == 0 else "", "Company Name": person.company,
            "Street Address 1": address_line(person), "Street Address 2": "", "City": city, "State": province_code,
            "Postal Code": postcode, "Birthday": birthday, "Memo": "", "Square Customer ID": f"7N2K{offset:04d}QZP9W5XH3D",
            "Creation Source": "Third Party", "First Visit": person.joined.strftime("%Y-%m-%d"),
            "Last Visit": person.changed_at.strftime("%Y-%m-%d"), "Transaction Count": str(offset % 9),
            "Lifetime Spend": f"${offset * 10}.00", "Email Subscription Status": status,
            "Instant Profile": "No", "Blocked from online booking": "No",
        }
        address = {"firstName": person.first, "lastName": person.last, "company": person.company,
                   "address1": row["Street Address 1"], "city": city, "province": province_code, "postcode": postcode}
        attributes = {"nickname": row["Nickname"], "birthday": birthday, "memo": "", "creation_source": "Third Party",
                      "first_visit": row["First Visit"], "last_visit": row["Last Visit"],
                      "transaction_count": row["Transaction Count"], "lifetime_spend": row["Lifetime Spend"]}
        expected = customer(
            {"customerRef": row["Reference ID"], "alternateCustomerRef": row["Square Customer ID"],
             "firstName": person.first, "lastName": person.last, "email": person.email,
             "phone": person.mobile_national, "dob": api_date(person.dob) if year_known else None},
            [address], {"email": {"opt_in_active": person.consent}}, ("square", "Square customer values", attributes),
        )
        codes = []
        if offset == 4:
            row["Email Address"], codes = "", ["missing-email"]
        sample.add("square_customers.csv", SQUARE_HEADER, row, expected, codes)
    return sample


# WooCommerce

WOOCOMMERCE_HEADER = ["Name", "Username", "Last Active", "Sign Up", "Email", "Orders", "Total Spend", "AOV",
                      "Country / Region", "City", "Region", "Postal Code"]


def woocommerce_name(person: Person, offset: int) -> tuple[str, str, str | None]:
    """Write the Name column in one of the forms the preset documents, with the names it must give."""
    form = offset % 6
    if form == 1:
        return f"Dr {person.first} {person.last}", person.first, person.last
    if form == 2:
        return person.first, person.first, None
    if form == 3:
        return f"{person.last}, {person.first}", person.first, person.last
    if form == 4:
        return f"{person.first} van der {person.last}", person.first, f"van der {person.last}"
    return f" {person.first}  {person.last} ", person.first, person.last


def woocommerce(people: list[Person]) -> Sample:
    sample = Sample("woocommerce", {}, [], [])
    for offset, person in enumerate(people):
        city, _, province_code, postcode, country_code, _ = person.city
        name, first, last = woocommerce_name(person, offset)
        row = {
            "Name": name, "Username": person.email.split("@")[0] if offset % 3 else "",
            "Last Active": person.changed_at.strftime("%Y-%m-%d %H:%M:%S"),
            "Sign Up": person.joined.strftime("%Y-%m-%d %H:%M:%S") if offset != 11 else "0000-00-00 00:00:00",
            "Email": person.email, "Orders": str(offset % 7), "Total Spend": f"{offset * 15.25:.2f}", "AOV": "15.25",
            "Country / Region": country_code.lower() if offset % 5 == 0 else country_code, "City": city,
            "Region": province_code, "Postal Code": postcode,
        }
        attributes = {"username": row["Username"], "last_active": row["Last Active"], "orders": row["Orders"],
                      "total_spend": row["Total Spend"], "average_order_value": "15.25"}
        expected = customer(
            {"email": person.email, "firstName": first, "lastName": last,
             "memberSince": api_date(person.joined) if offset != 11 else None},
            [{"countryCode": country_code, "city": city, "provinceCode": province_code, "postcode": postcode}],
            None, ("woocommerce", "WooCommerce customer values", attributes),
        )
        codes = []
        if offset == 17:
            row["Sign Up"], codes = "2021-13-01 09:00:00", ["invalid-date"]
        sample.add("woocommerce_customers.csv", WOOCOMMERCE_HEADER, row, expected, codes)
    return sample


# Magento 2, customer_main

MAGENTO_HEADER = ["email", "_website", "_store", "confirmation", "created_at", "created_in", "disable_auto_group_change",
                  "dob", "firstname", "gender", "group_id", "lastname", "middlename", "password_hash", "prefix",
                  "rp_token", "rp_token_created_at", "store_id", "suffix", "taxvat", "updated_at", "website_id",
                  "password"]


def magento2(people: list[Person]) -> Sample:
    sample = Sample("magento2", {}, [], [])
    for offset, person in enumerate(people):
        dob = "" if person.dob is None else person.dob.isoformat() if offset != 13 else "0000-00-00"
        row = {
            "email": person.email, "_website": "base", "_store": "default" if offset % 2 else "au_store",
            "created_at": person.joined.strftime("%Y-%m-%d %H:%M:%S"), "created_in": "Default Store View",
            "disable_auto_group_change": "0", "dob": dob, "firstname": person.first,
            "gender": ["Female", "Male", ""][offset % 3], "group_id": "1", "lastname": person.last,
            "middlename": "J" if offset % 7 == 0 else "",
            "password_hash": f"8c7d{offset:04d}e1f2a3b4c5d6e7f8:Zq9{offset:03d}:3_32_2$argon2id$v=19",
            "prefix": "Mrs" if offset % 5 == 0 else "", "rp_token": f"0:3:rp{offset:04d}", "store_id": "1",
            "taxvat": "51 824 753 556" if offset % 6 == 0 else "", "updated_at": person.changed_at.strftime("%Y-%m-%d %H:%M:%S"),
            "website_id": "1",
        }
        attributes = {"website": "base", "store": row["_store"], "created_in": row["created_in"], "group_id": "1",
                      "gender": row["gender"], "prefix": row["prefix"], "middlename": row["middlename"], "suffix": ""}
        expected = customer(
            {"email": person.email, "firstName": person.first, "lastName": person.last,
             "dob": api_date(person.dob) if offset != 13 else None, "memberSince": api_date(person.joined)},
            (), None, ("magento", "Magento customer values", attributes),
        )
        codes = []
        if offset == 21:
            row["email"], codes = "customer@localhost", ["invalid-email"]
        sample.add("magento2_customer_main.csv", MAGENTO_HEADER, row, expected, codes)
    return sample


# Lightspeed eCom

LIGHTSPEED_HEADER = ["Internal ID", "Registered", "Language", "Firstname", "LastnamePreposition", "Lastname", "E-Mail",
                     "Phone", "Mobile", "Customer type", "Company", "Coc number", "Vat number", "Attn", "Streetname",
                     "Address 2", "Number", "Extension", "Zipcode", "City", "Region", "Country", "Shipping Attn",
                     "Shipping company", "Shipping Streetname", "Shipping Address 2", "Shipping Number",
                     "Shipping Extension", "Shipping Zipcode", "Shipping City", "Shipping Region", "Shipping Country"]
LIGHTSPEED_COUNTRY_SPELLINGS = {"AU": ["Australia", "au"], "NZ": ["New Zealand", "nz"]}


def lightspeed(people: list[Person]) -> Sample:
    sample = Sample("lightspeed", {}, [], [])
    for offset, person in enumerate(people):
        row, expected = lightspeed_person(person, offset)
        codes = []
        if offset == 15:
            row["E-Mail"], codes = f"{person.first.lower()} {person.last.lower()}@example.com", ["invalid-email"]
        sample.add("lightspeed_customers.csv", LIGHTSPEED_HEADER, row, expected, codes)
    return sample


def lightspeed_person(person: Person, offset: int) -> tuple[dict[str, str], dict]:
    city, province, _, postcode, country_code, _ = person.city
    country = LIGHTSPEED_COUNTRY_SPELLINGS[country_code][offset % 2]
    preposition = "van der" if offset % 4 == 1 else ""
    extension = "A" if offset % 5 == 2 else ""
    ships_elsewhere = offset % 3 == 0
    row = {
        "Internal ID": str(880000 + person.number), "Registered": "yes" if offset % 2 else "no",
        "Language": "en", "Firstname": person.first, "LastnamePreposition": preposition, "Lastname": person.last,
        "E-Mail": person.email, "Phone": person.mobile_national, "Mobile": "", "Customer type": "private",
        "Company": person.company, "Coc number": "", "Vat number": "", "Attn": "",
        "Streetname": person.street, "Address 2": "", "Number": person.house, "Extension": extension,
        "Zipcode": postcode, "City": city, "Region": province, "Country": country,
    }
    if ships_elsewhere:
        row.update({"Shipping Attn": f"{person.first} {person.last}", "Shipping Streetname": "Pitt Street",
                    "Shipping Number": "88", "Shipping Zipcode": "2000", "Shipping City": "Sydney",
                    "Shipping Region": "New South Wales", "Shipping Country": "Australia"})
    last_name = f"{preposition} {person.last}".strip()
    billing = {"company": person.company, "address1": f"{person.street} {person.house} {extension}".strip(),
               "postcode": postcode, "city": city, "province": province, "countryCode": country_code}
    shipping = {"name": row.get("Shipping Attn"), "address1": "Pitt Street 88" if ships_elsewhere else None,
                "postcode": row.get("Shipping Zipcode"), "city": row.get("Shipping City"),
                "province": row.get("Shipping Region"), "countryCode": "AU" if ships_elsewhere else None}
    attributes = {"registered": row["Registered"], "language": "en", "customer_type": "private"}
    expected = customer(
        {"customerRef": row["Internal ID"], "firstName": person.first, "lastName": last_name, "email": person.email,
         "phone": person.mobile_national},
        [billing, shipping], None, ("lightspeed", "Lightspeed customer values", attributes),
    )
    return row, expected


# Zoho CRM

ZOHO_HEADER = ["Record Id", "Contact Owner.id", "Contact Owner", "Lead Source", "First Name", "Last Name",
               "Account Name.id", "Account Name", "Email", "Title", "Department", "Phone", "Fax", "Mobile",
               "Date of Birth", "Created By.id", "Created By", "Modified By.id", "Modified By", "Created Time",
               "Modified Time", "Contact Name", "Mailing Street", "Mailing City", "Mailing State", "Mailing Zip",
               "Mailing Country", "Description", "Email Opt Out", "Salutation", "Secondary Email",
               "Last Activity Time", "Tag", "Unsubscribed Mode", "Unsubscribed Time", "Change Log Time", "Locked"]


def zoho(people: list[Person]) -> Sample:
    sample = Sample("zoho", {}, [], [])
    for offset, person in enumerate(people):
        city, province, _, postcode, _, country = person.city
        row = {
            "Record Id": f"zcrm_48768760000{offset:05d}", "Contact Owner.id": "zcrm_4876876000000200011",
            "Contact Owner": "Sam Carter", "Lead Source": "Online Store" if offset % 2 else "",
            "First Name": person.first, "Last Name": person.last, "Account Name.id": "zcrm_4876876000000300021" if person.company else "",
            "Account Name": person.company, "Email": person.email, "Title": "", "Department": "",
            "Phone": person.mobile_national, "Mobile": person.mobile_e164 if offset % 3 == 0 else "",
            "Date of Birth": person.dob.isoformat() if person.dob else "", "Created By": "Sam Carter",
            "Created Time": person.joined.strftime("%Y-%m-%d %H:%M:%S"), "Contact Name": f"{person.first} {person.last}",
            "Mailing Street": address_line(person), "Mailing City": city, "Mailing State": province, "Mailing Zip": postcode,
            "Mailing Country": country, "Description": "", "Email Opt Out": "false" if person.consent else "true",
            "Salutation": "Mr." if offset % 4 == 0 else "", "Tag": person.tags, "Locked": "false",
        }
        address = {"firstName": person.first, "lastName": person.last, "company": person.company,
                   "address1": row["Mailing Street"], "city": city, "province": province, "postcode": postcode,
                   "country": country, "countryCode": person.city[4]}
        attributes = {"salutation": row["Salutation"], "title": "", "department": "", "lead_source": row["Lead Source"],
                      "contact_owner": "Sam Carter", "tag": person.tags, "secondary_email": "", "description": ""}
        expected = customer(
            {"customerRef": row["Record Id"], "firstName": person.first, "lastName": person.last, "email": person.email,
             "phone": person.mobile_national, "mobile": row["Mobile"], "dob": api_date(person.dob)},
            [address], {"email": {"opt_in_active": bool(person.consent)}}, ("zoho", "Zoho CRM contact values", attributes),
        )
        codes = []
        if offset == 18:
            row["Date of Birth"], codes = "2150-01-01", ["future-date"]
        sample.add("zoho_contacts.csv", ZOHO_HEADER, row, expected, codes)
    return sample


# Dynamics 365

DYNAMICS_HEADER = ["(Do Not Modify) Contact", "(Do Not Modify) Row Checksum", "(Do Not Modify) Modified On",
                   "Full Name", "Email", "Company Name", "Business Phone"]


def dynamics365(people: list[Person]) -> Sample:
    sample = Sample("dynamics365", {}, [], [])
    for offset, person in enumerate(people):
        full_name = f"{person.first} {person.last}" if offset % 7 else person.first
        row = {
            "(Do Not Modify) Contact": f"5d1c{offset:04d}-8f3a-ee11-9965-000d3a6b{offset:04d}",
            "(Do Not Modify) Row Checksum": f"Kq{offset:03d}mZ8pT1vW4xY7bN0cR3eF6hJ9lO2sU5aD8gI1kM4nP7q==",
            "(Do Not Modify) Modified On": person.changed_at.strftime("%d/%m/%Y %H:%M"),
            "Full Name": full_name, "Email": person.email, "Company Name": person.company,
            "Business Phone": person.mobile_national,
        }
        expected = customer(
            {"customerRef": row["(Do Not Modify) Contact"], "firstName": person.first,
             "lastName": person.last if offset % 7 else None, "email": person.email, "phone": person.mobile_national},
            [{"company": person.company}],
        )
        codes = []
        if offset == 12:
            row["Email"], codes = "sales@example", ["invalid-email"]
        sample.add("dynamics365_contacts.xlsx", DYNAMICS_HEADER, row, expected, codes)
    return sample


GENERATORS = [shopify_legacy, mailchimp, klaviyo, hubspot, salesforce, salesforce_report, square, woocommerce,
              magento2, lightspeed, zoho, dynamics365]


# Writing

def csv_bytes(header: list[str], rows: list[dict[str, str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def xlsx_bytes(header: list[str], rows: list[dict[str, str]]) -> bytes:
    """Write a one-sheet workbook whose every cell is an inline string, as Dynamics writes text."""
    def cell(value: str) -> str:
        return f'<c t="inlineStr"><is><t xml:space="preserve">{escape(value)}</t></is></c>'

    sheet_rows = [header] + [[row[column] for column in header] for row in rows]
    sheet_data = "".join(f"<row>{''.join(cell(value) for value in values)}</row>" for values in sheet_rows)
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '</Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            '</Relationships>'
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheets><sheet name="Active Contacts" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            '</Relationships>'
        ),
        "xl/worksheets/sheet1.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f'<sheetData>{sheet_data}</sheetData></worksheet>'
        ),
    }
    return stable_zip(parts)


def stable_zip(members: dict[str, str | bytes]) -> bytes:
    """Zip members with a fixed timestamp, so the archive's bytes do not change between runs."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            info = zipfile.ZipInfo(name, date_time=(2024, 6, 12, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return buffer.getvalue()


def write_sample(sample: Sample, output_dir: Path) -> None:
    folder = output_dir / sample.preset
    folder.mkdir(parents=True, exist_ok=True)
    contents = {}
    for file_name, (header, rows) in sample.files.items():
        writer = xlsx_bytes if file_name.endswith(".xlsx") else csv_bytes
        contents[file_name] = writer(header, rows)
        (folder / file_name).write_bytes(contents[file_name])
    if sample.preset == "mailchimp":
        (folder / "mailchimp_audience_export.zip").write_bytes(stable_zip(contents))

    expected = {
        "preset": sample.preset,
        "generator": "samples/generate_preset_samples.py",
        "files": list(sample.files),
        "rows_read": len(sample.customers) + len(sample.rejected),
        "customers": sample.customers,
        "rejected": sample.rejected,
    }
    (folder / "expected.json").write_text(json.dumps(expected, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output-dir", type=Path, default=Path(__file__).parent / "presets")
    arguments = parser.parse_args()

    rng = random.Random(SEED)
    for number, generate in enumerate(GENERATORS):
        people = make_people(rng, 1000 + number * 100)
        write_sample(generate(people), arguments.output_dir)


if __name__ == "__main__":
    main()
