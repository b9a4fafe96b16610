"""Rendering a MemoDocument as Markdown and HTML (with print CSS); .docx and PDF have
modules of their own. ``render(document, fmt)`` is the one entry point."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import render_template

from hoering.core.formatting import danish_date_text
from hoering.memos.document import DRAFT_MARK, MemoDocument, item_suffix, reply_text


@dataclass(frozen=True)
class MemoFormat:
    extension: str
    mimetype: str
    label: str


FORMATS = {
    "docx": MemoFormat("docx", "application/vnd.openxmlformats-officedocument"
                       ".wordprocessingml.document", "Word (.docx)"),
    "pdf": MemoFormat("pdf", "application/pdf", "PDF"),
    "html": MemoFormat("html", "text/html; charset=utf-8", "HTML"),
    "md": MemoFormat("md", "text/markdown; charset=utf-8", "Markdown"),
}


def _md_escape(text: str) -> str:
    """Keep user text literal in Markdown: escape what would start markup."""
    for char in ("\\", "*", "_", "`", "[", "]", "<", ">", "#"):
        text = text.replace(char, "\\" + char)
    return text


def render_markdown(document: MemoDocument) -> str:
    lines: list[str] = []
    if document.draft:
        lines += [f"**{DRAFT_MARK}**", ""]
    lines += [f"# {_md_escape(document.title)}", "", "---", "", _md_escape(document.unit), ""]
    meta = f"Dato {danish_date_text(document.date)}"
    if document.version is not None:
        meta += f" · Version {document.version}"
    lines += [meta, "", "---", "", "## Baggrund", ""]
    for paragraph in document.background:
        lines += [_md_escape(paragraph), ""]
    lines += ["## Høringssvar fra høringsparterne", "", _md_escape(document.responses_intro), "",
              "Forkortelser:", ""]
    for abbreviation in document.abbreviations:
        lines += [f"{_md_escape(abbreviation.abbreviation)}: {_md_escape(abbreviation.name)}",
                  ""]
    for part in document.parts:
        lines += [f"### {_md_escape(part.heading)}", ""]
        for item in part.items:
            lines += [f"- {_md_escape(item.text)} {_md_escape(item_suffix(item))}", "",
                      f"  *{_md_escape(reply_text(item))}*", ""]
    for note in document.notes:
        lines += [_md_escape(note), ""]
    if document.further_work or document.tasks:
        lines += ["## Videre arbejde", ""]
        for paragraph in document.further_work:
            lines += [_md_escape(paragraph), ""]
        for task in document.tasks:
            lines += [f"- {_md_escape(task)}"]
        lines += [""]
    return "\n".join(lines).rstrip() + "\n"


def document_context(document: MemoDocument, *, preview_items: int | None = None,
                     part_totals: tuple[int, ...] | None = None) -> dict[str, Any]:
    """What templates/memos/_memo_body.html needs. With ``preview_items`` it shows only
    that many items of each part, and how many there are in all (``part_totals``, one
    per part: the document may hold only the first items, see hoering.memos.preview):
    the memo page's preview. Without, the whole memo (the HTML and PDF documents)."""
    return {"document": document, "item_suffix": item_suffix, "reply_text": reply_text,
            "draft_mark": DRAFT_MARK, "date_text": danish_date_text(document.date),
            "preview_items": preview_items, "part_totals": part_totals}


def render_html(document: MemoDocument) -> str:
    return render_template("memos/memo_document.html", **document_context(document))


def render(document: MemoDocument, fmt: str) -> bytes:
    if fmt == "md":
        return render_markdown(document).encode("utf-8")
    if fmt == "html":
        return render_html(document).encode("utf-8")
    if fmt == "pdf":
        from hoering.memos.render_pdf import render_pdf

        return render_pdf(document)
    if fmt == "docx":
        from hoering.memos.render_docx import render_docx

        return render_docx(document)
    raise ValueError(f"unknown memo format: {fmt}")
