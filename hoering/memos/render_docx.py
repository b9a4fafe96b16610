"""The consultation memo as a Word document (.docx) that staff can keep editing.

Built on the municipality's Word template, or the built-in notat
(``hoering.memos.word_template.new_document``), and written in named styles only
(Title, Heading 1/2, List Bullet, List Continue, "Enhed og dato", "Administrationens
bemærkning", Normal), so the outline and navigation pane work and the template restyles
everything. No Flask request is needed: this renders from the CLI too.

The order is every format's (see ``hoering.memos.render``): the draft mark (once), title,
unit and date, Baggrund, the responses heading with intro and abbreviations, a part per
heading with a bullet per remark (its later paragraphs in List Continue, inside the
bullet) and the reply, the notes, the consultee list, Videre arbejde.
"""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import datetime, time

from hoering.memos.document import (
    ABBREVIATIONS_LEAD,
    BACKGROUND_HEADING,
    CONSULTEES_HEADING,
    FURTHER_WORK_HEADING,
    Letterhead,
    MemoDocument,
    MemoItem,
    consultee_text,
    item_suffix,
    paragraphs,
    reply_text,
    unit_date_lines,
)
from hoering.memos.word_template import (
    STYLE_HEADING_1,
    STYLE_HEADING_2,
    STYLE_LIST_BULLET,
    STYLE_LIST_CONTINUE,
    STYLE_REPLY,
    STYLE_TITLE,
    STYLE_UNIT_DATE,
    ParagraphWriter,
    new_document,
)

SUBJECT = "Høringsnotat"


def render_docx(document: MemoDocument, letterhead: Letterhead | None = None) -> bytes:
    """The memo as .docx bytes, on the letterhead's Word template (if any); the header
    names the memo's municipality, else the letterhead's."""
    letterhead = letterhead if letterhead is not None else Letterhead()
    if document.municipality:
        letterhead = replace(letterhead, municipality=document.municipality)
    doc = new_document(letterhead, title=document.title, unit=document.unit,
                       draft=document.draft)
    props = doc.core_properties
    props.subject = SUBJECT
    props.created = props.modified = datetime.combine(document.date, time())

    w = ParagraphWriter(doc)
    _write_front_matter(w, document)
    _write_responses(w, document)
    _write_closing(w, document)

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _write_front_matter(w: ParagraphWriter, document: MemoDocument) -> None:
    """Title, the unit and date block, and the background."""
    w.paragraph(document.title, STYLE_TITLE)
    for line in unit_date_lines(document):
        w.paragraph(line, STYLE_UNIT_DATE)
    if document.background:
        w.paragraph(BACKGROUND_HEADING, STYLE_HEADING_1)
        for text in document.background:
            w.paragraph(text)


def _write_responses(w: ParagraphWriter, document: MemoDocument) -> None:
    """The responses: heading, intro, abbreviations, a part per heading and the notes."""
    w.paragraph(document.responses_heading, STYLE_HEADING_1)
    if document.responses_intro:
        w.paragraph(document.responses_intro)
    if document.abbreviations:
        w.paragraph(ABBREVIATIONS_LEAD)
        for abbreviation in document.abbreviations:
            w.paragraph(f"{abbreviation.abbreviation}: {abbreviation.name}")
    for part in document.parts:
        w.paragraph(part.heading, STYLE_HEADING_2)
        for item in part.items:
            _write_item(w, item)
    for text in document.notes:
        w.paragraph(text)


def _write_item(w: ParagraphWriter, item: MemoItem) -> None:
    """A remark as one bullet (its later paragraphs inside it), then the reply."""
    texts = paragraphs(item.text)
    texts[-1] = f"{texts[-1]} {item_suffix(item)}"
    w.paragraph(texts[0], STYLE_LIST_BULLET)
    for text in texts[1:]:
        w.paragraph(text, STYLE_LIST_CONTINUE)
    for text in paragraphs(reply_text(item)):
        w.paragraph(text, STYLE_REPLY)


def _write_closing(w: ParagraphWriter, document: MemoDocument) -> None:
    """The consultee list (if the memo has one) and Videre arbejde: paragraphs, the
    follow-up tasks, paragraphs after them."""
    if document.consultees is not None:
        w.paragraph(CONSULTEES_HEADING, STYLE_HEADING_1)
        for line in document.consultees:
            w.paragraph(consultee_text(line), STYLE_LIST_BULLET)
    if document.further_work or document.tasks or document.further_work_after:
        w.paragraph(FURTHER_WORK_HEADING, STYLE_HEADING_1)
        for text in document.further_work:
            w.paragraph(text)
        for task in document.tasks:
            w.paragraph(task, STYLE_LIST_BULLET)
        for text in document.further_work_after:
            w.paragraph(text)
