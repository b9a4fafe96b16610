"""What a consultation contributes to reading a referat (:class:`MinutesContext`), from
the database.

The decisions on the policy's case (the one that sent it to consultation is what a
referat's "Tidligere behandling" cites) belong to ``hoering.cases``, a layer above this
one: the cases blueprint registers a provider under :data:`CASE_DECISIONS` in
``app.extensions``; without it (a bare app) there are none.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from flask import current_app
from sqlalchemy import select

from hoering.accounts.models import Body
from hoering.consultations.minutes.items import EarlierDecision
from hoering.consultations.minutes.meeting import KnownBody
from hoering.consultations.minutes.reading import MinutesContext
from hoering.consultations.minutes.results import SectionRef
from hoering.consultations.models import Consultation, Consultee, Response, ResponseStatus
from hoering.consultations.queries import version_sections
from hoering.core.clock import LOCAL_TZ, now
from hoering.core.db import db
from hoering.policies.models import Policy

CASE_DECISIONS = "hoering.case_decisions"
DecisionProvider = Callable[[Policy], Sequence[EarlierDecision]]


def section_refs(consultation: Consultation) -> list[SectionRef]:
    return [
        SectionRef(position=s.position, heading=s.heading, text=s.text)
        for s in version_sections(consultation)
    ]


def known_bodies() -> list[KnownBody]:
    rows = db.session.execute(select(Body.id, Body.name, Body.abbreviation).order_by(Body.id))
    return [KnownBody(id=row.id, name=row.name, abbreviation=row.abbreviation) for row in rows]


def minutes_context(consultation: Consultation) -> MinutesContext:
    policy = consultation.version.policy
    provider: DecisionProvider | None = current_app.extensions.get(CASE_DECISIONS)
    invited = db.session.scalars(
        select(Consultee.body_id).where(Consultee.consultation_id == consultation.id)
    )
    responded = db.session.scalars(
        select(Response.body_id).where(
            Response.consultation_id == consultation.id,
            Response.status == ResponseStatus.SUBMITTED,
            Response.body_id.is_not(None),
        )
    )
    return MinutesContext(
        sections=section_refs(consultation),
        journal_number=policy.journal_number or None,
        title=policy.title,
        consultation_title=consultation.title,
        bodies=known_bodies(),
        decisions=list(provider(policy)) if provider else [],
        opens_on=consultation.opens_on,
        closes_on=consultation.closes_at.astimezone(LOCAL_TZ).date(),
        today=now().astimezone(LOCAL_TZ).date(),
        invited_body_ids=frozenset(invited),
        responded_body_ids=frozenset(b for b in responded if b is not None),
    )
