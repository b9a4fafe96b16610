"""Anonymising citizens' personal data once the case no longer needs it.

Which consultations: those holding public responses (normally exactly the public
consultations; one made non-public after citizens had responded is included too, so
that no personal data escapes the rule) whose policy got its final decision (adopted or
rejected, both final stages of the case track) at least ``retention_days`` before
``moment``.

When the retention period starts (``retention_start``): the later of the end of the
meeting day of the final decision (Danish time) and the moment the decision was recorded
in hoering. The meeting is when the case really ended; taking the later of the two means
that a decision recorded late (or replayed, as the demo does) never shortens the period,
and that a meeting date typed in the future cannot start it early.

What is anonymised, per public response: the submitter's name (``ANONYMISED``) and
e-mail (empty), the consent to publish the name (withdrawn), and ``purged_at`` is set;
each attachment's content (removed) and filename (``bilag-<id>.pdf``: a filename often
holds the sender's name); the receipt e-mail in the outbox (address emptied, text
replaced, error text cleared; a receipt still unsent is given up, never sent). The
message rows are kept, anonymised, rather than deleted: they show that a receipt was
sent, and when. Kept: the association's name (``organisation``; an association is not a
person, and the memo cites it), the receipt number (with nothing personal left behind it,
it identifies no one), each attachment's size, type and SHA-256, and every remark's text.

The audit trail gets one ``privacy:purge`` event per consultation purged in a run, with
counts only (never names, addresses or receipt numbers); events are only ever appended,
so the chain stays valid. A second run finds nothing left to purge and records nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, literal, or_, select
from sqlalchemy.orm import defer

from hoering.accounts.models import User
from hoering.audit.record import record_change
from hoering.audit.tags import AuditTag
from hoering.cases.models import CaseDecision
from hoering.cases.stages import DECISIONS, FINAL_STAGES
from hoering.consultations.models import (
    ANONYMISED,
    Attachment,
    Consultation,
    PublicSubmitter,
    Response,
    ResponseChannel,
)
from hoering.core.clock import LOCAL_TZ
from hoering.core.db import db
from hoering.core.errors import DomainError
from hoering.core.permissions import Permission, check
from hoering.outbox.models import MessageStatus, OutboxMessage
from hoering.policies.models import Policy, PolicyVersion
from hoering.public.files import EXTENSIONS

FINAL_ACTIONS = tuple(t.action for t in DECISIONS if t.target in FINAL_STAGES)
RECEIPT_KIND = "receipt"
ANONYMISED_EMAIL = ""
ANONYMISED_RECEIPT_TEXT = (
    "Kvitteringen er anonymiseret, fordi opbevaringsperioden for personoplysninger "
    "er udløbet.\n"
)
GIVEN_UP_UNSENT = "Anonymiseret før afsendelse."


@dataclass(frozen=True)
class ConsultationPurge:
    """What was (or, in a dry run, would be) anonymised in one consultation."""

    consultation_id: int
    title: str
    retention_start: datetime
    responses: int
    attachments: int
    messages: int


@dataclass(frozen=True)
class PurgeResult:
    moment: datetime
    retention_days: int
    dry_run: bool
    consultations: tuple[ConsultationPurge, ...]

    @property
    def responses(self) -> int:
        return sum(c.responses for c in self.consultations)

    @property
    def attachments(self) -> int:
        return sum(c.attachments for c in self.consultations)

    @property
    def messages(self) -> int:
        return sum(c.messages for c in self.consultations)


def retention_start(decision: CaseDecision) -> datetime:
    """The later of the end of the meeting day (Danish time) and the recording time."""
    if decision.meeting_date is None:
        return decision.created_at
    day_end = datetime.combine(
        decision.meeting_date + timedelta(days=1), time(), tzinfo=LOCAL_TZ
    ).astimezone(UTC)
    return max(decision.created_at, day_end)


def receipt_key() -> ColumnElement[str]:
    """The outbox dedupe key of a submitter's receipt, as an SQL expression."""
    return literal("receipt:") + PublicSubmitter.receipt_number


def _with_personal_data() -> ColumnElement[bool]:
    """Consultations with a public response whose personal data is not all anonymised."""
    public = Response.channel == ResponseChannel.PUBLIC
    unpurged = (select(Response.consultation_id).join(Response.submitter)
                .where(public, PublicSubmitter.purged_at.is_(None)))
    with_content = (select(Response.consultation_id).join(Response.attachments)
                    .where(public, Attachment.content.is_not(None)))
    with_address = (select(Response.consultation_id).join(Response.submitter)
                    .join(OutboxMessage, OutboxMessage.dedupe_key == receipt_key())
                    .where(public, OutboxMessage.to_address != ANONYMISED_EMAIL))
    return or_(Consultation.id.in_(unpurged), Consultation.id.in_(with_content),
               Consultation.id.in_(with_address))


