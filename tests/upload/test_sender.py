"""CustomerSender against httpx.MockTransport: retries, splitting, rejections and unknown outcomes."""

from __future__ import annotations

import logging
import threading
import time

import httpx
import orjson
import pytest

from importer.errors import EXIT_ABORTED
from importer.upload import (
    ApiUnreachable,
    BatchOutcome,
    Clock,
    CredentialsRejected,
    CustomerSender,
    Outgoing,
    SendSettings,
)
from importer.upload.errors import RequestFailed

from upload_fakes import (
    BASE_URL,
    NOW,
    TOKEN,
    UPLOAD_PATH,
    FakeApi,
    emails_of,
    http_date,
    make_customers,
)


def keys_of(count: int, start: int = 0) -> list[int]:
    return list(range(start, start + count))


def email(key: int) -> str:
    return f"customer{key}@example.com"


def lookup_path(key: int) -> str:
    return f"/services/customerservice/api/v2/customers/customer{key}%40example.com/email"


# Request format


def test_upload_request_headers(send_all):
    api = FakeApi()

    send_all(api, make_customers(2))

    request = api.requests[0]
    assert request.method == "POST"
    assert str(request.url) == BASE_URL + UPLOAD_PATH
    assert request.headers["X-TWC-Tenant"] == "acme"
    assert request.headers["Authorization"] == TOKEN
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["Accept"] == "application/json"
    assert request.headers.get_list("Authorization") == [TOKEN]
    assert [name for name, _ in request.headers.multi_items()] == [
        "host",
        "accept-encoding",
        "connection",
        "x-twc-tenant",
        "authorization",
        "accept",
        "user-agent",
        "content-type",
        "content-length",
    ]


def test_upload_request_body(send_all):
    api = FakeApi()

    outcomes = send_all(api, make_customers(2))

    assert orjson.loads(api.requests[0].content) == [
        {"email": "customer0@example.com", "firstName": "First0"},
        {"email": "customer1@example.com", "firstName": "First1"},
    ]
    assert outcomes == [BatchOutcome(1, [0, 1], [], [])]


def test_batches_split_by_count(send_all):
    api = FakeApi()

    outcomes = send_all(api, make_customers(7), batch_size=3)

    assert [len(upload) for upload in api.uploads] == [3, 3, 1]
    assert outcomes == [
        BatchOutcome(1, [0, 1, 2], [], []),
        BatchOutcome(2, [3, 4, 5], [], []),
        BatchOutcome(3, [6], [], []),
    ]


@pytest.mark.parametrize(
    ("max_batch_bytes", "sizes", "body_lengths"),
    [
        pytest.param(166, [3, 3, 1], [166, 166, 56], id="exact-fit"),
        pytest.param(165, [2, 2, 2, 1], [111, 111, 111, 56], id="one-byte-short"),
    ],
)
def test_batches_split_by_bytes(send_all, max_batch_bytes, sizes, body_lengths):
    api = FakeApi()
    # Each customer serializes to 54 bytes, so a body of three is 1 + 3 * 54 + 2 + 1 = 166 bytes.
    items = make_customers(7)

    send_all(api, items, batch_size=100, max_batch_bytes=max_batch_bytes)

    assert [len(upload) for upload in api.uploads] == sizes
    assert [len(request.content) for request in api.requests] == body_lengths


# Retries


def test_retry_after_seconds_on_429(send_all, recording_clock):
    api = FakeApi(httpx.Response(429, headers={"Retry-After": "7"}))

    outcomes = send_all(api, make_customers(2))

    assert recording_clock.waits == [7.0]
    assert len(api.uploads) == 2
    assert outcomes == [BatchOutcome(1, [0, 1], [], [])]


def test_retry_after_http_date_on_429(send_all, recording_clock):
    api = FakeApi(httpx.Response(429, headers={"Retry-After": http_date(12)}))

    outcomes = send_all(api, make_customers(2))

    assert recording_clock.waits == [12.0]
    assert outcomes == [BatchOutcome(1, [0, 1], [], [])]


