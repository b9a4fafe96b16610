"""The revised draft as a PDF, laid out by WeasyPrint from templates/policies/
version_document.html: a redline (inserted text underlined in green, deleted text struck
through in red, after each changed passage a footnote citing the remarks it answers) or
the clean revised text. Tagged (PDF/UA-1), language da, the title in the metadata, a
bookmark per section, "Side X af Y". Nothing is fetched: only data: URIs (the logo)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask import render_template
from markupsafe import Markup, escape
from weasyprint import HTML, URLFetcher

from hoering.core.formatting import danish_date_text
from hoering.memos.render_pdf import PDF_VARIANT, logo_uri
from hoering.memos.revised_draft import (
    Note,
    RevisedDraft,
    RevisedParagraph,
    RevisedSection,
    last_piece_of,
    layout,
)

STATUS_LABELS = {"inserted": "Nyt afsnit", "removed": "Afsnittet er fjernet"}


@dataclass(frozen=True)
class HtmlPiece:
    kind: str  # "equal", "insert" or "delete"
    html: Markup  # the text, escaped, line breaks as <br>
    note: Note | None  # the footnote that follows it


@dataclass(frozen=True)
class HtmlSection:
    heading: list[HtmlPiece]
    status: str
    paragraphs: list[list[HtmlPiece]]


def _html(text: str) -> Markup:
    return Markup("<br>").join(escape(line) for line in text.split("\n"))


def _pieces(paragraph: RevisedParagraph, notes: dict[int, Note], at: dict[int, int]
            ) -> list[HtmlPiece]:
    """``at``: the piece (index) after which each note goes."""
    after: dict[int, Note] = {k: notes[index] for index, k in at.items() if index in notes}
    return [HtmlPiece(piece.kind, _html(piece.text), after.get(k))
            for k, piece in enumerate(paragraph.pieces)]


def html_section(section: RevisedSection, *, tracked: bool) -> HtmlSection:
    paragraphs = layout(section)
    last = last_piece_of(paragraphs)
    rows = [_pieces(paragraph, section.notes,
                    {index: k for index, (p, k) in last.items() if p == n})
            for n, paragraph in enumerate(paragraphs)]
    heading = rows[0]
    if section.heading_note is not None:
        heading.append(HtmlPiece("equal", Markup(""), section.heading_note))
    return HtmlSection(heading=heading, paragraphs=rows[1:],
                       status=STATUS_LABELS.get(section.pair.status, "") if tracked else "")


def render_revised_html(draft: RevisedDraft) -> str:
    letterhead = draft.letterhead
    sections: Sequence[HtmlSection] = [html_section(section, tracked=draft.tracked)
                                       for section in draft.sections]
    return render_template(
        "policies/version_document.html", draft=draft, sections=sections,
        date_text=danish_date_text(draft.day), logo_uri=logo_uri(letterhead),
        municipality=letterhead.municipality,
    )


def render_revised_pdf(draft: RevisedDraft) -> bytes:
    fetcher = URLFetcher(allowed_protocols={"data"})  # no network, no files
    pdf: bytes = HTML(string=render_revised_html(draft), url_fetcher=fetcher).write_pdf(
        pdf_variant=PDF_VARIANT)
    return pdf
