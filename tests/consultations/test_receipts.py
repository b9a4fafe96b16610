"""Receipts: whichever way a body's response is submitted (its secretary, staff, the
minutes, "ingen bemærkninger"), its members, its contact e-mail and the secretariat (the
consultation's responsible member of staff, its creator by default, and the secretariat's
e-mail of the municipality settings) get one e-mail each listing the remarks; the text is
in no log and no audit event."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import select

from hoering.accounts import operations as accounts
from hoering.accounts.models import Role
from hoering.audit.models import AuditEvent
from hoering.consultations import operations as consultations
from hoering.core.clock import LOCAL_TZ
from hoering.core.db import db, now_utc
from hoering.core.errors import DomainError
from hoering.municipality.models import MunicipalitySettings
from hoering.outbox.models import OutboxMessage
from hoering.policies import operations as policies
from hoering.policies.draft_split import DraftSection
from tests.conftest import login

REMARK = "Princippet bør nævne borgere uden NemID."


@pytest.fixture
def world(app, make_user, make_body):
    """An open consultation created by a member of staff, invited: a body with a
    secretary and a member."""
    staff = make_user(Role.STAFF, name="Sara Sekretariat")
    body = make_body("SOU", "Socialudvalget")
    secretary = make_user(Role.MEMBER, name="Sekretær Sørensen")
    accounts.add_membership(secretary, body, is_secretary=True, actor=None)
    member = make_user(Role.MEMBER, name="Medlem Madsen", bodies=(body,))
    policy = policies.create_policy(title="Digitaliseringsprincipper",
                                    journal_number="85.13.00-P00-1-23", description="",
                                    owner_body=body, actor=None)
    version = policies.create_version(
        policy, [DraftSection("Rammesætning", "Tekst"), DraftSection("Princip 1", "Tekst")],
        actor=None)
    consultation = consultations.create_consultation(
        version, title="Høring om digitalisering", opens_on=now_utc().date(),
        closes_at=now_utc() + timedelta(days=30), invitation_text="", public=False,
        bodies=[body], actor=staff)
    consultations.open_consultation(consultation, actor=staff)
    db.session.commit()
    return consultation, body, staff, secretary, member


def _receipts() -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.kind == "response_receipt").order_by(OutboxMessage.to_address)))


def _submit_by(actor, consultation, body):
    response = consultations.draft_response(consultation, body, actor=actor)
    consultations.add_remark(response, section=consultation.version.sections[1], text=REMARK,
                             actor=actor)
    return consultations.submit_response(response, actor=actor)


SUBMISSIONS = {
    "the secretary": lambda c, b, staff, secretary: _submit_by(secretary, c, b),
    "staff": lambda c, b, staff, secretary: _submit_by(staff, c, b),
    "the minutes": lambda c, b, staff, secretary: consultations.import_minutes(
        c, b, meeting_date=now_utc().date(), agenda_item=6,
        remarks=[consultations.ImportedRemark(REMARK, c.version.sections[1])], actor=staff),
}


@pytest.mark.parametrize("way", SUBMISSIONS)
def test_every_way_of_submitting_sends_the_body_and_the_secretariat_a_receipt(world, way):
    consultation, body, staff, secretary, member = world
    SUBMISSIONS[way](consultation, body, staff, secretary)

    receipts = _receipts()
    assert sorted(m.to_address for m in receipts) == sorted(
        [staff.email, secretary.email, member.email])
    for message in receipts:
        assert "Høring om digitalisering" in message.subject and "Socialudvalget" in message.subject
        assert REMARK in message.body_text and "Princip 1" in message.body_text
        assert "ingen bemærkninger" not in message.body_text
    to_member = next(m for m in receipts if m.to_address == member.email)
    assert to_member.body_text.startswith("Kære Medlem Madsen")
    assert "Kvittering: høringssvaret fra Socialudvalget er modtaget." in to_member.body_text
    to_staff = next(m for m in receipts if m.to_address == staff.email)
    assert "Socialudvalget (SOU) har afgivet høringssvar." in to_staff.body_text
    assert f"/hoeringer/{consultation.id}/organer/{body.id}" in to_staff.body_text


def test_how_it_was_submitted_is_named(world):
    consultation, body, staff, secretary, _member = world
    SUBMISSIONS["the minutes"](consultation, body, staff, secretary)
    text = _receipts()[0].body_text
    assert f"fra referatet: Socialudvalget den {now_utc().day}." in text


def test_declining_sends_a_receipt_saying_no_remarks(world):
    consultation, body, _staff, secretary, member = world
    consultations.decline(consultation, body, actor=secretary)
    receipts = _receipts()
    assert len(receipts) == 3
    assert all("Socialudvalget har ingen bemærkninger." in m.body_text for m in receipts)
    assert all("Bemærkninger (" not in m.body_text for m in receipts)
    assert "Indsendt af Sekretær Sørensen" in receipts[0].body_text


def test_minutes_without_remarks_send_no_remarks_receipts(world):
    consultation, body, staff, _secretary, _member = world
    consultations.import_minutes(consultation, body, meeting_date=now_utc().date(),
                                 agenda_item=4, remarks=[], actor=staff)
    assert all("ingen bemærkninger" in m.body_text for m in _receipts())


def test_the_contact_and_the_secretariat_email_get_one_receipt_each(world):
    consultation, body, staff, secretary, member = world
    body.contact_email = "kontakt@fagforening.dk"  # an external body's contact
    db.session.add(MunicipalitySettings(secretariat_email="hoering@kommune.dk"))
    db.session.flush()
    _submit_by(secretary, consultation, body)

    by_address = {m.to_address: m for m in _receipts()}
    assert set(by_address) == {staff.email, secretary.email, member.email,
                               "kontakt@fagforening.dk", "hoering@kommune.dk"}
    assert by_address["hoering@kommune.dk"].body_text.startswith("Til sekretariatet")
    # the contact has no login: no link to the staff pages
    assert "/hoeringer/" not in by_address["kontakt@fagforening.dk"].body_text


def test_one_receipt_per_address_and_resubmission_gets_new_ones(world):
    consultation, body, staff, secretary, member = world
    accounts.add_membership(staff, body, actor=None)  # responsible and a member
    db.session.add(MunicipalitySettings(secretariat_email=staff.email.upper()))
    response = _submit_by(secretary, consultation, body)
    assert len(_receipts()) == 3

    consultations.reopen_response(response, reason="Ret princip 1", actor=staff)
    consultations.submit_response(response, actor=secretary)
    assert len(_receipts()) == 6


def test_the_responsible_member_of_staff_is_the_creator_and_can_be_changed(world, make_user):
    consultation, body, staff, secretary, member = world
    assert consultation.responsible is staff
    colleague = make_user(Role.STAFF, name="Kollega Kirsten")
    consultations.assign_responsible(consultation, colleague, actor=staff)
    with pytest.raises(DomainError, match="ikke en aktiv medarbejder"):
        consultations.assign_responsible(consultation, member, actor=staff)
    _submit_by(secretary, consultation, body)
    assert colleague.email in {m.to_address for m in _receipts()}
    assert staff.email not in {m.to_address for m in _receipts()}

    event = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "consultation:responsible"))
    assert event.changes["responsible_id"] == {"before": staff.id, "after": colleague.id}


def test_no_responsible_and_no_settings_leaves_the_body_only(world):
    consultation, body, staff, secretary, member = world
    consultations.assign_responsible(consultation, None, actor=staff)
    _submit_by(secretary, consultation, body)
    assert {m.to_address for m in _receipts()} == {secretary.email, member.email}


def test_the_receipt_text_is_neither_logged_nor_audited(world, caplog):
    consultation, body, _staff, secretary, _member = world
    with caplog.at_level(logging.DEBUG):
        _submit_by(secretary, consultation, body)
    assert REMARK not in caplog.text
    submit = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "response:submit"))
    assert submit.changes["receipts"] == {"before": None, "after": 3}
    events = db.session.scalars(select(AuditEvent)).all()
    assert not any("Kvittering" in str(e.changes) for e in events)


def test_staff_choose_the_responsible_on_the_consultation_form(world, client, make_user):
    consultation, _body, staff, _secretary, member = world
    colleague = make_user(Role.STAFF, name="Kollega Kirsten")
    login(client, staff)
    page = client.get(f"/hoeringer/{consultation.id}/rediger").text
    assert "Ansvarlig i sekretariatet" in page and "Kollega Kirsten" in page
    assert "Medlem Madsen" not in page  # members are not staff
    local = consultation.closes_at.astimezone(LOCAL_TZ)
    answer = client.post(f"/hoeringer/{consultation.id}/rediger", data={
        "title": consultation.title, "opens_on": consultation.opens_on.isoformat(),
        "deadline_date": local.date().isoformat(), "deadline_time": local.strftime("%H:%M"),
        "invitation_text": "", "bodies": [c.body_id for c in consultation.consultees],
        "responsible": str(colleague.id),
    })
    assert answer.status_code == 302, answer.text
    db.session.expire_all()
    assert consultation.responsible_id == colleague.id
    shown = client.get(f"/hoeringer/{consultation.id}").text
    assert "Kollega Kirsten" in shown
    refused = client.post(f"/hoeringer/{consultation.id}/rediger", data={
        "title": consultation.title, "opens_on": consultation.opens_on.isoformat(),
        "deadline_date": local.date().isoformat(), "deadline_time": local.strftime("%H:%M"),
        "bodies": [c.body_id for c in consultation.consultees], "responsible": str(member.id),
    })
    assert refused.status_code == 200  # not a choice: the form again
    db.session.expire_all()
    assert consultation.responsible_id == colleague.id