def test_retry_after_capped_at_max_retry_wait(send_all, recording_clock):
    api = FakeApi(httpx.Response(429, headers={"Retry-After": "3600"}))

    send_all(api, make_customers(2), max_retry_wait=45.0)

    assert recording_clock.waits == [45.0]


def test_503_then_success(send_all, recording_clock):
    api = FakeApi(httpx.Response(503), httpx.Response(503))

    outcomes = send_all(api, make_customers(3))

    assert recording_clock.waits == [0.75, 1.25]
    assert len(api.uploads) == 3
    assert outcomes == [BatchOutcome(1, [0, 1, 2], [], [])]


def test_503_exhausted_fails_batch(send_all, recording_clock):
    api = FakeApi(*[httpx.Response(503)] * 3)

    outcomes = send_all(api, make_customers(2), max_attempts=3)

    message = "gave up after 3 attempts; the last response was HTTP 503 Service Unavailable"
    assert outcomes == [BatchOutcome(1, [], [], [(0, message), (1, message)])]
    assert recording_clock.waits == [0.75, 1.25]
    assert len(api.uploads) == 3


def test_503_exhausted_run_goes_on(send_all):
    api = FakeApi(*[httpx.Response(503)] * 2)

    outcomes = send_all(api, make_customers(4), batch_size=2, concurrency=1, max_attempts=2)

    message = "gave up after 2 attempts; the last response was HTTP 503 Service Unavailable"
    assert outcomes == [
        BatchOutcome(1, [], [], [(0, message), (1, message)]),
        BatchOutcome(2, [2, 3], [], []),
    ]


def test_max_total_wait_stops_retries(send_all, recording_clock):
    api = FakeApi(*[httpx.Response(503)] * 8)

    outcomes = send_all(api, make_customers(1), max_total_wait=2.0)

    # 0.75 + 1.25 = 2.0 s is within the budget, the next wait of 2.25 s is not.
    assert recording_clock.waits == [0.75, 1.25]
    assert outcomes[0].failed == [(0, "gave up after 3 attempts; the last response was HTTP 503 Service Unavailable")]


def test_retry_logged_with_batch_status_wait(send_all, caplog):
    caplog.set_level(logging.WARNING, logger="importer.upload")
    api = FakeApi(httpx.Response(503))

    send_all(api, make_customers(2))

    assert [record.getMessage() for record in caplog.records] == [
        "Batch 1: upload of 2 customers failed with HTTP 503 Service Unavailable; "
        "retrying in 0.75 s (attempt 2 of 8)"
    ]


def test_connection_error_exhausted_raises(send_all, recording_clock):
    refused = httpx.ConnectError("[Errno 111] Connection refused")
    api = FakeApi(*[refused] * 4)

    with pytest.raises(ApiUnreachable) as raised:
        send_all(api, make_customers(2), max_attempts=4)

    assert str(raised.value) == (
        "The Customer API at http://api.test could not be reached, so the run stopped. "
        "The last error was: ConnectError: [Errno 111] Connection refused. "
        "Check the base URL and the network, then run the import again."
    )
    assert raised.value.exit_code == EXIT_ABORTED
    assert isinstance(raised.value.__cause__, RequestFailed)
    assert raised.value.__cause__.__cause__ is refused
    assert recording_clock.waits == [0.75, 1.25, 2.25]
    assert len(api.uploads) == 4
    assert api.lookups == []


def test_connection_error_resends_without_lookup(send_all):
    api = FakeApi(httpx.ConnectError("[Errno 111] Connection refused"))

    outcomes = send_all(api, make_customers(2))

    assert api.lookups == []
    assert len(api.uploads) == 2
    assert outcomes == [BatchOutcome(1, [0, 1], [], [])]


def test_requests_per_second_spaces_requests(send_all, recording_clock):
    api = FakeApi()

    send_all(api, make_customers(3), batch_size=1, concurrency=1, requests_per_second=2.0)

    # The test clock does not advance, so each request waits one more interval of 0.5 s.
    assert recording_clock.waits == [0.5, 1.0]


# Credentials


