"""Issued memos (immutable snapshots of the rendered files with their content hash) and the
follow-up tasks (videre arbejde) that the memo lists."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from hoering.accounts.models import User
from hoering.core.db import Base, enum_column_type, now_utc


class MemoIssue(Base):
    __tablename__ = "memo_issues"
    __table_args__ = (UniqueConstraint("consultation_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultations.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    issued_at: Mapped[datetime] = mapped_column(default=now_utc)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    content_hash: Mapped[str] = mapped_column(String(64))
    # ``memos.digest.memo_digest`` of the memo as issued: whether the draft differs
    # without building it. None for memos issued before it was stored.
    digest: Mapped[str | None] = mapped_column(String(64))
    # The files as issued; never changed afterwards. Loaded only when downloaded.
    markdown: Mapped[str] = deferred(mapped_column(Text))
    html: Mapped[str] = deferred(mapped_column(Text))
    docx: Mapped[bytes] = deferred(mapped_column(LargeBinary))
    pdf: Mapped[bytes] = deferred(mapped_column(LargeBinary))

    issued_by: Mapped[User | None] = relationship()


def issued_file(issue: MemoIssue, fmt: str) -> bytes:
    """One of the issued files, as stored: md, html, docx or pdf."""
    return {
        "md": lambda: issue.markdown.encode("utf-8"),
        "html": lambda: issue.html.encode("utf-8"),
        "docx": lambda: issue.docx,
        "pdf": lambda: issue.pdf,
    }[fmt]()


class TaskStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"


class FollowUpTask(Base):
    __tablename__ = "follow_up_tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    policy_id: Mapped[int] = mapped_column(
        ForeignKey("policies.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    owner: Mapped[str] = mapped_column(String(200), default="")
    due_on: Mapped[date | None]
    status: Mapped[TaskStatus] = mapped_column(
        enum_column_type(TaskStatus), default=TaskStatus.OPEN
    )
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
