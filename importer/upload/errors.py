"""Errors of the upload stage.

::

    RunAborted                 raised to the pipeline, which exits with status 3
    ├── CredentialsRejected    the API responded with 401 or 403
    ├── CertificateRejected    the server's TLS certificate failed verification
    ├── EndpointNotFound       the API responded 404 to upload-customers
    └── ApiUnreachable         requests kept failing or timing out
    TransientError             retried inside the stage, never raised out of it
    ├── RetryableStatus        the API responded with 429, 502, 503 or 504
    └── RequestFailed          the request failed before a response arrived
    TerminalError
    └── SendStopped            another batch aborted the run, so this one stops

Messages never contain the access token.
"""

from __future__ import annotations

import httpx

from importer.errors import RunAborted, TerminalError, TransientError


class CredentialsRejected(RunAborted):
    """The API rejected the tenant key or the access token."""

    def __init__(self, tenant: str, status: int) -> None:
        self.tenant = tenant
        self.status = status
        if status == 401:
            cause = "the access token is missing or wrong"
        else:
            cause = "the access token is not valid for this tenant"
        super().__init__(
            f"The Customer API rejected the credentials for tenant {tenant!r} with HTTP {status} "
            f"({cause}), so the run stopped. Check the tenant key and the token "
            "(TWC_TOKEN or --token-file), then run the import again."
        )


class ApiUnreachable(RunAborted):
    """Requests to the API kept failing or timing out until the retries ran out."""

    def __init__(self, base_url: str, last_error: str) -> None:
        self.base_url = base_url
        self.last_error = last_error
        super().__init__(
            f"The Customer API at {base_url} could not be reached, so the run stopped. "
            f"The last error was: {last_error}. Check the base URL and the network, "
            "then run the import again."
        )


class CertificateRejected(RunAborted):
    """The server's TLS certificate could not be verified. Trying again cannot help."""

    def __init__(self, base_url: str, reason: str) -> None:
        self.base_url = base_url
        self.reason = reason
        super().__init__(
            f"The TLS certificate of {base_url} could not be verified ({reason}), so the run stopped "
            "and nothing was sent. If the API uses a certificate from a private certificate authority, "
            "give that authority's certificate with --ca-bundle PATH."
        )


class EndpointNotFound(RunAborted):
    """The upload route does not exist at the base URL, so every batch would fail the same way."""

    def __init__(self, base_url: str, url: str) -> None:
        self.base_url = base_url
        super().__init__(
            f"The API responded with HTTP 404 Not Found to {url}, so the run stopped. "
            f"Check --base-url ({base_url}): it is the address before /services/customerservice, "
            "such as https://api.example.com."
        )


class RetryableStatus(TransientError):
    """The API responded with a status that another attempt may get past."""

    def __init__(self, response: httpx.Response, retry_after: float | None) -> None:
        self.response = response
        self.status = response.status_code
        self.retry_after = retry_after
        super().__init__(describe_status(response))


class RequestFailed(TransientError):
    """A request got no response: it failed to connect, timed out or lost its connection.

    ``maybe_stored`` is true when the error came after the request body was
    sent, so the API may have stored the customers.
    """

    def __init__(self, error: httpx.TransportError, maybe_stored: bool) -> None:
        self.maybe_stored = maybe_stored
        super().__init__(describe_error(error))


class SendStopped(TerminalError):
    """The run is being aborted, so this batch sends nothing more."""


def describe_status(response: httpx.Response) -> str:
    """Format a status as ``HTTP 503 Service Unavailable``."""
    return f"HTTP {response.status_code} {response.reason_phrase}".rstrip()


def describe_error(error: BaseException) -> str:
    """Format an exception as ``ConnectError: [Errno 111] Connection refused``."""
    text = str(error)
    if not text:
        return type(error).__name__
    return f"{type(error).__name__}: {text}"
