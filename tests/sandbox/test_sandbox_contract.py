"""Contract tests: every route and status of the sandbox, over HTTP, with a plain httpx client."""

from __future__ import annotations

import re

import httpx
import pytest
from sandbox_helpers import (
    TIMESTAMP,
    UUID4,
    assert_server_fields,
    client_fields,
    received_requests,
    stored_customers,
)
from sandbox_process import API_PATH

FULL_CUSTOMER = {
    "email": "ann.lee@example.com",
    "customerRef": "CUST-1",
    "alternateCustomerRef": "ALT-1",
    "firstName": "Ann",
    "lastName": "Lee",
    "mobile": "+61412345678",
    "phone": "+61298765432",
    "dob": "28-11-1999",
    "vipStatus": True,
    "loyaltyTier": "GOLD",
    "spendToNextTier": "120.50",
    "joinedStoreId": "SYD-01",
    "memberSince": "01-02-2020",
    "addresses": [
        {
            "address1": "3 Wish Street",
            "city": "Sydney",
            "postcode": "2000",
            "province": "New South Wales",
            "provinceCode": "NSW",
            "country": "Australia",
            "countryCode": "AU",
        }
    ],
    "optin_preferences": {
        "email": {
            "opt_in_active": True,
            "opted_in_at": "2023-05-19T03:48:22.075Z",
            "opt_in_updated_at": "2023-05-19T03:48:22.075Z",
        },
        "sms": {"opt_in_active": False},
    },
    "attributeGroups": {
        "crm": {"attributes": {"account_id": "1234"}, "description": "CRM extras"},
    },
}


def create(api: httpx.Client, customer: dict) -> dict:
    response = api.post("/customers", json=customer)
    assert response.status_code == 201, response.text
    return response.json()


# Sandbox-only routes


def test_health_needs_no_credentials(sandbox_url):
    response = httpx.get(f"{sandbox_url}/_sandbox/health")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_tenant_listing_in_creation_order(api, sandbox_url):
    first = create(api, {"email": "b@example.com"})
    second = create(api, {"email": "a@example.com"})

    listed = stored_customers(sandbox_url)

    assert listed == [{**first, "deleted": False}, {**second, "deleted": False}]


def test_tenant_listing_unknown_tenant(sandbox_url):
    response = httpx.get(f"{sandbox_url}/_sandbox/tenants/nobody/customers")

    assert response.status_code == 404
    assert response.json() == {"message": "Unknown tenant 'nobody'; this sandbox serves: acme, demo."}


def test_reset_forgets_customers_and_requests(api, sandbox_url):
    create(api, {"email": "ann@example.com"})

    response = httpx.post(f"{sandbox_url}/_sandbox/reset")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert stored_customers(sandbox_url) == []
    assert received_requests(sandbox_url) == []


def test_requests_records_each_api_request(api, sandbox_url):
    api.post("/upload-customers", json=[{"email": "a@example.com"}, {"email": "b@example.com"}])
    httpx.get(f"{sandbox_url}{API_PATH}/customers/search", params={"email": "a@example.com"})

    records = received_requests(sandbox_url)

    for record in records:
        assert TIMESTAMP.match(record.pop("time"))
    assert records == [
        {
            "method": "POST",
            "path": "/services/customerservice/api/v2/upload-customers",
            "query": "",
            "tenant": "demo",
            "status": 202,
            "batchSize": 2,
            "dropped": False,
        },
        {
            "method": "GET",
            "path": "/services/customerservice/api/v2/customers/search",
            "query": "email=a%40example.com",
            "tenant": None,
            "status": 401,
            "batchSize": None,
            "dropped": False,
        },
    ]


# Credentials


