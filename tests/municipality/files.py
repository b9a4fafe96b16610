"""Real files for the municipality's tests: Word templates, logos, hostile archives."""

from __future__ import annotations

import io
import zipfile

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.shared import Cm, Pt
from PIL import Image

from hoering.municipality.template_file import DOCUMENT_MAIN, TEMPLATE_MAIN

TEMPLATE_HEADER = "Testby Kommune – skabelon"
TEMPLATE_FONT = "DejaVu Serif"  # installed with LibreOffice on Debian, unlike Calibri
HEADING_FONT = "Liberation Mono"


def word_template(*, header: str = TEMPLATE_HEADER, dotx: bool = False,
                  with_body: bool = True, minimal_styles: bool = False) -> bytes:
    """A municipality's template made with python-docx: its own fonts in Normal and the
    headings, a header text, A4 with 2 cm margins and a different first page, and some
    body text (which the documents built on it must not carry). ``minimal_styles``:
    without List Bullet and List Continue (removed), as some templates are."""
    doc = docx.Document()
    doc.styles["Normal"].font.name = TEMPLATE_FONT
    doc.styles["Normal"].font.size = Pt(10)
    for name in ("Heading 1", "Heading 2", "Title"):
        style = doc.styles[name]
        style.font.name = HEADING_FONT
        r_fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        for attribute in list(r_fonts.attrib):
            if attribute.endswith("Theme"):
                del r_fonts.attrib[attribute]
    if minimal_styles:
        for name in ("List Bullet", "List Continue"):
            element = doc.styles[name].element
            element.getparent().remove(element)
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.0)
    section.header.paragraphs[0].text = header
    section.footer.paragraphs[0].text = "Testby Kommune · Rådhuset"
    if with_body:
        doc.add_paragraph("Skabelonens eksempeltekst, som skal fjernes.")
        doc.add_paragraph("Endnu en linje.", style=doc.styles.add_style(
            "Skabelonens egen", WD_STYLE_TYPE.PARAGRAPH))
    out = io.BytesIO()
    doc.save(out)
    return as_dotx(out.getvalue()) if dotx else out.getvalue()


def rewrite_member(content: bytes, name: str, change) -> bytes:
    """The package with member ``name`` replaced by ``change(old bytes)``."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in source.infolist():
            data = source.read(info.filename)
            copy.writestr(info.filename, change(data) if info.filename == name else data)
    return out.getvalue()


def as_dotx(content: bytes) -> bytes:
    """A .docx saved as a .dotx: its main part declares the template content type."""
    return rewrite_member(content, "[Content_Types].xml", lambda data: data.replace(
        DOCUMENT_MAIN.encode(), TEMPLATE_MAIN.encode()))


def as_docm(content: bytes) -> bytes:
    """A macro-enabled document (.docm): the macro content type and a VBA project."""
    docm = rewrite_member(content, "[Content_Types].xml", lambda data: data.replace(
        DOCUMENT_MAIN.encode(), b"application/vnd.ms-word.document.macroEnabled.main+xml"))
    out = io.BytesIO(docm)
    with zipfile.ZipFile(out, "a") as archive:
        archive.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0 not really VBA")
    return out.getvalue()


def zip_bomb() -> bytes:
    """A .docx-looking archive whose document.xml inflates to 200 MB from about 200 kB."""
    content = word_template()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        source = zipfile.ZipFile(io.BytesIO(content))
        for info in source.infolist():
            if info.filename != "word/document.xml":
                bomb.writestr(info.filename, source.read(info.filename))
        with bomb.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b" " * (1024 * 1024)
            for _ in range(200):
                member.write(chunk)
    return out.getvalue()


def image(fmt: str = "PNG", size: tuple[int, int] = (120, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (0, 70, 140)).save(out, fmt)
    return out.getvalue()
