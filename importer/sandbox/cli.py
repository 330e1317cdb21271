"""The ``twc-import sandbox`` command."""

from __future__ import annotations

import logging
import sqlite3
import ssl
import sys

import click

from importer.sandbox.server import DEFAULT_HOST, run_sandbox
from importer.sandbox.settings import DEMO_TENANT, DEMO_TOKEN, FaultSettings, SandboxSettings

DEFAULT_PORT = 8080
LOG_LEVELS = ("debug", "info", "warning", "error")
PROBABILITY = click.FloatRange(0.0, 1.0)


class TenantCredentials(click.ParamType):
    """A ``KEY:TOKEN`` option value, converted to a (key, token) pair.

    Error messages never repeat the value, because it contains a token.
    """

    name = "KEY:TOKEN"

    def convert(self, value, param, ctx) -> tuple[str, str]:
        if isinstance(value, tuple):
            return value
        key, separator, token = value.partition(":")
        if not separator or not key or not token:
            self.fail("expected KEY:TOKEN, a tenant key and its access token joined by a colon.", param, ctx)
        return key, token


def parse_tenants(pairs: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """Turn the ``--tenant`` values into a tenant map; none gives the demo tenant."""
    if not pairs:
        return {DEMO_TENANT: DEMO_TOKEN}
    tenants: dict[str, str] = {}
    for key, token in pairs:
        if key in tenants:
            raise click.BadParameter(f"tenant '{key}' is given twice.", param_hint="'--tenant'")
        if token in tenants.values():
            raise click.BadParameter(
                f"tenant '{key}' has the same access token as another tenant; give each its own.",
                param_hint="'--tenant'",
            )
        tenants[key] = token
    return tenants


@click.command(
    "sandbox",
    epilog=(
        "Without --tenant the sandbox serves the demo tenant 'demo' with the access token"
        " 'demo-token'. The routes and an example session are described in docs/sandbox.md."
    ),
)
@click.option("--host", default=DEFAULT_HOST, show_default=True,
              help="Address to listen on. Keep the loopback default: the sandbox-only routes need no token.")
@click.option("--port", type=click.IntRange(0, 65535), default=DEFAULT_PORT, show_default=True,
              help="TCP port to listen on; 0 picks a free port, printed on the ready line.")
@click.option("--db", "db_path", type=click.Path(dir_okay=False, writable=True),
              help="SQLite file that keeps the customers between runs. Default: in memory, lost on exit.")
@click.option("--tenant", "tenants", type=TenantCredentials(), multiple=True,
              help="A tenant key and its access token, as KEY:TOKEN. Repeat for several tenants.")
@click.option("--seed", type=int,
              help="Seed of the random draws of --fail-rate and --drop-after-store-rate, for repeatable runs.")
@click.option("--rate-limit", type=click.FloatRange(min=0.0, min_open=True), metavar="N",
              help="Maximum requests per second per tenant; more get 429 with a Retry-After header in seconds.")
@click.option("--fail-rate", type=PROBABILITY, default=0.0, show_default=True, metavar="P",
              help="Probability (0 to 1) that a Customer API request gets 503.")
@click.option("--latency-ms", type=click.IntRange(min=0), default=0, show_default=True, metavar="N",
              help="Delay in milliseconds added before each Customer API request is handled.")
@click.option("--max-batch", type=click.IntRange(min=1), metavar="N",
              help="Maximum number of customers in one upload-customers batch; a larger batch gets 413.")
@click.option("--drop-after-store-rate", type=PROBABILITY, default=0.0, show_default=True, metavar="P",
              help="Probability (0 to 1) that the connection is closed without a response after a"
                   " batch is stored.")
@click.option("--access-log/--no-access-log", default=False, show_default=True,
              help="Log one line per request to stderr.")
@click.option("--log-level", type=click.Choice(LOG_LEVELS), default="info", show_default=True,
              help="Level of the log lines written to stderr.")
@click.option("--tls-cert", type=click.Path(dir_okay=False, exists=True),
              help="PEM certificate (chain) to serve HTTPS with; needs --tls-key.")
@click.option("--tls-key", type=click.Path(dir_okay=False, exists=True),
              help="PEM private key of --tls-cert.")
def sandbox_command(host, port, db_path, tenants, seed, rate_limit, fail_rate, latency_ms,
                    max_batch, drop_after_store_rate, access_log, log_level, tls_cert, tls_key) -> None:
    """Serve a local sandbox of the TWC Customer API for tests and demos.

    It serves every Customer API route under /services/customerservice, with
    the importer's validation rules, tenant and token checks, and unique email,
    customerRef and alternateCustomerRef within each tenant. The fault options
    make it rate-limit, fail, slow down, reject large batches or drop
    connections, to exercise the importer's retries.

    Once it accepts connections it prints "Sandbox listening on http://HOST:PORT"
    and then "Sandbox ready" on stdout. It stops on SIGTERM or Ctrl-C.
    """
    logging.basicConfig(
        level=log_level.upper(),
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    faults = FaultSettings(
        seed=seed,
        rate_limit=rate_limit,
        fail_rate=fail_rate,
        latency_ms=latency_ms,
        max_batch=max_batch,
        drop_after_store_rate=drop_after_store_rate,
    )
    settings = SandboxSettings(tenants=parse_tenants(tenants), db_path=db_path, faults=faults)
    if (tls_cert is None) != (tls_key is None):
        raise click.UsageError("--tls-cert and --tls-key must be given together.")
    try:
        run_sandbox(settings, host=host, port=port, access_log=access_log, tls_cert=tls_cert, tls_key=tls_key)
    except sqlite3.Error as exc:
        message = f"cannot use '{db_path}' as the sandbox database: {exc}."
        raise click.BadParameter(message, param_hint="'--db'") from exc
    except ssl.SSLError as exc:
        message = f"cannot serve HTTPS with '{tls_cert}' and '{tls_key}': {exc}."
        raise click.BadParameter(message, param_hint="'--tls-cert' / '--tls-key'") from exc
    except OSError as exc:
        message = f"cannot listen on {host}:{port}: {exc.strerror or exc}."
        raise click.BadParameter(message, param_hint="'--host' / '--port'") from exc
