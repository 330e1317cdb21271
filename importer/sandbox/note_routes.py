"""The customer note routes of the Customer API (paths relative to /services/customerservice).

The API reference lists these routes and their statuses but not the note's
fields, so the sandbox defines them: a note is
``{"id", "customerId", "note", "createdDate", "lastModifiedDate"}``. A new note
names its customer by ``customerId`` or ``customerRef``, as the wishlist API
names customers. Every success is 200, as the reference documents.
"""

from __future__ import annotations

import logging

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from importer.sandbox.customer_routes import not_found_response
from importer.sandbox.responses import BadRequest, error_response, read_json_object
from importer.sandbox.state import request_tenant, sandbox_state
from importer.validation.rules import text_problem

logger = logging.getLogger(__name__)

# Fields of a stored note that the API sets; a client may send them back in an
# update, and they are ignored.
READ_ONLY_NOTE_FIELDS = ("customerId", "createdDate", "lastModifiedDate")

# Request keys that select a customer, mapped to the store's lookup field.
CUSTOMER_SELECTORS = {"customerId": "id", "customerRef": "customerRef"}
QUERY_SELECTORS = {"id": "id", "customerRef": "customerRef"}


def note_not_found_response(note_id: str) -> JSONResponse:
    return error_response(404, f"No note with id '{note_id}' in this tenant.")


def read_note_text(body: dict) -> str:
    """Return the ``note`` of a request body; raise BadRequest unless it is non-empty text."""
    text = body.get("note")
    if not isinstance(text, str) or not text.strip():
        raise BadRequest("'note' must be a non-empty JSON string.")
    problem = text_problem("note", text)
    if problem is not None:
        raise BadRequest(f"'note' {problem.message}")
    return text


def reject_unknown_fields(body: dict, allowed: tuple[str, ...]) -> None:
    unknown = sorted(set(body) - set(allowed))
    if unknown:
        names = ", ".join(f"'{name}'" for name in unknown)
        raise BadRequest(f"Unknown note field {names}; a note has {', '.join(allowed)}.")


def select_customer(source: dict, selectors: dict[str, str]) -> tuple[str, str]:
    """Return the lookup field and value of the one customer selector in ``source``.

    ``selectors`` maps each accepted key of ``source`` to a lookup field.
    Raises BadRequest unless exactly one of them is given, as a non-empty string.
    """
    selected = [(name, source[name]) for name in selectors if source.get(name) not in (None, "")]
    if len(selected) != 1:
        raise BadRequest(f"Give exactly one of {' and '.join(selectors)} to name the customer.")
    name, value = selected[0]
    if not isinstance(value, str):
        raise BadRequest(f"'{name}' must be a JSON string.")
    return selectors[name], value


async def create_note(request: Request) -> Response:
    state, tenant = sandbox_state(request), request_tenant(request)
    body = await read_json_object(request)
    reject_unknown_fields(body, (*CUSTOMER_SELECTORS, "note"))
    by, value = select_customer(body, CUSTOMER_SELECTORS)
    text = read_note_text(body)

    note = await run_in_threadpool(state.store.add_note, tenant, by, value, text)
    if note is None:
        return not_found_response(by, value)
    logger.debug("Added note %s to customer %s in tenant %s", note["id"], note["customerId"], tenant)
    return JSONResponse(note)


async def update_note(request: Request) -> Response:
    state, tenant = sandbox_state(request), request_tenant(request)
    body = await read_json_object(request)
    reject_unknown_fields(body, ("id", "note", *READ_ONLY_NOTE_FIELDS))
    note_id = body.get("id")
    if not isinstance(note_id, str) or not note_id:
        raise BadRequest("'id' must name the note to update, as a JSON string.")
    text = read_note_text(body)

    note = await run_in_threadpool(state.store.update_note, tenant, note_id, text)
    if note is None:
        return note_not_found_response(note_id)
    return JSONResponse(note)


async def get_note(request: Request) -> Response:
    state, tenant = sandbox_state(request), request_tenant(request)
    note_id = request.path_params["note_id"]
    notes = await run_in_threadpool(state.store.list_notes, tenant, note_id=note_id)
    if not notes:
        return note_not_found_response(note_id)
    return JSONResponse(notes[0])


async def delete_note(request: Request) -> Response:
    """Delete one note and return it."""
    state, tenant = sandbox_state(request), request_tenant(request)
    note_id = request.path_params["note_id"]
    notes = await run_in_threadpool(state.store.delete_notes, tenant, note_id=note_id)
    if not notes:
        return note_not_found_response(note_id)
    return JSONResponse(notes[0])


async def list_customer_notes(request: Request) -> Response:
    return await _customer_notes(request, delete=False)


async def delete_customer_notes(request: Request) -> Response:
    """Delete every note of a customer and return the deleted notes."""
    return await _customer_notes(request, delete=True)


async def _customer_notes(request: Request, *, delete: bool) -> Response:
    state, tenant = sandbox_state(request), request_tenant(request)
    by, value = select_customer(dict(request.query_params), QUERY_SELECTORS)
    customer = await run_in_threadpool(state.store.get_customer, tenant, by, value)
    if customer is None:
        return not_found_response(by, value)

    action = state.store.delete_notes if delete else state.store.list_notes
    notes = await run_in_threadpool(action, tenant, customer_id=customer["id"])
    return JSONResponse(notes)


def note_routes() -> list[Route]:
    return [
        Route("/api/v2/customer/note", create_note, methods=["POST"]),
        Route("/api/v2/customer/note", update_note, methods=["PUT"]),
        Route("/api/v2/customer/note/{note_id}", get_note, methods=["GET"]),
        Route("/api/v2/customer/note/{note_id}", delete_note, methods=["DELETE"]),
        Route("/api/v2/customer/notes", list_customer_notes, methods=["GET"]),
        Route("/api/v2/customer/notes", delete_customer_notes, methods=["DELETE"]),
    ]
