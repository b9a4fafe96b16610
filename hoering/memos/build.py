"""Building the memo of a consultation from the data, in a fixed number of queries."""

from __future__ import annotations

import re
from datetime import date
from typing import NamedTuple

from sqlalchemy import func, select

from hoering.accounts.models import Body
from hoering.consultations.campaigns.operations import common_sender
from hoering.consultations.models import (
    PUBLIC_ABBREVIATION,
    Consultation,
    Consultee,
    PublicSubmitter,
    Remark,
    Reply,
    Response,
)
from hoering.core.clock import LOCAL_TZ
from hoering.core.db import db, now_utc
from hoering.core.formatting import danish_date_text
from hoering.memos.document import Abbreviation, MemoDocument, MemoItem, MemoPart
from hoering.memos.models import FollowUpTask
from hoering.policies.models import Section

GENERAL_HEADING = "Høringssvar med opmærksomhedspunkter generelt"
RESPONSES_INTRO = (
    "Nedenfor er høringssvarene præsenteret efter, om de omhandler {framing}, et "
    "specifikt afsnit eller opmærksomhedspunkter generelt. Efter hvert høringssvar er det "
    "angivet, hvilket organ svaret kommer fra."
)
LATE_NOTE = "Høringssvar markeret »modtaget efter fristen« er indkommet efter høringsfristen."
# Definite forms of the usual names of a draft's first section.
_DEFINITE = {
    "rammesætning": "rammesætningen",
    "indledning": "indledningen",
    "baggrund": "baggrunden",
    "vision": "visionen",
    "forord": "forordet",
    "formål": "formålet",
}
_NUMBERED = re.compile(r"^\s*(princip|tema|afsnit|kapitel|del)\s+(\d+)\b", re.IGNORECASE)


def framing_name(heading: str) -> str:
    """"Rammesætning" → "rammesætningen"; anything else is quoted."""
    key = heading.strip().rstrip(":").casefold()
    return _DEFINITE.get(key, f"afsnittet »{heading.strip()}«")


def part_heading(section: Section) -> str:
    if section.position == 1:
        return f"Høringssvar til {framing_name(section.heading)} og overordnet"
    numbered = _NUMBERED.match(section.heading)
    if numbered:
        return f"Høringssvar til {numbered.group(1).lower()} {numbered.group(2)}"
    return f"Høringssvar til {section.heading.strip()}"


def default_background(consultation: Consultation, bodies: list[Body],
                       responded: int, remark_count: int, public: int = 0) -> str:
    policy = consultation.version.policy
    owner = policy.owner_body
    names = [b.name for b in bodies]
    if not names:
        listed = "ingen høringsparter"
    elif len(names) == 1:
        listed = names[0]
    else:
        listed = ", ".join(names[:-1]) + " og " + names[-1]
    deadline = consultation.closes_at.astimezone(LOCAL_TZ).date()
    return (
        f"{owner.name} ({owner.abbreviation}) har sendt {_lower_first(policy.title.strip())} "
        f"i høring hos "
        f"{listed}. Høringsperioden løb fra {danish_date_text(consultation.opens_on)} til "
        f"{danish_date_text(deadline)}.\n\n"
        f"Der er modtaget høringssvar fra {responded} af {len(bodies)} høringsparter"
        + (f" og {public} høringssvar fra borgere og foreninger (offentlig høring)"
           if public else "")
        + f" med i alt {remark_count} bemærkninger. Administrationen har behandlet hver "
        "bemærkning; administrationens bemærkninger står i kursiv under hver bemærkning."
    )


def _paragraphs(text: str | None) -> tuple[str, ...]:
    return tuple(p.strip() for p in re.split(r"\n\s*\n", text or "") if p.strip())


class MemoFigures(NamedTuple):
    """The counts the memo's default background and notes are made of."""

    remarks: int
    responded_bodies: int
    public_responses: int
    late: bool  # a remark from a response received after the deadline


def build_memo(
    consultation: Consultation, *, draft: bool = True, version: int | None = None,
    on: date | None = None,
) -> MemoDocument:
    """The memo as it stands now. Issues the same number of queries whatever its size."""
    senders = _senders(consultation)
    remarks = _submitted_remarks(consultation)
    responding = [senders[response_id] for response_id in {r[1] for r in remarks}]
    sections = memo_sections(consultation)
    parts = memo_parts(sections, _items_by_section(remarks, senders))
    figures = MemoFigures(
        remarks=len(remarks),
        responded_bodies=len({s.body_id for s in responding if s.body_id is not None}),
        public_responses=sum(1 for s in responding if s.body_id is None),
        late=any(item.late for part in parts for item in part.items),
    )
    return memo_document(consultation, sections, parts, figures,
                         draft=draft, version=version, on=on)


def memo_sections(consultation: Consultation) -> list[Section]:
    return list(db.session.scalars(
        select(Section).where(Section.version_id == consultation.version_id)
        .order_by(Section.position)
    ))