@pytest.mark.parametrize(
    ("headers", "status", "message"),
    [
        pytest.param({}, 401, "Missing X-TWC-Tenant header; send your tenant key.", id="no-tenant"),
        pytest.param(
            {"X-TWC-Tenant": "nobody", "Authorization": "demo-token"},
            401,
            "Unknown tenant 'nobody'; check the X-TWC-Tenant header.",
            id="unknown-tenant",
        ),
        pytest.param(
            {"X-TWC-Tenant": "demo"},
            401,
            "Missing Authorization header; send the access token of tenant 'demo'.",
            id="no-token",
        ),
        pytest.param(
            {"X-TWC-Tenant": "demo", "Authorization": "wrong-secret"},
            401,
            "Invalid access token for tenant 'demo'.",
            id="wrong-token",
        ),
        pytest.param(
            {"X-TWC-Tenant": "demo", "Authorization": "acme-token"},
            403,
            "The access token is not valid for tenant 'demo'.",
            id="token-of-other-tenant",
        ),
    ],
)
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/upload-customers"),
        ("POST", "/customers"),
        ("GET", "/customers/search?email=a@example.com"),
        ("DELETE", "/customers/CUST-1/ref"),
        ("GET", "/customer/notes?customerRef=CUST-1"),
    ],
)
def test_credentials_checked_on_every_route(sandbox_url, headers, status, message, method, path):
    response = httpx.request(method, f"{sandbox_url}{API_PATH}{path}", headers=headers, json=[])

    assert response.status_code == status
    assert response.json() == {"message": message}


def test_rejected_token_not_echoed(sandbox_url):
    headers = {"X-TWC-Tenant": "demo", "Authorization": "wrong-secret"}

    response = httpx.get(f"{sandbox_url}{API_PATH}/customers/x", headers=headers)

    assert response.status_code == 401
    assert "wrong-secret" not in response.text
    assert "wrong-secret" not in str(received_requests(sandbox_url))


# Create one customer


def test_create_returns_customer_with_server_fields(api):
    response = api.post("/customers", json=FULL_CUSTOMER)

    assert response.status_code == 201
    document = response.json()
    assert_server_fields(document)
    assert document["createdDate"] == document["lastModifiedDate"]
    assert client_fields(document) == FULL_CUSTOMER
    assert list(document)[0] == "id"


def test_create_invalid_customer(api, sandbox_url):
    customer = {"dob": "31-02-2000", "vipStatus": "yes", "addresses": [{"countryCode": "XX"}]}

    response = api.post("/customers", json=customer)

    assert response.status_code == 400
    assert response.json() == {
        "message": "The customer is invalid; nothing was stored.",
        "errors": [
            {"field": "email", "message": "Email is missing; every customer needs one."},
            {"field": "dob", "message": "'31-02-2000' is not a real calendar date."},
            {"field": "vipStatus", "message": "'yes' is not a boolean; send true or false."},
            {
                "field": "addresses[0].countryCode",
                "message": "'XX' is not an ISO 3166-1 alpha-2 country code such as AU, NZ or GB.",
            },
        ],
    }
    assert stored_customers(sandbox_url) == []


def test_create_rejects_calculated_field(api):
    response = api.post("/customers", json={"email": "a@example.com", "totalSpend": "10"})

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "totalSpend", "message": "'totalSpend' is not a Customer field the API accepts."}
    ]


@pytest.mark.parametrize(
    ("second", "field", "message"),
    [
        pytest.param(
            {"email": "ANN.LEE@Example.com"},
            "email",
            "A customer with email 'ann.lee@example.com' already exists in this tenant.",
            id="email-other-case",
        ),
        pytest.param(
            {"email": "other@example.com", "customerRef": "CUST-1"},
            "customerRef",
            "A customer with customerRef 'CUST-1' already exists in this tenant.",
            id="customer-ref",
        ),
        pytest.param(
            {"email": "other@example.com", "alternateCustomerRef": "ALT-1"},
            "alternateCustomerRef",
            "A customer with alternateCustomerRef 'ALT-1' already exists in this tenant.",
            id="alternate-ref",
        ),
    ],
)
def test_create_existing_key(api, sandbox_url, second, field, message):
    create(api, FULL_CUSTOMER)

    response = api.post("/customers", json=second)

    assert response.status_code == 400
    assert response.json() == {
        "message": "The customer is invalid; nothing was stored.",
        "errors": [{"field": field, "message": message}],
    }
    assert len(stored_customers(sandbox_url)) == 1


