"""Recording the political decisions of a policy's case: the only facts staff record on
the case track (the rest the consultations and memos say by themselves). A decision can
be withdrawn or corrected with a reason; the original stays in the history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from hoering.accounts.models import Body, User
from hoering.audit.record import add_and_record, record_change, update_and_record
from hoering.audit.tags import AuditTag
from hoering.cases.models import CaseDecision, Stage
from hoering.cases.queries import track_of
from hoering.cases.stages import CaseEvent, decision_for
from hoering.core.clock import LOCAL_TZ
from hoering.core.db import db, now_utc
from hoering.core.errors import DomainError
from hoering.core.formatting import date_in_locale
from hoering.core.permissions import Permission, check
from hoering.policies.models import Policy, PolicyVersion

DECISION_FIELDS = ("policy_id", "action", "body_id", "meeting_date", "agenda_item",
                   "decision_text", "recommendation", "minutes_reference", "version_id",
                   "corrects_id")
WITHDRAWAL_FIELDS = ("withdrawn_at", "withdrawn_by_id", "withdrawal_reason")


@dataclass(frozen=True)
class DecisionInput:
    """What staff enter for a decision (the case page's form, the demo, a correction)."""

    action: str
    body: Body | None
    meeting_date: date | None
    agenda_item: int | None
    decision_text: str
    recommendation: str = ""
    minutes_reference: str = ""
    version: PolicyVersion | None = None  # the adopted version (adopt only)


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
    version: PolicyVersion | None = None,
    actor: User | None,
) -> CaseDecision:
    """Record a political decision, where the case's facts allow it."""
    return record_decision(policy, DecisionInput(
        action, body, meeting_date, agenda_item, decision_text, recommendation,
        minutes_reference, version), actor=actor)


def record_decision(policy: Policy, entered: DecisionInput, *, actor: User | None,
                    corrects: CaseDecision | None = None) -> CaseDecision:
    check(actor, Permission.MANAGE_CONSULTATIONS)
    _check_entry(policy, entered)
    before = track_of(policy).stage
    day = entered.meeting_date or now_utc().astimezone(LOCAL_TZ).date()
    track = track_of(policy, extra=(event := CaseEvent(day, entered.action, order=1 << 62)))
    refusal = track.refusal_of(event)
    if refusal is not None:
        raise refusal
    version = entered.version
    if entered.action == "adopt" and version is None:
        version = policy.latest_version
    decision = CaseDecision(
        policy_id=policy.id, action=entered.action,
        body_id=entered.body.id if entered.body else None, meeting_date=entered.meeting_date,
        agenda_item=entered.agenda_item, decision_text=entered.decision_text.strip(),
        recommendation=entered.recommendation.strip(),
        minutes_reference=entered.minutes_reference.strip(),
        version_id=version.id if version and entered.action == "adopt" else None,
        corrects_id=corrects.id if corrects else None,
        created_by_id=actor.id if actor else None,
    )
    add_and_record(decision, AuditTag.DECISION_CREATE, DECISION_FIELDS, actor=actor)
    _record_stage_change(policy, before, actor=actor)
    return decision


def _check_entry(policy: Policy, entered: DecisionInput) -> None:
    transition = decision_for(entered.action)
    if entered.body is None or entered.meeting_date is None:
        raise DomainError(_("Angiv det besluttende organ og mødedatoen."))
    if entered.meeting_date > now_utc().astimezone(LOCAL_TZ).date():
        raise DomainError(_("Mødedatoen ligger i fremtiden; registrér beslutningen efter mødet."))
    if not entered.decision_text.strip():
        raise DomainError(_("Skriv beslutningen."))
    if entered.version is not None and entered.version.policy_id != policy.id:
        raise DomainError(_("Den vedtagne version hører ikke til denne politik."))
    duplicate = db.session.scalar(select(CaseDecision.id).where(
        CaseDecision.policy_id == policy.id, CaseDecision.action == entered.action,
        CaseDecision.body_id == entered.body.id,
        CaseDecision.meeting_date == entered.meeting_date,
        CaseDecision.agenda_item.is_(None) if entered.agenda_item is None
        else CaseDecision.agenda_item == entered.agenda_item,
        CaseDecision.withdrawn_at.is_(None)))
    if duplicate is not None:
        raise DomainError(_(
            "Beslutningen »%(decision)s« fra %(body)s den %(date)s er allerede registreret. "
            "Ret den registrerede beslutning i stedet, hvis den er forkert.",
            decision=transition.label, body=entered.body.name,
            date=date_in_locale(entered.meeting_date)))


def withdraw_decision(decision: CaseDecision, *, reason: str,
                      actor: User | None) -> CaseDecision:
    """Withdraw a decision: it stays in the history with the reason, and the stage is
    derived again without it. Refused when a later decision rests on it."""
    check(actor, Permission.MANAGE_CONSULTATIONS)
    policy = db.session.get_one(Policy, decision.policy_id)
    if decision.is_withdrawn:
        raise DomainError(_("Beslutningen er allerede trukket tilbage."))
    if not reason.strip():
        raise DomainError(_("Skriv hvorfor beslutningen trækkes tilbage."))
    before = track_of(policy)
    after = track_of(policy, without=decision.id)
    if len(after.refused) > len(before.refused):
        raise DomainError(_(
            "Beslutningen kan ikke trækkes tilbage, fordi en senere beslutning bygger på "
            "den: %(refusal)s Træk først den senere beslutning tilbage.",
            refusal=after.refused[-1][1].message))
    update_and_record(decision, AuditTag.DECISION_WITHDRAW, WITHDRAWAL_FIELDS, {
        "withdrawn_at": now_utc(), "withdrawn_by_id": actor.id if actor else None,
        "withdrawal_reason": reason.strip()}, actor=actor)
    _record_stage_change(policy, before.stage, actor=actor)
    return decision


def correct_decision(decision: CaseDecision, corrected: DecisionInput, *, reason: str,
                     actor: User | None) -> CaseDecision:
    """Withdraw ``decision`` with ``reason`` and record ``corrected`` in its place."""
    withdraw_decision(decision, reason=reason, actor=actor)
    policy = db.session.get_one(Policy, decision.policy_id)
    return record_decision(policy, corrected, actor=actor, corrects=decision)


def _record_stage_change(policy: Policy, before: Stage, *, actor: User | None) -> None:
    after = track_of(policy).stage
    if after != before:
        record_change(AuditTag.POLICY_STAGE, policy, actor=actor,
                      changes={"stage": {"before": before.value, "after": after.value}})
