"""Command-line options and progress display of the reading stage, for cli.py."""

from __future__ import annotations

import functools
import logging
import sys

import click

from importer.sources.options import ReadOptions, parse_delimiter, parse_encoding
from importer.sources.progress import BarProgress, LogProgress, NullProgress, ReadProgress


def _checked(parse):
    def callback(context, parameter, value):
        try:
            return parse(value) if value else None
        except ValueError as exc:
            raise click.BadParameter(str(exc)) from None

    return callback


def read_options(command):
    """Add --encoding, --delimiter and --sheet to a command, passed on as one ``read`` argument."""

    @click.option(
        "--encoding",
        callback=_checked(parse_encoding),
        help="Text encoding of the inputs, such as utf-8, cp1252, latin-1 or utf-16. Default: detected.",
    )
    @click.option(
        "--delimiter",
        callback=_checked(parse_delimiter),
        help="Field delimiter of text inputs: one character, or the word tab. Default: detected among , ; tab |.",
    )
    @click.option("--sheet", help="Sheet of a workbook input to read. Default: the first visible sheet.")
    @functools.wraps(command)
    def with_read_options(*args, encoding, delimiter, sheet, **kwargs):
        return command(*args, read=ReadOptions(encoding=encoding, delimiter=delimiter, sheet=sheet), **kwargs)

    return with_read_options


def make_progress(quiet: bool) -> ReadProgress:
    """Return the progress display: none when quiet, a bar on a terminal, else a log line every 10 seconds."""
    if quiet:
        return NullProgress()
    if sys.stderr.isatty():
        from rich.logging import RichHandler

        bar = BarProgress()
        # Log lines go through the bar's console, so they print above the bar instead of through it.
        logging.getLogger().handlers[:] = [RichHandler(console=bar.console, show_path=False)]
        return bar
    return LogProgress()


def close_progress(progress: ReadProgress) -> None:
    if isinstance(progress, BarProgress):
        progress.close()
