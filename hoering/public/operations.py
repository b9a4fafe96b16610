"""Public consultations: citizens' and associations' responses, receipts, publication.

A submission is one transaction: the response, its remarks (one per section written
to, plus the general text), attachments, the sender's personal data, the receipt e-mail
in the outbox and one audit event, which holds no personal data (not even the IP; the
receipt number is kept, a pseudonym once the person's data is purged).
The form's idempotency token makes a double click or a resent form return the response
stored the first time instead of storing a second one. The token is bound to what was
sent with it (``submission_digest``): the same token with other content (another person
at the same browser, a form sent back from its history) is refused (``TokenReused``),
never given the first person's receipt, and nothing of it is stored.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import Insert, Select, bindparam, func, insert, literal, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import load_only

from hoering.audit.record import event_row
from hoering.audit.tags import AuditTag
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
from hoering.core.clock import LOCAL_TZ
from hoering.core.db import Row, db, insert_together, now_utc
from hoering.core.documents import UnreadableDocument
from hoering.core.errors import DomainError
from hoering.core.formatting import deadline_in_locale
from hoering.outbox.queue import message_row, render_body
from hoering.policies.models import Section
from hoering.public.files import ACCEPTED_TEXT, detect_media_type, safe_filename


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


class TokenReused(DomainError):
    """The form's token was used before for a submission with other content."""

    def __init__(self) -> None:
        super().__init__(_(
            "Formularen er allerede brugt til at sende et andet høringssvar, så dit svar "
            "er ikke sendt endnu. Det, du har skrevet, er bevaret: kontrollér det, og tryk "
            "på »Indsend høringssvar« igen (vedhæftede filer skal vælges igen)."))


