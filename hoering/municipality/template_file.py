"""The municipality's Word template as a file: checked, then opened as a document.

A template is a .docx or a .dotx (the same package; a .dotx's main part declares the
*template* content type, which python-docx refuses). It is read under the bounds of
``hoering.core.documents`` (size, inflated members: a zip bomb is refused from the zip's
declared sizes before any XML is parsed), its ``[Content_Types].xml`` must declare a
WordprocessingML main part, and anything macro-enabled (.docm, .dotm, a VBA project) is
refused. A .dotx is opened by rewriting its main part's content type to the document's.
"""

from __future__ import annotations

import io
import zipfile
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from lxml import etree

from hoering.core import bounded_zip
from hoering.core.documents import UnreadableDocument, limits, open_docx
from hoering.core.documents.archive import bounded_archive
from hoering.core.documents.limits import DAMAGED, TOO_LARGE, TOO_SLOW, UNSUPPORTED, too_large

if TYPE_CHECKING:
    from docx.document import Document

CONTENT_TYPES = "[Content_Types].xml"
CONTENT_TYPES_LIMIT = 1024 * 1024
_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml."
DOCUMENT_MAIN = _WML + "document.main+xml"
TEMPLATE_MAIN = _WML + "template.main+xml"
MACRO_TYPES = frozenset({
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
    "application/vnd.ms-office.vbaProject",
})
NOT_WORD_MESSAGE = _l("Filen er ikke en Word-skabelon. Upload en .dotx- eller .docx-fil, "
                      "gemt fra Word eller LibreOffice.")
MACRO_MESSAGE = _l("Filen indeholder makroer (.docm/.dotm) og kan ikke bruges som skabelon. "
                   "Gem den som .dotx eller .docx uden makroer.")
OLD_WORD_MESSAGE = _l("Filen er i Words gamle format (.doc/.dot) eller beskyttet med en "
                      "adgangskode. Gem den som .dotx eller .docx uden adgangskode.")
# The readers' messages end "... eller indsæt teksten" (for minutes); a template's say
# what to do with a template.
REFUSALS = {
    DAMAGED: _l("Skabelonen kan ikke læses; den er måske beskadiget eller ufuldstændig. Gem "
                "den igen fra Word, og prøv igen."),
    TOO_SLOW: _l("Det tog for lang tid at læse skabelonen. Upload en enklere udgave."),
}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .dot, encrypted OOXML
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def open_template(content: bytes) -> Document:
    """The template as a python-docx Document (``UnreadableDocument`` with a Danish
    message when the file is refused)."""
    return read_template(content)[0]


def read_template(content: bytes) -> tuple[Document, str]:
    """The template as a Document, and what it is: ``.dotx`` or ``.docx``."""
    if len(content) > limits.MAX_DOCUMENT_BYTES:
        raise too_large(f"over {limits.MAX_DOCUMENT_BYTES // limits.MB} MB")
    if content.startswith(OLE_MAGIC):
        raise UnreadableDocument(UNSUPPORTED, OLD_WORD_MESSAGE)
    if not content.startswith(b"PK"):  # a damaged zip is refused as damaged below
        raise UnreadableDocument(UNSUPPORTED, NOT_WORD_MESSAGE)
    suffix = ".docx"
    with bounded_archive(content) as archive:
        types = _content_types(archive)
        if MACRO_TYPES & {element.get("ContentType") for element in types.iter()}:
            raise UnreadableDocument(UNSUPPORTED, MACRO_MESSAGE)
        main = _main_part(types)
        if main is None:
            raise UnreadableDocument(UNSUPPORTED, NOT_WORD_MESSAGE)
        if main.get("ContentType") == TEMPLATE_MAIN:
            suffix = ".dotx"
            main.set("ContentType", DOCUMENT_MAIN)
            content = _with_content_types(archive, etree.tostring(
                types, xml_declaration=True, encoding="UTF-8", standalone=True))
    return open_docx(content), suffix


def _content_types(archive: zipfile.ZipFile) -> etree._Element:
    try:
        data = bounded_zip.read_member(archive, CONTENT_TYPES, CONTENT_TYPES_LIMIT)
        root = etree.fromstring(data, _PARSER)
    except KeyError as error:
        raise UnreadableDocument(UNSUPPORTED, NOT_WORD_MESSAGE) from error
    except etree.XMLSyntaxError as error:
        raise UnreadableDocument(DAMAGED) from error
    if root.tag != _CT + "Types":
        raise UnreadableDocument(UNSUPPORTED, NOT_WORD_MESSAGE)
    return root


def _main_part(types: etree._Element) -> etree._Element | None:
    """The ``Override`` declaring the WordprocessingML main part (document or template)."""
    for element in types.iterchildren(_CT + "Override"):
        if element.get("ContentType") in (DOCUMENT_MAIN, TEMPLATE_MAIN):
            return element
    return None


def _with_content_types(archive: zipfile.ZipFile, types: bytes) -> bytes:
    """The package again, with ``[Content_Types].xml`` replaced (members read bounded)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in archive.infolist():
            data = (types if info.filename == CONTENT_TYPES else
                    bounded_zip.read_member(archive, info.filename, limits.MAX_MEMBER_BYTES))
            copy.writestr(info.filename, data)
    return out.getvalue()


def refusal_message(error: UnreadableDocument) -> str:
    """Why a template was refused, saying what to do about it."""
    if error.code == TOO_LARGE:
        return str(_("Skabelonen er for stor (højst %(max)d MB, og højst %(inflated)d MB når "
                     "den pakkes ud). Fjern store billeder, eller gem den igen fra Word.",
                     max=limits.MAX_DOCUMENT_BYTES // limits.MB,
                     inflated=limits.MAX_INFLATED_BYTES // limits.MB))
    return str(REFUSALS.get(error.code, error.message))
