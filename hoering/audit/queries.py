"""Reading the audit trail."""

from __future__ import annotations

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import selectinload

from hoering.audit.models import AuditEvent
from hoering.core.db import db


def events_query(*, object_type: str | None = None, object_id: int | None = None,
                 action: str | None = None) -> Select[AuditEvent]:
    query = select(AuditEvent).options(selectinload(AuditEvent.actor))
    if object_type:
        query = query.where(AuditEvent.object_type == object_type)
    if object_id is not None:
        query = query.where(AuditEvent.object_id == object_id)
    if action:
        query = query.where(AuditEvent.action == action)
    return query.order_by(AuditEvent.id.desc())


def recent_events(limit: int) -> list[AuditEvent]:
    return list(db.session.scalars(events_query().limit(limit)))


def known_actions() -> list[str]:
    query = select(AuditEvent.action).distinct().order_by(AuditEvent.action)
    return list(db.session.scalars(query))


def events_for_objects(objects: list[tuple[str, int]]) -> list[AuditEvent]:
    """The history of a few objects, oldest first, in one query."""
    if not objects:
        return []
    condition = or_(*(
        and_(AuditEvent.object_type == kind, AuditEvent.object_id == object_id)
        for kind, object_id in objects
    ))
    query = select(AuditEvent).options(selectinload(AuditEvent.actor))
    return list(db.session.scalars(query.where(condition).order_by(AuditEvent.id)))
