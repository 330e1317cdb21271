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

    The steps run in this order: take the column (or the constant), trim,
    strip the prefix, change case, look the value up, then convert it to a
    boolean or a date. ``default`` fills a cell that is still empty.
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
    boolean: BooleanVocabulary | None = None
    invert: bool = False
    date_formats: tuple[str, ...] = ()


@dataclass(frozen=True)
class Mapping:
    """A whole mapping file: the field rules and the run-wide settings."""

    source: str
    description: str
    duplicates: str
    rules: tuple[FieldRule, ...]
    group_descriptions: dict[str, str] = field(default_factory=dict)

    @property
    def columns(self) -> list[tuple[str, int]]:
        """List each source column the mapping reads, with the line that names it."""
        return [(rule.column, rule.line) for rule in self.rules if rule.column is not None]
