"""The case track follows itself: the stage is derived from the political decisions and
the facts of the consultations and memos; decisions are refused when duplicated, and can
be withdrawn or corrected with a reason; the adoption names its version; the CLI."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from hoering.accounts.models import Role
from hoering.audit.models import AuditEvent
from hoering.cases import operations as cases
from hoering.cases.models import CaseDecision, Stage
from hoering.cases.queries import adopted_version_id, stage_of
from hoering.core.db import db, now_utc
from hoering.core.errors import DomainError
from hoering.memos.models import MemoIssue
from hoering.policies import operations as policies
from hoering.policies.draft_split import DraftSection
from hoering.policies.models import Policy
from tests.conftest import put_in_stage


@pytest.fixture
def policy(app, make_body):
    owner = make_body("DTU", "Digitaliserings- og Teknologiudvalget")
    policy = policies.create_policy(title="Principper", journal_number="85.13.00-P00-1-23",
                                    description="", owner_body=owner, actor=None)
    policies.create_version(policy, [DraftSection("Princip 1", "Tekst.")], note="",
                            actor=None)
    db.session.commit()
    return policy


def _decide(policy, action, day, body=None, item=None, **kwargs):
    return cases.decide(policy, action, body=body or policy.owner_body, meeting_date=day,
                        agenda_item=item, decision_text="Besluttet.", actor=None, **kwargs)


def test_opening_the_deadline_and_the_memo_move_the_stage_by_themselves(policy):
    from hoering.consultations.models import Consultation

    _decide(policy, "approve_for_consultation", date(2024, 3, 12), item=11)
    assert stage_of(policy) is Stage.APPROVED_FOR_CONSULTATION
    version = policy.latest_version
    version.frozen_at = datetime(2024, 3, 13, 8, tzinfo=UTC)
    deadline = datetime(2024, 4, 30, 22, tzinfo=UTC)
    consultation = Consultation(version=version, title="Høring", opens_on=date(2024, 3, 13),
                                closes_at=deadline, opened_at=version.frozen_at)
    db.session.add(consultation)
    db.session.flush()
    assert stage_of(policy, datetime(2024, 4, 1, tzinfo=UTC)) is Stage.IN_CONSULTATION
    # nothing runs at the deadline: after it, the stage is simply derived as closed
    assert stage_of(policy, deadline + timedelta(minutes=1)) is Stage.CONSULTATION_CLOSED
    db.session.add(MemoIssue(consultation_id=consultation.id, number=1,
                             issued_at=datetime(2024, 6, 8, 10, tzinfo=UTC),
                             content_hash="0" * 64, markdown="", html="", docx=b"", pdf=b""))
    db.session.flush()
    assert stage_of(policy) is Stage.MEMO_ISSUED
    _decide(policy, "recommend", date(2024, 6, 18))
    _decide(policy, "send_back", date(2024, 6, 19))
    assert stage_of(policy) is Stage.DRAFTING
    # a new round on a new version moves it back again
    _decide(policy, "approve_for_consultation", date(2024, 6, 20))
    second = policies.create_version(policy, [DraftSection("Princip 1", "Ny tekst.")],
                                     note="", actor=None)
    second.frozen_at = now_utc()
    db.session.add(Consultation(version=second, title="Anden runde", opens_on=date.today(),
                                closes_at=now_utc() + timedelta(days=30),
                                opened_at=now_utc()))
    db.session.flush()
    assert stage_of(policy) is Stage.IN_CONSULTATION


def test_an_identical_decision_is_refused_with_a_clear_message(policy):
    _decide(policy, "note", date(2024, 2, 1), item=4)
    with pytest.raises(DomainError, match="er allerede registreret"):
        _decide(policy, "note", date(2024, 2, 1), item=4)
    _decide(policy, "note", date(2024, 2, 1), item=5)  # another item is another decision


def test_a_withdrawn_decision_stays_in_the_history_and_the_stage_is_derived_again(policy):
    approval = _decide(policy, "approve_for_consultation", date(2024, 3, 12), item=11)
    db.session.commit()
    with pytest.raises(DomainError, match="hvorfor"):
        cases.withdraw_decision(approval, reason=" ", actor=None)
    cases.withdraw_decision(approval, reason="Registreret på den forkerte politik.",
                            actor=None)
    db.session.commit()
    assert stage_of(policy) is Stage.DRAFTING
    kept = db.session.get(CaseDecision, approval.id)
    assert kept.is_withdrawn and kept.withdrawal_reason == "Registreret på den forkerte politik."
    actions = [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert actions[-2:] == ["decision:withdraw", "policy:stage"]
    with pytest.raises(DomainError, match="allerede trukket tilbage"):
        cases.withdraw_decision(kept, reason="Igen.", actor=None)
    # the same decision may now be recorded again (the withdrawn one does not count)
    _decide(policy, "approve_for_consultation", date(2024, 3, 12), item=11)


def test_a_decision_a_later_one_rests_on_cannot_be_withdrawn_first(policy):
    put_in_stage(policy, Stage.MEMO_ISSUED)
    recommendation = _decide(policy, "recommend", date(2024, 6, 18))
    _decide(policy, "adopt", date(2024, 8, 26))
    with pytest.raises(DomainError, match="bygger på den"):
        cases.withdraw_decision(recommendation, reason="Forkert dato.", actor=None)


def test_a_correction_withdraws_the_original_and_records_the_corrected(policy, make_body):
    put_in_stage(policy, Stage.MEMO_ISSUED)
    wrong = _decide(policy, "recommend", date(2024, 6, 11))
    corrected = cases.correct_decision(wrong, cases.DecisionInput(
        "recommend", policy.owner_body, date(2024, 6, 18), 7, "Anbefalet."),
        reason="Forkert mødedato.", actor=None)
    db.session.commit()
    assert wrong.is_withdrawn and corrected.corrects_id == wrong.id
    assert stage_of(policy) is Stage.RECOMMENDED


def test_the_adoption_names_the_adopted_version(policy):
    put_in_stage(policy, Stage.RECOMMENDED)
    first = policy.versions[0]
    second = policies.create_version(policy, [DraftSection("Princip 1", "Revideret.")],
                                     note="", actor=None)
    adoption = _decide(policy, "adopt", date(2024, 8, 26), version=first)
    assert adoption.version_id == first.id != second.id
    assert adopted_version_id(policy) == first.id
    cases.withdraw_decision(adoption, reason="Vedtog den reviderede.", actor=None)
    assert adopted_version_id(policy) is None
    _decide(policy, "adopt", date(2024, 8, 26))  # without a choice: the latest version
    assert adopted_version_id(policy) == second.id


def test_case_list_and_show_print_the_stable_shapes(app, policy):
    put_in_stage(policy, Stage.MEMO_ISSUED)
    wrong = _decide(policy, "recommend", date(2024, 6, 11), item=3)
    cases.correct_decision(wrong, cases.DecisionInput(
        "recommend", policy.owner_body, date(2024, 6, 18), 7, "Anbefalet."),
        reason="Forkert dato.", actor=None)
    db.session.commit()
    runner = app.test_cli_runner()
    listed = runner.invoke(args=["case", "list"])
    assert listed.exit_code == 0
    assert listed.output == f"{policy.id}\trecommended\tPrincipper\n"
    shown = runner.invoke(args=["case", "show", str(policy.id), "--json"])
    data = json.loads(shown.output)
    assert data["stage"] == "recommended" and data["adopted_version"] is None
    assert [d["action"] for d in data["decisions"]] == [
        "approve_for_consultation", "recommend", "recommend"]
    assert data["decisions"][1] == {"action": "recommend", "body": "DTU",
                                    "meeting_date": "2024-06-11", "item": 3, "withdrawn": True}
    assert data["decisions"][2]["withdrawn"] is False
    assert data["decisions"][2]["meeting_date"] == "2024-06-18"
    readable = runner.invoke(args=["case", "show", str(policy.id)])
    assert "Fase: recommended" in readable.output and "[trukket tilbage]" in readable.output
    missing = runner.invoke(args=["case", "show", "999"])
    assert missing.exit_code == 1 and "findes ikke" in missing.output


def test_withdrawing_and_correcting_through_the_case_page(client, login_as, policy):
    decision = _decide(policy, "approve_for_consultation", date(2024, 3, 12), item=11)
    db.session.commit()
    login_as(Role.STAFF)
    assert "Træk tilbage" in client.get(f"/politikker/{policy.id}/sag").get_data(as_text=True)
    url = f"/sag/beslutninger/{decision.id}/ret"
    form = client.get(url).get_data(as_text=True)
    assert "Besluttet." in form  # the decision's own values, to correct
    refused = client.post(url, data={
        "action": "approve_for_consultation", "body_id": policy.owner_body_id,
        "meeting_date": "2024-03-12", "agenda_item": "12", "decision_text": "Rettet tekst",
        "reason": ""})
    assert refused.status_code == 200 and "Rettet tekst" in refused.get_data(as_text=True)
    response = client.post(url, data={
        "action": "approve_for_consultation", "body_id": policy.owner_body_id,
        "meeting_date": "2024-03-12", "agenda_item": "12", "decision_text": "Rettet tekst",
        "reason": "Forkert punktnummer."})
    assert response.status_code == 302
    decisions = db.session.scalars(select(CaseDecision).order_by(CaseDecision.id)).all()
    assert [(d.agenda_item, d.is_withdrawn) for d in decisions] == [(11, True), (12, False)]
    response = client.post(f"/sag/beslutninger/{decisions[1].id}/tilbagetraek",
                           data={"reason": "Mødet blev aflyst."})
    assert response.status_code == 302
    assert stage_of(db.session.get(Policy, policy.id)) is Stage.DRAFTING
    page = client.get(f"/politikker/{policy.id}/sag").get_data(as_text=True)
    assert "Mødet blev aflyst." in page and "Forkert punktnummer." in page


def test_overdue_consultees_count_only_while_the_case_is_open(policy, make_body):
    from hoering.cases.queries import overview
    from hoering.consultations.models import Consultation, Consultee

    put_in_stage(policy, Stage.CONSULTATION_CLOSED)
    consultation = db.session.scalars(select(Consultation)).one()
    db.session.add(Consultee(consultation_id=consultation.id, body_id=make_body().id))
    db.session.flush()
    assert [row.overdue for row in overview(now_utc())] == [1]
    put_in_stage(policy, Stage.ADOPTED)
    assert [row.overdue for row in overview(now_utc())] == [0]
