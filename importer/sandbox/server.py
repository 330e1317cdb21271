"""Run the sandbox app with uvicorn on a socket bound here.

Binding the socket before uvicorn starts lets ``port=0`` pick a free port and
lets the ready line print the port actually bound. The two lines on stdout,
``Sandbox listening on http://HOST:PORT`` then ``Sandbox ready``, are printed
once the server accepts connections; tests and scripts wait for them.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import signal
import socket
import sys
from collections.abc import Iterator
from typing import TextIO

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from importer.sandbox.app import create_app
from importer.sandbox.responses import DROP_CONNECTION
from importer.sandbox.settings import SandboxSettings

logger = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
READY_LINE = "Sandbox ready"
LISTENING_PREFIX = "Sandbox listening on "

# Seconds that open connections get to finish after SIGTERM or SIGINT.
SHUTDOWN_TIMEOUT = 5


class SandboxHttpProtocol(H11Protocol):
    """uvicorn's h11 protocol plus the ``sandbox.drop_connection`` ASGI extension.

    An app that sends ``{"type": "sandbox.drop_connection"}`` instead of a
    response gets its connection aborted: the client receives no byte of a
    response. uvicorn has no such feature, because it turns an exception in the
    app into a 500 response. The importer needs to be tested against a server
    that stored a batch but never sent a response.
    """

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._closed = asyncio.Event()
        self.app = _with_drop_extension(self.app, transport, self._closed)

    def connection_lost(self, exc: Exception | None) -> None:
        super().connection_lost(exc)
        self._closed.set()


def _with_drop_extension(app, transport: asyncio.Transport, closed: asyncio.Event):
    async def app_with_drop_extension(scope, receive, send):
        if scope["type"] == "http":
            scope["extensions"] = {**scope.get("extensions", {}), DROP_CONNECTION: {}}

        async def send_or_drop(message):
            if message["type"] != DROP_CONNECTION:
                await send(message)
                return
            transport.abort()
            # Wait until uvicorn has seen the connection close, so it does not
            # report the missing response as an error.
            await closed.wait()

        await app(scope, receive, send_or_drop)

    return app_with_drop_extension


class SandboxServer(uvicorn.Server):
    """A uvicorn server that prints the ready lines and exits cleanly on a signal."""

    def __init__(self, config: uvicorn.Config, url: str, out: TextIO) -> None:
        super().__init__(config)
        self.url = url
        self.out = out

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets=sockets)
        if self.started and not self.should_exit:
            print(f"{LISTENING_PREFIX}{self.url}", file=self.out, flush=True)
            print(READY_LINE, file=self.out, flush=True)
            logger.info("Sandbox listening on %s", self.url)

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        # uvicorn 0.55 re-raises the caught signal after shutting down, so the
        # process would end killed by SIGTERM. Here a signal is the normal way
        # to stop, so the handlers are only restored.
        handled = (signal.SIGINT, signal.SIGTERM)
        previous = {sig: signal.signal(sig, self.handle_exit) for sig in handled}
        try:
            yield
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)


def bind_socket(host: str, port: int) -> socket.socket:
    """Bind a listening TCP socket; port 0 lets the system pick a free port."""
    family = socket.AF_INET6 if _is_ipv6(host) else socket.AF_INET
    # asyncio (base_events._set_nodelay in CPython 3.11) sets TCP_NODELAY on
    # accepted connections only when the socket's proto is IPPROTO_TCP. Without
    # it, Nagle's algorithm and delayed ACKs added about 40 ms to each response
    # on Linux, because uvicorn writes the headers and the body separately.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    return sock


def base_url(sock: socket.socket, scheme: str = "http") -> str:
    host, port = sock.getsockname()[:2]
    if _is_ipv6(host):
        host = f"[{host}]"
    return f"{scheme}://{host}:{port}"


def _is_ipv6(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).version == 6
    except ValueError:
        return False


def run_sandbox(settings: SandboxSettings, *, host: str = DEFAULT_HOST, port: int = 0,
                access_log: bool = False, out: TextIO | None = None,
                tls_cert: str | None = None, tls_key: str | None = None) -> None:
    """Serve a sandbox until SIGTERM or SIGINT, printing the ready lines to ``out`` (stdout).

    With ``tls_cert`` and ``tls_key`` (PEM files) it serves HTTPS instead of HTTP.
    Raises sqlite3.Error when the database cannot be opened, OSError when the
    address cannot be bound, and ssl.SSLError when the certificate or key is invalid.
    """
    app = create_app(settings)
    sock = bind_socket(host, port)
    url = base_url(sock, "https" if tls_cert else "http")
    config = uvicorn.Config(
        app,
        ssl_certfile=tls_cert,
        ssl_keyfile=tls_key,
        http=SandboxHttpProtocol,
        loop="asyncio",
        ws="none",
        lifespan="on",
        access_log=access_log,
        log_config=None,
        proxy_headers=False,
        server_header=False,
        timeout_graceful_shutdown=SHUTDOWN_TIMEOUT,
    )
    server = SandboxServer(config, url, out or sys.stdout)
    try:
        server.run(sockets=[sock])
    finally:
        sock.close()
    logger.info("Sandbox on %s stopped", url)
