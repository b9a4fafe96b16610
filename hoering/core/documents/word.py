"""The text of a .docx: the main document part only, so headers, footers, footnotes
and comments are never read.

The archive is checked first (``archive.check_archive``: declared sizes within the
document bounds), then python-docx opens it (:func:`open_docx`, also what the Word
template upload uses). The body is walked in order: paragraphs, tables (each row one
line, its cells separated by tabs) and content controls. A paragraph's text is its
``w:t`` runs, tabs and line breaks, including hyperlinks, fields' shown results and
inserted (tracked) text, leaving out deleted text, text boxes and the fallback copy of
alternate content.

- A paragraph whose style is "Heading N" (also "Overskrift N", or with an outline level)
  is ``"#" * N + " " + text``; "Title" is level 1.
- A paragraph with numbering (``w:numPr``, directly or from its style) or a "List ..."
  style is a list item: ``- text`` for a bullet, ``N. text`` for a numbered level
  (counted per list and level, as Word counts).
- Any other paragraph: each soft line break ends a paragraph; a line typed with a
  bullet glyph or "- " is a list item.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from hoering.core.documents.archive import check_archive
from hoering.core.documents.limits import (
    DAMAGED,
    Deadline,
    DocumentText,
    TextBudget,
    UnreadableDocument,
)
from hoering.core.documents.text import TextBuilder

if TYPE_CHECKING:
    from docx.document import Document

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_SKIPPED = frozenset({W + "del", W + "moveFrom", W + "txbxContent", MC_FALLBACK, W + "pPr",
                      W + "rPr", W + "instrText", W + "delText", W + "footnoteReference",
                      W + "endnoteReference", W + "commentReference", W + "sectPr"})
_HEADING = re.compile(r"^(?:heading|overskrift)\s*(\d)$", re.IGNORECASE)
_TITLE = frozenset({"title", "titel"})
BLOCKS_PER_CHECK = 200


def open_docx(content: bytes) -> Document:
    """A python-docx Document, opened only after the archive passed the document
    bounds (``UnreadableDocument`` otherwise, or when python-docx cannot open it)."""
    check_archive(content)
    import docx

    try:
        return docx.Document(io.BytesIO(content))
    except Exception as error:  # python-docx raises several kinds on a broken file
        raise UnreadableDocument(DAMAGED) from error


@dataclass(frozen=True)
class _Style:
    name: str
    based_on: str | None
    numbering: tuple[str, str] | None  # (numId, ilvl)
    outline: int | None


def _val(element: Any, path: str) -> str | None:
    found = element.find(path) if element is not None else None
    return None if found is None else found.get(W + "val")


def _numbering_of(ppr: Any) -> tuple[str, str] | None:
    num_id = _val(ppr, f"{W}numPr/{W}numId")
    if num_id is None:
        return None
    return num_id, _val(ppr, f"{W}numPr/{W}ilvl") or "0"


def _outline_of(ppr: Any) -> int | None:
    level = _val(ppr, f"{W}outlineLvl")
    return int(level) if level is not None and level.isdigit() else None


def _styles(document: Document) -> tuple[dict[str, _Style], str | None]:
    """Paragraph styles by id, and the id of the default one."""
    styles: dict[str, _Style] = {}
    default = None
    for element in document.styles.element.iterchildren(W + "style"):
        if element.get(W + "type") != "paragraph":
            continue
        style_id = element.get(W + "styleId") or ""
        ppr = element.find(W + "pPr")
        styles[style_id] = _Style(_val(element, W + "name") or style_id,
                                  _val(element, W + "basedOn"), _numbering_of(ppr),
                                  _outline_of(ppr))
        if element.get(W + "default") in ("1", "true"):
            default = style_id
    return styles, default


def _levels(abstract_num: Any) -> dict[str, tuple[str, int]]:
    """ilvl → (number format, start) of one ``w:abstractNum``."""
    levels = {}
    for level in abstract_num.iterchildren(W + "lvl"):
        start = _val(level, W + "start") or "1"
        levels[level.get(W + "ilvl") or "0"] = (
            _val(level, W + "numFmt") or "bullet", int(start) if start.isdigit() else 1)
    return levels


def _numbering(document: Document) -> dict[str, dict[str, tuple[str, int]]]:
    """numId → ilvl → (number format, start), with a list's start overrides."""
    try:
        root = document.part.numbering_part.element
    except Exception:  # no numbering part, or one python-docx cannot read
        return {}
    abstract = {element.get(W + "abstractNumId") or "": _levels(element)
                for element in root.iterchildren(W + "abstractNum")}
    numbering = {}
    for num in root.iterchildren(W + "num"):
        levels = dict(abstract.get(_val(num, W + "abstractNumId") or "", {}))
        for override in num.iterchildren(W + "lvlOverride"):
            level = override.get(W + "ilvl") or "0"
            start = _val(override, W + "startOverride")
            if start is not None and start.isdigit():
                levels[level] = (levels.get(level, ("decimal", 1))[0], int(start))
        numbering[num.get(W + "numId") or ""] = levels
    return numbering


