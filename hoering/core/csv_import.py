"""Reading an uploaded CSV file into rows of named values, for any import (bodies; users).

What a municipality's spreadsheet gives:

- a header row naming the columns (each column accepts a few spellings, in any order;
  an unknown or repeated column is refused, so a misspelt one never goes unnoticed);
- ``;`` (Danish Excel) or ``,`` between the values, whichever the header row uses;
- UTF-8 with or without the BOM that Excel's "CSV UTF-8" writes, or Excel's older
  "CSV (semikolonsepareret)", which is Windows-1252;
- several values in one cell separated by ``|`` (``Column(multiple=True)``).

Problems of a single line (a missing value, too many cells, a cell a spreadsheet would
run as a formula) are collected with the line's number, and the other lines still read;
problems of the whole file (too big, too many lines, no header, not text) raise
``CsvRefused``. Hostile input is bounded: the file's size, its number of lines and
columns and each cell's length. Values that start like a formula (``=``, ``+``, ``-``,
``@``) are refused: stored, they would run in the spreadsheet of whoever exports them
later (every export also passes through ``hoering.core.csv_safe``).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from flask_babel import gettext as _

from hoering.core.csv_safe import FORMULA_PREFIXES
from hoering.core.errors import DomainError
from hoering.core.formatting import number_in_locale

MAX_BYTES = 1_000_000
MAX_ROWS = 5_000
MAX_COLUMNS = 30
MAX_CELL_CHARS = 1_000
SEPARATOR = "|"
DELIMITERS = (";", ",")
_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


class CsvRefused(DomainError):
    """The file as a whole cannot be read (HTTP 422 when shown)."""

    status_code = 422


@dataclass(frozen=True)
class Column:
    """A column of an import: ``key`` is the name the importer uses, ``headers`` the
    header texts accepted for it (compared without case and surrounding spaces)."""

    key: str
    headers: tuple[str, ...]
    required: bool = False
    multiple: bool = False  # several values in a cell, separated by "|"

    @property
    def label(self) -> str:
        return self.headers[0]


@dataclass(frozen=True)
class Row:
    """One line's values by column key ("" for an empty or absent cell)."""

    line: int
    cells: dict[str, str]

    def value(self, key: str) -> str:
        return self.cells.get(key, "")

    def values(self, key: str) -> list[str]:
        """The cell's values separated by "|", without empty ones."""
        return [part.strip() for part in self.value(key).split(SEPARATOR) if part.strip()]


@dataclass(frozen=True)
class LineError:
    line: int
    message: str


@dataclass
class CsvTable:
    columns: list[Column]  # those in the file, in its order
    rows: list[Row] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)
    delimiter: str = ";"
    encoding: str = "utf-8"

    def has(self, key: str) -> bool:
        return any(column.key == key for column in self.columns)


