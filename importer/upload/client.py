"""HTTP access to the Customer API through one httpx client per run."""

from __future__ import annotations

import ssl
import threading
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from urllib.parse import quote

import httpx

from importer.errors import ConfigurationError
from importer.upload.errors import CertificateRejected, RequestFailed
from importer.upload.settings import ConnectionSettings

UPLOAD_PATH = "/api/v2/upload-customers"
LOOKUP_BY_EMAIL_PATH = "/api/v2/customers/{email}/email"

# Errors raised before the whole request body was handed to the network: the
# API cannot have stored anything. Every other transport error, such as a read
# timeout or a dropped connection, may come after the API stored the customers.
NOT_SENT_ERRORS = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.PoolTimeout,
    httpx.WriteError,
    httpx.WriteTimeout,
    httpx.ProxyError,
)


def _user_agent() -> str:
    try:
        return f"twc-import/{version('twc-import')}"
    except PackageNotFoundError:
        return "twc-import"


class RateLimiter:
    """Spaces requests evenly, so that all threads together send at most ``rate`` requests per second."""

    def __init__(self, rate: float, monotonic: Callable[[], float]) -> None:
        self._interval = 1.0 / rate
        self._monotonic = monotonic
        self._next_slot = monotonic()
        self._lock = threading.Lock()

    def acquire(self, sleep: Callable[[float], None]) -> None:
        """Wait until this thread's request may go out."""
        with self._lock:
            now = self._monotonic()
            slot = max(now, self._next_slot)
            self._next_slot = slot + self._interval

        if slot > now:
            sleep(slot - now)


class CustomerApi:
    """The Customer API endpoints the upload stage uses.

    Methods return every response, whatever its status, and raise
    ``RequestFailed`` when no response arrived. The underlying ``httpx.Client``
    is safe to share between the sender's worker threads.
    """

    def __init__(
        self,
        connection: ConnectionSettings,
        *,
        max_connections: int,
        rate_limiter: RateLimiter | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.connection = connection
        self._rate_limiter = rate_limiter
        self._client = httpx.Client(
            base_url=connection.api_url,
            headers={
                "X-TWC-Tenant": connection.tenant,
                # The API takes the raw token, without a "Bearer" scheme.
                "Authorization": connection.token,
                "Accept": "application/json",
                "User-Agent": _user_agent(),
            },
            timeout=httpx.Timeout(connection.timeout),
            verify=_tls_verification(connection.ca_bundle),
            limits=httpx.Limits(max_connections=max_connections, max_keepalive_connections=max_connections),
            transport=transport,
        )

    def close(self) -> None:
        self._client.close()

    def upload_customers(self, body: bytes, sleep: Callable[[float], None]) -> httpx.Response:
        """POST a JSON array of customers to ``upload-customers``."""
        headers = {"Content-Type": "application/json"}
        return self._request("POST", UPLOAD_PATH, sleep, content=body, headers=headers)

    def find_customer_by_email(self, email: str, sleep: Callable[[float], None]) -> httpx.Response:
        """GET the customer with this email. The API responds with 200, or 404 when there is none."""
        path = LOOKUP_BY_EMAIL_PATH.format(email=quote(email, safe=""))
        return self._request("GET", path, sleep)

    def _request(self, method: str, path: str, sleep: Callable[[float], None], **kwargs) -> httpx.Response:
        if self._rate_limiter is not None:
            self._rate_limiter.acquire(sleep)

        try:
            return self._client.request(method, path, **kwargs)
        except httpx.ConnectError as exc:
            verification = _certificate_error(exc)
            if verification is not None:
                reason = verification.verify_message or verification.reason or str(verification)
                raise CertificateRejected(self.connection.display_url, reason) from exc
            raise RequestFailed(exc, maybe_stored=False) from exc
        except NOT_SENT_ERRORS as exc:
            raise RequestFailed(exc, maybe_stored=False) from exc
        except httpx.TransportError as exc:
            raise RequestFailed(exc, maybe_stored=True) from exc


def _certificate_error(error: BaseException) -> ssl.SSLCertVerificationError | None:
    """Find the certificate verification failure behind a connection error, if there is one."""
    causes: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in causes:
        if isinstance(current, ssl.SSLCertVerificationError):
            return current
        causes.append(current)
        current = current.__cause__ or current.__context__
    return None


def _tls_verification(ca_bundle: str | None) -> ssl.SSLContext | bool:
    """Keep certificate verification on, trusting the private CAs of ``ca_bundle`` as well."""
    if ca_bundle is None:
        return True

    context = httpx.create_ssl_context()
    try:
        context.load_verify_locations(cafile=ca_bundle)
    except (OSError, ssl.SSLError) as exc:
        raise ConfigurationError(
            f"The CA bundle {ca_bundle} could not be loaded: {exc}. Give a file of PEM-encoded CA certificates."
        ) from exc
    return context