@pytest.mark.parametrize(
    ("status", "cause"),
    [
        pytest.param(401, "the access token is missing or wrong", id="401"),
        pytest.param(403, "the access token is not valid for this tenant", id="403"),
    ],
)
def test_credentials_rejected_stops_run(send_all, status, cause):
    api = FakeApi(*[httpx.Response(status)] * 10)

    with pytest.raises(CredentialsRejected) as raised:
        send_all(api, make_customers(6), batch_size=2, concurrency=1)

    assert str(raised.value) == (
        f"The Customer API rejected the credentials for tenant 'acme' with HTTP {status} ({cause}), "
        "so the run stopped. Check the tenant key and the token (TWC_TOKEN or --token-file), "
        "then run the import again."
    )
    assert TOKEN not in str(raised.value)
    assert TOKEN not in repr(raised.value)
    assert raised.value.tenant == "acme"
    assert raised.value.status == status
    assert raised.value.exit_code == EXIT_ABORTED
    # The second batch was queued, but it never sent anything.
    assert len(api.uploads) == 1


def test_credentials_rejected_stops_batches_in_flight(send_all):
    release = threading.Event()
    uploads = []

    def slow_then_401(request: httpx.Request) -> httpx.Response:
        uploads.append(emails_of(request))
        if emails_of(request)[0] == email(0):
            # The request of batch 1 returns only after batch 2 got its 401.
            release.wait(5)
            return httpx.Response(202)
        release.set()
        return httpx.Response(401)

    with pytest.raises(CredentialsRejected):
        send_all(slow_then_401, make_customers(20), batch_size=2, concurrency=2)

    assert release.is_set()
    # Batches 3 and 4 were queued, but the 401 stopped them before they sent anything.
    assert sorted(uploads) == [[email(0), email(1)], [email(2), email(3)]]


def test_credentials_rejected_cuts_retry_wait_short(connection):
    limited = threading.Event()

    def handler(request: httpx.Request) -> httpx.Response:
        if emails_of(request)[0] == email(0):
            limited.set()
            return httpx.Response(429, headers={"Retry-After": "30"})
        limited.wait(5)
        return httpx.Response(401)

    # sleep=None: batch 1 really waits for its Retry-After, on the run's stop event.
    clock = Clock(sleep=None, now=lambda: NOW)
    started = time.monotonic()
    with CustomerSender(
        connection,
        SendSettings(batch_size=2, concurrency=2),
        transport=httpx.MockTransport(handler),
        clock=clock,
    ) as sender:
        with pytest.raises(CredentialsRejected):
            list(sender.send(make_customers(4)))

    assert time.monotonic() - started < 5


def test_credentials_rejected_on_lookup(send_all):
    def lookup_401(request: httpx.Request) -> httpx.Response:
        if request.method == "GET":
            return httpx.Response(401)
        raise httpx.ReadTimeout("timed out")

    with pytest.raises(CredentialsRejected) as raised:
        send_all(lookup_401, make_customers(2))

    assert raised.value.status == 401


def test_token_never_logged(send_all, caplog, connection):
    caplog.set_level(logging.DEBUG)
    api = FakeApi(
        httpx.Response(503),
        httpx.ReadTimeout("timed out"),
        httpx.ConnectError("[Errno 111] Connection refused"),
        *[httpx.Response(401)] * 5,
    )

    with pytest.raises(CredentialsRejected) as raised:
        send_all(api, make_customers(3), batch_size=1, concurrency=1)

    assert len(caplog.records) > 5
    for record in caplog.records:
        assert TOKEN not in record.getMessage()
    assert TOKEN not in str(raised.value)
    assert TOKEN not in repr(connection)


# 413 Content Too Large


def respond_413_above(limit: int, api: FakeApi):
    def respond(request: httpx.Request) -> httpx.Response:
        if len(emails_of(request)) > limit:
            return httpx.Response(413)
        return api.store(request)

    return respond


