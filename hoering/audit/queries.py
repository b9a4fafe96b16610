"""Reading the audit trail."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, inspect, or_, select
from sqlalchemy.orm import selectinload

from hoering.audit.models import AuditEvent
from hoering.core.db import db

NO_USER = "ingen"  # an actor filter for the events without a user


def events_query(*, object_type: str | None = None, object_id: int | None = None,
                 action: str | None = None, actor: int | str | None = None,
                 since: datetime | None = None, until: datetime | None = None,
                 ) -> Select[AuditEvent]:
    """Newest first. ``actor``: a user id, or ``NO_USER`` for events without one;
    ``since`` inclusive, ``until`` exclusive."""
    query = select(AuditEvent).options(selectinload(AuditEvent.actor))
    if object_type:
        query = query.where(AuditEvent.object_type == object_type)
    if object_id is not None:
        query = query.where(AuditEvent.object_id == object_id)
    if action:
        query = query.where(AuditEvent.action == action)
    if actor == NO_USER:
        query = query.where(AuditEvent.actor_id.is_(None))
    elif isinstance(actor, int):
        query = query.where(AuditEvent.actor_id == actor)
    if since is not None:
        query = query.where(AuditEvent.occurred_at >= since)
    if until is not None:
        query = query.where(AuditEvent.occurred_at < until)
    return query.order_by(AuditEvent.id.desc())


def recent_events(limit: int) -> list[AuditEvent]:
    return list(db.session.scalars(events_query().limit(limit)))


def known_actions() -> list[str]:
    query = select(AuditEvent.action).distinct().order_by(AuditEvent.action)
    return list(db.session.scalars(query))


def known_object_types() -> list[str]:
    query = select(AuditEvent.object_type).distinct().order_by(AuditEvent.object_type)
    return list(db.session.scalars(query))


def known_actors() -> list[tuple[int, str, str]]:
    """The users who appear in the log as actors: (id, name, e-mail), by name."""
    # the actor's class through the relationship: audit sits below accounts
    user: Any = inspect(AuditEvent).relationships["actor"].mapper.class_
    actor_ids = select(AuditEvent.actor_id).where(AuditEvent.actor_id.is_not(None)).distinct()
    rows = db.session.execute(select(user.id, user.name, user.email)
                              .where(user.id.in_(actor_ids)).order_by(user.name, user.id))
    return [(i, name, email) for i, name, email in rows]


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
