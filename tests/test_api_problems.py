from importer.import_run import api_problems


def test_api_message_split_by_field():
    customer = {"email": "eve@example.com", "customerRef": "1005", "addresses": [{"countryCode": "AU"}]}
    message = (
        "email: A customer with email 'eve@example.com' already exists in this tenant. | "
        "customerRef: A customer with customerRef '1005' already exists in this tenant."
    )

    problems = [(problem.code, problem.field, problem.value, problem.message) for problem in api_problems(customer, message)]

    assert problems == [
        ("rejected-by-api", "email", "eve@example.com", "email: A customer with email 'eve@example.com' already exists in this tenant."),
        ("rejected-by-api", "customerRef", "1005", "customerRef: A customer with customerRef '1005' already exists in this tenant."),
    ]


def test_api_message_without_field_kept_whole():
    problems = api_problems({"email": "eve@example.com"}, "the API responded with HTTP 400 Bad Request")

    assert [(problem.field, problem.value, problem.message) for problem in problems] == [
        ("", "", "the API responded with HTTP 400 Bad Request")
    ]
