"""The consultation memo (høringsnotat) as one document structure.

Every format (HTML, .docx, PDF, Markdown) is rendered from a ``MemoDocument``, so the
formats cannot drift apart. Building the document is in ``hoering.memos.build``; this
module holds only the structure and the plain-text helpers the renderers share.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import date
from enum import StrEnum

from hoering.core.formatting import danish_date_text

REPLY_LEAD = "Administrationens bemærkninger:"
PENDING_REPLY = "besvares senere"
DRAFT_MARK = "UDKAST"
# The fixed headings every renderer writes (the editable texts are in the document).
BACKGROUND_HEADING = "Baggrund"
ABBREVIATIONS_LEAD = "Forkortelser:"
FURTHER_WORK_HEADING = "Videre arbejde"
CONSULTEES_HEADING = "Høringsparter"


@dataclass(frozen=True)
class MemoItem:
    """One remark in the memo: its memo wording (one or more paragraphs, separated by a
    blank line: see ``paragraphs``), the body's abbreviation, the reply."""

    text: str
    abbreviation: str
    reply: str | None  # None: not answered yet (only in drafts) or ``pending``
    late: bool = False
    count: int = 1  # > 1 when a group of identical responses is summarised as one
    # Issued, by the secretary's explicit choice, before its reply was approved: the memo
    # says "besvares senere" (never an unapproved text).
    pending: bool = False


@dataclass(frozen=True)
class MemoPart:
    """A heading with its remarks, e.g. "Høringssvar til princip 1"."""

    heading: str
    items: tuple[MemoItem, ...]


@dataclass(frozen=True)
class Abbreviation:
    abbreviation: str
    name: str


class ConsulteeAnswer(StrEnum):
    RECEIVED = "received"
    NO_REMARKS = "no_remarks"
    NONE = "none"


ANSWER_LABELS = {
    ConsulteeAnswer.RECEIVED: "høringssvar modtaget",
    ConsulteeAnswer.NO_REMARKS: "ingen bemærkninger",
    ConsulteeAnswer.NONE: "intet svar",
}


@dataclass(frozen=True)
class ConsulteeLine:
    """One invited party in the memo's consultee list (lovkvalitet 9.1.6)."""

    name: str
    abbreviation: str
    answer: ConsulteeAnswer
    late: bool = False
    own_deadline: str = ""  # "15. maj 2024 kl. 23:59": a later deadline of its own


@dataclass(frozen=True)
class MemoDocument:
    title: str  # "Notat om høring af de politiske principper for ..."
    unit: str  # the issuing unit, e.g. "Digitalisering"
    date: date
    draft: bool  # drafts carry the mark UDKAST
    version: int | None  # the issued memo version, None for a draft
    background: tuple[str, ...]  # paragraphs
    responses_intro: str  # the paragraph before the abbreviations
    abbreviations: tuple[Abbreviation, ...]  # in the memo's order of the bodies
    parts: tuple[MemoPart, ...]
    further_work: tuple[str, ...] = ()  # paragraphs before the follow-up tasks
    tasks: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())  # e.g. the meaning of "modtaget efter fristen"
    municipality: str = ""  # for the header, e.g. "Ballerup Kommune"
    responses_heading: str = "Høringssvar fra høringsparterne"
    further_work_after: tuple[str, ...] = ()  # paragraphs after the follow-up tasks
    consultees: tuple[ConsulteeLine, ...] | None = None  # None: no consultee list

    @property
    def remark_count(self) -> int:
        return sum(item.count for part in self.parts for item in part.items)

    def content_hash(self) -> str:
        """SHA-256 over the content (not the date or draft mark): equal hashes mean an
        unchanged memo, whatever format it is rendered in."""
        return hashlib.sha256(self.canonical_json().encode("utf-8")).hexdigest()

    def canonical_json(self) -> str:
        """The content hashed: the JSON of ``dataclasses.asdict`` without the volatile
        fields, keys sorted. Written without ``asdict`` (which copies every value, seconds
        for a memo of 100,000 remarks): the encoder takes each nested dataclass's fields
        as it meets it, which gives the same text."""
        content = {f.name: getattr(self, f.name) for f in fields(self)
                   if f.name not in ("date", "draft", "version")}
        return json.dumps(content, sort_keys=True, ensure_ascii=False, default=_plain)


def _plain(value: object) -> object:
    """A nested dataclass as the dict of its fields (as ``asdict``; its ``__dict__`` holds
    exactly those), anything else as ``str``."""
    if is_dataclass(value) and not isinstance(value, type):
        return vars(value)
    return str(value)


@dataclass(frozen=True)
class Letterhead:
    """What the documents are dressed in, from the municipality's settings: not part of
    the memo's content (nor its hash)."""

    municipality: str = ""
    logo: bytes | None = None
    logo_media_type: str = ""
    word_template: bytes | None = None  # .dotx/.docx; None: the built-in template


_BLANK_LINE = re.compile(r"\n\s*\n")


def paragraphs(text: str) -> list[str]:
    """A remark's or reply's paragraphs: split at blank lines (a bullet may hold
    several; every renderer keeps them inside the one bullet)."""
    return [p.strip() for p in _BLANK_LINE.split(text) if p.strip()] or [text.strip()]


def unit_date_lines(document: MemoDocument) -> list[str]:
    """The unit and date block: "Digitalisering", "Dato 8. juni 2024" and, for an issued
    memo, "Version 2" (each a line of its own, as the reference memo has them)."""
    lines = [document.unit] if document.unit else []
    lines.append(f"Dato {danish_date_text(document.date)}")
    if not document.draft and document.version is not None:
        lines.append(f"Version {document.version}")
    return lines


def consultee_text(line: ConsulteeLine) -> str:
    """"Børne- og Skoleudvalget (BSU): høringssvar modtaget, modtaget efter fristen"."""
    text = f"{line.name} ({line.abbreviation}): {ANSWER_LABELS[line.answer]}"
    if line.own_deadline:
        text += f", individuel frist {line.own_deadline}"
    return text + (", modtaget efter fristen" if line.late else "")


def item_suffix(item: MemoItem) -> str:
    """What follows a remark: "(SOU)", with the late mark and group count if any."""
    extra = []
    if item.count > 1:
        extra.append(f"{item.count} enslydende høringssvar")
    if item.late:
        extra.append("modtaget efter fristen")
    return f"({item.abbreviation})" + (f" [{'; '.join(extra)}]" if extra else "")


def reply_text(item: MemoItem) -> str:
    if item.pending:
        return f"{REPLY_LEAD} {PENDING_REPLY}"
    return f"{REPLY_LEAD} {item.reply}" if item.reply else f"{REPLY_LEAD} (ikke besvaret endnu)"