def test_413_halves_batch(send_all):
    api = FakeApi()
    api.script = [respond_413_above(2, api)] * 20

    outcomes = send_all(api, make_customers(8))

    # After the 413 for 4 customers, the second half of 4 is split before it is sent.
    assert [len(upload) for upload in api.uploads] == [8, 4, 2, 2, 2, 2]
    assert outcomes == [BatchOutcome(1, keys_of(8), [], [])]
    assert len(api.stored) == 8


def test_413_limit_applies_to_later_batches(send_all):
    api = FakeApi()
    api.script = [respond_413_above(2, api)] * 20

    outcomes = send_all(api, make_customers(12), batch_size=6, concurrency=1)

    assert [len(upload) for upload in api.uploads] == [6, 3, 1, 2, 1, 2, 1, 2, 1, 2]
    assert [outcome.accepted for outcome in outcomes] == [keys_of(6), keys_of(6, 6)]


def test_413_single_customer_fails(send_all):
    api = FakeApi(*[httpx.Response(413)] * 3)

    outcomes = send_all(api, make_customers(2))

    message = (
        "the API responded with HTTP 413 Request Entity Too Large even for this customer alone "
        "(a request body of 56 bytes)"
    )
    assert outcomes == [BatchOutcome(1, [], [], [(0, message), (1, message)])]
    assert [len(upload) for upload in api.uploads] == [2, 1, 1]


def test_oversized_customer_fails_unsent(send_all):
    api = FakeApi()
    items = [
        Outgoing(0, {"email": email(0)}),
        Outgoing(1, {"email": email(1), "firstName": "x" * 100}),
        Outgoing(2, {"email": email(2)}),
    ]

    outcomes = send_all(api, items, max_batch_bytes=100)

    message = (
        "this customer alone makes a request body of 150 bytes, more than the 100 bytes that max_batch_bytes allows"
    )
    assert outcomes == [
        BatchOutcome(1, [0], [], []),
        BatchOutcome(2, [], [], [(1, message)]),
        BatchOutcome(3, [2], [], []),
    ]
    assert api.uploads == [[email(0)], [email(2)]]


# 400 Bad Request


def test_400_per_customer_errors(send_all):
    errors = [
        {"index": 10, "field": "email", "message": "email already exists"},
        {"index": 250, "field": "firstName", "message": "must not contain control characters"},
        {"index": 250, "field": "dob", "message": "invalid date"},
        {"index": 499, "field": "customerRef", "message": "customerRef already exists"},
    ]
    api = FakeApi(httpx.Response(400, json={"errors": errors}))

    outcomes = send_all(api, make_customers(500))

    bad = {10, 250, 499}
    assert outcomes[0].accepted == [key for key in range(500) if key not in bad]
    assert len(outcomes[0].accepted) == 497
    assert outcomes[0].rejected == [
        (10, "email: email already exists"),
        (250, "firstName: must not contain control characters | dob: invalid date"),
        (499, "customerRef: customerRef already exists"),
    ]
    assert outcomes[0].failed == []
    assert [len(upload) for upload in api.uploads] == [500, 497]
    assert api.uploads[1] == [email(key) for key in range(500) if key not in bad]


def test_400_without_errors_isolates_bad(send_all):
    api = FakeApi()

    def reject_customer_5(request: httpx.Request) -> httpx.Response:
        if email(5) in emails_of(request):
            return httpx.Response(400, json={"message": "invalid customer data"})
        return api.store(request)

    api.script = [reject_customer_5] * 20

    outcomes = send_all(api, make_customers(8))

    assert [len(upload) for upload in api.uploads] == [8, 4, 4, 2, 1, 1, 2]
    assert outcomes == [BatchOutcome(1, [0, 1, 2, 3, 4, 6, 7], [(5, "invalid customer data")], [])]


def test_400_plain_text_message(send_all):
    api = FakeApi(httpx.Response(400, text="Bad Request: unreadable body"))

    outcomes = send_all(api, make_customers(1))

    assert outcomes == [BatchOutcome(1, [], [(0, "Bad Request: unreadable body")], [])]