def test_same_customer_in_two_tenants(api, acme_api, sandbox_url):
    demo_customer = create(api, FULL_CUSTOMER)
    acme_customer = create(acme_api, FULL_CUSTOMER)

    assert demo_customer["id"] != acme_customer["id"]
    assert [customer["id"] for customer in stored_customers(sandbox_url, "demo")] == [demo_customer["id"]]
    assert [customer["id"] for customer in stored_customers(sandbox_url, "acme")] == [acme_customer["id"]]
    assert api.get(f"/customers/{acme_customer['id']}").status_code == 404


@pytest.mark.parametrize(
    ("body", "message"),
    [
        pytest.param(b"", "The request body is empty; send a JSON document.", id="empty"),
        pytest.param(b"[]", "The request body must be a JSON object.", id="array"),
        pytest.param(
            b"{not json",
            "The request body is not valid JSON: Expecting property name enclosed in double quotes:"
            " line 1 column 2 (char 1).",
            id="not-json",
        ),
    ],
)
def test_create_unreadable_body(api, body, message):
    response = api.post("/customers", content=body)

    assert response.status_code == 400
    assert response.json() == {"message": message}


# Upload a batch


def test_upload_accepts_valid_batch(api, sandbox_url):
    batch = [FULL_CUSTOMER, {"email": "bob@example.com", "customerRef": "CUST-2"}]

    response = api.post("/upload-customers", json=batch)

    assert response.status_code == 202
    assert response.json() == {"accepted": 2}
    stored = stored_customers(sandbox_url)
    assert [client_fields(customer) for customer in stored] == [
        {**FULL_CUSTOMER, "deleted": False},
        {"email": "bob@example.com", "customerRef": "CUST-2", "deleted": False},
    ]
    for customer in stored:
        assert_server_fields(customer)


def test_upload_empty_batch(api):
    response = api.post("/upload-customers", json=[])

    assert response.status_code == 202
    assert response.json() == {"accepted": 0}


def test_upload_rejects_whole_batch(api, sandbox_url):
    create(api, {"email": "taken@example.com", "customerRef": "TAKEN"})
    batch = [
        {"email": "good@example.com"},
        {"email": "not-an-email"},
        {"email": "Taken@example.com", "customerRef": "TAKEN"},
        {"email": "twice@example.com", "alternateCustomerRef": "A1"},
        {"email": "TWICE@example.com", "alternateCustomerRef": "A1"},
        "not an object",
    ]

    response = api.post("/upload-customers", json=batch)

    assert response.status_code == 400
    assert response.json() == {
        "message": "5 of 6 customers are invalid; nothing of this batch was stored.",
        "errors": [
            {
                "index": 1,
                "field": "email",
                "message": "'not-an-email' is not a valid email address: An email address must have"
                " an @-sign.",
            },
            {
                "index": 2,
                "field": "email",
                "message": "A customer with email 'taken@example.com' already exists in this tenant.",
            },
            {
                "index": 2,
                "field": "customerRef",
                "message": "A customer with customerRef 'TAKEN' already exists in this tenant.",
            },
            {
                "index": 3,
                "field": "email",
                "message": "email 'twice@example.com' is also used at index 4 of this batch.",
            },
            {
                "index": 3,
                "field": "alternateCustomerRef",
                "message": "alternateCustomerRef 'A1' is also used at index 4 of this batch.",
            },
            {
                "index": 4,
                "field": "email",
                "message": "email 'twice@example.com' is also used at index 3 of this batch.",
            },
            {
                "index": 4,
                "field": "alternateCustomerRef",
                "message": "alternateCustomerRef 'A1' is also used at index 3 of this batch.",
            },
            {"index": 5, "field": "", "message": "A customer must be a JSON object."},
        ],
    }
    assert [customer["email"] for customer in stored_customers(sandbox_url)] == ["taken@example.com"]


