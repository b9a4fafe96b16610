"""Public consultations: citizens' and associations' responses, receipts, publication.

A submission is one transaction: the response, its remarks (one per section written
to, plus the general text), attachments, the sender's personal data, the receipt e-mail
in the outbox and one audit event, which holds no personal data (not even the IP).
The form's idempotency token makes a double click or a resent form return the response
stored the first time instead of storing a second one.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from hoering.accounts.models import User
from hoering.audit.record import record_change
from hoering.clock import LOCAL_TZ
from hoering.consultations.models import (
    Attachment,
    Consultation,
    PublicSubmitter,
    Remark,
    Response,
    ResponseChannel,
    ResponseStatus,
)
from hoering.consultations.queries import search_key
from hoering.db import db, now_utc
from hoering.errors import DomainError
from hoering.mail.outbox import deadline_text, enqueue
from hoering.permissions import Permission, check
from hoering.policies.models import Section
from hoering.public.files import detect_media_type, safe_filename


@dataclass(frozen=True)
class UploadedFile:
    filename: str
    content: bytes


@dataclass
class PublicSubmission:
    """What the public form collects."""

    token: str
    name: str
    email: str
    organisation: str = ""
    publish_name: bool = False
    general_text: str = ""
    section_texts: dict[int, str] = field(default_factory=dict)
    files: list[UploadedFile] = field(default_factory=list)


def receipt_number(response: Response) -> str:
    """``H-2025-000123``: the submission year (Danish time) and the response's id."""
    year = response.submitted_at.astimezone(LOCAL_TZ).year
    return f"H-{year}-{response.id:06d}"


def response_by_token(token: str) -> Response | None:
    return db.session.scalar(
        select(Response).join(Response.submitter)
        .where(PublicSubmitter.idempotency_token == token)
    )


def response_by_receipt(number: str, email: str) -> Response | None:
    """The public response with this receipt number, if ``email`` is its sender's."""
    response = db.session.scalar(
        select(Response).join(Response.submitter)
        .where(PublicSubmitter.receipt_number == number.strip().upper())
    )
    if response is None or response.submitter.purged_at is not None:
        return None
    if response.submitter.email.casefold() != email.strip().casefold():
        return None
    return response


def ensure_accepting(consultation: Consultation) -> None:
    """The public form is open: a public consultation, opened, before its deadline."""
    if not consultation.public or not consultation.is_opened:
        raise DomainError("Høringen er ikke åben for offentligheden.")
    if consultation.is_past_deadline(now_utc()):
        raise DomainError(
            f"Høringsfristen var {deadline_text(consultation.closes_at)}. "
            "Der kan ikke længere afgives høringssvar."
        )


def _validated_files(files: list[UploadedFile]) -> list[tuple[UploadedFile, str]]:
    config = current_app.config
    if len(files) > config["PUBLIC_MAX_ATTACHMENTS"]:
        raise DomainError(f"Vedhæft højst {config['PUBLIC_MAX_ATTACHMENTS']} filer.")
    checked = []
    for upload in files:
        if len(upload.content) > config["PUBLIC_MAX_ATTACHMENT_BYTES"]:
            raise DomainError(f"»{upload.filename}« er for stor.")
        media_type = detect_media_type(upload.content)
        if media_type is None:
            raise DomainError(f"»{upload.filename}« er ikke en PDF-, DOCX- eller ODT-fil.")
        checked.append((upload, media_type))
    return checked


def submit_public_response(
    consultation: Consultation, submission: PublicSubmission
) -> tuple[Response, bool]:
    """Store a citizen's response; returns it and whether it was stored now (False: the
    token was used before, and that first response is returned)."""
    earlier = response_by_token(submission.token)
    if earlier is not None:
        return earlier, False
    ensure_accepting(consultation)
    sections = {
        s.id: s for s in db.session.scalars(
            select(Section).where(Section.version_id == consultation.version_id)
        )
    }
    texts = [(sections[sid], text.strip()) for sid, text in sorted(
        submission.section_texts.items(), key=lambda item: sections[item[0]].position
    ) if text.strip() and sid in sections]
    if submission.general_text.strip():
        texts.append((None, submission.general_text.strip()))
    files = _validated_files(submission.files)
    if not texts and not files:
        raise DomainError("Skriv et høringssvar, eller vedhæft det som fil.")
    try:
        with db.session.begin_nested():
            response = _store(consultation, submission, texts, files)
    except IntegrityError:  # the same token, submitted at the same moment, won
        db.session.expire_all()
        earlier = response_by_token(submission.token)
        if earlier is None:
            raise
        return earlier, False
    _enqueue_receipt(response)
    record_change("public_response:submit", response, actor=None, record_ip=False, changes={
        "consultation_id": {"before": None, "after": consultation.id},
        "receipt_number": {"before": None, "after": response.submitter.receipt_number},
        "remarks": {"before": None, "after": len(texts)},
        "attachments": {"before": None, "after": len(files)},
    })
    return response, True


