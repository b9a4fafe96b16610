"""Building the memo of a consultation from the data, in a fixed number of queries.

Every text staff left empty is the generated default (``hoering.memos.texts``); the
bodies and the items follow the memo's order (``hoering.memos.order``). A draft shows
each reply as it stands; an issued memo only approved replies, the others marked
"besvares senere" (``issue_memo`` refuses that unless the secretary chose it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from operator import itemgetter
from typing import Any, NamedTuple

from sqlalchemy import func, select

from hoering.accounts.models import Body
from hoering.consultations.models import (
    PUBLIC_ABBREVIATION,
    Consultation,
    PublicSubmitter,
    Remark,
    Reply,
    Response,
)
from hoering.core.db import db, now_utc
from hoering.core.formatting import deadline_text
from hoering.core.i18n import in_municipality_language
from hoering.memos.document import (
    Abbreviation,
    ConsulteeLine,
    MemoDocument,
    MemoItem,
    MemoPart,
)
from hoering.memos.models import FollowUpTask
from hoering.memos.order import (
    ItemKey,
    MemoBody,
    SenderKey,
    body_ranks,
    group_label,
    item_key,
    memo_bodies,
    sender_key,
)
from hoering.memos.texts import (
    GENERAL_KEY,
    LATE_NOTE,
    TITLE_LEAD,
    BackgroundFacts,
    MemoDefaults,
    consultee_kinds,
    default_background,
    default_part_headings,
    local_date,
    policy_phrase,
    responses_intro,
)
from hoering.municipality.settings import current_settings
from hoering.policies.models import Section


def _paragraphs(text: str | None) -> tuple[str, ...]:
    return tuple(p.strip() for p in re.split(r"\n\s*\n", text or "") if p.strip())


class MemoFigures(NamedTuple):
    """The counts the memo's default background and notes are made of."""

    remarks: int
    responded_bodies: int
    public_responses: int
    late: bool  # a remark from a response received after the deadline


# A memo item with its place in the part and the id of its (first) remark (a plain
# tuple: a memo may have 100,000 items).
OrderedItem = tuple[ItemKey, int, MemoItem]


@dataclass(frozen=True)
class MemoBuild:
    """The memo and what the memo page needs beside it to edit its texts and order."""

    document: MemoDocument
    part_keys: tuple[str, ...]  # each part's key: its section id as text, or "general"
    item_ids: tuple[tuple[int, ...], ...]  # each part's items' (first) remark ids
    defaults: MemoDefaults
    bodies: tuple[MemoBody, ...]  # the invited bodies in the memo's order
    # (key, section heading) of every part the memo may have, for the headings' fields
    part_labels: tuple[tuple[str, str], ...]


def build_memo(
    consultation: Consultation, *, draft: bool = True, version: int | None = None,
    on: date | None = None,
) -> MemoDocument:
    """The memo as it stands now. Issues the same number of queries whatever its size."""
    return memo_build(consultation, draft=draft, version=version, on=on).document


@in_municipality_language()  # the memo is the municipality's document, whoever builds it
def memo_build(
    consultation: Consultation, *, draft: bool = True, version: int | None = None,
    on: date | None = None,
) -> MemoBuild:
    """``build_memo`` with the item ids, the defaults and the bodies."""
    bodies = memo_bodies(consultation)
    ranks = body_ranks(bodies)
    senders = _senders(consultation, ranks)
    remarks = _submitted_remarks(consultation)
    responding = [senders[response_id] for response_id in {r[1] for r in remarks}]
    by_section = _items_by_section(remarks, senders, ranks, draft=draft)
    figures = MemoFigures(
        remarks=len(remarks),
        responded_bodies=len({s.body_id for s in responding if s.body_id is not None}),
        public_responses=sum(1 for s in responding if s.body_id is None),
        late=any(item.late for items in by_section.values() for _k, _id, item in items),
    )
    return memo_document(consultation, memo_sections(consultation), by_section, figures,
                         bodies, draft=draft, version=version, on=on)


def memo_sections(consultation: Consultation) -> list[Section]:
    return list(db.session.scalars(
        select(Section).where(Section.version_id == consultation.version_id)
        .order_by(Section.position)
    ))


