"""SQLite storage of the sandbox's customers and notes, kept apart per tenant.

Each customer is stored as its JSON document (as the API returns it) plus
indexed key columns: the lower-cased email, customerRef and
alternateCustomerRef. Unique indexes on ``(tenant, key)`` ensure that a key
belongs to at most one customer of a tenant. A deleted customer's keys are set
to NULL, so they can be used again.

One connection serves every thread and a lock serializes its use, because the
sandbox calls the store from Starlette's thread pool.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterable

from importer.sandbox.uniqueness import FieldError, customer_keys, existing_key_message

_SCHEMA = """
CREATE TABLE IF NOT EXISTS customers (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant TEXT NOT NULL,
    id TEXT NOT NULL UNIQUE,
    email_key TEXT,
    customer_ref TEXT,
    alternate_customer_ref TEXT,
    deleted INTEGER NOT NULL DEFAULT 0,
    document TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS customers_email ON customers (tenant, email_key);
CREATE UNIQUE INDEX IF NOT EXISTS customers_ref ON customers (tenant, customer_ref);
CREATE UNIQUE INDEX IF NOT EXISTS customers_alternate_ref
    ON customers (tenant, alternate_customer_ref);
CREATE TABLE IF NOT EXISTS notes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant TEXT NOT NULL,
    id TEXT NOT NULL UNIQUE,
    customer_id TEXT NOT NULL REFERENCES customers (id),
    document TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS notes_customer ON notes (tenant, customer_id);
"""

# Column of each field a customer can be looked up by. Only these names are
# ever put into SQL text.
LOOKUP_COLUMNS = {
    "id": "id",
    "email": "email_key",
    "customerRef": "customer_ref",
    "alternateCustomerRef": "alternate_customer_ref",
}
SEARCH_FIELDS = ("email", "firstName", "lastName", "mobile", "phone")

# Fields the API sets itself; they are not part of what a client sends.
SERVER_FIELDS = ("id", "createdDate", "lastModifiedDate", "deleted")

# Fields removed when a customer is deleted: everything that identifies the
# person. The de-identified record keeps its id, dates, loyalty fields and
# marketing preferences.
IDENTIFYING_FIELDS = (
    "email",
    "customerRef",
    "alternateCustomerRef",
    "firstName",
    "lastName",
    "mobile",
    "phone",
    "dob",
    "addresses",
    "attributeGroups",
)

CustomerCheck = Callable[[dict], list[FieldError]]


class CustomerRejected(Exception):
    """A write was not made because of these problems (invalid fields or keys in use)."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__(f"{len(errors)} problem(s)")
        self.errors = errors


def utc_timestamp() -> str:
    """Return the current time as ISO 8601 UTC with milliseconds, such as 2023-05-19T03:48:22.075Z."""
    now = dt.datetime.now(dt.UTC)
    return now.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def client_fields(document: dict) -> dict:
    """Return a stored customer without the fields the API sets itself."""
    return {key: value for key, value in document.items() if key not in SERVER_FIELDS}


def _customer_document(customer_id: str, fields: dict, created: str, modified: str) -> dict:
    return {"id": customer_id, **fields, "createdDate": created, "lastModifiedDate": modified}


class SandboxStore:
    """Customers and notes of every tenant in one SQLite database."""

    def __init__(self, db_path: str | None = None) -> None:
        self._lock = threading.Lock()
        self._connection = sqlite3.connect(db_path or ":memory:", check_same_thread=False)
        self._connection.row_factory = sqlite3.Row
        with self._connection:
            self._connection.executescript(_SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._connection.close()

    # Customers

    def add_customers(self, tenant: str, customers: list[dict]) -> list[dict]:
        """Store every customer of a batch, or none of them.

        Raises CustomerRejected, naming each customer's index, when a key of
        the batch already belongs to a customer of the tenant.
        """
        with self._lock:
            keyed = [(index, customer_keys(customer)) for index, customer in enumerate(customers)]
            errors = self._find_keys_in_use(tenant, keyed, exclude_id=None)
            if errors:
                raise CustomerRejected(errors)

            stamp = utc_timestamp()
            documents = [
                _customer_document(str(uuid.uuid4()), customer, stamp, stamp)
                for customer in customers
            ]
            with self._connection:
                self._connection.executemany(
                    "INSERT INTO customers (tenant, id, email_key, customer_ref,"
                    " alternate_customer_ref, document) VALUES (?, ?, ?, ?, ?, ?)",
                    [_customer_row(tenant, document) for document in documents],
                )
            return documents

    def find_keys_in_use(self, tenant: str, customers: list[object]) -> list[FieldError]:
        """Report each key of a batch that already belongs to a customer of the tenant."""
        keyed = [
            (index, customer_keys(customer))
            for index, customer in enumerate(customers)
            if isinstance(customer, dict)
        ]
        with self._lock:
            return self._find_keys_in_use(tenant, keyed, exclude_id=None)

    def get_customer(self, tenant: str, by: str, value: str) -> dict | None:
        """Return the customer (not deleted) whose ``by`` field is ``value``, or None.

        ``by`` is one of LOOKUP_COLUMNS. Emails are compared regardless of case.
        """
        with self._lock:
            row = self._find_row(tenant, by, value)
            return json.loads(row["document"]) if row else None

    def update_customer(self, tenant: str, by: str, value: str, changes: dict,
                        check: CustomerCheck) -> dict | None:
        """Apply ``changes`` to a customer and return it, or None when it is not found.

        Each top-level field in ``changes`` replaces the stored one and the
        other fields are kept. ``check`` validates the merged customer. Raises
        CustomerRejected when it finds problems or when a changed key belongs
        to another customer of the tenant.
        """
        with self._lock:
            row = self._find_row(tenant, by, value)
            if row is None:
                return None
            stored = json.loads(row["document"])
            merged = {**client_fields(stored), **changes}
            keyed = [(None, customer_keys(merged))]
            errors = check(merged) + self._find_keys_in_use(tenant, keyed, exclude_id=stored["id"])
            if errors:
                raise CustomerRejected(errors)

            document = _customer_document(stored["id"], merged, stored["createdDate"], utc_timestamp())
            self._write_customer(tenant, document, deleted=False)
            return document

    def delete_customer(self, tenant: str, by: str, value: str) -> bool:
        """De-identify a customer and delete its notes; False when it is not found."""
        with self._lock:
            row = self._find_row(tenant, by, value)
            if row is None:
                return False
            stored = json.loads(row["document"])
            remaining = {
                key: item
                for key, item in client_fields(stored).items()
                if key not in IDENTIFYING_FIELDS
            }
            document = _customer_document(stored["id"], remaining, stored["createdDate"], utc_timestamp())
            document["deleted"] = True
            self._write_customer(tenant, document, deleted=True)
            with self._connection:
                self._connection.execute(
                    "DELETE FROM notes WHERE tenant = ? AND customer_id = ?", (tenant, stored["id"])
                )
            return True

    def search_customers(self, tenant: str, criteria: dict[str, str]) -> list[dict]:
        """Return the customers (not deleted) that match every criterion, in creation order.

        Criteria are SEARCH_FIELDS. The email is compared regardless of case
        and the other fields exactly.
        """
        clauses = ["tenant = ?", "deleted = 0"]
        parameters: list[str] = [tenant]
        for name, value in criteria.items():
            if name not in SEARCH_FIELDS:
                raise ValueError(f"Cannot search customers by {name!r}.")
            if name == "email":
                clauses.append("email_key = ?")
                parameters.append(customer_keys({"email": value}).get("email", ""))
            else:
                clauses.append(f"json_extract(document, '$.{name}') = ?")
                parameters.append(value)
        query = f"SELECT document FROM customers WHERE {' AND '.join(clauses)} ORDER BY seq"
        with self._lock:
            rows = self._connection.execute(query, parameters).fetchall()
        return [json.loads(row["document"]) for row in rows]

    def list_customers(self, tenant: str) -> list[dict]:
        """Return every customer of a tenant in creation order, deleted ones included.

        Each document gets a ``deleted`` flag (true or false).
        """
        with self._lock:
            rows = self._connection.execute(
                "SELECT document, deleted FROM customers WHERE tenant = ? ORDER BY seq", (tenant,)
            ).fetchall()
        return [{**json.loads(row["document"]), "deleted": bool(row["deleted"])} for row in rows]

    def reset(self) -> None:
        """Delete every customer and note of every tenant."""
        with self._lock, self._connection:
            self._connection.execute("DELETE FROM notes")
            self._connection.execute("DELETE FROM customers")

    # Notes

    def add_note(self, tenant: str, by: str, value: str, text: str) -> dict | None:
        """Add a note to the customer whose ``by`` field is ``value``; None when it is not found."""
        with self._lock:
            row = self._find_row(tenant, by, value)
            if row is None:
                return None
            stamp = utc_timestamp()
            note = {
                "id": str(uuid.uuid4()),
                "customerId": row["id"],
                "note": text,
                "createdDate": stamp,
                "lastModifiedDate": stamp,
            }
            with self._connection:
                self._connection.execute(
                    "INSERT INTO notes (tenant, id, customer_id, document) VALUES (?, ?, ?, ?)",
                    (tenant, note["id"], row["id"], json.dumps(note)),
                )
            return note

    def update_note(self, tenant: str, note_id: str, text: str) -> dict | None:
        """Replace the text of a note and return the note, or None when it is not found."""
        with self._lock:
            found = self._select_notes(tenant, "id", note_id)
            if not found:
                return None
            note = {**found[0], "note": text, "lastModifiedDate": utc_timestamp()}
            with self._connection:
                self._connection.execute(
                    "UPDATE notes SET document = ? WHERE id = ?", (json.dumps(note), note_id)
                )
            return note

    def list_notes(self, tenant: str, *, note_id: str | None = None,
                   customer_id: str | None = None) -> list[dict]:
        """Return one note by its id, or every note of a customer, in creation order."""
        column, value = _note_filter(note_id, customer_id)
        with self._lock:
            return self._select_notes(tenant, column, value)

    def delete_notes(self, tenant: str, *, note_id: str | None = None,
                     customer_id: str | None = None) -> list[dict]:
        """Delete one note by its id, or every note of a customer, and return what was deleted."""
        column, value = _note_filter(note_id, customer_id)
        with self._lock:
            notes = self._select_notes(tenant, column, value)
            with self._connection:
                self._connection.executemany(
                    "DELETE FROM notes WHERE id = ?", [(note["id"],) for note in notes]
                )
            return notes

    # Helpers; the caller holds the lock.

    def _find_row(self, tenant: str, by: str, value: str) -> sqlite3.Row | None:
        column = LOOKUP_COLUMNS[by]
        if by == "email":
            value = customer_keys({"email": value}).get("email", "")
        return self._connection.execute(
            f"SELECT id, document FROM customers WHERE tenant = ? AND {column} = ? AND deleted = 0",
            (tenant, value),
        ).fetchone()

    def _find_keys_in_use(self, tenant: str, keyed: Iterable[tuple[int | None, dict[str, str]]],
                          exclude_id: str | None) -> list[FieldError]:
        errors = []
        for index, keys in keyed:
            for name, value in keys.items():
                row = self._connection.execute(
                    f"SELECT id FROM customers WHERE tenant = ? AND {LOOKUP_COLUMNS[name]} = ?",
                    (tenant, value),
                ).fetchone()
                if row is not None and row["id"] != exclude_id:
                    errors.append(FieldError(name, existing_key_message(name, value), index))
        return errors

    def _select_notes(self, tenant: str, column: str, value: str) -> list[dict]:
        rows = self._connection.execute(
            f"SELECT document FROM notes WHERE tenant = ? AND {column} = ? ORDER BY seq",
            (tenant, value),
        ).fetchall()
        return [json.loads(row["document"]) for row in rows]

    def _write_customer(self, tenant: str, document: dict, *, deleted: bool) -> None:
        _, customer_id, email_key, customer_ref, alternate_ref, text = _customer_row(tenant, document)
        with self._connection:
            self._connection.execute(
                "UPDATE customers SET email_key = ?, customer_ref = ?, alternate_customer_ref = ?,"
                " document = ?, deleted = ? WHERE tenant = ? AND id = ?",
                (email_key, customer_ref, alternate_ref, text, int(deleted), tenant, customer_id),
            )


def _customer_row(tenant: str, document: dict) -> tuple:
    keys = customer_keys(document)
    return (
        tenant,
        document["id"],
        keys.get("email"),
        keys.get("customerRef"),
        keys.get("alternateCustomerRef"),
        json.dumps(document),
    )


def _note_filter(note_id: str | None, customer_id: str | None) -> tuple[str, str]:
    if note_id is not None and customer_id is None:
        return "id", note_id
    if customer_id is not None and note_id is None:
        return "customer_id", customer_id
    raise ValueError("Give exactly one of note_id and customer_id.")
