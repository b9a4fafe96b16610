"""Attachments of public responses: the file type is read from the content, never
trusted from the name or the browser's declared type."""

from __future__ import annotations

import zipfile
import zlib

from hoering.core.bounded_zip import open_archive, read_member

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
EXTENSIONS = {PDF: ".pdf", DOCX: ".docx", ODT: ".odt"}
ACCEPTED_TEXT = "PDF, Word (.docx) eller OpenDocument-tekst (.odt)"
MIMETYPE_LIMIT = 128  # the ODT ``mimetype`` member: one short line


def detect_media_type(content: bytes) -> str | None:
    """PDF, DOCX or ODT by their structure; None for anything else (including a zip or
    an .xlsx renamed to .docx). A zip is read with bounds (``hoering.core.bounded_zip``):
    one that could exhaust memory raises its ``UnsafeArchive``."""
    if content.startswith(b"%PDF-"):
        return PDF
    if not content.startswith(b"PK\x03\x04"):
        return None
    try:
        with open_archive(content) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                declared = read_member(archive, "mimetype", MIMETYPE_LIMIT)
                text = declared.decode("ascii", "replace").strip()
                return ODT if text == ODT and "content.xml" in names else None
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return DOCX
    except (zipfile.BadZipFile, zlib.error, KeyError, ValueError, EOFError):
        return None
    return None


def safe_filename(name: str, media_type: str) -> str:
    """The uploaded name without any path, at most 200 characters, with the extension
    that matches the detected type."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip() or "bilag"
    stem = base.rsplit(".", 1)[0] if "." in base else base
    stem = "".join(ch for ch in stem if ch.isprintable()).strip(" .") or "bilag"
    return stem[:200] + EXTENSIONS[media_type]
