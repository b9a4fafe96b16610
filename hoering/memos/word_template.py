"""The Word document the memo and the revised draft are written into.

:func:`new_document` gives an empty document dressed as the municipality wants it: built
on its own Word template (``Letterhead.word_template``, a .dotx or .docx: its styles,
page size, margins, headers and footers and first-page layout are kept, its body content
removed), or, without one, on a built-in template that looks like a Danish municipal
notat (A4, 2.5 cm margins, the municipality and unit in the header, "Side X af Y" in the
footer as Word PAGE / NUMPAGES fields, Calibri, Danish proofing language).

The content is written with named paragraph styles only (the ``STYLE_*`` names), never
with direct formatting, so a template restyles everything; styles a template lacks are
added on sensible parents (:func:`ensure_styles`). A draft says "UDKAST" once, as the
body's first paragraph.

Speed: ``Document.add_paragraph`` looks up the body's ``w:sectPr`` by scanning all
children on every call (quadratic in the paragraph count), resolves the style name each
time, and ``Run.text`` walks the text character by character. :class:`ParagraphWriter`
builds the body as plain WordprocessingML (``w:p``, ``w:pPr/w:pStyle``, ``w:r``,
``w:t``) with style ids resolved once, inserted before the cached ``w:sectPr``.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, cast

from docx import Document as new_docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.text.paragraph import CT_P
from docx.shared import Cm, Emu, Pt, RGBColor, Twips
from lxml.etree import SubElement

from hoering.core.documents import UnreadableDocument
from hoering.memos.document import DRAFT_MARK, Letterhead
from hoering.municipality.template_file import open_template

if TYPE_CHECKING:
    from docx.document import Document
    from docx.styles.style import ParagraphStyle

log = logging.getLogger(__name__)

# The paragraph styles the content is written in (Word's built-in names, and our own).
STYLE_NORMAL = "Normal"
STYLE_TITLE = "Title"
STYLE_HEADING_1 = "Heading 1"
STYLE_HEADING_2 = "Heading 2"
STYLE_LIST_BULLET = "List Bullet"
STYLE_LIST_CONTINUE = "List Continue"  # a bullet's later paragraphs, inside the bullet
STYLE_REPLY = "Administrationens bemærkning"
STYLE_UNIT_DATE = "Enhed og dato"
STYLE_DRAFT = "Udkast"
# Our own styles get ASCII ids (python-docx would keep the "æ").
OWN_STYLE_IDS = {STYLE_REPLY: "Administrationensbemaerkning", STYLE_UNIT_DATE: "EnhedOgDato",
                 STYLE_DRAFT: "Udkast"}

LANGUAGE = "da-DK"
FONT_NAME = "Calibri"  # LibreOffice shows Carlito (metric-compatible) where it is missing
FONT_SIZE = Pt(11)
PAGE_WIDTH, PAGE_HEIGHT = Cm(21.0), Cm(29.7)
MARGIN = Cm(2.5)
HEADER_DISTANCE = Cm(1.0)
TEXT_WIDTH = Emu(PAGE_WIDTH - 2 * MARGIN)
LOGO_HEIGHT = Cm(1.2)
DRAFT_COLOR = RGBColor(0xC0, 0x00, 0x00)
BULLET_INDENT_TWIPS = 360  # where a bullet's text starts when nothing else says so

# Characters XML 1.0 cannot hold (lxml refuses them); user text may contain them when
# pasted from other programs. Tab and line breaks stay: they become w:tab and w:br.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_BREAKS = re.compile("([\t\n\r])")
_W_PPR, _W_PSTYLE, _W_R, _W_T, _W_BR, _W_TAB = (
    qn(f"w:{tag}") for tag in ("pPr", "pStyle", "r", "t", "br", "tab"))
_W_VAL = qn("w:val")
_XML_SPACE = qn("xml:space")


def clean_text(text: str) -> str:
    """``text`` without the characters XML cannot hold."""
    return _XML_INVALID.sub("", text)


def append_text(r: Any, text: str) -> None:
    """Run content for ``text`` (cleaned): w:t pieces, w:br for line breaks, w:tab for
    tabs. (python-docx's ``Run.text`` does the same, but character by character.)"""
    for piece in _BREAKS.split(clean_text(text).replace("\r\n", "\n")):
        if piece in ("\n", "\r"):
            SubElement(r, _W_BR)
        elif piece == "\t":
            SubElement(r, _W_TAB)
        elif piece:
            t = SubElement(r, _W_T)
            t.text = piece
            if piece != piece.strip():
                t.set(_XML_SPACE, "preserve")


class ParagraphWriter:
    """Appends paragraphs to a document's body, building the WordprocessingML directly.

    ``paragraph(text, style)`` writes one paragraph in a named style (the document's
    default style gets no ``w:pStyle``); ``append(element)`` places any body element
    (a ``w:p`` built elsewhere, a table) before the final ``w:sectPr``."""

    def __init__(self, doc: Document) -> None:
        self.body = doc.element.body
        self.sect_pr = self.body.sectPr
        self.styles = doc.styles
        self.default_id = self.styles.default(WD_STYLE_TYPE.PARAGRAPH).style_id
        self._style_ids: dict[str, str | None] = {}

    def style_id(self, name: str) -> str | None:
        """The id of the paragraph style ``name`` (KeyError if the document lacks it);
        None for the default style."""
        if name not in self._style_ids:
            style_id = self.styles[name].style_id
            self._style_ids[name] = None if style_id == self.default_id else style_id
        return self._style_ids[name]

    def append(self, element: Any) -> None:
        # CT_Body.add_p() would find w:sectPr by scanning all children on every call.
        if self.sect_pr is not None:
            self.sect_pr.addprevious(element)
        else:
            self.body.append(element)

    def paragraph(self, text: str = "", style: str = STYLE_NORMAL) -> CT_P:
        # python-docx's element lookup makes every w:p a CT_P; OxmlElement is typed for any tag
        p = cast(CT_P, OxmlElement("w:p"))
        self.append(p)
        style_id = self.style_id(style)
        if style_id is not None:
            SubElement(SubElement(p, _W_PPR), _W_PSTYLE).set(_W_VAL, style_id)
        if text:
            append_text(SubElement(p, _W_R), text)
        return p


def new_document(letterhead: Letterhead | None, *, title: str, unit: str,
                 draft: bool) -> Document:
    """An empty document on the municipality's template (or the built-in one), with the
    content's styles, Danish language and the core properties set; a draft's first
    paragraph is "UDKAST"."""
    letterhead = letterhead if letterhead is not None else Letterhead()
    doc = _from_template(letterhead.word_template) if letterhead.word_template else None
    if doc is None:
        doc = _built_in(letterhead, unit)
    ensure_styles(doc)
    set_language(doc)
    _set_properties(doc, title, unit)
    if draft:
        ParagraphWriter(doc).paragraph(DRAFT_MARK, STYLE_DRAFT)
    return doc


def _from_template(content: bytes) -> Document | None:
    """The template with its body content removed (its final ``w:sectPr`` kept); None,
    logged, if the stored template cannot be opened any more (the built-in is used)."""
    try:
        doc = open_template(content)
    except UnreadableDocument as error:
        log.warning("Word template not used: %s", error)
        return None
    body = doc.element.body
    final = body.sectPr
    for child in list(body):
        if child is not final:
            body.remove(child)
    return doc


def _set_properties(doc: Document, title: str, unit: str) -> None:
    """Core properties: the title, unit as author, Danish; none of the template's."""
    props = doc.core_properties
    props.title = clean_text(title)
    props.author = props.last_modified_by = clean_text(unit)
    props.subject = props.comments = props.keywords = props.category = ""
    props.language = LANGUAGE
    props.created = props.modified = datetime.now(UTC).replace(microsecond=0, tzinfo=None)
    props.revision = 1


# -- Language ---------------------------------------------------------------------------

def set_language(doc: Document) -> None:
    """Danish proofing language throughout: the document defaults, every style that
    names a language, and the settings' theme font language."""
    defaults = _child(doc.styles.element, "w:docDefaults", first=True)
    r_pr_default = _child(defaults, "w:rPrDefault", first=True)
    _set_lang(_child(r_pr_default, "w:rPr"))
    for lang in doc.styles.element.iter(qn("w:lang")):
        lang.set(_W_VAL, LANGUAGE)
    _set_lang(doc.styles[STYLE_NORMAL].element.get_or_add_rPr())
    settings = doc.settings.element
    theme_lang = settings.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(_W_VAL, LANGUAGE)


def _set_lang(r_pr: Any) -> None:
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        r_pr.append(lang)
    lang.set(_W_VAL, LANGUAGE)


def _child(parent: Any, tag: str, *, first: bool = False) -> Any:
    """``parent``'s child ``tag``, added (first or last) when missing."""
    child = parent.find(qn(tag))
    if child is None:
        child = OxmlElement(tag)
        if first:
            parent.insert(0, child)
        else:
            parent.append(child)
    return child


# -- The styles the content uses ---------------------------------------------------------

def ensure_styles(doc: Document) -> None:
    """Add every content style the document lacks, based on sensible parents; the ones
    it has are left as the template made them."""
    indent = _bullet_indent(doc)
    makers: dict[str, Callable[[ParagraphStyle], None]] = {
        STYLE_TITLE: lambda s: _look(s, size=18, bold=True, after=12),
        STYLE_HEADING_1: lambda s: _heading(s, 0, size=14, before=18),
        STYLE_HEADING_2: lambda s: _heading(s, 1, size=12, before=12),
        STYLE_LIST_BULLET: lambda s: _bullet(doc, s),
        STYLE_LIST_CONTINUE: lambda s: _indent(s, indent),
        STYLE_REPLY: lambda s: _reply(s, indent),
        STYLE_UNIT_DATE: lambda s: _look(s, after=0),
        STYLE_DRAFT: lambda s: _look(s, bold=True, color=DRAFT_COLOR),
    }
    for name, make in makers.items():
        if name in doc.styles:
            continue
        style = cast("ParagraphStyle", doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH))
        if name in OWN_STYLE_IDS:
            style.style_id = OWN_STYLE_IDS[name]
        style.base_style = style.next_paragraph_style = doc.styles[STYLE_NORMAL]
        style.quick_style = name != STYLE_DRAFT
        make(style)


