"""The parsed form of a mapping file."""

from __future__ import annotations

from dataclasses import dataclass, field

DUPLICATE_POLICIES = ("reject", "keep-first", "keep-last")


@dataclass(frozen=True)
class BooleanVocabulary:
    """Words read as true or false, compared without regard to case or surrounding spaces."""

    name: str
    true_words: tuple[str, ...]
    false_words: tuple[str, ...]

    def lookup_table(self, invert: bool = False) -> dict[str, bool]:
        table = {word.strip().lower(): True for word in self.true_words}
        table.update({word.strip().lower(): False for word in self.false_words})
        if invert:
            table = {word: not value for word, value in table.items()}
        return table

    def describe(self) -> str:
        return f"{self.name} ({', '.join(self.true_words)} / {', '.join(self.false_words)})"


BUILTIN_VOCABULARIES = {
    vocabulary.name: vocabulary
    for vocabulary in (
        BooleanVocabulary("yes_no", ("yes", "y"), ("no", "n")),
        BooleanVocabulary("true_false", ("true", "t"), ("false", "f")),
        BooleanVocabulary("one_zero", ("1",), ("0",)),
        BooleanVocabulary("subscribed", ("subscribed",), ("unsubscribed",)),
        BooleanVocabulary(
            "any", ("true", "yes", "y", "1", "t"), ("false", "no", "n", "0", "f")
        ),
    )
}
DEFAULT_VOCABULARY = BUILTIN_VOCABULARIES["any"]


@dataclass(frozen=True)
class FieldRule:
    """How one Customer field path gets its value.

    The value comes from one source: a column (the first of ``column`` and
    ``fallback_columns`` that the header has), a ``template`` over several
    columns, one part of a full-name column (``name_part``), a ``constant``,
    or ``when_file`` (a value chosen by the input's file name). Then these
    steps run in order: trim, strip the prefix, change case, look the value
    up, empty it when it fully matches ``blank_if``, then convert it (boolean, date, timestamp, phone number or country).
    ``default`` fills a cell that is still empty.
    """

    target: str
    line: int
    column: str | None = None
    constant: str | bool | None = None
    default: str | bool | None = None
    trim: bool = True
    case: str | None = None
    strip_prefix: str | None = None
    lookup: dict[str, str] | None = None
    blank_if: str | None = None
    boolean: BooleanVocabulary | None = None
    invert: bool = False
    date_formats: tuple[str, ...] = ()
    fallback_columns: tuple[str, ...] = ()
    template: str | None = None
    template_columns: tuple[str, ...] = ()
    name_part: str | None = None
    when_file: tuple[tuple[str, str | bool], ...] = ()
    phone_region: str | None = None
    country: str | None = None
    excel_serial: bool = False
    timezone: str | None = None

    @property
    def source_label(self) -> str:
        """Name the rule's source in a message: ``column 'X'`` or ``template '...'``."""
        if self.template is not None:
            return f"template '{self.template}'"
        return f"column '{self.column}'"


@dataclass(frozen=True)
class RestGroup:
    """An attribute group that takes every column no other rule reads."""

    group: str
    line: int
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class Mapping:
    """A whole mapping file: the field rules and the run-wide settings."""

    source: str
    description: str
    duplicates: str
    rules: tuple[FieldRule, ...]
    group_descriptions: dict[str, str] = field(default_factory=dict)
    rest_groups: tuple[RestGroup, ...] = ()

    @property
    def columns(self) -> list[tuple[str, int]]:
        """List each source column the mapping reads, with the line that names it.

        A rule with fallback columns is listed once, under its first column.
        """
        found = []
        for rule in self.rules:
            if rule.column is not None:
                found.append((rule.column, rule.line))
            found.extend((column, rule.line) for column in rule.template_columns)
        return found
