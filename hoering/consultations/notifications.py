"""The e-mails a consultation sends its consultees: invitations when it opens, and
reminders to the bodies that have not yet responded. The bodies are templates
(``templates/mail/``); the outbox (``hoering.mail.outbox``) queues them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from hoering.accounts.models import Body, Membership, User
from hoering.consultations.models import Consultation, Consultee
from hoering.core.clock import LOCAL_TZ
from hoering.core.db import db
from hoering.core.formatting import deadline_text
from hoering.core.web import public_url
from hoering.mail.outbox import enqueue, render_body


def response_url(consultation: Consultation, body: Body) -> str:
    return public_url(f"/hoeringer/{consultation.id}/organer/{body.id}")


def _members(body: Body) -> list[User]:
    """Active users with a membership of ``body``, in a stable order."""
    return list(
        db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.body_id == body.id, User.active.is_(True))
            .order_by(User.id)
        )
    )


def _body_text(template: str, consultation: Consultation, body: Body, user: User) -> str:
    return render_body(
        template, consultation=consultation, body=body, user=user,
        deadline=deadline_text(consultation.closes_at), url=response_url(consultation, body),
    )


def enqueue_invitations(consultation: Consultation) -> int:
    """One invitation per member of each invited body; returns how many were enqueued
    (calling it again enqueues only what is missing, e.g. for a new member)."""
    count = 0
    for consultee in sorted(consultation.consultees, key=lambda c: c.body_id):
        body = consultee.body
        for user in _members(body):
            message = enqueue(
                kind="invitation",
                dedupe_key=f"invitation:{consultation.id}:{body.id}:{user.id}",
                to_address=user.email,
                subject=f"Invitation til høring: {consultation.title}",
                body_text=_body_text("mail/invitation.txt", consultation, body, user),
                consultation_id=consultation.id,
            )
            count += message is not None
    return count


def enqueue_reminder(consultee: Consultee, moment: datetime) -> int:
    """A reminder to each member of the consultee's body, at most one per member and
    Danish calendar day of ``moment``; returns how many were enqueued."""
    consultation, body = consultee.consultation, consultee.body
    local_day = moment.astimezone(LOCAL_TZ).date().isoformat()
    enqueued = 0
    for user in _members(body):
        message = enqueue(
            kind="reminder",
            dedupe_key=f"reminder:{consultation.id}:{body.id}:{user.id}:{local_day}",
            to_address=user.email,
            subject=(
                f"Påmindelse: høringsfrist {deadline_text(consultation.closes_at)}"
                f" – {consultation.title}"
            ),
            body_text=_body_text("mail/reminder.txt", consultation, body, user),
            consultation_id=consultation.id,
        )
        enqueued += message is not None
    return enqueued


def enqueue_deadline_change(consultation: Consultation, reason: str) -> int:
    """The new deadline, with its reason, to each member of every invited body; returns
    how many were enqueued (once per member and deadline)."""
    stamp = consultation.closes_at.isoformat()
    count = 0
    for consultee in sorted(consultation.consultees, key=lambda c: c.body_id):
        body = consultee.body
        for user in _members(body):
            message = enqueue(
                kind="deadline",
                dedupe_key=f"deadline:{consultation.id}:{body.id}:{user.id}:{stamp}",
                to_address=user.email,
                subject=(f"Ny høringsfrist {deadline_text(consultation.closes_at)}"
                         f" – {consultation.title}"),
                body_text=render_body(
                    "mail/deadline_changed.txt", consultation=consultation, body=body,
                    user=user, deadline=deadline_text(consultation.closes_at), reason=reason,
                    url=response_url(consultation, body)),
                consultation_id=consultation.id,
            )
            count += message is not None
    return count
