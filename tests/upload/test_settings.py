"""Checks of the connection and sending options."""

from __future__ import annotations

import certifi
import pytest
from upload_fakes import TOKEN

from importer.errors import EXIT_CONFIGURATION, ConfigurationError
from importer.upload import ConnectionSettings, CustomerSender, SendSettings


def test_connection_repr_hides_token():
    connection = ConnectionSettings("https://api.example.com", "acme", TOKEN)

    assert TOKEN not in repr(connection)
    assert repr(connection) == (
        "ConnectionSettings(base_url='https://api.example.com', tenant='acme', timeout=30.0, ca_bundle=None)"
    )


def test_api_url_joins_prefix():
    connection = ConnectionSettings("https://api.example.com/twc/", "acme", TOKEN)

    assert connection.api_url == "https://api.example.com/twc/services/customerservice"


def test_base_url_with_password_rejected():
    with pytest.raises(ConfigurationError) as error:
        ConnectionSettings("https://user:secret@api.example.com", "acme", TOKEN)

    assert str(error.value) == (
        "The base URL must not contain a user name or password; give the access token "
        "with TWC_TOKEN or --token-file instead."
    )
    assert "secret" not in str(error.value)


@pytest.mark.parametrize(
    ("base_url", "message"),
    [
        pytest.param(
            "ftp://api.example.com",
            "The base URL 'ftp://api.example.com' must start with http:// or https:// and name a host, "
            "for example https://api.example.com.",
            id="scheme",
        ),
        pytest.param(
            "api.example.com",
            "The base URL 'api.example.com' must start with http:// or https:// and name a host, "
            "for example https://api.example.com.",
            id="no-scheme",
        ),
    ],
)
def test_invalid_base_url(base_url, message):
    with pytest.raises(ConfigurationError) as raised:
        ConnectionSettings(base_url, "acme", TOKEN)

    assert str(raised.value) == message
    assert raised.value.exit_code == EXIT_CONFIGURATION


def test_empty_tenant():
    with pytest.raises(ConfigurationError) as raised:
        ConnectionSettings("https://api.example.com", " ", TOKEN)

    assert str(raised.value) == "The tenant key is empty. Set --tenant or TWC_TENANT."


@pytest.mark.parametrize(
    "token",
    [
        pytest.param("", id="empty"),
        pytest.param(TOKEN + "\n", id="trailing-newline"),
        pytest.param("tok\r\nX-Injected: 1", id="header-injection"),
        pytest.param("t\u00f6ken-SECRET", id="non-ascii"),
    ],
)
def test_invalid_token_not_quoted(token):
    with pytest.raises(ConfigurationError) as raised:
        ConnectionSettings("https://api.example.com", "acme", token)

    assert str(raised.value) == (
        "The access token is empty or contains characters that an HTTP header cannot carry "
        "(only printable ASCII without leading or trailing spaces is allowed). "
        "Check TWC_TOKEN or the file given to --token-file."
    )


def test_timeout_must_be_positive():
    with pytest.raises(ConfigurationError) as raised:
        ConnectionSettings("https://api.example.com", "acme", TOKEN, timeout=0)

    assert str(raised.value) == "The request timeout must be more than 0 seconds, got 0."


@pytest.mark.parametrize(
    ("options", "message"),
    [
        pytest.param({"batch_size": 0}, "batch_size must be at least 1, got 0.", id="batch_size"),
        pytest.param({"concurrency": 0}, "concurrency must be at least 1, got 0.", id="concurrency"),
        pytest.param({"max_batch_bytes": 3}, "max_batch_bytes must be at least 4, got 3.", id="max_batch_bytes"),
        pytest.param({"max_attempts": 0}, "max_attempts must be at least 1, got 0.", id="max_attempts"),
        pytest.param({"max_retry_wait": -1}, "max_retry_wait must be at least 0, got -1.", id="max_retry_wait"),
        pytest.param({"max_total_wait": -1}, "max_total_wait must be at least 0, got -1.", id="max_total_wait"),
        pytest.param(
            {"requests_per_second": 0},
            "requests_per_second must be more than 0 or unset, got 0.",
            id="requests_per_second",
        ),
    ],
)
def test_invalid_send_settings(options, message):
    with pytest.raises(ConfigurationError) as raised:
        SendSettings(**options)

    assert str(raised.value) == message


def test_missing_ca_bundle(tmp_path):
    missing = tmp_path / "missing.pem"
    connection = ConnectionSettings("https://api.example.com", "acme", TOKEN, ca_bundle=str(missing))

    with pytest.raises(ConfigurationError) as raised:
        CustomerSender(connection, SendSettings())

    assert str(raised.value).startswith(f"The CA bundle {missing} could not be loaded: ")
    assert str(raised.value).endswith("Give a file of PEM-encoded CA certificates.")


def test_ca_bundle_accepted():
    # Any PEM file of CA certificates will do; certifi's own bundle is always installed with httpx.
    connection = ConnectionSettings("https://api.example.com", "acme", TOKEN, ca_bundle=certifi.where())

    with CustomerSender(connection, SendSettings()) as sender:
        assert sender is not None