def test_other_4xx_fails_batch(send_all):
    api = FakeApi(httpx.Response(409, json={"message": "a request is already running"}))

    outcomes = send_all(api, make_customers(2))

    message = "the API responded with HTTP 409 Conflict: a request is already running"
    assert outcomes == [BatchOutcome(1, [], [], [(0, message), (1, message)])]
    assert len(api.uploads) == 1


# Unknown outcome


def test_read_timeout_looks_up_then_resends_missing(send_all, recording_clock):
    api = FakeApi()

    def store_three_then_time_out(request: httpx.Request) -> httpx.Response:
        for customer in orjson.loads(request.content)[:3]:
            api.stored[customer["email"]] = customer
        raise httpx.ReadTimeout("timed out")

    api.script = [store_three_then_time_out]

    outcomes = send_all(api, make_customers(5))

    assert outcomes == [BatchOutcome(1, [0, 1, 2, 3, 4], [], [])]
    assert api.lookups == [lookup_path(key) for key in range(5)]
    assert api.uploads == [[email(key) for key in range(5)], [email(3), email(4)]]
    assert sorted(api.stored) == sorted(email(key) for key in range(5))
    assert recording_clock.waits == [0.75]


def test_dropped_connection_after_store_no_resend(send_all):
    api = FakeApi()

    def store_then_drop(request: httpx.Request) -> httpx.Response:
        api.store(request)
        raise httpx.RemoteProtocolError("Server disconnected without sending a response.")

    api.script = [store_then_drop]

    outcomes = send_all(api, make_customers(3))

    assert outcomes == [BatchOutcome(1, [0, 1, 2], [], [])]
    assert len(api.uploads) == 1
    assert api.lookups == [lookup_path(key) for key in range(3)]


def test_504_looks_up_before_resend(send_all):
    api = FakeApi()

    def store_then_504(request: httpx.Request) -> httpx.Response:
        api.store(request)
        return httpx.Response(504)

    api.script = [store_then_504]

    outcomes = send_all(api, make_customers(2))

    assert outcomes == [BatchOutcome(1, [0, 1], [], [])]
    assert len(api.uploads) == 1
    assert len(api.lookups) == 2


def test_504_exhausted_settles_before_failing(send_all):
    api = FakeApi()

    def store_first_then_504(request: httpx.Request) -> httpx.Response:
        first = orjson.loads(request.content)[0]
        api.stored.setdefault(first["email"], first)
        return httpx.Response(504)

    api.script = [store_first_then_504] * 2

    outcomes = send_all(api, make_customers(3), max_attempts=2)

    message = "gave up after 2 attempts; the last response was HTTP 504 Gateway Timeout"
    assert outcomes == [BatchOutcome(1, [0, 1], [], [(2, message)])]
    assert api.uploads == [[email(0), email(1), email(2)], [email(1), email(2)]]


def test_read_timeout_exhausted_raises(send_all):
    api = FakeApi(*[httpx.ReadTimeout("timed out")] * 2)

    with pytest.raises(ApiUnreachable) as raised:
        send_all(api, make_customers(2), max_attempts=2)

    assert raised.value.last_error == "ReadTimeout: timed out"
    assert len(api.uploads) == 2
    assert len(api.lookups) == 2


def test_lookup_failing_fails_customer(send_all):
    def lookups_fail(request: httpx.Request) -> httpx.Response:
        if request.method == "GET":
            return httpx.Response(500)
        raise httpx.ReadError("connection reset")

    outcomes = send_all(lookups_fail, make_customers(1))

    message = (
        "the API may have stored this customer, but looking it up by email failed with "
        "HTTP 500 Internal Server Error; check whether it exists before sending it again"
    )
    assert outcomes == [BatchOutcome(1, [], [], [(0, message)])]


def test_maybe_stored_items_looked_up_first(send_all):
    api = FakeApi()
    api.stored[email(1)] = {"email": email(1)}
    items = [
        Outgoing(0, {"email": email(0)}, maybe_stored=True),
        Outgoing(1, {"email": email(1)}, maybe_stored=True),
        Outgoing(2, {"email": email(2)}),
    ]

    outcomes = send_all(api, items)

    assert api.lookups == [lookup_path(0), lookup_path(1)]
    assert api.uploads == [[email(0), email(2)]]
    assert outcomes == [BatchOutcome(1, [1, 0, 2], [], [])]


