"""The state one sandbox app shares between its requests."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request

from importer.sandbox.faults import FaultInjector, RateLimiter
from importer.sandbox.request_log import RequestLog, RequestRecord
from importer.sandbox.settings import SandboxSettings
from importer.sandbox.store import SandboxStore

# Keys the API gate adds to the ASGI scope of each Customer API request.
TENANT_SCOPE_KEY = "sandbox.tenant"
RECORD_SCOPE_KEY = "sandbox.record"


@dataclass(slots=True)
class SandboxState:
    settings: SandboxSettings
    store: SandboxStore
    faults: FaultInjector
    rate_limiter: RateLimiter | None
    request_log: RequestLog

    @classmethod
    def from_settings(cls, settings: SandboxSettings) -> SandboxState:
        rate = settings.faults.rate_limit
        return cls(
            settings=settings,
            store=SandboxStore(settings.db_path),
            faults=FaultInjector(settings.faults),
            rate_limiter=RateLimiter(rate) if rate is not None else None,
            request_log=RequestLog(),
        )

    def reset(self) -> None:
        """Forget every customer, note and request, and restart the fault sequences."""
        self.store.reset()
        self.request_log.clear()
        self.faults.reset()
        if self.rate_limiter is not None:
            self.rate_limiter.reset()


def sandbox_state(request: Request) -> SandboxState:
    return request.app.state.sandbox


def request_tenant(request: Request) -> str:
    """Return the tenant key the API gate authenticated for this request."""
    return request.scope[TENANT_SCOPE_KEY]


def request_record(request: Request) -> RequestRecord:
    return request.scope[RECORD_SCOPE_KEY]
