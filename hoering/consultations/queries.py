"""Reading consultations: the overview of consultees, the inbox of remarks, progress.

Each function issues a fixed number of queries whatever the number of remarks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask import abort
from sqlalchemy import ColumnElement, Select, and_, case, func, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from hoering.accounts.models import Body, Membership, User
from hoering.consultations.models import (
    ChangeLink,
    Consultation,
    Consultee,
    Disposition,
    Remark,
    Reply,
    Response,
)
from hoering.core.db import db
from hoering.policies.models import Policy, PolicyVersion, Section

GENERAL = "generelt"  # the inbox filter value for "general attention points"
GENERAL_SECTION = "Generelle opmærksomhedspunkter"


def consultations_query() -> Select[Consultation]:
    return (
        select(Consultation)
        .options(selectinload(Consultation.version).selectinload(PolicyVersion.policy))
        .order_by(Consultation.closes_at.desc(), Consultation.id.desc())
    )


def open_consultations(moment: datetime) -> list[Consultation]:
    """Consultations open for responses at ``moment``, nearest deadline first."""
    return list(
        db.session.scalars(
            consultations_query()
            .where(Consultation.opened_at.is_not(None), Consultation.closes_at > moment)
            .order_by(None)
            .order_by(Consultation.closes_at, Consultation.id)
        )
    )


def consultations_for_member(user: User) -> list[Consultation]:
    """Opened consultations to which one of the user's bodies is invited."""
    body_ids = select(Membership.body_id).where(Membership.user_id == user.id)
    return list(
        db.session.scalars(
            consultations_query()
            .where(Consultation.opened_at.is_not(None))
            .where(
                Consultation.id.in_(
                    select(Consultee.consultation_id).where(Consultee.body_id.in_(body_ids))
                )
            )
        )
    )


@dataclass(frozen=True)
class ConsulteeRow:
    consultee: Consultee
    response: Response | None
    remark_count: int

    def is_overdue(self, moment: datetime) -> bool:
        return self.consultee.is_overdue(moment)


def consultee_rows(consultation: Consultation) -> list[ConsulteeRow]:
    """Each invited body with its response (if any) and number of remarks: two queries."""
    remark_counts = (
        select(Remark.response_id, func.count(Remark.id).label("n"))
        .where(Remark.consultation_id == consultation.id)
        .group_by(Remark.response_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Consultee, Response, func.coalesce(remark_counts.c.n, 0))
        .join(Consultee.body)
        .outerjoin(
            Response,
            and_(Response.consultation_id == Consultee.consultation_id,
                 Response.body_id == Consultee.body_id),
        )
        .outerjoin(remark_counts, remark_counts.c.response_id == Response.id)
        .where(Consultee.consultation_id == consultation.id)
        .options(contains_eager(Consultee.body))
        .order_by(Body.name)
    ).all()
    return [ConsulteeRow(consultee, response, count) for consultee, response, count in rows]


@dataclass(frozen=True)
class Progress:
    total: int
    answered: int
    approved: int


def progress(consultation: Consultation) -> Progress:
    """Submitted remarks, how many have a reply, how many replies are approved: one query."""
    total, answered, approved = db.session.execute(
        select(
            func.count(Remark.id),
            func.count(Reply.id),
            func.count(Reply.approved_at),
        )
        .join(Remark.response)
        .outerjoin(Remark.reply)
        .where(Remark.consultation_id == consultation.id, Response.submitted_at.is_not(None))
    ).one()
    return Progress(total, answered, approved)


@dataclass(frozen=True)
class InboxFilters:
    section: str | None = None  # a section id, GENERAL, or None for all
    body_id: int | None = None
    public_only: bool = False  # only citizens' and associations' responses
    disposition: Disposition | None = None
    state: str | None = None  # "unanswered", "unapproved" or None
    search: str = ""
    active: dict[str, Any] = field(default_factory=dict)


def _inbox_conditions(
    consultation: Consultation, filters: InboxFilters
) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [
        Remark.consultation_id == consultation.id, Response.submitted_at.is_not(None)
    ]
    if filters.section == GENERAL:
        conditions.append(Remark.section_id.is_(None))
    elif filters.section:
        conditions.append(Remark.section_id == int(filters.section))
    if filters.body_id:
        conditions.append(Response.body_id == filters.body_id)
    if filters.public_only:
        conditions.append(Response.body_id.is_(None))
    if filters.disposition:
        conditions.append(Reply.disposition == filters.disposition)
    if filters.state == "unanswered":
        conditions.append(Reply.id.is_(None))
    elif filters.state == "unapproved":
        conditions.append(Reply.id.is_not(None))
        conditions.append(Reply.approved_at.is_(None))
    if filters.search.strip():
        pattern = f"%{_escape_like(search_key(filters.search.strip()))}%"
        conditions.append(Remark.search_text.like(pattern, escape="\\"))
    return conditions


def _needs_reply(filters: InboxFilters) -> bool:
    return bool(filters.disposition or filters.state)


def inbox_ids_query(consultation: Consultation, filters: InboxFilters) -> Select[int]:
    """The ids of the submitted remarks, in the version's section order (general attention
    points last), then by body and submission order."""
    general_last = case((Remark.section_id.is_(None), 1), else_=0)
    public_last = case((Response.body_id.is_(None), 1), else_=0)
    query = (
        select(Remark.id)
        .join(Remark.response)
        .outerjoin(Response.body)
        .outerjoin(Remark.section)
    )
    if _needs_reply(filters):
        query = query.outerjoin(Remark.reply)
    return query.where(*_inbox_conditions(consultation, filters)).order_by(
        general_last, Section.position, public_last, Body.name, Remark.id
    )


