"""Reading the case track: a policy's timeline and the staff overview."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from hoering.cases.models import CaseDecision, Stage
from hoering.cases.stages import NEXT_STEP, STAGE_LABELS, TRANSITIONS
from hoering.consultations.minutes.items import EarlierDecision
from hoering.consultations.models import Consultation, Consultee, ConsulteeStatus, Remark, Reply
from hoering.core.clock import LOCAL_TZ
from hoering.core.db import db
from hoering.memos.models import MemoIssue
from hoering.policies.models import Policy, PolicyVersion


def decisions_of(policy: Policy) -> list[CaseDecision]:
    return list(db.session.scalars(
        select(CaseDecision).where(CaseDecision.policy_id == policy.id)
        .options(selectinload(CaseDecision.body))
        .order_by(CaseDecision.meeting_date.is_(None), CaseDecision.meeting_date,
                  CaseDecision.id)
    ))


@dataclass(frozen=True)
class TimelineEntry:
    day: date
    kind: str  # decision, version, consultation, deadline, memo
    title: str
    detail: str = ""
    url_endpoint: str | None = None
    url_args: tuple[tuple[str, int], ...] = ()


def earlier_decisions(policy: Policy) -> list[EarlierDecision]:
    """The case's decisions taken at a meeting, as a referat's "Tidligere behandling"
    cites them (registered for minutes import by the cases blueprint)."""
    return [
        EarlierDecision(decision.body.name, decision.meeting_date, decision.agenda_item)
        for decision in decisions_of(policy)
        if decision.body is not None and decision.meeting_date is not None
    ]


def _day(moment: datetime) -> date:
    return moment.astimezone(LOCAL_TZ).date()


def timeline(policy: Policy) -> list[TimelineEntry]:
    """Every decision, version, consultation round and memo issue, in date order."""
    entries: list[TimelineEntry] = []
    for decision in decisions_of(policy):
        label = TRANSITIONS[decision.action].label if decision.action in TRANSITIONS else ""
        title = decision.citation or label
        detail = decision.decision_text
        if decision.citation and decision.to_stage != decision.from_stage:
            detail = f"{label}. {detail}"
        entries.append(TimelineEntry(decision.meeting_date or _day(decision.created_at),
                                     "decision", title, detail))
    versions = list(db.session.scalars(
        select(PolicyVersion).where(PolicyVersion.policy_id == policy.id)
        .order_by(PolicyVersion.number)
    ))
    for version in versions:
        entries.append(TimelineEntry(
            _day(version.created_at), "version", f"{version.label} oprettet", version.note,
            "policies.version", (("version_id", version.id),)))
    consultations = list(db.session.scalars(
        select(Consultation).join(Consultation.version)
        .where(PolicyVersion.policy_id == policy.id).order_by(Consultation.id)
    ))
    for consultation in consultations:
        if consultation.opened_at:
            entries.append(TimelineEntry(
                _day(consultation.opened_at), "consultation", f"{consultation.title} åbnet",
                f"Høring af {consultation.version.label}", "consultations.show",
                (("consultation_id", consultation.id),)))
            entries.append(TimelineEntry(
                _day(consultation.closes_at), "deadline", "Høringsfrist",
                consultation.title, "consultations.show",
                (("consultation_id", consultation.id),)))
    issues = list(db.session.scalars(
        select(MemoIssue).where(MemoIssue.consultation_id.in_([c.id for c in consultations]))
        .order_by(MemoIssue.issued_at)
    ))
    for issue in issues:
        entries.append(TimelineEntry(
            _day(issue.issued_at), "memo", f"Høringsnotat version {issue.number} udstedt",
            "", "memos.memo", (("consultation_id", issue.consultation_id),)))
    order = {"decision": 0, "version": 1, "consultation": 2, "memo": 3, "deadline": 4}
    return sorted(entries, key=lambda e: (e.day, order[e.kind]))


@dataclass(frozen=True)
class OverviewRow:
    policy: Policy
    stage_label: str
    next_step: str
    open_consultations: list[Consultation]
    overdue: int
    awaiting_approval: int


def overview(moment: datetime) -> list[OverviewRow]:
    """Every policy with its stage and next step, open consultations, overdue consultees
    and replies awaiting approval: a fixed number of queries."""
    policies = list(db.session.scalars(
        select(Policy).options(selectinload(Policy.owner_body)).order_by(Policy.title)
    ))
    open_consultations = list(db.session.scalars(
        select(Consultation).options(selectinload(Consultation.version))
        .where(Consultation.opened_at.is_not(None)).order_by(Consultation.closes_at)
    ))
    overdue = dict(db.session.execute(
        select(PolicyVersion.policy_id, func.count(Consultee.id))
        .join(Consultation, Consultation.id == Consultee.consultation_id)
        .join(PolicyVersion, PolicyVersion.id == Consultation.version_id)
        .where(Consultee.status == ConsulteeStatus.INVITED, Consultation.closes_at <= moment,
               Consultation.opened_at.is_not(None))
        .group_by(PolicyVersion.policy_id)
    ).all())
    awaiting = dict(db.session.execute(
        select(PolicyVersion.policy_id, func.count(Reply.id))
        .join(Remark, Remark.id == Reply.remark_id)
        .join(Consultation, Consultation.id == Remark.consultation_id)
        .join(PolicyVersion, PolicyVersion.id == Consultation.version_id)
        .where(Reply.approved_at.is_(None))
        .group_by(PolicyVersion.policy_id)
    ).all())
    stages = stages_of([policy.id for policy in policies])
    rows = []
    for policy in policies:
        consultations = [c for c in open_consultations if c.version.policy_id == policy.id
                         and c.is_open_at(moment)]
        rows.append(OverviewRow(
            policy, STAGE_LABELS[stages[policy.id]], NEXT_STEP[stages[policy.id]], consultations,
            overdue.get(policy.id, 0), awaiting.get(policy.id, 0)))
    return rows



def stage_of(policy: Policy) -> Stage:
    """Where the policy is on its case track: where its latest decision left it."""
    return db.session.scalar(
        select(CaseDecision.to_stage).where(CaseDecision.policy_id == policy.id)
        .order_by(CaseDecision.id.desc()).limit(1)
    ) or Stage.DRAFTING


def stages_of(policy_ids: list[int]) -> dict[int, Stage]:
    """``stage_of`` for many policies in one query (a policy without decisions drafts)."""
    latest = (select(func.max(CaseDecision.id)).where(CaseDecision.policy_id.in_(policy_ids))
              .group_by(CaseDecision.policy_id))
    stages = dict(db.session.execute(
        select(CaseDecision.policy_id, CaseDecision.to_stage).where(CaseDecision.id.in_(latest))
    ).all())
    return {policy_id: stages.get(policy_id, Stage.DRAFTING) for policy_id in policy_ids}
