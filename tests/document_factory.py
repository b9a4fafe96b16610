"""Real documents built from committee minutes (referat) text, for tests of
``hoering.core.documents`` and of its callers.

The text is a reference minutes file (``../shared/reference/referat-*.md`` or
``.txt``): blocks separated by blank lines; ``#`` lines are headings, ``- `` lines bullets,
``1. `` lines numbered items, a line starting "Punkt N:" is an item heading (and starts a
new page, as in the municipality's own minutes). Markdown emphasis (``**``, ``*``) and
``<b>`` tags are dropped.

- :func:`referat_pdf` -- fpdf2, A4, a running header and "Side X af Y" on every page,
  bullets with a hanging indent; optionally a page break inside one paragraph
  (``break_inside``) and one word hyphenated at a line end (``hyphenate``).
- :func:`referat_docx` -- python-docx, Heading styles, list paragraphs, a header and a
  footer with PAGE / NUMPAGES fields.
- :func:`referat_odt` -- odfpy, ``text:h`` headings and ``text:list`` bullets, a master
  page with a header and a page-number footer.
- :func:`scanned_pdf`, :func:`encrypted_pdf`, :func:`odt_mimetype_bomb` -- hostile or
  unreadable files.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF

from tests.consultations.reference import REFERENCE_DIR

REFERENCE = REFERENCE_DIR  # ../shared/reference beside the checkout
REFERAT_2024 = REFERENCE / "referat-socialudvalget-2024-04-09.md"
REFERAT_2023 = REFERENCE / "referat-socialudvalget-2023-03-28.txt"
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
SYMBOL_BULLET = "symbol"  # the bullet of the core Symbol font (code 0xB7), as Word's PDFs
MB = 1024 * 1024


def referat_text(path: Path = REFERAT_2024) -> str:
    return path.read_text(encoding="utf-8")


# --- the minutes as blocks ------------------------------------------------------------


@dataclass
class Block:
    kind: str  # "heading" | "para" | "item"
    text: str
    level: int = 0  # heading level
    marker: str = "-"  # item: "-" or "1." ...
    gap_after: bool = True  # the last line of its source block (or of its list)


def _clean(line: str) -> str:
    line = re.sub(r"</?b>", "", line).replace("**", "")
    line = re.sub(r"(?<![\\\w])\*(?=\S)([^*]+?)(?<=\S)\*(?!\w)", r"\1", line)
    return line.replace("\\*", "*").rstrip()


def blocks(text: str) -> list[Block]:
    """The minutes as headings, paragraphs (one Block per source line) and list items."""
    found: list[Block] = []
    for chunk in re.split(r"\n[ \t]*\n", text.strip()):
        for raw in chunk.splitlines():
            if not raw.strip():
                continue
            heading = re.match(r"^(#+)\s*(.*)$", raw)
            item = re.match(r"^(?:([-*])|(\d+\.))\s+(.*)$", raw)
            if heading:
                found.append(Block("heading", _clean(heading[2]), level=len(heading[1])))
            elif item:
                found.append(Block("item", _clean(item[3]), marker=item[2] or "-",
                                   gap_after=False))
            elif re.match(r"^Punkt \d+:", _clean(raw)):
                found.append(Block("heading", _clean(raw), level=1))
            else:
                found.append(Block("para", _clean(raw), gap_after=False))
        found[-1].gap_after = True
    for block, following in zip(found, found[1:], strict=False):
        if block.kind == "item" and following.kind != "item":
            block.gap_after = True
    return found


def _starts_page(block: Block) -> bool:
    return block.kind == "heading" and bool(
        re.match(r"^Punkt \d+:", block.text))


# --- PDF ------------------------------------------------------------------------------

BODY_SIZE = 10
LINE_MM = 4.6
PARAGRAPH_GAP_MM = 3.0
HEADING_SIZES = {1: 16, 2: 13.5, 3: 12.5}
BULLET_X_MM = 4.0
TEXT_X_MM = 10.0


class _ReferatPDF(FPDF):
    def __init__(self, header_lines: list[str]) -> None:
        super().__init__(format="A4")
        self.header_lines = header_lines
        if (DEJAVU / "DejaVuSans.ttf").exists():
            self.add_font("Body", "", str(DEJAVU / "DejaVuSans.ttf"))
            self.add_font("Body", "B", str(DEJAVU / "DejaVuSans-Bold.ttf"))
            self.family = "Body"
        else:
            self.family = "Helvetica"
        self.set_margins(20, 18, 20)
        self.set_auto_page_break(True, margin=22)

    def header(self) -> None:
        self.set_font(self.family, "", 9)
        for line in self.header_lines:
            self.cell(0, 4.5, line, new_x="LMARGIN", new_y="NEXT")
        self.ln(5)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font(self.family, "", 9)
        self.cell(0, 5, f"Side {self.page_no()} af {{nb}}", align="C")


def _pdf_text(pdf: _ReferatPDF, text: str) -> str:
    text = text.replace("\t", "  ")
    if pdf.family == "Helvetica":
        return text.encode("latin-1", "replace").decode("latin-1")
    return text


def _split_for_page_break(pdf: _ReferatPDF, text: str, width: float, needle: str) -> list[str]:
    """``text`` cut at a line end near its middle, at or after the line where ``needle``
    starts, where the line does not end a sentence: the line before the break is full,
    as when a page break cuts a paragraph."""
    lines = pdf.multi_cell(width, LINE_MM, _pdf_text(pdf, text), dry_run=True,
                           output="LINES")
    if len(lines) < 2:
        return [text]
    offset, needle_line = text.index(needle), 0
    for number, line in enumerate(lines):
        offset -= len(line) + 1
        if offset < 0:
            needle_line = number
            break
    first = min(max(needle_line, (len(lines) + 1) // 2 - 1), len(lines) - 2)
    for cut in [*range(first, len(lines) - 1), *range(first - 1, -1, -1)]:
        if not re.search(r"[.!?:;]$", lines[cut]):
            return [" ".join(lines[:cut + 1]), " ".join(lines[cut + 1:])]
    return [text]


def _hyphenated(text: str, word: str) -> str:
    """``text`` with a forced line break inside ``word``: after its hyphen if it has one
    ("Digitaliserings-" → "Digitaliserings-\\nog ..."), else in its middle with a hyphen
    added ("digitalisering" → "digital-\\nisering")."""
    plain = word.replace("-", "")
    if "-" in word:
        head = word[:word.index("-") + 1]
        at = text.index(word)
        return text[:at] + head + "\n" + text[at + len(head):].lstrip()
    at = text.index(plain)
    half = len(plain) // 2
    return text[:at] + plain[:half] + "-\n" + text[at + half:]


def _render_item(pdf: _ReferatPDF, block: Block, parts: list[str], bullet: str) -> None:
    if block.marker == "-" and bullet == SYMBOL_BULLET:
        pdf.set_font("Symbol", "", BODY_SIZE)
        label = chr(0xB7)
    else:
        pdf.set_font(pdf.family, "", BODY_SIZE)
        label = bullet if block.marker == "-" else block.marker
    pdf.set_x(pdf.l_margin + BULLET_X_MM)
    pdf.cell(TEXT_X_MM - BULLET_X_MM, LINE_MM, label)
    pdf.set_font(pdf.family, "", BODY_SIZE)
    for number, part in enumerate(parts):
        if number:
            pdf.add_page()
        pdf.set_x(pdf.l_margin + TEXT_X_MM)
        pdf.multi_cell(pdf.w - pdf.r_margin - pdf.get_x(), LINE_MM, _pdf_text(pdf, part),
                       new_x="LMARGIN", new_y="NEXT")
    if block.gap_after:
        pdf.ln(PARAGRAPH_GAP_MM)


def _render_block(pdf: _ReferatPDF, block: Block, parts: list[str], bullet: str) -> None:
    if block.kind == "item":
        _render_item(pdf, block, parts, bullet)
        return
    if block.kind == "heading":
        size = HEADING_SIZES.get(block.level, BODY_SIZE)
        pdf.set_font(pdf.family, "B", size)
        pdf.multi_cell(0, size * 0.5, _pdf_text(pdf, block.text), new_x="LMARGIN",
                       new_y="NEXT")
        pdf.ln(PARAGRAPH_GAP_MM)
        return
    pdf.set_font(pdf.family, "", BODY_SIZE)
    for number, part in enumerate(parts):
        if number:
            pdf.add_page()
        pdf.multi_cell(0, LINE_MM, _pdf_text(pdf, part), new_x="LMARGIN", new_y="NEXT")
    if block.gap_after:
        pdf.ln(PARAGRAPH_GAP_MM)


def referat_pdf(text: str, *, header: str = "Socialudvalget 09-04-2024", bullet: str = "•",
                break_inside: str | None = None, hyphenate: str | None = None) -> bytes:
    """The minutes as an A4 PDF. ``header`` is the running header (several lines with
    "\\n"); ``bullet`` the glyph of bullets ("symbol": the Symbol font's, as Word's
    PDFs); ``break_inside``: the paragraph or bullet containing this string is cut by a
    page break in its middle; ``hyphenate``: that word (first occurrence) is split at
    a line end (see :func:`_hyphenated`)."""
    pdf = _ReferatPDF(header.split("\n"))
    pdf.add_page()
    all_blocks = blocks(text)
    broken = hyphenated = False
    for index, block in enumerate(all_blocks):
        if _starts_page(block) and index and pdf.get_y() > pdf.t_margin + 20:
            pdf.add_page()
        body = block.text
        if hyphenate and not hyphenated and hyphenate.replace("-", "") in body.replace(
                "-", "") and (hyphenate in body or hyphenate.replace("-", "") in body):
            body, hyphenated = _hyphenated(body, hyphenate), True
        parts = [body]
        if break_inside and not broken and break_inside in body and block.kind != "heading":
            pdf.set_font(pdf.family, "", BODY_SIZE)
            width = pdf.w - pdf.r_margin - pdf.l_margin - (
                TEXT_X_MM if block.kind == "item" else 0)
            parts, broken = _split_for_page_break(pdf, body, width, break_inside), True
        _render_block(pdf, block, parts, bullet)
    return bytes(pdf.output())


def scanned_pdf(pages: int = 2) -> bytes:
    """Pages with only drawings and an image, as a scanner makes: no text at all."""
    from PIL import Image

    image = Image.new("L", (400, 560), 235)
    for x in range(40, 360):
        for y in range(60, 500, 24):
            image.putpixel((x, y), 40)
    pdf = FPDF(format="A4")
    for _ in range(pages):
        pdf.add_page()
        pdf.image(image, x=10, y=10, w=190)
        pdf.rect(20, 20, 170, 250)
    return bytes(pdf.output())


def encrypted_pdf(text: str = "Beslutning\n\nIndstillingen godkendt.",
                  password: str = "hemmelig") -> bytes:  # noqa: S107
    """A small PDF that opens only with ``password``."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(referat_pdf(text))))
    writer.encrypt(user_password=password, owner_password=password, algorithm="AES-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


# --- DOCX -----------------------------------------------------------------------------


def _add_field(paragraph, instruction: str, shown: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def fld_char(kind: str):
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        return element

    paragraph.add_run()._r.append(fld_char("begin"))
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    paragraph.add_run()._r.append(instr)
    paragraph.add_run()._r.append(fld_char("separate"))
    paragraph.add_run(shown)
    paragraph.add_run()._r.append(fld_char("end"))


def _set_numbering(paragraph, num_id: str) -> None:
    """Number ``paragraph`` with the list ``num_id`` (a ``w:numPr`` of its own)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    num_pr = OxmlElement("w:numPr")
    for tag, value in (("w:ilvl", "0"), ("w:numId", num_id)):
        element = OxmlElement(tag)
        element.set(qn("w:val"), value)
        num_pr.append(element)
    paragraph._p.get_or_add_pPr().append(num_pr)


def _restarted_list(document, style: str, start: int) -> str:
    """A new ``w:num`` for the abstract numbering of ``style`` that starts again at
    ``start``, as Word makes for each new numbered list; its numId."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    style_num = document.styles[style].element.pPr.numPr.numId.val
    numbering = document.part.numbering_part.element
    abstract = next(num.abstractNumId.val for num in numbering.num_lst
                    if num.numId == style_num)
    num_id = max(num.numId for num in numbering.num_lst) + 1
    numbering.append(parse_xml(
        f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{abstract}"/>'
        f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{start}"/></w:lvlOverride>'
        '</w:num>'))
    return str(num_id)


def referat_docx(text: str, *, header: str = "Socialudvalget 09-04-2024",
                 list_style: str = "List Bullet") -> bytes:
    """The minutes as a .docx: headings in Heading N styles, bullets in ``list_style``
    ("List Paragraph" gets a bullet numPr, as Word makes them), numbered items in "List
    Number", a header with ``header`` and a footer "Side {PAGE} af {NUMPAGES}"."""
    import docx

    document = docx.Document()
    section = document.sections[0]
    section.header.paragraphs[0].text = header
    footer = section.footer.paragraphs[0]
    footer.add_run("Side ")
    _add_field(footer, "PAGE", "1")
    footer.add_run(" af ")
    _add_field(footer, "NUMPAGES", "17")
    numbered_list = None
    for block in blocks(text):
        if block.kind == "heading":
            document.add_heading(block.text, level=min(block.level, 9))
        elif block.kind == "item" and block.marker != "-":
            numbered_list = numbered_list or _restarted_list(
                document, "List Number", int(block.marker.rstrip(".")))
            paragraph = document.add_paragraph(block.text, style="List Number")
            _set_numbering(paragraph, numbered_list)
        elif block.kind == "item":
            paragraph = document.add_paragraph(block.text, style=list_style)
            if list_style == "List Paragraph":
                _set_numbering(paragraph, "1")  # the template's "List Bullet" numbering
        else:
            document.add_paragraph(block.text)
        if block.kind != "item" or block.gap_after:
            numbered_list = None
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- ODT ------------------------------------------------------------------------------


def _odt_master_page(document, header: str) -> None:
    from odf.style import Footer, Header, MasterPage, PageLayout, PageLayoutProperties
    from odf.text import P, PageCount, PageNumber

    layout = PageLayout(name="Side")
    layout.addElement(PageLayoutProperties(pagewidth="21cm", pageheight="29.7cm"))
    document.automaticstyles.addElement(layout)
    master = MasterPage(name="Standard", pagelayoutname=layout)
    top = Header()
    top.addElement(P(text=header))
    master.addElement(top)
    bottom = Footer()
    footer = P(text="Side ")
    footer.addElement(PageNumber(selectpage="current", text="1"))
    footer.addText(" af ")
    footer.addElement(PageCount(text="17"))
    bottom.addElement(footer)
    master.addElement(bottom)
    document.masterstyles.addElement(master)


def _odt_numbered_style(document):
    from odf.text import ListLevelStyleNumber, ListStyle

    style = ListStyle(name="Nummereret")
    style.addElement(ListLevelStyleNumber(level=1, numformat="1", numsuffix="."))
    document.automaticstyles.addElement(style)
    return style


def referat_odt(text: str, *, header: str = "Socialudvalget 09-04-2024") -> bytes:
    """The minutes as an .odt: ``text:h`` with outline levels, ``text:list`` for each
    run of list items, a header and a page-number footer on the master page."""
    from odf import teletype
    from odf.opendocument import OpenDocumentText
    from odf.text import H, List, ListItem, P

    document = OpenDocumentText()
    _odt_master_page(document, header)
    numbers = _odt_numbered_style(document)
    current_list = None
    for block in blocks(text):
        if block.kind == "item":
            if current_list is None:
                current_list = List(stylename=numbers) if block.marker != "-" else List()
                document.text.addElement(current_list)
            item = ListItem()
            if block.marker != "-" and len(current_list.childNodes) == 0:
                item.setAttribute("startvalue", block.marker.rstrip("."))
            paragraph = P()
            teletype.addTextToElement(paragraph, block.text)
            item.addElement(paragraph)
            current_list.addElement(item)
            if block.gap_after:
                current_list = None
            continue
        current_list = None
        element = H(outlinelevel=block.level) if block.kind == "heading" else P()
        teletype.addTextToElement(element, block.text)
        document.text.addElement(element)
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


def odt_mimetype_bomb(megabytes: int = 300) -> bytes:
    """An .odt whose ``mimetype`` member is ``megabytes`` MB of zeros, deflated (about
    300 KB for 300 MB), with a small content.xml."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        info = zipfile.ZipInfo("mimetype")
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w", force_zip64=False) as member:
            zeros = bytes(MB)
            for _ in range(megabytes):
                member.write(zeros)
        archive.writestr("content.xml", '<office:document-content xmlns:office='
                         '"urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>')
    return buffer.getvalue()


def with_declared_size(content: bytes, name: str, size: int) -> bytes:
    """``content`` (a zip) with the member ``name`` declaring ``size`` inflated bytes in
    its local header and in the central directory (its data left as it is)."""
    import struct

    data = bytearray(content)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        info = archive.getinfo(name)
        entry = archive.start_dir
    struct.pack_into("<L", data, info.header_offset + 22, size)
    while data[entry:entry + 4] == b"PK\x01\x02":
        name_length, extra_length, comment_length = struct.unpack_from("<3H", data, entry + 28)
        if bytes(data[entry + 46:entry + 46 + name_length]) == name.encode():
            struct.pack_into("<L", data, entry + 24, size)
            return bytes(data)
        entry += 46 + name_length + extra_length + comment_length
    raise AssertionError(f"no central directory entry for {name}")
