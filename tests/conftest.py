"""Fixtures and import paths shared by every test folder."""

import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
DATA = TESTS / "data"

# sandbox_process.py and the other shared helpers are plain modules in tests/;
# putting tests/ on sys.path here makes them importable from every subfolder.
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch):
    """Keep every request on loopback, whatever proxy the environment names."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def data_dir() -> Path:
    return DATA
