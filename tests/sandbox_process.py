"""Run the real sandbox as a subprocess on 127.0.0.1, for tests that talk to it over HTTP.

Usage::

    from sandbox_process import running_sandbox

    with running_sandbox("--tenant", "acme:secret", "--max-batch", "100") as base_url:
        httpx.get(f"{base_url}/_sandbox/health")

The sandbox picks a free port and prints it on its ready line. The helper
waits for that line without sleeping, and stops the process by its PID on exit.
The sandbox's stderr (its log) goes to a temporary file and is shown when the
sandbox fails to start.
"""

from __future__ import annotations

import contextlib
import queue
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from typing import IO

LISTENING_PREFIX = "Sandbox listening on "
READY_LINE = "Sandbox ready"
DEMO_HEADERS = {"X-TWC-Tenant": "demo", "Authorization": "demo-token"}
API_PATH = "/services/customerservice/api/v2"

STARTUP_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0


class SandboxStartError(RuntimeError):
    """The sandbox process exited or stayed silent before printing its ready line."""


@contextlib.contextmanager
def running_sandbox(*extra_args: str, timeout: float = STARTUP_TIMEOUT) -> Iterator[str]:
    """Start ``python -m importer.sandbox --port 0`` with ``extra_args`` and yield its base URL.

    The base URL has the form ``http://127.0.0.1:PORT``; API paths go under
    ``{base_url}/services/customerservice``. Raises SandboxStartError when
    the ready line does not come within ``timeout`` seconds.
    """
    command = [sys.executable, "-m", "importer.sandbox", "--host", "127.0.0.1", "--port", "0",
               *extra_args]
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8") as log:
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=log, stdin=subprocess.DEVNULL,
            text=True, encoding="utf-8",
        )
        try:
            yield _wait_until_ready(process, timeout, log)
        finally:
            _stop(process)


def _wait_until_ready(process: subprocess.Popen, timeout: float, log: IO[str]) -> str:
    lines: queue.Queue[str | None] = queue.Queue()
    threading.Thread(target=_read_lines, args=(process.stdout, lines), daemon=True).start()

    deadline = time.monotonic() + timeout
    url = None
    while True:
        try:
            line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise SandboxStartError(_start_failure("printed no ready line", timeout, log)) from None
        if line is None:
            raise SandboxStartError(_start_failure("exited", timeout, log))
        if line.startswith(LISTENING_PREFIX):
            url = line.removeprefix(LISTENING_PREFIX)
        elif line == READY_LINE and url is not None:
            return url


def _read_lines(stream: IO[str], lines: queue.Queue[str | None]) -> None:
    for line in stream:
        lines.put(line.rstrip("\n"))
    lines.put(None)


def _start_failure(failure: str, timeout: float, log: IO[str]) -> str:
    log.seek(0)
    return f"The sandbox {failure} within {timeout:g} s. Its log:\n{log.read()}"


def _stop(process: subprocess.Popen) -> None:
    """Stop the sandbox with SIGTERM, then SIGKILL if it has not exited in time."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if process.stdout is not None:
        process.stdout.close()
