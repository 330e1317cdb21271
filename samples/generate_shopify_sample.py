#!/usr/bin/env python3
"""Generate a synthetic Shopify customer export with known faults.

Writes two files next to this script (or into --output-dir):

- shopify_customers_export.csv: 2,500 invented customers in the 20-column
  layout of Shopify's "Customers > Export", with faults injected at the fixed
  record numbers listed in FAULTS.
- shopify_customers_export.expected.json: the result that validating the file
  with the Shopify mapping and the `reject` duplicate policy should give. It
  lists row counts and problem counts by code, every rejected record with the
  line it starts on and its problem codes, and the lines of every injected
  case, valid ones included.

Everyone in the file is invented. Email addresses use example.com, example.net,
example.org and their subdomains. Only the standard library is used, and the
output is byte-identical on every run (see StableRandom).

Usage: python samples/generate_shopify_sample.py [--output-dir DIR]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence, TypeVar

T = TypeVar("T")

SEED = 20240611
RECORD_COUNT = 2500
CSV_NAME = "shopify_customers_export.csv"
EXPECTED_NAME = "shopify_customers_export.expected.json"

HEADER = [
    "Customer ID",
    "First Name",
    "Last Name",
    "Email",
    "Accepts Email Marketing",
    "Default Address Company",
    "Default Address Address1",
    "Default Address Address2",
    "Default Address City",
    "Default Address Province Code",
    "Default Address Country Code",
    "Default Address Zip",
    "Default Address Phone",
    "Phone",
    "Accepts SMS Marketing",
    "Total Spent",
    "Total Orders",
    "Note",
    "Tax Exempt",
    "Tags",
]
ADDRESS_COLUMNS = HEADER[5:13]

# Shopify's export puts an apostrophe before the Customer ID ('7123456789012)
# so that a spreadsheet keeps it as text, and the Shopify mapping strips it.
# The source is the test fixtures of several open-source importers of Shopify
# customer exports, not an export made for this project.
# NOTE: the same fixtures also show the apostrophe before Phone, Default
# Address Phone and sometimes Zip. This sample leaves those columns bare,
# because the Shopify mapping strips the apostrophe from Customer ID only.
CUSTOMER_ID_PREFIX = "'"

# NOTE: LF row endings are an assumption based on those fixtures, most of
# which use LF. CRLF appears once Excel re-saves a file, the case that
# tests/data/shopify_handwritten.csv covers.
LINE_TERMINATOR = "\n"

NBSP = "\u00a0"

MISSING_EMAIL = "missing-email"
INVALID_EMAIL = "invalid-email"
DUPLICATE_EMAIL = "duplicate-email"
DUPLICATE_CUSTOMER_REF = "duplicate-customer-ref"
INVALID_COUNTRY_CODE = "invalid-country-code"
INVALID_BOOLEAN = "invalid-boolean"
CODE_ORDER = [
    MISSING_EMAIL,
    INVALID_EMAIL,
    DUPLICATE_EMAIL,
    DUPLICATE_CUSTOMER_REF,
    INVALID_COUNTRY_CODE,
    INVALID_BOOLEAN,
]

# The generator writes only these country codes on its own, so any other
# code in the file is an injected invalid one (XX, UK, NZL, Australia).
GENERATED_COUNTRY_CODES = {"AU", "NZ", "US", "GB", "CA", "DE", "FR", "JP"}
MARKETING_VALUES = {"yes", "no"}


class StableRandom:
    """Random choices that stay the same across Python versions.

    Python guarantees only that random() returns the same sequence for the same
    seed in every version ("Notes on Reproducibility" in the random module's
    documentation), while choice() and randrange() may change. Every helper
    here is therefore built on random() alone.
    """

    def __init__(self, seed: int) -> None:
        self._random = random.Random(seed).random

    def chance(self, probability: float) -> bool:
        return self._random() < probability

    def integer(self, low: int, high: int) -> int:
        """Return an integer from low to high inclusive."""
        return low + int(self._random() * (high - low + 1))

    def pick(self, items: Sequence[T]) -> T:
        return items[int(self._random() * len(items))]

    def weighted(self, table: Sequence[tuple[T, float]]) -> T:
        target = self._random() * sum(weight for _, weight in table)
        for item, weight in table:
            target -= weight
            if target < 0:
                return item
        return table[-1][0]

    def digits(self, count: int) -> str:
        return "".join(str(self.integer(0, 9)) for _ in range(count))


# Names

ROMAJI = {
    "山田": "yamada", "佐藤": "sato", "鈴木": "suzuki", "高橋": "takahashi",
    "田中": "tanaka", "伊藤": "ito", "渡辺": "watanabe", "中村": "nakamura",
    "太郎": "taro", "花子": "hanako", "健": "ken", "陽菜": "hina",
    "翔太": "shota", "美咲": "misaki", "大輔": "daisuke", "結衣": "yui",
}

ANGLO_FIRST = [
    "Olivia", "Charlotte", "Amelia", "Isla", "Mia", "Ava", "Grace", "Chloe",
    "Sophie", "Emily", "Ruby", "Zoe", "Lily", "Georgia", "Matilda", "Evie",
    "Harper", "Jack", "Oliver", "William", "Noah", "Thomas", "James", "Lucas",
    "Henry", "Ethan", "Cooper", "Harrison", "Max", "Samuel", "Lachlan", "Riley",
    "Archie", "Hudson", "Jessica", "Sarah", "Rebecca", "Michelle", "Karen",
    "Andrew", "Michael", "David", "Matthew", "Daniel", "Peter", "Mark", "Craig",
    "Brett", "Kylie", "Leanne", "Narelle", "Bronwyn", "Scott", "Fiona", "Hamish",
]
ANGLO_LAST = [
    "Smith", "Jones", "Williams", "Brown", "Wilson", "Taylor", "Johnson",
    "White", "Martin", "Anderson", "Thompson", "Walker", "Harris", "King",
    "Campbell", "Mitchell", "Roberts", "O'Connor", "O'Neill", "McDonald",
    "MacKenzie", "Murphy", "Byrne", "Hughes", "Clarke", "Bennett", "Fraser",
    "Stewart", "Morrison", "Hall", "Wood", "Edwards", "Kelly", "Ryan",
    "Gallagher", "Sutherland", "Baxter", "Pearce", "Lawson", "Doyle",
]
AU_FIRST = ANGLO_FIRST + [
    "Minh", "Linh", "Wei", "Jing", "Xin", "Priya", "Arjun", "Ravi", "Aisha",
    "Omar", "Yusuf", "Giulia", "Marco", "Eleni", "Georgios", "Sione", "Mele",
    "Zoë", "Siobhán", "Renée", "Chloé", "Łucja",
]
AU_LAST = ANGLO_LAST + [
    "Nguyen", "Tran", "Le", "Pham", "Chen", "Wang", "Li", "Zhang", "Liu",
    "Lee", "Papadopoulos", "Nikolaidis", "Rossi", "Romano", "Costa", "Haddad",
    "Khoury", "Singh", "Patel", "Sharma", "Kaur", "Nguyễn", "Trần", "Müller",
]
NZ_FIRST = ANGLO_FIRST + [
    "Aroha", "Mere", "Ngaio", "Kahu", "Tama", "Wiremu", "Hēmi", "Manaia",
    "Anahera", "Tui", "Rāwiri", "Sione", "Losa", "Søren",
]
NZ_LAST = ANGLO_LAST + [
    "Ngata", "Parata", "Tipene", "Te Rangi", "Te Whata", "Horomona", "Henare",
    "Pōmare", "Tūhaka", "Fa'alogo", "Tuilagi", "Chen", "Singh",
]
US_FIRST = ANGLO_FIRST + ["José", "María", "Sofía", "Diego", "Alejandro", "Tyler", "Madison"]
US_LAST = ANGLO_LAST + ["García", "Rodríguez", "Martínez", "Hernández", "López", "Garcia", "Miller"]
GB_FIRST = ANGLO_FIRST + ["Harry", "George", "Freya", "Poppy", "Alfie", "Niamh", "Eilidh", "Zoë", "Siobhán"]
GB_LAST = ANGLO_LAST + ["Evans", "Davies", "O'Brien", "Patel", "Khan", "Ó Briain"]
CA_FIRST = ANGLO_FIRST + ["Émilie", "Étienne", "Benoît", "Chloé", "Mathieu", "Geneviève"]
CA_LAST = ANGLO_LAST + ["Gagnon", "Tremblay", "Côté", "Bouchard", "Roy", "Lavoie", "Bérubé"]
DE_FIRST = ["Jürgen", "Jörg", "Lena", "Hannah", "Lukas", "Felix", "Sören", "Björn", "Anna", "Jonas", "Marie"]
DE_LAST = ["Müller", "Schröder", "Weiß", "Groß", "Schmidt", "Fischer", "Krüger", "Köhler", "Wagner", "Becker"]
FR_FIRST = ["Léa", "Chloé", "Hélène", "François", "Étienne", "Inès", "Théo", "Zoé", "Camille", "Louis"]
FR_LAST = ["Lefèvre", "Dubois", "Moreau", "Girard", "Fournier", "Lemaître", "Mercier", "Faure", "Rousseau"]
JP_FIRST = ["太郎", "花子", "健", "陽菜", "翔太", "美咲", "大輔", "結衣", "Yui", "Ken", "Hina", "Shota"]
JP_LAST = ["山田", "佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "中村", "Tanaka", "Sato", "Suzuki"]

# Letters that NFKD does not split into a base letter and a mark.
_UNSPLIT_LETTERS = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss", "æ": "ae", "đ": "d"})


def ascii_handle(name: str) -> str:
    """Return a name in the lower-case ASCII letters a person would use in an email."""
    if name in ROMAJI:
        return ROMAJI[name]
    decomposed = unicodedata.normalize("NFKD", name.translate(_UNSPLIT_LETTERS))
    return "".join(char for char in decomposed.lower() if char.isascii() and char.isalnum())


# Addresses and phones, by country

@dataclass(frozen=True)
class Country:
    code: str
    weight: float
    first_names: list[str]
    last_names: list[str]
    # Each place is (city, province code, postcode). Postcodes are text and keep leading zeros.
    places: list[tuple[str, str, str]]
    streets: list[str]
    street_types: list[str]
    units: list[str]


AU = Country(
    "AU", 62, AU_FIRST, AU_LAST,
    [
        ("Sydney", "NSW", "2000"), ("Surry Hills", "NSW", "2010"), ("Bondi", "NSW", "2026"),
        ("Newtown", "NSW", "2042"), ("Chatswood", "NSW", "2067"), ("Parramatta", "NSW", "2150"),
        ("Newcastle", "NSW", "2300"), ("Wollongong", "NSW", "2500"), ("Penrith", "NSW", "2750"),
        ("Byron Bay", "NSW", "2481"), ("Melbourne", "VIC", "3000"), ("Fitzroy", "VIC", "3065"),
        ("Brunswick", "VIC", "3056"), ("Richmond", "VIC", "3121"), ("St Kilda", "VIC", "3182"),
        ("Geelong", "VIC", "3220"), ("Ballarat", "VIC", "3350"), ("Bendigo", "VIC", "3550"),
        ("Brisbane", "QLD", "4000"), ("Fortitude Valley", "QLD", "4006"), ("Paddington", "QLD", "4064"),
        ("Southport", "QLD", "4215"), ("Toowoomba", "QLD", "4350"), ("Noosa Heads", "QLD", "4567"),
        ("Townsville", "QLD", "4810"), ("Cairns", "QLD", "4870"), ("Perth", "WA", "6000"),
        ("Subiaco", "WA", "6008"), ("Joondalup", "WA", "6027"), ("Fremantle", "WA", "6160"),
        ("Adelaide", "SA", "5000"), ("Glenelg", "SA", "5045"), ("Norwood", "SA", "5067"),
        ("Hobart", "TAS", "7000"), ("Launceston", "TAS", "7250"), ("Canberra", "ACT", "2601"),
        ("Belconnen", "ACT", "2617"), ("Darwin", "NT", "0800"), ("Palmerston", "NT", "0830"),
        ("Alice Springs", "NT", "0870"),
    ],
    ["George", "King", "Victoria", "Beach", "Church", "Station", "Wattle", "Banksia",
     "Jacaranda", "Kurrajong", "Boundary", "High", "Queen", "Albert", "Railway", "Ocean",
     "Oxford", "Bridge", "Marine", "Grey", "Gipps", "Lygon", "Coogee Bay", "Mount"],
    ["Street", "Street", "Road", "Road", "Avenue", "Parade", "Crescent", "Lane", "Place",
     "Drive", "Terrace", "Close", "Court"],
    ["Unit 4", "Unit 12", "Apartment 7", "Level 3", "Shop 2", "Unit 1A", "Suite 5"],
)
NZ = Country(
    "NZ", 20, NZ_FIRST, NZ_LAST,
    [
        ("Auckland", "AUK", "1010"), ("Ponsonby", "AUK", "1011"), ("Grey Lynn", "AUK", "1021"),
        ("Takapuna", "AUK", "0622"), ("Manukau", "AUK", "2104"), ("Hamilton", "WKO", "3204"),
        ("Tauranga", "BOP", "3110"), ("Rotorua", "BOP", "3010"), ("Napier", "HKB", "4110"),
        ("New Plymouth", "TKI", "4310"), ("Palmerston North", "MWT", "4410"),
        ("Wellington", "WGN", "6011"), ("Lower Hutt", "WGN", "5010"), ("Nelson", "NSN", "7010"),
        ("Blenheim", "MBH", "7201"), ("Christchurch", "CAN", "8011"), ("Queenstown", "OTA", "9300"),
        ("Dunedin", "OTA", "9016"), ("Invercargill", "STL", "9810"), ("Whangārei", "NTL", "0110"),
        ("Gisborne", "GIS", "4010"), ("Greymouth", "WTC", "7805"),
    ],
    ["Kōwhai", "Rimu", "Tōtara", "Pōhutukawa", "Manuka", "Rata", "Kauri", "Tui", "Dominion",
     "Cuba", "Willis", "Colombo", "Riccarton", "Princes", "Great North", "Lambton", "Queen"],
    ["Street", "Road", "Road", "Terrace", "Avenue", "Crescent", "Place", "Drive"],
    ["Flat 2", "Flat 5", "Unit 3", "Apartment 14", "Level 2"],
)
US = Country(
    "US", 6, US_FIRST, US_LAST,
    [
        ("Allston", "MA", "02134"), ("Cambridge", "MA", "02139"), ("Providence", "RI", "02903"),
        ("Hartford", "CT", "06103"), ("New York", "NY", "10001"), ("Brooklyn", "NY", "11201"),
        ("Philadelphia", "PA", "19103"), ("Chicago", "IL", "60601"), ("Austin", "TX", "78701"),
        ("Denver", "CO", "80202"), ("Seattle", "WA", "98101"), ("Portland", "OR", "97205"),
        ("San Francisco", "CA", "94103"), ("Los Angeles", "CA", "90012"), ("Miami", "FL", "33130"),
    ],
    ["Maple", "Oak", "Harvard", "Washington", "Lincoln", "Sunset", "Lake", "Park", "Elm", "Cedar"],
    ["Avenue", "Street", "Boulevard", "Drive", "Road"],
    ["Apt 3B", "Apt 12", "Suite 501", "Unit 7"],
)
GB = Country(
    "GB", 5, GB_FIRST, GB_LAST,
    [
        ("London", "", "EC1V 9HX"), ("London", "", "SE1 7PB"), ("Manchester", "", "M1 1AE"),
        ("Bristol", "", "BS1 4DJ"), ("Leeds", "", "LS1 4AP"), ("Edinburgh", "", "EH1 1YZ"),
        ("Cardiff", "", "CF10 1EP"), ("Brighton", "", "BN1 1AE"), ("Oxford", "", "OX1 1DP"),
    ],
    ["High", "Church", "Station", "Victoria", "Mill", "Park", "London", "Queen's", "Castle"],
    ["Street", "Road", "Lane", "Gardens", "Close", "Way"],
    ["Flat 2", "Flat 4B", "Apartment 9"],
)
CA = Country(
    "CA", 3, CA_FIRST, CA_LAST,
    [
        ("Toronto", "ON", "M5V 2T6"), ("Ottawa", "ON", "K1P 1J1"), ("Vancouver", "BC", "V6B 1A1"),
        ("Victoria", "BC", "V8W 1P6"), ("Montréal", "QC", "H2X 1Y4"), ("Calgary", "AB", "T2P 1J9"),
    ],
    ["King", "Queen", "Granville", "Saint-Denis", "Bank", "Jasper", "Yonge"],
    ["Street", "Avenue", "Road"],
    ["Suite 210", "Unit 1502", "Apt 4"],
)
DE = Country(
    "DE", 2, DE_FIRST, DE_LAST,
    [
        ("Berlin", "", "10115"), ("München", "", "80331"), ("Hamburg", "", "20095"),
        ("Köln", "", "50667"), ("Leipzig", "", "04109"), ("Dresden", "", "01067"),
    ],
    ["Haupt", "Bahnhof", "Garten", "Linden", "Schiller", "Goethe", "Berg"],
    ["straße", "weg", "allee"],
    ["2. OG", "Hinterhaus"],
)
FR = Country(
    "FR", 1, FR_FIRST, FR_LAST,
    [
        ("Paris", "", "75003"), ("Lyon", "", "69002"), ("Marseille", "", "13001"),
        ("Nice", "", "06000"), ("Bordeaux", "", "33000"),
    ],
    ["de la République", "Victor Hugo", "des Lilas", "du Port", "Jean Jaurès"],
    ["rue", "avenue", "boulevard"],
    ["Bâtiment B", "Appartement 12"],
)
JP = Country(
    "JP", 1, JP_FIRST, JP_LAST,
    [
        # Shopify's zone codes for Japan keep the country prefix, JP-13 being
        # Tokyo (address fixtures in the Shopify/quilt repository).
        ("Shibuya-ku", "JP-13", "150-0001"), ("Minato-ku", "JP-13", "106-0032"),
        ("Osaka", "JP-27", "530-0001"), ("Kyoto", "JP-26", "604-8001"),
        ("Sapporo", "JP-01", "060-0001"), ("Fukuoka", "JP-40", "810-0001"),
    ],
    ["Jingumae", "Roppongi", "Umeda", "Kawaramachi", "Odori", "Tenjin"],
    [""],
    ["Room 302", "Building 2F"],
)
COUNTRIES = [AU, NZ, US, GB, CA, DE, FR, JP]

US_AREA_CODES = ["617", "401", "860", "212", "718", "215", "312", "512", "303", "206", "503", "415", "213", "305"]
CA_AREA_CODES = ["416", "613", "604", "250", "514", "403"]


def e164_phone(rng: StableRandom, country: str) -> str:
    """Return a mobile-style number in E.164 form for the country."""
    if country == "AU":
        return "+614" + str(rng.integer(0, 3)) + rng.digits(7)
    if country == "NZ":
        return "+64" + rng.pick(["21", "22", "27"]) + rng.digits(7)
    if country in ("US", "CA"):
        area = rng.pick(US_AREA_CODES if country == "US" else CA_AREA_CODES)
        return "+1" + area + str(rng.integer(2, 9)) + rng.digits(6)
    if country == "GB":
        # Not Ofcom's drama range (07700 900xxx), which phonenumbers 9.0 rejects.
        return "+4477" + str(rng.integer(1, 7)) + rng.digits(7)
    if country == "DE":
        return "+4915" + str(rng.integer(1, 2)) + rng.digits(8)
    if country == "FR":
        return "+33" + rng.pick(["60", "61", "62", "64", "65", "66", "67", "68", "73", "75", "78"]) + rng.digits(7)
    return "+81" + rng.pick(["90", "80", "70"]) + str(rng.integer(1, 9)) + rng.digits(7)


def national_phone(e164: str, country: str) -> str:
    """Return an E.164 number formatted the way people type it in an address form."""
    if country == "AU":
        national = "0" + e164[3:]
        return f"{national[:4]} {national[4:7]} {national[7:]}"
    if country == "NZ":
        national = "0" + e164[3:]
        return f"{national[:3]} {national[3:6]} {national[6:]}"
    if country in ("US", "CA"):
        national = e164[2:]
        return f"({national[:3]}) {national[3:6]}-{national[6:]}"
    if country == "GB":
        national = "0" + e164[3:]
        return f"{national[:5]} {national[5:]}"
    if country == "DE":
        national = "0" + e164[3:]
        return f"{national[:4]} {national[4:]}"
    if country == "FR":
        national = "0" + e164[3:]
        return " ".join(national[i:i + 2] for i in range(0, 10, 2))
    national = "0" + e164[3:]
    return f"{national[:3]}-{national[3:7]}-{national[7:]}"


def street_line(rng: StableRandom, country: Country) -> str:
    number = rng.integer(1, 240)
    street = rng.pick(country.streets)
    kind = rng.pick(country.street_types)
    if country.code == "US":
        return f"{rng.integer(10, 9800)} {street} {kind}"
    if country.code == "DE":
        return f"{street}{kind} {number}"
    if country.code == "FR":
        return f"{number} {kind} {street}"
    if country.code == "JP":
        return f"{rng.integer(1, 6)}-{rng.integer(1, 30)}-{rng.integer(1, 20)} {street}"
    return f"{number} {street} {kind}"


# Customers

EMAIL_DOMAINS = [
    ("example.com", 30), ("example.net", 22), ("example.org", 14), ("mail.example.com", 12),
    ("inbox.example.net", 9), ("post.example.org", 7), ("home.example.net", 6),
]
COMPANIES = [
    "Harbour Street Bakery", "Kōwhai Design Studio", "Blue Gum Consulting", "Tidewater Florists",
    "Red Door Cafe", "Saltbush Landscaping", "Northside Physio", "Lighthouse Dental",
    "Wren & Finch Interiors", "Coastline Realty", "Ironbark Joinery", "Little Acorn Childcare",
]
TAGS = [
    "newsletter", "Login with Shop", "VIP", "returning", "birthday club", "pop-up",
    "gift card", "competition entry", "afterpay", "in-store", "reviewed",
]
NOTES = [
    "Prefers contact by email",
    "Wholesale enquiry - sent trade price list",
    "Met at the Saturday market stall",
    "Gift card buyer, usually around Christmas",
    "Asked not to receive the printed catalogue",
    "Returned a rug in 2022 (faulty)",
    "Staff member",
    "Interior designer, trade discount 10%",
    "Ordered by phone",
    "Migrated from the old online store",
]


@dataclass
class Registry:
    """Values that must stay unique across generated customers."""

    emails: set[str] = field(default_factory=set)
    phones: set[str] = field(default_factory=set)
    last_customer_id: int = 6_904_117_000_000


def new_email(rng: StableRandom, first: str, last: str, registry: Registry) -> str:
    first_handle, last_handle = ascii_handle(first), ascii_handle(last)
    if not first_handle:
        first_handle = "customer"
    if not last_handle:
        last_handle = str(rng.integer(10, 99))
    patterns = [
        f"{first_handle}.{last_handle}",
        f"{first_handle}{last_handle}",
        f"{first_handle[0]}{last_handle}",
        f"{first_handle}_{last_handle}",
        f"{last_handle}.{first_handle}",
        f"{first_handle}.{last_handle}{rng.integer(1, 99)}",
        f"{first_handle}{rng.integer(70, 99)}",
    ]
    local = rng.pick(patterns)
    domain = rng.weighted(EMAIL_DOMAINS)
    email = f"{local}@{domain}"
    while email in registry.emails:
        email = f"{local}{rng.integer(2, 999)}@{domain}"
    registry.emails.add(email)

    # Phone keyboards capitalise the first letter of some typed emails.
    if rng.chance(0.03):
        email = email[0].upper() + email[1:]
    return email


def new_phone(rng: StableRandom, country: str, registry: Registry) -> str:
    phone = e164_phone(rng, country)
    while phone in registry.phones:
        phone = e164_phone(rng, country)
    registry.phones.add(phone)
    return phone


def new_customer(rng: StableRandom, registry: Registry) -> dict[str, str]:
    country = rng.weighted([(c, c.weight) for c in COUNTRIES])
    first = rng.pick(country.first_names)
    last = rng.pick(country.last_names)
    registry.last_customer_id += rng.integer(1, 4_000_000)
    row = {column: "" for column in HEADER}
    row["Customer ID"] = CUSTOMER_ID_PREFIX + str(registry.last_customer_id)
    row["First Name"] = first
    row["Last Name"] = last
    row["Email"] = new_email(rng, first, last, registry)
    row["Accepts Email Marketing"] = "yes" if rng.chance(0.42) else "no"

    phone = new_phone(rng, country.code, registry) if rng.chance(0.62) else ""
    row["Phone"] = phone
    row["Accepts SMS Marketing"] = "yes" if phone and rng.chance(0.25) else "no"

    is_business = False
    if rng.chance(0.9):
        city, province, postcode = rng.pick(country.places)
        is_business = rng.chance(0.07)
        row["Default Address Company"] = rng.pick(COMPANIES) if is_business else ""
        row["Default Address Address1"] = street_line(rng, country)
        row["Default Address Address2"] = rng.pick(country.units) if rng.chance(0.2) else ""
        row["Default Address City"] = city
        row["Default Address Province Code"] = province
        row["Default Address Country Code"] = country.code
        row["Default Address Zip"] = postcode
        if phone and rng.chance(0.5):
            row["Default Address Phone"] = rng.pick([phone, national_phone(phone, country.code)])

    minimum, maximum = rng.weighted([((0, 0), 30), ((1, 1), 30), ((2, 3), 20), ((4, 10), 15), ((11, 40), 5)])
    orders = rng.integer(minimum, maximum)
    spent_cents = sum(rng.integer(1995, 24900) for _ in range(orders))
    row["Total Spent"] = f"{spent_cents // 100}.{spent_cents % 100:02d}"
    row["Total Orders"] = str(orders)
    row["Note"] = rng.pick(NOTES) if rng.chance(0.05) else ""
    row["Tax Exempt"] = "yes" if is_business and rng.chance(0.3) else "no"

    tags = set()
    if rng.chance(0.55):
        for _ in range(rng.integer(1, 3)):
            tags.add(rng.pick(TAGS))
    if is_business:
        tags.add("trade")
    row["Tags"] = ", ".join(sorted(tags, key=str.lower))
    return row


# Injected faults

# Case name -> (description, problem codes every row of the case must carry).
CASES: dict[str, tuple[str, tuple[str, ...]]] = {
    "blank-email": ("Email is empty.", (MISSING_EMAIL,)),
    "blank-email-multi-line-note": ("Email is empty and the Note spans two lines.", (MISSING_EMAIL,)),
    "whitespace-only-email": ("Email holds only spaces, or a no-break space and a space.", (MISSING_EMAIL,)),
    "email-without-at-sign": ("Email has no @.", (INVALID_EMAIL,)),
    "email-with-two-at-signs": ("Email has two @, and the Note starts with '=' like a spreadsheet formula.", (INVALID_EMAIL,)),
    "email-with-inner-space": ("Email has a space inside.", (INVALID_EMAIL,)),
    "email-domain-trailing-dot": ("Email domain ends with a dot.", (INVALID_EMAIL,)),
    "email-domain-without-tld": ("Email is name@domain with no top-level domain.", (INVALID_EMAIL,)),
    "email-domain-with-comma": ("Email has a comma in place of a dot (the field is quoted).", (INVALID_EMAIL,)),
    "email-with-double-dot": ("Email local part has two dots in a row.", (INVALID_EMAIL,)),
    "email-without-local-part": ("Email is only @domain.", (INVALID_EMAIL,)),
    "email-without-domain": ("Email ends at the @.", (INVALID_EMAIL,)),
    "email-with-surrounding-spaces": ("Email padded with spaces or a no-break space, which is valid once trimmed.", ()),
    "upper-or-mixed-case-email": ("Email in upper or mixed case, which is valid and sent in lower case.", ()),
    "case-only-duplicate-email": ("Two or three rows whose emails differ only in case.", (DUPLICATE_EMAIL,)),
    "case-only-duplicate-email-with-uk": ("Second row of a case-only duplicate pair, with Country Code UK.", (DUPLICATE_EMAIL, INVALID_COUNTRY_CODE)),
    "duplicate-after-trimming": ("Emails that match only after trimming a no-break space or a space and lower-casing.", (DUPLICATE_EMAIL,)),
    "duplicate-customer-id": ("First of two rows with the same Customer ID and different emails.", (DUPLICATE_CUSTOMER_REF,)),
    "duplicate-customer-id-with-invalid-boolean": ("Second row of the Customer ID pair, with Accepts Email Marketing 'maybe'.", (DUPLICATE_CUSTOMER_REF, INVALID_BOOLEAN)),
    "missing-value-word-as-name": ("First or Last Name is Null, NA, None, nan or N/A: a name, kept as written.", ()),
    "non-ascii-name": ("Name with letters outside ASCII.", ()),
    "postcode-with-leading-zero": ("Zip starts with 0 and must stay text.", ()),
    "multi-line-note": ("Note holds line breaks inside a quoted field.", ()),
    "note-with-comma-and-quote": ("Note holds a comma and double quotes.", ()),
    "invalid-country-code": ("Country Code XX, UK, NZL or Australia.", (INVALID_COUNTRY_CODE,)),
    "invalid-boolean": ("Accepts Email Marketing is neither yes nor no.", (INVALID_BOOLEAN,)),
}


@dataclass(frozen=True)
class Fault:
    record: int  # 1-based record number; the line number is computed after writing
    case: str
    values: dict[str, str] = field(default_factory=dict)
    customer_id_of: int | None = None  # copy the Customer ID of this record


def address(company, address1, address2, city, province, country, postcode, phone=""):
    """Return the eight Default Address columns of one address."""
    return dict(zip(ADDRESS_COLUMNS, [company, address1, address2, city, province, country, postcode, phone]))


FAULTS = [
    # Missing emails
    Fault(17, "blank-email-multi-line-note", {
        # NOTE: 0491 570 156 is meant to be one of the numbers ACMA sets aside
        # for fiction, but it was not rechecked against ACMA's list.
        "Email": "", "Phone": "+61491570156", "Accepts SMS Marketing": "yes",
        "Note": "Signed up with a phone number at the pop-up stall.\nAsked for SMS only.",
    }),
    Fault(388, "blank-email", {"Email": ""}),
    Fault(1204, "blank-email", {"Email": ""}),
    Fault(2311, "blank-email", {"Email": ""}),
    Fault(702, "whitespace-only-email", {"Email": "   "}),
    Fault(1650, "whitespace-only-email", {"Email": NBSP + " "}),
    # Invalid emails
    Fault(95, "email-without-at-sign", {"First Name": "Harriet", "Last Name": "Vaughan", "Email": "harriet.vaughanexample.com"}),
    Fault(431, "email-with-two-at-signs", {"First Name": "Kiri", "Last Name": "Walker", "Email": "kiri.walker@home@example.net", "Note": "=== Trade customer: 15% off, pay on account ==="}),
    Fault(866, "email-with-inner-space", {"First Name": "Dylan", "Last Name": "Murphy", "Email": "dylan murphy@example.com"}),
    Fault(1019, "email-domain-trailing-dot", {"First Name": "Isla", "Last Name": "Campbell", "Email": "isla.campbell@example.org."}),
    Fault(1377, "email-domain-without-tld", {"First Name": "Marcus", "Last Name": "Lee", "Email": "marcus.lee@example"}),
    Fault(1742, "email-domain-with-comma", {"First Name": "Rosa", "Last Name": "Bianchi", "Email": "rosa.bianchi@example,com"}),
    Fault(2088, "email-with-double-dot", {"First Name": "Ethan", "Last Name": "Brooks", "Email": "ethan..brooks@example.com"}),
    Fault(2420, "email-without-local-part", {"Email": "@example.net"}),
    Fault(2466, "email-without-domain", {"First Name": "Noah", "Last Name": "Wright", "Email": "noah.wright@"}),
    # Emails that are valid once trimmed or lower-cased
    Fault(52, "email-with-surrounding-spaces", {"First Name": "Grace", "Last Name": "Liu", "Email": "  grace.liu@example.com"}),
    Fault(611, "email-with-surrounding-spaces", {"First Name": "Ben", "Last Name": "Harris", "Email": "ben.harris@example.net   "}),
    Fault(1130, "email-with-surrounding-spaces", {"First Name": "Amelia", "Last Name": "Ross", "Email": " amelia.ross@example.org "}),
    Fault(1460, "email-with-surrounding-spaces", {"First Name": "Mia", "Last Name": "Tan", "Email": NBSP + "mia.tan@example.com"}),
    Fault(2235, "email-with-surrounding-spaces", {"First Name": "Noah", "Last Name": "Kelly", "Email": "noah.kelly@example.net" + NBSP}),
    Fault(75, "upper-or-mixed-case-email", {"First Name": "Olivia", "Last Name": "Brown", "Email": "OLIVIA.BROWN@EXAMPLE.COM"}),
    Fault(822, "upper-or-mixed-case-email", {"First Name": "Jack", "Last Name": "Wilson", "Email": "Jack.Wilson@Example.Net"}),
    Fault(1999, "upper-or-mixed-case-email", {"First Name": "Chloe", "Last Name": "Nguyen", "Email": "chloe.nguyen@EXAMPLE.org"}),
    # Duplicates
    Fault(210, "case-only-duplicate-email", {"Email": "Hannah.Walsh@example.com", "First Name": "Hannah", "Last Name": "Walsh"}),
    Fault(1333, "case-only-duplicate-email-with-uk", {
        "Email": "hannah.walsh@example.com", "First Name": "Hannah", "Last Name": "Walsh",
        **address("", "14 Mill Lane", "", "Bristol", "", "UK", "BS1 4DJ"),
    }),
    Fault(640, "case-only-duplicate-email", {"Email": "LIAM.OCONNOR@EXAMPLE.NET", "First Name": "Liam", "Last Name": "O'Connor"}),
    Fault(1102, "case-only-duplicate-email", {"Email": "liam.oconnor@example.net", "First Name": "Liam", "Last Name": "O'Connor"}),
    Fault(2205, "case-only-duplicate-email", {"Email": "Liam.OConnor@example.net", "First Name": "Liam", "Last Name": "OConnor"}),
    Fault(533, "duplicate-after-trimming", {"Email": NBSP + "Zara.Patel@example.org", "First Name": "Zara", "Last Name": "Patel"}),
    Fault(1811, "duplicate-after-trimming", {"Email": "zara.patel@example.org ", "First Name": "Zara", "Last Name": "Patel"}),
    Fault(455, "duplicate-customer-id"),
    Fault(1888, "duplicate-customer-id-with-invalid-boolean", {"Accepts Email Marketing": "maybe"}, customer_id_of=455),
    # Missing-value words used as names
    Fault(33, "missing-value-word-as-name", {"First Name": "Null", "Last Name": "Harper"}),
    Fault(262, "missing-value-word-as-name", {"First Name": "Tessa", "Last Name": "Null"}),
    Fault(519, "missing-value-word-as-name", {"First Name": "Sione", "Last Name": "NA"}),
    Fault(940, "missing-value-word-as-name", {"First Name": "Theo", "Last Name": "None"}),
    Fault(1288, "missing-value-word-as-name", {"First Name": "nan", "Last Name": "Zhou"}),
    Fault(1701, "missing-value-word-as-name", {"First Name": "Ruby", "Last Name": "N/A"}),
    Fault(2050, "missing-value-word-as-name", {"First Name": "Null", "Last Name": "Null"}),
    Fault(2399, "missing-value-word-as-name", {"First Name": "N/A", "Last Name": "Bell"}),
    # Names outside ASCII
    Fault(120, "non-ascii-name", {
        "First Name": "José", "Last Name": "García", "Email": "jose.garcia.tx@example.com",
        **address("", "2210 Lake Drive", "Apt 12", "Austin", "TX", "US", "78701"),
    }),
    Fault(345, "non-ascii-name", {
        "First Name": "Zoë", "Last Name": "Clarke", "Email": "zoe.clarke.ldn@example.net",
        **address("", "31 Castle Road", "Flat 2", "London", "", "GB", "SE1 7PB"),
    }),
    Fault(590, "non-ascii-name", {"First Name": "Łukasz", "Last Name": "Nowak", "Email": "lukasz.nowak@example.org"}),
    Fault(905, "non-ascii-name", {
        "First Name": "Søren", "Last Name": "Jensen", "Email": "soren.jensen@mail.example.com",
        **address("", "77 Riccarton Road", "", "Christchurch", "CAN", "NZ", "8011"),
    }),
    Fault(1170, "non-ascii-name", {"First Name": "Lan", "Last Name": "Nguyễn", "Email": "lan.nguyen.syd@example.com"}),
    Fault(1415, "non-ascii-name", {
        "First Name": "太郎", "Last Name": "山田", "Email": "t.yamada@example.net",
        **address("", "3-12-5 Jingumae", "Room 302", "Shibuya-ku", "JP-13", "JP", "150-0001"),
    }),
    Fault(1620, "non-ascii-name", {
        "First Name": "Jürgen", "Last Name": "Müller", "Email": "juergen.mueller@example.org",
        **address("", "Gartenweg 8", "", "Leipzig", "", "DE", "04109"),
    }),
    Fault(1985, "non-ascii-name", {
        "First Name": "Siobhán", "Last Name": "O'Brien", "Email": "siobhan.obrien@inbox.example.net",
        **address("", "5 Battery Point Lane", "", "Hobart", "TAS", "AU", "7000"),
    }),
    Fault(2270, "non-ascii-name", {
        "First Name": "Renée", "Last Name": "Lefèvre", "Email": "renee.lefevre@example.com",
        **address("", "18 rue des Lilas", "", "Nice", "", "FR", "06000"),
    }),
    Fault(2480, "non-ascii-name", {"First Name": "Hēmi", "Last Name": "Tāwhai", "Email": "hemi.tawhai@example.org"}),
    # Postcodes with a leading zero
    Fault(140, "postcode-with-leading-zero", address("", "9 Mitchell Street", "", "Darwin", "NT", "AU", "0800", "08 5550 1234")),
    Fault(760, "postcode-with-leading-zero", address("", "2 Yulara Drive", "", "Yulara", "NT", "AU", "0872")),
    Fault(1266, "postcode-with-leading-zero", address("", "41 Todd Street", "Unit 3", "Alice Springs", "NT", "AU", "0870")),
    Fault(1590, "postcode-with-leading-zero", address("", "120 Harvard Avenue", "Apt 3B", "Allston", "MA", "US", "02134")),
    Fault(2177, "postcode-with-leading-zero", address("", "16 Kauri Road", "", "Whangārei", "NTL", "NZ", "0110")),
    # Notes that need quoting
    Fault(66, "multi-line-note", {"Note": "Leave parcels at the back door.\nGate code 4411, please don't share."}),
    Fault(480, "multi-line-note", {"Note": "Called about a damaged vase.\nReplacement sent, no charge.\nFollow up if it happens again."}),
    Fault(1050, "multi-line-note", {"Note": "Allergic to lavender.\n\nDo not include scented samples."}),
    Fault(1520, "multi-line-note", {"Note": "Prefers pickup from the Fremantle store.\n"}),
    Fault(2010, "multi-line-note", {"Note": "Wholesale account — invoice monthly.\nContact: accounts@example.com"}),
    Fault(720, "note-with-comma-and-quote", {"Note": 'Asked for "Happy Birthday, Mum" on the gift card'}),
    Fault(1840, "note-with-comma-and-quote", {"Note": 'Prefers "Express Post", not courier'}),
    # Invalid country codes and booleans
    Fault(158, "invalid-country-code", address("", "3 Wattle Street", "", "Newtown", "NSW", "XX", "2042")),
    Fault(977, "invalid-country-code", address("", "8 Station Road", "Flat 4B", "Leeds", "", "UK", "LS1 4AP")),
    Fault(1555, "invalid-country-code", address("", "60 Ocean Parade", "", "Glenelg", "SA", "Australia", "5045")),
    Fault(2140, "invalid-country-code", address("", "22 Cuba Street", "", "Wellington", "WGN", "NZL", "6011")),
    Fault(300, "invalid-boolean", {"Accepts Email Marketing": "maybe"}),
    Fault(1910, "invalid-boolean", {"Accepts Email Marketing": "pending"}),
]


def apply_faults(rows: list[dict[str, str]]) -> None:
    for fault in FAULTS:
        if fault.case not in CASES:
            raise ValueError(f"record {fault.record}: unknown case '{fault.case}'")
        rows[fault.record - 1].update(fault.values)
        if fault.customer_id_of is not None:
            rows[fault.record - 1]["Customer ID"] = rows[fault.customer_id_of - 1]["Customer ID"]


def reserved_emails() -> set[str]:
    """Return the normalized injected emails, so generated customers avoid them."""
    return {normalize_email(f.values["Email"]) for f in FAULTS if f.values.get("Email", "").strip()}


# Expected validation result

def normalize_email(value: str) -> str:
    # str.strip() also removes no-break spaces.
    return value.strip().lower()


def normalize_customer_id(value: str) -> str:
    value = value.strip()
    return value[1:] if value.startswith("'") else value


def duplicate_groups(rows: list[dict[str, str]]) -> dict[str, list[list[int]]]:
    """Return the 0-based indexes of rows that share an email or a Customer ID.

    Missing emails are not compared.
    """
    by_email: dict[str, list[int]] = defaultdict(list)
    by_customer_id: dict[str, list[int]] = defaultdict(list)
    for index, row in enumerate(rows):
        email = normalize_email(row["Email"])
        if email:
            by_email[email].append(index)
        customer_id = normalize_customer_id(row["Customer ID"])
        if customer_id:
            by_customer_id[customer_id].append(index)
    return {
        "email": [group for group in by_email.values() if len(group) > 1],
        "customer_ref": [group for group in by_customer_id.values() if len(group) > 1],
    }


def expected_codes(rows: list[dict[str, str]]) -> list[list[str]]:
    """Return the problem codes of each row under the Shopify mapping and the reject policy.

    Invalid emails cannot be recognised with the standard library alone, so they
    are taken from the injected cases. Rows with other problems still take part
    in the duplicate checks.
    """
    invalid_email_records = {f.record for f in FAULTS if INVALID_EMAIL in CASES[f.case][1]}
    groups = duplicate_groups(rows)
    duplicate_emails = {index for group in groups["email"] for index in group}
    duplicate_ids = {index for group in groups["customer_ref"] for index in group}

    result = []
    for index, row in enumerate(rows):
        codes = set()
        if not normalize_email(row["Email"]):
            codes.add(MISSING_EMAIL)
        if index + 1 in invalid_email_records:
            codes.add(INVALID_EMAIL)
        if index in duplicate_emails:
            codes.add(DUPLICATE_EMAIL)
        if index in duplicate_ids:
            codes.add(DUPLICATE_CUSTOMER_REF)
        country = row["Default Address Country Code"].strip().upper()
        if country and country not in GENERATED_COUNTRY_CODES:
            codes.add(INVALID_COUNTRY_CODE)
        marketing = row["Accepts Email Marketing"].strip()
        if marketing and marketing not in MARKETING_VALUES:
            codes.add(INVALID_BOOLEAN)
        result.append([code for code in CODE_ORDER if code in codes])
    return result


def check_codes_match_cases(codes: list[list[str]]) -> None:
    """Fail when a row's computed codes differ from what its injected case declares.

    This catches an accidental collision, such as a generated email that
    duplicates an injected one.
    """
    declared = {f.record: list(CASES[f.case][1]) for f in FAULTS}
    for record, row_codes in enumerate(codes, start=1):
        expected = declared.get(record, [])
        if row_codes != [code for code in CODE_ORDER if code in expected]:
            raise AssertionError(f"record {record}: computed {row_codes}, case declares {expected}")


# Output

def render_rows(rows: list[dict[str, str]]) -> tuple[str, list[int]]:
    """Return the CSV text and the line each record starts on (header is line 1)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=LINE_TERMINATOR)
    writer.writerow(HEADER)
    start_lines = []
    line = 2
    for row in rows:
        writer.writerow([row[column] for column in HEADER])
        start_lines.append(line)
        line += record_line_span(row)
    return buffer.getvalue(), start_lines


