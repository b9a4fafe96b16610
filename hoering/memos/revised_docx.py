"""The revised draft as a Word document: the clean revised text, or the revised text with
real tracked changes against the consulted version and a comment on each changed
passage citing the remarks it answers (Word's and LibreOffice's accept/reject and
comments pane work on it).

WordprocessingML used (ECMA-376 part 1, 17.13): an inserted run is a ``w:r`` inside
``w:ins``, a deleted one a ``w:r`` with ``w:delText`` inside ``w:del``; a paragraph mark
that was inserted or deleted carries ``w:ins``/``w:del`` in ``w:pPr/w:rPr``. Each has a
``w:author`` (the secretariat), a ``w:date`` (when the change was linked) and a ``w:id``
unique in the document (comments draw from the same numbers). A comment's range
(``w:commentRangeStart``/``w:commentRangeEnd``) and its ``w:commentReference`` run are
placed beside the tracked changes, never inside them, so rejecting a change keeps its
comment. The comments part itself is python-docx's (``Document.comments``).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, datetime
from itertools import count
from typing import TYPE_CHECKING, Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml.etree import SubElement

from hoering.core.formatting import danish_date_text
from hoering.memos.revised_draft import (
    Note,
    Piece,
    RevisedDraft,
    RevisedParagraph,
    RevisedSection,
    layout,
)
from hoering.memos.word_template import (
    STYLE_HEADING_1,
    STYLE_NORMAL,
    STYLE_TITLE,
    STYLE_UNIT_DATE,
    ParagraphWriter,
    append_text,
    clean_text,
    new_document,
)
from hoering.policies.diff import DELETE, EQUAL, INSERT

if TYPE_CHECKING:
    from docx.document import Document

TRACKED_LEGEND = ("Ændringerne i forhold til den tidligere version står som registrerede "
                  "ændringer, og de bemærkninger fra høringen, som en ændring besvarer, "
                  "står som kommentarer ved den.")
_TAGS = {INSERT: "w:ins", DELETE: "w:del"}
_W_PPR, _W_PSTYLE, _W_RPR, _W_R = (qn(f"w:{t}") for t in ("pPr", "pStyle", "rPr", "r"))
_W_T, _W_DEL_TEXT, _W_VAL, _W_ID = qn("w:t"), qn("w:delText"), qn("w:val"), qn("w:id")


def _word_date(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class _SectionWriter:
    """Writes the sections as paragraphs with tracked changes and comments."""

    def __init__(self, doc: Document, draft: RevisedDraft) -> None:
        self.doc = doc
        self.draft = draft
        self.writer = ParagraphWriter(doc)
        self.ids: Iterator[int] = count(_first_free_id(doc))
        self.heading_id = self.writer.style_id(STYLE_HEADING_1)
        self.normal_id = self.writer.style_id(STYLE_NORMAL)

    def section(self, section: RevisedSection) -> None:
        """Its paragraphs, then the comments on its passages (and heading)."""
        first: dict[int, Any] = {}  # passage index -> its first element
        last: dict[int, Any] = {}
        paragraphs: list[Any] = []
        for paragraph in layout(section):
            p = self._paragraph(section, paragraph, first, last)
            self.writer.append(p)
            paragraphs.append(p)
        for index, note in section.notes.items():
            if index in first:
                self._comment(note, first[index], last[index])
        if section.heading_note is not None:
            self._comment_on_paragraph(section.heading_note, paragraphs[0])

    def _paragraph(self, section: RevisedSection, paragraph: RevisedParagraph,
                   first: dict[int, Any], last: dict[int, Any]) -> Any:
        p = OxmlElement("w:p")
        style_id = self.heading_id if paragraph.heading else self.normal_id
        p_pr = SubElement(p, _W_PPR) if style_id or paragraph.mark != EQUAL else None
        if p_pr is not None and style_id:
            SubElement(p_pr, _W_PSTYLE).set(_W_VAL, style_id)
        if p_pr is not None and paragraph.mark != EQUAL:
            r_pr = SubElement(p_pr, _W_RPR)
            r_pr.append(self._revision(paragraph.mark, section.date_of(None)))
        for piece in paragraph.pieces:
            element = self._piece(section, piece)
            p.append(element)
            if piece.passage is not None:
                first.setdefault(piece.passage, element)
                last[piece.passage] = element
        return p

    def _piece(self, section: RevisedSection, piece: Piece) -> Any:
        r = OxmlElement("w:r")
        append_text(r, piece.text)
        if piece.kind == EQUAL:
            return r
        if piece.kind == DELETE:
            for t in r.iter(_W_T):
                t.tag = _W_DEL_TEXT
        change = self._revision(piece.kind, section.date_of(piece.passage))
        change.append(r)
        return change

    def _revision(self, kind: str, moment: datetime) -> Any:
        """An empty ``w:ins``/``w:del`` by the secretariat at ``moment``."""
        return OxmlElement(_TAGS[kind], attrs={
            _W_ID: str(next(self.ids)), qn("w:author"): clean_text(self.draft.author),
            qn("w:date"): _word_date(moment)})

    def _comment(self, note: Note, start: Any, end: Any) -> None:
        """A comment holding ``note``, on the elements ``start`` to ``end`` (siblings or
        in later paragraphs)."""
        comment = self.doc.comments.add_comment(
            text=clean_text(note.text()), author=clean_text(self.draft.author),
            initials=self.draft.initials)
        element = comment._comment_elm
        element.id = next(self.ids)
        element.date = note.linked_at.astimezone(UTC).replace(microsecond=0)
        start.addprevious(OxmlElement("w:commentRangeStart", attrs={_W_ID: str(element.id)}))
        reference = OxmlElement("w:r")
        SubElement(SubElement(reference, _W_RPR), qn("w:rStyle")).set(_W_VAL,
                                                                      "CommentReference")
        SubElement(reference, qn("w:commentReference")).set(_W_ID, str(element.id))
        end.addnext(reference)
        end.addnext(OxmlElement("w:commentRangeEnd", attrs={_W_ID: str(element.id)}))

    def _comment_on_paragraph(self, note: Note, p: Any) -> None:
        """A comment on a whole paragraph (a heading nothing in the section changed)."""
        runs = [child for child in p if child.tag != _W_PPR]
        if not runs:
            runs = [SubElement(p, _W_R)]
        self._comment(note, runs[0], runs[-1])


def _first_free_id(doc: Document) -> int:
    """One more than the largest ``w:id`` in the body (a template may leave a bookmark)."""
    used = [int(value) for value in doc.element.body.xpath("//@w:id") if value.isdigit()]
    return max(used, default=0) + 1


def render_revised_docx(draft: RevisedDraft) -> bytes:
    doc = new_document(draft.letterhead, title=f"{draft.title} – {draft.kind.lower()}",
                       unit=draft.unit, draft=False)
    writer = ParagraphWriter(doc)
    writer.paragraph(draft.title, STYLE_TITLE)
    legend = (TRACKED_LEGEND,) if draft.tracked else ()
    for line in (*draft.lines, f"Dato {danish_date_text(draft.day)}", *legend):
        writer.paragraph(line, STYLE_UNIT_DATE)
    tracked = _SectionWriter(doc, draft)
    for section in draft.sections:
        tracked.section(section)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
