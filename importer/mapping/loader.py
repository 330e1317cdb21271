"""Load a mapping file or preset and check it before any row is read."""

from __future__ import annotations

import datetime as dt
from importlib import resources
from pathlib import Path

import yaml

from importer import customer as fields
from importer.mapping.errors import MappingError, closest
from importer.mapping.model import (
    BUILTIN_VOCABULARIES,
    DEFAULT_VOCABULARY,
    DUPLICATE_POLICIES,
    BooleanVocabulary,
    FieldRule,
    Mapping,
)
from importer.mapping.yaml_lines import LineDict, LineList, load_yaml

TOP_LEVEL_KEYS = ("name", "description", "duplicates", "booleans", "fields", "attribute_groups")
RULE_KEYS = (
    "column",
    "constant",
    "default",
    "trim",
    "case",
    "strip_prefix",
    "lookup",
    "boolean",
    "invert",
    "date_formats",
)
CASES = ("lower", "upper")
TRUE_WORDS = ("true", "yes")
FALSE_WORDS = ("false", "no")


def preset_names() -> list[str]:
    presets = resources.files("importer.presets")
    return sorted(item.name[:-5] for item in presets.iterdir() if item.name.endswith(".yaml"))


def load_mapping(name_or_path: str) -> Mapping:
    """Load a mapping from a file path or, failing that, a preset name."""
    path = Path(name_or_path)
    if path.is_file():
        return parse_mapping(path.read_text(encoding="utf-8"), str(path))

    if name_or_path in preset_names():
        preset = resources.files("importer.presets") / f"{name_or_path}.yaml"
        return parse_mapping(preset.read_text(encoding="utf-8"), f"preset {name_or_path}")

    hint = closest(name_or_path, preset_names())
    raise MappingError(
        name_or_path,
        None,
        "no mapping file at this path and no preset of this name."
        f"{hint} Presets: {', '.join(preset_names())}.",
    )


def parse_mapping(text: str, source: str) -> Mapping:
    try:
        document = load_yaml(text)
    except yaml.YAMLError as exc:
        line = exc.problem_mark.line + 1 if getattr(exc, "problem_mark", None) else None
        raise MappingError(source, line, f"invalid YAML: {getattr(exc, 'problem', exc)}.") from exc
    if not isinstance(document, LineDict):
        raise MappingError(source, None, "a mapping file must be a YAML mapping with a 'fields' key.")

    _check_keys(document, TOP_LEVEL_KEYS, source, "top-level key")
    vocabularies = _parse_vocabularies(document.get("booleans"), source)
    rules = _parse_fields(document, vocabularies, source)
    groups, descriptions = _parse_groups(document.get("attribute_groups"), vocabularies, source)
    rules += groups
    if not any(rule.target == "email" for rule in rules):
        raise MappingError(source, document.line, "the mapping has no rule for 'email', which every customer needs.")

    return Mapping(
        source=source,
        description=_text(document.get("description"), ""),
        duplicates=_parse_duplicates(document, source),
        rules=tuple(rules),
        group_descriptions=descriptions,
    )


def _parse_duplicates(document: LineDict, source: str) -> str:
    policy = _text(document.get("duplicates"), "reject")
    if policy not in DUPLICATE_POLICIES:
        line = document.key_lines.get("duplicates")
        raise MappingError(
            source, line, f"duplicates: '{policy}' is not a policy; use one of {', '.join(DUPLICATE_POLICIES)}."
        )
    return policy


def _parse_vocabularies(section: object, source: str) -> dict[str, BooleanVocabulary]:
    vocabularies = dict(BUILTIN_VOCABULARIES)
    if section is None:
        return vocabularies
    _require(isinstance(section, LineDict), source, section, "booleans must map names to vocabularies.")
    for name, spec in section.items():
        vocabularies[name] = _parse_vocabulary(name, spec, source, section.key_lines[name])
    return vocabularies


def _parse_vocabulary(name: str, spec: object, source: str, line: int) -> BooleanVocabulary:
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


def _parse_fields(document: LineDict, vocabularies, source: str) -> list[FieldRule]:
    section = document.get("fields")
    _require(isinstance(section, LineDict), source, document, "the mapping needs a 'fields' mapping from Customer fields to columns.")
    rules = []
    for target, spec in section.items():
        line = section.key_lines[target]
        if target in fields.CALCULATED_FIELDS:
            raise MappingError(source, line, f"'{target}' is calculated by the Customer API and cannot be sent.")
        if not fields.is_known_path(target) or target.startswith("attributeGroups."):
            hint = closest(target, fields.all_simple_paths())
            raise MappingError(source, line, f"'{target}' is not a Customer field.{hint}")
        rules.append(_parse_rule(target, spec, line, vocabularies, source))
    return rules


def _parse_groups(section: object, vocabularies, source: str):
    rules: list[FieldRule] = []
    descriptions: dict[str, str] = {}
    if section is None:
        return rules, descriptions
    _require(isinstance(section, LineDict), source, section, "attribute_groups must map group names to groups.")
    for group, spec in section.items():
        line = section.key_lines[group]
        _require(isinstance(spec, LineDict) and isinstance(spec.get("attributes"), LineDict), source, line,
                 f"attribute group '{group}' needs an 'attributes' mapping of names to columns.")
        _check_keys(spec, ("description", "attributes"), source, f"key of attribute group '{group}'")
        if spec.get("description"):
            descriptions[group] = _text(spec["description"], "")
        attributes = spec["attributes"]
        for name, attribute in attributes.items():
            target = fields.attribute_path(group, name)
            rules.append(_parse_rule(target, attribute, attributes.key_lines[name], vocabularies, source))
    return rules, descriptions