def _look(style: ParagraphStyle, *, size: float | None = None, bold: bool | None = None,
          italic: bool | None = None, color: RGBColor | None = None,
          before: float | None = None, after: float | None = None) -> None:
    if size is not None:
        style.font.size = Pt(size)
    if bold is not None:
        style.font.bold = bold
    if italic is not None:
        style.font.italic = italic
    if color is not None:
        style.font.color.rgb = color
    if before is not None:
        style.paragraph_format.space_before = Pt(before)
    if after is not None:
        style.paragraph_format.space_after = Pt(after)


def _reply(style: ParagraphStyle, indent: int) -> None:
    """The administration's reply: italic, at the bullet text's indent."""
    _indent(style, indent)
    _look(style, italic=True)


def _heading(style: ParagraphStyle, level: int, *, size: float, before: float) -> None:
    """A heading: bold, kept with the next paragraph, at an outline level (for the
    navigation pane and a table of contents)."""
    _look(style, size=size, bold=True, before=before, after=3)
    style.paragraph_format.keep_with_next = True
    _child(style.element.get_or_add_pPr(), "w:outlineLvl").set(_W_VAL, str(level))


def _indent(style: ParagraphStyle, twips: int) -> None:
    style.paragraph_format.left_indent = Twips(twips)


def _bullet(doc: Document, style: ParagraphStyle) -> None:
    """A bullet list style for a template without one: a new one-level bullet list in
    the numbering part, which the style points to."""
    numbering = doc.part.numbering_part.element
    ids = [int(n.get(qn("w:abstractNumId")) or 0) for n in numbering.iterfind(qn("w:abstractNum"))]
    num_ids = [int(n.get(qn("w:numId")) or 0) for n in numbering.iterfind(qn("w:num"))]
    abstract_id, num_id = max(ids, default=0) + 1, max(num_ids, default=0) + 1
    abstract = OxmlElement("w:abstractNum", {qn("w:abstractNumId"): str(abstract_id)})
    SubElement(abstract, qn("w:multiLevelType")).set(_W_VAL, "singleLevel")
    level = SubElement(abstract, qn("w:lvl"), {qn("w:ilvl"): "0"})
    for tag, value in (("start", "1"), ("numFmt", "bullet"), ("lvlText", "•"),
                       ("lvlJc", "left")):
        SubElement(level, qn(f"w:{tag}")).set(_W_VAL, value)
    indent = str(BULLET_INDENT_TWIPS)
    SubElement(SubElement(level, qn("w:pPr")), qn("w:ind"),
               {qn("w:left"): indent, qn("w:hanging"): indent})
    first_num = numbering.find(qn("w:num"))  # every w:abstractNum precedes every w:num
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    num = SubElement(numbering, qn("w:num"), {qn("w:numId"): str(num_id)})
    SubElement(num, qn("w:abstractNumId")).set(_W_VAL, str(abstract_id))
    num_pr = _child(style.element.get_or_add_pPr(), "w:numPr", first=True)
    _child(num_pr, "w:numId").set(_W_VAL, str(num_id))


