"""Fixtures of the upload tests."""

from __future__ import annotations

import httpx
import pytest
from upload_fakes import BASE_URL, TENANT, TOKEN, RecordingClock

from importer.upload import BatchOutcome, ConnectionSettings, CustomerSender, SendSettings


@pytest.fixture
def recording_clock() -> RecordingClock:
    return RecordingClock()


@pytest.fixture
def connection() -> ConnectionSettings:
    return ConnectionSettings(BASE_URL, TENANT, TOKEN)


@pytest.fixture
def send_all(connection, recording_clock):
    """Send customers through a CustomerSender on a mock transport and return the outcomes in batch order."""

    def send(handler, items, collector=None, journal=None, **settings) -> list[BatchOutcome]:
        transport = httpx.MockTransport(handler)
        with CustomerSender(
            connection,
            SendSettings(**settings),
            collector,
            transport,
            journal=journal,
            clock=recording_clock.clock(),
        ) as sender:
            outcomes = list(sender.send(items))
        return sorted(outcomes, key=lambda outcome: outcome.batch_id)

    return send
