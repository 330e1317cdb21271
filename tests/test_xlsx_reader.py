"""Reading Excel workbooks: cells as the text a person reads, sheet choice, header checks."""

from pathlib import Path

import pytest

from importer.sources.compression import Source
from importer.sources.errors import SourceError
from importer.sources.options import ReadOptions
from importer.sources.xlsx_reader import WorkbookReader, column_letter, number_text

DATA = Path(__file__).parent / "data"


def read(name: str, sheet: str | None = None):
    reader = WorkbookReader(Source(str(DATA / name), DATA / name), ReadOptions(sheet=sheet))
    return reader.read_header(), list(reader.read_chunks(chunk_size=1000))


def test_first_visible_sheet_read_as_text():
    header, [chunk] = read("customers.xlsx")

    assert header == ["Customer ID", "Email", "Phone", "Card", "Birthday", "Joined", "VIP", "Spent", "Zip", "Name"]
    assert chunk.frame.to_dict("records") == [
        {
            "Customer ID": "1", "Email": "ann@example.com", "Phone": "61412345678", "Card": "612340000000",
            "Birthday": "1990-05-21", "Joined": "2023-05-19 03:48:22", "VIP": "TRUE", "Spent": "12.5",
            "Zip": "0800", "Name": "Ångström",
        },
        {
            "Customer ID": "2", "Email": "bob@example.com", "Phone": "", "Card": "1234567890123460000",
            "Birthday": "", "Joined": "2023-01-01", "VIP": "FALSE", "Spent": "0.3", "Zip": "02134", "Name": "Null",
        },
        {
            "Customer ID": "3", "Email": "cid@example.com", "Phone": "+6421555000", "Card": "0.00001",
            "Birthday": "2000-02-29", "Joined": "", "VIP": "", "Spent": "0", "Zip": "", "Name": "NA",
        },
    ]


def test_lines_are_sheet_rows_and_empty_rows_are_blank_lines():
    _, [chunk] = read("customers.xlsx")

    assert chunk.lines == [2, 3, 5]
    assert chunk.blank_lines == 1


def test_named_sheet():
    header, [chunk] = read("customers.xlsx", sheet="Loyalty")

    assert header == ["Email", "Tier"]
    assert chunk.frame.to_dict("records") == [{"Email": "dan@example.com", "Tier": "Gold"}]


def test_unknown_sheet_lists_the_sheets():
    with pytest.raises(SourceError) as error:
        read("customers.xlsx", sheet="Customer")

    assert str(error.value) == (
        f"{DATA / 'customers.xlsx'}: the workbook has no sheet 'Customer'; its sheets are 'Notes', 'Customers', 'Loyalty'."
    )


def test_header_that_is_data_names_column_letters():
    with pytest.raises(SourceError) as error:
        read("workbook_header_is_data.xlsx")

    assert str(error.value) == (
        f"{DATA / 'workbook_header_is_data.xlsx'}: sheet 'Sheet1' row 1 looks like data, not a header: "
        "column A 'ann@example.com' is an email address, column C '61412345678' is a number; "
        "add the header row with the column names at the top and run again."
    )


@pytest.mark.parametrize(
    "value, text",
    [
        (1.0, "1"),
        (412345678.0, "412345678"),
        (6.1234e11, "612340000000"),
        (1.2345678901234567e18, "1234567890123460000"),
        (12.5, "12.5"),
        (0.30000000000000004, "0.3"),
        (1e-05, "0.00001"),
        (-0.0, "0"),
        (-42.75, "-42.75"),
    ],
)
def test_number_text(value, text):
    assert number_text(value) == text


@pytest.mark.parametrize("position, letters", [(1, "A"), (26, "Z"), (27, "AA"), (703, "AAA")])
def test_column_letter(position, letters):
    assert column_letter(position) == letters