def test_upload_existing_key_only(api, sandbox_url):
    create(api, {"email": "taken@example.com"})

    response = api.post("/upload-customers", json=[{"email": "new@example.com"}, {"email": "taken@example.com"}])

    assert response.status_code == 400
    assert response.json() == {
        "message": "1 of 2 customers are invalid; nothing of this batch was stored.",
        "errors": [
            {
                "index": 1,
                "field": "email",
                "message": "A customer with email 'taken@example.com' already exists in this tenant.",
            }
        ],
    }
    assert len(stored_customers(sandbox_url)) == 1


@pytest.mark.parametrize(
    ("customer", "field", "message"),
    [
        pytest.param({"email": "a@example.com", "addresses": ["3 Wish Street"]},
                     "addresses[0]", "'addresses[0]' must be a JSON object.", id="address"),
        pytest.param({"email": "a@example.com", "optin_preferences": {"email": True}},
                     "optin_preferences.email", "'optin_preferences.email' must be a JSON object.",
                     id="optin"),
        pytest.param({"email": "a@example.com", "attributeGroups": {"crm": {"attributes": ["x"]}}},
                     "attributeGroups.crm.attributes",
                     "'attributeGroups.crm.attributes' must be a JSON object.", id="attributes"),
        pytest.param({"email": 42}, "email", "'email' must be a JSON string.", id="email-number"),
        pytest.param({"email": "a@example.com", "addresses[0].city": "Sydney"},
                     "addresses[0].city",
                     "'addresses[0].city' is not a Customer field the API accepts.", id="flat-path"),
    ],
)
def test_upload_malformed_structure(api, customer, field, message):
    response = api.post("/upload-customers", json=[customer])

    assert response.status_code == 400
    assert response.json()["errors"] == [{"index": 0, "field": field, "message": message}]


def test_upload_body_not_array(api):
    response = api.post("/upload-customers", json={"email": "a@example.com"})

    assert response.status_code == 400
    assert response.json() == {"message": "The body of upload-customers must be a JSON array of customers."}


# Look customers up


@pytest.mark.parametrize(
    "path",
    [
        "/customers/{id}",
        "/customers/CUST-1/ref",
        "/customers/Ann.Lee@Example.com/email",
        "/customers/ALT-1/alternateCustomerRef",
    ],
)
def test_get_customer_by_each_key(api, path):
    created = create(api, FULL_CUSTOMER)

    response = api.get(path.format(id=created["id"]))

    assert response.status_code == 200
    assert response.json() == created


def test_get_customer_ref_with_slash(api):
    created = create(api, {"email": "a@example.com", "customerRef": "SHOP/42"})

    response = api.get("/customers/SHOP%2F42/ref")

    assert response.status_code == 200
    assert response.json() == created


def test_get_customer_email_with_plus(api):
    created = create(api, {"email": "ann+shop@example.com"})

    response = api.get("/customers/ann+shop@example.com/email")

    assert response.status_code == 200
    assert response.json() == created


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/customers/0b0e4a4c-4f0e-4f51-9d36-6d2c5b0f0a11",
         "No customer with id '0b0e4a4c-4f0e-4f51-9d36-6d2c5b0f0a11' in this tenant."),
        ("/customers/NOPE/ref", "No customer with customerRef 'NOPE' in this tenant."),
        ("/customers/nobody@example.com/email", "No customer with email 'nobody@example.com' in this tenant."),
        ("/customers/NOPE/alternateCustomerRef", "No customer with alternateCustomerRef 'NOPE' in this tenant."),
    ],
)
def test_get_unknown_customer(api, path, message):
    response = api.get(path)

    assert response.status_code == 404
    assert response.json() == {"message": message}


# Search


