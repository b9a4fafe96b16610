"""The e-mails a consultation sends its consultees: invitations when it opens,
reminders to the bodies that have not yet responded, and receipts when a body's response
is submitted. The bodies are templates
(``templates/mail/``); the outbox (``hoering.outbox.queue``) queues them. Each is written
in its recipient's language: a user's own choice (``User.language``), else the
municipality's, whatever the language of the page that caused it (``hoering.core.i18n``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from hoering.accounts.models import Body, Membership, User
from hoering.consultations.consultee_links import (
    invite_contacts,
    remind_contact,
    tell_new_deadline,
)
from hoering.consultations.models import Consultation, Consultee, Response, ResponseChannel
from hoering.core.clock import LOCAL_TZ
from hoering.core.db import db
from hoering.core.formatting import danish_datetime, deadline_text
from hoering.core.i18n import in_language, in_municipality_language
from hoering.core.web import public_url
from hoering.municipality.settings import current_settings
from hoering.outbox.queue import enqueue, render_body


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


@in_municipality_language()
def enqueue_invitations(consultation: Consultation, *, actor: User | None = None) -> int:
    """One invitation per member of each invited body, and one with a personal link to
    the contact e-mail of each body that has one (consultee_links); returns how many were
    enqueued (calling it again enqueues only what is missing, e.g. for a new member)."""
    count = invite_contacts(consultation, actor=actor)
    for consultee in sorted(consultation.consultees, key=lambda c: c.body_id):
        body = consultee.body
        for user in _members(body):
            with in_language(user.language):
                message = enqueue(
                    kind="invitation",
                    dedupe_key=f"invitation:{consultation.id}:{body.id}:{user.id}",
                    to_address=user.email,
                    subject=_("Invitation til høring: %(title)s", title=consultation.title),
                    body_text=_body_text("mail/invitation.txt", consultation, body, user),
                    consultation_id=consultation.id,
                )
            count += message is not None
    return count


@in_municipality_language()
def enqueue_reminder(consultee: Consultee, moment: datetime) -> int:
    """A reminder to each member of the consultee's body (and its contact e-mail), at
    most one per member and Danish calendar day of ``moment``; returns how many were
    enqueued."""
    consultation, body = consultee.consultation, consultee.body
    local_day = moment.astimezone(LOCAL_TZ).date().isoformat()
    enqueued = remind_contact(consultee, local_day)  # an external body's contact
    for user in _members(body):
        with in_language(user.language):
            message = enqueue(
                kind="reminder",
                dedupe_key=f"reminder:{consultation.id}:{body.id}:{user.id}:{local_day}",
                to_address=user.email,
                subject=_("Påmindelse: høringsfrist %(deadline)s – %(title)s",
                          deadline=deadline_text(consultation.closes_at),
                          title=consultation.title),
                body_text=_body_text("mail/reminder.txt", consultation, body, user),
                consultation_id=consultation.id,
            )
        enqueued += message is not None
    return enqueued


@in_municipality_language()
def enqueue_deadline_change(consultation: Consultation, reason: str) -> int:
    """The new deadline, with its reason, to each member (and the contact e-mail) of
    every invited body; returns how many were enqueued (once per member and deadline)."""
    count = 0
    for consultee in sorted(consultation.consultees, key=lambda c: c.body_id):
        body = consultee.body
        count += tell_new_deadline(consultee, reason)  # an external body's contact
        for user in _members(body):
            with in_language(user.language):
                message = _deadline_message(consultation, body, user, reason)
            count += message is not None
    return count


def _deadline_message(consultation: Consultation, body: Body, user: User, reason: str):
    return enqueue(
        kind="deadline",
        dedupe_key=(f"deadline:{consultation.id}:{body.id}:{user.id}:"
                    f"{consultation.closes_at.isoformat()}"),
        to_address=user.email,
        subject=_("Ny høringsfrist %(deadline)s – %(title)s",
                  deadline=deadline_text(consultation.closes_at), title=consultation.title),
        body_text=render_body(
            "mail/deadline_changed.txt", consultation=consultation, body=body, user=user,
            deadline=deadline_text(consultation.closes_at), reason=reason,
            url=response_url(consultation, body)),
        consultation_id=consultation.id,
    )


@dataclass(frozen=True)
class ReceiptRecipient:
    """Who gets a response's receipt: ``key`` names them in the dedupe key; the body's
    side (members, contact) and the secretariat get differently worded receipts, each in
    ``language`` (a user's choice; None: the municipality's)."""

    key: str
    address: str
    name: str
    for_body: bool
    language: str | None = None


def receipt_recipients(response: Response) -> list[ReceiptRecipient]:
    """The body's active members and contact e-mail, the consultation's responsible
    member of staff and the secretariat's e-mail of the municipality settings; one
    receipt per address."""
    body = response.body
    assert body is not None  # a body's response: citizens get their own receipt
    recipients = [ReceiptRecipient(f"user:{user.id}", user.email, user.name, True,
                                   user.language) for user in _members(body)]
    if body.contact_email:
        recipients.append(ReceiptRecipient("contact", body.contact_email, body.name, True))
    responsible = response.consultation.responsible
    if responsible is not None and responsible.active:
        recipients.append(ReceiptRecipient(f"user:{responsible.id}", responsible.email,
                                           responsible.name, False, responsible.language))
    secretariat = current_settings().secretariat_email
    if secretariat:
        recipients.append(ReceiptRecipient("secretariat", secretariat, "", False))
    unique: dict[str, ReceiptRecipient] = {}
    for recipient in recipients:
        unique.setdefault(recipient.address.strip().casefold(), recipient)
    return list(unique.values())


def _submitted_how(response: Response) -> str:
    if response.channel is ResponseChannel.MINUTES:
        return str(_("Registreret af sekretariatet fra referatet: %(source)s",
                     source=response.source))
    submitter = (db.session.get(User, response.submitted_by_id)
                 if response.submitted_by_id is not None else None)
    return (str(_("Indsendt af %(name)s", name=submitter.name)) if submitter is not None
            else str(_("Indsendt")))


@in_municipality_language()
def enqueue_receipts(response: Response) -> int:
    """A receipt of the submitted ``response`` listing its remarks (or "ingen
    bemærkninger") to each of ``receipt_recipients``; returns how many were enqueued
    (once per submission and recipient: a reopened response submitted again gets new
    ones). The text holds the remarks: it is neither logged nor audited."""
    assert response.body is not None and response.submitted_at is not None
    consultation, body = response.consultation, response.body
    stamp = response.submitted_at.isoformat()
    count = 0
    for recipient in receipt_recipients(response):
        with in_language(recipient.language):
            message = enqueue(
                kind="response_receipt",
                dedupe_key=f"response-receipt:{response.id}:{stamp}:{recipient.key}",
                to_address=recipient.address,
                subject=_("Kvittering: høringssvar fra %(body)s – %(title)s", body=body.name,
                          title=consultation.title),
                body_text=render_body(
                    "mail/response_receipt.txt", consultation=consultation, body=body,
                    response=response, recipient=recipient, how=_submitted_how(response),
                    received=danish_datetime(response.submitted_at),
                    url=response_url(consultation, body) if recipient.key != "contact" else "",
                ),
                consultation_id=consultation.id,
            )
        count += message is not None
    return count