def _bullet_indent(doc: Document) -> int:
    """Where the bullet's text starts (twips): the List Bullet style's own indent, or its
    list's first level's; ``BULLET_INDENT_TWIPS`` otherwise."""
    if STYLE_LIST_BULLET not in doc.styles:
        return BULLET_INDENT_TWIPS
    p_pr = doc.styles[STYLE_LIST_BULLET].element.pPr
    left = _ind_left(p_pr)
    if left is None and p_pr is not None and p_pr.numPr is not None:
        num_id = p_pr.numPr.numId.val if p_pr.numPr.numId is not None else None
        left = _list_indent(doc, num_id)
    return left if left is not None else BULLET_INDENT_TWIPS


def _ind_left(p_pr: Any) -> int | None:
    ind = p_pr.find(qn("w:ind")) if p_pr is not None else None
    value = None if ind is None else (ind.get(qn("w:left")) or ind.get(qn("w:start")))
    return int(value) if value is not None and value.lstrip("-").isdigit() else None


def _list_indent(doc: Document, num_id: int | None) -> int | None:
    try:
        numbering = doc.part.numbering_part.element
        abstract_id = numbering.num_having_numId(num_id).abstractNumId.val
    except (KeyError, AttributeError, NotImplementedError):
        return None
    for abstract in numbering.iterfind(qn("w:abstractNum")):
        if abstract.get(qn("w:abstractNumId")) == str(abstract_id):
            return _ind_left(abstract.find(f"{qn('w:lvl')}/{qn('w:pPr')}"))
    return None


