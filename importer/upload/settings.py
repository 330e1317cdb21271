"""Connection and sending options of the upload stage.

Both dataclasses check their values when they are built, so a bad option fails
before any row is read or any request is sent.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import httpx

from importer.errors import ConfigurationError

API_PREFIX = "/services/customerservice"


@dataclass(frozen=True)
class ConnectionSettings:
    """Location of the Customer API and the credentials for it.

    ``token`` is left out of ``repr()`` and is never logged or put into a message.
    """

    base_url: str
    tenant: str
    token: str = field(repr=False)
    timeout: float = 30.0
    ca_bundle: str | None = None

    def __post_init__(self) -> None:
        _check_base_url(self.base_url)

        if not self.tenant.strip():
            raise ConfigurationError("The tenant key is empty. Set --tenant or TWC_TENANT.")

        if not _is_valid_header_value(self.token):
            # The message must not quote the token, not even in part.
            raise ConfigurationError(
                "The access token is empty or contains characters that an HTTP header cannot carry "
                "(only printable ASCII without leading or trailing spaces is allowed). "
                "Check TWC_TOKEN or the file given to --token-file."
            )

        if not self.timeout > 0:
            raise ConfigurationError(f"The request timeout must be more than 0 seconds, got {self.timeout}.")

    @property
    def api_url(self) -> str:
        """The base URL with the Customer API's path prefix, without a trailing slash."""
        return self.base_url.rstrip("/") + API_PREFIX

    @property
    def display_url(self) -> str:
        """The base URL without any user name or password, for messages and logs."""
        return str(httpx.URL(self.base_url).copy_with(userinfo=b""))


@dataclass(frozen=True)
class SendSettings:
    """Batching, concurrency and retry options.

    Attributes:
        batch_size: maximum number of customers in one request.
        concurrency: number of batches in flight at once.
        max_batch_bytes: maximum size of one request body, in bytes.
        max_attempts: maximum number of requests for one batch (or part of one)
            when the API keeps responding with 429, 502, 503, 504 or the request fails.
        max_retry_wait: maximum wait before one retry, in seconds. A longer
            ``Retry-After`` is cut down to it.
        max_total_wait: maximum time spent retrying one batch, in seconds.
        requests_per_second: maximum request rate over all batches, or None for
            no limit.
    """

    batch_size: int = 500
    concurrency: int = 4
    max_batch_bytes: int = 5_000_000
    max_attempts: int = 8
    max_retry_wait: float = 60.0
    max_total_wait: float = 600.0
    requests_per_second: float | None = None

    def __post_init__(self) -> None:
        _check_at_least("batch_size", self.batch_size, 1)
        _check_at_least("concurrency", self.concurrency, 1)
        # The smallest body is "[]" plus one customer object "{}".
        _check_at_least("max_batch_bytes", self.max_batch_bytes, 4)
        _check_at_least("max_attempts", self.max_attempts, 1)
        _check_at_least("max_retry_wait", self.max_retry_wait, 0)
        _check_at_least("max_total_wait", self.max_total_wait, 0)

        if self.requests_per_second is not None and not self.requests_per_second > 0:
            raise ConfigurationError(
                f"requests_per_second must be more than 0 or unset, got {self.requests_per_second}."
            )


def _check_base_url(base_url: str) -> None:
    try:
        url = httpx.URL(base_url)
    except httpx.InvalidURL as exc:
        raise ConfigurationError(f"The base URL {base_url!r} is invalid: {exc}.") from exc

    if url.userinfo:
        # httpx would send these as Basic credentials in place of the access token.
        raise ConfigurationError(
            "The base URL must not contain a user name or password; give the access token "
            "with TWC_TOKEN or --token-file instead."
        )

    if url.scheme not in ("http", "https") or not url.host:
        raise ConfigurationError(
            f"The base URL {base_url!r} must start with http:// or https:// and name a host, "
            "for example https://api.example.com."
        )


def _is_valid_header_value(value: str) -> bool:
    return bool(value) and value.isascii() and value.isprintable() and value == value.strip()


def _check_at_least(name: str, value: float, minimum: float) -> None:
    if not value >= minimum:
        raise ConfigurationError(f"{name} must be at least {minimum}, got {value}.")
