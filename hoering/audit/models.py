"""The audit trail: one immutable event per state change, login, logout or failed login.

The events form a hash chain: each stores the previous event's hash and a SHA-256 over its
own canonical content plus that hash, so that a changed or removed row breaks the chain from
there on (``hoering.audit.chain.verify_chain``). The database itself refuses UPDATE and
DELETE on the table (triggers below, created with the table and by the migration).
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import DDL, JSON, BigInteger, ForeignKey, Index, Integer, String, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hoering.core.db import Base, now_utc

if TYPE_CHECKING:  # the actor is a user; audit sits below accounts
    from hoering.accounts.models import User


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
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)

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

    def compute_hash(self) -> str:
        return hashlib.sha256(
            (self.prev_hash + self.canonical_content()).encode("utf-8")
        ).hexdigest()


class AuditChainHead(Base):
    """One row: the id and hash of the newest event. Writers lock it (SELECT ... FOR
    UPDATE on PostgreSQL; SQLite has one writer at a time anyway), so that concurrent
    transactions append to the chain one after the other and never fork it."""

    __tablename__ = "audit_chain_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_event_id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer(), "sqlite"))
    last_hash: Mapped[str] = mapped_column(String(64))


GENESIS_HASH = "0" * 64
IMMUTABLE_MESSAGE = "audit_events er uforanderlig: UPDATE og DELETE er ikke tilladt"

# The same triggers are created by the migration (which keeps its own frozen copy).
SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER audit_events_no_{verb.lower()} BEFORE {verb} ON audit_events
BEGIN SELECT RAISE(ABORT, '{IMMUTABLE_MESSAGE}'); END"""
    for verb in ("UPDATE", "DELETE")
]
POSTGRES_TRIGGERS = [
    f"""CREATE OR REPLACE FUNCTION audit_events_immutable() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION '{IMMUTABLE_MESSAGE}'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_events_immutable BEFORE UPDATE OR DELETE ON audit_events
FOR EACH ROW EXECUTE FUNCTION audit_events_immutable()""",
]
for _statement in SQLITE_TRIGGERS:
    event.listen(AuditEvent.__table__, "after_create", DDL(_statement).execute_if(dialect="sqlite"))
for _statement in POSTGRES_TRIGGERS:
    event.listen(AuditEvent.__table__, "after_create",
                 DDL(_statement).execute_if(dialect="postgresql"))
