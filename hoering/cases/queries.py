"""Reading the case track: a policy's timeline and the staff overview."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from hoering.cases.models import CaseDecision, Stage
from hoering.cases.stages import (
    FINAL_STAGES,
    NEXT_STEP,
    STAGE_LABELS,
    TRANSITIONS,
    CaseEvent,
    Track,
    follow,
)
from hoering.consultations.minutes.items import EarlierDecision
from hoering.consultations.models import Consultation, Consultee, ConsulteeStatus, Remark, Reply
from hoering.core.clock import LOCAL_TZ
from hoering.core.db import db, now_utc
from hoering.memos.models import MemoIssue
from hoering.policies.models import Policy, PolicyVersion


def decisions_of(policy: Policy) -> list[CaseDecision]:
    return list(db.session.scalars(
        select(CaseDecision).where(CaseDecision.policy_id == policy.id)
        .options(selectinload(CaseDecision.body), selectinload(CaseDecision.version))
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
        and not decision.is_withdrawn
    ]


def _day(moment: datetime) -> date:
    return moment.astimezone(LOCAL_TZ).date()


def timeline(policy: Policy) -> list[TimelineEntry]:
    """Every decision, version, consultation round and memo issue, in date order."""
    entries: list[TimelineEntry] = []
    for decision in decisions_of(policy):
        transition = TRANSITIONS.get(decision.action)
        label = str(transition.label) if transition else ""
        title = decision.citation or label
        detail = decision.decision_text
        if decision.citation and transition and transition.target:
            detail = f"{label}. {detail}"
        if decision.is_withdrawn:
            detail = _("Trukket tilbage: %(reason)s (%(detail)s)",
                       reason=decision.withdrawal_reason, detail=detail)
        entries.append(TimelineEntry(decision.meeting_date or _day(decision.created_at),
                                     "decision", title, detail))
    versions = list(db.session.scalars(
        select(PolicyVersion).where(PolicyVersion.policy_id == policy.id)
        .order_by(PolicyVersion.number)
    ))
    for version in versions:
        entries.append(TimelineEntry(
            _day(version.created_at), "version", _("%(version)s oprettet",
                                                   version=version.label), version.note,
            "policies.version", (("version_id", version.id),)))
    consultations = list(db.session.scalars(
        select(Consultation).join(Consultation.version)
        .where(PolicyVersion.policy_id == policy.id).order_by(Consultation.id)
    ))
    for consultation in consultations:
        if consultation.opened_at:
            entries.append(TimelineEntry(
                _day(consultation.opened_at), "consultation",
                _("%(title)s åbnet", title=consultation.title),
                _("Høring af %(version)s", version=consultation.version.label),
                "consultations.show",
                (("consultation_id", consultation.id),)))
            entries.append(TimelineEntry(
                _day(consultation.closes_at), "deadline", _("Høringsfrist"),
                consultation.title, "consultations.show",
                (("consultation_id", consultation.id),)))
    issues = list(db.session.scalars(
        select(MemoIssue).where(MemoIssue.consultation_id.in_([c.id for c in consultations]))
        .order_by(MemoIssue.issued_at)
    ))
    for issue in issues:
        entries.append(TimelineEntry(
            _day(issue.issued_at), "memo",
            _("Høringsnotat version %(n)d udstedt", n=issue.number),
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
    stages = stages_of([policy.id for policy in policies], moment)
    rows = []
    for policy in policies:
        consultations = [c for c in open_consultations if c.version.policy_id == policy.id
                         and c.is_open_at(moment)]
        stage = stages[policy.id]
        rows.append(OverviewRow(
            policy, STAGE_LABELS[stage], NEXT_STEP[stage], consultations,
            0 if stage in FINAL_STAGES else overdue.get(policy.id, 0),  # the case has ended
            awaiting.get(policy.id, 0)))
    return rows



def case_events(policy_ids: list[int], moment: datetime,
                without: int | None = None) -> dict[int, list[CaseEvent]]:
    """Each policy's facts and (unwithdrawn) decisions up to ``moment``, for the fold of
    hoering.cases.stages (``without`` one decision, to see the track if it were
    withdrawn): three queries whatever the number of policies."""
    events: dict[int, list[CaseEvent]] = {policy_id: [] for policy_id in policy_ids}
    for policy_id, decision_id, action, meeting_date, created_at in db.session.execute(
        select(CaseDecision.policy_id, CaseDecision.id, CaseDecision.action,
               CaseDecision.meeting_date, CaseDecision.created_at)
        .where(CaseDecision.policy_id.in_(policy_ids), CaseDecision.withdrawn_at.is_(None),
               CaseDecision.id != (without or 0))
    ):
        if action in TRANSITIONS:  # an action of an earlier table is history only
            events[policy_id].append(
                CaseEvent(meeting_date or _day(created_at), action, order=decision_id))
    latest_own = (select(Consultee.consultation_id, func.max(Consultee.deadline).label("at"))
                  .group_by(Consultee.consultation_id).subquery())
    for policy_id, consultation_id, opened_at, closes_at, own in db.session.execute(
        select(PolicyVersion.policy_id, Consultation.id, Consultation.opened_at,
               Consultation.closes_at, latest_own.c.at)
        .join(PolicyVersion, PolicyVersion.id == Consultation.version_id)
        .outerjoin(latest_own, latest_own.c.consultation_id == Consultation.id)
        .where(PolicyVersion.policy_id.in_(policy_ids), Consultation.opened_at.is_not(None))
    ):
        # open until the last deadline, a consultee's own later one included
        closes_at = max(closes_at, own) if own is not None else closes_at
        assert opened_at is not None  # the query's condition
        events[policy_id].append(
            CaseEvent(_day(opened_at), "consultation_opened", consultation_id))
        if closes_at <= moment:
            events[policy_id].append(
                CaseEvent(_day(closes_at), "consultation_closed", consultation_id))
    for policy_id, issued_at in db.session.execute(
        select(PolicyVersion.policy_id, MemoIssue.issued_at)
        .join(Consultation, Consultation.id == MemoIssue.consultation_id)
        .join(PolicyVersion, PolicyVersion.id == Consultation.version_id)
        .where(PolicyVersion.policy_id.in_(policy_ids), MemoIssue.issued_at <= moment)
    ):
        events[policy_id].append(CaseEvent(_day(issued_at), "memo_issued"))
    return events


def track_of(policy: Policy, moment: datetime | None = None, *,
             extra: CaseEvent | None = None, without: int | None = None) -> Track:
    """The policy's track at ``moment`` (now), with ``extra`` (a decision about to be
    recorded) among its events, or ``without`` one of its decisions."""
    events = case_events([policy.id], moment or now_utc(), without)[policy.id]
    return follow(events + ([extra] if extra else []))


def stage_of(policy: Policy, moment: datetime | None = None) -> Stage:
    """Where the policy is on its case track, derived from the facts."""
    return track_of(policy, moment).stage


def stages_of(policy_ids: list[int], moment: datetime | None = None) -> dict[int, Stage]:
    """``stage_of`` for many policies in three queries."""
    events = case_events(policy_ids, moment or now_utc())
    return {policy_id: follow(events[policy_id]).stage for policy_id in policy_ids}


def adopted_version_id(policy: Policy) -> int | None:
    """The version the policy's (unwithdrawn) adoption names."""
    return db.session.scalar(
        select(CaseDecision.version_id).where(
            CaseDecision.policy_id == policy.id, CaseDecision.action == "adopt",
            CaseDecision.withdrawn_at.is_(None))
        .order_by(CaseDecision.id.desc()).limit(1)
    )
