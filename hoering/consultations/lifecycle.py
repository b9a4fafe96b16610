"""A consultation's life after it opens: a deadline moved (with a reason, and the invited
bodies told), closed explicitly, and whether its invited bodies can respond at all."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import case, func, select

from hoering.accounts.models import Body, Membership, User
from hoering.audit.record import record_change
from hoering.audit.tags import AuditTag
from hoering.consultations.models import Consultation, Consultee, ConsulteeStatus, Response
from hoering.consultations.notifications import enqueue_deadline_change
from hoering.core.db import db, now_utc
from hoering.core.errors import DomainError
from hoering.core.formatting import deadline_in_locale
from hoering.core.permissions import Permission, check


def last_response_at(consultation: Consultation) -> datetime | None:
    return db.session.scalar(select(func.max(Response.submitted_at)).where(
        Response.consultation_id == consultation.id, Response.submitted_at.is_not(None)))


class DeadlineRefused(DomainError):
    """A refused change of an opened consultation's deadline."""


def _minute(moment: datetime) -> datetime:
    """Deadlines are entered to the minute."""
    return moment.replace(second=0, microsecond=0)


def deadline_moves(consultation: Consultation, closes_at: datetime) -> bool:
    """Whether ``closes_at`` moves an opened consultation's deadline."""
    return consultation.is_opened and _minute(closes_at) != _minute(consultation.closes_at)


def check_deadline_change(consultation: Consultation, closes_at: datetime,
                          reason: str) -> bool:
    """Whether moving an opened consultation's deadline to ``closes_at`` is a change to
    announce (False: not opened, or the deadline stays). A deadline before now or before
    a response already received is refused: that is the explicit close."""
    if not deadline_moves(consultation, closes_at):
        return False
    now = now_utc()
    if consultation.is_past_deadline(now):
        raise DeadlineRefused(_("Høringen er afsluttet; dens frist kan ikke længere ændres."))
    if closes_at <= now:
        raise DeadlineRefused(_("Den nye frist ligger før nu. Brug »Afslut høringen«, hvis "
                                "høringen skal slutte nu."))
    last = last_response_at(consultation)
    if last is not None and closes_at <= last:
        raise DeadlineRefused(_(
            "Den nye frist ligger før et høringssvar, der allerede er modtaget "
            "(%(received)s). Brug »Afslut høringen«, hvis høringen skal slutte.",
            received=deadline_in_locale(last)))
    if not reason.strip():
        raise DeadlineRefused(_("Skriv hvorfor fristen ændres; begrundelsen sendes til "
                            "høringsparterne sammen med den nye frist."))
    return True


def announce_deadline_change(consultation: Consultation, previous: datetime, reason: str,
                             *, actor: User | None) -> int:
    """Audit the moved deadline (with its reason) and e-mail the invited bodies."""
    messages = enqueue_deadline_change(consultation, reason.strip())
    record_change(AuditTag.CONSULTATION_DEADLINE, consultation, actor=actor, changes={
        "closes_at": {"before": previous.isoformat(),
                      "after": consultation.closes_at.isoformat()},
        "reason": {"before": None, "after": reason.strip()},
        "messages": {"before": None, "after": messages}})
    return messages


def close_consultation(consultation: Consultation, *, actor: User | None) -> Consultation:
    """End an open consultation now: its deadline becomes this moment (audited with the
    deadline it had), so the case moves on and no more responses come in."""
    check(actor, Permission.MANAGE_CONSULTATIONS)
    now = now_utc()
    if not consultation.is_opened:
        raise DomainError(_("Høringen er ikke åbnet."))
    if consultation.is_past_deadline(now):
        raise DomainError(_("Høringen er allerede afsluttet."))
    previous = consultation.closes_at
    consultation.closes_at = now
    db.session.flush()
    record_change(AuditTag.CONSULTATION_CLOSE, consultation, actor=actor, changes={
        "closes_at": {"before": previous.isoformat(), "after": now.isoformat()}})
    return consultation


@dataclass(frozen=True)
class ReadinessProblem:
    """An invited body that cannot respond as things stand."""

    body: Body
    problem: str


def readiness_problems(consultation: Consultation) -> list[ReadinessProblem]:
    """The invited bodies that have not answered and that nobody can respond for:
    without members or a contact e-mail (nobody gets the invitation), or with members
    but no secretary and no contact (nobody may submit). One query."""
    rows = db.session.execute(
        select(Body, func.count(Membership.id),
               func.count(case((Membership.is_secretary.is_(True), 1))))
        .join(Consultee, Consultee.body_id == Body.id)
        .outerjoin(Membership, Membership.body_id == Body.id)
        .where(Consultee.consultation_id == consultation.id,
               Consultee.status == ConsulteeStatus.INVITED)
        .group_by(Body.id).order_by(Body.name)
    ).all()
    problems = []
    for body, members, secretaries in rows:
        if members == 0 and not body.contact_email:
            problems.append(ReadinessProblem(
                body, _("har hverken medlemmer eller en kontakt-e-mail, så ingen modtager "
                        "invitationen")))
        elif members and secretaries == 0 and not body.contact_email:
            problems.append(ReadinessProblem(
                body, _("har ingen sekretær, så ingen af medlemmerne kan indsende svaret")))
    return problems
