"""Reading public consultations for the public pages: a fixed number of queries each."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import joinedload, selectinload

from hoering.consultations.models import Consultation, Remark, Response
from hoering.consultations.queries import consultations_query
from hoering.core.db import db
from hoering.memos.models import MemoIssue


def _public() -> Select[Consultation]:
    return consultations_query().where(
        Consultation.public.is_(True), Consultation.opened_at.is_not(None)
    )


def open_public_consultations(moment: datetime) -> list[Consultation]:
    """Open for responses, nearest deadline first."""
    return list(db.session.scalars(
        _public().where(Consultation.closes_at > moment)
        .order_by(None).order_by(Consultation.closes_at, Consultation.id)
    ))


def closed_public_consultations_query(moment: datetime) -> Select[Consultation]:
    """Past their deadline, latest first."""
    return _public().where(Consultation.closes_at <= moment)


def public_consultation_or_none(consultation_id: int) -> Consultation | None:
    consultation = db.session.get(Consultation, consultation_id)
    return consultation if is_public(consultation) else None


def is_public(consultation: Consultation | None) -> bool:
    """Shown on the public pages: public and opened."""
    return consultation is not None and consultation.public and consultation.is_opened


def latest_memo_issue(consultation: Consultation) -> MemoIssue | None:
    return db.session.scalar(
        select(MemoIssue).where(MemoIssue.consultation_id == consultation.id)
        .order_by(MemoIssue.number.desc()).limit(1)
    )


def _published(consultation: Consultation) -> list[ColumnElement[bool]]:
    return [Response.consultation_id == consultation.id, Response.submitted_at.is_not(None),
            Response.no_remarks.is_(False)]


def published_ids_query(consultation: Consultation) -> Select[int]:
    """The submitted responses in order of submission (body and public alike)."""
    return (select(Response.id).where(*_published(consultation))
            .order_by(Response.submitted_at, Response.id))


def published_count_query(consultation: Consultation) -> Select[int]:
    return select(func.count(Response.id)).where(*_published(consultation))


def load_published(ids: list[int]) -> list[Response]:
    """Responses with sender, remarks and their sections, and attachments' names."""
    responses = db.session.scalars(
        select(Response).where(Response.id.in_(ids)).options(
            joinedload(Response.body), joinedload(Response.submitter),
            selectinload(Response.remarks).joinedload(Remark.section),
        )
    ).unique()
    by_id = {response.id: response for response in responses}
    return [by_id[i] for i in ids]
