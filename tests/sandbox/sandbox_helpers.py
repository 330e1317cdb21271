"""Tenants and assertions shared by the sandbox tests."""

from __future__ import annotations

import re

import httpx

TENANTS = {"demo": "demo-token", "acme": "acme-token"}

UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
SERVER_FIELDS = ("id", "createdDate", "lastModifiedDate")


def tenant_headers(tenant: str) -> dict[str, str]:
    return {"X-TWC-Tenant": tenant, "Authorization": TENANTS[tenant]}


def tenant_arguments() -> list[str]:
    """Return the ``--tenant KEY:TOKEN`` options that serve TENANTS."""
    return [argument for key, token in TENANTS.items() for argument in ("--tenant", f"{key}:{token}")]


def client_fields(document: dict) -> dict:
    """Return a customer or note without the fields the sandbox sets."""
    return {key: value for key, value in document.items() if key not in SERVER_FIELDS}


def assert_server_fields(document: dict) -> None:
    assert UUID4.match(document["id"])
    assert TIMESTAMP.match(document["createdDate"])
    assert TIMESTAMP.match(document["lastModifiedDate"])


def stored_customers(sandbox_url: str, tenant: str = "demo") -> list[dict]:
    response = httpx.get(f"{sandbox_url}/_sandbox/tenants/{tenant}/customers")
    assert response.status_code == 200
    return response.json()


def received_requests(sandbox_url: str) -> list[dict]:
    response = httpx.get(f"{sandbox_url}/_sandbox/requests")
    assert response.status_code == 200
    return response.json()
