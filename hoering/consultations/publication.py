"""What a public consultation shows of its responses and answers, and the personal data
in it: the texts the public page may show, the CPR numbers, phone numbers and e-mail
addresses found in them (``personal_data``), staff's decision on each (mask, the
default, or keep), the masked texts the public page shows, and publishing the approved
replies ("Det sagde I – det gjorde vi").

The texts themselves (``Remark.original_text`` above all, the record) never change: a
decision names its text by digest and its finding by place, so an edited text (a new
memo wording, a changed reply) is asked about again, and whatever is not explicitly kept
is masked on the public page, also before anyone decided. The audit trail counts
decisions and names remarks, never what was found.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, func, select

from hoering.accounts.models import User
from hoering.audit.record import record_change
from hoering.audit.tags import AuditTag
from hoering.consultations.models import (
    Consultation,
    MaskedField,
    MaskingChoice,
    MaskingDecision,
    Remark,
    Reply,
    Response,
)
from hoering.consultations.personal_data import (
    Finding,
    InContext,
    find_personal_data,
    in_context,
    mask,
)
from hoering.core.db import db, now_utc
from hoering.core.errors import DomainError
from hoering.core.permissions import Permission, check


@dataclass(frozen=True)
class PublishableText:
    """One text the public page may show: a remark's, its memo wording or its reply."""

    remark_id: int
    field: MaskedField
    text: str

    @property
    def place(self) -> tuple[int, str]:
        """Its key in ``masked_texts``: (remark id, field)."""
        return (self.remark_id, self.field.value)

    @cached_property
    def digest(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def wording_text(remark_id: int, original: str, memo_text: str | None) -> PublishableText:
    """The wording the answers show: the memo's where staff edited it, else the original
    (one text, decided once)."""
    if memo_text is None:
        return PublishableText(remark_id, MaskedField.ORIGINAL, original)
    return PublishableText(remark_id, MaskedField.WORDING, memo_text)


def _remark_texts(remark_id: int, original: str, memo_text: str | None,
                  approved_reply: str | None) -> list[PublishableText]:
    texts = [PublishableText(remark_id, MaskedField.ORIGINAL, original)]
    if approved_reply is not None:  # only answered remarks show their wording and reply
        wording = wording_text(remark_id, original, memo_text)
        texts += [wording] if wording.field is MaskedField.WORDING else []
        texts.append(PublishableText(remark_id, MaskedField.REPLY, approved_reply))
    return texts


def published_conditions(consultation: Consultation) -> list[ColumnElement[bool]]:
    """The responses the public page shows: submitted ones with remarks."""
    return [Response.consultation_id == consultation.id, Response.submitted_at.is_not(None),
            Response.no_remarks.is_(False)]


def publishable_texts(consultation: Consultation) -> list[PublishableText]:
    """Every text of the consultation the public page can show, in remark order."""
    rows = db.session.execute(
        select(Remark.id, Remark.original_text, Remark.memo_text, Reply.text,
               Reply.approved_at)
        .join(Response, Response.id == Remark.response_id)
        .outerjoin(Reply, Reply.remark_id == Remark.id)
        .where(*published_conditions(consultation))
        .order_by(Remark.id)
    )
    texts: list[PublishableText] = []
    for remark_id, original, memo_text, reply, approved_at in rows:
        texts += _remark_texts(remark_id, original, memo_text,
                               reply if approved_at is not None else None)
    return texts


@dataclass(frozen=True)
class FoundItem:
    """One finding in one text, with staff's decision on it (None: not decided)."""

    text: PublishableText
    finding: Finding
    decision: MaskingChoice | None

    @property
    def key(self) -> str:
        """Names the finding in a form; a text changed since the page was shown has
        another digest, so its old key matches nothing."""
        f = self.finding
        return (f"{self.text.remark_id}:{self.text.field}:{self.text.digest[:16]}:"
                f"{f.start}:{f.end}:{f.kind}")

    @property
    def context(self) -> InContext:
        return in_context(self.text.text, self.finding)


_Place = tuple[int, str, str, int]  # remark id, field, text digest, start: one finding


def _place(text: PublishableText, finding: Finding) -> _Place:
    return (text.remark_id, text.field.value, text.digest, finding.start)


class _Decisions:
    """The stored decisions matching some condition, looked up by finding."""

    def __init__(self, *conditions: ColumnElement[bool]) -> None:
        rows = db.session.scalars(select(MaskingDecision).where(*conditions))
        self.rows: dict[_Place, MaskingDecision] = {
            (d.remark_id, d.field.value, d.text_digest, d.start_offset): d for d in rows}

    def row(self, text: PublishableText, finding: Finding) -> MaskingDecision | None:
        return self.rows.get(_place(text, finding))

    def choice(self, text: PublishableText, finding: Finding) -> MaskingChoice | None:
        """The decision on exactly this finding (same end and kind too)."""
        row = self.row(text, finding)
        if row is None or (row.end_offset, row.kind) != (finding.end, finding.kind):
            return None
        return row.decision


def found_items(consultation: Consultation) -> list[FoundItem]:
    """Every finding in the texts the public page can show, with its decision."""
    decisions = _Decisions(MaskingDecision.consultation_id == consultation.id)
    return [FoundItem(text, finding, decisions.choice(text, finding))
            for text in publishable_texts(consultation)
            for finding in find_personal_data(text.text)]


def undecided_count(consultation: Consultation) -> int:
    return sum(item.decision is None for item in found_items(consultation))


def ensure_decided(consultation: Consultation) -> None:
    """Refuse to publish while personal data found has no decision."""
    undecided = undecided_count(consultation)
    if undecided:
        raise DomainError(_(
            "Der er %(n)d mulige personoplysninger (CPR-numre, telefonnumre, "
            "e-mailadresser), som ingen har taget stilling til. Gennemgå dem under "
            "»Personoplysninger før offentliggørelse«, før der offentliggøres.", n=undecided))


def decide_findings(consultation: Consultation, choices: dict[str, MaskingChoice], *,
                    actor: User | None) -> int:
    """Store staff's choice for each finding named in ``choices`` (by ``FoundItem.key``);
    keys of texts changed meanwhile are skipped. Returns how many were skipped."""
    check(actor, Permission.MANAGE_CONSULTATIONS)
    items = {item.key: item for item in found_items(consultation) if item.key in choices}
    stored = _Decisions(MaskingDecision.consultation_id == consultation.id)
    for key, item in items.items():
        if item.decision is choices[key]:
            continue
        row = stored.row(item.text, item.finding)
        if row is None:
            row = MaskingDecision(consultation_id=consultation.id,
                                  remark_id=item.text.remark_id, field=item.text.field,
                                  text_digest=item.text.digest, start_offset=item.finding.start)
            db.session.add(row)
        row.end_offset, row.kind = item.finding.end, item.finding.kind
        row.decision = choices[key]
        row.decided_by_id = actor.id if actor is not None else None
        row.decided_at = now_utc()
    db.session.flush()
    if items:
        _audit_decisions(consultation, list(items.values()), choices, actor)
    return len(choices) - len(items)


def _audit_decisions(consultation: Consultation, items: list[FoundItem],
                     choices: dict[str, MaskingChoice], actor: User | None) -> None:
    """Counts and remark ids: never the personal data found."""
    kept = sum(choices[item.key] is MaskingChoice.KEEP for item in items)
    record_change(AuditTag.CONSULTATION_MASKING, consultation, actor=actor, changes={
        "masked": {"before": None, "after": len(items) - kept},
        "kept": {"before": None, "after": kept},
        "remark_ids": {"before": None,
                       "after": sorted({item.text.remark_id for item in items})},
    })


def masked_texts(texts: list[PublishableText]) -> dict[tuple[int, str], str]:
    """What the public page shows of each text, by (remark id, field): every finding
    masked unless staff decided to keep it."""
    decisions = _Decisions(MaskingDecision.remark_id.in_(
        sorted({text.remark_id for text in texts})))
    shown = {}
    for text in texts:
        findings = [f for f in find_personal_data(text.text)
                    if decisions.choice(text, f) is not MaskingChoice.KEEP]
        shown[text.place] = mask(text.text, findings)
    return shown


# --- publishing the answers ----------------------------------------------------------


def _approved_replies_query(consultation: Consultation):
    return (select(func.count(Reply.id))
            .join(Remark, Remark.id == Reply.remark_id)
            .join(Response, Response.id == Remark.response_id)
            .where(Reply.approved_at.is_not(None), *published_conditions(consultation)))


def publish_answers(consultation: Consultation, *, actor: User | None) -> Consultation:
    """Show the approved replies, with the remarks they answer, on the public page."""
    check(actor, Permission.MANAGE_CONSULTATIONS)
    if not consultation.public or not consultation.is_opened:
        raise DomainError(_("Kun åbnede offentlige høringer har en offentlig side."))
    if consultation.answers_published_at is not None:
        raise DomainError(_("Svarene er allerede offentliggjort."))
    if not consultation.is_past_deadline(now_utc()):
        raise DomainError(_("Svarene offentliggøres, når høringen er afsluttet."))
    replies = db.session.scalar(_approved_replies_query(consultation)) or 0
    if not replies:
        raise DomainError(_("Der er ingen godkendte svar at offentliggøre."))
    ensure_decided(consultation)
    consultation.answers_published_at = now_utc()
    db.session.flush()
    record_change(AuditTag.CONSULTATION_PUBLISH_ANSWERS, consultation, actor=actor, changes={
        "answers_published_at": {"before": None,
                                 "after": consultation.answers_published_at.isoformat()},
        "replies": {"before": None, "after": replies},
    })
    return consultation


def unpublish_answers(consultation: Consultation, *, actor: User | None) -> Consultation:
    check(actor, Permission.MANAGE_CONSULTATIONS)
    if consultation.answers_published_at is None:
        raise DomainError(_("Svarene er ikke offentliggjort."))
    before = consultation.answers_published_at.isoformat()
    consultation.answers_published_at = None
    db.session.flush()
    record_change(AuditTag.CONSULTATION_UNPUBLISH_ANSWERS, consultation, actor=actor,
                  changes={"answers_published_at": {"before": before, "after": None}})
    return consultation