# Progress, journal and streaming


class RecordingCollector:
    def __init__(self) -> None:
        self.events: list[tuple] = []

    def batch_sent(self, batch_id, size):
        self.events.append(("batch_sent", batch_id, size))

    def retry(self, batch_id, status_or_error, wait):
        self.events.append(("retry", batch_id, status_or_error, wait))

    def batch_done(self, outcome):
        self.events.append(("batch_done", outcome))


class RecordingJournal:
    def __init__(self) -> None:
        self.events: list[tuple] = []

    def record_pending(self, batch_id, keys):
        self.events.append(("pending", batch_id, list(keys)))

    def record_sent(self, batch_id, keys):
        self.events.append(("sent", batch_id, list(keys)))

    def record_unknown(self, batch_id, keys):
        self.events.append(("unknown", batch_id, list(keys)))

    def record_outcome(self, outcome):
        self.events.append(("outcome", outcome))


def test_collector_receives_events(send_all):
    collector = RecordingCollector()
    api = FakeApi(httpx.Response(503), httpx.ConnectError("[Errno 111] Connection refused"))

    outcomes = send_all(api, make_customers(2), collector=collector)

    assert collector.events == [
        ("batch_sent", 1, 2),
        ("retry", 1, 503, 0.75),
        ("retry", 1, "ConnectError: [Errno 111] Connection refused", 1.25),
        ("batch_done", outcomes[0]),
    ]


def test_journal_follows_unknown_outcome(send_all):
    journal = RecordingJournal()
    api = FakeApi(httpx.ReadTimeout("timed out"))

    outcomes = send_all(api, make_customers(2), journal=journal)

    assert journal.events == [
        ("pending", 1, [0, 1]),
        ("sent", 1, [0, 1]),
        ("unknown", 1, [0, 1]),
        ("sent", 1, [0, 1]),
        ("outcome", outcomes[0]),
    ]


def test_items_read_lazily(connection, recording_clock):
    pulled = 0

    def items():
        nonlocal pulled
        for item in make_customers(1000):
            pulled += 1
            yield item

    with CustomerSender(
        connection,
        SendSettings(batch_size=10, concurrency=1),
        transport=httpx.MockTransport(FakeApi()),
        clock=recording_clock.clock(),
    ) as sender:
        outcomes = sender.send(items())
        first = next(outcomes)
        # Two batches in flight, and the batcher has read the first customer of the third.
        assert pulled == 21
        rest = list(outcomes)

    assert first.batch_id == 1
    assert len(rest) == 99


def test_concurrency_limits_batches_in_flight(send_all):
    api = FakeApi()
    running = 0
    max_running = 0
    lock = threading.Lock()

    def slow_store(request: httpx.Request) -> httpx.Response:
        nonlocal running, max_running
        with lock:
            running += 1
            max_running = max(max_running, running)
        # The mock server is slow on purpose, so that batches overlap.
        time.sleep(0.02)
        with lock:
            running -= 1
        return api.store(request)

    outcomes = send_all(slow_store, make_customers(100), batch_size=5, concurrency=3)

    assert 1 < max_running <= 3
    assert [outcome.batch_id for outcome in outcomes] == list(range(1, 21))
    assert sorted(key for outcome in outcomes for key in outcome.accepted) == keys_of(100)
    assert len(api.stored) == 100


def test_closing_send_early_stops_sending(connection, recording_clock):
    api = FakeApi()
    with CustomerSender(
        connection,
        SendSettings(batch_size=10, concurrency=1),
        transport=httpx.MockTransport(api),
        clock=recording_clock.clock(),
    ) as sender:
        outcomes = sender.send(make_customers(1000))
        next(outcomes)
        outcomes.close()

    # Batch 2 was queued when batch 1 finished and may have been sent; no other batch was.
    assert len(api.uploads) <= 2
