"""Putting e-mails in the outbox. Nothing here sends: ``hoering.mail.sender`` does.

Every function adds rows to the current transaction (flushed, never committed) so that a
message exists exactly when the action that caused it is committed. Enqueuing writes no
audit event per message (too noisy); callers audit their own action.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from hoering.accounts.models import Body, Membership, User
from hoering.clock import LOCAL_TZ
from hoering.consultations.models import Consultation, Consultee, ConsulteeStatus
from hoering.db import db, now_utc
from hoering.formatting import danish_date_text
from hoering.mail.models import MessageStatus, OutboxMessage

DEFAULT_PUBLIC_BASE_URL = "http://127.0.0.1:5000"
SUBJECT_MAX = OutboxMessage.__table__.c.subject.type.length


def enqueue(
    *,
    kind: str,
    dedupe_key: str,
    to_address: str,
    subject: str,
    body_text: str,
    consultation_id: int | None = None,
) -> OutboxMessage | None:
    """Add a pending message, or return None if one with ``dedupe_key`` already exists
    (also when a concurrent transaction inserted it first)."""
    exists = db.session.scalar(
        select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key)
    )
    if exists is not None:
        return None
    message = OutboxMessage(
        kind=kind, dedupe_key=dedupe_key, to_address=to_address,
        subject=_fit_subject(subject), body_text=body_text, consultation_id=consultation_id,
        status=MessageStatus.PENDING, attempts=0, last_error="",
    )
    try:
        with db.session.begin_nested():
            db.session.add(message)
    except IntegrityError:  # a concurrent enqueue of the same key won
        return None
    return message


def _fit_subject(subject: str) -> str:
    """Cut to the column's length (a consultation title may be as long)."""
    return subject if len(subject) <= SUBJECT_MAX else subject[: SUBJECT_MAX - 1] + "…"


def add_message(*, kind: str, dedupe_key: str, to_address: str, subject: str,
                body_text: str, consultation_id: int | None = None) -> None:
    """Insert a pending message whose ``dedupe_key`` is new by construction (e.g. a
    receipt's number), with one INSERT and no check; a duplicate key raises."""
    moment = now_utc()
    db.session.execute(insert(OutboxMessage.__table__), {
        "kind": kind, "dedupe_key": dedupe_key, "to_address": to_address,
        "subject": _fit_subject(subject), "body_text": body_text,
        "consultation_id": consultation_id, "status": MessageStatus.PENDING,
        "attempts": 0, "next_attempt_at": moment, "last_error": "", "created_at": moment,
    })


def deadline_text(moment: datetime) -> str:
    """``30. april 2024 kl. 23:59`` in Danish time."""
    local = moment.astimezone(LOCAL_TZ)
    return f"{danish_date_text(local.date())} kl. {local:%H:%M}"


def response_url(consultation: Consultation, body: Body) -> str:
    base = current_app.config.get("PUBLIC_BASE_URL", DEFAULT_PUBLIC_BASE_URL).rstrip("/")
    return f"{base}/hoeringer/{consultation.id}/organer/{body.id}"


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


def _invitation_text(consultation: Consultation, body: Body, user: User) -> str:
    parts = [f"Kære {user.name}", ""]
    parts.append(f"{body.name} er inviteret til at afgive høringssvar på: {consultation.title}")
    parts.append("")
    if consultation.invitation_text.strip():
        parts += [consultation.invitation_text.strip(), ""]
    parts.append(f"Høringsfristen er {deadline_text(consultation.closes_at)}.")
    parts.append("")
    parts.append("Se høringsmaterialet og afgiv svar her:")
    parts.append(response_url(consultation, body))
    parts += ["", "Venlig hilsen", "Sekretariatet"]
    return "\n".join(parts) + "\n"


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
                body_text=_invitation_text(consultation, body, user),
                consultation_id=consultation.id,
            )
            count += message is not None
    return count


def _reminder_text(consultation: Consultation, body: Body, user: User) -> str:
    lines = [
        f"Kære {user.name}",
        "",
        f"{body.name} har endnu ikke afgivet høringssvar på: {consultation.title}",
        "",
        f"Høringsfristen er {deadline_text(consultation.closes_at)}.",
        "",
        "Afgiv svar (eller meld, at organet ikke har bemærkninger) her:",
        response_url(consultation, body),
        "",
        "Venlig hilsen",
        "Sekretariatet",
    ]
    return "\n".join(lines) + "\n"


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
            body_text=_reminder_text(consultation, body, user),
            consultation_id=consultation.id,
        )
        enqueued += message is not None
    return enqueued


def enqueue_reminders(moment: datetime, *, days_before: int) -> int:
    """Reminders to the members of bodies that are still only invited, for opened
    consultations whose deadline lies after ``moment`` and within ``days_before`` days.

    At most one reminder per consultation, body, member and Danish calendar day of
    ``moment`` (a daily cron sends one a day). A consultee that got at least one new
    reminder is registered as reminded (``record_reminder``: counter and audit event).
    Returns the number of messages enqueued.
    """
    from hoering.consultations.operations import record_reminder

    consultees = db.session.scalars(
        select(Consultee)
        .join(Consultee.consultation)
        .where(
            Consultation.opened_at.is_not(None),
            Consultation.closes_at > moment,
            Consultation.closes_at <= moment + timedelta(days=days_before),
            Consultee.status == ConsulteeStatus.INVITED,
        )
        .order_by(Consultation.id, Consultee.body_id)
    ).all()
    count = 0
    for consultee in consultees:
        enqueued = enqueue_reminder(consultee, moment)
        if enqueued:
            record_reminder(consultee, actor=None, messages=enqueued)
        count += enqueued
    return count
