"""Contradictions between replies and linked changes, summarised for a page: how many of
each kind, and the first few to look at (``queries.contradictions`` lists them all).

A consultation of 100,000 remarks may have tens of thousands of replies that say
"incorporated" before any change is linked; a page shows the counts and the first
``limit`` of each kind, in a fixed number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import contains_eager

from hoering.consultations.models import (
    ChangeLink,
    Consultation,
    Disposition,
    Remark,
    Reply,
    Response,
)
from hoering.consultations.queries import INCORPORATED, Contradiction
from hoering.core.db import db

UNLINKED_INCORPORATED = _l(
    "Svaret siger indarbejdet, men ingen ændring er knyttet til bemærkningen."
)
LINKED_NOT_INCORPORATED = _l(
    "En ændring er knyttet til bemærkningen, men svaret siger ikke indarbejdet."
)


@dataclass(frozen=True)
class ContradictionSummary:
    total: int
    shown: list[Contradiction]  # the first ``limit`` of each kind, kind by kind

    def __bool__(self) -> bool:
        return self.total > 0


def _kinds(consultation: Consultation) -> list[tuple[str, list[ColumnElement[bool]]]]:
    """Each kind's problem text and conditions (on remarks joined to reply and response),
    as ``queries.contradictions`` has them."""
    linked_ids = select(ChangeLink.remark_id)
    return [
        (str(UNLINKED_INCORPORATED), [
            Remark.consultation_id == consultation.id, Response.submitted_at.is_not(None),
            Reply.disposition.in_(INCORPORATED), Remark.id.not_in(linked_ids)]),
        (str(LINKED_NOT_INCORPORATED), [
            Remark.consultation_id == consultation.id,
            Reply.disposition == Disposition.NOT_INCORPORATED, Remark.id.in_(linked_ids)]),
    ]


def _joined(query: Select[Any]) -> Select[Any]:
    return query.join(Remark.reply).join(Remark.response)


def contradiction_summary(consultation: Consultation, *, limit: int) -> ContradictionSummary:
    """The number of contradictions and the first ``limit`` of each kind (oldest remark
    first), with what the page shows of them: four queries."""
    total = 0
    shown: list[Contradiction] = []
    for problem, conditions in _kinds(consultation):
        total += db.session.scalar(
            _joined(select(func.count(Remark.id)).select_from(Remark)).where(*conditions)
        ) or 0
        remarks = db.session.scalars(
            _joined(select(Remark)).where(*conditions)
            .options(contains_eager(Remark.reply),
                     contains_eager(Remark.response).joinedload(Response.body),
                     contains_eager(Remark.response).joinedload(Response.submitter))
            .order_by(Remark.id).limit(limit)
        ).unique()
        shown += [Contradiction(remark, problem) for remark in remarks]
    return ContradictionSummary(total, shown)