def paragraph_text(element: Any, out: list[str]) -> list[str]:
    """The shown text under ``element`` (see the module docstring), appended to ``out``."""
    for child in element.iterchildren():
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIPPED:
            continue
        if tag == W + "t":
            out.append(child.text or "")
        elif tag == W + "tab":
            out.append("\t")
        elif tag in (W + "br", W + "cr"):
            if child.get(W + "type") in (None, "textWrapping"):
                out.append("\n")
        elif tag == W + "noBreakHyphen":
            out.append("-")
        else:
            paragraph_text(child, out)
    return out


class _Reader:
    """Walks a document's body into a TextBuilder."""

    def __init__(self, document: Document, builder: TextBuilder, deadline: Deadline) -> None:
        self.styles, self.default_style = _styles(document)
        self.numbering = _numbering(document)
        self.counters: dict[str, dict[str, int]] = {}
        self.builder = builder
        self.deadline = deadline
        self.seen = 0

    def _style_chain(self, style_id: str | None) -> list[_Style]:
        chain: list[_Style] = []
        while style_id is not None and style_id in self.styles and len(chain) < 10:
            chain.append(self.styles[style_id])
            style_id = chain[-1].based_on
        return chain

    def _marker(self, numbering: tuple[str, str] | None, style: str) -> str:
        if numbering is None:
            return f"{self._count('style:' + style, '0', 1)}." if "number" in style else "-"
        num_id, level = numbering
        number_format, start = self.numbering.get(num_id, {}).get(level, ("bullet", 1))
        if number_format in ("bullet", "none", ""):
            return "-"
        return f"{self._count(num_id, level, start)}."

    def _count(self, key: str, level: str, start: int) -> int:
        counts = self.counters.setdefault(key, {})
        counts[level] = counts.get(level, start - 1) + 1
        for deeper in [other for other in counts if other > level]:
            del counts[deeper]
        return counts[level]

    def paragraph(self, element: Any) -> None:
        text = "".join(paragraph_text(element, []))
        if not text.strip():
            return
        ppr = element.find(W + "pPr")
        chain = self._style_chain(_val(ppr, W + "pStyle") or self.default_style)
        name = chain[0].name.lower() if chain else ""
        outline = _outline_of(ppr)
        if outline is None:
            outline = next((s.outline for s in chain if s.outline is not None), None)
        heading = _HEADING.match(name)
        if heading or name in _TITLE or (outline is not None and outline < 9):
            level = int(heading[1]) if heading else 1 if name in _TITLE else (outline or 0) + 1
            self.builder.heading(level, text)
            return
        numbering = _numbering_of(ppr) or next(
            (s.numbering for s in chain if s.numbering is not None), None)
        if numbering is not None and numbering[0] == "0":
            numbering = None
        if numbering is not None or (name.startswith("list") and "continue" not in name):
            self.builder.item(text.replace("\n", " "), self._marker(numbering, name))
        else:
            self.builder.authored(text)

    def table(self, element: Any) -> None:
        rows = []
        for row in element.iterchildren(W + "tr"):
            cells = [" ".join(" ".join("".join(paragraph_text(p, [])) for p in
                                       cell.iter(W + "p")).split())
                     for cell in row.iterchildren(W + "tc")]
            rows.append("\t".join(cells))
        self.builder.lines(rows)

    def blocks(self, container: Any) -> None:
        for child in container.iterchildren():
            self.seen += 1
            if self.seen % BLOCKS_PER_CHECK == 0:
                self.deadline.check()
            if child.tag == W + "p":
                self.paragraph(child)
            elif child.tag == W + "tbl":
                self.table(child)
            elif child.tag in (W + "sdt", W + "customXml"):
                content = child.find(W + "sdtContent")
                self.blocks(child if content is None else content)


def read_docx(content: bytes, deadline: Deadline, budget: TextBudget) -> DocumentText:
    document = open_docx(content)
    deadline.check()
    builder = TextBuilder(budget)
    _Reader(document, builder, deadline).blocks(document.element.body)
    return DocumentText(builder.text(), "docx", None)
