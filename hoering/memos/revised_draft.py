"""The revised draft of a policy as documents to send: the revised version with its
changes against the consulted version (Word tracked changes, a PDF redline), each
changed passage annotated with the remarks from the consultation it answers, or the
clean revised version.

:func:`build_revised_draft` reads everything into a :class:`RevisedDraft` (the word diff
of ``hoering.policies.diff``, paired and cut into passages by
``hoering.consultations.revision``); the renderers (``revised_docx``, ``revised_pdf``)
only lay it out, paragraph by paragraph (:func:`layout`); ``revised_render`` picks one.

Where a remark's note goes: a link to a passage (``ChangeLink.passage``) sits on that
changed passage; a link to the whole section (or to a passage no longer found) on the
section's first changed passage, or on its heading when nothing in it changed. A
change's date is when it was linked: the earliest link on its passage, else the
earliest link to the whole section, else when the revised version was made.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from hoering.consultations.forms import DISPOSITION_LABELS
from hoering.consultations.models import ChangeLink
from hoering.consultations.revision import ComparedSection, Passage, compare_versions, find_passage
from hoering.core.clock import LOCAL_TZ
from hoering.core.db import now_utc
from hoering.core.i18n import in_municipality_language
from hoering.memos.document import REPLY_LEAD, Letterhead
from hoering.memos.letterhead import current_letterhead
from hoering.municipality.settings import current_settings
from hoering.policies.diff import DELETE, EQUAL, INSERT, SectionPair, Token, diff_words
from hoering.policies.models import PolicyVersion, Section

SECRETARIAT = "sekretariatet"
UNAPPROVED_REPLY = "Svaret er endnu ikke godkendt."
NO_REPLY = "(ikke besvaret endnu)"


@dataclass(frozen=True)
class CitedRemark:
    """A remark a change answers, as the note on the change cites it."""

    abbreviation: str  # the sender: "SOU", an association, "Borger"
    text: str  # the memo wording (the original if staff did not edit it)
    reply: str | None  # the approved reply; None: none approved yet
    disposition: str | None  # its Danish label ("Indarbejdet")
    answered: bool = True  # False: no reply written at all

    def lines(self) -> list[str]:
        """"«text» (SOU)", then the reply and the disposition."""
        lines = [f"«{' '.join(self.text.split())}» ({self.abbreviation})"]
        if self.reply is not None:
            lines.append(f"{REPLY_LEAD} {' '.join(self.reply.split())}")
            lines.append(f"Behandling: {self.disposition}.")
        else:
            lines.append(f"{REPLY_LEAD} {UNAPPROVED_REPLY if self.answered else NO_REPLY}")
        return lines


@dataclass(frozen=True)
class Note:
    """The remarks one changed passage (or a heading) answers: a comment in Word, a
    footnote in the PDF."""

    remarks: tuple[CitedRemark, ...]
    linked_at: datetime

    def lines(self) -> list[str]:
        return [line for remark in self.remarks for line in remark.lines()]

    def text(self) -> str:
        return "\n".join(self.lines())


@dataclass(frozen=True)
class RevisedSection:
    """One section as the document shows it: its heading's and text's tokens (all equal
    in the clean version), its changed passages and the notes on them."""

    pair: SectionPair
    passages: tuple[Passage, ...] = ()
    notes: dict[int, Note] = field(default_factory=dict)  # passage index -> its note
    heading_note: Note | None = None  # remarks on a section with no changed passage
    changed_at: datetime | None = None  # the date of its changes that carry no note

    def date_of(self, passage: int | None) -> datetime:
        """The date of a change in ``passage`` (None: outside any passage)."""
        if passage is not None and passage in self.notes:
            return self.notes[passage].linked_at
        return self.changed_at or now_utc()


@dataclass(frozen=True)
class RevisedDraft:
    title: str  # the policy's title
    lines: tuple[str, ...]  # under the title: which version, compared with which, date
    unit: str
    author: str  # the secretariat: author of the tracked changes and comments
    initials: str
    tracked: bool  # with changes against the consulted version; False: the clean text
    sections: tuple[RevisedSection, ...]
    letterhead: Letterhead
    day: date

    @property
    def kind(self) -> str:
        return "Revideret udkast med ændringer" if self.tracked else "Revideret udkast"


def secretariat(municipality: str, unit: str) -> str:
    """"Ballerup Kommune – sekretariatet"; the unit when the municipality has no name."""
    if municipality.strip():
        return f"{municipality.strip()} – {SECRETARIAT}"
    return unit.strip() or SECRETARIAT.capitalize()


def _initials(name: str) -> str:
    return "".join(word[0] for word in name.split() if word[0].isalpha()).upper()[:4]


@in_municipality_language()  # the municipality's document, as the memo
def build_revised_draft(new: PolicyVersion, old: PolicyVersion | None = None) -> RevisedDraft:
    """``new`` with its changes against ``old`` and the remarks linked to them; without
    ``old``, the clean text of ``new``."""
    settings = current_settings()
    letterhead = current_letterhead()
    author = secretariat(settings.name, settings.default_unit)
    today = now_utc().astimezone(LOCAL_TZ).date()
    if old is None:
        sections = tuple(RevisedSection(_clean_pair(section)) for section in new.sections)
        line = new.label + (f" · {new.note}" if new.note else "")
    else:
        sections = tuple(_revised_section(item, new.created_at)
                         for item in compare_versions(old, new))
        line = (f"{new.label} sammenlignet med {old.label.lower()}"
                + (f" ({old.note})" if old.note else ""))
    return RevisedDraft(
        title=new.policy.title, lines=(line,), unit=settings.default_unit, author=author,
        initials=_initials(settings.name) or "SEK", tracked=old is not None,
        sections=sections, letterhead=letterhead, day=today,
    )


def _clean_pair(section: Section) -> SectionPair:
    return SectionPair(
        old_heading=section.heading, new_heading=section.heading, old_id=section.id,
        new_id=section.id, heading_tokens=diff_words(section.heading, section.heading),
        text_tokens=diff_words(section.text, section.text), changed=False,
    )


def _revised_section(item: ComparedSection, created_at: datetime) -> RevisedSection:
    """The notes of a compared section: each link on its passage, or on the section."""
    passages = tuple(item.passages)
    anchored: dict[int | None, list[ChangeLink]] = {}
    for link in item.links:
        passage = find_passage(passages, link.passage)
        anchored.setdefault(passages.index(passage) if passage else None, []).append(link)
    whole = anchored.pop(None, [])
    section_date = min((link.created_at for link in whole), default=created_at)
    if whole and passages:
        anchored.setdefault(0, [])[:0] = whole
    notes = {index: _note(links) for index, links in sorted(anchored.items())
             if index is not None}
    return RevisedSection(
        pair=item.pair, passages=passages, notes=notes,
        heading_note=_note(whole) if whole and not passages else None,
        changed_at=section_date,
    )


def _note(links: Sequence[ChangeLink]) -> Note:
    ordered = sorted(links, key=lambda link: link.remark_id)
    return Note(remarks=tuple(_cited(link) for link in ordered),
                linked_at=min(link.created_at for link in links))


def _cited(link: ChangeLink) -> CitedRemark:
    remark = link.remark
    approved = remark.reply if remark.reply is not None and remark.reply.is_approved else None
    return CitedRemark(
        abbreviation=remark.response.sender_abbreviation, text=remark.wording,
        reply=approved.text if approved else None,
        disposition=str(DISPOSITION_LABELS[approved.disposition]) if approved else None,
        answered=remark.reply is not None,
    )


# --- layout: the sections as paragraphs of runs, shared by the renderers ---------------


@dataclass(frozen=True)
class Piece:
    """A run of text: unchanged, inserted or deleted, in a changed passage or not."""

    kind: str  # EQUAL, INSERT or DELETE
    text: str
    passage: int | None  # index of its passage in the section's passages


@dataclass
class RevisedParagraph:
    """A paragraph of a section: its heading (``heading``) or one of its text's. ``mark``
    is how its end (the paragraph mark) changed: a deleted mark joins it to the next
    paragraph once the changes are accepted, an inserted one once they are rejected."""

    heading: bool
    pieces: list[Piece] = field(default_factory=list)
    mark: str = EQUAL


def layout(section: RevisedSection) -> list[RevisedParagraph]:
    """The heading paragraph, then the text's paragraphs (none for an empty text)."""
    pair = section.pair
    status = pair.status
    heading_mark = {"inserted": INSERT, "removed": DELETE}.get(status, EQUAL)
    owner = _passage_of(section.passages, in_heading=True)
    heading = RevisedParagraph(heading=True, mark=heading_mark, pieces=[
        Piece(token.kind, token.text, owner.get(index))
        for index, token in enumerate(pair.heading_tokens)])
    tokens = pair.text_tokens
    if not tokens:
        return [heading]
    paragraphs = _paragraphs(section, tokens)
    # The section's last mark: new when the old text was empty, gone when the new one is.
    if all(token.kind == INSERT for token in tokens):
        paragraphs[-1].mark = INSERT
    elif all(token.kind == DELETE for token in tokens):
        paragraphs[-1].mark = DELETE
    return [heading, *paragraphs]


