"""Verifying the audit trail's hash chain."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from hoering.audit.models import GENESIS_HASH, AuditChainHead, AuditEvent
from hoering.core.db import db

BATCH = 2000


@dataclass(frozen=True)
class ChainResult:
    ok: bool
    checked: int
    broken_event_id: int | None = None
    problem: str = ""

    @property
    def message(self) -> str:
        if self.ok:
            return f"Kæden er intakt: {self.checked} hændelser er kontrolleret."
        return f"Kæden er brudt ved hændelse #{self.broken_event_id}: {self.problem}"


def verify_chain() -> ChainResult:
    """Recompute every hash in id order and name the first event that does not fit."""
    expected_prev, checked, last_id = GENESIS_HASH, 0, 0
    while True:
        batch = list(db.session.scalars(
            select(AuditEvent).where(AuditEvent.id > last_id)
            .order_by(AuditEvent.id).limit(BATCH)
        ))
        if not batch:
            break
        for event in batch:
            if event.prev_hash != expected_prev:
                return ChainResult(False, checked, event.id,
                                   "den forrige hændelse er ændret eller fjernet")
            if event.compute_hash() != event.hash:
                return ChainResult(False, checked, event.id, "hændelsens indhold er ændret")
            expected_prev, last_id = event.hash, event.id
            checked += 1
    head = db.session.execute(
        select(AuditChainHead.last_event_id, AuditChainHead.last_hash)
        .where(AuditChainHead.id == 1)
    ).first()
    if head is not None and (head.last_event_id, head.last_hash) != (last_id, expected_prev):
        return ChainResult(False, checked, head.last_event_id,
                           "de nyeste hændelser mangler i tabellen")
    return ChainResult(True, checked)