def due_consultations(moment: datetime, retention_days: int) -> list[tuple[Consultation, datetime]]:
    """Consultations with personal data left whose retention period has passed at
    ``moment``, each with the start of its period, in id order."""
    rows = db.session.execute(
        select(Consultation, CaseDecision)
        .join(PolicyVersion, PolicyVersion.id == Consultation.version_id)
        .join(Policy, Policy.id == PolicyVersion.policy_id)
        .join(CaseDecision, CaseDecision.policy_id == Policy.id)
        # the final stages have no way out: the (unwithdrawn) decision that moved a policy
        # into one is where its case ended
        .where(CaseDecision.action.in_(FINAL_ACTIONS), CaseDecision.withdrawn_at.is_(None),
               _with_personal_data())
        .order_by(Consultation.id, CaseDecision.id)
    )
    starts: dict[int, tuple[Consultation, datetime]] = {}
    for consultation, decision in rows:
        start = retention_start(decision)
        if consultation.id in starts:  # one final decision per policy; be safe anyway
            start = max(start, starts[consultation.id][1])
        starts[consultation.id] = (consultation, start)
    limit = timedelta(days=retention_days)
    return [(c, start) for c, start in starts.values() if start + limit <= moment]


def purge_personal_data(
    moment: datetime, *, retention_days: int, actor: User | None = None,
    dry_run: bool = False,
) -> PurgeResult:
    """Anonymise the personal data of every consultation due at ``moment`` (see the
    module's docstring); ``dry_run`` only counts. Flushes, never commits."""
    check(actor, Permission.MANAGE_CONSULTATIONS)
    if retention_days < 0:
        raise DomainError(_("Opbevaringsperioden kan ikke være negativ."))
    purged = []
    for consultation, start in due_consultations(moment, retention_days):
        counts = _purge_consultation(consultation, moment, apply=not dry_run)
        if not any(counts):
            continue
        responses, attachments, messages = counts
        if not dry_run:
            db.session.flush()
            record_change(AuditTag.PRIVACY_PURGE, consultation, actor=actor, changes={
                "responses": {"before": None, "after": responses},
                "attachments": {"before": None, "after": attachments},
                "receipt_messages": {"before": None, "after": messages},
                "retention_days": {"before": None, "after": retention_days},
                "retention_start": {"before": None, "after": start.isoformat()},
            })
        purged.append(ConsultationPurge(
            consultation_id=consultation.id, title=consultation.title,
            retention_start=start, responses=responses, attachments=attachments,
            messages=messages,
        ))
    return PurgeResult(moment=moment, retention_days=retention_days, dry_run=dry_run,
                       consultations=tuple(purged))


def _purge_consultation(
    consultation: Consultation, moment: datetime, *, apply: bool
) -> tuple[int, int, int]:
    """(responses, attachments, receipt messages) anonymised, or that would be."""
    submitters = list(db.session.scalars(
        select(PublicSubmitter).join(PublicSubmitter.response)
        .where(Response.consultation_id == consultation.id,
               Response.channel == ResponseChannel.PUBLIC)
        .order_by(PublicSubmitter.id)
    ))
    responses = sum(_anonymise_submitter(s, moment, apply=apply) for s in submitters)
    return (responses, _anonymise_attachments(consultation, apply=apply),
            _anonymise_receipts(consultation, apply=apply))


def _anonymise_submitter(submitter: PublicSubmitter, moment: datetime, *, apply: bool) -> bool:
    if submitter.purged_at is not None:
        return False
    if apply:
        submitter.name = ANONYMISED
        submitter.email = ANONYMISED_EMAIL
        submitter.publish_name = False
        submitter.submission_digest = None  # a keyed hash of the name, e-mail and texts
        submitter.purged_at = moment
    return True


def anonymous_filename(attachment: Attachment) -> str:
    """``bilag-17.pdf``: the attachment's id and the extension of its type."""
    return f"bilag-{attachment.id}{EXTENSIONS.get(attachment.media_type, '')}"


def _anonymise_attachments(consultation: Consultation, *, apply: bool) -> int:
    """Remove the content and the original filename; the content is not loaded."""
    rows = db.session.execute(
        select(Attachment, Attachment.content.is_not(None))
        .join(Attachment.response)
        .where(Response.consultation_id == consultation.id,
               Response.channel == ResponseChannel.PUBLIC)
        .options(defer(Attachment.content))
        .order_by(Attachment.id)
    )
    count = 0
    for attachment, has_content in rows:
        if not has_content and attachment.filename == anonymous_filename(attachment):
            continue
        if apply:
            attachment.content = None
            attachment.filename = anonymous_filename(attachment)
        count += 1
    return count


def _anonymise_receipts(consultation: Consultation, *, apply: bool) -> int:
    keys = (select(receipt_key()).join(PublicSubmitter.response)
            .where(Response.consultation_id == consultation.id,
                   Response.channel == ResponseChannel.PUBLIC))
    messages = list(db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.kind == RECEIPT_KIND, OutboxMessage.dedupe_key.in_(keys),
               or_(OutboxMessage.to_address != ANONYMISED_EMAIL,
                   OutboxMessage.body_text != ANONYMISED_RECEIPT_TEXT))
        .order_by(OutboxMessage.id)
    ))
    if apply:
        for message in messages:
            _anonymise_message(message)
    return len(messages)


def _anonymise_message(message: OutboxMessage) -> None:
    """The address and the text go; the error text too (it may quote the address). A
    message not yet sent is given up, so the sender never picks it up."""
    message.to_address = ANONYMISED_EMAIL
    message.body_text = ANONYMISED_RECEIPT_TEXT
    message.last_error = ""
    if message.status is MessageStatus.PENDING:
        message.status = MessageStatus.FAILED
        message.last_error = GIVEN_UP_UNSENT