def memo_document(
    consultation: Consultation, sections: list[Section], parts: list[MemoPart],
    figures: MemoFigures, *, draft: bool = True, version: int | None = None,
    on: date | None = None,
) -> MemoDocument:
    """The memo around its parts (all of them, or a preview's first items of each)."""
    policy = consultation.version.policy
    bodies = _consultee_bodies(consultation)
    tasks = list(db.session.scalars(
        select(FollowUpTask).where(FollowUpTask.policy_id == policy.id)
        .order_by(FollowUpTask.id)
    ))
    background = consultation.memo_background
    if not (background or "").strip():
        background = default_background(consultation, bodies, figures.responded_bodies,
                                        figures.remarks, public=figures.public_responses)
    framing = framing_name(sections[0].heading) if sections else "rammesætningen"
    return MemoDocument(
        title=f"Notat om høring af {_lower_first(policy.title.strip())}",
        unit=consultation.memo_unit.strip() or policy.owner_body.name,
        date=on or now_utc().astimezone(LOCAL_TZ).date(),
        draft=draft,
        version=version,
        background=_paragraphs(background),
        responses_intro=RESPONSES_INTRO.format(framing=framing),
        abbreviations=tuple(Abbreviation(b.abbreviation, b.name) for b in bodies),
        parts=tuple(parts),
        further_work=_paragraphs(consultation.memo_further_work),
        tasks=tuple(task.title for task in tasks),
        notes=(LATE_NOTE,) if figures.late else (),
    )


def _consultee_bodies(consultation: Consultation) -> list[Body]:
    """The consultation's consultees, by name."""
    return list(db.session.scalars(
        select(Body).join(Consultee, Consultee.body_id == Body.id)
        .where(Consultee.consultation_id == consultation.id).order_by(Body.name)
    ))


class _Sender(NamedTuple):
    """What the memo needs of a submitted response."""

    body_id: int | None  # None: a public response
    abbreviation: str  # Response.sender_abbreviation
    late: bool


def _senders(consultation: Consultation) -> dict[int, _Sender]:
    """The consultation's submitted responses by id: one query."""
    rows = db.session.execute(
        select(Response.id, Response.body_id, Body.abbreviation, PublicSubmitter.organisation,
               Response.received_late)
        .outerjoin(Response.body).outerjoin(Response.submitter)
        .where(Response.consultation_id == consultation.id,
               Response.submitted_at.is_not(None))
    )
    return {
        response_id: _Sender(body_id, sender_abbreviation(body_id, abbreviation, organisation),
                             bool(late))
        for response_id, body_id, abbreviation, organisation, late in rows
    }


def sender_abbreviation(body_id: int | None, abbreviation: str | None,
                        organisation: str | None) -> str:
    """``Response.sender_abbreviation`` from the columns it is made of."""
    if body_id is not None:
        return abbreviation or ""
    return organisation or PUBLIC_ABBREVIATION


# (id, response id, section id, group id, memo wording, reply text or None)
_MemoRow = tuple[int, int, int | None, int | None, str, str | None]


def _submitted_remarks(consultation: Consultation) -> list[_MemoRow]:
    """The remarks of submitted responses with their memo wording and reply, in the
    order the responses came in: one query of plain rows (no ORM objects: a memo may
    have 100,000 remarks)."""
    return list(db.session.execute(
        select(Remark.id, Remark.response_id, Remark.section_id, Remark.group_id,
               func.coalesce(Remark.memo_text, Remark.original_text), Reply.text)
        .join(Remark.response)
        .outerjoin(Remark.reply)
        .where(Remark.consultation_id == consultation.id, Response.submitted_at.is_not(None))
        .order_by(Response.submitted_at, Response.id, Remark.id)
    ))


def _items_by_section(remarks: list[_MemoRow], senders: dict[int, _Sender]
                      ) -> dict[int | None, list[MemoItem]]:
    """One memo item per remark, or per group of remarks (where its first remark is),
    keyed by section id (None: the general remarks)."""
    by_section: dict[int | None, list[MemoItem]] = {}
    groups = _groups(remarks, senders)
    for remark_id, response_id, section_id, group_id, wording, reply in remarks:
        sender = senders[response_id]
        abbreviation, count = sender.abbreviation, 1
        if group_id is not None:
            first_id, abbreviation, count = groups[group_id]
            if remark_id != first_id:
                continue  # summarised where the group's first remark is
        items = by_section.get(section_id)
        if items is None:
            items = by_section[section_id] = []
        items.append(memo_item(wording, abbreviation, reply, sender.late, count))
    return by_section


def memo_item(wording: str, abbreviation: str, reply: str | None, late: bool,
              count: int) -> MemoItem:
    return MemoItem(text=wording.strip(), abbreviation=abbreviation,
                    reply=reply.strip() if reply is not None else None, late=late, count=count)


def memo_parts(sections: list[Section],
               by_section: dict[int | None, list[MemoItem]]) -> list[MemoPart]:
    """A part per section that has items, in section order, then the general part."""
    parts = [
        MemoPart(part_heading(section), tuple(by_section[section.id]))
        for section in sections if by_section.get(section.id)
    ]
    if by_section.get(None):
        parts.append(MemoPart(GENERAL_HEADING, tuple(by_section[None])))
    return parts


def _groups(remarks: list[_MemoRow], senders: dict[int, _Sender]
            ) -> dict[int, tuple[int, str, int]]:
    """Each group among ``remarks`` with its first (oldest) remark's id, its members'
    common sender and its size. A group becomes one memo item with the first remark's
    wording and reply and the count."""
    members: dict[int, list[tuple[int, str]]] = {}
    for remark_id, response_id, _section_id, group_id, _wording, _reply in remarks:
        if group_id is not None:
            members.setdefault(group_id, []).append(
                (remark_id, senders[response_id].abbreviation))
    return {
        group_id: (min(remark_id for remark_id, _ in group),
                   common_sender(sender for _, sender in group), len(group))
        for group_id, group in members.items()
    }


def _lower_first(title: str) -> str:
    """"Politiske principper for ..." → "politiske principper for ..." (but keep
    abbreviations such as "IT-strategi" or "KB" as they are)."""
    first = title.split(" ", 1)[0]
    if len(first) > 1 and first[1:].islower():
        return title[0].lower() + title[1:]
    return title
