from pathlib import Path

import pytest

from importer.sources.csv_reader import read_chunks, read_header
from importer.sources.errors import SourceError

DATA = Path(__file__).parent / "data"


def read_all(name: str, chunk_size: int = 1000):
    return list(read_chunks(DATA / name, chunk_size=chunk_size))


def test_values_kept_as_written():
    [chunk] = read_all("text_values.csv")

    rows = chunk.frame.to_dict("records")
    assert rows[0] == {
        "Customer ID": "0001",
        "First Name": "Null",
        "Last Name": "NA",
        "Email": "ann@example.com",
        "Phone": "+61412345678",
        "Zip": "0800",
        "Note": "first line\nsecond line",
    }
    assert rows[1]["First Name"] == "None"
    assert rows[1]["Last Name"] == "nan"
    assert rows[1]["Email"] == "  Bob@Example.com "
    assert rows[1]["Zip"] == "02134"
    assert rows[1]["Note"] == 'said "hi", left'
    assert rows[2]["First Name"] == "José"
    assert rows[2]["Phone"] == ""


def test_record_start_lines_with_line_breaks():
    [chunk] = read_all("text_values.csv")

    assert chunk.lines == [2, 5, 6]
    assert chunk.blank_lines == 1


def test_bom_and_crlf():
    assert read_header(DATA / "bom_crlf.csv") == ["a", "b"]
    [chunk] = read_all("bom_crlf.csv")

    assert chunk.frame.to_dict("records") == [{"a": "x\r\ny", "b": "2"}, {"a": "3", "b": "4"}]
    assert chunk.lines == [2, 4]


def test_ragged_rows_reported_with_lines():
    [chunk] = read_all("ragged.csv")

    assert chunk.frame["a"].tolist() == ["1", "10"]
    assert chunk.lines == [2, 5]
    assert [(bad.line, bad.values) for bad in chunk.malformed] == [(3, ["4", "5"]), (4, ["6", "7", "8", "9"])]


def test_chunks_split_by_size():
    chunks = read_all("ragged.csv", chunk_size=2)

    assert [len(chunk.frame) + len(chunk.malformed) for chunk in chunks] == [2, 2]
    assert [chunk.lines for chunk in chunks] == [[2], [5]]


def test_invalid_utf8_names_line_and_byte():
    with pytest.raises(SourceError) as error:
        read_all("latin1_bytes.csv")

    assert str(error.value) == (
        f"{DATA / 'latin1_bytes.csv'}: line 3: byte 0xE9 is not valid UTF-8; "
        "save the export as UTF-8 (in Excel: CSV UTF-8) and run again."
    )


@pytest.mark.parametrize(
    "name, message",
    [
        ("duplicate_header.csv", "line 1: the header repeats the column name(s) 'a'; rename them."),
        ("blank_header_name.csv", "line 1: the header has empty column names at position(s) 2; give every column a name."),
        ("empty.csv", "the file is empty; export it again with its header row."),
        ("missing.csv", "file not found; check the path."),
    ],
)
def test_header_errors(name, message):
    with pytest.raises(SourceError) as error:
        read_header(DATA / name)

    assert str(error.value) == f"{DATA / name}: {message}"


def test_header_only_file_has_no_rows():
    assert read_header(DATA / "header_only.csv") == ["a", "b"]
    assert read_all("header_only.csv") == []
