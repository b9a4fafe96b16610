"""Consultations, the bodies invited to them, their responses, remarks and replies."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    case,
    func,
    select,
    type_coerce,
)
from sqlalchemy import Enum as SAEnum
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Mapped, column_property, mapped_column, relationship
from sqlalchemy.sql.elements import ColumnElement

from hoering.accounts.models import Body, User
from hoering.consultations.personal_data import PersonalDataKind
from hoering.core.db import Base, enum_column_type, now_utc
from hoering.policies.models import PolicyVersion, Section

# The text-search configuration of the inbox search on PostgreSQL, as an SQL literal: a
# constant (not a bound parameter), so that a query's expression matches the index's.
SEARCH_CONFIG = "'danish'::regconfig"


class ConsulteeStatus(StrEnum):
    """Derived from the body's response (never stored twice); "overdue" is derived too
    (invited and past the deadline)."""

    INVITED = "invited"
    RESPONDED = "responded"
    DECLINED = "declined"


class ResponseStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


class ResponseChannel(StrEnum):
    MEMBER = "member"  # drafted and submitted in hoering by the body
    STAFF = "staff"  # registered by the secretariat on the body's behalf
    MINUTES = "minutes"  # imported from the decision in the meeting minutes
    PUBLIC = "public"  # a citizen or association, through the public form (no body)


class Disposition(StrEnum):
    INCORPORATED = "incorporated"
    PARTLY_INCORPORATED = "partly_incorporated"
    ALREADY_COVERED = "already_covered"
    NOT_INCORPORATED = "not_incorporated"
    ATTENTION_POINT = "attention_point"
    NOTED = "noted"


class Consultation(Base):
    __tablename__ = "consultations"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("policy_versions.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    opens_on: Mapped[date]
    closes_at: Mapped[datetime]  # the deadline, UTC (entered in Europe/Copenhagen)
    invitation_text: Mapped[str] = mapped_column(Text, default="")
    public: Mapped[bool] = mapped_column(default=False)
    opened_at: Mapped[datetime | None]  # set when staff open it; freezes the version
    # Public consultations: when staff published the submitted responses on the public
    # page (None: not published).
    responses_published_at: Mapped[datetime | None]
    # When staff published the approved replies ("Det sagde I – det gjorde vi") on the
    # public page (None: not published).
    answers_published_at: Mapped[datetime | None]
    # The member of staff in charge (the secretariat): gets the bodies' receipts.
    # Set to the creator; editable among staff.
    responsible_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    # The memo's editable parts (None/empty: the generated default is used).
    memo_title: Mapped[str | None] = mapped_column(String(400))
    memo_unit: Mapped[str] = mapped_column(String(200), default="")
    memo_background: Mapped[str | None] = mapped_column(Text)
    memo_responses_heading: Mapped[str | None] = mapped_column(String(300))
    memo_responses_intro: Mapped[str | None] = mapped_column(Text)
    # Headings of the memo's parts that staff rewrote: {"<section id>" | "general": text}.
    memo_part_headings: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    # "Videre arbejde": the text before the follow-up list and the text after it.
    memo_further_work: Mapped[str] = mapped_column(Text, default="")
    memo_further_work_after: Mapped[str] = mapped_column(Text, default="")
    # Whether the memo lists every invited party with what it answered (lovkvalitet 9.1.6).
    memo_consultee_list: Mapped[bool] = mapped_column(default=False)

    version: Mapped[PolicyVersion] = relationship()
    responsible: Mapped[User | None] = relationship()
    consultees: Mapped[list[Consultee]] = relationship(
        back_populates="consultation", cascade="all, delete-orphan"
    )

    @property
    def is_opened(self) -> bool:
        return self.opened_at is not None

    def is_open_at(self, moment: datetime) -> bool:
        return self.opened_at is not None and moment < self.closes_at

    def is_past_deadline(self, moment: datetime) -> bool:
        return moment >= self.closes_at


class Consultee(Base):
    __tablename__ = "consultees"
    __table_args__ = (UniqueConstraint("consultation_id", "body_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    body_id: Mapped[int] = mapped_column(ForeignKey("bodies.id"), index=True)
    if TYPE_CHECKING:  # derived from the body's response: see consultee_status below
        status: Mapped[ConsulteeStatus]
    reminders_sent: Mapped[int] = mapped_column(default=0)
    last_reminded_at: Mapped[datetime | None]
    # The secretary's order of the bodies in this consultation's memo (None: the
    # municipality's order, Body.position, then natural sort).
    memo_position: Mapped[int | None]
    # A later deadline for this consultee alone (a committee that meets after the
    # consultation's deadline), UTC; None: the consultation's.
    deadline: Mapped[datetime | None]

    consultation: Mapped[Consultation] = relationship(back_populates="consultees")
    body: Mapped[Body] = relationship()

    @property
    def effective_deadline(self) -> datetime:
        general = self.consultation.closes_at
        return max(general, self.deadline) if self.deadline is not None else general

    def is_past_deadline(self, moment: datetime) -> bool:
        return moment >= self.effective_deadline

    def is_overdue(self, moment: datetime) -> bool:
        return self.status is ConsulteeStatus.INVITED and self.is_past_deadline(moment)


class Response(Base):
    """One response (høringssvar) to one consultation: a body's, or (``channel`` public,
    no body) a citizen's or association's, whose personal data is in ``submitter``."""

    __tablename__ = "responses"
    __table_args__ = (
        UniqueConstraint("consultation_id", "body_id"),
        CheckConstraint(
            "(status = 'draft' AND submitted_at IS NULL) "
            "OR (status = 'submitted' AND submitted_at IS NOT NULL)",
            name="submitted_at_matches_status",
        ),
        CheckConstraint(
            "(channel = 'public' AND body_id IS NULL) "
            "OR (channel <> 'public' AND body_id IS NOT NULL)",
            name="body_unless_public",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    body_id: Mapped[int | None] = mapped_column(ForeignKey("bodies.id"), index=True)
    status: Mapped[ResponseStatus] = mapped_column(
        enum_column_type(ResponseStatus), default=ResponseStatus.DRAFT
    )
    channel: Mapped[ResponseChannel] = mapped_column(
        enum_column_type(ResponseChannel), default=ResponseChannel.MEMBER
    )
    no_remarks: Mapped[bool] = mapped_column(default=False)
    received_late: Mapped[bool] = mapped_column(default=False)
    submitted_at: Mapped[datetime | None]
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Where the response comes from, as minutes cite it: "Socialudvalget den 9. april 2024
    # Punkt 6"; empty for responses written in hoering.
    source: Mapped[str] = mapped_column(String(300), default="")
    meeting_date: Mapped[date | None]
    agenda_item: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=now_utc)

    consultation: Mapped[Consultation] = relationship()
    body: Mapped[Body | None] = relationship()
    submitted_by: Mapped[User | None] = relationship()
    remarks: Mapped[list[Remark]] = relationship(
        back_populates="response", order_by="Remark.id", cascade="all, delete-orphan"
    )
    submitter: Mapped[PublicSubmitter | None] = relationship(
        back_populates="response", uselist=False, cascade="all, delete-orphan"
    )
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="response", order_by="Attachment.id", cascade="all, delete-orphan"
    )

    @property
    def is_submitted(self) -> bool:
        return self.status is ResponseStatus.SUBMITTED

    @property
    def is_public(self) -> bool:
        return self.channel is ResponseChannel.PUBLIC

    @property
    def sender_abbreviation(self) -> str:
        """What the inbox and the memo show after a remark: "SOU", or for the public the
        association's name or "Borger" (never a citizen's name)."""
        if self.body is not None:
            return self.body.abbreviation
        if self.submitter is not None and self.submitter.organisation:
            return self.submitter.organisation
        return str(PUBLIC_ABBREVIATION)

    @property
    def sender_name(self) -> str:
        if self.body is not None:
            return self.body.name
        if self.submitter is not None and self.submitter.organisation:
            return self.submitter.organisation
        return str(PUBLIC_NAME)


PUBLIC_ABBREVIATION = _l("Borger")
PUBLIC_NAME = _l("Borger (offentlig høring)")
ANONYMISED = "Anonymiseret"


# Reads the derived status back as the enum (no constraint: it is no stored column).
_STATUS_TYPE: Any = SAEnum(ConsulteeStatus, native_enum=False, create_constraint=False,
                           values_callable=lambda members: [m.value for m in members])


def consultee_status() -> ColumnElement[ConsulteeStatus]:
    """A consultee's status as SQL, from its body's submitted response: declined ("ingen
    bemærkninger"), responded, or (no submitted response) invited."""
    answered = (
        select(case((Response.no_remarks.is_(True), ConsulteeStatus.DECLINED.value),
                    else_=ConsulteeStatus.RESPONDED.value))
        .where(Response.consultation_id == Consultee.consultation_id,
               Response.body_id == Consultee.body_id, Response.submitted_at.is_not(None))
        .correlate_except(Response)  # a query may join responses itself
        .limit(1).scalar_subquery()
    )
    return type_coerce(func.coalesce(answered, ConsulteeStatus.INVITED.value), _STATUS_TYPE)


Consultee.status = column_property(consultee_status())


class PublicSubmitter(Base):
    """Who sent a public response: the personal data, kept apart so that it can be
    anonymised (``purged_at``) without touching the response's text. Never written to
    the audit trail."""

    __tablename__ = "public_submitters"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("responses.id", ondelete="CASCADE"), unique=True
    )
    # "H-2025-000123": shown on the receipt; with the e-mail it identifies the person.
    receipt_number: Mapped[str] = mapped_column(String(20), unique=True)
    # From the form, so that a double click or a resent form stores one response.
    idempotency_token: Mapped[str] = mapped_column(String(64), unique=True)
    # What was sent with the token, as a keyed SHA-256 (hoering.public.operations.
    # submission_digest): only a resend of the same submission gets this receipt.
    # None for responses stored before it was kept: the token is then never honoured.
    submission_digest: Mapped[str | None] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    organisation: Mapped[str] = mapped_column(String(200), default="")
    publish_name: Mapped[bool] = mapped_column(default=False)
    purged_at: Mapped[datetime | None]

    response: Mapped[Response] = relationship(back_populates="submitter")

    @property
    def public_name(self) -> str:
        """The name as published: only with consent, never after anonymisation."""
        if self.purged_at is None and self.publish_name:
            return self.name
        return ""