def lines_where(rows, start_lines, predicate) -> list[int]:
    return [line for row, line in zip(rows, start_lines) if predicate(row)]


def build_expected(rows, start_lines, codes) -> dict:
    rejected = [
        {"line": line, "record": record, "codes": row_codes}
        for record, (line, row_codes) in enumerate(zip(start_lines, codes), start=1)
        if row_codes
    ]
    errors_by_code = Counter(code for row_codes in codes for code in row_codes)

    cases = {}
    for name, (description, case_codes) in CASES.items():
        records = sorted(f.record for f in FAULTS if f.case == name)
        cases[name] = {
            "description": description,
            "expected_codes": list(case_codes),
            "lines": [start_lines[r - 1] for r in records],
        }

    duplicates = {
        key: [[start_lines[index] for index in group] for group in groups]
        for key, groups in duplicate_groups(rows).items()
    }

    def non_ascii_name(row):
        return not (row["First Name"] + row["Last Name"]).isascii()

    also_present = {
        "non-ascii-name": lines_where(rows, start_lines, non_ascii_name),
        "postcode-with-leading-zero": lines_where(rows, start_lines, lambda r: r["Default Address Zip"].startswith("0")),
        "email-with-upper-case": lines_where(rows, start_lines, lambda r: r["Email"] != r["Email"].lower()),
        "multi-line-note": lines_where(rows, start_lines, lambda r: "\n" in r["Note"]),
        "no-default-address": lines_where(rows, start_lines, lambda r: not any(r[c] for c in ADDRESS_COLUMNS)),
        "blank-phone": lines_where(rows, start_lines, lambda r: not r["Phone"]),
    }

    return {
        "file": CSV_NAME,
        "generator": "samples/generate_shopify_sample.py",
        "seed": SEED,
        "mapping": "shopify",
        "duplicate_policy": "reject",
        "physical_lines": start_lines[-1] + record_line_span(rows[-1]) - 1,
        "rows_read": len(rows),
        "rows_valid": sum(1 for row_codes in codes if not row_codes),
        "rows_rejected": len(rejected),
        "errors_by_code": {code: errors_by_code[code] for code in CODE_ORDER if errors_by_code[code]},
        "assumptions": [
            "line is the 1-based physical line on which a record starts. The header is line 1.",
            "record is the 1-based position of the record after the header.",
            "Emails are compared after trimming spaces and no-break spaces and lower-casing.",
            "Customer IDs are compared after stripping the leading apostrophe.",
            "An empty or all-space email is missing and takes no part in the duplicate check.",
            "Rows with other problems still take part in the duplicate checks.",
        ],
        "rejected": rejected,
        "duplicate_groups": duplicates,
        "cases": cases,
        "also_present": also_present,
    }


