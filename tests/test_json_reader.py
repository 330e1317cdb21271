"""Reading JSON and NDJSON: arrays, wrapping objects, flattened nested fields, exact text values."""

from pathlib import Path

import pytest

from importer.sources.compression import Source
from importer.sources.detect import JSON, NDJSON
from importer.sources.errors import EmptyInput, SourceError
from importer.sources.json_reader import JsonReader

DATA = Path(__file__).parent / "data"


def reader(name: str, kind: str = JSON) -> JsonReader:
    return JsonReader(Source(str(DATA / name), DATA / name), kind)


def read(name: str, kind: str = JSON):
    found = reader(name, kind)
    header = found.read_header()
    return header, list(found.read_chunks(chunk_size=1000))


def test_array_flattened_with_exact_values():
    header, [chunk] = read("customers.json")

    assert header == [
        "id", "email", "first_name", "phone", "total_spent", "score", "verified_email", "accepts_marketing", "note",
        "default_address.city", "default_address.zip", "default_address.country_code",
        "addresses.0.city", "addresses.0.zip", "addresses.1.city", "addresses.1.zip", "tags.0", "tags.1",
    ]
    first, second = chunk.frame.to_dict("records")
    assert first == {
        "id": "7123456789012345678",
        "email": "ann@example.com",
        "first_name": "Null",
        "phone": "+61412345678",
        "total_spent": "1.50",
        "score": "1e5",
        "verified_email": "true",
        "accepts_marketing": "false",
        "note": "",
        "default_address.city": "Zürich",
        "default_address.zip": "0800",
        "default_address.country_code": "CH",
        "addresses.0.city": "Zürich",
        "addresses.0.zip": "0800",
        "addresses.1.city": "Genève",
        "addresses.1.zip": "1201",
        "tags.0": "vip",
        "tags.1": "newsletter",
    }
    assert second["first_name"] == "None"
    assert second["default_address.city"] == "Wellington"
    assert second["addresses.0.city"] == ""


def test_array_lines_are_record_numbers():
    _, [chunk] = read("customers.json")

    assert chunk.lines == [1, 2]


def test_object_holding_the_array():
    header, [chunk] = read("customers_wrapped.json")

    assert header == ["email", "first_name", "default_address.city"]
    assert chunk.frame.to_dict("records") == [
        {"email": "ann@example.com", "first_name": "Ann", "default_address.city": "Perth"},
        {"email": "bob@example.com", "first_name": "Bob", "default_address.city": "Hobart"},
    ]
    assert chunk.lines == [1, 2]


def test_ndjson_lines_blank_and_broken_records():
    header, [chunk] = read("customers.ndjson", NDJSON)

    assert header == ["email", "first_name", "orders", "default_address.city"]
    assert chunk.frame["email"].tolist() == ["ann@example.com", "bob@example.com", "dan@example.com"]
    assert chunk.frame["orders"].tolist() == ["3", "", ""]
    assert chunk.lines == [1, 3, 6]
    assert chunk.blank_lines == 1
    assert [(bad.line, bad.message) for bad in chunk.malformed] == [
        (4, "the line is not valid JSON (Expecting value at column 44); fix it or export the file again"),
        (5, "the record is a JSON array, not an object with named fields"),
    ]


def test_json_file_with_one_object_per_line_read_as_ndjson():
    found = reader("customers_lines.json")
    header, [chunk] = read("customers_lines.json")

    assert found.kind == NDJSON
    assert chunk.frame.to_dict("records") == [
        {"email": "ann@example.com", "first_name": "Ann"},
        {"email": "bob@example.com", "first_name": "Bob"},
    ]


def test_item_that_is_not_an_object_is_malformed():
    _, [chunk] = read("json_not_objects.json")

    assert chunk.frame["email"].tolist() == ["ann@example.com", "cid@example.com"]
    assert chunk.lines == [1, 3]
    assert [(bad.line, bad.message) for bad in chunk.malformed] == [
        (2, "the record is a JSON string or number, not an object with named fields"),
    ]


@pytest.mark.parametrize(
    "name, message",
    [
        ("json_invalid.json", "line 3, column 31: invalid JSON: Expecting ',' delimiter; fix the file or export it again."),
        ("json_two_arrays.json", "the JSON object contains several arrays ('customers', 'orders'); keep only the array of records."),
    ],
)
def test_json_errors(name, message):
    with pytest.raises(SourceError) as error:
        reader(name).read_header()

    assert str(error.value) == f"{DATA / name}: {message}"


def test_empty_array_is_an_empty_input():
    with pytest.raises(EmptyInput) as error:
        reader("json_empty.json").read_header()

    assert str(error.value) == f"{DATA / 'json_empty.json'}: the file contains no records; export it again with its records."


def test_object_without_array(tmp_path):
    path = tmp_path / "single.json"
    path.write_text('{"email": "ann@example.com"}')

    with pytest.raises(SourceError) as error:
        JsonReader(Source("single.json", path), JSON).read_header()

    assert str(error.value) == (
        "single.json: the JSON object contains no array of records; give an array of objects, "
        'an object holding one (such as {"customers": [...]}), or one object per line (NDJSON).'
    )


def test_flattened_name_collision_is_malformed(tmp_path):
    path = tmp_path / "collision.json"
    path.write_text('[{"email": "a@example.com", "a.b": "1", "a": {"b": "2"}}, {"email": "b@example.com"}]')
    found = JsonReader(Source("collision.json", path), JSON)

    found.read_header()
    [chunk] = list(found.read_chunks())

    assert chunk.frame["email"].tolist() == ["b@example.com"]
    assert [(bad.line, bad.message) for bad in chunk.malformed] == [
        (1, "two fields of the record give the column name 'a.b'; rename one of them"),
    ]


def test_records_stream_across_blocks(tmp_path, monkeypatch):
    monkeypatch.setattr("importer.sources.json_reader.BLOCK_SIZE", 7)
    path = tmp_path / "many.json"
    path.write_text("[" + ",\n".join(f'{{"email": "c{n}@example.com", "n": {n}}}' for n in range(50)) + "]")
    found = JsonReader(Source("many.json", path), JSON)

    found.read_header()
    chunks = list(found.read_chunks(chunk_size=20))

    assert [len(chunk.frame) for chunk in chunks] == [20, 20, 10]
    assert chunks[2].frame["n"].tolist() == [str(n) for n in range(40, 50)]
    assert chunks[2].lines == list(range(41, 51))


def test_wrapper_with_empty_array_is_empty(tmp_path):
    path = tmp_path / "none.json"
    path.write_text('{"customers": [], "meta": {"count": 0}}')

    with pytest.raises(EmptyInput) as error:
        JsonReader(Source("none.json", path), JSON).read_header()

    assert str(error.value) == "none.json: the file contains no records; export it again with its records."
