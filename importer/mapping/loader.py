"""Load a mapping file or preset and check it before any row is read."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import yaml

from importer import customer as fields
from importer.mapping.errors import MappingError, closest
from importer.mapping.model import BUILTIN_VOCABULARIES, DUPLICATE_POLICIES, BooleanVocabulary, FieldRule, Mapping, RestGroup
from importer.mapping.rule_keys import check_keys, parse_rule, parse_vocabulary
from importer.mapping.yaml_lines import LineDict, LineList, load_yaml

TOP_LEVEL_KEYS = ("name", "description", "duplicates", "booleans", "fields", "attribute_groups")
GROUP_KEYS = ("description", "attributes", "rest", "exclude")
REST_WORD = "rest"
REST_KEY = "*"


def preset_names() -> list[str]:
    presets = resources.files("importer.presets")
    return sorted(item.name[:-5] for item in presets.iterdir() if item.name.endswith(".yaml"))


def preset_text(name: str) -> str:
    return (resources.files("importer.presets") / f"{name}.yaml").read_text(encoding="utf-8")


def load_mapping(name_or_path: str) -> Mapping:
    """Load a mapping from a file path or, failing that, a preset name."""
    path = Path(name_or_path)
    if path.is_file():
        return parse_mapping(path.read_text(encoding="utf-8"), str(path))

    if name_or_path in preset_names():
        return parse_mapping(preset_text(name_or_path), f"preset {name_or_path}")

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

    check_keys(document, TOP_LEVEL_KEYS, source, "top-level key")
    vocabularies = _parse_vocabularies(document.get("booleans"), source)
    rules = _parse_fields(document, vocabularies, source)
    groups = _parse_groups(document.get("attribute_groups"), vocabularies, source)
    rules += groups.rules
    if not any(rule.target == "email" for rule in rules):
        raise MappingError(source, document.line, "the mapping has no rule for 'email', which every customer needs.")

    return Mapping(
        source=source,
        description=_text(document.get("description"), ""),
        duplicates=_parse_duplicates(document, source),
        rules=tuple(rules),
        group_descriptions=groups.descriptions,
        rest_groups=groups.rest_groups,
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
        vocabularies[name] = parse_vocabulary(name, spec, source, section.key_lines[name])
    return vocabularies


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
        rules.append(parse_rule(target, spec, line, vocabularies, source))
    return rules


class _Groups:
    """The rules, descriptions and rest group read from the attribute_groups section."""

    def __init__(self) -> None:
        self.rules: list[FieldRule] = []
        self.descriptions: dict[str, str] = {}
        self.rest_groups: tuple[RestGroup, ...] = ()


def _parse_groups(section: object, vocabularies, source: str) -> _Groups:
    groups = _Groups()
    if section is None:
        return groups
    _require(isinstance(section, LineDict), source, section, "attribute_groups must map group names to groups.")
    for group, spec in section.items():
        line = section.key_lines[group]
        _require(isinstance(spec, LineDict), source, line, f"attribute group '{group}' needs an 'attributes' mapping of names to columns, or 'rest: true'.")
        check_keys(spec, GROUP_KEYS, source, f"key of attribute group '{group}'")
        if spec.get("description"):
            groups.descriptions[group] = _text(spec["description"], "")

        attributes = spec.get("attributes", LineDict())
        _require(isinstance(attributes, LineDict), source, line, f"attributes of group '{group}' must map attribute names to columns.")
        takes_rest = _takes_rest(spec, attributes, source, line)
        _require(takes_rest or bool(attributes), source, line, f"attribute group '{group}' needs an 'attributes' mapping of names to columns, or 'rest: true'.")
        for name, attribute in attributes.items():
            if name == REST_KEY:
                continue
            target = fields.attribute_path(group, name)
            groups.rules.append(parse_rule(target, attribute, attributes.key_lines[name], vocabularies, source))
        if takes_rest:
            groups.rest_groups = _add_rest_group(groups.rest_groups, group, line, spec, source)
        elif "exclude" in spec:
            raise MappingError(source, spec.key_lines["exclude"], f"'exclude' of attribute group '{group}' applies only with 'rest: true'.")
    return groups


def _takes_rest(spec: LineDict, attributes: LineDict, source: str, line: int) -> bool:
    """Tell whether a group asks for every column not mapped elsewhere (``rest: true`` or ``"*": rest``)."""
    if REST_KEY in attributes and attributes[REST_KEY] != REST_WORD:
        raise MappingError(source, attributes.key_lines[REST_KEY], f"'*' in attributes can only be '{REST_WORD}', meaning every column not mapped elsewhere.")
    rest = str(spec.get("rest", "false")).lower()
    if rest not in ("true", "false"):
        raise MappingError(source, spec.key_lines["rest"], f"rest must be true or false, not '{spec['rest']}'.")
    return rest == "true" or REST_KEY in attributes


def _add_rest_group(existing: tuple[RestGroup, ...], group: str, line: int, spec: LineDict, source: str) -> tuple[RestGroup, ...]:
    if existing:
        raise MappingError(source, line, f"attribute group '{group}' takes the rest of the columns, but group '{existing[0].group}' already does; keep one.")
    exclude = spec.get("exclude", LineList())
    patterns = tuple(str(item) for item in exclude) if isinstance(exclude, LineList) else (str(exclude),)
    return (RestGroup(group, line, patterns),)


def _require(condition: bool, source: str, where: object, message: str) -> None:
    if not condition:
        line = where if isinstance(where, int) else getattr(where, "line", None)
        raise MappingError(source, line, message)


def _text(value: object, default: str) -> str:
    return default if value is None else str(value)
