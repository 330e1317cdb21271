"""Unit tests of the sandbox's store, credentials check, fault injection and settings."""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from importer.sandbox.faults import FaultInjector, RateLimiter
from importer.sandbox.gate import AuthFailure, check_credentials
from importer.sandbox.settings import FaultSettings, SandboxSettings
from importer.sandbox.store import CustomerRejected, SandboxStore
from importer.sandbox.uniqueness import FieldError, customer_keys, find_repeated_keys
from importer.validation.customer_check import check_customer

TODAY = dt.date(2024, 6, 30)


@pytest.fixture
def store():
    store = SandboxStore()
    yield store
    store.close()


def no_problems(customer: dict) -> list[FieldError]:
    return []


# Store


def test_add_customers_all_or_nothing(store):
    store.add_customers("demo", [{"email": "taken@example.com"}])

    with pytest.raises(CustomerRejected) as raised:
        store.add_customers("demo", [{"email": "new@example.com"}, {"email": "TAKEN@example.com"}])

    assert raised.value.errors == [
        FieldError("email", "A customer with email 'taken@example.com' already exists in this tenant.", 1)
    ]
    assert [customer["email"] for customer in store.list_customers("demo")] == ["taken@example.com"]


def test_tenants_are_separate(store):
    store.add_customers("demo", [{"email": "ann@example.com", "customerRef": "C1"}])
    store.add_customers("acme", [{"email": "ann@example.com", "customerRef": "C1"}])

    assert len(store.list_customers("demo")) == 1
    assert len(store.list_customers("acme")) == 1
    assert store.get_customer("acme", "customerRef", "C1") != store.get_customer("demo", "customerRef", "C1")
    assert store.list_customers("other") == []


def test_empty_refs_are_not_keys(store):
    store.add_customers("demo", [{"email": "a@example.com", "customerRef": ""}])
    store.add_customers("demo", [{"email": "b@example.com", "customerRef": ""}])

    assert len(store.list_customers("demo")) == 2
    assert store.get_customer("demo", "customerRef", "") is None


def test_update_checks_merged_customer(store):
    [created] = store.add_customers("demo", [{"email": "ann@example.com", "firstName": "Ann"}])
    seen = []

    def record_check(customer: dict) -> list[FieldError]:
        seen.append(customer)
        return []

    updated = store.update_customer("demo", "id", created["id"], {"lastName": "Lee"}, record_check)

    assert seen == [{"email": "ann@example.com", "firstName": "Ann", "lastName": "Lee"}]
    assert updated["lastName"] == "Lee"
    assert store.update_customer("demo", "id", "missing", {}, no_problems) is None


def test_update_rejected_by_check_changes_nothing(store):
    [created] = store.add_customers("demo", [{"email": "ann@example.com"}])
    problem = FieldError("dob", "bad date")

    with pytest.raises(CustomerRejected) as raised:
        store.update_customer("demo", "email", "ann@example.com", {"dob": "x"}, lambda customer: [problem])

    assert raised.value.errors == [problem]
    assert store.get_customer("demo", "id", created["id"]) == created


def test_delete_frees_keys_and_removes_notes(store):
    [created] = store.add_customers("demo", [{"email": "ann@example.com", "customerRef": "C1"}])
    note = store.add_note("demo", "customerRef", "C1", "hello")

    assert store.delete_customer("demo", "customerRef", "C1") is True

    assert store.list_notes("demo", note_id=note["id"]) == []
    assert store.get_customer("demo", "id", created["id"]) is None
    assert store.delete_customer("demo", "id", created["id"]) is False
    store.add_customers("demo", [{"email": "ann@example.com", "customerRef": "C1"}])
    assert [customer["deleted"] for customer in store.list_customers("demo")] == [True, False]


def test_search_requires_known_fields(store):
    with pytest.raises(ValueError, match="Cannot search customers by 'customerRef'."):
        store.search_customers("demo", {"customerRef": "C1"})


def test_add_note_unknown_customer(store):
    assert store.add_note("demo", "id", "missing", "hello") is None


def test_concurrent_batches_with_same_email(store):
    barrier = threading.Barrier(8)

    def add(worker: int) -> bool:
        barrier.wait()
        try:
            store.add_customers("demo", [{"email": "same@example.com", "customerRef": f"C{worker}"}])
        except CustomerRejected:
            return False
        return True

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(add, range(8)))

    assert outcomes.count(True) == 1
    assert len(store.list_customers("demo")) == 1


def test_concurrent_distinct_batches(store):
    def add(worker: int) -> None:
        batch = [{"email": f"w{worker}-{index}@example.com"} for index in range(50)]
        store.add_customers("demo", batch)

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(add, range(8)))

    assert len(store.list_customers("demo")) == 400


# Keys


def test_customer_keys_normalizes_email():
    customer = {"email": " Ann@Example.COM ", "customerRef": "C1", "alternateCustomerRef": 5}

    assert customer_keys(customer) == {"email": "ann@example.com", "customerRef": "C1"}