def inbox_count_query(consultation: Consultation, filters: InboxFilters) -> Select[int]:
    """The number of rows of ``inbox_ids_query``, joining only what the filters need."""
    query = select(func.count(Remark.id)).select_from(Remark).join(Remark.response)
    if _needs_reply(filters):
        query = query.outerjoin(Remark.reply)
    return query.where(*_inbox_conditions(consultation, filters))


def load_remarks(ids: list[int]) -> list[Remark]:
    """The remarks with these ids, in that order, with what an inbox row shows: one query."""
    remarks = db.session.scalars(
        select(Remark)
        .where(Remark.id.in_(ids))
        .options(
            joinedload(Remark.response).joinedload(Response.body),
            joinedload(Remark.response).joinedload(Response.submitter),
            joinedload(Remark.section),
            joinedload(Remark.reply),
        )
    ).unique()
    by_id = {remark.id: remark for remark in remarks}
    return [by_id[i] for i in ids]


def search_key(text: str) -> str:
    """Text as the inbox search compares it: case-folded in Python, because SQLite's
    lower() leaves Æ, Ø and Å alone."""
    return " ".join(text.casefold().split())


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def submitted_remark_or_404(remark_id: int) -> Remark:
    """A remark of a submitted response (drafts are not part of the record yet)."""
    remark = db.session.get(Remark, remark_id)
    if remark is None or not remark.response.is_submitted:
        abort(404)
    return remark


def version_sections(consultation: Consultation) -> list[Section]:
    return list(
        db.session.scalars(
            select(Section)
            .where(Section.version_id == consultation.version_id)
            .order_by(Section.position)
        )
    )


def invited_bodies(consultation: Consultation) -> list[Body]:
    return list(
        db.session.scalars(
            select(Body)
            .join(Consultee, Consultee.body_id == Body.id)
            .where(Consultee.consultation_id == consultation.id)
            .order_by(Body.name)
        )
    )


def response_for(consultation: Consultation, body: Body) -> Response | None:
    return db.session.scalar(
        select(Response)
        .where(Response.consultation_id == consultation.id, Response.body_id == body.id)
        .options(selectinload(Response.remarks).selectinload(Remark.section))
    )


# --- the revised draft ---------------------------------------------------------------

INCORPORATED = (Disposition.INCORPORATED, Disposition.PARTLY_INCORPORATED)


def change_links_for_sections(section_ids: list[int]) -> dict[int, list[ChangeLink]]:
    """The remarks (with reply and body) linked to each of these sections: one query."""
    links = db.session.scalars(
        select(ChangeLink)
        .where(ChangeLink.section_id.in_(section_ids))
        .options(
            joinedload(ChangeLink.remark).joinedload(Remark.reply),
            joinedload(ChangeLink.remark).joinedload(Remark.response).joinedload(Response.body),
        )
        .order_by(ChangeLink.remark_id)
    ).unique()
    grouped: dict[int, list[ChangeLink]] = {}
    for link in links:
        grouped.setdefault(link.section_id, []).append(link)
    return grouped


def change_links_for_remark(remark: Remark) -> list[ChangeLink]:
    return list(db.session.scalars(
        select(ChangeLink).where(ChangeLink.remark_id == remark.id)
        .options(joinedload(ChangeLink.section).joinedload(Section.version))
        .order_by(ChangeLink.id)
    ))


@dataclass(frozen=True)
class Contradiction:
    remark: Remark
    problem: str  # Danish, for staff and auditors


def contradictions(consultation: Consultation) -> list[Contradiction]:
    """Replies that say "incorporated" with no linked change, and linked changes whose
    reply says "not incorporated": two queries."""
    linked_ids = select(ChangeLink.remark_id)
    unlinked_incorporated = db.session.scalars(
        select(Remark).join(Remark.reply).join(Remark.response)
        .where(Remark.consultation_id == consultation.id,
               Response.submitted_at.is_not(None),
               Reply.disposition.in_(INCORPORATED),
               Remark.id.not_in(linked_ids))
        .options(contains_eager(Remark.reply), contains_eager(Remark.response)
                 .joinedload(Response.body))
        .order_by(Remark.id)
    ).unique()
    linked_not_incorporated = db.session.scalars(
        select(Remark).join(Remark.reply).join(Remark.response)
        .where(Remark.consultation_id == consultation.id,
               Reply.disposition == Disposition.NOT_INCORPORATED,
               Remark.id.in_(linked_ids))
        .options(contains_eager(Remark.reply), contains_eager(Remark.response)
                 .joinedload(Response.body))
        .order_by(Remark.id)
    ).unique()
    return [
        *(Contradiction(r, "Svaret siger indarbejdet, men ingen ændring er knyttet til "
                           "bemærkningen.") for r in unlinked_incorporated),
        *(Contradiction(r, "En ændring er knyttet til bemærkningen, men svaret siger ikke "
                           "indarbejdet.") for r in linked_not_incorporated),
    ]


def public_response_count(consultation: Consultation) -> int:
    """Citizens' and associations' responses to the consultation."""
    return db.session.execute(
        select(func.count(Response.id)).where(
            Response.consultation_id == consultation.id, Response.body_id.is_(None))
    ).scalar_one()


def consultations_of_policy(policy: Policy) -> list[Consultation]:
    """The consultation rounds held on any version of the policy, oldest first."""
    return list(
        db.session.scalars(
            select(Consultation)
            .join(Consultation.version)
            .where(PolicyVersion.policy_id == policy.id)
            .options(contains_eager(Consultation.version))  # the page shows each version
            .order_by(Consultation.opens_on, Consultation.id)
        )
    )


def section_label(section: Section | None) -> str:
    return section.heading if section is not None else GENERAL_SECTION
