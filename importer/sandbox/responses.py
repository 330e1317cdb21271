"""Request bodies and responses shared by the sandbox's routes."""

from __future__ import annotations

import json

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import Receive, Scope, Send

from importer.sandbox.uniqueness import FieldError

# ASGI extension, announced in scope["extensions"] by the sandbox server, that
# closes the connection when the app sends a message of this type.
DROP_CONNECTION = "sandbox.drop_connection"


class BadRequest(Exception):
    """The request cannot be handled as sent, so the sandbox responds 400 with this message."""


def error_response(status_code: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"message": message}, status_code=status_code, headers=headers)


def http_error_response(method: str, path: str, exc: HTTPException) -> JSONResponse:
    """Build the JSON response to a routing error (404, 405), shaped like every other error."""
    if exc.status_code == 404:
        message = f"No route matches {method} {path}."
    elif exc.status_code == 405:
        allowed = (exc.headers or {}).get("Allow", "")
        message = f"{method} is not allowed on {path}; use {allowed}."
    else:
        message = str(exc.detail)
    return error_response(exc.status_code, message, headers=exc.headers)


def invalid_customer_response(errors: list[FieldError]) -> JSONResponse:
    """Build the 400 response for one customer that was not stored, listing each of its problems."""
    body = {
        "message": "The customer is invalid; nothing was stored.",
        "errors": [FieldError(error.field, error.message).to_json() for error in errors],
    }
    return JSONResponse(body, status_code=400)


def rejected_batch_response(errors: list[FieldError], batch_size: int) -> JSONResponse:
    """Build the 400 response for a batch that was not stored, listing every problem of every customer."""
    errors = sorted(errors, key=lambda error: error.index or 0)
    invalid = len({error.index for error in errors})
    body = {
        "message": (
            f"{invalid} of {batch_size} customers are invalid; nothing of this batch was stored."
        ),
        "errors": [error.to_json() for error in errors],
    }
    return JSONResponse(body, status_code=400)


async def read_json(request: Request) -> object:
    """Parse the request body as JSON; raise BadRequest when it is empty or not JSON."""
    body = await request.body()
    if not body.strip():
        raise BadRequest("The request body is empty; send a JSON document.")
    try:
        return json.loads(body)
    except (UnicodeDecodeError, ValueError) as exc:
        raise BadRequest(f"The request body is not valid JSON: {exc}.") from exc


async def read_json_object(request: Request) -> dict:
    document = await read_json(request)
    if not isinstance(document, dict):
        raise BadRequest("The request body must be a JSON object.")
    return document


class DropConnectionResponse(Response):
    """Close the connection without sending any part of a response.

    Only the sandbox server (``importer.sandbox.server``) provides the
    extension this needs; under any other ASGI server it raises RuntimeError.
    """

    def __init__(self) -> None:
        super().__init__(status_code=200)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if DROP_CONNECTION not in scope.get("extensions", {}):
            raise RuntimeError(
                f"The ASGI server does not provide the '{DROP_CONNECTION}' extension,"
                " so the connection cannot be dropped; run the app with importer.sandbox.server."
            )
        await send({"type": DROP_CONNECTION})