def _paragraphs(section: RevisedSection, tokens: Sequence[Token]) -> list[RevisedParagraph]:
    """The text split at its paragraph breaks; a break's kind is the mark of the
    paragraph it ends (a deleted break right before an inserted one: an unchanged mark)."""
    owner = _passage_of(section.passages, in_heading=False)
    paragraphs = [RevisedParagraph(heading=False)]
    pending: str | None = None  # the kind of the break seen last, not yet applied
    for index, token in enumerate(tokens):
        if token.is_paragraph_break:
            if {pending, token.kind} == {DELETE, INSERT}:
                pending = EQUAL  # the break was replaced by another: it stays
                continue
            if pending is not None:  # two breaks in a row: an empty paragraph between
                paragraphs[-1].mark = pending
                paragraphs.append(RevisedParagraph(heading=False))
            pending = token.kind
            continue
        if pending is not None:
            paragraphs[-1].mark = pending
            paragraphs.append(RevisedParagraph(heading=False))
            pending = None
        paragraphs[-1].pieces.append(Piece(token.kind, token.text, owner.get(index)))
    if pending is not None:  # a text ending in a break: an empty last paragraph
        paragraphs[-1].mark = pending
        paragraphs.append(RevisedParagraph(heading=False))
    return paragraphs


def _passage_of(passages: Sequence[Passage], *, in_heading: bool) -> dict[int, int]:
    """Token index -> index of the passage that holds it."""
    return {token: index for index, passage in enumerate(passages)
            if passage.in_heading == in_heading
            for token in range(passage.start, passage.end)}


def last_piece_of(paragraphs: Sequence[RevisedParagraph]) -> dict[int, tuple[int, int]]:
    """Passage index -> (paragraph, piece) of its last piece: where its note goes."""
    found: dict[int, tuple[int, int]] = {}
    for p, paragraph in enumerate(paragraphs):
        for k, piece in enumerate(paragraph.pieces):
            if piece.passage is not None:
                found[piece.passage] = (p, k)
    return found
