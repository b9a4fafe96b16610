"""Reading consultations: the overview of consultees, the inbox of remarks, progress.

Each function issues a fixed number of queries whatever the number of remarks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy.orm import contains_eager, selectinload

from hoering.accounts.models import Body, Membership, User
from hoering.consultations.models import (
    Consultation,
    Consultee,
    Disposition,
    Remark,
    Reply,
    Response,
)
from hoering.db import db
from hoering.policies.models import PolicyVersion, Section

GENERAL = "generelt"  # the inbox filter value for "general attention points"


def consultations_query() -> Select:
    return (
        select(Consultation)
        .options(selectinload(Consultation.version).selectinload(PolicyVersion.policy))
        .order_by(Consultation.closes_at.desc(), Consultation.id.desc())
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
    disposition: Disposition | None = None
    state: str | None = None  # "unanswered", "unapproved" or None
    search: str = ""
    active: dict = field(default_factory=dict)


def inbox_query(consultation: Consultation, filters: InboxFilters) -> Select:
    """Submitted remarks, in the version's section order (general attention points last),
    then by body and submission order, with everything a row shows loaded up front."""
    query = (
        select(Remark)
        .join(Remark.response)
        .join(Response.body)
        .outerjoin(Remark.section)
        .outerjoin(Remark.reply)
        .where(Remark.consultation_id == consultation.id, Response.submitted_at.is_not(None))
        .options(
            contains_eager(Remark.response).contains_eager(Response.body),
            contains_eager(Remark.section),
            contains_eager(Remark.reply),
        )
    )
    if filters.section == GENERAL:
        query = query.where(Remark.section_id.is_(None))
    elif filters.section:
        query = query.where(Remark.section_id == int(filters.section))
    if filters.body_id:
        query = query.where(Response.body_id == filters.body_id)
    if filters.disposition:
        query = query.where(Reply.disposition == filters.disposition)
    if filters.state == "unanswered":
        query = query.where(Reply.id.is_(None))
    elif filters.state == "unapproved":
        query = query.where(Reply.id.is_not(None), Reply.approved_at.is_(None))
    if filters.search.strip():
        pattern = f"%{_escape_like(filters.search.strip().lower())}%"
        query = query.where(
            or_(
                func.lower(Remark.original_text).like(pattern, escape="\\"),
                func.lower(func.coalesce(Remark.memo_text, "")).like(pattern, escape="\\"),
                func.lower(func.coalesce(Reply.text, "")).like(pattern, escape="\\"),
            )
        )
    general_last = case((Remark.section_id.is_(None), 1), else_=0)
    return query.order_by(general_last, Section.position, Body.name, Remark.id)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


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
