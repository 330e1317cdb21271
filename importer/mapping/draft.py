"""Draft a mapping from an input's header and a sample of its rows.

A header that fits a preset gets that preset. Otherwise each column is
matched to a Customer field through known names (aliases) and, failing
that, name similarity; date columns get the formats every sample value
fits, and a day/month order the sample cannot settle is flagged, not chosen.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from dataclasses import dataclass, field

from importer.mapping.apply import bind_columns
from importer.mapping.errors import MappingError
from importer.mapping.loader import load_mapping, preset_names, preset_text
from importer.mapping.model import BUILTIN_VOCABULARIES

# Known column names of each field, written normalized: lower case, words
# separated by one space.
FIELD_ALIASES = {
    "email": ["email", "e mail", "email address", "e mail address", "mail", "customer email", "contact email"],
    "firstName": ["first name", "firstname", "given name", "forename", "first", "fname", "christian name"],
    "lastName": ["last name", "lastname", "surname", "family name", "last", "lname"],
    "phone": ["phone", "phone number", "telephone", "telephone number", "tel", "home phone", "contact number"],
    "mobile": ["mobile", "mobile phone", "mobile number", "cell", "cell phone", "cellphone"],
    "dob": ["date of birth", "dob", "birthday", "birth date", "birthdate", "born"],
    "customerRef": ["customer id", "customer number", "customer ref", "customer reference", "client id", "member id", "id"],
    "memberSince": ["member since", "join date", "joined", "date joined", "signup date", "sign up date", "registration date"],
    "loyaltyTier": ["loyalty tier", "tier", "membership level"],
    "addresses[0].company": ["company", "company name", "organisation", "organization", "business name"],
    "addresses[0].address1": ["address", "address1", "address 1", "address line 1", "street", "street address"],
    "addresses[0].address2": ["address2", "address 2", "address line 2"],
    "addresses[0].city": ["city", "town", "suburb", "locality"],
    "addresses[0].province": ["state", "province", "region", "county"],
    "addresses[0].postcode": ["postcode", "post code", "zip", "zip code", "zipcode", "postal code"],
    "addresses[0].countryCode": ["country", "country code", "countrycode"],
    "optin_preferences.email.opt_in_active": [
        "accepts marketing", "accepts email marketing", "email opt in", "newsletter", "subscribed",
        "marketing consent", "email consent", "opt in",
    ],
}
# Opt-out columns: true means the person does not want email, so the rule inverts.
OPT_OUT_ALIASES = ["email opt out", "opted out", "unsubscribed", "do not email", "has opted out of email"]
SIMILARITY_CUTOFF = 0.85
WORD_MATCH_SCORE = 0.9

# Date formats tried on sample values, with their day/month-swapped twin.
DATE_CANDIDATES = {
    "%Y-%m-%d": None, "%Y/%m/%d": None, "%d/%m/%Y": "%m/%d/%Y", "%m/%d/%Y": "%d/%m/%Y",
    "%d-%m-%Y": "%m-%d-%Y", "%m-%d-%Y": "%d-%m-%Y", "%d.%m.%Y": None, "%d %b %Y": None, "%d %B %Y": None,
    "%b %d, %Y": None, "%Y-%m-%d %H:%M:%S": None, "%Y-%m-%dT%H:%M:%S": None,
}
DATE_FIELDS = ("dob", "memberSince")
_SAFE_YAML = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9 _./()-]*$")


@dataclass(frozen=True)
class PresetMatch:
    """A preset whose columns are all in the header."""

    name: str
    description: str
    columns_read: int


@dataclass
class Draft:
    """A drafted mapping: its YAML text and what the draft could not settle."""

    text: str
    preset: str | None = None
    unmapped: list[str] = field(default_factory=list)
    flagged: list[str] = field(default_factory=list)


def find_preset(header: list[str], input_name: str) -> PresetMatch | None:
    """Return the preset that reads the most columns of ``header`` among those it fits, or None."""
    matches = []
    for name in preset_names():
        mapping = load_mapping(name)
        try:
            columns = bind_columns(mapping, header, input_name)
        except MappingError:
            continue
        matches.append(PresetMatch(name, mapping.description, len(set(columns.values()))))
    return max(matches, key=lambda match: match.columns_read, default=None)


def draft_mapping(header: list[str], samples: dict[str, list[str]], input_name: str) -> Draft:
    """Draft a mapping for an input; ``samples`` contains each column's first non-empty values."""
    preset = find_preset(header, input_name)
    if preset is not None:
        text = (
            f"# The header of {input_name} is a known export: preset '{preset.name}' ({preset.description}).\n"
            f"# Import it with -m {preset.name}, or edit this copy of the preset.\n\n" + preset_text(preset.name)
        )
        return Draft(text, preset=preset.name)

    matched = match_columns(header)
    lines = [
        f"# Draft mapping for {input_name}, written by twc-import mapping init.",
        f"# Check every rule, then run: twc-import mapping check MAPPING {input_name}",
        f"description: {_yaml_text('Draft mapping for ' + input_name)}",
        "duplicates: reject",
        "",
        "fields:",
    ]
    draft = Draft("")
    for target, column in matched.items():
        lines += _rule_lines(target, column, samples.get(column, []), draft)
    draft.unmapped = [column for column in header if column not in matched.values()]
    lines += _unmapped_lines(draft.unmapped)
    draft.text = "\n".join(lines) + "\n"
    return draft