def submission_digest(submission: PublicSubmission) -> str:
    """What the person sent, as an HMAC-SHA256 keyed with the app's secret: name,
    e-mail, organisation, consent, the texts and each file's name and SHA-256, as they
    are stored. Keyed, so that a copy of the database alone cannot confirm a guess at who
    wrote a (published) text."""
    content = {
        "name": submission.name.strip(), "email": submission.email.strip(),
        "organisation": submission.organisation.strip(),
        "publish_name": bool(submission.publish_name),
        "general_text": submission.general_text.strip(),
        "section_texts": {str(sid): text.strip() for sid, text in sorted(
            submission.section_texts.items()) if text.strip()},
        "files": [[upload.filename, hashlib.sha256(upload.content).hexdigest()]
                  for upload in submission.files],
    }
    key = hashlib.sha256(b"hoering:public-submission:"
                         + current_app.config["SECRET_KEY"].encode("utf-8")).digest()
    message = json.dumps(content, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def receipt_number(response_id: int, submitted_at: datetime) -> str:
    """``H-2025-000123``: the submission year (Danish time) and the response's id."""
    return f"H-{submitted_at.astimezone(LOCAL_TZ).year}-{response_id:06d}"


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
    if response is None:
        return None
    submitter = response.submitter
    assert submitter is not None  # joined in the query
    if submitter.purged_at is not None:
        return None
    if submitter.email.casefold() != email.strip().casefold():
        return None
    return response


def ensure_accepting(consultation: Consultation) -> None:
    """The public form is open: a public consultation, opened, before its deadline."""
    if not consultation.public or not consultation.is_opened:
        raise DomainError(_("Høringen er ikke åben for offentligheden."))
    if consultation.is_past_deadline(now_utc()):
        raise DomainError(_(
            "Høringsfristen var %(deadline)s. Der kan ikke længere afgives høringssvar.",
            deadline=deadline_in_locale(consultation.closes_at)))


def validated_files(files: list[UploadedFile]) -> list[tuple[UploadedFile, str]]:
    """The files with their type read from the content; DomainError (in Danish, naming
    the file) for too many, too large or of another type. The form shows the same."""
    config = current_app.config
    if len(files) > config["PUBLIC_MAX_ATTACHMENTS"]:
        raise DomainError(_("Vedhæft højst %(n)d filer.", n=config["PUBLIC_MAX_ATTACHMENTS"]))
    limit = config["PUBLIC_MAX_ATTACHMENT_BYTES"]
    checked = []
    for upload in files:
        if len(upload.content) > limit:
            raise DomainError(_("»%(file)s« fylder mere end %(n)d MB.",
                                file=upload.filename, n=limit // (1024 * 1024)))
        try:
            media_type = detect_media_type(upload.content)
        except UnreadableDocument:  # a zip that would inflate beyond the bounds
            raise DomainError(_(
                "»%(file)s« kan ikke modtages: filen er pakket usædvanligt (meget stærkt "
                "komprimeret eller med for mange dele). Gem den som PDF, og vedhæft den igen.",
                file=upload.filename)) from None
        if media_type is None:
            raise DomainError(_("»%(file)s« er ikke en %(types)s-fil.", file=upload.filename,
                                types=ACCEPTED_TEXT))
        checked.append((upload, media_type))
    return checked


@dataclass(frozen=True)
class Receipt:
    """What a stored (or earlier stored) submission gives back."""

    response_id: int
    receipt_number: str
    created: bool  # False: the token was used before; this is that first response


@dataclass(frozen=True)
class SectionKey:
    """What a submission needs of a section of the consulted version."""

    id: int
    position: int
    heading: str


@dataclass(frozen=True)
class SubmissionTarget:
    """What a submission reads first: the consultation (None: no such one), its
    version's sections without their texts and, on PostgreSQL, the id its response will
    have, taken from the responses' sequence (None elsewhere; an id not used when the
    submission is refused, as a rolled-back INSERT leaves one)."""

    consultation: Consultation | None
    sections: list[SectionKey]
    response_id: int | None


def submission_target(consultation_id: int) -> SubmissionTarget:
    """``SubmissionTarget`` in one query (a burst of submissions waits on every round
    trip): with the response's id, the whole submission is then one INSERT."""
    reserve = db.session.get_bind().dialect.name == "postgresql"
    rows = db.session.execute(_consultation_with_sections(reserve_id=reserve),
                              {"consultation_id": consultation_id}).all()
    if not rows:
        return SubmissionTarget(None, [], None)
    return SubmissionTarget(rows[0][0], [SectionKey(row[1], row[2], row[3]) for row in rows
                                         if row[1] is not None],
                            rows[0][4] if reserve else None)


@cache
def _consultation_with_sections(*, reserve_id: bool) -> Select[Any]:
    """``submission_target``'s query, built once (and with it its cache key): a burst
    of submissions runs it thousands of times. Of the consultation only what a
    submission reads (the rest, e.g. the memo's texts, loads when a page needs it); the
    sequence's next value is a subquery, taken once whatever the number of sections."""
    sequence = func.pg_get_serial_sequence(Response.__tablename__, Response.id.key)
    reserved = (select(func.nextval(sequence))
                .scalar_subquery() if reserve_id else literal(None))
    return (select(Consultation, Section.id, Section.position, Section.heading, reserved)
            .options(load_only(Consultation.version_id, Consultation.title,
                               Consultation.public, Consultation.opened_at,
                               Consultation.closes_at))
            .outerjoin(Section, Section.version_id == Consultation.version_id)
            .where(Consultation.id == bindparam("consultation_id"))
            .order_by(Section.position))


def section_keys(consultation: Consultation) -> list[SectionKey]:
    """The consulted version's sections without their texts (all a submission needs)."""
    return [SectionKey(sid, position, heading) for sid, position, heading in db.session.execute(
        select(Section.id, Section.position, Section.heading)
        .where(Section.version_id == consultation.version_id).order_by(Section.position)
    )]


@dataclass(frozen=True)
class _Earlier:
    """The response stored earlier with a token, and the digest of what was sent."""

    receipt: Receipt
    digest: str | None


def _earlier_receipt(token: str) -> _Earlier | None:
    row = db.session.execute(
        select(PublicSubmitter.response_id, PublicSubmitter.receipt_number,
               PublicSubmitter.submission_digest)
        .where(PublicSubmitter.idempotency_token == token)
    ).first()
    if row is None:
        return None
    return _Earlier(Receipt(row.response_id, row.receipt_number, created=False),
                    row.submission_digest)


def _resent(earlier: _Earlier, digest: str) -> Receipt:
    """The earlier receipt if this is the same submission sent again; else TokenReused
    (nothing of the earlier one is shown to whoever sent this)."""
    if earlier.digest is None or not hmac.compare_digest(earlier.digest, digest):
        raise TokenReused()
    return earlier.receipt


def store_public_response(
    consultation: Consultation, submission: PublicSubmission,
    sections: list[SectionKey] | None = None, *, own_transaction: bool = False,
    response_id: int | None = None,
) -> Receipt:
    """Store a citizen's response (see the module's docstring), or find the one stored
    earlier with the same token and content (``TokenReused`` for other content). Written
    with a handful of plain INSERTs: a burst of thousands of citizens must not wait on
    the ORM's unit of work. Flushes, never commits. ``own_transaction``: nothing else is
    in the transaction (a request's), so a token used before rolls it back whole instead
    of to a savepoint (two round trips fewer). ``response_id``: the id reserved for it
    (``submission_target``)."""
    digest = submission_digest(submission)
    try:
        ensure_accepting(consultation)
    except DomainError:  # closed since: a form sent again still gets its receipt
        earlier = _earlier_receipt(submission.token)
        if earlier is None:
            raise
        return _resent(earlier, digest)
    positions = {s.id: s.position for s in sections or section_keys(consultation)}
    texts: list[tuple[int | None, str]] = [(sid, text.strip()) for sid, text in sorted(
        submission.section_texts.items(), key=lambda item: positions.get(item[0], 0)
    ) if text.strip() and sid in positions]
    if submission.general_text.strip():
        texts.append((None, submission.general_text.strip()))
    files = validated_files(submission.files)
    if not texts and not files:
        raise DomainError(_("Skriv et høringssvar, eller vedhæft det som fil."))
    db.session.flush()  # anything pending goes first: the INSERTs below bypass the ORM
    try:  # a token used before fails on its unique index
        with nullcontext() if own_transaction else db.session.begin_nested():
            return _insert(consultation, submission, digest, texts, files, response_id)
    except IntegrityError:  # the same token: sent before, or at the same moment
        if own_transaction:
            db.session.rollback()
        earlier = _earlier_receipt(submission.token)
        if earlier is None:
            raise
        return _resent(earlier, digest)


def submit_public_response(
    consultation: Consultation, submission: PublicSubmission
) -> tuple[Response, bool]:
    """``store_public_response``, returning the response itself and whether it was
    stored now (for callers that go on working with it, such as the demo)."""
    receipt = store_public_response(consultation, submission)
    return db.session.get_one(Response, receipt.response_id), receipt.created


def _insert(consultation: Consultation, submission: PublicSubmission, digest: str,
            texts: list[tuple[int | None, str]], files: list[tuple[UploadedFile, str]],
            response_id: int | None) -> Receipt:
    """The response, its remarks (and attachments), its sender, receipt e-mail and audit
    event, as plain INSERTs on the session's connection past the ORM (a burst of
    thousands of citizens must not wait on it): with the response's id reserved
    (``submission_target``) all in one statement (``insert_together``), else the
    response first for its id and then the rest."""
    moment = now_utc()
    response = {
        "consultation_id": consultation.id, "body_id": None,
        "channel": ResponseChannel.PUBLIC, "status": ResponseStatus.SUBMITTED,
        "submitted_at": moment, "received_late": False, "no_remarks": False,
        "source": "", "created_at": moment,
    }
    rows: list[Row] = []
    if response_id is None:
        response_id = db.session.connection().execute(_response_insert(), response
                                                      ).scalar_one()
    else:
        rows.append((Response.__table__, {"id": response_id, **response}))
    number = receipt_number(response_id, moment)
    insert_together(*rows, *_content_rows(consultation, response_id, texts, files, moment),
                    *_record_rows(consultation, submission, digest, response_id, number,
                                  moment, remarks=len(texts), attachments=len(files)))
    return Receipt(response_id, number, created=True)


def _content_rows(consultation: Consultation, response_id: int,
                  texts: list[tuple[int | None, str]], files: list[tuple[UploadedFile, str]],
                  moment: datetime) -> list[Row]:
    """The remarks, in the sections' order (one INSERT: their ids follow it), and the
    attachments."""
    return [(Remark.__table__, {
        "consultation_id": consultation.id, "response_id": response_id,
        "section_id": section_id, "original_text": text, "search_text": search_key(text),
        "created_at": moment}) for section_id, text in texts] + [(Attachment.__table__, {
            "response_id": response_id, "filename": safe_filename(upload.filename, media_type),
            "media_type": media_type, "size": len(upload.content),
            "sha256": hashlib.sha256(upload.content).hexdigest(), "content": upload.content,
            "created_at": moment}) for upload, media_type in files]


def _record_rows(consultation: Consultation, submission: PublicSubmission, digest: str,
                 response_id: int, number: str, moment: datetime, *, remarks: int,
                 attachments: int) -> list[Row]:
    """The sender with the token, the receipt e-mail and the audit event."""
    return [(PublicSubmitter.__table__, {
        "response_id": response_id, "receipt_number": number,
        "idempotency_token": submission.token, "submission_digest": digest,
        "name": submission.name.strip(),
        "email": submission.email.strip(), "organisation": submission.organisation.strip(),
        "publish_name": submission.publish_name,
    }), message_row(
        kind="receipt", dedupe_key=f"receipt:{number}", to_address=submission.email.strip(),
        subject=_("Kvittering for høringssvar %(number)s", number=number),
        body_text=receipt_text(consultation, submission, number, moment,
                               remarks=remarks, attachments=attachments),
        consultation_id=consultation.id,
    ), event_row(
        AuditTag.PUBLIC_RESPONSE_SUBMIT, actor=None, object_type="response",
        object_id=response_id, changes={
            "consultation_id": {"before": None, "after": consultation.id},
            "receipt_number": {"before": None, "after": number},
            "remarks": {"before": None, "after": remarks},
            "attachments": {"before": None, "after": attachments},
        })]


@cache
def _response_insert() -> Insert:
    return insert(Response.__table__).returning(Response.__table__.c.id)


def receipt_text(consultation: Consultation, submission: PublicSubmission, number: str,
                 moment: datetime, *, remarks: int, attachments: int) -> str:
    return render_body(
        "mail/receipt.txt", consultation=consultation, name=submission.name.strip(),
        number=number, received=deadline_in_locale(moment),
        remarks=remarks, attachments=attachments, publish_name=submission.publish_name,
    )