class Attachment(Base):
    """A file sent with a public response (PDF, DOCX or ODT, checked by content)."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("responses.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes | None] = mapped_column(LargeBinary)  # None once purged
    created_at: Mapped[datetime] = mapped_column(default=now_utc)

    response: Mapped[Response] = relationship(back_populates="attachments")


class Remark(Base):
    """One point of a response. ``original_text`` is the record and never changes after
    submission; ``memo_text`` is the wording staff may edit for the memo."""

    __tablename__ = "remarks"
    __table_args__ = (
        # The inbox (hoering.consultations.queries) counts its (sender, section) groups
        # from the first (small: PostgreSQL stores each repeated key once) and reads a
        # page's slice of a group in id order from the second, without the table.
        Index("ix_remarks_inbox_groups", "consultation_id", "response_id", "section_id"),
        Index("ix_remarks_consultation_section", "consultation_id", "section_id", "id",
              "response_id"),
        # PostgreSQL's full-text search of the inbox, with Danish stemming; SQLite
        # searches ``search_text`` with LIKE.
        Index("ix_remarks_search_danish", sql_text(f"to_tsvector({SEARCH_CONFIG}, search_text)"),
              postgresql_using="gin").ddl_if(dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE")
    )
    response_id: Mapped[int] = mapped_column(
        ForeignKey("responses.id", ondelete="CASCADE"), index=True
    )
    # None means "general attention points"; the version's first section is the framing.
    section_id: Mapped[int | None] = mapped_column(ForeignKey("sections.id"), index=True)
    original_text: Mapped[str] = mapped_column(Text)
    memo_text: Mapped[str | None] = mapped_column(Text)
    # Original and memo wording and the reply, case-folded, for the inbox search; kept
    # up to date by the operations that change any of them.
    search_text: Mapped[str] = mapped_column(Text, default="")
    # Near-identical remarks (a campaign) share a group, answered once for all.
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("remark_groups.id", ondelete="SET NULL"), index=True
    )
    # Staff took it out of its group (or dissolved the group): detection leaves it alone.
    kept_apart: Mapped[bool] = mapped_column(default=False)
    # The secretary's order of the remarks inside their part of the memo (None: the
    # bodies' order, then submission).
    memo_position: Mapped[int | None]
    # The colleague in the secretariat who is to process it (the inbox's "Mine
    # bemærkninger"); None: nobody in particular.
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=now_utc)

    response: Mapped[Response] = relationship(back_populates="remarks")
    section: Mapped[Section | None] = relationship()
    group: Mapped[RemarkGroup | None] = relationship(back_populates="remarks")
    assigned_to: Mapped[User | None] = relationship()
    reply: Mapped[Reply | None] = relationship(
        back_populates="remark", uselist=False, cascade="all, delete-orphan"
    )

    @property
    def wording(self) -> str:
        """The wording for the memo: the edited one if staff edited it."""
        return self.memo_text if self.memo_text is not None else self.original_text


class RemarkGroup(Base):
    """Remarks whose text is near-identical (a campaign or duplicates): shown together,
    answered once, summarised in the memo as one remark with its count."""

    __tablename__ = "remark_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=now_utc)

    remarks: Mapped[list[Remark]] = relationship(back_populates="group", order_by="Remark.id")


class Reply(Base):
    """The administration's answer to one remark (Administrationens bemærkning)."""

    __tablename__ = "replies"
    __table_args__ = (
        # The progress line counts a consultation's replies and approved replies from
        # these alone (small: PostgreSQL stores each repeated key once).
        Index("ix_replies_consultation_id", "consultation_id"),
        Index("ix_replies_consultation_approved", "consultation_id",
              postgresql_where=sql_text("approved_at IS NOT NULL"),
              sqlite_where=sql_text("approved_at IS NOT NULL")),
        CheckConstraint(
            "(approved_at IS NULL AND approved_by_id IS NULL) "
            "OR (approved_at IS NOT NULL AND approved_by_id IS NOT NULL)",
            name="approval_complete",
        ),
        CheckConstraint(
            "approved_by_id IS NULL OR author_id IS NULL OR approved_by_id <> author_id",
            name="approver_is_not_author",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    remark_id: Mapped[int] = mapped_column(
        ForeignKey("remarks.id", ondelete="CASCADE"), unique=True
    )
    # The remark's consultation (which never changes), so that the progress line counts
    # a consultation's replies from an index, not by joining all its remarks.
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE")
    )
    text: Mapped[str] = mapped_column(Text)
    disposition: Mapped[Disposition] = mapped_column(enum_column_type(Disposition))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(default=now_utc)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None]
    # Optimistic locking: every save increments it; a save based on an older value fails.
    lock_version: Mapped[int] = mapped_column(default=1)

    remark: Mapped[Remark] = relationship(back_populates="reply")
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])

    __mapper_args__ = {"version_id_col": lock_version}

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None


