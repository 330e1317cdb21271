"""The sender's input items, their grouping into batches, and the outcome of each batch."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import orjson

# Bytes that a JSON array adds around its elements: "[" and "]".
_ARRAY_BRACKETS = 2


@dataclass(frozen=True)
class Outgoing:
    """One customer to send.

    Attributes:
        key: the pipeline's row id, returned unchanged in the outcome.
        customer: the Customer JSON object. It must contain ``email``.
        maybe_stored: true when an earlier run may already have stored this
            customer, so the sender looks it up by email before sending it.
    """

    key: int
    customer: dict
    maybe_stored: bool = False


@dataclass(frozen=True, slots=True)
class EncodedCustomer:
    """A customer serialized once, ready to be joined into request bodies."""

    key: int
    email: str
    json: bytes
    maybe_stored: bool = False


@dataclass(frozen=True)
class Batch:
    """Customers sent together in one request, numbered from 1 in input order."""

    batch_id: int
    customers: list[EncodedCustomer]

    @property
    def keys(self) -> list[int]:
        return [customer.key for customer in self.customers]


@dataclass
class BatchOutcome:
    """The result for each customer of one batch.

    Every key of the batch is in exactly one of the three lists.

    Attributes:
        accepted: keys of the customers the API stored.
        rejected: keys with the API's message, for problem code ``rejected-by-api``.
        failed: keys with the reason they could not be delivered, for problem
            code ``upload-failed``.
    """

    batch_id: int
    accepted: list[int] = field(default_factory=list)
    rejected: list[tuple[int, str]] = field(default_factory=list)
    failed: list[tuple[int, str]] = field(default_factory=list)


def encode_customer(item: Outgoing) -> EncodedCustomer:
    """Serialize one customer with orjson."""
    return EncodedCustomer(
        key=item.key,
        email=item.customer["email"],
        json=orjson.dumps(item.customer),
        maybe_stored=item.maybe_stored,
    )


def encode_body(customers: list[EncodedCustomer]) -> bytes:
    """Join serialized customers into the JSON array sent as a request body."""
    return b"[" + b",".join(customer.json for customer in customers) + b"]"


def body_size(customers: list[EncodedCustomer]) -> int:
    """Return the length in bytes of ``encode_body(customers)`` without building it."""
    separators = max(len(customers) - 1, 0)
    return _ARRAY_BRACKETS + separators + sum(len(customer.json) for customer in customers)


def make_batches(items: Iterable[Outgoing], batch_size: int, max_batch_bytes: int) -> Iterator[Batch]:
    """Group customers into batches of at most ``batch_size`` customers and ``max_batch_bytes`` bytes.

    Reads ``items`` lazily, one batch ahead. A customer whose JSON alone is
    larger than ``max_batch_bytes`` gets a batch of its own, which the sender
    fails without sending.
    """
    batch_id = 0
    customers: list[EncodedCustomer] = []
    size = _ARRAY_BRACKETS

    for item in items:
        customer = encode_customer(item)
        added = len(customer.json) + (1 if customers else 0)

        if customers and (len(customers) == batch_size or size + added > max_batch_bytes):
            batch_id += 1
            yield Batch(batch_id, customers)
            customers = []
            size = _ARRAY_BRACKETS
            added = len(customer.json)

        customers.append(customer)
        size += added

    if customers:
        yield Batch(batch_id + 1, customers)
