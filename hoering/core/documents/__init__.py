"""One bounded reader for the documents the app is given: imported committee minutes
(referat), attachments of public responses, and the Word template upload.

    read_document(content, filename, max_seconds=10.0) -> DocumentText
    read_pasted(text) -> DocumentText
    open_docx(content) -> docx.document.Document   # the same bounded checks

``DocumentText.text`` has one format whatever the source (``text`` module): paragraphs
separated by one blank line; headings ``# Title`` (.docx heading styles, .odt
``text:h``; a PDF's headings are plain paragraphs); every list item one line ``- text``
(``1. text`` when numbered), the items of a list without blank lines between them;
wrapped lines joined with a space, a word hyphenated at a line end joined again unless
the hyphen is an elision ("Digitaliserings- og"). Page furniture is gone: a PDF's
running headers, footers and page numbers are stripped and a paragraph cut by a page
break is one again (``pdf_layout``); a .docx or .odt's header and footer are not read.
Text files (.txt, .md) are returned as they are (``plain``).

Nothing is read without bounds (``limits``): 20 MB per file, 300 PDF pages, 30 MB per
inflated zip member and 60 MB for all of them (from the declared sizes, checked before
python-docx or the XML parser sees the file), 5 million characters of text, and a
time budget checked between pages. Refusals are ``UnreadableDocument`` with a ``code``
(``no_text_layer``, ``unsupported``, ``damaged``, ``too_large``, ``too_slow``) and a
Danish ``message`` for the person who gave the file.
"""

from __future__ import annotations

from hoering.core.documents.limits import (
    MAX_DOCUMENT_BYTES,
    MAX_PAGES,
    TOO_LARGE,
    DocumentText,
    UnreadableDocument,
)
from hoering.core.documents.plain import read_pasted
from hoering.core.documents.reader import detect_kind, read_document
from hoering.core.documents.word import open_docx

__all__ = ["MAX_DOCUMENT_BYTES", "MAX_PAGES", "TOO_LARGE", "DocumentText",
           "UnreadableDocument", "detect_kind", "open_docx", "read_document", "read_pasted"]
