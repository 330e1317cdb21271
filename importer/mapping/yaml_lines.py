"""Load YAML keeping every scalar as text and remembering line numbers.

Mapping files are written by hand, so error messages must point at a line.
Scalars stay strings (``yes``, ``0800`` and ``true`` are not converted), which
also spares mapping authors YAML's implicit typing.
"""

from __future__ import annotations

import yaml


class LineDict(dict):
    """A YAML mapping; ``line`` is its own line, ``key_lines`` each key's line."""

    line: int = 0
    key_lines: dict[str, int]


class LineList(list):
    """A YAML sequence with the line it starts on."""

    line: int = 0


def load_yaml(text: str) -> object:
    """Parse one YAML document into LineDict, LineList and str values."""
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    if node is None:
        return None
    return _convert(node)


def _convert(node: yaml.Node) -> object:
    line = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result = LineDict()
        result.line = line
        result.key_lines = {}
        for key_node, value_node in node.value:
            key = str(_convert(key_node))
            result[key] = _convert(value_node)
            result.key_lines[key] = key_node.start_mark.line + 1
        return result
    if isinstance(node, yaml.SequenceNode):
        result = LineList(_convert(item) for item in node.value)
        result.line = line
        return result
    if node.tag == "tag:yaml.org,2002:null" and node.value in ("", "~", "null", "Null", "NULL"):
        return None
    return node.value
