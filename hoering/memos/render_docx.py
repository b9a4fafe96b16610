"""The consultation memo as a Word document (.docx) that staff can keep editing.

Everything is laid out with Word's own styles (Title, Heading 1, Heading 2, List Bullet,
Normal), so the document outline, the navigation pane and later restyling in Word work.
Only python-docx is used: no Flask or Babel, so this renders outside a request too.

Speed: ``Document.add_paragraph`` looks up the body's ``w:sectPr`` by scanning all
children on every call (quadratic in the paragraph count), resolves the style name each
time, and ``Run.text`` walks the text character by character. With thousands of remarks
that dominates, so the body paragraphs are built as plain WordprocessingML (``w:p``,
``w:pPr/w:pStyle``, ``w:r``, ``w:t``) with style ids resolved once, inserted before the
cached ``w:sectPr``. Everything else (styles, margins, header) uses the python-docx API.
"""

from __future__ import annotations

import io
import re
from datetime import date, datetime, time
from typing import cast

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.text.paragraph import CT_P
from docx.shared import Cm, Length, Pt, RGBColor
from docx.text.paragraph import Paragraph
from lxml.etree import SubElement

from hoering.memos.document import DRAFT_MARK, MemoDocument, item_suffix, reply_text

DANISH_MONTHS = (
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
)

BACKGROUND_HEADING = "Baggrund"
RESPONSES_HEADING = "Høringssvar fra høringsparterne"
ABBREVIATIONS_LEAD = "Forkortelser:"
FURTHER_WORK_HEADING = "Videre arbejde"

FONT_NAME = "Calibri"
FONT_SIZE = Pt(11)
MARGIN = Cm(2.5)
REPLY_INDENT = Cm(0.63)
DRAFT_COLOR = RGBColor(0xC0, 0x00, 0x00)
LANGUAGE = "da-DK"

# Characters XML 1.0 cannot hold (lxml refuses them); user text may contain them when
# pasted from other programs. Tab and line breaks stay: they become w:tab and w:br.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_BREAKS = re.compile("([\t\n\r])")

_W_PPR, _W_PSTYLE, _W_IND, _W_R, _W_RPR, _W_I, _W_T, _W_BR, _W_TAB = (
    qn(f"w:{tag}") for tag in ("pPr", "pStyle", "ind", "r", "rPr", "i", "t", "br", "tab")
)
_W_VAL, _W_LEFT = qn("w:val"), qn("w:left")
_XML_SPACE = qn("xml:space")


def danish_date(value: date) -> str:
    """``8. juni 2024``: day, Danish month name in lower case, year."""
    return f"{value.day}. {DANISH_MONTHS[value.month - 1]} {value.year}"


def _clean(text: str) -> str:
    return _XML_INVALID.sub("", text)


class _Writer:
    """Appends paragraphs to the document body, building the WordprocessingML directly."""

    def __init__(self, doc) -> None:
        self.body = doc.element.body
        self.sect_pr = self.body.sectPr
        self.parent = doc._body  # the python-docx block container, parent of Paragraphs
        styles = doc.styles
        self.style_ids: dict[str, str | None] = {}
        default_id = styles.default(WD_STYLE_TYPE.PARAGRAPH).style_id
        for name in ("Title", "Heading 1", "Heading 2", "List Bullet", "Normal"):
            style_id = styles[name].style_id
            self.style_ids[name] = None if style_id == default_id else style_id

    def paragraph(
        self,
        text: str = "",
        style: str = "Normal",
        *,
        italic: bool = False,
        left_indent: Length | None = None,
    ) -> Paragraph:
        # python-docx's element lookup makes every w:p a CT_P; OxmlElement is typed for any tag
        p = cast(CT_P, OxmlElement("w:p"))
        # Before the body's final w:sectPr. CT_Body.add_p() would find w:sectPr by scanning
        # all children on every call, which is quadratic in the number of paragraphs.
        if self.sect_pr is not None:
            self.sect_pr.addprevious(p)
        else:
            self.body.append(p)
        style_id = self.style_ids[style]
        if style_id is not None or left_indent is not None:
            p_pr = SubElement(p, _W_PPR)  # children in schema order: pStyle before ind
            if style_id is not None:
                SubElement(p_pr, _W_PSTYLE).set(_W_VAL, style_id)
            if left_indent is not None:
                SubElement(p_pr, _W_IND).set(_W_LEFT, str(left_indent.twips))
        if text:
            r = SubElement(p, _W_R)
            if italic:
                SubElement(SubElement(r, _W_RPR), _W_I)
            _append_text(r, _clean(text))
        return Paragraph(p, self.parent)


