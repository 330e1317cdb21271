"""Turning INPUT arguments into inputs: formats, compression, archives, globs and standard input."""

import gzip
import io
from pathlib import Path

import pytest

from importer.sources.errors import SourceError
from importer.sources.inputs import resolve_inputs
from importer.sources.options import ReadOptions

DATA = Path(__file__).parent / "data"


def rows(item) -> list[dict[str, str]]:
    return [row for chunk in item.chunks() for row in chunk.frame.to_dict("records")]


def test_gzip_input_read_like_the_plain_file(tmp_path):
    [plain] = resolve_inputs([str(DATA / "exact_utf8.csv")], tmp_path)
    [packed] = resolve_inputs([str(DATA / "exact_utf8.csv.gz")], tmp_path)

    assert packed.header == plain.header
    assert rows(packed) == rows(plain)
    assert [chunk.lines for chunk in packed.chunks()] == [[2, 3, 4]]


def test_zip_members_are_inputs(tmp_path):
    inputs = resolve_inputs([str(DATA / "mailchimp_audience.zip")], tmp_path)
    archive = str(DATA / "mailchimp_audience.zip")

    assert [item.name for item in inputs] == [
        f"{archive}!subscribed_members_export_1a2b.csv",
        f"{archive}!unsubscribed_members_export_1a2b.csv",
        f"{archive}!cleaned_members_export_1a2b.csv",
    ]
    assert [item.index for item in inputs] == [0, 1, 2]
    assert [row["Email Address"] for item in inputs for row in rows(item)] == [
        "ann@example.com", "bob@example.com", "cid@example.com",
    ]
    assert [chunk.source for item in inputs for chunk in item.chunks()] == [item.name for item in inputs]


def test_workbook_inside_a_zip(tmp_path):
    [item] = resolve_inputs([str(DATA / "workbook_in_zip.zip")], tmp_path)

    assert item.name == f"{DATA / 'workbook_in_zip.zip'}!export/customers.xlsx"
    assert [row["Email"] for row in rows(item)] == ["ann@example.com", "bob@example.com", "cid@example.com"]


def test_several_inputs_glob_and_stdin_in_order(tmp_path, monkeypatch):
    stdin = io.TextIOWrapper(io.BytesIO(b'[{"email": "stdin@example.com"}]'))
    monkeypatch.setattr("sys.stdin", stdin)

    inputs = resolve_inputs([str(DATA / "exact_utf8*.csv"), "-", str(DATA / "one_column.csv")], tmp_path)

    assert [item.name for item in inputs] == [
        str(DATA / "exact_utf8.csv"), str(DATA / "exact_utf8_bom.csv"), "<stdin>", str(DATA / "one_column.csv"),
    ]
    assert rows(inputs[2]) == [{"email": "stdin@example.com"}]


def test_format_told_by_content_without_suffix(tmp_path):
    path = tmp_path / "export"
    path.write_bytes(gzip.compress(b'{"email": "a@example.com"}\n{"email": "b@example.com"}\n', mtime=0))

    [item] = resolve_inputs([str(path)], tmp_path)

    assert rows(item) == [{"email": "a@example.com"}, {"email": "b@example.com"}]


def test_read_options_reach_every_input(tmp_path):
    [item] = resolve_inputs([str(DATA / "customers.xlsx")], tmp_path, ReadOptions(sheet="Loyalty"))

    assert item.header == ["Email", "Tier"]


def test_empty_input_kept_with_its_reason(tmp_path):
    [item] = resolve_inputs([str(DATA / "empty.csv")], tmp_path)

    assert item.header == []
    assert item.empty == f"{DATA / 'empty.csv'}: the file is empty; export it again with its header row."
    assert list(item.chunks()) == []


@pytest.mark.parametrize(
    "content, name, message",
    [
        (b"\xd0\xcf\x11\xe0rest", "old.xls", "Excel 97-2003 workbooks (.xls) are not read; save the sheet as .xlsx or as CSV UTF-8 and run again."),
        (b"Email\na@example.com\n", "fake.xlsx", "the file is not an Excel workbook; export it again, or rename it to its real type."),
        (gzip.compress(gzip.compress(b"Email\n")), "twice.csv.gz", "the file is compressed twice; decompress it once and run again."),
        (b"PK\x03\x04broken", "broken.zip", "the zip archive cannot be read (File is not a zip file); download or export it again."),
    ],
)
def test_unreadable_formats(tmp_path, content, name, message):
    path = tmp_path / name
    path.write_bytes(content)

    with pytest.raises(SourceError) as error:
        resolve_inputs([str(path)], tmp_path)

    assert str(error.value) == f"{path}: {message}"
