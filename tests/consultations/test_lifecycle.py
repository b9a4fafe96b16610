"""A consultation after it opens: its deadline moved only with a reason and the bodies
told, never to before now or before a response already received; an explicit close; no
reminders after the deadline; the invited bodies that cannot respond, before opening and
on the consultation's page; the case's stage follows all of it by itself."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from hoering.accounts.models import Role
from hoering.audit.models import AuditEvent
from hoering.cases.models import Stage
from hoering.cases.queries import stage_of
from hoering.consultations import lifecycle
from hoering.consultations import operations as consultations
from hoering.core.clock import frozen_at
from hoering.core.db import db, now_utc
from hoering.core.errors import DomainError
from hoering.outbox.models import OutboxMessage
from tests.consultations.test_operations import _submitted, world  # noqa: F401


def _move(world, closes_at, reason=""):  # noqa: F811
    c = world.consultation
    return consultations.update_consultation(
        c, title=c.title, opens_on=c.opens_on, closes_at=closes_at,
        invitation_text=c.invitation_text, public=c.public, deadline_reason=reason,
        actor=None)


def _deadline_mails() -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "deadline")))


def test_moving_an_open_deadline_needs_a_reason_and_tells_the_bodies(world):  # noqa: F811
    later = world.deadline + timedelta(days=7)
    with pytest.raises(DomainError, match="hvorfor fristen ændres"):
        _move(world, later)
    db.session.rollback()
    _move(world, later, reason="Et udvalg holder først møde efter fristen.")
    db.session.commit()
    mails = _deadline_mails()
    # every member of every invited body: the secretary and member of SOU, KMU's member
    assert len(mails) == 3
    assert "Et udvalg holder først møde efter fristen." in mails[0].body_text
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "consultation:deadline")).one()
    assert event.changes["reason"]["after"] == "Et udvalg holder først møde efter fristen."


def test_a_deadline_before_now_or_before_a_received_response_is_refused(world):  # noqa: F811
    with pytest.raises(DomainError, match="Afslut høringen"):
        _move(world, now_utc() - timedelta(minutes=5), reason="Hurtigere.")
    db.session.rollback()
    with frozen_at(now_utc() + timedelta(hours=2)):  # a response registered ahead of us
        _submitted(world, world.body_b, (1, "En bemærkning."))
    with pytest.raises(DomainError, match="allerede er modtaget"):
        _move(world, now_utc() + timedelta(hours=1), reason="Tidligere.")
    db.session.rollback()
    assert stage_of(world.version.policy) is Stage.IN_CONSULTATION


def test_the_explicit_close_ends_the_consultation_and_moves_the_case(world):  # noqa: F811
    assert stage_of(world.version.policy) is Stage.IN_CONSULTATION
    lifecycle.close_consultation(world.consultation, actor=None)
    db.session.commit()
    assert world.consultation.is_past_deadline(now_utc())
    assert stage_of(world.version.policy) is Stage.CONSULTATION_CLOSED
    with pytest.raises(DomainError, match="allerede afsluttet"):
        lifecycle.close_consultation(world.consultation, actor=None)
    with pytest.raises(DomainError, match="afsluttet"):
        _move(world, now_utc() + timedelta(days=3), reason="Genåbn.")
    db.session.rollback()
    with pytest.raises(DomainError, match="ikke påmindelser efter"):
        consultations.send_reminder(world.consultee(world.body_b), actor=None)


def test_bodies_that_cannot_respond_are_listed(world):  # noqa: F811
    problems = {p.body.abbreviation: p.problem for p in
                lifecycle.readiness_problems(world.consultation)}
    assert set(problems) == {"KMU", "KFU"}  # SOU has a secretary
    assert "ingen sekretær" in problems["KMU"] and "hverken medlemmer" in problems["KFU"]
    world.body_c.contact_email = "kontakt@kfu.dk"  # an external body: its contact answers
    assert "KFU" not in {p.body.abbreviation for p in
                         lifecycle.readiness_problems(world.consultation)}


def test_the_pages_warn_before_opening_and_confirm_the_close(client, login_as, make_user,
                                                             make_body):
    from tests.consultations.test_operations import _build_round

    unopened = _build_round(make_user, make_body, opened=False)
    login_as(Role.STAFF)
    page = client.get(f"/hoeringer/{unopened.consultation.id}/aabn").get_data(as_text=True)
    assert "Kultur- og Fritidsudvalget har hverken medlemmer" in page
    assert "Åbn høringen alligevel" in page
    shown = client.get(f"/hoeringer/{unopened.consultation.id}").get_data(as_text=True)
    assert "Klima- og Miljøudvalget har ingen sekretær" in shown
    consultations.open_consultation(unopened.consultation, actor=None)
    db.session.commit()
    url = f"/hoeringer/{unopened.consultation.id}/afslut"
    assert "Vil du afslutte" in client.get(url).get_data(as_text=True)
    assert client.post(url).status_code == 302
    assert unopened.consultation.is_past_deadline(now_utc())


def test_the_edit_form_asks_to_confirm_a_moved_deadline_and_keeps_the_reason(
        client, login_as, world):  # noqa: F811
    login_as(Role.STAFF)
    c = world.consultation
    later = (world.deadline + timedelta(days=7)).astimezone(lifecycle_tz())
    data = {"title": c.title, "opens_on": c.opens_on.isoformat(),
            "deadline_date": later.date().isoformat(), "deadline_time": "23:59",
            "invitation_text": c.invitation_text, "bodies": [world.body_a.id, world.body_b.id,
                                                             world.body_c.id],
            "deadline_reason": "Udvalget mødes senere."}
    refused = client.post(f"/hoeringer/{c.id}/rediger", data=data)
    page = refused.get_data(as_text=True)
    assert "Bekræft, at fristen skal flyttes" in page and "Udvalget mødes senere." in page
    assert client.post(f"/hoeringer/{c.id}/rediger",
                       data={**data, "confirm_deadline": "y"}).status_code == 302
    assert len(_deadline_mails()) == 3


def lifecycle_tz():
    from hoering.core.clock import LOCAL_TZ

    return LOCAL_TZ


def test_a_consultee_with_a_later_deadline_may_still_respond_and_is_not_late(world):  # noqa: F811
    consultee = world.consultee(world.body_b)
    with pytest.raises(DomainError, match="efter høringens frist"):
        consultations.set_consultee_deadline(consultee, world.deadline - timedelta(days=1),
                                             actor=None)
    own = world.deadline + timedelta(days=10)
    consultations.set_consultee_deadline(consultee, own, actor=None)
    db.session.commit()
    policy = world.version.policy
    after_general = world.deadline + timedelta(days=1)
    # the case stays in consultation until the last deadline
    assert stage_of(policy, after_general) is Stage.IN_CONSULTATION
    assert stage_of(policy, own + timedelta(minutes=1)) is Stage.CONSULTATION_CLOSED
    with frozen_at(after_general):
        draft = consultations.draft_response(world.consultation, world.body_b,
                                             actor=world.member_b)
        consultations.add_remark(draft, section=world.section(1), text="Sent men i tide.",
                                 actor=world.member_b)
        with pytest.raises(DomainError, match="overskredet"):  # SOU has no later deadline
            consultations.draft_response(world.consultation, world.body_a,
                                         actor=world.member_a)
        assert not consultee.is_overdue(after_general)
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "consultee:deadline")).one()
    assert event.changes["deadline"]["before"] is None


def test_the_individual_deadline_page(client, login_as, world):  # noqa: F811
    login_as(Role.STAFF)
    consultee = world.consultee(world.body_c)
    url = f"/hoeringer/parter/{consultee.id}/frist"
    assert "Høringens frist er" in client.get(url).get_data(as_text=True)
    early = world.deadline.astimezone(lifecycle_tz()) - timedelta(days=2)
    refused = client.post(url, data={"deadline_date": early.date().isoformat(),
                                     "deadline_time": "12:00"})
    assert refused.status_code == 200
    assert "skal ligge efter høringens frist" in refused.get_data(as_text=True)
    later = world.deadline.astimezone(lifecycle_tz()) + timedelta(days=5)
    assert client.post(url, data={"deadline_date": later.date().isoformat(),
                                  "deadline_time": "12:00"}).status_code == 302
    assert consultee.deadline is not None
    page = client.get(f"/hoeringer/{world.consultation.id}").get_data(as_text=True)
    assert "individuel frist" in page