def normalize_name(name: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", name.lower()).split())


def match_columns(header: list[str]) -> dict[str, str]:
    """Match columns to fields, best score first; each column and each field is used once.

    A column scores 1 when its normalized name is a known alias, 0.9 when an
    alias is one of its words (or word runs), and otherwise its similarity
    to the closest alias, kept only from 0.85 up.
    """
    candidates = []
    for column in header:
        name = normalize_name(column)
        for target, aliases in _all_aliases().items():
            score = max(_score(name, alias) for alias in aliases)
            if score >= SIMILARITY_CUTOFF:
                candidates.append((score, -header.index(column), target, column))

    matched: dict[str, str] = {}
    for _, _, target, column in sorted(candidates, reverse=True):
        if target not in matched and column not in matched.values():
            matched[target] = column
    return {target: matched[target] for target in _all_aliases() if target in matched}


def _all_aliases() -> dict[str, list[str]]:
    return {**FIELD_ALIASES, "optin_preferences.email.opt_out": OPT_OUT_ALIASES}


def _score(name: str, alias: str) -> float:
    if name == alias:
        return 1.0
    if len(alias) > 3 and re.search(rf"(^| ){re.escape(alias)}( |$)", name):
        return WORD_MATCH_SCORE
    return difflib.SequenceMatcher(None, name, alias).ratio()


def _rule_lines(target: str, column: str, values: list[str], draft: Draft) -> list[str]:
    if target in DATE_FIELDS:
        return _date_rule_lines(target, column, values, draft)
    if target == "optin_preferences.email.opt_out":
        return ["  optin_preferences.email.opt_in_active:", f"    column: {_yaml_text(column)}", "    invert: true"]
    if target == "addresses[0].countryCode":
        return [f"  {target}:", f"    column: {_yaml_text(column)}", "    country: names"]
    if target.endswith("opt_in_active"):
        return _boolean_rule_lines(target, column, values, draft)
    return [f"  {target}: {_yaml_text(column)}"]


def propose_date_formats(values: list[str]) -> tuple[list[str], bool]:
    """Return the formats every value fits, and whether the day/month order is undecided."""
    fitting = [form for form in DATE_CANDIDATES if values and all(_parses(value, form) for value in values)]
    ambiguous = any(DATE_CANDIDATES[form] in fitting for form in fitting)
    return fitting, ambiguous


def _parses(value: str, date_format: str) -> bool:
    try:
        dt.datetime.strptime(value.strip(), date_format)
    except ValueError:
        return False
    return True


def _date_rule_lines(target: str, column: str, values: list[str], draft: Draft) -> list[str]:
    if values and all(re.fullmatch(r"\d{5}", value.strip()) for value in values):
        return [f"  {target}:", f"    column: {_yaml_text(column)}", "    excel_serial: true"]
    formats, ambiguous = propose_date_formats(values)
    rule = [f"  {target}:", f"    column: {_yaml_text(column)}", f"    date_formats: {json.dumps(formats[:1])}"]
    if formats and not ambiguous:
        return rule
    if ambiguous:
        reason = f"the sample values of '{column}' fit both {formats[0]} and {DATE_CANDIDATES[formats[0]]}, so the day/month order cannot be told"
    else:
        reason = f"no known date format fits every sample value of '{column}'"
        rule[-1] = '    date_formats: ["%Y-%m-%d"]'
    draft.flagged.append(reason)
    return [f"  # CHECK: {reason}. Write the format the export uses, then uncomment these lines."] + [
        "  #" + line[1:] for line in rule
    ]


def _boolean_rule_lines(target: str, column: str, values: list[str], draft: Draft) -> list[str]:
    words = {value.strip().lower() for value in values}
    rule = [f"  {target}:", f"    column: {_yaml_text(column)}"]
    for name in ("any", "subscribed"):
        vocabulary = BUILTIN_VOCABULARIES[name]
        if words <= set(vocabulary.lookup_table()):
            return rule + ([] if name == "any" else [f"    boolean: {name}"])
    reason = f"the sample values of '{column}' ({', '.join(sorted(words))}) are in no built-in boolean vocabulary"
    draft.flagged.append(reason)
    return [f"  # CHECK: {reason}; define one under booleans: and name it here."] + rule


def _unmapped_lines(unmapped: list[str]) -> list[str]:
    if not unmapped:
        return []
    return [
        "",
        "# Columns left unmapped: " + ", ".join(unmapped) + ".",
        "# Map them above, or uncomment this group to keep every one of them as attributes.",
        "# attribute_groups:",
        "#   extra:",
        "#     description: Other values from the export",
        "#     rest: true",
    ]


def _yaml_text(value: str) -> str:
    """Write a string as a YAML scalar, quoted unless plainly safe."""
    return value if _SAFE_YAML.match(value) else json.dumps(value, ensure_ascii=False)
