"""Rendering a MemoDocument as Markdown and HTML (with print CSS); .docx and PDF have
modules of their own, and ``hoering.memos.formats.render`` is the one entry point.

Every format has the same order: the draft mark (once), the title, the unit and date,
Baggrund, the responses heading with its intro and the abbreviations, the parts with a
bullet per remark (a remark of several paragraphs stays inside its bullet, the reply in
italics after it), the notes, the consultee list (when the memo has one), Videre
arbejde (paragraphs, the follow-up tasks as a list, paragraphs after it).
"""

from __future__ import annotations

import re
from typing import Any

from flask import render_template

from hoering.memos.document import (
    ABBREVIATIONS_LEAD,
    BACKGROUND_HEADING,
    CONSULTEES_HEADING,
    DRAFT_MARK,
    FURTHER_WORK_HEADING,
    MemoDocument,
    MemoItem,
    consultee_text,
    item_suffix,
    paragraphs,
    reply_text,
    unit_date_lines,
)

# What would start a block at the beginning of a line: a list item ("-", "+", "1.",
# "1)"), a rule or a setext underline ("="); the backslash goes before the punctuation.
_MD_LINE_START = re.compile(r"^\s*(?:[-+=]|\d+[.)])")


def _md_escape(text: str) -> str:
    """Keep user text literal in Markdown: escape what would start markup."""
    for char in ("\\", "*", "_", "`", "[", "]", "<", ">", "#"):
        text = text.replace(char, "\\" + char)
    return text


def _escape_last(match: re.Match[str]) -> str:
    return match[0][:-1] + "\\" + match[0][-1]


def _md_block(text: str, indent: str = "", *, italic: bool = False) -> str:
    """A paragraph of user text, escaped, every line indented (inside a bullet) and
    none starting a list or a rule."""
    lines = [_MD_LINE_START.sub(_escape_last, line.strip()) for line in
             _md_escape(text).splitlines() if line.strip()]
    if italic and lines:
        lines[0] = "*" + lines[0]
        lines[-1] += "*"
    return "\n".join(indent + line for line in lines)


def _md_list_item(text: str) -> str:
    return "- " + _md_block(text, "  ").lstrip()


def _md_bullet(texts: list[str]) -> list[str]:
    """"- first paragraph", then the others indented under it (inside the item)."""
    lines = [_md_list_item(texts[0]), ""]
    for text in texts[1:]:
        lines += [_md_block(text, "  "), ""]
    return lines


def _md_item(item: MemoItem) -> list[str]:
    texts = paragraphs(item.text)
    texts[-1] += " " + item_suffix(item)
    lines = _md_bullet(texts)
    for paragraph in paragraphs(reply_text(item)):
        lines += [_md_block(paragraph, "  ", italic=True), ""]
    return lines


def _md_head(document: MemoDocument) -> list[str]:
    lines: list[str] = [f"**{DRAFT_MARK}**", ""] if document.draft else []
    lines += [f"# {_md_block(document.title)}", "", "---", ""]
    for line in unit_date_lines(document):
        lines += [_md_block(line), ""]
    lines += ["---", ""]
    if document.background:
        lines += [f"## {BACKGROUND_HEADING}", ""]
    for paragraph in document.background:
        lines += [_md_block(paragraph), ""]
    return lines


def _md_responses(document: MemoDocument) -> list[str]:
    lines = [f"## {_md_block(document.responses_heading)}", ""]
    if document.responses_intro.strip():
        lines += [_md_block(document.responses_intro), ""]
    if document.abbreviations:
        lines += [ABBREVIATIONS_LEAD, ""]
    for abbreviation in document.abbreviations:
        lines += [_md_block(f"{abbreviation.abbreviation}: {abbreviation.name}"), ""]
    for part in document.parts:
        lines += [f"### {_md_block(part.heading)}", ""]
        for item in part.items:
            lines += _md_item(item)
    for note in document.notes:
        lines += [_md_block(note), ""]
    return lines


def _md_closing(document: MemoDocument) -> list[str]:
    """The consultee list and Videre arbejde."""
    lines: list[str] = []
    if document.consultees is not None:
        lines += [f"## {CONSULTEES_HEADING}", "",
                  *(_md_list_item(consultee_text(line)) for line in document.consultees), ""]
    if has_further_work(document):
        lines += [f"## {FURTHER_WORK_HEADING}", ""]
        for paragraph in document.further_work:
            lines += [_md_block(paragraph), ""]
        if document.tasks:
            lines += [*(_md_list_item(task) for task in document.tasks), ""]
        for paragraph in document.further_work_after:
            lines += [_md_block(paragraph), ""]
    return lines


def render_markdown(document: MemoDocument) -> str:
    lines = _md_head(document) + _md_responses(document) + _md_closing(document)
    return "\n".join(lines).rstrip() + "\n"


def has_further_work(document: MemoDocument) -> bool:
    return bool(document.further_work or document.tasks or document.further_work_after)


def document_context(document: MemoDocument, *, preview_items: int | None = None,
                     part_totals: tuple[int, ...] | None = None) -> dict[str, Any]:
    """What templates/memos/_memo_body.html needs. With ``preview_items`` it shows only
    that many items of each part, and how many there are in all (``part_totals``, one
    per part: the document may hold only the first items, see hoering.memos.preview):
    the memo page's preview. Without, the whole memo (the HTML and PDF documents)."""
    return {"document": document, "item_suffix": item_suffix, "reply_text": reply_text,
            "paragraphs": paragraphs, "consultee_text": consultee_text,
            "draft_mark": DRAFT_MARK, "unit_date_lines": unit_date_lines(document),
            "has_further_work": has_further_work(document),
            "background_heading": BACKGROUND_HEADING, "abbreviations_lead": ABBREVIATIONS_LEAD,
            "consultees_heading": CONSULTEES_HEADING,
            "further_work_heading": FURTHER_WORK_HEADING,
            "preview_items": preview_items, "part_totals": part_totals, "toc": False}


def render_html(document: MemoDocument, *, logo_uri: str = "", municipality: str = "",
                toc: bool = False) -> str:
    """The memo as one standalone HTML document. The PDF is laid out from it: with the
    letterhead's logo (a data: URI) and, for a long memo, a table of contents (``toc``:
    the headings get ids the contents link to)."""
    context = document_context(document)
    context.update(logo_uri=logo_uri, toc=toc,
                   municipality=document.municipality or municipality)
    return render_template("memos/memo_document.html", **context)
