"""The audit log of one case (a policy and everything under it), for auditors, with the
result of verifying the whole transparency log (``hoering.audit.log.verify``)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import and_, or_, select

from hoering.audit.log import verify
from hoering.audit.models import AuditEvent
from hoering.cases.models import CaseDecision
from hoering.consultations.models import (
    ChangeLink,
    Consultation,
    Consultee,
    Remark,
    Reply,
    Response,
)
from hoering.core.db import db
from hoering.memos.models import FollowUpTask, MemoIssue
from hoering.policies.models import Policy, PolicyVersion, Section
from hoering.trace.exports import to_csv, to_json

FIELDS = ("id", "occurred_at", "actor_label", "action", "object_type", "object_id", "changes",
          "request_id", "ip", "log_ok", "log_result")


def _ids(query) -> list[int]:
    return list(db.session.scalars(query))


def case_object_ids(policy: Policy) -> dict[str, list[int]]:
    """The ids of every object that belongs to the case, by audit object type."""
    versions = select(PolicyVersion.id).where(PolicyVersion.policy_id == policy.id)
    consultations = select(Consultation.id).where(Consultation.version_id.in_(versions))
    remarks = select(Remark.id).where(Remark.consultation_id.in_(consultations))
    return {
        "policy": [policy.id],
        "policy_version": _ids(versions),
        "section": _ids(select(Section.id).where(Section.version_id.in_(versions))),
        "consultation": _ids(consultations),
        "consultee": _ids(select(Consultee.id)
                          .where(Consultee.consultation_id.in_(consultations))),
        "response": _ids(select(Response.id)
                         .where(Response.consultation_id.in_(consultations))),
        "remark": _ids(remarks),
        "reply": _ids(select(Reply.id).where(Reply.remark_id.in_(remarks))),
        "change_link": _ids(select(ChangeLink.id).where(ChangeLink.remark_id.in_(remarks))),
        "memo_issue": _ids(select(MemoIssue.id)
                           .where(MemoIssue.consultation_id.in_(consultations))),
        "case_decision": _ids(select(CaseDecision.id)
                              .where(CaseDecision.policy_id == policy.id)),
        "follow_up_task": _ids(select(FollowUpTask.id)
                               .where(FollowUpTask.policy_id == policy.id)),
    }


def case_events(policy: Policy) -> list[AuditEvent]:
    conditions = [
        and_(AuditEvent.object_type == kind, AuditEvent.object_id.in_(ids))
        for kind, ids in case_object_ids(policy).items() if ids
    ]
    return list(db.session.scalars(
        select(AuditEvent).where(or_(*conditions)).order_by(AuditEvent.id)
    ))


def case_log(policy: Policy) -> dict[str, Any]:
    result = verify()
    events = [
        {
            "id": e.id, "occurred_at": e.occurred_at.isoformat(), "actor_label": e.actor_label,
            "action": e.action, "object_type": e.object_type, "object_id": e.object_id,
            "changes": e.changes, "request_id": e.request_id, "ip": e.ip,
        }
        for e in case_events(policy)
    ]
    return {
        "policy": {"id": policy.id, "title": policy.title,
                   "journal_number": policy.journal_number},
        "log": {"ok": result.ok, "sealed": result.sealed, "unsealed": result.unsealed,
                "event_id": result.event_id, "result": result.message},
        "events": events,
    }


def case_log_json(policy: Policy) -> str:
    return to_json(case_log(policy))


def case_log_csv(policy: Policy) -> str:
    """One row per event; every row also carries the log's verification result."""
    log = case_log(policy)
    rows = [
        {**event, "changes": json.dumps(event["changes"], ensure_ascii=False, sort_keys=True),
         "log_ok": log["log"]["ok"], "log_result": log["log"]["result"]}
        for event in log["events"]
    ]
    return to_csv(rows, FIELDS)