def _store(consultation: Consultation, submission: PublicSubmission,
           texts: list[tuple[Section | None, str]],
           files: list[tuple[UploadedFile, str]]) -> Response:
    moment = now_utc()
    response = Response(
        consultation=consultation, body=None, channel=ResponseChannel.PUBLIC,
        status=ResponseStatus.SUBMITTED, submitted_at=moment,
        received_late=False, no_remarks=False,
    )
    db.session.add(response)
    for section, text in texts:
        db.session.add(Remark(
            response=response, consultation_id=consultation.id, section=section,
            original_text=text, search_text=search_key(text),
        ))
    for upload, media_type in files:
        db.session.add(Attachment(
            response=response, filename=safe_filename(upload.filename, media_type),
            media_type=media_type, size=len(upload.content),
            sha256=hashlib.sha256(upload.content).hexdigest(), content=upload.content,
        ))
    db.session.flush()
    response.submitter = PublicSubmitter(
        receipt_number=receipt_number(response),
        idempotency_token=submission.token,
        name=submission.name.strip(),
        email=submission.email.strip(),
        organisation=submission.organisation.strip(),
        publish_name=submission.publish_name,
    )
    db.session.flush()
    return response


def receipt_text(response: Response) -> str:
    submitter = response.submitter
    consultation = response.consultation
    local = response.submitted_at.astimezone(LOCAL_TZ)
    lines = [
        f"Kære {submitter.name}",
        "",
        f"Tak for dit høringssvar på: {consultation.title}",
        "",
        f"Kvitteringsnummer: {submitter.receipt_number}",
        f"Modtaget: {local:%d.%m.%Y kl. %H:%M}",
        f"Bemærkninger: {len(response.remarks)}, vedhæftede filer: {len(response.attachments)}",
        "",
        "Dit navn offentliggøres sammen med svaret." if submitter.publish_name
        else "Dit navn offentliggøres ikke; svaret offentliggøres uden navn.",
        "Din e-mailadresse offentliggøres aldrig.",
        "",
        "Opgiv kvitteringsnummeret, hvis du vil have indsigt i de oplysninger, vi har "
        "om dig.",
        "",
        "Venlig hilsen",
        "Sekretariatet",
    ]
    return "\n".join(lines) + "\n"


def _enqueue_receipt(response: Response) -> None:
    number = response.submitter.receipt_number
    enqueue(
        kind="receipt",
        dedupe_key=f"receipt:{number}",
        to_address=response.submitter.email,
        subject=f"Kvittering for høringssvar {number}",
        body_text=receipt_text(response),
        consultation_id=response.consultation_id,
    )


def publish_responses(consultation: Consultation, *, actor: User | None) -> Consultation:
    """Show the submitted responses on the public page (names only with consent)."""
    check(actor, Permission.MANAGE_CONSULTATIONS)
    if not consultation.public:
        raise DomainError("Kun offentlige høringer har en offentlig side.")
    if consultation.responses_published_at is not None:
        raise DomainError("Høringssvarene er allerede offentliggjort.")
    consultation.responses_published_at = now_utc()
    db.session.flush()
    record_change("consultation:publish_responses", consultation, actor=actor, changes={
        "responses_published_at": {
            "before": None, "after": consultation.responses_published_at.isoformat()},
    })
    return consultation


def unpublish_responses(consultation: Consultation, *, actor: User | None) -> Consultation:
    check(actor, Permission.MANAGE_CONSULTATIONS)
    if consultation.responses_published_at is None:
        raise DomainError("Høringssvarene er ikke offentliggjort.")
    before = consultation.responses_published_at.isoformat()
    consultation.responses_published_at = None
    db.session.flush()
    record_change("consultation:unpublish_responses", consultation, actor=actor, changes={
        "responses_published_at": {"before": before, "after": None},
    })
    return consultation
