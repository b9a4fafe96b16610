"""``read_document``: which kind of document the bytes are, and its reader.

The kind is told by the content, never by the name alone: ``%PDF-`` at the start → PDF;
a zip with ``word/document.xml`` → .docx; a zip whose ``mimetype`` member is the
OpenDocument text type → .odt (both zips checked with bounds before anything else
reads them); any other zip, an OLE file (old .doc, password-protected .docx) →
``unsupported``. Otherwise a name ending in .pdf/.docx/.odt that does not hold one is
``damaged``, and bytes that decode as text (``plain.decode_text``) are text; anything
else is ``unsupported``.

Whatever a hostile file makes a reader raise ends as ``UnreadableDocument``
(``damaged`` when nothing more precise is known, logged with its traceback).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from hoering.core.documents import limits
from hoering.core.documents.archive import zip_kind
from hoering.core.documents.limits import (
    DAMAGED,
    OLD_WORD_MESSAGE,
    UNSUPPORTED,
    Deadline,
    DocumentText,
    TextBudget,
    UnreadableDocument,
    too_large,
)
from hoering.core.documents.opendocument import read_odt
from hoering.core.documents.pdf import read_pdf
from hoering.core.documents.plain import decode_text, text_document
from hoering.core.documents.word import read_docx

log = logging.getLogger(__name__)

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
FORMAT_SUFFIXES = (".pdf", ".docx", ".odt")
EMPTY_MESSAGE = _l("Filen er tom.")
Reader = Callable[[bytes, Deadline, TextBudget], DocumentText]
READERS: dict[str, Reader] = {"pdf": read_pdf, "docx": read_docx, "odt": read_odt}


def detect_kind(content: bytes, filename: str = "") -> str:
    """``pdf``, ``docx``, ``odt`` or ``text``; ``UnreadableDocument`` for anything else."""
    if content.lstrip(b"\x00\t\n\r\f ")[:5] == b"%PDF-":
        return "pdf"
    if content.startswith(ZIP_MAGIC):
        kind = zip_kind(content)
        if kind is None:
            raise UnreadableDocument(UNSUPPORTED)
        return kind
    if content.startswith(OLE_MAGIC):
        raise UnreadableDocument(UNSUPPORTED, OLD_WORD_MESSAGE)
    if filename.lower().endswith(FORMAT_SUFFIXES):
        raise UnreadableDocument(DAMAGED)
    if decode_text(content) is None:
        raise UnreadableDocument(UNSUPPORTED)
    return "text"


def read_document(content: bytes, filename: str = "", *,
                  max_seconds: float = 10.0) -> DocumentText:
    """The text of a PDF, .docx, .odt or text file (see the package docstring for the
    format), within ``max_seconds``; ``UnreadableDocument`` when it cannot be read."""
    if len(content) > limits.MAX_DOCUMENT_BYTES:
        raise too_large(_("højst %(n)d MB", n=limits.MAX_DOCUMENT_BYTES // limits.MB))
    if not content.strip():
        raise UnreadableDocument(DAMAGED, EMPTY_MESSAGE)
    deadline = Deadline(max_seconds)
    budget = TextBudget()
    try:
        kind = detect_kind(content, filename)
        if kind == "text":
            return text_document(decode_text(content) or "", budget)
        return READERS[kind](content, deadline, budget)
    except UnreadableDocument:
        raise
    except (Exception, RecursionError) as error:  # the name may be personal: not logged
        log.warning("a document could not be read: %s", type(error).__name__)
        raise UnreadableDocument(DAMAGED) from error
