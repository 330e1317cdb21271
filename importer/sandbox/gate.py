"""The gate every Customer API request passes: record, delay, authenticate, inject faults.

The steps run in this order, so that a request without valid credentials gets
401 or 403 whatever the fault settings, and rejected requests do not count
against the tenant's rate limit.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from dataclasses import dataclass

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from importer.sandbox.request_log import RequestRecord
from importer.sandbox.responses import DROP_CONNECTION, error_response, http_error_response
from importer.sandbox.state import RECORD_SCOPE_KEY, TENANT_SCOPE_KEY, SandboxState
from importer.sandbox.store import utc_timestamp

logger = logging.getLogger(__name__)

TENANT_HEADER = "X-TWC-Tenant"
TOKEN_HEADER = "Authorization"


@dataclass(frozen=True, slots=True)
class AuthFailure:
    status_code: int
    message: str


def check_credentials(tenant: str | None, token: str | None, tenants: dict[str, str]) -> AuthFailure | None:
    """Check a request's tenant key and access token; None means they are valid.

    A missing or unknown tenant, and a missing or unknown token, get 401. A
    token that belongs to another tenant gets 403. Messages never contain the token.
    """
    if not tenant:
        return AuthFailure(401, f"Missing {TENANT_HEADER} header; send your tenant key.")
    if tenant not in tenants:
        return AuthFailure(401, f"Unknown tenant '{tenant}'; check the {TENANT_HEADER} header.")
    if not token:
        message = f"Missing {TOKEN_HEADER} header; send the access token of tenant '{tenant}'."
        return AuthFailure(401, message)
    if _same_secret(token, tenants[tenant]):
        return None
    if any(_same_secret(token, other) for other in tenants.values()):
        return AuthFailure(403, f"The access token is not valid for tenant '{tenant}'.")
    return AuthFailure(401, f"Invalid access token for tenant '{tenant}'.")


def _same_secret(received: str, expected: str) -> bool:
    return hmac.compare_digest(received.encode(), expected.encode())


class ApiGate:
    """ASGI middleware in front of the Customer API routes."""

    def __init__(self, app: ASGIApp, state: SandboxState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        record = RequestRecord(
            time=utc_timestamp(),
            method=scope["method"],
            path=scope["path"],
            query=scope.get("query_string", b"").decode("latin-1"),
        )
        scope[RECORD_SCOPE_KEY] = record

        async def send_and_record(message: Message) -> None:
            if message["type"] == "http.response.start":
                record.status = message["status"]
            elif message["type"] == DROP_CONNECTION:
                record.dropped = True
            await send(message)

        try:
            await self._handle(scope, receive, send_and_record, record)
        finally:
            self.state.request_log.add(record)
        if record.status is not None and record.status >= 400 and record.status not in (401, 403):
            logger.debug("Responded %d to %s %s of tenant %s", record.status, record.method,
                         record.path, record.tenant)

    async def _handle(self, scope: Scope, receive: Receive, send: Send, record: RequestRecord) -> None:
        faults = self.state.settings.faults
        if faults.latency_ms:
            await asyncio.sleep(faults.latency_ms / 1000)

        headers = Headers(scope=scope)
        tenant = headers.get(TENANT_HEADER)
        failure = check_credentials(tenant, headers.get(TOKEN_HEADER), self.state.settings.tenants)
        if failure is not None:
            logger.info("Rejected %s %s with %d: %s", record.method, record.path,
                        failure.status_code, failure.message)
            await error_response(failure.status_code, failure.message)(scope, receive, send)
            return
        record.tenant = tenant
        scope[TENANT_SCOPE_KEY] = tenant

        response = self._injected_fault(tenant)
        if response is not None:
            await response(scope, receive, send)
            return
        try:
            await self.app(scope, receive, send)
        except HTTPException as exc:
            # The router raises HTTPException for 404 and 405 instead of
            # sending a response. Sending it here lets the request log record it.
            await http_error_response(record.method, record.path, exc)(scope, receive, send)

    def _injected_fault(self, tenant: str) -> JSONResponse | None:
        faults = self.state.settings.faults
        limiter = self.state.rate_limiter
        if limiter is not None:
            retry_after = limiter.acquire(tenant)
            if retry_after is not None:
                logger.debug("Rate limit of tenant %s reached; retry after %d s", tenant, retry_after)
                message = (
                    f"Rate limit of {faults.rate_limit:g} requests per second exceeded for tenant"
                    f" '{tenant}'; retry after {retry_after} s."
                )
                return error_response(429, message, headers={"Retry-After": str(retry_after)})
        if self.state.faults.should_fail():
            logger.debug("Injected a 503 for tenant %s", tenant)
            return error_response(503, "The sandbox injected a temporary failure (--fail-rate); retry later.")
        return None
