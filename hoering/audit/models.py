"""The audit trail: one immutable event per state change, login, logout or failed login,
and the transparency log over it (RFC 9162's Merkle tree, ``hoering.audit.log``).

An event is written in the same transaction as the change it records, with a plain
INSERT (no lock shared by all writers). ``audit seal`` later appends each new event to
the tree, in the order it seals them: a leaf per event, the tree's root after it, and
an Ed25519 signature of that tree head by a key that is not in the database. So even
someone with every right on the database, who rewrites an event and recomputes every
hash, cannot make the signatures fit again: ``audit verify`` names the event.

The event's hashed content holds no personal data beyond the staff member's user id
(their name and e-mail live in the user row); the client's IP address sits beside it in
``event_ips``, which the retention purge may empty. The database refuses UPDATE, DELETE
and TRUNCATE on the log's tables (triggers below, created with the tables and by the
migrations); on PostgreSQL the runtime role may only INSERT and SELECT them.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import DDL, JSON, BigInteger, ForeignKey, Index, Integer, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hoering.core.db import Base, now_utc

if TYPE_CHECKING:  # the actor is a user; audit sits below accounts
    from hoering.accounts.models import User

ID = BigInteger().with_variant(Integer(), "sqlite")  # 64-bit; SQLite's rowid is INTEGER


class AuditEvent(Base):
    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_object", "object_type", "object_id"),
        Index("ix_audit_events_action_occurred_at", "action", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(ID, primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(default=now_utc)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(80))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int | None]
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    request_id: Mapped[str | None] = mapped_column(String(64))

    actor: Mapped[User | None] = relationship(lazy="joined")
    client: Mapped[EventIp | None] = relationship(lazy="joined", viewonly=True)

    @property
    def actor_label(self) -> str:
        """Who acted, as the user row says today ("system" for the CLI and citizens; the
        label recorded for a body's external contact acting through its personal link)."""
        if self.actor is not None:
            return self.actor.email
        acting_as = (self.changes or {}).get("acting_as")
        return str(acting_as["after"]) if isinstance(acting_as, dict) else "system"

    @property
    def ip(self) -> str | None:
        """The client's address, while the retention purge has left it."""
        return self.client.ip if self.client is not None else None


class EventIp(Base):
    """The client address of an event, outside the hashed content so it can be purged."""

    __tablename__ = "event_ips"

    event_id: Mapped[int] = mapped_column(ID, ForeignKey("audit_events.id"), primary_key=True)
    ip: Mapped[str] = mapped_column(String(45))


class AuditLeaf(Base):
    """The event sealed at ``position`` (from 0) of the tree, its leaf hash and the tree's
    root once it was added (hex SHA-256)."""

    __tablename__ = "audit_leaves"

    position: Mapped[int] = mapped_column(ID, primary_key=True, autoincrement=False)
    event_id: Mapped[int] = mapped_column(ID, ForeignKey("audit_events.id"), unique=True)
    leaf_hash: Mapped[str] = mapped_column(String(64))
    root_hash: Mapped[str] = mapped_column(String(64))


class AuditSignature(Base):
    """The log key's Ed25519 signature of the tree head of ``tree_size`` (the checkpoint
    body: origin, size, root), base64."""

    __tablename__ = "audit_signatures"

    tree_size: Mapped[int] = mapped_column(ID, primary_key=True, autoincrement=False)
    signature: Mapped[str] = mapped_column(String(100))


class AuditCheckpoint(Base):
    """A signed checkpoint as published (``audit checkpoint``), for the auditors' and the
    public pages; outsiders keep their own copies."""

    __tablename__ = "audit_checkpoints"

    id: Mapped[int] = mapped_column(primary_key=True)
    tree_size: Mapped[int] = mapped_column(ID)
    note: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=now_utc)


IMMUTABLE_MESSAGE = "revisionssporet er uforanderligt: UPDATE, DELETE og TRUNCATE er ikke tilladt"
IMMUTABLE_TABLES = ("audit_events", "audit_leaves", "audit_signatures", "audit_checkpoints")


def sqlite_triggers(table: str) -> list[str]:
    return [
        f"""CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table}
BEGIN SELECT RAISE(ABORT, '{IMMUTABLE_MESSAGE}'); END"""
        for verb in ("UPDATE", "DELETE")
    ]


POSTGRES_FUNCTION = f"""CREATE OR REPLACE FUNCTION audit_immutable() RETURNS trigger AS $$
BEGIN RAISE EXCEPTION '{IMMUTABLE_MESSAGE}'; END; $$ LANGUAGE plpgsql"""


def postgres_triggers(table: str) -> list[str]:
    return [
        POSTGRES_FUNCTION,
        f"""CREATE TRIGGER {table}_immutable BEFORE UPDATE OR DELETE ON {table}
FOR EACH ROW EXECUTE FUNCTION audit_immutable()""",
        f"""CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
FOR EACH STATEMENT EXECUTE FUNCTION audit_immutable()""",
    ]


for _model in (AuditEvent, AuditLeaf, AuditSignature, AuditCheckpoint):
    _table = _model.__table__
    for _statement in sqlite_triggers(_table.name):
        event.listen(_table, "after_create", DDL(_statement).execute_if(dialect="sqlite"))
    for _statement in postgres_triggers(_table.name):
        event.listen(_table, "after_create", DDL(_statement).execute_if(dialect="postgresql"))
