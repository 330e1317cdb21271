"""Reading per-customer errors and messages from the API's error responses."""

from __future__ import annotations

import httpx
import pytest

from importer.upload.responses import MAX_QUOTED_TEXT, per_customer_errors, response_message


def test_per_customer_errors_grouped_by_index():
    response = httpx.Response(
        400,
        json={
            "errors": [
                {"index": 2, "field": "email", "message": "email already exists"},
                {"index": 0, "message": "invalid customer"},
                {"index": 2, "field": "dob", "message": "invalid date"},
            ]
        },
    )

    assert per_customer_errors(response, 3) == {
        2: ["email: email already exists", "dob: invalid date"],
        0: ["invalid customer"],
    }


@pytest.mark.parametrize(
    "body",
    [
        pytest.param({"errors": [{"index": 3, "message": "out of range"}]}, id="index-out-of-range"),
        pytest.param({"errors": [{"index": -1, "message": "negative"}]}, id="negative-index"),
        pytest.param({"errors": [{"index": True, "message": "boolean"}]}, id="boolean-index"),
        pytest.param({"errors": [{"index": "1", "message": "text index"}]}, id="text-index"),
        pytest.param({"errors": [{"field": "email", "message": "no index"}]}, id="no-index"),
        pytest.param({"errors": "invalid"}, id="errors-not-a-list"),
        pytest.param({"message": "invalid"}, id="no-errors"),
        pytest.param([{"index": 0}], id="top-level-list"),
    ],
)
def test_per_customer_errors_without_usable_index(body):
    assert per_customer_errors(httpx.Response(400, json=body), 3) == {}


def test_per_customer_errors_non_json_body():
    assert per_customer_errors(httpx.Response(400, text="<html>Bad Request</html>"), 3) == {}


def test_per_customer_error_without_message():
    response = httpx.Response(400, json={"errors": [{"index": 0, "field": "email"}]})

    assert per_customer_errors(response, 1) == {0: ["email: invalid"]}


@pytest.mark.parametrize(
    ("response", "message"),
    [
        pytest.param(httpx.Response(400, json={"message": " invalid body "}), "invalid body", id="message"),
        pytest.param(httpx.Response(400, json={"error": "bad request"}), "bad request", id="error"),
        pytest.param(
            httpx.Response(400, json={"errors": [{"field": "email", "message": "missing"}, "unreadable"]}),
            "email: missing | unreadable",
            id="errors-without-index",
        ),
        pytest.param(httpx.Response(400, json={"status": 400}), "", id="object-without-message"),
        pytest.param(httpx.Response(400, text=" plain text \n"), "plain text", id="text"),
        pytest.param(httpx.Response(400), "", id="empty"),
    ],
)
def test_response_message(response, message):
    assert response_message(response) == message


def test_response_message_long_text_shortened():
    response = httpx.Response(502, text="x" * 1000)

    assert response_message(response) == "x" * MAX_QUOTED_TEXT + "..."
