"""Text encodings: detected or given, read exactly, or rejected with the line of the first bad byte."""

from pathlib import Path

import pytest

from importer.sources.compression import Source
from importer.sources.csv_reader import DelimitedReader
from importer.sources.errors import SourceError
from importer.sources.options import ReadOptions

DATA = Path(__file__).parent / "data"

EXACT = [
    {
        "Customer ID": "0001", "First Name": "Null", "Last Name": "Ångström", "Email": "ann@example.com",
        "Phone": "+61412345678", "Zip": "0800", "Card": "12345678901234567890",
    },
    {
        "Customer ID": "0002", "First Name": "NA", "Last Name": "Müller-Lüdenscheidt", "Email": "bob@example.com",
        "Phone": "0412345678", "Zip": "02134", "Card": "00012",
    },
    {
        "Customer ID": "0003", "First Name": "None", "Last Name": "Renée O'Brien", "Email": "zoe@example.net",
        "Phone": "+6421555000", "Zip": "", "Card": "6.1234E+11",
    },
]


def reader(name: str, **options) -> DelimitedReader:
    return DelimitedReader(Source(str(DATA / name), DATA / name), ReadOptions(**options))


def records(name: str, **options) -> list[dict[str, str]]:
    found = reader(name, **options)
    found.read_header()
    return [row for chunk in found.read_chunks() for row in chunk.frame.to_dict("records")]


@pytest.mark.parametrize(
    "name, encoding, delimiter",
    [
        ("exact_utf8.csv", "utf-8-sig", ","),
        ("exact_utf8_bom.csv", "utf-8-sig", ","),
        ("exact_latin1.csv", "cp1252", ","),
        ("exact_utf16.txt", "utf-16", "\t"),
    ],
)
def test_encoding_detected_and_values_exact(name, encoding, delimiter):
    found = reader(name)

    assert (found.encoding, found.delimiter) == (encoding, delimiter)
    assert records(name) == EXACT


def test_windows1252_characters_latin1_lacks():
    assert records("windows1252.csv") == [
        {"Email": "ann@example.com", "Note": "5€ off, “quoted”, it’s"},
        {"Email": "bob@example.com", "Note": "café"},
    ]


def test_latin1_given_as_option():
    assert reader("exact_latin1.csv", encoding="latin-1").encoding == "latin-1"
    assert records("exact_latin1.csv", encoding="latin-1") == EXACT


def test_utf8_option_drops_the_byte_order_mark():
    assert list(records("exact_utf8_bom.csv", encoding="utf-8")[0])[0] == "Customer ID"


def test_short_latin1_file_read_as_windows1252():
    assert records("latin1_bytes.csv") == [{"a": "1", "b": "2"}, {"a": "3", "b": "café"}]


def test_mixed_encodings_name_the_line():
    with pytest.raises(SourceError) as error:
        reader("mixed_encoding.csv")

    assert str(error.value) == (
        f"{DATA / 'mixed_encoding.csv'}: line 4: byte 0xE9 is not valid UTF-8, but other lines are UTF-8, so the "
        "file mixes encodings; save the export as UTF-8 (in Excel: CSV UTF-8), or give its encoding with "
        "--encoding, and run again."
    )


def test_undetected_encoding_asks_for_the_option():
    with pytest.raises(SourceError) as error:
        reader("shift_jis.csv")

    assert str(error.value) == (
        f"{DATA / 'shift_jis.csv'}: line 2: byte 0x8E is not valid UTF-8, and the text does not read as "
        "Windows-1252 or Latin-1 either; give the file's encoding with --encoding (for example --encoding cp1250 "
        "or --encoding shift_jis), or save the export as UTF-8 (in Excel: CSV UTF-8)."
    )


def test_encoding_option_reads_other_encodings():
    assert records("shift_jis.csv", encoding="shift_jis") == [
        {"Email": "ann@example.com", "Name": "山田太郎"},
        {"Email": "bob@example.com", "Name": "佐藤花子"},
    ]


def test_wrong_encoding_option_names_the_line_and_byte():
    with pytest.raises(SourceError) as error:
        records("exact_latin1.csv", encoding="utf-8")

    assert str(error.value) == (
        f"{DATA / 'exact_latin1.csv'}: line 2: byte 0xC5 is not valid UTF-8; check the --encoding value, "
        "or save the export as UTF-8 (in Excel: CSV UTF-8) and run again."
    )


def test_late_bad_byte_names_line(tmp_path):
    path = tmp_path / "late.csv"
    lines = ["Email,Name"] + [f"c{number}@example.com,José" for number in range(100_000)]
    path.write_bytes(("\n".join(lines) + "\nlast@example.com,").encode() + b"Ren\xe9e\n")
    found = DelimitedReader(Source("late.csv", path))

    with pytest.raises(SourceError) as error:
        list(found.read_chunks())

    assert str(error.value).startswith("late.csv: line 100002: byte 0xE9 is not valid UTF-8; the start of the file")


def test_late_windows1252_letter_detected(tmp_path):
    path = tmp_path / "late_accent.csv"
    lines = ["Email,Name"] + [f"c{number}@example.com,Ann" for number in range(100_000)] + ["last@example.com,Renée"]
    path.write_bytes("\n".join(lines).encode("cp1252"))
    found = DelimitedReader(Source("late_accent.csv", path))

    assert found.encoding == "cp1252"
    assert list(found.read_chunks())[-1].frame["Name"].iloc[-1] == "Renée"
