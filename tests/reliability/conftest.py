"""Fixtures of the reliability tests: the real console script against the real sandbox."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

# tests/sandbox_process.py is shared by several test folders; pytest puts only
# this folder on sys.path, so add its parent.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch):
    """Keep every request on loopback, whatever proxy the environment names."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
