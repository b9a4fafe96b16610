"""The one CSV importer (hoering.core.csv_import): the header, `;` or `,`, UTF-8 with or
without Excel's BOM and Excel's Windows-1252, `|` for several values in a cell, errors per
line with their numbers, and bounds on hostile files. Touches no database."""

from __future__ import annotations

import pytest

from hoering.core.csv_import import (
    MAX_CELL_CHARS,
    Column,
    CsvRefused,
    LineError,
    detect_delimiter,
    read_csv,
)

COLUMNS = (
    Column("name", ("navn", "name"), required=True),
    Column("email", ("e-mail", "email")),
    Column("bodies", ("organer",), multiple=True),
)


def _read(text: str, encoding: str = "utf-8", **limits):
    return read_csv(text.encode(encoding), COLUMNS, **limits)


@pytest.mark.parametrize("delimiter", [";", ","])
def test_either_delimiter_is_found_from_the_header(delimiter):
    table = _read(delimiter.join(["navn", "e-mail"]) + "\n"
                  + delimiter.join(["Anna Jensen", "anna@kommune.dk"]) + "\n")
    assert table.delimiter == delimiter
    assert [row.cells for row in table.rows] == [{"name": "Anna Jensen",
                                                  "email": "anna@kommune.dk"}]


def test_a_comma_inside_a_semicolon_file_is_just_text():
    table = _read('navn;e-mail\n"Jensen, Anna";anna@kommune.dk\nBo, Hansen;bo@kommune.dk\n')
    assert [row.value("name") for row in table.rows] == ["Jensen, Anna", "Bo, Hansen"]


def test_the_detection_prefers_the_more_frequent_and_semicolon_on_a_tie():
    assert detect_delimiter("navn,e-mail;organer,x") == ","
    assert detect_delimiter("navn") == ";"


@pytest.mark.parametrize(("data", "encoding"), [
    ("navn;e-mail\nSøren Ærø;s@k.dk\n".encode(), "utf-8"),
    (b"\xef\xbb\xbf" + "navn;e-mail\nSøren Ærø;s@k.dk\n".encode(), "utf-8-sig"),
    ("navn;e-mail\nSøren Ærø;s@k.dk\n".encode("cp1252"), "cp1252"),
    ("navn;e-mail\r\nSøren Ærø;s@k.dk\r\n".encode("cp1252"), "cp1252"),  # Windows' lines
])
def test_utf8_with_or_without_bom_and_excels_cp1252(data, encoding):
    table = read_csv(data, COLUMNS)
    assert table.encoding == encoding
    assert table.rows[0].value("name") == "Søren Ærø"
    assert table.rows[0].value("email") == "s@k.dk"


def test_the_header_is_matched_without_case_or_spaces_and_in_any_order():
    table = _read(" E-Mail ;NAVN\nanna@k.dk;Anna\n")
    assert [column.key for column in table.columns] == ["email", "name"]
    assert table.rows[0].cells == {"email": "anna@k.dk", "name": "Anna"}
    assert table.has("email") and not table.has("bodies")


def test_several_values_in_one_cell_are_separated_by_a_bar():
    table = _read("navn;organer\nAnna;SOU | KMU||MED \nBo;\n")
    assert table.rows[0].values("bodies") == ["SOU", "KMU", "MED"]
    assert table.rows[1].values("bodies") == []


def test_errors_are_given_per_line_with_its_number_and_the_rest_is_read():
    table = _read(
        "navn;e-mail\n"  # line 1
        "Anna;a@k.dk\n"  # 2
        ";b@k.dk\n"  # 3: no name
        "\n"  # 4: blank, skipped
        "Bo;b@k.dk;ekstra\n"  # 5: a cell too many
        '"Cecilie\nHansen";c@k.dk\n'  # 6-7: a line break in a cell
        "=HYPERLINK(\"x\");d@k.dk\n"  # 8: a formula
        "Dorte;d@k.dk;\n"  # 9: a trailing empty cell is fine
        "Erik\n"  # 10: a missing optional cell is empty
    )
    assert [row.line for row in table.rows] == [2, 9, 10]
    assert table.rows[2].value("email") == ""
    assert [error.line for error in table.errors] == [3, 5, 6, 8]
    messages = {error.line: error.message for error in table.errors}
    assert messages[3] == "«navn» skal udfyldes."
    assert "3 felter" in messages[5]
    assert "linjeskift" in messages[6]
    assert "formel" in messages[8]


@pytest.mark.parametrize("start", ["=", "+", "-", "@"])
def test_a_cell_that_a_spreadsheet_would_run_is_refused(start):
    table = _read(f"navn\n{start}SUM(A1)\n")
    assert table.rows == []
    assert isinstance(table.errors[0], LineError) and "formel" in table.errors[0].message


@pytest.mark.parametrize(("text", "message"), [
    ("", "tom"),
    ("\n\n", "tom"),
    ("e-mail\na@k.dk\n", "mangler kolonnen «navn»"),
    ("navn;telefon\nAnna;1\n", "Ukendt kolonne «telefon»"),
    ("navn;name\nA;B\n", "to gange"),
])
def test_a_file_that_cannot_be_read_is_refused_as_a_whole(text, message):
    with pytest.raises(CsvRefused, match=message):
        _read(text)


def test_utf16_and_binary_files_are_refused_with_advice():
    with pytest.raises(CsvRefused, match="UTF-16"):
        read_csv("navn\nAnna\n".encode("utf-16"), COLUMNS)
    with pytest.raises(CsvRefused, match="ikke en tekstfil"):
        read_csv(b"PK\x03\x04\x00\x00", COLUMNS)
    with pytest.raises(CsvRefused, match="tegn kunne ikke"):
        read_csv(b"navn\n\x81\x8d\x8f\n", COLUMNS)  # neither UTF-8 nor Windows-1252


def test_hostile_files_are_bounded():
    with pytest.raises(CsvRefused, match="for stor"):
        _read("navn\n" + "A\n" * 600, max_bytes=1000)
    with pytest.raises(CsvRefused, match="mere end 3 linjer"):
        _read("navn\nA\nB\nC\nD\n", max_rows=3)
    with pytest.raises(CsvRefused, match="kolonner"):
        _read(";".join(f"k{i}" for i in range(31)) + "\n")
    table = _read("navn\n" + "A" * (MAX_CELL_CHARS + 1) + "\n")
    assert "for lang" in table.errors[0].message
    with pytest.raises(CsvRefused, match="Linje 2"):
        _read('navn\n"Anna\n')  # a quote never closed