def _append_text(r, text: str) -> None:
    """Run content for ``text``: w:t pieces, with w:br for line breaks and w:tab for tabs.

    (python-docx's ``Run.text`` does the same, but character by character.)
    """
    for piece in _BREAKS.split(text.replace("\r\n", "\n")):
        if piece in ("\n", "\r"):
            SubElement(r, _W_BR)
        elif piece == "\t":
            SubElement(r, _W_TAB)
        elif piece:
            t = SubElement(r, _W_T)
            t.text = piece
            if piece != piece.strip():
                t.set(_XML_SPACE, "preserve")


def _set_language(style, language: str) -> None:
    """Spelling and grammar language of a style's runs (w:lang), for Word's proofing."""
    r_pr = style.element.get_or_add_rPr()
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        r_pr.append(lang)
    lang.set(qn("w:val"), language)


def _draft_run(paragraph: Paragraph) -> None:
    run = paragraph.add_run(DRAFT_MARK)
    run.bold = True
    run.font.color.rgb = DRAFT_COLOR


def render_docx(document: MemoDocument) -> bytes:
    """The memo as .docx bytes."""
    doc = Document()
    _set_up_normal_style(doc)
    section = doc.sections[0]
    section.top_margin = section.bottom_margin = MARGIN
    section.left_margin = section.right_margin = MARGIN
    _set_properties(doc, document)

    w = _Writer(doc)
    if document.draft:
        _draft_run(w.paragraph())
        header_paragraph = section.header.paragraphs[0]
        _draft_run(header_paragraph)
    _write_front_matter(w, document)
    _write_responses(w, document)
    _write_further_work(w, document)

    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _set_up_normal_style(doc) -> None:
    """The Normal style: Calibri 11, Danish proofing language."""
    normal = doc.styles["Normal"]
    normal.font.name = FONT_NAME
    normal.font.size = FONT_SIZE
    # East Asian / complex script fallbacks too, so Word shows Calibri everywhere.
    r_fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    r_fonts.set(qn("w:eastAsia"), FONT_NAME)
    r_fonts.set(qn("w:cs"), FONT_NAME)
    _set_language(normal, LANGUAGE)


def _set_properties(doc, document: MemoDocument) -> None:
    """The document's core properties (title, author, dates, ...)."""
    props = doc.core_properties
    props.title = _clean(document.title)
    props.subject = "Høringsnotat"
    props.author = _clean(document.unit)
    props.last_modified_by = _clean(document.unit)
    props.comments = ""
    props.keywords = ""
    props.language = LANGUAGE
    stamp = datetime.combine(document.date, time())
    props.created = stamp
    props.modified = stamp


def _write_front_matter(w: _Writer, document: MemoDocument) -> None:
    """Title, unit, date, version and the background."""
    w.paragraph(document.title, "Title")
    w.paragraph(document.unit)
    w.paragraph(f"Dato {danish_date(document.date)}")
    if not document.draft and document.version is not None:
        w.paragraph(f"Version {document.version}")

    if document.background:
        w.paragraph(BACKGROUND_HEADING, "Heading 1")
        for text in document.background:
            w.paragraph(text)


def _write_responses(w: _Writer, document: MemoDocument) -> None:
    """The responses: intro, abbreviations, a part per heading and the notes."""
    w.paragraph(RESPONSES_HEADING, "Heading 1")
    if document.responses_intro:
        w.paragraph(document.responses_intro)
    if document.abbreviations:
        w.paragraph(ABBREVIATIONS_LEAD)
        for abbreviation in document.abbreviations:
            w.paragraph(f"{abbreviation.abbreviation}: {abbreviation.name}")

    for part in document.parts:
        w.paragraph(part.heading, "Heading 2")
        for item in part.items:
            w.paragraph(f"{item.text} {item_suffix(item)}", "List Bullet")
            w.paragraph(reply_text(item), italic=True, left_indent=REPLY_INDENT)

    for text in document.notes:
        w.paragraph(text)


def _write_further_work(w: _Writer, document: MemoDocument) -> None:
    """Further work and the follow-up tasks, if there are any."""
    if document.further_work or document.tasks:
        w.paragraph(FURTHER_WORK_HEADING, "Heading 1")
        for text in document.further_work:
            w.paragraph(text)
        for task in document.tasks:
            w.paragraph(task, "List Bullet")
