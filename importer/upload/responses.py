"""Reading the API's error responses.

A 400 from ``upload-customers`` may list the invalid customers by their index
in the request body::

    {"errors": [{"index": 3, "field": "email", "message": "email already exists"}]}
"""

from __future__ import annotations

from typing import Any

import httpx
import orjson

# Maximum length, in characters, of a plain-text body quoted in a message.
MAX_QUOTED_TEXT = 300


def per_customer_errors(response: httpx.Response, count: int) -> dict[int, list[str]]:
    """Map each index of a request of ``count`` customers to its error messages.

    A message is ``field: message``, or only the message when the error names
    no field. Errors without a valid index are left out, so an empty result
    means that the response does not say which customers were invalid.
    """
    body = _json_object(response)
    errors = body.get("errors") if body is not None else None
    if not isinstance(errors, list):
        return {}

    messages: dict[int, list[str]] = {}
    for error in errors:
        if not isinstance(error, dict):
            continue
        index = error.get("index")
        if isinstance(index, int) and not isinstance(index, bool) and 0 <= index < count:
            messages.setdefault(index, []).append(_format_error(error))
    return messages


def response_message(response: httpx.Response) -> str:
    """Return the message of an error response, or an empty string when it has none.

    Reads ``message``, ``error`` or ``errors`` from a JSON object, else the
    body's text, shortened to ``MAX_QUOTED_TEXT`` characters.
    """
    body = _json_object(response)
    if body is None:
        return _shorten(response.text.strip())

    for name in ("message", "error"):
        if isinstance(body.get(name), str) and body[name].strip():
            return _shorten(body[name].strip())

    errors = body.get("errors")
    if isinstance(errors, list) and errors:
        return _shorten(" | ".join(_format_error(error) for error in errors))
    return ""


def _json_object(response: httpx.Response) -> dict[str, Any] | None:
    """Return the body as a JSON object, or None when it is not one."""
    try:
        body = orjson.loads(response.content)
    except orjson.JSONDecodeError:
        return None
    return body if isinstance(body, dict) else None


def _shorten(text: str) -> str:
    if len(text) > MAX_QUOTED_TEXT:
        return text[:MAX_QUOTED_TEXT] + "..."
    return text


def _format_error(error: Any) -> str:
    if not isinstance(error, dict):
        return str(error)

    message = error.get("message")
    if not isinstance(message, str) or not message.strip():
        message = "invalid"
    field = error.get("field")
    if isinstance(field, str) and field:
        return f"{field}: {message.strip()}"
    return message.strip()
