"""The audit trail: one immutable event per state change, login, logout or failed login.

Each row holds everything needed to recompute a content hash (``canonical_content``), so a
later migration can add ``prev_hash``/``hash`` columns and chain the rows in ``id`` order.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hoering.accounts.models import User
from hoering.db import Base, now_utc


class AuditEvent(Base):
    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_object", "object_type", "object_id"),
        Index("ix_audit_events_action_occurred_at", "action", "occurred_at"),
    )

    # 64-bit on PostgreSQL; SQLite needs INTEGER for its auto-incrementing rowid.
    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True
    )
    occurred_at: Mapped[datetime] = mapped_column(default=now_utc)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    # The actor's e-mail at the time, so the record reads the same if the user changes.
    actor_label: Mapped[str] = mapped_column(String(254), default="system")
    action: Mapped[str] = mapped_column(String(80))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int | None]
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    request_id: Mapped[str | None] = mapped_column(String(64))
    ip: Mapped[str | None] = mapped_column(String(45))

    actor: Mapped[User | None] = relationship()

    def canonical_content(self) -> str:
        """A stable serialisation of the event, the input of a future hash chain."""
        return json.dumps(
            {
                "id": self.id,
                "occurred_at": self.occurred_at.isoformat(),
                "actor_id": self.actor_id,
                "actor_label": self.actor_label,
                "action": self.action,
                "object_type": self.object_type,
                "object_id": self.object_id,
                "changes": self.changes,
                "request_id": self.request_id,
                "ip": self.ip,
            },
            sort_keys=True,
            ensure_ascii=False,
            separators=(",", ":"),
        )
