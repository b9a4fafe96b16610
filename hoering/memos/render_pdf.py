"""The memo as a tagged PDF (PDF/UA-1), laid out by WeasyPrint from the memo's HTML.

The PDF has a structure tree (headings, paragraphs, lists), the document language da
(``<html lang="da">``), the title in its metadata, an outline (a bookmark per heading:
``bookmark-level`` in the print CSS of templates/memos/memo_document.html), "Side X af Y"
and the municipality and unit on every page, the letterhead's logo, and a table of
contents when the memo is long. Fonts: DejaVu Sans from Debian's fonts-dejavu packages
(found through fontconfig). Nothing is fetched: only data: URIs (the logo) are read.
"""

from __future__ import annotations

import base64

import pydyf
from weasyprint import HTML, URLFetcher
from weasyprint.document import Document

from hoering.memos.document import Letterhead, MemoDocument
from hoering.memos.render import render_html

PDF_VARIANT = "pdf/ua-1"
# A memo longer than this gets a table of contents on its first page.
TOC_AFTER_PAGES = 20
# More than a page can hold (A4, 2.5 cm margins, 10.5 pt DejaVu Sans: some 78 characters
# a line, 47 lines a page): a memo with more text than 20 pages of this is long.
MAX_CHARACTERS_PER_PAGE = 4000
# Logos a PDF may show (an SVG could name other files; it is refused like any URL).
LOGO_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")


def _page_references(pdf: pydyf.PDF) -> tuple[bytes, ...]:
    """``pydyf.PDF.page_references``, built again only when a page was added. pydyf
    builds the tuple of every page's reference on each call, and WeasyPrint's tagging
    asks for it for each element it tags: quadratic in the pages (some 8 s of a memo of
    5,000 remarks, 520 pages). Same values, so the patch changes nothing else."""
    kids = pdf.pages["Kids"]  # object number, 0, "R" for each page; pages are only added
    cached: tuple[int, tuple[bytes, ...]] | None = vars(pdf).get("_hoering_page_references")
    if cached is None or cached[0] != len(kids):
        cached = (len(kids), tuple(f"{number} 0 R".encode("ascii") for number in kids[::3]))
        vars(pdf)["_hoering_page_references"] = cached
    return cached[1]


if isinstance(getattr(pydyf.PDF, "page_references", None), property):  # as in pydyf 0.13
    pydyf.PDF.page_references = property(_page_references)


def logo_uri(letterhead: Letterhead | None) -> str:
    """The letterhead's logo as a data: URI, or "" when there is none to show."""
    if letterhead is None or not letterhead.logo or letterhead.logo_media_type not in LOGO_TYPES:
        return ""
    encoded = base64.b64encode(letterhead.logo).decode("ascii")
    return f"data:{letterhead.logo_media_type};base64,{encoded}"


def _layout(document: MemoDocument, letterhead: Letterhead | None, *, toc: bool) -> Document:
    html = render_html(
        document, logo_uri=logo_uri(letterhead), toc=toc,
        municipality=letterhead.municipality if letterhead else "",
    )
    # No network, no files: only the data: URI of the logo is read.
    fetcher = URLFetcher(allowed_protocols={"data"})
    return HTML(string=html, url_fetcher=fetcher).render(pdf_variant=PDF_VARIANT)


def text_length(document: MemoDocument) -> int:
    """The characters of the memo's remarks and replies (most of a long memo)."""
    return sum(len(item.text) + len(item.reply or "") for part in document.parts
               for item in part.items)


def render_pdf(document: MemoDocument, letterhead: Letterhead | None = None) -> bytes:
    """A memo of more than ``TOC_AFTER_PAGES`` pages gets a table of contents. One whose
    text alone fills more pages than that (at most ``MAX_CHARACTERS_PER_PAGE`` a page)
    is laid out with it at once; any other is laid out without, and again with a table
    of contents if it came to more pages (a memo of a few dozen pages: seconds)."""
    certainly_long = text_length(document) > TOC_AFTER_PAGES * MAX_CHARACTERS_PER_PAGE
    laid_out = _layout(document, letterhead, toc=certainly_long)
    if not certainly_long and len(laid_out.pages) > TOC_AFTER_PAGES:
        laid_out = _layout(document, letterhead, toc=True)
    pdf: bytes = laid_out.write_pdf(pdf_variant=PDF_VARIANT)
    return pdf
