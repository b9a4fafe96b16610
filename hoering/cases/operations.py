"""Moving a policy along its case track: the only place that records a decision, and so the
only place a policy's stage (where its latest decision left it) changes."""

from __future__ import annotations

from datetime import date

from hoering.accounts.models import Body, User
from hoering.audit.record import add_and_record, record_change
from hoering.audit.tags import AuditTag
from hoering.cases.models import CaseDecision
from hoering.cases.queries import stage_of
from hoering.cases.stages import transition_for
from hoering.core.errors import DomainError
from hoering.core.permissions import Permission, check
from hoering.policies.models import Policy

DECISION_FIELDS = ("policy_id", "action", "from_stage", "to_stage", "body_id", "meeting_date",
                   "agenda_item", "decision_text", "recommendation", "minutes_reference")


def decide(
    policy: Policy,
    action: str,
    *,
    body: Body | None,
    meeting_date: date | None,
    agenda_item: int | None,
    decision_text: str,
    recommendation: str = "",
    minutes_reference: str = "",
    actor: User | None,
) -> CaseDecision:
    """Record a decision and move the policy as the transition table says."""
    check(actor, Permission.MANAGE_CONSULTATIONS)
    before = stage_of(policy)
    transition = transition_for(action, before)
    if transition.needs_meeting and (body is None or meeting_date is None):
        raise DomainError("Angiv det besluttende organ og mødedatoen.")
    if not decision_text.strip():
        raise DomainError("Skriv beslutningen.")
    after = transition.target or before
    decision = CaseDecision(
        policy_id=policy.id, action=action, from_stage=before, to_stage=after,
        body_id=body.id if body else None, meeting_date=meeting_date, agenda_item=agenda_item,
        decision_text=decision_text.strip(), recommendation=recommendation.strip(),
        minutes_reference=minutes_reference.strip(),
        created_by_id=actor.id if actor else None,
    )
    add_and_record(decision, AuditTag.DECISION_CREATE, DECISION_FIELDS, actor=actor)
    if after != before:
        record_change(AuditTag.POLICY_STAGE, policy, actor=actor,
                      changes={"stage": {"before": before.value, "after": after.value}})
    return decision
