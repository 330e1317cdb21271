"""Parse and check the rule keys of one field rule.

Every check here runs before any row is read, and every error names the
mapping file and the line of the rule.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from functools import lru_cache

import phonenumbers

from importer import customer as fields
from importer.mapping.errors import MappingError, closest
from importer.mapping.model import DEFAULT_VOCABULARY, BooleanVocabulary, FieldRule
from importer.mapping.yaml_lines import LineDict, LineList

RULE_KEYS = (
    "column",
    "constant",
    "template",
    "split_name",
    "when_file",
    "default",
    "trim",
    "case",
    "strip_prefix",
    "lookup",
    "blank_if",
    "boolean",
    "invert",
    "date_formats",
    "excel_serial",
    "timezone",
    "phone",
    "country",
)
SOURCE_KEYS = ("column", "constant", "template", "split_name", "when_file")
CASES = ("lower", "upper")
NAME_PARTS = ("first", "last")
COUNTRY_CONVERSIONS = ("names",)
TRUE_WORDS = ("true", "yes")
FALSE_WORDS = ("false", "no")

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
# A template token: an escaped brace, a {Column} placeholder, a lone brace or any other character.
_TEMPLATE_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[^{}]+|[{}]")
_SAMPLE_DATE = dt.datetime(1999, 11, 28, 13, 51, 14, tzinfo=dt.timezone.utc)


class RuleContext:
    """The location of a rule: the mapping source, the line and the target path."""

    def __init__(self, source: str, line: int, target: str):
        self.source = source
        self.line = line
        self.target = target

    def error(self, message: str) -> MappingError:
        return MappingError(self.source, self.line, message)


def parse_rule(target: str, spec: object, line: int, vocabularies, source: str) -> FieldRule:
    """Turn one entry of ``fields`` or of an attribute group into a FieldRule."""
    context = RuleContext(source, line, target)
    if isinstance(spec, (str, LineList)):
        spec = _as_rule_dict({"column": spec}, line)
    if not isinstance(spec, LineDict):
        raise context.error(f"'{target}' must be a column name or a mapping of rule keys.")
    check_keys(spec, RULE_KEYS, source, f"rule key for '{target}'")
    _check_one_source(spec, context)

    columns = _parse_columns(spec.get("column"), context)
    template, template_columns = _parse_template(spec.get("template"), context)
    split_column, name_part = _parse_split_name(spec.get("split_name"), context)
    return FieldRule(
        target=target,
        line=line,
        column=columns[0] if columns else split_column,
        fallback_columns=columns[1:],
        template=template,
        template_columns=template_columns,
        name_part=name_part,
        constant=final_value(target, spec.get("constant"), context),
        when_file=_parse_when_file(spec.get("when_file"), context),
        default=final_value(target, spec.get("default"), context),
        trim=_flag(spec.get("trim"), True, context),
        case=_parse_case(spec.get("case"), context),
        strip_prefix=_optional_text(spec.get("strip_prefix")),
        lookup=_parse_lookup(spec.get("lookup"), context),
        blank_if=_parse_blank_if(spec.get("blank_if"), context),
        boolean=_parse_boolean(spec, vocabularies, context),
        invert=_flag(spec.get("invert"), False, context),
        **_parse_time_keys(spec, context),
        phone_region=_parse_phone(spec.get("phone"), context),
        country=_parse_country(spec.get("country"), context),
    )


def _as_rule_dict(values: dict, line: int) -> LineDict:
    spec = LineDict(values)
    spec.line, spec.key_lines = line, {}
    return spec


def _check_one_source(spec: LineDict, context: RuleContext) -> None:
    given = [key for key in SOURCE_KEYS if key in spec]
    if len(given) != 1:
        raise context.error(
            f"'{context.target}' needs exactly one of 'column', 'constant', 'template', "
            "'split_name' or 'when_file'."
        )


# Sources

def _parse_columns(value: object, context: RuleContext) -> tuple[str, ...]:
    """Read ``column``: one name, or a list of names of which the first present is used."""
    if value is None:
        return ()
    if isinstance(value, LineList):
        names = tuple(str(item) for item in value if item is not None)
        if not names:
            raise context.error(f"column of '{context.target}' is an empty list; name at least one column.")
        return names
    if isinstance(value, LineDict):
        raise context.error(f"column of '{context.target}' must be a column name or a list of names.")
    return (str(value),)


def template_parts(template: str) -> list[tuple[str, str | None]]:
    """Split a template into (literal text, column or None) pairs, in order.

    ``{Name}`` is a column; ``{{`` and ``}}`` stand for literal braces.
    """
    parts: list[tuple[str, str | None]] = []
    literal = ""
    for match in _TEMPLATE_TOKEN.finditer(template):
        token = match.group()
        if match.group(1) is None:
            literal += token[0] if token in ("{{", "}}") else token
            continue
        parts.append((literal, match.group(1)))
        literal = ""
    parts.append((literal, None))
    return parts


def _parse_template(value: object, context: RuleContext) -> tuple[str | None, tuple[str, ...]]:
    if value is None:
        return None, ()
    template = str(value)
    columns = tuple(column for _, column in template_parts(template) if column is not None)
    leftover = _PLACEHOLDER.sub("", re.sub(r"\{\{|\}\}", "", template))
    if "{" in leftover or "}" in leftover:
        raise context.error(f"template '{template}' of '{context.target}' has an unmatched brace; write {{{{ or }}}} for a literal one.")
    if not columns or any(not column.strip() for column in columns):
        raise context.error(f"template '{template}' of '{context.target}' needs column names in braces, such as \"{{First Name}} {{Last Name}}\".")
    return template, columns


def _parse_split_name(value: object, context: RuleContext) -> tuple[str | None, str | None]:
    if value is None:
        return None, None
    if not isinstance(value, LineDict) or set(value) != {"column", "part"}:
        raise context.error(f"split_name of '{context.target}' needs exactly the keys 'column' and 'part' (first or last).")
    part = str(value["part"])
    if part not in NAME_PARTS:
        raise context.error(f"part of split_name for '{context.target}' must be 'first' or 'last', not '{part}'.")
    return str(value["column"]), part


def _parse_when_file(value: object, context: RuleContext) -> tuple[tuple[str, str | bool | None], ...]:
    if value is None:
        return ()
    if not isinstance(value, LineDict) or not value:
        raise context.error(
            f"when_file of '{context.target}' must map file-name patterns to values, "
            "such as {\"subscribed_*\": true}."
        )
    return tuple((str(pattern), final_value(context.target, item, context)) for pattern, item in value.items())


# Steps

def _parse_case(value, context: RuleContext) -> str | None:
    if value is None or value in CASES:
        return value
    raise context.error(f"case of '{context.target}' must be 'lower' or 'upper', not '{value}'.")


def _parse_lookup(value, context: RuleContext) -> dict[str, str] | None:
    if value is None:
        return None
    if not isinstance(value, LineDict):
        raise context.error(f"lookup of '{context.target}' must map source values to values to send.")
    return {str(key): _text(item, "") for key, item in value.items()}


def _parse_blank_if(value, context: RuleContext) -> str | None:
    if value is None:
        return None
    try:
        re.compile(str(value))
    except re.error as exc:
        raise context.error(f"blank_if of '{context.target}' is not a valid regular expression: {exc}.") from exc
    return str(value)


def _parse_boolean(spec: LineDict, vocabularies, context: RuleContext) -> BooleanVocabulary | None:
    name = spec.get("boolean")
    if not fields.is_boolean_path(context.target):
        if name is not None or "invert" in spec:
            raise context.error(f"'{context.target}' is not a boolean field, so 'boolean' and 'invert' do not apply.")
        return None
    if name is None:
        return DEFAULT_VOCABULARY
    if isinstance(name, LineDict):
        return parse_vocabulary(f"{context.target} vocabulary", name, context.source, context.line)
    if name not in vocabularies:
        hint = closest(str(name), list(vocabularies))
        raise context.error(f"'{name}' is not a boolean vocabulary.{hint} Known: {', '.join(vocabularies)}.")
    return vocabularies[name]


def parse_vocabulary(name: str, spec: object, source: str, line: int) -> BooleanVocabulary:
    if not isinstance(spec, LineDict) or set(spec) != {"true", "false"}:
        raise MappingError(source, line, f"boolean vocabulary '{name}' needs exactly the keys 'true' and 'false', each a list of words.")
    words = {}
    for key in ("true", "false"):
        value = spec[key]
        words[key] = tuple(value) if isinstance(value, LineList) else (str(value),)
    overlap = {word.lower() for word in words["true"]} & {word.lower() for word in words["false"]}
    if overlap:
        raise MappingError(source, line, f"boolean vocabulary '{name}' lists {sorted(overlap)} as both true and false.")
    return BooleanVocabulary(name, words["true"], words["false"])


def _parse_phone(value, context: RuleContext) -> str | None:
    if value is None:
        return None
    if not _is_phone_path(context.target):
        raise context.error(f"'{context.target}' is not a phone field (mobile, phone, addresses[n].phone), so 'phone' does not apply.")
    region = value.get("region") if isinstance(value, LineDict) else value
    if isinstance(value, LineDict) and set(value) != {"region"}:
        raise context.error(f"phone of '{context.target}' takes one key, 'region', such as {{region: AU}}.")
    region = str(region).upper()
    if region not in phonenumbers.SUPPORTED_REGIONS:
        raise context.error(f"'{region}' in phone of '{context.target}' is not a region phonenumbers knows; use an ISO 3166-1 alpha-2 code such as AU or NZ.")
    return region


def _parse_country(value, context: RuleContext) -> str | None:
    if value is None:
        return None
    if not fields.is_country_code_path(context.target):
        raise context.error(f"'{context.target}' is not a country code field (addresses[n].countryCode), so 'country' does not apply.")
    if value not in COUNTRY_CONVERSIONS:
        raise context.error(f"'{value}' is not a country conversion for '{context.target}'; use 'country: names'.")
    return str(value)


def _is_phone_path(path: str) -> bool:
    return path in ("mobile", "phone") or bool(re.fullmatch(r"addresses\[\d+\]\.phone", path))


# Dates and timestamps

def _parse_time_keys(spec: LineDict, context: RuleContext) -> dict:
    """Read ``date_formats``, ``excel_serial`` and ``timezone`` together, since they depend on each other."""
    target = context.target
    is_date = target in fields.DATE_FIELDS
    is_timestamp = fields.is_timestamp_path(target)
    for key in ("date_formats", "excel_serial", "timezone"):
        if key in spec and not (is_date or is_timestamp):
            raise context.error(
                f"'{target}' is not a date or timestamp field ({', '.join(fields.DATE_FIELDS)}, "
                f"optin_preferences.<channel>.opted_in_at or opt_in_updated_at), so '{key}' does not apply."
            )
    if "timezone" in spec and not is_timestamp:
        raise context.error(f"'{target}' is a date without a time, so 'timezone' does not apply.")

    timezone = _parse_timezone(spec.get("timezone"), context)
    formats = _parse_date_formats(spec.get("date_formats"), is_timestamp, context)
    excel_serial = _flag(spec.get("excel_serial"), False, context)
    if is_timestamp and timezone is None:
        naive = [date_format for date_format in formats if not _carries_zone(date_format)]
        if naive or excel_serial:
            what = f"'{naive[0]}' in date_formats" if naive else "an Excel serial day number"
            raise context.error(
                f"{what} of '{target}' has no time zone; add timezone: UTC, or the zone the export "
                "writes its times in, such as Australia/Sydney."
            )
    return {"date_formats": formats, "excel_serial": excel_serial, "timezone": timezone}


def _parse_timezone(value, context: RuleContext) -> str | None:
    if value is None:
        return None
    name = str(value)
    if name not in _zone_names():
        hint = closest(name, sorted(_zone_names()))
        raise context.error(f"'{name}' in timezone of '{context.target}' is not an IANA time zone name such as UTC or Australia/Sydney.{hint}")
    return name


@lru_cache(maxsize=1)
def _zone_names() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _parse_date_formats(value, is_timestamp: bool, context: RuleContext) -> tuple[str, ...]:
    if value is None:
        return ()
    formats = tuple(str(item) for item in value) if isinstance(value, LineList) else (str(value),)
    for date_format in formats:
        _check_date_format(date_format, context)
        if not is_timestamp and "%z" in date_format:
            raise context.error(f"'{date_format}' in date_formats of '{context.target}' has a time zone, but '{context.target}' is a date; leave out %z.")
    return formats


def _check_date_format(date_format: str, context: RuleContext) -> None:
    try:
        round_trip = dt.datetime.strptime(_SAMPLE_DATE.strftime(date_format), date_format)
    except ValueError:
        round_trip = None
    if round_trip is None or round_trip.date() != _SAMPLE_DATE.date():
        raise context.error(
            f"'{date_format}' in date_formats of '{context.target}' is not a full date format; "
            "use strftime codes with day, month and year, such as %Y-%m-%d or %d/%m/%Y."
        )


def _carries_zone(date_format: str) -> bool:
    """Tell whether values in this format carry their own zone: %z, or a literal Z for UTC."""
    return "%z" in date_format or date_format.endswith("Z")


# Plain values

def final_value(target: str, value: object, context: RuleContext) -> str | bool | None:
    """Read a constant, default or when_file value, given in Customer terms (true/false for booleans)."""
    if value is None:
        return None
    if isinstance(value, (LineDict, LineList)):
        raise context.error(f"a constant, default or when_file value of '{target}' must be a single value.")
    text = _text(value, "")
    if not fields.is_boolean_path(target):
        return text
    if text.lower() in TRUE_WORDS:
        return True
    if text.lower() in FALSE_WORDS:
        return False
    raise context.error(f"'{target}' is a boolean, so its constant or default must be true or false, not '{text}'.")


def _flag(value, default: bool, context: RuleContext) -> bool:
    if value is None:
        return default
    if str(value).lower() in TRUE_WORDS:
        return True
    if str(value).lower() in FALSE_WORDS:
        return False
    raise context.error(f"'{value}' is not true or false.")


def check_keys(spec: LineDict, allowed: tuple[str, ...], source: str, what: str) -> None:
    for key in spec:
        if key not in allowed:
            hint = closest(key, list(allowed))
            raise MappingError(source, spec.key_lines.get(key), f"'{key}' is not a {what}.{hint}")


def _text(value: object, default: str) -> str:
    return default if value is None else str(value)


def _optional_text(value: object) -> str | None:
    return None if value is None else str(value)
