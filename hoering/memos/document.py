"""The consultation memo (høringsnotat) as one document structure.

Every format (HTML, .docx, PDF, Markdown) is rendered from a ``MemoDocument``, so the
formats cannot drift apart. Building the document is in ``hoering.memos.build``; this
module holds only the structure and the plain-text helpers the renderers share.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import date

REPLY_LEAD = "Administrationens bemærkninger:"
DRAFT_MARK = "UDKAST"


@dataclass(frozen=True)
class MemoItem:
    """One remark in the memo: its memo wording, the body's abbreviation, the reply."""

    text: str
    abbreviation: str
    reply: str | None  # None: not answered yet (only in drafts)
    late: bool = False
    count: int = 1  # > 1 when a group of identical responses is summarised as one


@dataclass(frozen=True)
class MemoPart:
    """A heading with its remarks, e.g. "Høringssvar til princip 1"."""

    heading: str
    items: tuple[MemoItem, ...]


@dataclass(frozen=True)
class Abbreviation:
    abbreviation: str
    name: str


@dataclass(frozen=True)
class MemoDocument:
    title: str  # "Notat om høring af <policy title>"
    unit: str  # the issuing unit, e.g. "Digitalisering"
    date: date
    draft: bool  # drafts carry the mark UDKAST
    version: int | None  # the issued memo version, None for a draft
    background: tuple[str, ...]  # paragraphs
    responses_intro: str  # the paragraph before the abbreviations
    abbreviations: tuple[Abbreviation, ...]
    parts: tuple[MemoPart, ...]
    further_work: tuple[str, ...] = ()  # paragraphs introducing the follow-up tasks
    tasks: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())  # e.g. the meaning of "modtaget efter fristen"

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


def item_suffix(item: MemoItem) -> str:
    """What follows a remark: "(SOU)", with the late mark and group count if any."""
    extra = []
    if item.count > 1:
        extra.append(f"{item.count} enslydende høringssvar")
    if item.late:
        extra.append("modtaget efter fristen")
    return f"({item.abbreviation})" + (f" [{'; '.join(extra)}]" if extra else "")


def reply_text(item: MemoItem) -> str:
    return f"{REPLY_LEAD} {item.reply}" if item.reply else f"{REPLY_LEAD} (ikke besvaret endnu)"
