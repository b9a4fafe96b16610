"""Writing audit events. Operations call these in the same transaction as their change."""

from __future__ import annotations

import enum
import json
import re
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from flask import g, has_request_context
from sqlalchemy import delete, insert, select

from hoering.audit.models import AuditEvent, EventIp
from hoering.audit.tags import AuditTag
from hoering.core.db import Row, db, now_utc

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
) -> int:
    """Add an audit event to the current transaction (written, never committed here) and
    return its id. Plain INSERTs: every change in the app passes through here, and no lock
    is shared by the writers (``audit seal`` puts the events in the tree later).

    ``action`` is an ``AuditTag`` (its value, e.g. ``policy:create``, is stored; a string
    that is no tag's value is refused with ``ValueError``). Request id and client IP come
    from the request being served, if any (the CLI has none); the IP goes beside the
    event (``event_ips``), not into its hashed content. ``record_ip=False`` for citizens'
    actions: their address is not kept at all. A request made through a personal link
    (``acting_through_link``) adds who acted and the link's token id to ``changes``.
    """
    table, row = event_row(action, actor=actor, object_type=object_type,
                           object_id=object_id, changes=changes)
    ip = g.get("client_ip") if record_ip and has_request_context() else None
    db.session.flush()  # the change being recorded is in the database before its event
    event_id: int = db.session.execute(
        insert(table).returning(table.c.id), row).scalar_one()
    if ip:
        db.session.execute(insert(EventIp.__table__), {"event_id": event_id, "ip": ip})
    return event_id


def event_row(action: AuditTag, *, actor: User | None, object_type: str,
              object_id: int | None, changes: dict[str, Any] | None = None) -> Row:
    """The row of an audit event that keeps no IP (``record_event`` with
    ``record_ip=False``), to insert with the change it records
    (``hoering.core.db.insert_together``: the change and its event in one statement)."""
    tag = AuditTag(action)  # before anything is written
    request_id = None
    if has_request_context():
        request_id = g.get("request_id")
        changes = {**(changes or {}), **g.get(ACTING_THROUGH_LINK, {})}
    return AuditEvent.__table__, {
        "occurred_at": now_utc(),
        "actor_id": actor.id if actor is not None else None,
        "action": tag.value,
        "object_type": object_type,
        "object_id": object_id,
        "changes": _jsonable_tree(changes or {}),
        "request_id": request_id,
    }


# g's key for who acts in this request without a user: {"acting_as": ..., "access_token": ...}
ACTING_THROUGH_LINK = "audit_acting_through_link"
ACTING_AS = "acting_as"


def acting_through_link(label: str, token_id: int) -> None:
    """For the rest of this request, every event says that ``label`` (e.g. "ekstern
    kontakt for 3F") acted, through the personal link whose token has ``token_id``: no
    user of the app did (the events' actor is empty). Never the token itself."""
    setattr(g, ACTING_THROUGH_LINK, {
        ACTING_AS: {"before": None, "after": label},
        "access_token": {"before": None, "after": token_id},
    })


def _jsonable_tree(value: Any) -> Any:
    """What the JSON column will give back, so the leaf is hashed over the same data."""
    return json.loads(json.dumps(value, default=_jsonable))


def object_type_of(obj: object) -> str:
    """``PolicyVersion`` → ``policy_version``: the object_type used in audit events."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", type(obj).__name__).lower()


def record_change(
    action: AuditTag, obj: Any, *, actor: User | None, changes: dict[str, Any] | None = None,
    record_ip: bool = True,
) -> int:
    """``record_event`` for a flushed model instance."""
    return record_event(
        action, actor=actor, object_type=object_type_of(obj), object_id=obj.id,
        changes=changes, record_ip=record_ip,
    )


MASK = "***"


def masked(changes: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    """``changes`` with the values of ``names`` replaced by ``***``: the event says the
    field changed, the row holds the value (personal data the log must not keep)."""
    return {key: {side: MASK if key in names and value is not None else value
                  for side, value in change.items()} for key, change in changes.items()}


def add_and_record(
    obj: Any, action: AuditTag, fields: tuple[str, ...], *, actor: User | None,
    mask: tuple[str, ...] = (),
) -> None:
    """Add a new object, flush it (to get its id) and record its creation (the values of
    ``mask`` as ``***``)."""
    db.session.add(obj)
    db.session.flush()
    record_change(action, obj, actor=actor, changes=masked(created(obj, fields), mask))


def update_and_record(
    obj: Any,
    action: AuditTag,
    fields: tuple[str, ...],
    values: dict[str, Any],
    *,
    actor: User | None,
    mask: tuple[str, ...] = (),
) -> dict[str, Any]:
    """Set ``values`` on ``obj``, flush, and record the fields that really changed (nothing
    is recorded when nothing changed; the values of ``mask`` as ``***``). Returns those
    changes."""
    before = snapshot(obj, fields)
    for name, value in values.items():
        setattr(obj, name, value)
    db.session.flush()
    changes = changes_between(before, snapshot(obj, fields))
    if changes:
        record_change(action, obj, actor=actor, changes=masked(changes, mask))
    return changes


def purge_ips(before: datetime) -> int:
    """Forget the client addresses of events older than ``before``; the events stay, and
    so does the log's verifiability (the addresses were never in the hashed content).
    Returns how many addresses were deleted. The caller commits."""
    old = select(EventIp.event_id).join(AuditEvent, AuditEvent.id == EventIp.event_id).where(
        AuditEvent.occurred_at < before)
    ids = list(db.session.scalars(old))
    if ids:
        db.session.execute(delete(EventIp).where(EventIp.event_id.in_(ids)))
    return len(ids)