def test_search_matches_every_criterion(api):
    ann = create(api, {"email": "ann@example.com", "firstName": "Ann", "lastName": "Lee", "mobile": "0400"})
    create(api, {"email": "ann.b@example.com", "firstName": "Ann", "lastName": "Bell"})
    lee = create(api, {"email": "lee@example.com", "firstName": "Bo", "lastName": "Lee", "phone": "0299"})

    assert api.get("/customers/search", params={"firstName": "Ann", "lastName": "Lee"}).json() == [ann]
    assert api.get("/customers/search", params={"email": "ANN@example.COM"}).json() == [ann]
    assert api.get("/customers/search", params={"lastName": "Lee"}).json() == [ann, lee]
    assert api.get("/customers/search", params={"mobile": "0400"}).json() == [ann]
    assert api.get("/customers/search", params={"phone": "0299", "lastName": "Lee"}).json() == [lee]


def test_search_without_match_is_empty(api):
    create(api, {"email": "ann@example.com", "firstName": "Ann"})

    response = api.get("/customers/search", params={"firstName": "Ann", "lastName": "Nobody"})

    assert response.status_code == 200
    assert response.json() == []


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "Give at least one search criterion: email, firstName, lastName, mobile, phone."),
        ({"email": ""}, "Give at least one search criterion: email, firstName, lastName, mobile, phone."),
        ({"customerRef": "C1"},
         "Unknown search parameter 'customerRef'; use email, firstName, lastName, mobile, phone."),
    ],
)
def test_search_bad_criteria(api, params, message):
    response = api.get("/customers/search", params=params)

    assert response.status_code == 400
    assert response.json() == {"message": message}


# Update


def test_update_by_email_changes_email(api):
    created = create(api, FULL_CUSTOMER)

    response = api.put("/customers/email=Ann.Lee@example.com",
                       json={"email": "ann.new@example.com", "mobile": "+61400000000"})

    assert response.status_code == 200
    updated = response.json()
    assert client_fields(updated) == {**FULL_CUSTOMER, "email": "ann.new@example.com", "mobile": "+61400000000"}
    assert updated["id"] == created["id"]
    assert updated["createdDate"] == created["createdDate"]
    assert TIMESTAMP.match(updated["lastModifiedDate"])
    assert updated["lastModifiedDate"] >= created["lastModifiedDate"]
    assert api.get("/customers/ann.lee@example.com/email").status_code == 404
    assert api.get("/customers/ann.new@example.com/email").json() == updated


def test_update_to_email_of_other_customer(api):
    create(api, {"email": "ann@example.com"})
    create(api, {"email": "bob@example.com"})

    response = api.put("/customers/email=bob@example.com", json={"email": "ANN@example.com"})

    assert response.status_code == 400
    assert response.json() == {
        "message": "The customer is invalid; nothing was stored.",
        "errors": [
            {"field": "email", "message": "A customer with email 'ann@example.com' already exists in this tenant."}
        ],
    }
    assert api.get("/customers/bob@example.com/email").status_code == 200


def test_update_email_case_of_same_customer(api):
    create(api, {"email": "ann@example.com"})

    response = api.put("/customers/email=ann@example.com", json={"email": "Ann@Example.com"})

    assert response.status_code == 200
    assert response.json()["email"] == "Ann@Example.com"


@pytest.mark.parametrize("path", ["/customers/{id}", "/customers/CUST-1/ref"])
def test_update_by_id_or_ref(api, path):
    created = create(api, FULL_CUSTOMER)

    response = api.put(path.format(id=created["id"]), json={"customerRef": "CUST-9", "loyaltyTier": "SILVER"})

    assert response.status_code == 200
    assert client_fields(response.json()) == {**FULL_CUSTOMER, "customerRef": "CUST-9", "loyaltyTier": "SILVER"}
    assert api.get("/customers/CUST-9/ref").json() == response.json()


