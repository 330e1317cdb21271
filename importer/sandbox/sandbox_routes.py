"""Sandbox-only routes under /_sandbox, for tests and demos.

They need no credentials, so a test can call them with a plain HTTP client.
The sandbox listens on loopback by default, which keeps them local. With
``--host`` set to another address, anyone who can reach the port can read and
reset the stored customers.
"""

from __future__ import annotations

import logging

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from importer.sandbox.responses import error_response
from importer.sandbox.state import sandbox_state

logger = logging.getLogger(__name__)


async def health(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def tenant_customers(request: Request) -> Response:
    """List every customer of a tenant in creation order, deleted ones included."""
    state = sandbox_state(request)
    tenant = request.path_params["tenant"]
    if tenant not in state.settings.tenants:
        known = ", ".join(sorted(state.settings.tenants))
        return error_response(404, f"Unknown tenant '{tenant}'; this sandbox serves: {known}.")
    customers = await run_in_threadpool(state.store.list_customers, tenant)
    return JSONResponse(customers)


async def received_requests(request: Request) -> Response:
    """List the Customer API requests received, oldest first."""
    return JSONResponse(sandbox_state(request).request_log.to_json())


async def reset(request: Request) -> Response:
    """Forget every customer, note and request, and restart the fault sequences."""
    await run_in_threadpool(sandbox_state(request).reset)
    logger.info("Reset the sandbox")
    return JSONResponse({"status": "ok"})


def sandbox_routes() -> list[Route]:
    return [
        Route("/health", health, methods=["GET"]),
        Route("/tenants/{tenant}/customers", tenant_customers, methods=["GET"]),
        Route("/requests", received_requests, methods=["GET"]),
        Route("/reset", reset, methods=["POST"]),
    ]
