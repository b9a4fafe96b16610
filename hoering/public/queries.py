"""Reading public consultations for the public pages: a fixed number of queries each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload, selectinload

from hoering.consultations.models import (
    Consultation,
    MaskedField,
    Remark,
    Reply,
    Response,
)
from hoering.consultations.publication import (
    PublishableText,
    masked_texts,
    published_conditions,
    wording_text,
)
from hoering.consultations.queries import consultations_query
from hoering.core.db import db
from hoering.memos.models import MemoIssue
from hoering.policies.models import PolicyVersion, Section


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


def published_ids_query(consultation: Consultation) -> Select[int]:
    """The submitted responses in order of submission (body and public alike)."""
    return (select(Response.id).where(*published_conditions(consultation))
            .order_by(Response.submitted_at, Response.id))


def published_count_query(consultation: Consultation) -> Select[int]:
    return select(func.count(Response.id)).where(*published_conditions(consultation))


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


def _answered(consultation: Consultation) -> Select[int]:
    """The published responses' remarks with an approved reply, by section in the
    version's order (general attention points last), then in order of submission."""
    return (select(Remark.id)
            .join(Response, Response.id == Remark.response_id)
            .join(Reply, Reply.remark_id == Remark.id)
            .outerjoin(Section, Section.id == Remark.section_id)
            .where(Reply.approved_at.is_not(None), *published_conditions(consultation)))


def answered_ids_query(consultation: Consultation) -> Select[int]:
    return _answered(consultation).order_by(
        Section.position.is_(None), Section.position, Response.submitted_at, Remark.id)


def answered_count_query(consultation: Consultation) -> Select[int]:
    return select(func.count()).select_from(_answered(consultation).subquery())


def load_answered(ids: list[int]) -> list[Remark]:
    """Remarks with their section, reply and sender (never a citizen's name)."""
    remarks = db.session.scalars(
        select(Remark).where(Remark.id.in_(ids)).options(
            joinedload(Remark.section), joinedload(Remark.reply),
            joinedload(Remark.response).joinedload(Response.body),
            joinedload(Remark.response).joinedload(Response.submitter),
        )
    ).unique()
    by_id = {remark.id: remark for remark in remarks}
    return [by_id[i] for i in ids]


@dataclass(frozen=True)
class Answer:
    """A remark as the answers show it: its wording and its reply, masked."""

    remark: Remark
    wording: str
    reply: str


def answers(remarks: list[Remark]) -> list[Answer]:
    """Each remark (with an approved reply) with its wording and reply as published."""
    pairs = []
    for remark in remarks:
        assert remark.reply is not None
        pairs.append((wording_text(remark.id, remark.original_text, remark.memo_text),
                      PublishableText(remark.id, MaskedField.REPLY, remark.reply.text)))
    shown = masked_texts([text for pair in pairs for text in pair])
    return [Answer(remark, shown[wording.place], shown[reply.place])
            for remark, (wording, reply) in zip(remarks, pairs, strict=True)]


def response_texts(responses: list[Response]) -> list[PublishableText]:
    """What the published responses show of each remark: the remark as sent."""
    return [PublishableText(remark.id, MaskedField.ORIGINAL, remark.original_text)
            for response in responses for remark in response.remarks]


def revised_version(consultation: Consultation) -> PolicyVersion | None:
    """The policy's latest version after the consulted one, if there is one."""
    consulted = consultation.version
    return db.session.scalar(
        select(PolicyVersion).where(PolicyVersion.policy_id == consulted.policy_id,
                                    PolicyVersion.number > consulted.number)
        .order_by(PolicyVersion.number.desc()).limit(1)
        .options(selectinload(PolicyVersion.sections))
    )