def decode(data: bytes) -> tuple[str, str]:
    """The file's text and the encoding it was read in."""
    if data.startswith(_UTF16_BOMS):
        raise CsvRefused(_("Filen er gemt som UTF-16 (»Unicode-tekst«). Gem den i stedet som "
                           "»CSV UTF-8« eller »CSV (semikolonsepareret)«."))
    if b"\x00" in data:
        raise CsvRefused(_("Filen er ikke en tekstfil. Gem regnearket som CSV."))
    if data.startswith(_BOM):
        return _decode(data[len(_BOM):], "utf-8"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return _decode(data, "cp1252"), "cp1252"  # Excel's "CSV (semikolonsepareret)"


def _decode(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise CsvRefused(_("Filens tegn kunne ikke læses. Gem regnearket som »CSV UTF-8«.")
                         ) from None


def detect_delimiter(header_line: str) -> str:
    """``;`` or ``,``: the one the header row uses more (``;`` when neither occurs)."""
    counts = {delimiter: header_line.count(delimiter) for delimiter in DELIMITERS}
    return max(DELIMITERS, key=lambda delimiter: counts[delimiter])


def _header(cells: list[str], columns: Sequence[Column]) -> list[Column]:
    by_header = {header.casefold(): column for column in columns for header in column.headers}
    found: list[Column] = []
    for cell in cells:
        name = cell.strip().casefold()
        column = by_header.get(name)
        if column is None:
            expected = ", ".join(column.label for column in columns)
            raise CsvRefused(_("Ukendt kolonne «%(column)s» i overskriften. Kolonnerne kan "
                               "hedde: %(expected)s.", column=cell.strip(), expected=expected))
        if column in found:
            raise CsvRefused(_("Kolonnen «%(column)s» står to gange i overskriften.",
                               column=column.label))
        found.append(column)
    missing = [column.label for column in columns if column.required and column not in found]
    if missing:
        raise CsvRefused(_("Overskriften mangler kolonnen «%(columns)s».",
                           columns="», «".join(missing)))
    return found


def _records(text: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(first line number, cells) of each record that is not blank."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    previous = 0
    try:
        for cells in reader:
            start, previous = previous + 1, reader.line_num
            if any(cell.strip() for cell in cells):
                yield start, cells
    except csv.Error as error:
        raise CsvRefused(_("Linje %(line)d kan ikke læses som CSV (%(error)s).",
                           line=previous + 1, error=error)) from None


def _cell_error(column: Column, value: str) -> str | None:
    if len(value) > MAX_CELL_CHARS:
        return str(_("«%(column)s» er for lang (højst %(n)d tegn).", column=column.label,
                     n=MAX_CELL_CHARS))
    if _CONTROL.search(value):
        return str(_("«%(column)s» indeholder et linjeskift eller et usynligt styretegn.",
                     column=column.label))
    if value.startswith(FORMULA_PREFIXES):
        return str(_("«%(column)s» begynder med «%(char)s», som et regneark læser som en "
                     "formel. Fjern tegnet.", column=column.label, char=value[0]))
    if column.required and not value:
        return str(_("«%(column)s» skal udfyldes.", column=column.label))
    return None


def _row(line: int, cells: list[str], columns: list[Column]) -> Row | LineError:
    extra = [cell for cell in cells[len(columns):] if cell.strip()]
    if extra:
        return LineError(line, _("Linjen har %(cells)d felter, men overskriften kun "
                                 "%(columns)d. Står der et «;» eller «,» i en værdi, så sæt "
                                 "værdien i anførselstegn.", cells=len(cells),
                                 columns=len(columns)))
    values: dict[str, str] = {}
    for index, column in enumerate(columns):
        value = cells[index].strip() if index < len(cells) else ""
        problem = _cell_error(column, value)
        if problem is not None:
            return LineError(line, problem)
        values[column.key] = value
    return Row(line, values)


def _thousands(number: int) -> str:
    return number_in_locale(number)


def read_csv(data: bytes, columns: Sequence[Column], *, max_bytes: int = MAX_BYTES,
             max_rows: int = MAX_ROWS) -> CsvTable:
    """The rows of an uploaded CSV file, and the errors of its lines, for ``columns``."""
    if len(data) > max_bytes:
        raise CsvRefused(_("Filen er for stor: højst %(size)s kB.",
                           size=_thousands(max_bytes // 1000)))
    text, encoding = decode(data)
    first_line = next((line for line in text.splitlines() if line.strip()), None)
    if first_line is None:
        raise CsvRefused(_("Filen er tom. Første linje skal være en overskrift med kolonnernes "
                           "navne."))
    delimiter = detect_delimiter(first_line)
    records = _records(text, delimiter)
    _line, header_cells = next(records)
    if len(header_cells) > MAX_COLUMNS:
        raise CsvRefused(_("Overskriften har %(n)d kolonner; højst %(max)d.",
                           n=len(header_cells), max=MAX_COLUMNS))
    table = CsvTable(_header(header_cells, columns), delimiter=delimiter, encoding=encoding)
    for line, cells in records:
        if len(table.rows) + len(table.errors) >= max_rows:
            raise CsvRefused(_("Filen har mere end %(n)s linjer; del den op.",
                               n=_thousands(max_rows)))
        result = _row(line, cells, table.columns)
        if isinstance(result, LineError):
            table.errors.append(result)
        else:
            table.rows.append(result)
    return table
