"""The zip-based formats (.docx, .odt) opened with document-sized bounds.

``hoering.core.bounded_zip`` does the checking (entries, ZIP64, compression methods,
ratios); here its size limits are tightened to what a document may hold:
``limits.MAX_MEMBER_BYTES`` per member and ``limits.MAX_INFLATED_BYTES`` for all,
as declared in the central directory. zipfile never inflates a member beyond its
declared size (a member holding more fails its CRC), so these declared sizes bound what
python-docx or the XML parser can be made to inflate. A refused archive is
``too_large``; one zipfile cannot read is ``damaged``.

:func:`zip_kind` tells a .docx (``word/document.xml``) from an .odt (its ``mimetype``
member says ``application/vnd.oasis.opendocument.text``) from any other zip.
"""

from __future__ import annotations

import contextlib
import zipfile
import zlib
from collections.abc import Iterator

from hoering.core import bounded_zip
from hoering.core.documents import limits
from hoering.core.documents.limits import DAMAGED, INFLATED_MESSAGE, UnreadableDocument

ODT_MEDIA_TYPES = frozenset({"application/vnd.oasis.opendocument.text",
                             "application/vnd.oasis.opendocument.text-template"})
MIMETYPE_LIMIT = 128
ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, ValueError, KeyError,
              NotImplementedError, OSError)


@contextlib.contextmanager
def bounded_archive(content: bytes) -> Iterator[zipfile.ZipFile]:
    """The checked archive; ``UnreadableDocument`` for anything refused or unreadable
    (also when raised from the ``with`` body)."""
    try:
        archive = bounded_zip.open_archive(content, max_member_bytes=limits.MAX_MEMBER_BYTES,
                                           max_total_bytes=limits.MAX_INFLATED_BYTES)
    except bounded_zip.UnsafeArchive as error:
        raise UnreadableDocument(limits.TOO_LARGE, INFLATED_MESSAGE) from error
    except ZIP_ERRORS as error:
        raise UnreadableDocument(DAMAGED) from error
    try:
        with archive:
            yield archive
    except bounded_zip.UnsafeArchive as error:
        raise UnreadableDocument(limits.TOO_LARGE, INFLATED_MESSAGE) from error
    except ZIP_ERRORS as error:
        raise UnreadableDocument(DAMAGED) from error


def check_archive(content: bytes) -> None:
    """Refuse, before any library reads it, an archive beyond the document bounds."""
    with bounded_archive(content):
        pass


def zip_kind(content: bytes) -> str | None:
    """``docx``, ``odt`` or None (another kind of zip), for a bounded archive."""
    with bounded_archive(content) as archive:
        names = set(archive.namelist())
        if "word/document.xml" in names:
            return "docx"
        if "mimetype" in names and "content.xml" in names:
            declared = bounded_zip.read_member(archive, "mimetype", MIMETYPE_LIMIT)
            if declared.decode("ascii", "replace").strip() in ODT_MEDIA_TYPES:
                return "odt"
    return None


def read_xml_member(content: bytes, name: str) -> bytes:
    """One member of a bounded archive, at most ``limits.MAX_MEMBER_BYTES``."""
    with bounded_archive(content) as archive:
        return bounded_zip.read_member(archive, name, limits.MAX_MEMBER_BYTES)
