"""Reading delimited text: values, record lines, dialects, ragged rows and header checks."""

from pathlib import Path

import pytest

from importer.sources.csv_reader import read_chunks, read_header
from importer.sources.errors import EmptyInput, SourceError
from importer.sources.options import ReadOptions

DATA = Path(__file__).parent / "data"


def read_all(name: str, chunk_size: int = 1000, **options):
    return list(read_chunks(DATA / name, chunk_size=chunk_size, options=ReadOptions(**options)))


def records(name: str, **options) -> list[dict[str, str]]:
    return [row for chunk in read_all(name, **options) for row in chunk.frame.to_dict("records")]


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


def test_cr_line_endings():
    [chunk] = read_all("cr_line_endings.csv")

    assert chunk.frame.to_dict("records") == [
        {"Email": "ann@example.com", "Note": "one\rtwo"},
        {"Email": "bob@example.com", "Note": "x"},
    ]
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


def test_chunks_report_bytes_read():
    [chunk] = read_all("ragged.csv")

    assert chunk.bytes_read == (DATA / "ragged.csv").stat().st_size


def test_tab_delimiter_with_quoted_tabs_and_line_breaks():
    assert records("tab_quoted.tsv") == [
        {"Email": "ann@example.com", "Note": 'has a\ttab, and "quotes"', "Zip": "0800"},
        {"Email": "bob@example.com", "Note": "two\nlines", "Zip": "02134"},
    ]


def test_semicolon_delimiter_keeps_decimal_commas():
    assert records("semicolon.csv") == [
        {"Email": "ann@example.com", "Name": "Ann, Lee", "Spent": "12,50", "Zip": "0800"},
        {"Email": "bob@example.com", "Name": "Bob; Jr", "Spent": "0,99", "Zip": "02134"},
    ]


def test_pipe_delimiter():
    assert records("pipe_separated.txt") == [
        {"Email": "ann@example.com", "Name": "Ann, Lee", "Phone": "+61412345678"},
        {"Email": "bob@example.com", "Name": "Bob; Jr", "Phone": "0412345678"},
    ]


def test_one_column_file_stays_one_column():
    assert records("one_column.csv") == [{"Email": "ann@example.com"}, {"Email": "bob@example.com"}]


def test_delimiter_option_overrides_detection():
    assert read_header(DATA / "semicolon.csv", ReadOptions(delimiter=",")) == ["Email;Name;Spent;Zip"]
    assert records("pipe_separated.txt", delimiter=";")[0] == {"Email|Name|Phone": "ann@example.com|Ann, Lee|+61412345678"}


@pytest.mark.parametrize(
    "name, message",
    [
        ("duplicate_header.csv", "line 1: the header repeats the column name(s) 'a'; rename them."),
        ("blank_header_name.csv", "line 1: the header has empty column names at position(s) 2; give every column a name."),
        ("missing.csv", "file not found; check the path."),
        (
            "header_is_data.csv",
            "line 1 looks like data, not a header: column 1 'ann@example.com' is an email address, "
            "column 4 '0412345678' is a number, column 5 '1990-05-21' is a date; "
            "add the header row with the column names at the top and run again.",
        ),
    ],
)
def test_header_errors(name, message):
    with pytest.raises(SourceError) as error:
        read_header(DATA / name)

    assert str(error.value) == f"{DATA / name}: {message}"


def test_empty_file_is_an_empty_input():
    with pytest.raises(EmptyInput) as error:
        read_header(DATA / "empty.csv")

    assert str(error.value) == f"{DATA / 'empty.csv'}: the file is empty; export it again with its header row."


def test_header_only_file_has_no_rows():
    assert read_header(DATA / "header_only.csv") == ["a", "b"]
    assert read_all("header_only.csv") == []


@pytest.mark.parametrize(
    "header, kind",
    [
        ("ann@example.com", "an email address"),
        ("0412345678", "a number"),
        ("+61 412 345 678", "a number"),
        ("12.50", "a number"),
        ("1990-05-21", "a date"),
        ("21/05/1990", "a date"),
        ("2016-04-18 13:51:14", "a date"),
        ("Email", None),
        ("Address 2", None),
        ("Default Address Zip", None),
        ("_address_default_billing_", None),
        ("Label (customer.metafields.ns.key)", None),
        ("2FA enabled", None),
    ],
)
def test_header_cell_that_is_data(header, kind):
    from importer.sources.header import data_kind

    assert data_kind(header) == kind


def test_every_known_export_header_passes_the_checks():
    from importer.sources.header import check_header

    formats = Path(__file__).resolve().parents[2] / "shared" / "formats"
    if not formats.is_dir():
        pytest.skip("the shared/ folder with the export headers is not beside the repository")
    headers = sorted(formats.glob("*.header.csv"))
    assert len(headers) >= 18
    for path in headers:
        check_header(path.name, "line 1", read_header(path))


def test_unclosed_quote_stops_with_its_line():
    with pytest.raises(SourceError) as error:
        read_all("unclosed_quote.csv")

    assert str(error.value) == (
        f"{DATA / 'unclosed_quote.csv'}: line 3: a quoted field that opens on this line is never closed, "
        "so the rest of the file would be read as one value; add the missing closing quote (\") on this "
        "line, or remove the stray one."
    )


def test_last_record_with_line_break_is_fine():
    [chunk] = read_all("last_record_multiline.csv")

    assert chunk.frame["Note"].tolist() == ["one", "two\nlines"]
    assert chunk.lines == [2, 3]
