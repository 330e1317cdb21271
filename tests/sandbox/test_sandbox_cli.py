"""The sandbox command: option errors, stdout lines, signals, the demo tenant and --db."""

from __future__ import annotations

import queue
import signal
import socket
import subprocess
import sys
import threading

import httpx
import pytest
from click.testing import CliRunner
from sandbox_helpers import stored_customers
from sandbox_process import API_PATH, DEMO_HEADERS, running_sandbox

from importer.sandbox.cli import sandbox_command
from importer.sandbox.server import base_url, bind_socket

SANDBOX = [sys.executable, "-m", "importer.sandbox"]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--tenant", "no-colon-secret"],
         "Error: Invalid value for '--tenant': expected KEY:TOKEN, a tenant key and its access token"
         " joined by a colon."),
        (["--tenant", "acme:"],
         "Error: Invalid value for '--tenant': expected KEY:TOKEN, a tenant key and its access token"
         " joined by a colon."),
        (["--tenant", "acme:one", "--tenant", "acme:two"],
         "Error: Invalid value for '--tenant': tenant 'acme' is given twice."),
        (["--tenant", "acme:same-secret", "--tenant", "shop:same-secret"],
         "Error: Invalid value for '--tenant': tenant 'shop' has the same access token as another"
         " tenant; give each its own."),
        (["--fail-rate", "1.5"], "Error: Invalid value for '--fail-rate': 1.5 is not in the range 0.0<=x<=1.0."),
        (["--drop-after-store-rate", "-0.1"],
         "Error: Invalid value for '--drop-after-store-rate': -0.1 is not in the range 0.0<=x<=1.0."),
        (["--rate-limit", "0"], "Error: Invalid value for '--rate-limit': 0.0 is not in the range x>0.0."),
        (["--latency-ms", "-1"], "Error: Invalid value for '--latency-ms': -1 is not in the range x>=0."),
        (["--max-batch", "0"], "Error: Invalid value for '--max-batch': 0 is not in the range x>=1."),
        (["--port", "65536"], "Error: Invalid value for '--port': 65536 is not in the range 0<=x<=65535."),
        (["--seed", "abc"], "Error: Invalid value for '--seed': 'abc' is not a valid integer."),
    ],
)
def test_bad_option_value(arguments, message):
    result = CliRunner().invoke(sandbox_command, arguments)

    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == message
    assert "secret" not in result.output


def test_unusable_database(tmp_path):
    database = tmp_path / "not-a-database.db"
    database.write_text("plain text\n")

    result = subprocess.run([*SANDBOX, "--port", "0", "--db", str(database)],
                            capture_output=True, text=True, timeout=60)

    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1] == (
        f"Error: Invalid value for '--db': cannot use '{database}' as the sandbox database:"
        " file is not a database."
    )


def test_port_in_use():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        result = subprocess.run([*SANDBOX, "--port", str(port)], capture_output=True, text=True, timeout=60)

    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1] == (
        f"Error: Invalid value for '--host' / '--port': cannot listen on 127.0.0.1:{port}:"
        " Address already in use."
    )


def test_help_lists_every_option():
    result = CliRunner().invoke(sandbox_command, ["--help"])

    assert result.exit_code == 0
    for option in ("--host", "--port", "--db", "--tenant", "--seed", "--rate-limit", "--fail-rate",
                   "--latency-ms", "--max-batch", "--drop-after-store-rate", "--access-log",
                   "--log-level"):
        assert option in result.output
    assert "'demo-token'" in result.output


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_stdout_lines_and_clean_stop(stop_signal):
    process = subprocess.Popen([*SANDBOX, "--port", "0"], stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True)
    lines: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True)
    reader.start()
    try:
        listening = lines.get(timeout=30)
        ready = lines.get(timeout=30)
        health = httpx.get(f"{listening.removeprefix('Sandbox listening on ').strip()}/_sandbox/health")
    finally:
        process.send_signal(stop_signal)
        exit_code = process.wait(timeout=30)
        reader.join(timeout=30)
        process.stdout.close()

    assert listening.startswith("Sandbox listening on http://127.0.0.1:")
    assert listening.removeprefix("Sandbox listening on http://127.0.0.1:").strip().isdigit()
    assert ready == "Sandbox ready\n"
    assert health.status_code == 200
    assert exit_code == 0
    assert lines.empty()


def test_demo_tenant_without_tenant_option():
    with running_sandbox() as base_url:
        demo = httpx.get(f"{base_url}{API_PATH}/customers/search", params={"firstName": "Ann"},
                         headers=DEMO_HEADERS)
        other = httpx.get(f"{base_url}{API_PATH}/customers/search", params={"firstName": "Ann"},
                          headers={"X-TWC-Tenant": "acme", "Authorization": "demo-token"})

    assert demo.status_code == 200
    assert demo.json() == []
    assert other.status_code == 401
    assert other.json() == {"message": "Unknown tenant 'acme'; check the X-TWC-Tenant header."}


def test_db_keeps_customers_between_runs(tmp_path):
    database = str(tmp_path / "sandbox.db")

    with running_sandbox("--db", database) as base_url:
        created = httpx.post(f"{base_url}{API_PATH}/customers", json={"email": "ann@example.com"},
                             headers=DEMO_HEADERS).json()
    with running_sandbox("--db", database) as base_url:
        stored = stored_customers(base_url)
        duplicate = httpx.post(f"{base_url}{API_PATH}/customers", json={"email": "ann@example.com"},
                               headers=DEMO_HEADERS)

    assert stored == [{**created, "deleted": False}]
    assert duplicate.status_code == 400


def test_bound_socket_is_explicitly_tcp():
    # asyncio sets TCP_NODELAY on accepted connections only for IPPROTO_TCP
    # sockets; without it every response waits about 40 ms for a delayed ACK.
    with bind_socket("127.0.0.1", 0) as sock:
        assert sock.proto == socket.IPPROTO_TCP
        assert base_url(sock) == f"http://127.0.0.1:{sock.getsockname()[1]}"
