#!/usr/bin/env python3
"""Write the reading tests' input files whose bytes cannot be typed in an editor.

Encodings other than UTF-8, gzip and zip archives, and Excel workbooks. The
output is the same on every run (fixed timestamps), so the files in git only
change when this script does. Run it from anywhere:

    python tests/data/make_reading_files.py
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
FIXED_TIME = (2024, 1, 1, 0, 0, 0)

# The same records in every encoding: leading zeros, a long digit string,
# a + on the phone, names that other tools read as missing, and letters
# outside ASCII that each encoding can hold.
EXACT_HEADER = ["Customer ID", "First Name", "Last Name", "Email", "Phone", "Zip", "Card"]
EXACT_ROWS = [
    ["0001", "Null", "Ångström", "ann@example.com", "+61412345678", "0800", "12345678901234567890"],
    ["0002", "NA", "Müller-Lüdenscheidt", "bob@example.com", "0412345678", "02134", "00012"],
    ["0003", "None", "Renée O'Brien", "zoe@example.net", "+6421555000", "", "6.1234E+11"],
]


def delimited(rows: list[list[str]], delimiter: str = ",", newline: str = "\r\n") -> str:
    def cell(value: str) -> str:
        if any(character in value for character in (delimiter, '"', "\n", "\r")):
            return '"' + value.replace('"', '""') + '"'
        return value

    return "".join(delimiter.join(cell(value) for value in row) + newline for row in rows)


def write_encoded_files() -> None:
    text = delimited([EXACT_HEADER, *EXACT_ROWS])
    (HERE / "exact_utf8.csv").write_bytes(text.encode("utf-8"))
    (HERE / "exact_utf8_bom.csv").write_bytes(text.encode("utf-8-sig"))
    (HERE / "exact_latin1.csv").write_bytes(text.encode("latin-1"))
    # Excel's "Unicode text": UTF-16 little endian with a byte order mark, tab separated.
    (HERE / "exact_utf16.txt").write_bytes(delimited([EXACT_HEADER, *EXACT_ROWS], "\t").encode("utf-16"))
    # Windows-1252 has characters Latin-1 lacks: the euro sign and curly quotes.
    cp1252 = delimited([["Email", "Note"], ["ann@example.com", "5€ off, “quoted”, it’s"], ["bob@example.com", "café"]])
    (HERE / "windows1252.csv").write_bytes(cp1252.encode("cp1252"))
    # UTF-8 at the start, then one Windows-1252 byte on line 4: a file pasted together from two exports.
    mixed = "Email,Name\nann@example.com,José\nbob@example.com,Zoë\ncid@example.com,Ren".encode() + b"\xe9e\n"
    (HERE / "mixed_encoding.csv").write_bytes(mixed)
    # Line endings of classic Mac OS, which old Excel versions still write: CR alone, also inside a quoted field.
    (HERE / "cr_line_endings.csv").write_bytes(b'Email,Note\rann@example.com,"one\rtwo"\rbob@example.com,x\r')
    shift_jis = delimited([["Email", "Name"], ["ann@example.com", "山田太郎"], ["bob@example.com", "佐藤花子"]], newline="\n")
    (HERE / "shift_jis.csv").write_bytes(shift_jis.encode("shift_jis"))


def write_compressed_files() -> None:
    text = delimited([EXACT_HEADER, *EXACT_ROWS], newline="\n").encode("utf-8")
    with open(HERE / "exact_utf8.csv.gz", "wb") as raw:
        with gzip.GzipFile(filename="exact_utf8.csv", mode="wb", fileobj=raw, mtime=0) as target:
            target.write(text)

    header = ["Email Address", "First Name", "Last Name", "MEMBER_RATING", "OPTIN_TIME"]
    members = {
        "subscribed_members_export_1a2b.csv": [["ann@example.com", "Ann", "Lee", "2", "2016-04-18 13:51:14"]],
        "unsubscribed_members_export_1a2b.csv": [["bob@example.com", "Bob", "Ng", "1", "2017-01-02 09:00:00"]],
        "cleaned_members_export_1a2b.csv": [["cid@example.com", "Cid", "Roe", "1", ""]],
    }
    with zipfile.ZipFile(HERE / "mailchimp_audience.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        for name, rows in members.items():
            archive.writestr(zipfile.ZipInfo(name, FIXED_TIME), delimited([header, *rows], newline="\n"))
        archive.writestr(zipfile.ZipInfo("__MACOSX/._subscribed_members_export_1a2b.csv", FIXED_TIME), b"\x00\x05\x16\x07")


# Workbooks: the parts Excel writes, cut to what a reader needs.

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_DATE_STYLE, _DATE_TIME_STYLE = 1, 2


class Number:
    """A number cell written exactly as given, such as 6.1234E+11."""

    def __init__(self, text: str):
        self.text = text


def _column(position: int) -> str:
    letters = ""
    while position:
        position, remainder = divmod(position - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _serial(value: dt.date) -> str:
    if isinstance(value, dt.datetime):
        return repr((value - dt.datetime(1899, 12, 30)).total_seconds() / 86400)
    return str((value - dt.date(1899, 12, 30)).days)


def _sheet_xml(rows: list[list], strings: dict[str, int]) -> str:
    out = []
    for row_number, row in enumerate(rows, start=1):
        cells = []
        for column, value in enumerate(row, start=1):
            ref = f"{_column(column)}{row_number}"
            if value is None:
                continue
            if isinstance(value, bool):
                cells.append(f'<c r="{ref}" t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, dt.datetime):
                cells.append(f'<c r="{ref}" s="{_DATE_TIME_STYLE}"><v>{_serial(value)}</v></c>')
            elif isinstance(value, dt.date):
                cells.append(f'<c r="{ref}" s="{_DATE_STYLE}"><v>{_serial(value)}</v></c>')
            elif isinstance(value, Number):
                cells.append(f'<c r="{ref}"><v>{value.text}</v></c>')
            elif isinstance(value, (int, float)):
                cells.append(f'<c r="{ref}"><v>{value!r}</v></c>')
            else:
                index = strings.setdefault(value, len(strings))
                cells.append(f'<c r="{ref}" t="s"><v>{index}</v></c>')
        out.append(f'<row r="{row_number}">{"".join(cells)}</row>')
    return f'{_XML}<worksheet xmlns="{_MAIN}"><sheetData>{"".join(out)}</sheetData></worksheet>'


def write_workbook(path: Path, sheets: dict[str, list[list]], hidden: tuple[str, ...] = ()) -> None:
    strings: dict[str, int] = {}
    parts = {f"xl/worksheets/sheet{n}.xml": _sheet_xml(rows, strings) for n, rows in enumerate(sheets.values(), 1)}
    sheet_list = "".join(
        '<sheet name="%s" sheetId="%d" r:id="rId%d"%s/>' % (escape(name), n, n, ' state="hidden"' if name in hidden else "")
        for n, name in enumerate(sheets, 1)
    )
    count = len(sheets)
    worksheet_type = f"{_RELS}/worksheet"
    relations = "".join(
        f'<Relationship Id="rId{n}" Type="{worksheet_type}" Target="worksheets/sheet{n}.xml"/>' for n in range(1, count + 1)
    )
    relations += f'<Relationship Id="rId{count + 1}" Type="{_RELS}/styles" Target="styles.xml"/>'
    relations += f'<Relationship Id="rId{count + 2}" Type="{_RELS}/sharedStrings" Target="sharedStrings.xml"/>'
    shared = "".join(f'<si><t xml:space="preserve">{escape(text)}</t></si>' for text in strings)
    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="{content_type}.worksheet+xml"/>'
        for n in range(1, count + 1)
    )
    parts.update({
        "[Content_Types].xml": (
            f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{content_type}.sheet.main+xml"/>{overrides}'
            f'<Override PartName="/xl/styles.xml" ContentType="{content_type}.styles+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{content_type}.sharedStrings+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'{_XML}<Relationships xmlns="{_PACKAGE_RELS}"><Relationship Id="rId1" '
            f'Type="{_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_RELS}"><sheets>{sheet_list}</sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'{_XML}<Relationships xmlns="{_PACKAGE_RELS}">{relations}</Relationships>',
        "xl/styles.xml": (
            f'{_XML}<styleSheet xmlns="{_MAIN}"><fonts count="1"><font/></fonts><fills count="1"><fill/></fills>'
            '<borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="3">'
            '<xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/><xf numFmtId="22" applyNumberFormat="1"/>'
            "</cellXfs></styleSheet>"
        ),
        "xl/sharedStrings.xml": f'{_XML}<sst xmlns="{_MAIN}" count="{len(strings)}" uniqueCount="{len(strings)}">{shared}</sst>',
    })
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml",
                     "xl/sharedStrings.xml", *[f"xl/worksheets/sheet{n}.xml" for n in range(1, count + 1)]]:
            archive.writestr(zipfile.ZipInfo(name, FIXED_TIME), parts[name])


def write_workbooks() -> None:
    customers = [
        ["Customer ID", "Email", "Phone", "Card", "Birthday", "Joined", "VIP", "Spent", "Zip", "Name"],
        [1, "ann@example.com", 61412345678, Number("6.1234E+11"), dt.date(1990, 5, 21), dt.datetime(2023, 5, 19, 3, 48, 22),
         True, 12.5, "0800", "Ångström"],
        [2, "bob@example.com", None, Number("1.2345678901234567E+18"), None, dt.datetime(2023, 1, 1), False,
         Number("0.30000000000000004"), "02134", "Null"],
        [],
        [3, "cid@example.com", "+6421555000", Number("1E-05"), dt.date(2000, 2, 29), None, None, Number("-0"), "", "NA"],
    ]
    other = [["Email", "Tier"], ["dan@example.com", "Gold"]]
    write_workbook(HERE / "customers.xlsx", {"Notes": [["hidden"]], "Customers": customers, "Loyalty": other}, hidden=("Notes",))
    write_workbook(HERE / "workbook_header_is_data.xlsx", {"Sheet1": [["ann@example.com", "Ann", 61412345678]]})
    with open(HERE / "customers.xlsx", "rb") as workbook, zipfile.ZipFile(HERE / "workbook_in_zip.zip", "w") as archive:
        archive.writestr(zipfile.ZipInfo("export/customers.xlsx", FIXED_TIME), workbook.read())


def main() -> None:
    write_encoded_files()
    write_compressed_files()
    write_workbooks()


if __name__ == "__main__":
    main()