def record_line_span(row: dict[str, str]) -> int:
    """Return how many physical lines a record occupies.

    Raises ValueError on a carriage return in a value, because readers differ
    on whether a lone CR inside a quoted field starts a new line.
    """
    if any("\r" in row[column] for column in HEADER):
        raise ValueError(f"carriage return in record with Customer ID {row['Customer ID']}")
    return 1 + sum(row[column].count("\n") for column in HEADER)


def generate(output_dir: Path) -> dict:
    rng = StableRandom(SEED)
    registry = Registry(emails=reserved_emails())
    rows = [new_customer(rng, registry) for _ in range(RECORD_COUNT)]
    apply_faults(rows)

    codes = expected_codes(rows)
    check_codes_match_cases(codes)
    text, start_lines = render_rows(rows)
    expected = build_expected(rows, start_lines, codes)

    output_dir.mkdir(parents=True, exist_ok=True)
    (output_dir / CSV_NAME).write_text(text, encoding="utf-8", newline="")
    expected_text = json.dumps(expected, ensure_ascii=False, indent=2) + "\n"
    (output_dir / EXPECTED_NAME).write_text(expected_text, encoding="utf-8", newline="")
    return expected


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--output-dir",
        type=Path,
        default=Path(__file__).resolve().parent,
        help="directory to write the CSV and the expected JSON into (default: this script's directory)",
    )
    args = parser.parse_args()
    expected = generate(args.output_dir)
    print(
        f"wrote {expected['rows_read']} records ({expected['physical_lines']} lines) to "
        f"{args.output_dir / CSV_NAME}: {expected['rows_valid']} valid, "
        f"{expected['rows_rejected']} rejected"
    )


if __name__ == "__main__":
    main()