# -- The built-in template ---------------------------------------------------------------

def _built_in(letterhead: Letterhead, unit: str) -> Document:
    """python-docx's default document made into a Danish notat."""
    doc = new_docx()
    section = doc.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin = section.bottom_margin = MARGIN
    section.left_margin = section.right_margin = MARGIN
    section.header_distance = section.footer_distance = HEADER_DISTANCE
    _built_in_styles(doc)
    _built_in_header(doc, letterhead, unit)
    _built_in_footer(doc)
    settings = doc.settings.element
    for tag, value in (("w:decimalSymbol", ","), ("w:listSeparator", ";")):
        _child(settings, tag).set(_W_VAL, value)
    return doc


def _built_in_styles(doc: Document) -> None:
    """Calibri 11 everywhere (no theme fonts), plain black headings, tab stops of the
    header and footer at the A4 text width."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    r_fonts = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
    for attribute in list(r_fonts.attrib):
        del r_fonts.attrib[attribute]
    for attribute in ("ascii", "hAnsi", "eastAsia", "cs"):
        r_fonts.set(qn(f"w:{attribute}"), FONT_NAME)
    doc.styles[STYLE_NORMAL].font.size = FONT_SIZE
    for name, size, before in ((STYLE_TITLE, 18, 0), (STYLE_HEADING_1, 14, 18),
                               (STYLE_HEADING_2, 12, 12)):
        style = cast("ParagraphStyle", doc.styles[name])
        r_pr = style.element.get_or_add_rPr()
        for tag in ("w:rFonts", "w:color", "w:spacing", "w:kern"):
            for element in r_pr.findall(qn(tag)):
                r_pr.remove(element)
        p_pr = style.element.get_or_add_pPr()
        for element in p_pr.findall(qn("w:pBdr")):
            p_pr.remove(element)
        _look(style, size=size, bold=True, before=before, after=12 if before == 0 else 3)
    for name in ("Header", "Footer"):
        tabs = doc.styles[name].paragraph_format.tab_stops
        tabs.clear_all()
        tabs.add_tab_stop(Emu(TEXT_WIDTH // 2), WD_TAB_ALIGNMENT.CENTER)
        tabs.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)


def _built_in_header(doc: Document, letterhead: Letterhead, unit: str) -> None:
    """The municipality (bold; the logo at the right margin) over the unit."""
    header = doc.sections[0].header
    first = header.paragraphs[0]
    first.add_run(clean_text(letterhead.municipality)).bold = True
    if letterhead.logo:
        try:
            first.add_run("\t").add_picture(io.BytesIO(letterhead.logo), height=LOGO_HEIGHT)
        except Exception as error:  # an image python-docx cannot read: no logo
            log.warning("Logo not used in the header: %s", error)
    if unit:
        header.add_paragraph(clean_text(unit))


def _built_in_footer(doc: Document) -> None:
    """"Side X af Y" at the right, as PAGE and NUMPAGES fields."""
    paragraph = doc.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    p = paragraph._p
    append_text(SubElement(p, _W_R), "Side ")
    add_field(p, "PAGE", "1")
    append_text(SubElement(p, _W_R), " af ")
    add_field(p, "NUMPAGES", "1")


def add_field(p: Any, instruction: str, shown: str) -> None:
    """A Word field (``PAGE``, ``NUMPAGES``, ...) as complex field runs, with ``shown``
    as its result until Word or LibreOffice updates it."""
    def run() -> Any:
        return SubElement(p, _W_R)

    SubElement(run(), qn("w:fldChar"), {qn("w:fldCharType"): "begin"})
    instr = SubElement(run(), qn("w:instrText"), {_XML_SPACE: "preserve"})
    instr.text = f" {instruction} "
    SubElement(run(), qn("w:fldChar"), {qn("w:fldCharType"): "separate"})
    append_text(run(), shown)
    SubElement(run(), qn("w:fldChar"), {qn("w:fldCharType"): "end"})
