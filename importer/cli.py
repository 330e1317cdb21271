"""The twc-import command line: parse options, call the pipeline, turn errors into messages."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import click

from importer.cli_reading import close_progress, make_progress, read_options
from importer.errors import EXIT_ABORTED, EXIT_CONFIGURATION, ConfigurationError, TwcImportError
from importer.import_run import run_import
from importer.mapping.cli import mapping_group
from importer.pipeline import RunOptions, run_validate
from importer.reports.summary import RunSummary
from importer.reports.terminal import print_summary
from importer.sandbox.cli import sandbox_command
from importer.upload.settings import ConnectionSettings, SendSettings

logger = logging.getLogger("importer")

TOKEN_VARIABLE = "TWC_TOKEN"


def _configure_logging(quiet: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING if quiet else logging.INFO)
    # httpx logs every request at INFO; a run of a million rows does not need that.
    logging.getLogger("httpx").setLevel(logging.WARNING)


QUIET_HELP = "Log warnings and errors only, and show no progress."


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-q", "--quiet", is_flag=True, help=QUIET_HELP)
@click.version_option(package_name="twc-import", prog_name="twc-import", message="%(prog)s %(version)s")
@click.pass_context
def main(context: click.Context, quiet: bool) -> None:
    """Import a retailer's customer exports into The Wishlist Company Customer API.

    Exit status: 0 every row valid or accepted; 1 some rows rejected or
    failed; 2 usage or configuration error, nothing processed; 3 the run was
    aborted (continue an import with --resume).
    """
    _configure_logging(quiet)
    context.obj = {"quiet": quiet}


def _quiet_after_command(context: click.Context, parameter: click.Parameter, quiet: bool) -> None:
    """Accept -q after the command name too, as in ``twc-import validate -q``."""
    if quiet:
        context.find_root().obj = {**(context.find_root().obj or {}), "quiet": True}
        _configure_logging(True)


quiet_option = click.option(
    "-q", "--quiet", is_flag=True, expose_value=False, is_eager=True, callback=_quiet_after_command, help=QUIET_HELP
)


def _run_options(command: str, inputs, mapping, out_dir, payloads=None, **options) -> RunOptions:
    return RunOptions(command=command, inputs=tuple(inputs), mapping=mapping, out_dir=out_dir, payloads=payloads, **options)


input_argument = click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
mapping_option = click.option(
    "-m", "--mapping", required=True, help="Mapping file path, or a preset name such as shopify."
)
out_dir_option = click.option(
    "-o",
    "--out-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the reports. Default: ./twc-import-runs/<UTC timestamp>/.",
)
redact_option = click.option(
    "--redact",
    is_flag=True,
    help="Mask email addresses and phone numbers in errors.csv and report.html, for sharing; rejects.csv stays whole.",
)


@main.command()
@input_argument
@quiet_option
@mapping_option
@out_dir_option
@click.option(
    "--payloads",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write every customer that would be sent to this file, one JSON object per line.",
)
@redact_option
@read_options
def validate(inputs, mapping, out_dir, payloads, redact, read) -> None:
    """Check exports against the mapping and the rules; send nothing.

    INPUT is a file path, a glob, or - for standard input: CSV, TSV, JSON,
    NDJSON or XLSX, each also gzipped (.gz), or a .zip of such files.
    """
    options = _run_options("validate", inputs, mapping, out_dir, payloads, redact=redact, read=read)
    progress = make_progress(_quiet())
    try:
        summary = _guarded(run_validate, options, progress)
    finally:
        close_progress(progress)
    _print_summary(summary)
    sys.exit(summary.exit_code)


@main.command(name="import")
@input_argument
@quiet_option
@mapping_option
@out_dir_option
@click.option("--base-url", envvar="TWC_BASE_URL", help="Customer API base URL, such as https://api.example.com. Env: TWC_BASE_URL.")
@click.option("--tenant", envvar="TWC_TENANT", help="Tenant key sent as X-TWC-Tenant. Env: TWC_TENANT.")
@click.option(
    "--token-file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help=f"File holding the tenant access token. Default: the {TOKEN_VARIABLE} environment variable.",
)
@click.option("--batch-size", type=click.IntRange(1, 10_000), default=500, show_default=True, help="Customers per request.")
@click.option("--concurrency", type=click.IntRange(1, 64), default=4, show_default=True, help="Requests in flight at once.")
@click.option("--timeout", type=click.FloatRange(0.1), default=30.0, show_default=True, help="Seconds to wait for each request.")
@click.option("--ca-bundle", type=click.Path(dir_okay=False, exists=True), help="PEM file of extra certificate authorities to trust.")
@click.option("--max-batch-bytes", type=click.IntRange(4), default=5_000_000, show_default=True,
              help="Maximum size of one request body, in bytes.")
@click.option("--rate-limit", type=click.FloatRange(0, min_open=True), metavar="N",
              help="Maximum requests per second over all batches, for tenants with a quota. Default: no limit.")
@click.option("--max-attempts", type=click.IntRange(1, 100), default=8, show_default=True,
              help="Maximum requests for one batch when the API responds with 429, 502, 503 or 504, or sends no response.")
@click.option("--max-retry-wait", type=click.FloatRange(0), default=60.0, show_default=True,
              help="Maximum wait before one retry, in seconds; a longer Retry-After is cut to it.")
@click.option("--max-total-wait", type=click.FloatRange(0), default=600.0, show_default=True,
              help="Maximum seconds spent retrying one batch before giving up on it.")
@click.option("--resume", "resume_dir", type=click.Path(file_okay=False, exists=True, path_type=Path), metavar="OUT_DIR",
              help="Continue the import whose output folder is OUT_DIR, sending only what it did not get accepted. "
                   "Give the same INPUT and -m as that import.")
@click.option("--max-reject-rate", type=click.FloatRange(0, 1), metavar="FRACTION",
              help="Validate every row first, and send nothing (exit 3) when more than this share of rows is "
                   "rejected, such as 0.05 for 5%. Default: no limit.")
@redact_option
@read_options
def import_(inputs, mapping, out_dir, base_url, tenant, token_file, timeout, ca_bundle, resume_dir, max_reject_rate, redact,
            read, **send_options) -> None:
    """Validate exports and send the valid customers to the Customer API.

    INPUT is a file path, a glob, or - for standard input, in any format
    that validate reads. The token comes
    from --token-file or the TWC_TOKEN environment variable, never from an
    option value. An import keeps a journal in its output folder; after a
    crash or an abort, run the same command with --resume OUT_DIR.
    """
    base_url = _require(base_url, "--base-url or TWC_BASE_URL")
    tenant = _require(tenant, "--tenant or TWC_TENANT")
    token = _read_token(token_file)
    if resume_dir is not None and out_dir is not None and Path(out_dir).resolve() != resume_dir.resolve():
        raise click.UsageError(f"--resume {resume_dir} writes its reports there; leave out --out-dir {out_dir}.")

    def start_import() -> RunSummary:
        connection = ConnectionSettings(base_url, tenant, token, timeout=timeout, ca_bundle=ca_bundle)
        settings = SendSettings(
            batch_size=send_options["batch_size"],
            concurrency=send_options["concurrency"],
            max_batch_bytes=send_options["max_batch_bytes"],
            max_attempts=send_options["max_attempts"],
            max_retry_wait=send_options["max_retry_wait"],
            max_total_wait=send_options["max_total_wait"],
            requests_per_second=send_options["rate_limit"],
        )
        options = _run_options(
            "import", inputs, mapping, resume_dir or out_dir, redact=redact, max_reject_rate=max_reject_rate, read=read
        )
        return run_import(options, connection, settings, resume=resume_dir is not None, progress=progress)

    progress = make_progress(_quiet())
    try:
        summary = _guarded(start_import)
    finally:
        close_progress(progress)
    _print_summary(summary)
    sys.exit(summary.exit_code)


main.add_command(sandbox_command, name="sandbox")
main.add_command(mapping_group, name="mapping")


def _quiet() -> bool:
    return bool((click.get_current_context().find_root().obj or {}).get("quiet"))


def _require(value: str | None, where: str) -> str:
    if not value:
        raise click.UsageError(f"Missing the connection setting {where}.")
    return value


def _read_token(token_file: Path | None) -> str:
    if token_file is not None:
        token = token_file.read_text(encoding="utf-8").strip()
        if not token:
            raise click.UsageError(f"The token file {token_file} is empty.")
        return token
    token = os.environ.get(TOKEN_VARIABLE, "").strip()
    if not token:
        raise click.UsageError(f"No access token: set {TOKEN_VARIABLE} or give --token-file PATH.")
    return token


def _guarded(function, *args) -> RunSummary:
    """Call a run, turning the importer's own errors into a message and an exit status."""
    try:
        return function(*args)
    except ConfigurationError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(EXIT_CONFIGURATION)
    except TwcImportError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(exc.exit_code or EXIT_ABORTED)


def _print_summary(summary: RunSummary) -> None:
    print_summary(summary)
    if summary.reject_rate_exceeded:
        click.echo(f"Aborted: {summary.aborted_reason}.", err=True)
    elif summary.aborted_reason:
        click.echo(
            f"Aborted: {summary.aborted_reason.rstrip('.')}. Rows not sent are in rejects.csv. "
            f"To send them, run the same command again with --resume {summary.out_dir}.",
            err=True,
        )
