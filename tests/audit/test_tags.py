"""Audit tags as one enum: every tag described, the record functions refusing a string that
is no tag, and the remark trace reading (or ignoring on purpose) every tag that can reach
it, and failing loudly on any other."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from hoering.audit import record
from hoering.audit.models import AuditEvent
from hoering.audit.record import record_event
from hoering.audit.tags import DESCRIPTIONS, AuditTag
from hoering.consultations.models import Remark
from hoering.core.db import db
from hoering.demo.loader import load_demo
from hoering.trace.remarks import (
    STEP_READERS,
    TRACE_IGNORES,
    TRACED_TAGS,
    UnknownTraceTag,
    remark_trace,
)
from tests.consultations.factories import consultation_with_remarks


def test_every_tag_is_subject_verb_unique_and_described():
    assert len(AuditTag.__members__) == len(AuditTag)  # no two members share a value
    for tag in AuditTag:
        assert re.fullmatch(r"[a-z_]+:[a-z_]+", tag.value), tag
        assert tag.name == tag.value.upper().replace(":", "_"), tag
        assert str(tag) == tag.value
        assert tag.description.strip(), tag
    assert set(DESCRIPTIONS) == set(AuditTag)
    assert AuditTag.REMARK_MOVE.description == "Bemærkning flyttet til andet afsnit"
    assert AuditTag.REMARK_MOVE.subject == "remark"


def _tags_reaching_the_trace() -> set[AuditTag]:
    """Every tag an object type of a remark's history can carry: the listed ones, or every
    tag about that kind of object (``remark:*`` for remarks)."""
    reaching: set[AuditTag] = set()
    for kind, tags in TRACED_TAGS.items():
        reaching |= {t for t in AuditTag if t.subject == kind} if tags is None else tags
    return reaching


def test_every_tag_reaching_the_trace_is_read_or_ignored_on_purpose():
    reaching = _tags_reaching_the_trace()

    assert not set(STEP_READERS) & TRACE_IGNORES
    assert reaching - set(STEP_READERS) - TRACE_IGNORES == set()
    # and neither table holds a tag that never reaches the trace
    assert set(STEP_READERS) | TRACE_IGNORES <= reaching
    assert AuditTag.PUBLIC_RESPONSE_SUBMIT in reaching  # a citizen's submission


def test_the_demo_events_of_traced_objects_are_about_those_objects(app):
    """Grounds the ``subject`` reading above: the events on a remark, reply or change link
    are tagged ``remark:*``, ``reply:*``, ``change_link:*``; and the trace reads every
    demo remark."""
    load_demo()
    db.session.commit()
    fully_traced = [kind for kind, tags in TRACED_TAGS.items() if tags is None]
    pairs = db.session.execute(
        select(AuditEvent.action, AuditEvent.object_type).distinct()
        .where(AuditEvent.object_type.in_(fully_traced))
    ).all()

    assert {object_type for _, object_type in pairs} == set(fully_traced)
    assert all(AuditTag(action).subject == object_type for action, object_type in pairs)
    for remark in db.session.scalars(select(Remark)):
        assert remark_trace(remark)


def test_record_event_stores_the_value_and_refuses_a_string_that_is_no_tag(app):
    event = db.session.get(AuditEvent, record_event(
        AuditTag.AUTH_LOGIN, actor=None, object_type="user", object_id=None))
    assert event is not None and type(event.action) is str and event.action == "auth:login"
    count = db.session.scalar(select(func.count()).select_from(AuditEvent))

    with pytest.raises(ValueError, match="auth:logn"):
        record_event("auth:logn", actor=None, object_type="user", object_id=None)

    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == count


class _AnyTag(str):
    @property
    def value(self) -> str:
        return str(self)


@pytest.mark.parametrize("action", [
    "remark:frobnicate",  # no AuditTag at all (a typo, or a tag since removed)
    AuditTag.REMARK_GROUP_CREATE.value,  # a tag, but none the trace reads or ignores
])
def test_a_tag_the_trace_cannot_read_fails_the_trace_loudly(app, monkeypatch, action):
    consultation_with_remarks(1, n_bodies=1)
    remark = db.session.scalar(select(Remark))
    # The row as another version of the app might have stored it (events are immutable,
    # so it is written so, through the log): record_event takes any string here.
    monkeypatch.setattr(record, "AuditTag", _AnyTag)
    event_id = record_event(action, actor=None, object_type="remark", object_id=remark.id)
    monkeypatch.undo()
    db.session.commit()
    db.session.expire_all()

    with pytest.raises(UnknownTraceTag, match=f"#{event_id}.*{action}"):
        remark_trace(remark)
