"""The customer routes of the Customer API (paths relative to /services/customerservice).

Every customer a client sends is validated with ``check_customer``, the same
function the importer's rules come from, so the importer and the sandbox accept
the same customers.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Awaitable, Callable

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from importer.sandbox.responses import (
    BadRequest,
    DropConnectionResponse,
    error_response,
    invalid_customer_response,
    read_json,
    read_json_object,
    rejected_batch_response,
)
from importer.sandbox.state import request_record, request_tenant, sandbox_state
from importer.sandbox.store import SEARCH_FIELDS, CustomerRejected, SandboxStore
from importer.sandbox.uniqueness import FieldError, find_repeated_keys
from importer.validation.customer_check import check_customer

logger = logging.getLogger(__name__)

Endpoint = Callable[[Request], Awaitable[Response]]


def check_fields(customer: object, today: dt.date, index: int | None = None) -> list[FieldError]:
    """Return the problems ``check_customer`` finds in one customer."""
    return [FieldError.from_problem(problem, index) for problem in check_customer(customer, today)]


def not_found_response(by: str, value: str) -> JSONResponse:
    return error_response(404, f"No customer with {by} '{value}' in this tenant.")


async def create_customer(request: Request) -> Response:
    state, tenant = sandbox_state(request), request_tenant(request)
    customer = await read_json_object(request)

    errors = check_fields(customer, dt.date.today())
    if errors:
        errors += await run_in_threadpool(state.store.find_keys_in_use, tenant, [customer])
        return invalid_customer_response(errors)
    try:
        [document] = await run_in_threadpool(state.store.add_customers, tenant, [customer])
    except CustomerRejected as exc:
        return invalid_customer_response(exc.errors)

    logger.debug("Created customer %s in tenant %s", document["id"], tenant)
    return JSONResponse(document, status_code=201)


async def upload_customers(request: Request) -> Response:
    state, tenant = sandbox_state(request), request_tenant(request)
    customers = await read_json(request)
    if not isinstance(customers, list):
        raise BadRequest("The body of upload-customers must be a JSON array of customers.")
    request_record(request).batch_size = len(customers)

    max_batch = state.settings.faults.max_batch
    if max_batch is not None and len(customers) > max_batch:
        message = (
            f"The batch contains {len(customers)} customers, more than the maximum of"
            f" {max_batch}; send smaller batches."
        )
        return error_response(413, message)

    errors = await run_in_threadpool(_check_batch, state.store, tenant, customers)
    if errors:
        return rejected_batch_response(errors, len(customers))
    try:
        await run_in_threadpool(state.store.add_customers, tenant, customers)
    except CustomerRejected as exc:
        return rejected_batch_response(exc.errors, len(customers))
    logger.debug("Stored a batch of %d customers in tenant %s", len(customers), tenant)

    if state.faults.should_drop():
        logger.info("Dropping the connection after storing %d customers in tenant %s",
                    len(customers), tenant)
        return DropConnectionResponse()
    return JSONResponse({"accepted": len(customers)}, status_code=202)


def _check_batch(store: SandboxStore, tenant: str, customers: list[object]) -> list[FieldError]:
    """Return every problem of a batch, including keys repeated in it or already in use.

    The keys in use are looked up only when the batch has other problems: when
    it has none, ``add_customers`` checks them atomically as it stores the batch.
    """
    today = dt.date.today()
    errors = []
    for index, customer in enumerate(customers):
        errors += check_fields(customer, today, index)
    errors += find_repeated_keys(customers)
    if errors:
        errors += store.find_keys_in_use(tenant, customers)
    return errors


def get_customer_by(by: str) -> Endpoint:
    async def get_customer(request: Request) -> Response:
        state, tenant = sandbox_state(request), request_tenant(request)
        value = request.path_params["key"]
        document = await run_in_threadpool(state.store.get_customer, tenant, by, value)
        if document is None:
            return not_found_response(by, value)
        return JSONResponse(document)

    return get_customer


def update_customer_by(by: str) -> Endpoint:
    async def update_customer(request: Request) -> Response:
        state, tenant = sandbox_state(request), request_tenant(request)
        value = request.path_params["key"]
        changes = await read_json_object(request)
        today = dt.date.today()

        try:
            document = await run_in_threadpool(
                state.store.update_customer, tenant, by, value, changes,
                lambda merged: check_fields(merged, today),
            )
        except CustomerRejected as exc:
            return invalid_customer_response(exc.errors)
        if document is None:
            return not_found_response(by, value)
        logger.debug("Updated customer %s in tenant %s", document["id"], tenant)
        return JSONResponse(document)

    return update_customer


def delete_customer_by(by: str) -> Endpoint:
    async def delete_customer(request: Request) -> Response:
        state, tenant = sandbox_state(request), request_tenant(request)
        value = request.path_params["key"]
        if not await run_in_threadpool(state.store.delete_customer, tenant, by, value):
            return not_found_response(by, value)
        logger.debug("Deleted the customer with %s %s in tenant %s", by, value, tenant)
        return Response(status_code=204)

    return delete_customer


async def search_customers(request: Request) -> Response:
    state, tenant = sandbox_state(request), request_tenant(request)
    criteria = {}
    for name, value in request.query_params.multi_items():
        if name not in SEARCH_FIELDS:
            raise BadRequest(f"Unknown search parameter '{name}'; use {', '.join(SEARCH_FIELDS)}.")
        if value:
            criteria[name] = value
    if not criteria:
        raise BadRequest(f"Give at least one search criterion: {', '.join(SEARCH_FIELDS)}.")

    documents = await run_in_threadpool(state.store.search_customers, tenant, criteria)
    return JSONResponse(documents)


def customer_routes() -> list[Route]:
    """Return the customer routes, in matching order: fixed paths before path parameters."""
    by_id = "/api/v2/customers/{key}"
    by_ref = "/api/v2/customers/{key:path}/ref"
    return [
        Route("/api/v2/customers", create_customer, methods=["POST"]),
        Route("/api/v2/upload-customers", upload_customers, methods=["POST"]),
        Route("/api/v2/customers/search", search_customers, methods=["GET"]),
        Route("/api/v2/customers/email={key:path}", update_customer_by("email"), methods=["PUT"]),
        Route(by_ref, get_customer_by("customerRef"), methods=["GET"]),
        Route(by_ref, update_customer_by("customerRef"), methods=["PUT"]),
        Route(by_ref, delete_customer_by("customerRef"), methods=["DELETE"]),
        Route("/api/v2/customers/{key:path}/email", get_customer_by("email"), methods=["GET"]),
        Route(
            "/api/v2/customers/{key:path}/alternateCustomerRef",
            get_customer_by("alternateCustomerRef"),
            methods=["GET"],
        ),
        Route(by_id, get_customer_by("id"), methods=["GET"]),
        Route(by_id, update_customer_by("id"), methods=["PUT"]),
        Route(by_id, delete_customer_by("id"), methods=["DELETE"]),
    ]
