"""The case track: one transition table, refused transitions, decisions cited the way
minutes do, the timeline and the overview."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from hoering.accounts.models import Role
from hoering.audit.models import AuditEvent
from hoering.cases import operations as cases
from hoering.cases.models import CaseDecision, Stage
from hoering.cases.queries import overview, stage_of, timeline
from hoering.cases.stages import TRANSITIONS, InvalidTransition
from hoering.core.db import db, now_utc
from hoering.core.errors import DomainError, NotAllowed
from hoering.policies import operations as policies
from hoering.policies.models import Policy
from tests.conftest import put_in_stage

ALL = list(Stage)
NOT_FINAL = set(ALL) - {Stage.ADOPTED, Stage.REJECTED}
# decision -> the stages it is allowed from, and where it leads (None: stays)
EXPECTED = {
    "note": (NOT_FINAL, None),
    "register": (NOT_FINAL, None),
    "recommend_for_consultation": ({Stage.DRAFTING}, None),
    "approve_for_consultation": ({Stage.DRAFTING}, Stage.APPROVED_FOR_CONSULTATION),
    "recommend": ({Stage.MEMO_ISSUED, Stage.RECOMMENDED}, Stage.RECOMMENDED),
    "adopt": ({Stage.RECOMMENDED}, Stage.ADOPTED),
    "reject": (NOT_FINAL - {Stage.DRAFTING}, Stage.REJECTED),
    "send_back": (NOT_FINAL - {Stage.DRAFTING}, Stage.DRAFTING),
}
FACTS = {"consultation_opened", "consultation_closed", "memo_issued"}


@pytest.fixture
def policy(app, make_body):
    owner = make_body("DTU", "Digitaliserings- og Teknologiudvalget")
    policy = policies.create_policy(title="Principper", journal_number="85.13.00-P00-1-23",
                                    description="", owner_body=owner, actor=None)
    db.session.commit()
    return policy


def test_the_table_lists_every_action():
    assert set(TRANSITIONS) == set(EXPECTED) | FACTS
    assert {t.action for t in TRANSITIONS.values() if not t.decision} == FACTS


@pytest.mark.parametrize(("action", "stage"), [(a, s) for a in EXPECTED for s in ALL])
def test_transition_table(policy, make_body, action, stage):
    allowed, target = EXPECTED[action]
    body = make_body()
    put_in_stage(policy, stage)
    db.session.commit()
    call = lambda: cases.decide(  # noqa: E731
        policy, action, body=body, meeting_date=date(2024, 3, 12), agenda_item=11,
        decision_text="Besluttet.", actor=None)
    assert stage_of(policy) is stage
    if stage in allowed:
        call()
        assert stage_of(policy) == (target or stage)
    else:
        with pytest.raises(InvalidTransition) as refusal:
            call()
        assert "er ikke muligt, når sagen er i fasen" in refusal.value.message
        db.session.rollback()
        assert stage_of(db.session.get(Policy, policy.id)) == stage


def test_a_decision_is_cited_like_minutes_and_audited(policy, make_body):
    ou = make_body("ØU", "Økonomiudvalget")
    decision = cases.decide(policy, "approve_for_consultation", body=ou,
                            meeting_date=date(2024, 3, 12), agenda_item=11,
                            decision_text="Sendes i høring.", recommendation="DTU indstiller.",
                            actor=None)
    db.session.commit()
    assert decision.citation == "Økonomiudvalget den 12. marts 2024 Punkt 11"
    actions = [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert actions[-2:] == ["decision:create", "policy:stage"]


def test_body_decisions_need_a_body_and_a_date(policy):
    with pytest.raises(DomainError, match="organ og mødedatoen"):
        cases.decide(policy, "approve_for_consultation", body=None, meeting_date=None,
                     agenda_item=None, decision_text="x", actor=None)


def test_only_staff_decide(policy, make_user):
    for role in (Role.MEMBER, Role.AUDITOR):
        with pytest.raises(NotAllowed):
            cases.decide(policy, "register", body=None, meeting_date=None, agenda_item=None,
                         decision_text="x", actor=make_user(role))


def test_the_case_page_refuses_an_invalid_transition_with_a_message(client, login_as, policy):
    login_as(Role.STAFF)
    response = client.post(f"/politikker/{policy.id}/sag",
                           data={"action": "adopt", "decision_text": "Vedtaget", "body_id": 0})
    # adopt is not even offered in drafting: the form refuses the choice
    assert response.status_code == 200
    assert stage_of(db.session.get(Policy, policy.id)) is Stage.DRAFTING
    response = client.post(f"/politikker/{policy.id}/sag", data={
        "action": "approve_for_consultation", "decision_text": "Godkendt",
        "body_id": policy.owner_body_id, "meeting_date": "2099-03-12"})
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Mødedatoen ligger i fremtiden" in page
    assert "Godkendt</textarea>" in page  # what was typed is kept


def test_the_demo_case_reads_like_the_real_story(app, client, login_as):
    from hoering.demo.loader import load_demo

    load_demo()
    db.session.commit()
    policy = db.session.scalars(
        select(Policy).where(Policy.journal_number == "85.13.00-P00-1-23")).one()
    assert stage_of(policy) is Stage.ADOPTED
    decisions = [(e.day.isoformat(), e.title) for e in timeline(policy) if e.kind == "decision"]
    assert decisions[0] == ("2023-01-24", "Økonomiudvalget den 24. januar 2023")
    assert ("2024-03-12", "Økonomiudvalget den 12. marts 2024 Punkt 11") in decisions
    assert decisions[-1] == ("2024-08-26", "Kommunalbestyrelsen den 26. august 2024")
    kinds = [e.kind for e in timeline(policy)]
    assert kinds.index("consultation") < kinds.index("memo") < len(kinds) - 1
    assert db.session.scalar(select(CaseDecision).where(CaseDecision.action == "adopt"))

    login_as(Role.AUDITOR)
    page = client.get(f"/politikker/{policy.id}/tidslinje").get_data(as_text=True)
    assert "Kommunalbestyrelsen den 26. august 2024" in page
    assert "Høringsnotat version 1 udstedt" in page
    rows = {r.policy.title: r for r in overview(now_utc())}
    assert rows[policy.title].stage_label == "Vedtaget"
    culture = next(r for r in rows.values() if r.policy.id != policy.id)
    assert culture.stage_label == "I høring" and len(culture.open_consultations) == 1
    assert client.get("/sager").status_code == 200

    # an auditor follows a remark from submission to the text change and the adoption
    from hoering.consultations.models import ChangeLink

    link = db.session.scalars(select(ChangeLink).order_by(ChangeLink.id)).first()
    trace = client.get(f"/hoeringer/bemaerkninger/{link.remark_id}/spor").get_data(as_text=True)
    assert "Politikken vedtaget: Kommunalbestyrelsen den 26. august 2024" in trace
    assert link.section.heading in trace
    assert trace.index("Indsendt") < trace.index("Politikken vedtaget")


def test_the_case_audit_log_exports_with_the_log_verification(app, client, login_as):
    import csv
    import io
    import json

    from hoering.demo.loader import load_demo

    load_demo()
    db.session.commit()
    policy = db.session.scalars(
        select(Policy).where(Policy.journal_number == "85.13.00-P00-1-23")).one()
    login_as(Role.AUDITOR)
    response = client.get(f"/revision/politikker/{policy.id}/log.json")
    assert response.status_code == 200
    log = json.loads(response.get_data(as_text=True))
    assert log["log"]["ok"] is True
    assert log["log"]["result"].startswith("Revisionssporet er intakt")
    actions = {e["action"] for e in log["events"]}
    assert {"policy:create", "remark:create", "reply:approve", "memo:issue",
            "decision:create", "change_link:create"} <= actions
    ids = [e["id"] for e in log["events"]]
    assert ids == sorted(ids)
    # nothing from the other demo policy
    other = db.session.scalars(select(Policy).where(Policy.id != policy.id)).one()
    assert not [e for e in log["events"]
                if e["object_type"] == "policy" and e["object_id"] == other.id]

    rows = list(csv.DictReader(io.StringIO(
        client.get(f"/revision/politikker/{policy.id}/log.csv").get_data(as_text=True))))
    assert len(rows) == len(log["events"])
    assert {row["log_ok"] for row in rows} == {"true"}
