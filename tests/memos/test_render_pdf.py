"""The memo as a tagged PDF (WeasyPrint, PDF/UA-1): a structure tree with headings and
lists, language da, the title in the metadata, a bookmark per group, "Side X af Y", the
municipality and unit in the header, the letterhead's logo, and a table of contents
when the memo is long (more than 20 pages) and only then."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import date

import pytest
from flask import Flask
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

from hoering import create_app
from hoering.memos.document import (
    DRAFT_MARK,
    PENDING_REPLY,
    Abbreviation,
    ConsulteeAnswer,
    ConsulteeLine,
    Letterhead,
    MemoDocument,
    MemoItem,
    MemoPart,
)
from hoering.memos.render import render_html
from hoering.memos.render_pdf import (
    MAX_CHARACTERS_PER_PAGE,
    TOC_AFTER_PAGES,
    logo_uri,
    render_pdf,
    text_length,
)
from tests.municipality.files import image

HEADINGS = ("Høringssvar til rammesætningen og overordnet", "Høringssvar til princip 1",
            "Høringssvar med opmærksomhedspunkter generelt")
LETTERHEAD = Letterhead(municipality="Ballerup Kommune", logo=image(), logo_media_type="image/png")


def memo(parts: tuple[MemoPart, ...], **changes) -> MemoDocument:
    document = MemoDocument(
        title="Notat om høring af de politiske principper for digitalisering",
        unit="Digitalisering", date=date(2024, 6, 8), draft=True, version=None,
        background=("Digitaliserings- og Teknologiudvalget (DTU) har igangsat en proces.",),
        responses_intro="Nedenfor er høringssvarene præsenteret efter emne.",
        abbreviations=(Abbreviation("SOU", "Socialudvalget"), Abbreviation("MED", "Hoved-MED")),
        parts=parts, municipality="Ballerup Kommune",
        responses_heading="Høringssvar fra politiske fagudvalg",
        further_work=("Når principperne er godkendt, udestår følgende:",),
        tasks=("Grafisk opsætning", "Implementering"),
        further_work_after=("Administrationen udarbejder en plan.",),
        consultees=(ConsulteeLine("Socialudvalget", "SOU", ConsulteeAnswer.RECEIVED),),
    )
    return replace(document, **changes)


def short_memo() -> MemoDocument:
    return memo((
        MemoPart(HEADINGS[0], (
            MemoItem("Ordet »Vi« bør overvejes.\n\nDet gælder alle principper.", "SOU",
                     "dette er indarbejdet."),
        )),
        MemoPart(HEADINGS[1], (MemoItem("Løsninger skal være tilgængelige.", "MED", None,
                                        pending=True),)),
        MemoPart(HEADINGS[2], (MemoItem("Hvad er ledelsesopgaven?", "MED", "en vigtig opgave."),)),
    ))


def long_memo(items_per_part: int, paragraph: str) -> MemoDocument:
    """Many short paragraphs: many pages from little text."""
    item = MemoItem(f"{paragraph}\n\n{paragraph}\n\n{paragraph}", "SOU", paragraph)
    return memo(tuple(MemoPart(heading, (item,) * items_per_part) for heading in HEADINGS))


@pytest.fixture(scope="module")
def pdf_app() -> Iterator[Flask]:
    """An app context for the templates (no database: the PDF is made from the document)."""
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.app_context():
        yield app


@pytest.fixture(scope="module")
def short_pdf(pdf_app) -> PdfReader:
    return PdfReader(io.BytesIO(render_pdf(short_memo(), LETTERHEAD)))


def _tags(node: object) -> Iterator[tuple[str, list[str]]]:
    """Each structure element's tag with its children's tags, depth first."""
    node = node.get_object()  # type: ignore[attr-defined]
    if isinstance(node, ArrayObject):
        for kid in node:
            yield from _tags(kid)
    elif isinstance(node, DictionaryObject) and "/S" in node:
        kids = node.get("/K", ArrayObject())
        kids = kids.get_object() if isinstance(kids.get_object(), ArrayObject) else [kids]
        yield str(node["/S"]), [str(k.get_object()["/S"]) for k in kids
                                if isinstance(k.get_object(), DictionaryObject)
                                and "/S" in k.get_object()]
        for kid in kids:
            yield from _tags(kid)


def _outline_titles(outline: list) -> list[str]:
    titles: list[str] = []
    for entry in outline:
        titles += _outline_titles(entry) if isinstance(entry, list) else [entry.title]
    return titles


def _text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


# --- what a screen reader and a PDF viewer need ----------------------------------------


def test_pdf_is_tagged_pdf_ua_with_language_and_title(short_pdf):
    root = short_pdf.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "da"
    assert short_pdf.metadata.title == short_memo().title
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    assert 'pdfuaid:part="1"' in short_pdf.xmp_metadata.rdf_root.toxml()


def test_structure_tree_has_headings_lists_and_each_remark_in_one_item(short_pdf):
    tags = list(_tags(short_pdf.trailer["/Root"]["/StructTreeRoot"]["/K"]))
    names = [tag for tag, _kids in tags]
    assert names.count("/H1") == 1
    assert names.count("/H3") == len(HEADINGS)
    # Baggrund, the responses heading, Høringsparter, Videre arbejde
    assert names.count("/H2") == 4
    # one list per group, the consultee list, the follow-up tasks
    assert names.count("/L") == len(HEADINGS) + 2
    items = [kids for tag, kids in tags if tag == "/LI"]
    assert len(items) == len(HEADINGS) + 1 + 2
    # The remark of two paragraphs stays in its list item, with its reply after it.
    assert ["/Lbl", "/P", "/P", "/P"] in items


def test_outline_has_a_bookmark_per_group_under_its_section(short_pdf):
    outline = short_pdf.outline
    assert _outline_titles(outline) == [
        "Baggrund", "Høringssvar fra politiske fagudvalg", *HEADINGS, "Høringsparter",
        "Videre arbejde",
    ]
    assert [entry.title for entry in outline[2]] == list(HEADINGS)  # nested under h2


def test_every_page_has_the_header_and_side_x_af_y(pdf_app):
    reader = PdfReader(io.BytesIO(render_pdf(long_memo(3, "Et afsnit. " * 30), LETTERHEAD)))
    pages = len(reader.pages)
    assert 2 < pages <= TOC_AFTER_PAGES
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert f"Side {number} af {pages}" in text
        assert "Ballerup Kommune" in text and "Digitalisering" in text
    assert "/XObject" in reader.pages[1]["/Resources"]  # the logo, on every page


def test_text_draft_mark_once_pending_and_consultees(short_pdf):
    text = " ".join(_text(short_pdf).split())
    assert text.count(DRAFT_MARK) == 1
    assert f"Administrationens bemærkninger: {PENDING_REPLY}" in text
    assert "Socialudvalget (SOU): høringssvar modtaget" in text
    assert text.index("Når principperne") < text.index("Grafisk opsætning") < text.index(
        "Administrationen udarbejder en plan.")
    assert "Indhold" not in text  # a short memo has no table of contents


def test_html_the_pdf_is_laid_out_from(pdf_app):
    html = render_html(short_memo())
    assert '<html lang="da">' in html
    assert '<p class="municipality">Ballerup Kommune</p>' in html
    assert html.count(DRAFT_MARK) == 1
    assert ("<li><p>Ordet »Vi« bør overvejes.</p><p>Det gælder alle principper. (SOU)</p>"
            '<p class="reply">Administrationens bemærkninger: dette er indarbejdet.</p></li>'
            ) in html
    assert "<li>Socialudvalget (SOU): høringssvar modtaget</li>" in html
    assert 'id="del-1"' not in html and "Indhold" not in html  # no contents: no ids
    assert 'id="del-1"' in render_html(short_memo(), toc=True)


def test_issued_memo_has_no_draft_mark(pdf_app):
    text = _text(PdfReader(io.BytesIO(render_pdf(replace(short_memo(), draft=False,
                                                         version=2)))))
    assert DRAFT_MARK not in text and "Version 2" in text


def test_logo_only_as_a_data_uri_of_an_image():
    assert logo_uri(LETTERHEAD).startswith("data:image/png;base64,")
    assert logo_uri(None) == ""
    assert logo_uri(Letterhead("Ballerup Kommune")) == ""
    # an SVG could name other files: not shown
    assert logo_uri(Letterhead("B", b"<svg xmlns='http://www.w3.org/2000/svg'/>",
                               "image/svg+xml")) == ""


# --- a long memo gets a table of contents ---------------------------------------------


def _toc_pages(reader: PdfReader) -> dict[str, int]:
    """The table of contents on page 1: {heading: page number}."""
    found = {}
    for line in reader.pages[0].extract_text().splitlines():
        match = re.match(r"^(?P<heading>\S.*?)[ .]*\.{3,}\s*(?P<page>\d+)$", line.strip())
        if match:
            found[match["heading"].strip()] = int(match["page"])
    return found


def _outline_pages(reader: PdfReader) -> dict[str, int]:
    def entries(outline: list) -> Iterator:
        for entry in outline:
            yield from entries(entry) if isinstance(entry, list) else [entry]
    return {entry.title: reader.get_destination_page_number(entry) + 1
            for entry in entries(reader.outline)}


@pytest.mark.parametrize(("items", "paragraph", "text_fills_the_pages"), [
    # little text on many pages: laid out, counted, laid out again with the contents
    (66, "Et kort afsnit.", False),
    # text enough for more than 20 pages: laid out with the contents at once
    (12, "Et langt afsnit om princippet og dets formulering. " * 12, True),
])
def test_long_memo_has_a_table_of_contents_with_the_right_pages(
        pdf_app, items, paragraph, text_fills_the_pages):
    document = long_memo(items, paragraph)
    limit = TOC_AFTER_PAGES * MAX_CHARACTERS_PER_PAGE
    assert (text_length(document) > limit) is text_fills_the_pages
    reader = PdfReader(io.BytesIO(render_pdf(document, LETTERHEAD)))
    assert len(reader.pages) > TOC_AFTER_PAGES
    first_page = reader.pages[0].extract_text()
    assert "Indhold" in first_page
    toc = _toc_pages(reader)
    outline = _outline_pages(reader)
    assert set(HEADINGS) <= set(toc)
    for heading in HEADINGS:
        assert toc[heading] == outline[heading], heading
    assert toc[HEADINGS[-1]] > toc[HEADINGS[0]]
    # the contents link to the headings
    links = [a.get_object() for a in reader.pages[0].get("/Annots", [])
             if a.get_object()["/Subtype"] == "/Link"]
    assert len(links) >= len(HEADINGS)
    assert "Indhold" not in _outline_titles(reader.outline)


def test_text_length_counts_remarks_and_replies():
    assert text_length(short_memo()) == sum(
        len(item.text) + len(item.reply or "") for part in short_memo().parts
        for item in part.items)
