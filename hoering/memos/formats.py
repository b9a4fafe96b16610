"""The memo's file formats and ``render(document, fmt)``, the one entry point that
renders a MemoDocument in any of them (Markdown and HTML in hoering.memos.render, .docx
and PDF in modules of their own)."""

from __future__ import annotations

from dataclasses import dataclass

from hoering.core.i18n import in_municipality_language
from hoering.memos.document import Letterhead, MemoDocument
from hoering.memos.render import render_html, render_markdown
from hoering.memos.render_docx import render_docx
from hoering.memos.render_pdf import render_pdf


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


@in_municipality_language()  # the same memo, whatever the language of the page
def render(document: MemoDocument, fmt: str, letterhead: Letterhead | None = None) -> bytes:
    if fmt == "md":
        return render_markdown(document).encode("utf-8")
    if fmt == "html":
        return render_html(document).encode("utf-8")
    if fmt == "pdf":
        return render_pdf(document, letterhead)
    if fmt == "docx":
        return render_docx(document, letterhead)
    raise ValueError(f"unknown memo format: {fmt}")
