"""The text of an .odt: ``content.xml`` only (the page header and footer live in
``styles.xml`` and are not read as text).

The archive is checked first (``archive``: declared sizes within the document bounds);
``content.xml`` (and ``styles.xml``, for list styles) is then read with a limit and
parsed by lxml without entity expansion, DTDs or network access. odfpy is not needed
to read: it would also load every picture of the package into memory.

- ``text:h`` is a heading: ``"#" * outline-level + " " + text``.
- ``text:list`` items are list items, ``- text``, or ``N. text`` where the list's style
  numbers that level; nested lists are flattened into the same run of items.
- ``text:p``: each line break ends a paragraph; a line typed with a bullet is an item.
- Tables: each row one line, its cells separated by tabs. Sections and indexes are
  read through; footnotes, annotations, frames (pictures, text boxes) and tracked
  deletions are left out.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from hoering.core.bounded_zip import read_member
from hoering.core.documents import limits
from hoering.core.documents.archive import bounded_archive
from hoering.core.documents.limits import (
    DAMAGED,
    Deadline,
    DocumentText,
    TextBudget,
    UnreadableDocument,
)
from hoering.core.documents.text import TextBuilder

TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
_SKIPPED = frozenset({TEXT + "note", OFFICE + "annotation", OFFICE + "annotation-end",
                      TEXT + "tracked-changes", TEXT + "sequence-decls", OFFICE + "forms",
                      "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}frame",
                      TEXT + "soft-page-break", TEXT + "bookmark-ref"})
_CONTAINERS = frozenset({TEXT + "section", TEXT + "table-of-content", TEXT + "index-body",
                         TEXT + "alphabetical-index", TEXT + "illustration-index",
                         TEXT + "user-index", TEXT + "bibliography", TABLE + "table-rows",
                         TABLE + "table-header-rows", TABLE + "table-row-group"})
ELEMENTS_PER_CHECK = 500


def _parse(xml: bytes) -> Any:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False)
    try:
        return etree.fromstring(xml, parser)
    except etree.XMLSyntaxError as error:
        raise UnreadableDocument(DAMAGED) from error


def inline_text(element: Any, out: list[str]) -> list[str]:
    """The text of a paragraph: its text, spans, links and fields; ``text:s`` a space,
    ``text:tab`` a tab, ``text:line-break`` a newline; notes and frames left out."""
    if element.text:
        out.append(element.text)
    for child in element.iterchildren():
        tag = child.tag
        if isinstance(tag, str) and tag not in _SKIPPED:
            if tag == TEXT + "s":
                out.append(" ")
            elif tag == TEXT + "tab":
                out.append("\t")
            elif tag == TEXT + "line-break":
                out.append("\n")
            else:
                inline_text(child, out)
        if child.tail:
            out.append(child.tail)
    return out


def _numbered_levels(*roots: Any) -> dict[str, set[int]]:
    """List style name → the levels it numbers (a number format that is not empty)."""
    numbered: dict[str, set[int]] = {}
    for root in roots:
        for style in root.iter(TEXT + "list-style"):
            levels = numbered.setdefault(style.get(STYLE + "name") or "", set())
            for level in style.iterchildren(TEXT + "list-level-style-number"):
                if level.get(STYLE + "num-format"):
                    levels.add(int(level.get(TEXT + "level") or "1"))
    return numbered


class _Reader:
    def __init__(self, numbered: dict[str, set[int]], builder: TextBuilder,
                 deadline: Deadline) -> None:
        self.numbered = numbered
        self.builder = builder
        self.deadline = deadline
        self.seen = 0

    def blocks(self, container: Any) -> None:
        for child in container.iterchildren():
            self.seen += 1
            if self.seen % ELEMENTS_PER_CHECK == 0:
                self.deadline.check()
            tag = child.tag
            if tag == TEXT + "h":
                level = child.get(TEXT + "outline-level") or "1"
                self.builder.heading(int(level) if level.isdigit() else 1,
                                     "".join(inline_text(child, [])))
            elif tag == TEXT + "p":
                self.builder.authored("".join(inline_text(child, [])))
            elif tag == TEXT + "list":
                self.items(child, child.get(TEXT + "style-name") or "", 1, [0])
                self.builder.end_list()
            elif tag == TABLE + "table":
                self.builder.lines(self.rows(child))
            elif tag in _CONTAINERS:
                self.blocks(child)

    def items(self, element: Any, style: str, level: int, count: list[int]) -> None:
        numbered = level in self.numbered.get(style, set())
        for item in element.iterchildren(TEXT + "list-item", TEXT + "list-header"):
            start = item.get(TEXT + "start-value")
            count[0] = int(start) if start and start.isdigit() else count[0] + 1
            texts = []
            for child in item.iterchildren():
                if child.tag in (TEXT + "p", TEXT + "h"):
                    texts.append("".join(inline_text(child, [])).replace("\n", " "))
                elif child.tag == TEXT + "list":
                    self._item(" ".join(texts), numbered, count[0])
                    texts = []
                    self.items(child, child.get(TEXT + "style-name") or style, level + 1,
                               [0])
            self._item(" ".join(texts), numbered, count[0])

    def _item(self, text: str, numbered: bool, number: int) -> None:
        if text.strip():
            self.builder.item(text, f"{number}." if numbered else "-")

    def rows(self, table: Any) -> list[str]:
        rows = []
        for row in table.iter(TABLE + "table-row"):
            cells = [" ".join(" ".join("".join(inline_text(p, [])) for p in
                                       cell.iter(TEXT + "p", TEXT + "h")).split())
                     for cell in row.iterchildren(TABLE + "table-cell")]
            rows.append("\t".join(cells))
        return rows


def read_odt(content: bytes, deadline: Deadline, budget: TextBudget) -> DocumentText:
    with bounded_archive(content) as archive:
        body_xml = read_member(archive, "content.xml", limits.MAX_MEMBER_BYTES)
        names = set(archive.namelist())
        styles_xml = (read_member(archive, "styles.xml", limits.MAX_MEMBER_BYTES)
                      if "styles.xml" in names else b"<x/>")
    root = _parse(body_xml)
    deadline.check()
    text_root = root.find(f"{OFFICE}body/{OFFICE}text")
    if text_root is None:
        raise UnreadableDocument(DAMAGED)
    builder = TextBuilder(budget)
    _Reader(_numbered_levels(root, _parse(styles_xml)), builder, deadline).blocks(text_root)
    return DocumentText(builder.text(), "odt", None)
