"""The ``twc-import mapping`` commands: draft a mapping, check one, list the presets."""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from importer.errors import EXIT_CONFIGURATION, ConfigurationError
from importer.mapping.apply import apply_mapping, bind_mapping
from importer.mapping.draft import draft_mapping
from importer.mapping.loader import load_mapping, preset_names
from importer.mapping.model import Mapping
from importer.sources.inputs import Input, resolve_inputs

SAMPLE_ROWS = 200
CHECK_ROWS = 3


@click.group(name="mapping")
def mapping_group() -> None:
    """Draft, check and list mappings."""


@mapping_group.command()
@click.argument("input_path", metavar="INPUT")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the draft to this file. Default: standard output.")
def init(input_path: str, output: Path | None) -> None:
    """Draft a mapping from INPUT's header and its first rows.

    A header that fits a preset gets that preset. Otherwise columns are
    matched to Customer fields by known names and similarity, date formats
    are proposed from the values, and what could not be settled is marked
    CHECK in the draft.
    """
    with _guarded(), _opened_inputs([input_path]) as inputs:
        item = inputs[0]
        draft = draft_mapping(item.header, _sample_values(item), item.name)

    if output is None:
        click.echo(draft.text, nl=False)
    else:
        output.write_text(draft.text, encoding="utf-8")
    if draft.preset:
        click.echo(f"The header fits the preset '{draft.preset}': use -m {draft.preset}.", err=True)
    for reason in draft.flagged:
        click.echo(f"Check: {reason}.", err=True)
    if draft.unmapped:
        click.echo(f"Columns left unmapped: {', '.join(draft.unmapped)}.", err=True)


@mapping_group.command()
@click.argument("mapping")
@click.argument("inputs", nargs=-1, metavar="[INPUT]...")
@click.option("--rows", type=click.IntRange(1, 100), default=CHECK_ROWS, show_default=True, help="Rows of each input to show.")
def check(mapping: str, inputs: tuple[str, ...], rows: int) -> None:
    """Check MAPPING (a file or a preset name) and show what each field receives from the first rows of each INPUT."""
    with _guarded():
        loaded = load_mapping(mapping)
        click.echo(f"{loaded.source}: valid, {len(loaded.rules)} field rules.")
        if inputs:
            with _opened_inputs(list(inputs)) as opened:
                for item in opened:
                    _show_input(loaded, item, rows)


@mapping_group.command()
def presets() -> None:
    """List the shipped presets, one line each."""
    names = preset_names()
    width = max(len(name) for name in names)
    for name in names:
        click.echo(f"{name:<{width}}  {load_mapping(name).description}")


@contextmanager
def _guarded() -> Iterator[None]:
    """Turn a configuration error (a bad mapping or input) into its message and exit status 2."""
    try:
        yield
    except ConfigurationError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(EXIT_CONFIGURATION)


@contextmanager
def _opened_inputs(arguments: list[str]) -> Iterator[list[Input]]:
    with tempfile.TemporaryDirectory(prefix="twc-import-mapping-") as spool:
        yield resolve_inputs(arguments, Path(spool))


def _sample_values(item: Input) -> dict[str, list[str]]:
    """Return each column's non-empty values among the first rows."""
    chunk = next(iter(item.chunks(SAMPLE_ROWS)), None)
    if chunk is None:
        return {}
    frame = chunk.frame.head(SAMPLE_ROWS)
    return {column: [value for value in frame[column].tolist() if value.strip()] for column in frame.columns}


def _show_input(mapping: Mapping, item: Input, rows: int) -> None:
    bound = bind_mapping(mapping, item.header, item.name)
    read = set(bound.columns.values()) | {rule.column for rule in bound.rules if rule.column}
    unread = [column for column in item.header if column not in read]
    click.echo(f"\n{item.name}: the mapping fits its header ({len(item.header)} columns, {len(item.header) - len(unread)} read).")
    if unread:
        click.echo(f"  Columns not read: {', '.join(unread)}.")

    chunk = next(iter(item.chunks(rows)), None)
    if chunk is None:
        click.echo("  The input has no rows.")
        return
    mapped = apply_mapping(bound, chunk.frame.head(rows))
    for position in range(len(mapped.frame)):
        click.echo(f"  line {chunk.lines[position]}:")
        for target, value in mapped.frame.iloc[position].items():
            if value is not None:
                click.echo(f"    {target} = {value!r}")
        for problem in mapped.problems.get(position, []):
            click.echo(f"    {problem.code}: {problem.message}")