def _parse_rule(target: str, spec: object, line: int, vocabularies, source: str) -> FieldRule:
    if isinstance(spec, str):
        spec = LineDict(column=spec)
        spec.line, spec.key_lines = line, {}
    _require(isinstance(spec, LineDict), source, line, f"'{target}' must be a column name or a mapping of rule keys.")
    _check_keys(spec, RULE_KEYS, source, f"rule key for '{target}'")
    if ("column" in spec) == ("constant" in spec):
        raise MappingError(source, line, f"'{target}' needs exactly one of 'column' or 'constant'.")

    boolean = _parse_boolean(target, spec, vocabularies, source, line)
    return FieldRule(
        target=target,
        line=line,
        column=_optional_text(spec.get("column")),
        constant=_final_value(target, spec.get("constant"), source, line),
        default=_final_value(target, spec.get("default"), source, line),
        trim=_flag(spec.get("trim"), True, source, line),
        case=_parse_case(target, spec.get("case"), source, line),
        strip_prefix=_optional_text(spec.get("strip_prefix")),
        lookup=_parse_lookup(target, spec.get("lookup"), source, line),
        boolean=boolean,
        invert=_flag(spec.get("invert"), False, source, line),
        date_formats=_parse_date_formats(target, spec.get("date_formats"), source, line),
    )


def _parse_boolean(target, spec, vocabularies, source, line) -> BooleanVocabulary | None:
    name = spec.get("boolean")
    if not fields.is_boolean_path(target):
        if name is not None or "invert" in spec:
            raise MappingError(source, line, f"'{target}' is not a boolean field, so 'boolean' and 'invert' do not apply.")
        return None
    if name is None:
        return DEFAULT_VOCABULARY
    if isinstance(name, LineDict):
        return _parse_vocabulary(f"{target} vocabulary", name, source, line)
    if name not in vocabularies:
        hint = closest(str(name), list(vocabularies))
        raise MappingError(source, line, f"'{name}' is not a boolean vocabulary.{hint} Known: {', '.join(vocabularies)}.")
    return vocabularies[name]


def _parse_case(target, value, source, line) -> str | None:
    if value is None or value in CASES:
        return value
    raise MappingError(source, line, f"case of '{target}' must be 'lower' or 'upper', not '{value}'.")


def _parse_lookup(target, value, source, line) -> dict[str, str] | None:
    if value is None:
        return None
    _require(isinstance(value, LineDict), source, line, f"lookup of '{target}' must map source values to values to send.")
    return {str(key): _text(item, "") for key, item in value.items()}


def _parse_date_formats(target, value, source, line) -> tuple[str, ...]:
    if value is None:
        return ()
    if target not in fields.DATE_FIELDS:
        raise MappingError(source, line, f"'{target}' is not a date field ({', '.join(fields.DATE_FIELDS)}), so 'date_formats' does not apply.")
    formats = tuple(value) if isinstance(value, LineList) else (str(value),)
    for date_format in formats:
        _check_date_format(target, date_format, source, line)
    return formats


def _check_date_format(target, date_format, source, line) -> None:
    sample = dt.datetime(1999, 11, 28)
    try:
        round_trip = dt.datetime.strptime(sample.strftime(date_format), date_format)
    except ValueError:
        round_trip = None
    if round_trip is None or round_trip.date() != sample.date():
        raise MappingError(
            source, line,
            f"'{date_format}' in date_formats of '{target}' is not a full date format; "
            "use strftime codes with day, month and year, such as %Y-%m-%d or %d/%m/%Y.",
        )


def _final_value(target, value, source, line) -> str | bool | None:
    """Read a constant or default, given in Customer terms (true/false for booleans)."""
    if value is None:
        return None
    text = _text(value, "")
    if not fields.is_boolean_path(target):
        return text
    if text.lower() in TRUE_WORDS:
        return True
    if text.lower() in FALSE_WORDS:
        return False
    raise MappingError(source, line, f"'{target}' is a boolean, so its constant or default must be true or false, not '{text}'.")


def _flag(value, default: bool, source, line) -> bool:
    if value is None:
        return default
    if str(value).lower() in TRUE_WORDS:
        return True
    if str(value).lower() in FALSE_WORDS:
        return False
    raise MappingError(source, line, f"'{value}' is not true or false.")


def _check_keys(spec: LineDict, allowed: tuple[str, ...], source: str, what: str) -> None:
    for key in spec:
        if key not in allowed:
            hint = closest(key, list(allowed))
            raise MappingError(source, spec.key_lines.get(key), f"'{key}' is not a {what}.{hint}")


def _require(condition: bool, source: str, where: object, message: str) -> None:
    if not condition:
        line = where if isinstance(where, int) else getattr(where, "line", None)
        raise MappingError(source, line, message)


def _text(value: object, default: str) -> str:
    return default if value is None else str(value)


def _optional_text(value: object) -> str | None:
    return None if value is None else str(value)