def test_repeated_keys_name_each_other():
    batch = [{"email": "a@example.com"}, {"email": "b@example.com"}, {"email": "A@example.com"}, None]

    assert find_repeated_keys(batch) == [
        FieldError("email", "email 'a@example.com' is also used at index 2 of this batch.", 0),
        FieldError("email", "email 'a@example.com' is also used at index 0 of this batch.", 2),
    ]


# Credentials

TENANTS = {"demo": "demo-token", "acme": "acme-token"}


@pytest.mark.parametrize(
    ("tenant", "token", "expected"),
    [
        ("demo", "demo-token", None),
        (None, "demo-token", AuthFailure(401, "Missing X-TWC-Tenant header; send your tenant key.")),
        ("shop", "demo-token", AuthFailure(401, "Unknown tenant 'shop'; check the X-TWC-Tenant header.")),
        ("demo", None,
         AuthFailure(401, "Missing Authorization header; send the access token of tenant 'demo'.")),
        ("demo", "guess", AuthFailure(401, "Invalid access token for tenant 'demo'.")),
        ("demo", "acme-token", AuthFailure(403, "The access token is not valid for tenant 'demo'.")),
    ],
)
def test_check_credentials(tenant, token, expected):
    assert check_credentials(tenant, token, TENANTS) == expected


# Faults


def test_rate_limiter_retry_after():
    now = [100.0]
    limiter = RateLimiter(2, clock=lambda: now[0])

    assert limiter.acquire("demo") is None
    assert limiter.acquire("demo") is None
    assert limiter.acquire("demo") == 1
    assert limiter.acquire("acme") is None
    now[0] += 0.5
    assert limiter.acquire("demo") is None
    assert limiter.acquire("demo") == 1


def test_rate_limiter_slow_rate():
    now = [0.0]
    limiter = RateLimiter(0.25, clock=lambda: now[0])

    assert limiter.acquire("demo") is None
    now[0] += 1.0
    assert limiter.acquire("demo") == 3
    now[0] += 3.0
    assert limiter.acquire("demo") is None


def test_fault_draws_repeat_with_seed():
    faults = FaultSettings(seed=3, fail_rate=0.5, drop_after_store_rate=0.5)
    first, second = FaultInjector(faults), FaultInjector(faults)

    fail_draws = [first.should_fail() for _ in range(20)]

    assert fail_draws == [second.should_fail() for _ in range(20)]
    assert set(fail_draws) == {True, False}
    first.reset()
    assert [first.should_fail() for _ in range(20)] == fail_draws


def test_fault_draws_independent():
    only_fail = FaultInjector(FaultSettings(seed=3, fail_rate=0.5))
    both = FaultInjector(FaultSettings(seed=3, fail_rate=0.5, drop_after_store_rate=0.5))

    expected = [only_fail.should_fail() for _ in range(20)]
    observed = []
    for _ in range(20):
        both.should_drop()
        observed.append(both.should_fail())

    assert observed == expected


def test_fault_rates_zero_and_one():
    never = FaultInjector(FaultSettings())
    always = FaultInjector(FaultSettings(fail_rate=1.0, drop_after_store_rate=1.0))

    assert [never.should_fail() or never.should_drop() for _ in range(50)] == [False] * 50
    assert [always.should_fail() and always.should_drop() for _ in range(50)] == [True] * 50


# Settings


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"fail_rate": 1.5}, "fail_rate must be between 0 and 1, not 1.5."),
        ({"rate_limit": 0}, "rate_limit must be above 0, not 0."),
        ({"latency_ms": -5}, "latency_ms must be 0 or more, not -5."),
        ({"max_batch": 0}, "max_batch must be 1 or more, not 0."),
    ],
)
def test_fault_settings_rejects(arguments, message):
    with pytest.raises(ValueError, match=message):
        FaultSettings(**arguments)


def test_sandbox_settings_rejects_shared_token():
    with pytest.raises(ValueError, match="Two tenants share an access token"):
        SandboxSettings(tenants={"demo": "same", "acme": "same"})


def test_sandbox_settings_default_demo_tenant():
    assert SandboxSettings().tenants == {"demo": "demo-token"}


# check_customer on shapes that used to raise instead of returning problems


@pytest.mark.parametrize(
    "customer",
    [
        {"email": "a@example.com", "addresses": ["3 Wish Street"]},
        {"email": "a@example.com", "optin_preferences": {"sms": "yes"}},
        {"email": "a@example.com", "attributeGroups": {"crm": "x"}},
        {"email": "a@example.com", "attributeGroups": {"crm": {"attributes": [1]}}},
        {"email": ["a@example.com"]},
        {"email": 42},
    ],
)
def test_check_customer_reports_bad_shapes(customer):
    problems = check_customer(customer, TODAY)

    assert [problem.code for problem in problems] == ["invalid-field"]


def test_check_customer_accepts_null_address():
    assert check_customer({"email": "a@example.com", "addresses": [None]}, TODAY) == []