class StandardReply(Base):
    """A text block the secretariat keeps for one disposition ("Bemærkningen er allerede
    dækket af princip 2 ..."): inserted into a reply, then edited there."""

    __tablename__ = "standard_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    disposition: Mapped[Disposition] = mapped_column(enum_column_type(Disposition))
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=now_utc)

    created_by: Mapped[User | None] = relationship()


class ChangeLink(Base):
    """A remark answered by a change to a section of a later version (many-to-many)."""

    __tablename__ = "change_links"
    __table_args__ = (UniqueConstraint("remark_id", "section_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    remark_id: Mapped[int] = mapped_column(
        ForeignKey("remarks.id", ondelete="CASCADE"), index=True
    )
    section_id: Mapped[int] = mapped_column(
        ForeignKey("sections.id", ondelete="CASCADE"), index=True
    )
    # The changed passage of the new section's text that answers the remark (a quote of
    # the new wording); None: the section as a whole (the fallback).
    passage: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    remark: Mapped[Remark] = relationship()
    section: Mapped[Section] = relationship()


class MaskedField(StrEnum):
    """Which of a remark's published texts a masking decision is about."""

    ORIGINAL = "original"  # the remark as sent (the published responses)
    WORDING = "wording"  # its memo wording, where staff edited it (the published answers)
    REPLY = "reply"  # the approved reply (the published answers)


class MaskingChoice(StrEnum):
    MASK = "mask"
    KEEP = "keep"  # e.g. a public body's switchboard number


class MaskingDecision(Base):
    """Staff's decision on one piece of personal data found (hoering.consultations.
    personal_data) in a text to publish: mask it or keep it. The finding is identified by
    the text's digest and its place in it, so a changed text asks again; the text itself
    is never changed, and the public page masks whatever is not kept."""

    __tablename__ = "masking_decisions"
    __table_args__ = (
        UniqueConstraint("remark_id", "field", "text_digest", "start_offset"),
        CheckConstraint("start_offset >= 0 AND end_offset > start_offset", name="span"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    remark_id: Mapped[int] = mapped_column(ForeignKey("remarks.id", ondelete="CASCADE"))
    field: Mapped[MaskedField] = mapped_column(enum_column_type(MaskedField))
    text_digest: Mapped[str] = mapped_column(String(64))  # SHA-256 of the text, hex
    start_offset: Mapped[int]
    end_offset: Mapped[int]
    kind: Mapped[PersonalDataKind] = mapped_column(enum_column_type(PersonalDataKind))
    decision: Mapped[MaskingChoice] = mapped_column(enum_column_type(MaskingChoice))
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime] = mapped_column(default=now_utc)