def memo_defaults(consultation: Consultation, sections: list[Section],
                  bodies: list[MemoBody], figures: MemoFigures, *,
                  default_unit: str) -> MemoDefaults:
    """The texts an empty field stands for (``default_unit``: the municipality's)."""
    policy = consultation.version.policy
    owner = policy.owner_body
    phrase = policy_phrase(policy.title)
    kinds = consultee_kinds({b.kind for b in bodies}, public=consultation.public)
    facts = BackgroundFacts(
        owner=f"{owner.name} ({owner.abbreviation})", policy=phrase,
        bodies=[b.name for b in bodies], opens_on=consultation.opens_on,
        closes_at_local=local_date(consultation.closes_at),
        responded=figures.responded_bodies, remarks=figures.remarks,
        public=figures.public_responses,
    )
    return MemoDefaults(
        title=TITLE_LEAD + phrase,
        unit=default_unit.strip() or owner.name,
        background=default_background(facts),
        responses_heading=kinds.heading,
        responses_intro=responses_intro(sections, kinds),
        part_headings=default_part_headings(sections),
    )


def memo_document(
    consultation: Consultation, sections: list[Section],
    by_section: dict[int | None, list[OrderedItem]], figures: MemoFigures,
    bodies: list[MemoBody], *, draft: bool = True, version: int | None = None,
    on: date | None = None,
) -> MemoBuild:
    """The memo around its parts (all of them, or a preview's first items of each)."""
    settings = current_settings()
    defaults = memo_defaults(consultation, sections, bodies, figures,
                             default_unit=settings.default_unit)
    headings = part_headings(consultation, sections, defaults.part_headings)
    keyed = memo_parts(sections, by_section)
    tasks = db.session.scalars(
        select(FollowUpTask.title).where(FollowUpTask.policy_id == consultation.version
                                         .policy_id).order_by(FollowUpTask.id))
    document = MemoDocument(
        title=(consultation.memo_title or "").strip() or defaults.title,
        unit=consultation.memo_unit.strip() or defaults.unit,
        date=on or local_date(now_utc()), draft=draft, version=version,
        background=_paragraphs(consultation.memo_background) or _paragraphs(
            defaults.background),
        responses_heading=(consultation.memo_responses_heading or "").strip()
        or defaults.responses_heading,
        responses_intro=(consultation.memo_responses_intro or "").strip()
        or defaults.responses_intro,
        abbreviations=tuple(Abbreviation(b.abbreviation, b.name) for b in bodies),
        parts=tuple(MemoPart(headings[key], tuple(item for _k, _id, item in items))
                    for key, items in keyed),
        further_work=_paragraphs(consultation.memo_further_work),
        tasks=tuple(tasks),
        notes=(LATE_NOTE,) if figures.late else (),
        municipality=settings.name,
        further_work_after=_paragraphs(consultation.memo_further_work_after),
        consultees=tuple(
            ConsulteeLine(b.name, b.abbreviation, b.answer, b.late,
                          deadline_text(b.own_deadline) if b.own_deadline else "")
            for b in bodies) if consultation.memo_consultee_list else None,
    )
    return MemoBuild(document, tuple(key for key, _ in keyed),
                     tuple(tuple(remark_id for _k, remark_id, _i in items)
                           for _, items in keyed),
                     defaults, tuple(bodies), part_labels(sections))


def part_headings(consultation: Consultation, sections: list[Section],
                  defaults: dict[str, str] | None = None) -> dict[str, str]:
    """Every part's heading by its key: staff's where they rewrote it, else the
    default."""
    headings = dict(defaults if defaults is not None else default_part_headings(sections))
    headings.update({
        key: text.strip() for key, text in (consultation.memo_part_headings or {}).items()
        if key in headings and isinstance(text, str) and text.strip()})
    return headings


def part_labels(sections: list[Section]) -> tuple[tuple[str, str], ...]:
    """(key, section heading) of each section's part and of the general part ("")."""
    return (*((str(s.id), s.heading) for s in sections), (GENERAL_KEY, ""))


def memo_parts(sections: list[Section], by_section: dict[int | None, list[OrderedItem]]
               ) -> list[tuple[str, list[OrderedItem]]]:
    """A part per section that has items, in section order, then the general part; each
    by its key and with its items in the memo's order."""
    parts = [(str(section.id), by_section[section.id])
             for section in sections if by_section.get(section.id)]
    if by_section.get(None):
        parts.append((GENERAL_KEY, by_section[None]))
    for _key, items in parts:
        items.sort(key=itemgetter(0))
    return parts


