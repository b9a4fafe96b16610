"""The consultation page's list of consultees, a page at a time, with a count of each
status: a consultation may invite 1,000 bodies. Two queries whatever the number of
bodies and remarks."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, func, select
from sqlalchemy.orm import contains_eager

from hoering.accounts.models import Body
from hoering.consultations.models import Consultation, Consultee, ConsulteeStatus, Remark, Response
from hoering.consultations.queries import ConsulteeRow
from hoering.core.db import db
from hoering.core.pagination import Page, requested_page


@dataclass(frozen=True)
class ConsulteeCounts:
    """How many consultees have each stored status (``ConsulteeStatus`` values)."""

    by_status: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    def __getitem__(self, status: str) -> int:
        return self.by_status.get(status, 0)


def consultee_counts(consultation: Consultation) -> ConsulteeCounts:
    """One query."""
    rows = db.session.execute(
        select(Consultee.status, func.count(Consultee.id))
        .where(Consultee.consultation_id == consultation.id).group_by(Consultee.status)
    )
    return ConsulteeCounts({ConsulteeStatus(status).value: count for status, count in rows})


def consultee_page(consultation: Consultation, counts: ConsulteeCounts, *,
                   status: ConsulteeStatus | None, per_page: int) -> Page[ConsulteeRow]:
    """The page named by ``?page=`` of the consultees (of ``status``, if given), by body
    name, each with its body, response and number of remarks: one query (the total is
    in ``counts``)."""
    page = requested_page()
    remark_count = (select(func.count(Remark.id)).where(Remark.response_id == Response.id)
                    .correlate(Response).scalar_subquery())
    query = (
        select(Consultee, Response, remark_count)
        .join(Consultee.body)
        .outerjoin(Response, and_(Response.consultation_id == Consultee.consultation_id,
                                  Response.body_id == Consultee.body_id))
        .where(Consultee.consultation_id == consultation.id)
        .options(contains_eager(Consultee.body))
        .order_by(Body.name, Consultee.id)
        .limit(per_page).offset((page - 1) * per_page)
    )
    if status is not None:
        query = query.where(Consultee.status == status)
    rows = [ConsulteeRow(consultee, response, count if response is not None else 0)
            for consultee, response, count in db.session.execute(query)]
    total = counts[status.value] if status is not None else counts.total
    return Page(rows, page, per_page, total)
