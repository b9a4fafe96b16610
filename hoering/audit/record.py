"""Writing audit events. Operations call these in the same transaction as their change."""

from __future__ import annotations

import enum
import json
import re
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from flask import g, has_request_context
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from hoering.audit.models import GENESIS_HASH, AuditChainHead, AuditEvent
from hoering.audit.tags import AuditTag
from hoering.core.db import db, now_utc

if TYPE_CHECKING:  # the actor is a user; audit sits below accounts
    from hoering.accounts.models import User


def _jsonable(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def snapshot(obj: object, fields: tuple[str, ...]) -> dict[str, Any]:
    """The current values of ``fields`` on ``obj`` as JSON-ready data."""
    return {name: _jsonable(getattr(obj, name)) for name in fields}


def changes_between(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """Only the fields that differ, as ``{field: {"before": x, "after": y}}``."""
    return {
        key: {"before": before.get(key), "after": after.get(key)}
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def created(obj: object, fields: tuple[str, ...]) -> dict[str, Any]:
    return changes_between({}, snapshot(obj, fields))


def deleted(obj: object, fields: tuple[str, ...]) -> dict[str, Any]:
    return changes_between(snapshot(obj, fields), {})


def record_event(
    action: AuditTag,
    *,
    actor: User | None,
    object_type: str,
    object_id: int | None,
    changes: dict[str, Any] | None = None,
    record_ip: bool = True,
) -> AuditEvent:
    """Add an audit event to the current transaction (written, never committed here).

    ``action`` is an ``AuditTag`` (its value, e.g. ``policy:create``, is stored; a string
    that is no tag's value is refused with ``ValueError``). Request id and client
    IP come from the request being served, if any (the CLI has none). ``record_ip=False``
    for citizens' actions: the chain cannot be purged, so it holds no personal data.
    """
    tag = AuditTag(action)  # before anything is written
    request_id = ip = None
    if has_request_context():
        request_id = g.get("request_id")
        ip = g.get("client_ip") if record_ip else None
    db.session.flush()  # the change being recorded is in the database before its event
    last_event_id, last_hash = chain_head_for_update()
    event = AuditEvent(
        id=last_event_id + 1,
        occurred_at=now_utc(),
        actor_id=actor.id if actor is not None else None,
        actor_label=actor.email if actor is not None else "system",
        action=tag.value,
        object_type=object_type,
        object_id=object_id,
        changes=_jsonable_tree(changes or {}),
        request_id=request_id,
        ip=ip,
        prev_hash=last_hash,
    )
    event.hash = event.compute_hash()
    # Plain INSERT and UPDATE (not the ORM's unit of work): every change in the app
    # passes through here, the chain head's lock is held until commit.
    db.session.execute(insert(AuditEvent.__table__), {
        column.key: getattr(event, column.key) for column in AuditEvent.__table__.columns
    })
    db.session.execute(
        update(AuditChainHead.__table__).where(AuditChainHead.__table__.c.id == 1)
        .values(last_event_id=event.id, last_hash=event.hash)
    )
    return event


def chain_head_for_update() -> tuple[int, str]:
    """The id and hash of the newest event, with the chain's head row locked until the
    transaction ends (the row is created on first use in an empty database; the
    migration creates it too)."""
    locked = select(AuditChainHead.last_event_id, AuditChainHead.last_hash).where(
        AuditChainHead.id == 1).with_for_update()
    head = db.session.execute(locked).first()
    if head is None:  # an empty database: two first writers may race to create it
        try:
            with db.session.begin_nested():
                db.session.execute(insert(AuditChainHead.__table__),
                                   {"id": 1, "last_event_id": 0, "last_hash": GENESIS_HASH})
        except IntegrityError:
            pass
        head = db.session.execute(locked).one()
    return head.last_event_id, head.last_hash


def _jsonable_tree(value: Any) -> Any:
    """What the JSON column will give back, so the hash is computed over the same data."""
    return json.loads(json.dumps(value, default=_jsonable))


def object_type_of(obj: object) -> str:
    """``PolicyVersion`` → ``policy_version``: the object_type used in audit events."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", type(obj).__name__).lower()


def record_change(
    action: AuditTag, obj: Any, *, actor: User | None, changes: dict[str, Any] | None = None,
    record_ip: bool = True,
) -> AuditEvent:
    """``record_event`` for a flushed model instance."""
    return record_event(
        action, actor=actor, object_type=object_type_of(obj), object_id=obj.id,
        changes=changes, record_ip=record_ip,
    )


def add_and_record(
    obj: Any, action: AuditTag, fields: tuple[str, ...], *, actor: User | None
) -> None:
    """Add a new object, flush it (to get its id) and record its creation."""
    db.session.add(obj)
    db.session.flush()
    record_change(action, obj, actor=actor, changes=created(obj, fields))


def update_and_record(
    obj: Any,
    action: AuditTag,
    fields: tuple[str, ...],
    values: dict[str, Any],
    *,
    actor: User | None,
) -> dict[str, Any]:
    """Set ``values`` on ``obj``, flush, and record the fields that really changed (nothing
    is recorded when nothing changed). Returns those changes."""
    before = snapshot(obj, fields)
    for name, value in values.items():
        setattr(obj, name, value)
    db.session.flush()
    changes = changes_between(before, snapshot(obj, fields))
    if changes:
        record_change(action, obj, actor=actor, changes=changes)
    return changes
