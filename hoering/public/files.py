"""Attachments of public responses: the file type is read from the content, never
trusted from the name or the browser's declared type."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from hoering.core.documents import TOO_LARGE, UnreadableDocument, detect_kind

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
EXTENSIONS = {PDF: ".pdf", DOCX: ".docx", ODT: ".odt"}
MEDIA_TYPES = {"pdf": PDF, "docx": DOCX, "odt": ODT}  # by the reader's kind
ACCEPTED_TEXT = _l("PDF, Word (.docx) eller OpenDocument-tekst (.odt)")


def detect_media_type(content: bytes) -> str | None:
    """PDF, DOCX or ODT by their structure, as the one document reader tells them
    (``hoering.core.documents.detect_kind``); None for anything else (a zip, an .xlsx
    renamed to .docx, text). A zip that could exhaust memory raises the reader's
    ``UnreadableDocument`` with the code ``too_large``."""
    try:
        kind = detect_kind(content)
    except UnreadableDocument as error:
        if error.code == TOO_LARGE:
            raise
        return None
    return MEDIA_TYPES.get(kind)


def safe_filename(name: str, media_type: str) -> str:
    """The uploaded name without any path, at most 200 characters, with the extension
    that matches the detected type."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip() or "bilag"
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = "".join(ch for ch in stem if ch.isprintable()).strip(" .") or "bilag"
    return stem[:200] + EXTENSIONS[media_type]
