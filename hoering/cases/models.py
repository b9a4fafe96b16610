"""The case of a policy: the decisions that moved it along its stages."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hoering.accounts.models import Body
from hoering.core.db import Base, now_utc
from hoering.policies.models import PolicyVersion


class Stage(StrEnum):
    DRAFTING = "drafting"
    APPROVED_FOR_CONSULTATION = "approved_for_consultation"
    IN_CONSULTATION = "in_consultation"
    CONSULTATION_CLOSED = "consultation_closed"
    MEMO_ISSUED = "memo_issued"
    RECOMMENDED = "recommended"
    ADOPTED = "adopted"
    REJECTED = "rejected"


class CaseDecision(Base):
    """One step of the case: who decided what, when, under which agenda item."""

    __tablename__ = "case_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    policy_id: Mapped[int] = mapped_column(
        ForeignKey("policies.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(String(40))  # a decision of cases.stages.TRANSITIONS
    body_id: Mapped[int | None] = mapped_column(ForeignKey("bodies.id"))
    meeting_date: Mapped[date | None]
    agenda_item: Mapped[int | None]
    decision_text: Mapped[str] = mapped_column(Text, default="")
    recommendation: Mapped[str] = mapped_column(Text, default="")
    minutes_reference: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The version an adopting decision adopted.
    version_id: Mapped[int | None] = mapped_column(ForeignKey("policy_versions.id"))
    # A withdrawn decision stays in the history and the traces but no longer counts.
    withdrawn_at: Mapped[datetime | None]
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    withdrawal_reason: Mapped[str] = mapped_column(Text, default="")
    # The withdrawn decision this one corrects.
    corrects_id: Mapped[int | None] = mapped_column(ForeignKey("case_decisions.id"))

    body: Mapped[Body | None] = relationship()
    version: Mapped[PolicyVersion | None] = relationship()

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def citation(self) -> str:
        """As minutes cite it: "Økonomiudvalget den 12. marts 2024 Punkt 11"."""
        from hoering.core.formatting import cite_meeting

        if self.body is None or self.meeting_date is None:
            return ""
        return cite_meeting(self.body.name, self.meeting_date, self.agenda_item)