class _Sender(NamedTuple):
    """What the memo needs of a submitted response."""

    body_id: int | None  # None: a public response
    abbreviation: str  # Response.sender_abbreviation
    late: bool
    key: SenderKey  # its place in the memo's order


def _senders(consultation: Consultation, ranks: dict[int, int]) -> dict[int, _Sender]:
    """The consultation's submitted responses by id: one query."""
    rows = db.session.execute(
        select(Response.id, Response.body_id, Body.abbreviation, PublicSubmitter.organisation,
               Response.received_late)
        .outerjoin(Response.body).outerjoin(Response.submitter)
        .where(Response.consultation_id == consultation.id,
               Response.submitted_at.is_not(None))
        .order_by(Response.submitted_at, Response.id)
    )
    return {
        response_id: _Sender(body_id, sender_abbreviation(body_id, abbreviation, organisation),
                             bool(late), sender_key(ranks, body_id, submitted))
        for submitted, (response_id, body_id, abbreviation, organisation, late)
        in enumerate(rows)
    }


def sender_abbreviation(body_id: int | None, abbreviation: str | None,
                        organisation: str | None) -> str:
    """``Response.sender_abbreviation`` from the columns it is made of."""
    if body_id is not None:
        return abbreviation or ""
    return organisation or str(PUBLIC_ABBREVIATION)


def _submitted_remarks(consultation: Consultation) -> list[tuple[Any, ...]]:
    """The remarks of submitted responses: (id, response id, section id, group id, memo
    wording, reply, whether approved, place). One query of plain tuples, read past the
    ORM (a memo may have 100,000 remarks)."""
    db.session.flush()  # what ``session.execute`` would do first
    return list(db.session.connection().execute(
        select(Remark.id, Remark.response_id, Remark.section_id, Remark.group_id,
               func.coalesce(Remark.memo_text, Remark.original_text),
               Reply.text, Reply.approved_at.is_not(None), Remark.memo_position)
        .join(Remark.response)
        .outerjoin(Remark.reply)
        .where(Remark.consultation_id == consultation.id, Response.submitted_at.is_not(None))
    ).all())


def _items_by_section(remarks: list[tuple[Any, ...]], senders: dict[int, _Sender],
                      ranks: dict[int, int], *, draft: bool
                      ) -> dict[int | None, list[OrderedItem]]:
    """One memo item per remark, or per group of remarks (where its first remark is),
    keyed by section id (None: the general remarks), each with its sort key."""
    by_section: dict[int | None, list[OrderedItem]] = {}
    groups = _groups(remarks, senders, ranks)
    for remark_id, response_id, section_id, group_id, wording, reply, approved, place in (
            remarks):
        sender = senders[response_id]
        abbreviation, count = sender.abbreviation, 1
        if group_id is not None:
            first_id, abbreviation, count = groups[group_id]
            if remark_id != first_id:
                continue  # summarised where the group's first remark is
        items = by_section.get(section_id)
        if items is None:
            items = by_section[section_id] = []
        items.append((item_key(place, sender.key, remark_id), remark_id, memo_item(
            wording, abbreviation, reply, bool(approved), sender.late, count, draft=draft)))
    return by_section


def memo_item(wording: str, abbreviation: str, reply: str | None, approved: bool,
              late: bool, count: int, *, draft: bool) -> MemoItem:
    """A draft shows the reply as it stands; an issued memo only an approved one, and
    marks the item "besvares senere" otherwise."""
    if not (approved or draft):
        reply = None
    return MemoItem(text=wording.strip(), abbreviation=abbreviation,
                    reply=reply.strip() if reply is not None else None, late=late,
                    count=count, pending=not draft and reply is None)


def _groups(remarks: list[tuple[Any, ...]], senders: dict[int, _Sender],
            ranks: dict[int, int]) -> dict[int, tuple[int, str, int]]:
    """Each group among ``remarks`` with its first (oldest) remark's id, its senders'
    label and its size. A group becomes one memo item with the first remark's wording
    and reply and the count."""
    members: dict[int, list[tuple[int, _Sender]]] = {}
    for remark_id, response_id, _section_id, group_id, *_rest in remarks:
        if group_id is not None:
            members.setdefault(group_id, []).append((remark_id, senders[response_id]))
    return {
        group_id: (min(remark_id for remark_id, _ in group),
                   group_label(((s.body_id, s.abbreviation) for _, s in group), ranks),
                   len(group))
        for group_id, group in members.items()
    }