def test_update_invalid_change(api):
    create(api, FULL_CUSTOMER)

    response = api.put("/customers/CUST-1/ref", json={"dob": "01-01-1850", "email": ""})

    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"field": "email", "message": "Email is missing; every customer needs one."},
        {"field": "dob", "message": "'01-01-1850' is before 1900; check the year."},
    ]
    assert api.get("/customers/CUST-1/ref").json()["dob"] == "28-11-1999"


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/customers/email=nobody@example.com", "No customer with email 'nobody@example.com' in this tenant."),
        ("/customers/NOPE/ref", "No customer with customerRef 'NOPE' in this tenant."),
        ("/customers/no-such-id", "No customer with id 'no-such-id' in this tenant."),
    ],
)
def test_update_unknown_customer(api, path, message):
    response = api.put(path, json={"firstName": "Ann"})

    assert response.status_code == 404
    assert response.json() == {"message": message}


# Delete


@pytest.mark.parametrize("path", ["/customers/{id}", "/customers/CUST-1/ref"])
def test_delete_keeps_deidentified_record(api, sandbox_url, path):
    created = create(api, FULL_CUSTOMER)

    response = api.delete(path.format(id=created["id"]))

    assert response.status_code == 204
    assert response.content == b""
    assert api.get(f"/customers/{created['id']}").status_code == 404
    assert api.get("/customers/CUST-1/ref").status_code == 404
    [record] = stored_customers(sandbox_url)
    assert record["lastModifiedDate"] >= created["lastModifiedDate"]
    assert {key: value for key, value in record.items() if key != "lastModifiedDate"} == {
        "id": created["id"],
        "vipStatus": True,
        "loyaltyTier": "GOLD",
        "spendToNextTier": "120.50",
        "joinedStoreId": "SYD-01",
        "memberSince": "01-02-2020",
        "optin_preferences": FULL_CUSTOMER["optin_preferences"],
        "createdDate": created["createdDate"],
        "deleted": True,
    }


def test_deleted_customer_leaves_search_and_frees_keys(api):
    created = create(api, FULL_CUSTOMER)
    api.delete(f"/customers/{created['id']}")

    assert api.get("/customers/search", params={"firstName": "Ann"}).json() == []
    again = api.post("/customers", json=FULL_CUSTOMER)
    assert again.status_code == 201
    assert again.json()["id"] != created["id"]


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/customers/NOPE/ref", "No customer with customerRef 'NOPE' in this tenant."),
        ("/customers/no-such-id", "No customer with id 'no-such-id' in this tenant."),
    ],
)
def test_delete_unknown_customer(api, path, message):
    response = api.delete(path)

    assert response.status_code == 404
    assert response.json() == {"message": message}


def test_delete_twice(api):
    create(api, FULL_CUSTOMER)

    assert api.delete("/customers/CUST-1/ref").status_code == 204
    assert api.delete("/customers/CUST-1/ref").status_code == 404


# Notes

NOTE_ID = re.compile(UUID4.pattern)


def test_note_lifecycle(api):
    customer = create(api, FULL_CUSTOMER)

    created = api.post("/customer/note", json={"customerId": customer["id"], "note": "Prefers email"})
    assert created.status_code == 200
    note = created.json()
    assert NOTE_ID.match(note["id"])
    assert TIMESTAMP.match(note["createdDate"])
    assert {key: note[key] for key in ("customerId", "note")} == {
        "customerId": customer["id"],
        "note": "Prefers email",
    }
    assert api.get(f"/customer/note/{note['id']}").json() == note

    updated = api.put("/customer/note", json={**note, "note": "Prefers SMS"})
    assert updated.status_code == 200
    assert client_fields(updated.json()) == {"customerId": customer["id"], "note": "Prefers SMS"}

    deleted = api.delete(f"/customer/note/{note['id']}")
    assert deleted.status_code == 200
    assert deleted.json() == updated.json()
    assert api.get(f"/customer/note/{note['id']}").status_code == 404


