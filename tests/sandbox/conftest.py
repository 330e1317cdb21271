"""Fixtures of the sandbox tests: one shared sandbox process, reset before each test."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from sandbox_helpers import tenant_arguments, tenant_headers
from sandbox_process import API_PATH, running_sandbox


@pytest.fixture(scope="session")
def shared_sandbox_url() -> Iterator[str]:
    with running_sandbox(*tenant_arguments()) as url:
        yield url


@pytest.fixture
def sandbox_url(shared_sandbox_url: str) -> str:
    """Base URL of the shared sandbox, emptied of customers, notes and recorded requests."""
    response = httpx.post(f"{shared_sandbox_url}/_sandbox/reset")
    assert response.status_code == 200
    return shared_sandbox_url


@pytest.fixture
def api(sandbox_url: str) -> Iterator[httpx.Client]:
    """A client of the Customer API, authenticated as the demo tenant."""
    with httpx.Client(base_url=f"{sandbox_url}{API_PATH}", headers=tenant_headers("demo")) as client:
        yield client


@pytest.fixture
def acme_api(sandbox_url: str) -> Iterator[httpx.Client]:
    """A client of the Customer API, authenticated as the acme tenant."""
    with httpx.Client(base_url=f"{sandbox_url}{API_PATH}", headers=tenant_headers("acme")) as client:
        yield client
