"""Batching by count and by request body size."""

from __future__ import annotations

import orjson
import pytest
from upload_fakes import make_customers

from importer.upload.batches import Outgoing, body_size, encode_body, make_batches


def test_body_size_matches_encoded_body():
    customers = [batch.customers for batch in make_batches(make_customers(5), 5, 10_000)][0]

    assert body_size(customers) == len(encode_body(customers))
    assert body_size(customers[:1]) == len(encode_body(customers[:1]))
    assert body_size([]) == len(encode_body([])) == 2


def test_encoded_body_is_json_array():
    customers = next(make_batches(make_customers(2), 5, 10_000)).customers

    assert orjson.loads(encode_body(customers)) == [
        {"email": "customer0@example.com", "firstName": "First0"},
        {"email": "customer1@example.com", "firstName": "First1"},
    ]


def test_batches_numbered_in_input_order():
    batches = list(make_batches(make_customers(5), 2, 10_000))

    assert [batch.batch_id for batch in batches] == [1, 2, 3]
    assert [batch.keys for batch in batches] == [[0, 1], [2, 3], [4]]


@pytest.mark.parametrize(
    ("max_batch_bytes", "sizes"),
    [
        # Every customer is 54 bytes of JSON: one per body needs 56 bytes, two need 111.
        pytest.param(56, [1, 1, 1, 1], id="one-per-batch"),
        pytest.param(110, [1, 1, 1, 1], id="two-one-byte-short"),
        pytest.param(111, [2, 2], id="two-exact"),
        pytest.param(10_000, [3, 1], id="count-limit"),
    ],
)
def test_batches_limited_by_bytes(max_batch_bytes, sizes):
    batches = list(make_batches(make_customers(4), 3, max_batch_bytes))

    assert [len(batch.customers) for batch in batches] == sizes
    for batch in batches:
        assert body_size(batch.customers) <= max_batch_bytes


def test_oversized_customer_gets_own_batch():
    items = [
        Outgoing(0, {"email": "a@example.com"}),
        Outgoing(1, {"email": "b@example.com", "note": "x" * 200}),
        Outgoing(2, {"email": "c@example.com"}),
    ]

    batches = list(make_batches(items, 10, 100))

    assert [batch.keys for batch in batches] == [[0], [1], [2]]


def test_empty_input_has_no_batches():
    assert list(make_batches([], 10, 1000)) == []


def test_maybe_stored_is_kept():
    items = [Outgoing(0, {"email": "a@example.com"}, maybe_stored=True)]

    customer = next(make_batches(items, 10, 1000)).customers[0]

    assert customer.maybe_stored is True
    assert customer.email == "a@example.com"
    assert customer.json == b'{"email":"a@example.com"}'
