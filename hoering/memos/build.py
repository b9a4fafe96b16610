"""Building the memo of a consultation from the data, in a fixed number of queries."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import contains_eager, joinedload

from hoering.accounts.models import Body
from hoering.consultations.campaigns.operations import common_sender
from hoering.consultations.models import Consultation, Consultee, Remark, Response
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


def build_memo(
    consultation: Consultation, *, draft: bool = True, version: int | None = None,
    on: date | None = None,
) -> MemoDocument:
    """The memo as it stands now. Issues the same number of queries whatever its size."""
    policy = consultation.version.policy
    bodies = _consultee_bodies(consultation)
    sections = list(db.session.scalars(
        select(Section).where(Section.version_id == consultation.version_id)
        .order_by(Section.position)
    ))
    remarks = _submitted_remarks(consultation)
    tasks = list(db.session.scalars(
        select(FollowUpTask).where(FollowUpTask.policy_id == policy.id)
        .order_by(FollowUpTask.id)
    ))

    responded_bodies = {r.response.body_id for r in remarks if not r.response.is_public}
    public_responses = {r.response_id for r in remarks if r.response.is_public}
    parts = _memo_parts(sections, _items_by_section(remarks))

    background = consultation.memo_background
    if not (background or "").strip():
        background = default_background(consultation, bodies, len(responded_bodies),
                                        len(remarks), public=len(public_responses))
    framing = framing_name(sections[0].heading) if sections else "rammesætningen"
    has_late = any(item.late for part in parts for item in part.items)
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
        notes=(LATE_NOTE,) if has_late else (),
    )


def _consultee_bodies(consultation: Consultation) -> list[Body]:
    """The consultation's consultees, by name."""
    return list(db.session.scalars(
        select(Body).join(Consultee, Consultee.body_id == Body.id)
        .where(Consultee.consultation_id == consultation.id).order_by(Body.name)
    ))


def _submitted_remarks(consultation: Consultation) -> list[Remark]:
    """The remarks of submitted responses with their response, body, submitter and
    reply loaded, in the order the responses came in."""
    return list(db.session.scalars(
        select(Remark)
        .join(Remark.response)
        .outerjoin(Response.body)
        .where(Remark.consultation_id == consultation.id, Response.submitted_at.is_not(None))
        .options(contains_eager(Remark.response).contains_eager(Response.body),
                 contains_eager(Remark.response).joinedload(Response.submitter),
                 joinedload(Remark.reply))
        .order_by(Response.submitted_at, Response.id, Remark.id)
    ).unique())


def _items_by_section(remarks: list[Remark]) -> dict[int | None, list[MemoItem]]:
    """One memo item per remark, or per group of remarks, keyed by section id (None:
    the general remarks)."""
    by_section: dict[int | None, list[MemoItem]] = {}
    groups = _groups(remarks)
    for remark in remarks:
        members = groups.get(remark.group_id, [remark]) if remark.group_id is not None else [remark]
        if remark is not members[0]:
            continue  # summarised where the group's first remark is
        reply = remark.reply
        by_section.setdefault(remark.section_id, []).append(MemoItem(
            text=remark.wording.strip(),
            abbreviation=common_sender(m.response.sender_abbreviation for m in members),
            reply=reply.text.strip() if reply else None,
            late=remark.response.received_late,
            count=len(members),
        ))
    return by_section


def _memo_parts(sections: list[Section],
                by_section: dict[int | None, list[MemoItem]]) -> list[MemoPart]:
    """A part per section that has items, in section order, then the general part."""
    parts = [
        MemoPart(part_heading(section), tuple(by_section[section.id]))
        for section in sections if by_section.get(section.id)
    ]
    if by_section.get(None):
        parts.append(MemoPart(GENERAL_HEADING, tuple(by_section[None])))
    return parts


def _groups(remarks: list[Remark]) -> dict[int, list[Remark]]:
    """The members of each group among ``remarks``, first (oldest) remark first. A group
    becomes one memo item with the first remark's wording and reply and the count."""
    groups: dict[int, list[Remark]] = {}
    for remark in remarks:
        if remark.group_id is not None:
            groups.setdefault(remark.group_id, []).append(remark)
    for members in groups.values():
        members.sort(key=lambda m: m.id)
    return groups


def _lower_first(title: str) -> str:
    """"Politiske principper for ..." → "politiske principper for ..." (but keep
    abbreviations such as "IT-strategi" or "KB" as they are)."""
    first = title.split(" ", 1)[0]
    if len(first) > 1 and first[1:].islower():
        return title[0].lower() + title[1:]
    return title
