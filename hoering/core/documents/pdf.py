"""The text layer of a PDF, read with pypdf under bounds.

pypdf's plain extraction decides where lines end and where spaces go; its
``visitor_text`` callback gives, for each piece of text, the matrices and font it was
drawn with, so every line gets its baseline, left edge, size and boldness (see
``pdf_layout`` for what is made of them). Pieces on one baseline (a bullet glyph and
its text, a superscript) are one line.

Bounds and refusals: more than ``limits.MAX_PAGES`` pages → ``too_large``; the
deadline is checked before each page → ``too_slow``; a file pypdf cannot parse, one
cut short (no ``%%EOF`` near its end) or any error inside pypdf → ``damaged``; a file
encrypted with a password (one that opens with the empty password is read) →
``damaged`` with its own message; fewer than a third of the pages with 25 letters of
text after furniture is stripped → ``no_text_layer``. pypdf itself caps what one
stream may inflate to (``pypdf.filters.ZLIB_MAX_OUTPUT_LENGTH``, 75 MB).
"""

from __future__ import annotations

import io
import math
import re
from typing import Any

from pypdf import PageObject, PdfReader

from hoering.core.documents import limits
from hoering.core.documents.limits import (
    DAMAGED,
    ENCRYPTED_MESSAGE,
    NO_TEXT_LAYER,
    Deadline,
    DocumentText,
    TextBudget,
    UnreadableDocument,
)
from hoering.core.documents.pdf_layout import Line, assemble, strip_furniture
from hoering.core.documents.text import TextBuilder

MIN_LETTERS = 25  # on a page that has a text layer
MIN_TEXT_PAGES = 1 / 3
EOF_WINDOW = 4096
_BOLD = re.compile(r"bold|black|heavy|semibold|demi|,b\b", re.IGNORECASE)
_LETTER = re.compile(r"[^\W\d_]")

Matrix = list[float]


def _open(content: bytes) -> PdfReader:
    if b"%%EOF" not in content[-EOF_WINDOW:]:
        raise UnreadableDocument(DAMAGED)
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise UnreadableDocument(DAMAGED, ENCRYPTED_MESSAGE)
    except UnreadableDocument:
        raise
    except Exception as error:  # pypdf raises many kinds on a hostile file
        raise UnreadableDocument(DAMAGED) from error
    return reader


def _multiply(a: Matrix, b: Matrix) -> Matrix:
    return [a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3],
            a[2] * b[0] + a[3] * b[2], a[2] * b[1] + a[3] * b[3],
            a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5]]


class _LineCollector:
    """Receives pypdf's text pieces; cuts lines where pypdf put a newline."""

    def __init__(self) -> None:
        self.lines: list[Line] = []
        self.parts: list[str] = []
        self.where: Line | None = None

    def visit(self, text: Any, cm: Any, tm: Any, font: Any, size: Any) -> None:
        if not text:
            return
        for number, part in enumerate(str(text).split("\n")):
            if number:
                self.flush()
            if part.strip() and self.where is None:
                self.where = self._position(cm, tm, font, size)
            self.parts.append(part)

    @staticmethod
    def _position(cm: Any, tm: Any, font: Any, size: Any) -> Line:
        matrix = _multiply([float(v) for v in tm], [float(v) for v in cm])
        scale = math.sqrt(abs(matrix[0] * matrix[3] - matrix[1] * matrix[2])) or 1.0
        name = str(font.get("/BaseFont", "")) if hasattr(font, "get") else ""
        return Line("", matrix[4], matrix[5], float(size or 0) * scale,
                    bool(_BOLD.search(name)))

    def flush(self) -> None:
        text = " ".join("".join(self.parts).split())
        if text and self.where is not None:
            self.where.text = text
            self.lines.append(self.where)
        self.parts, self.where = [], None


def _merge_baselines(lines: list[Line]) -> list[Line]:
    """Consecutive lines on (nearly) one baseline joined: a bullet and its text."""
    merged: list[Line] = []
    for line in lines:
        last = merged[-1] if merged else None
        if last is not None and abs(last.y - line.y) < 0.45 * max(last.size, line.size, 1):
            last.text = f"{last.text} {line.text}"
            if line.size > last.size and len(line.text) > len(last.text) / 2:
                last.size, last.bold = line.size, line.bold
            continue
        merged.append(line)
    return merged


def page_lines(page: PageObject) -> list[Line]:
    collector = _LineCollector()
    page.extract_text(visitor_text=collector.visit)
    collector.flush()
    return _merge_baselines(collector.lines)


def _has_text(lines: list[Line]) -> bool:
    return sum(len(_LETTER.findall(line.text)) for line in lines) >= MIN_LETTERS


def _pages(reader: PdfReader, deadline: Deadline) -> list[list[Line]]:
    try:
        count = len(reader.pages)
    except Exception as error:
        raise UnreadableDocument(DAMAGED) from error
    if count == 0:
        raise UnreadableDocument(DAMAGED)
    if count > limits.MAX_PAGES:
        raise UnreadableDocument(limits.TOO_LARGE, limits.page_limit_message(count))
    pages = []
    for number in range(count):
        deadline.check()
        try:
            pages.append(page_lines(reader.pages[number]))
        except Exception as error:
            raise UnreadableDocument(DAMAGED) from error
    return pages


def read_pdf(content: bytes, deadline: Deadline, budget: TextBudget) -> DocumentText:
    pages = strip_furniture(_pages(_open(content), deadline))
    deadline.check()
    with_text = sum(1 for lines in pages if _has_text(lines))
    if with_text < MIN_TEXT_PAGES * len(pages):
        raise UnreadableDocument(NO_TEXT_LAYER)
    builder = TextBuilder(budget)
    assemble(pages, builder)
    return DocumentText(builder.text(), "pdf", len(pages))