def test_notes_of_customer_by_id_or_ref(api):
    customer = create(api, FULL_CUSTOMER)
    first = api.post("/customer/note", json={"customerRef": "CUST-1", "note": "first"}).json()
    second = api.post("/customer/note", json={"customerId": customer["id"], "note": "second"}).json()

    assert api.get("/customer/notes", params={"id": customer["id"]}).json() == [first, second]
    assert api.get("/customer/notes", params={"customerRef": "CUST-1"}).json() == [first, second]

    deleted = api.delete("/customer/notes", params={"customerRef": "CUST-1"})
    assert deleted.status_code == 200
    assert deleted.json() == [first, second]
    assert api.get("/customer/notes", params={"id": customer["id"]}).json() == []


def test_deleting_customer_deletes_notes(api):
    customer = create(api, FULL_CUSTOMER)
    note = api.post("/customer/note", json={"customerRef": "CUST-1", "note": "private"}).json()

    api.delete("/customers/CUST-1/ref")

    assert api.get(f"/customer/note/{note['id']}").status_code == 404
    assert api.get("/customer/notes", params={"id": customer["id"]}).status_code == 404


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "message"),
    [
        ("POST", "/customer/note", {"json": {"customerRef": "NOPE", "note": "x"}},
         "No customer with customerRef 'NOPE' in this tenant."),
        ("PUT", "/customer/note", {"json": {"id": "no-such-note", "note": "x"}},
         "No note with id 'no-such-note' in this tenant."),
        ("GET", "/customer/note/no-such-note", {}, "No note with id 'no-such-note' in this tenant."),
        ("DELETE", "/customer/note/no-such-note", {}, "No note with id 'no-such-note' in this tenant."),
        ("GET", "/customer/notes", {"params": {"customerRef": "NOPE"}},
         "No customer with customerRef 'NOPE' in this tenant."),
        ("DELETE", "/customer/notes", {"params": {"id": "no-such-id"}},
         "No customer with id 'no-such-id' in this tenant."),
    ],
)
def test_note_routes_not_found(api, method, path, kwargs, message):
    response = api.request(method, path, **kwargs)

    assert response.status_code == 404
    assert response.json() == {"message": message}


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "message"),
    [
        ("POST", "/customer/note", {"json": {"note": "x"}},
         "Give exactly one of customerId and customerRef to name the customer."),
        ("POST", "/customer/note", {"json": {"customerRef": "CUST-1", "customerId": "x", "note": "x"}},
         "Give exactly one of customerId and customerRef to name the customer."),
        ("POST", "/customer/note", {"json": {"customerRef": "CUST-1", "note": "  "}},
         "'note' must be a non-empty JSON string."),
        ("POST", "/customer/note", {"json": {"customerRef": "CUST-1", "note": "bell\u0007"}},
         "'note' contains the control character U+0007; remove it from the export."),
        ("POST", "/customer/note", {"json": {"customerRef": "CUST-1", "note": "x", "title": "t"}},
         "Unknown note field 'title'; a note has customerId, customerRef, note."),
        ("PUT", "/customer/note", {"json": {"note": "x"}},
         "'id' must name the note to update, as a JSON string."),
        ("GET", "/customer/notes", {}, "Give exactly one of id and customerRef to name the customer."),
    ],
)
def test_note_routes_bad_request(api, method, path, kwargs, message):
    create(api, FULL_CUSTOMER)

    response = api.request(method, path, **kwargs)

    assert response.status_code == 400
    assert response.json() == {"message": message}


# Routing


def test_unknown_route(api):
    response = api.get("/wishlists")

    assert response.status_code == 404
    assert response.json() == {"message": "No route matches GET /services/customerservice/api/v2/wishlists."}


def test_method_not_allowed(api):
    response = api.patch("/customers")

    assert response.status_code == 405
    assert response.headers["Allow"] == "POST"
    assert response.json() == {
        "message": "PATCH is not allowed on /services/customerservice/api/v2/customers; use POST."
    }

