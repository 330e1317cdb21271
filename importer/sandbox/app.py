"""The sandbox's ASGI app: the Customer API plus the sandbox-only routes."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount

from importer.sandbox.customer_routes import customer_routes
from importer.sandbox.gate import ApiGate
from importer.sandbox.note_routes import note_routes
from importer.sandbox.responses import BadRequest, error_response, http_error_response
from importer.sandbox.sandbox_routes import sandbox_routes
from importer.sandbox.settings import SandboxSettings
from importer.sandbox.state import SandboxState

logger = logging.getLogger(__name__)

API_PREFIX = "/services/customerservice"
SANDBOX_PREFIX = "/_sandbox"


def create_app(settings: SandboxSettings | None = None) -> Starlette:
    """Build a sandbox app with its own store; the default settings serve the demo tenant."""
    state = SandboxState.from_settings(settings or SandboxSettings())

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        state.store.close()

    api = Mount(
        API_PREFIX,
        routes=[*customer_routes(), *note_routes()],
        middleware=[Middleware(ApiGate, state=state)],
    )
    app = Starlette(
        routes=[api, Mount(SANDBOX_PREFIX, routes=sandbox_routes())],
        exception_handlers={
            BadRequest: bad_request_handler,
            HTTPException: http_exception_handler,
            Exception: server_error_handler,
        },
        lifespan=lifespan,
    )
    app.state.sandbox = state
    return app


async def bad_request_handler(request: Request, exc: Exception) -> Response:
    return error_response(400, str(exc))


async def http_exception_handler(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return http_error_response(request.method, request.url.path, exc)


async def server_error_handler(request: Request, exc: Exception) -> Response:
    return JSONResponse(
        {"message": f"The sandbox failed to handle {request.method} {request.url.path}: {exc!r}"},
        status_code=500,
    )
