"""External consultees: a body with a contact e-mail gets a personal link with its
invitation, through which its contact drafts and submits the body's response without an
account. Opening the link changes nothing; the POST on its page grants this browser that
one body in that one consultation; every use is audited; staff revoke and re-send."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from hoering.accounts import operations as accounts
from hoering.accounts import tokens
from hoering.accounts.models import BodyKind, Role, User
from hoering.accounts.tokens import AccessToken
from hoering.audit.models import AuditEvent
from hoering.consultations import consultee_links
from hoering.consultations import operations as consultations
from hoering.consultations.models import Response, ResponseStatus
from hoering.core.db import db, now_utc
from hoering.core.extensions import limiter
from hoering.mail.sender import send_pending
from hoering.outbox.models import OutboxMessage
from hoering.policies import operations as policies
from hoering.policies.draft_split import DraftSection
from tests.conftest import login

CONTACT = "hedensted@3f.dk"
LINK_PATH = re.compile(r"/hoeringslink/(\S+)")


def open_consultation_for(make_body, make_user, *, email: str | None = CONTACT,
                          abbreviation: str = "3F", name: str = "3F Hedensted"):
    """An opened consultation (14 days) to which an external union is invited."""
    union = accounts.create_body(name=name, abbreviation=abbreviation, kind=BodyKind.UNION,
                                 contact_email=email, actor=None)
    owner = make_body()
    policy = policies.create_policy(title="Budget 2025", journal_number="00.30.00-P00-1-24",
                                    description="", owner_body=owner, actor=None)
    version = policies.create_version(policy, [
        DraftSection("Rammesætning", "Budgettet for 2025."),
        DraftSection("Princip 1: Skoler", "Tekst."),
    ], actor=None)
    consultation = consultations.create_consultation(
        version, title=f"Budgethøring 2025 ({abbreviation})", opens_on=now_utc().date(),
        closes_at=now_utc() + timedelta(days=14), invitation_text="Send jeres bemærkninger.",
        public=False, bodies=[union], actor=None)
    consultations.open_consultation(consultation, actor=None)
    db.session.commit()
    return consultation, union


@pytest.fixture
def invited(make_body, make_user):
    return open_consultation_for(make_body, make_user)


def _contact_mail(body) -> OutboxMessage:
    return db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.to_address == body.contact_email).order_by(OutboxMessage.id.desc())).first()


def _link_path(body) -> str:
    """The link of the body's latest e-mail, as the sender fills it in when it sends."""
    filled = tokens.fill_placeholders(_contact_mail(body).body_text)
    db.session.commit()
    return "/hoeringslink/" + LINK_PATH.search(filled).group(1)


def _mark() -> int:
    return db.session.scalar(select(func.coalesce(func.max(AuditEvent.id), 0)))


def _events_since(mark: int) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.id > mark)
                                   .order_by(AuditEvent.id)))


def _pages(consultation, body) -> str:
    return f"/ekstern/hoeringer/{consultation.id}/organer/{body.id}"


def _start(client, consultation, body) -> str:
    link = _link_path(body)
    response = client.post(link)
    assert response.status_code == 303
    assert response.headers["Location"] == _pages(consultation, body)
    return link


def test_opening_sends_the_contact_a_link_and_the_outbox_never_holds_the_token(
        app, smtp_server, invited):
    consultation, union = invited
    message = _contact_mail(union)
    assert message.subject == "Invitation til høring: Budgethøring 2025 (3F)"
    assert "[[access-token:" in message.body_text  # a placeholder, no token
    token = db.session.scalars(select(AccessToken)).one()
    assert (token.body_id, token.consultation_id, token.token_hash) == (
        union.id, consultation.id, None)
    assert token.expires_at == consultation.closes_at

    assert send_pending().sent == 1
    received = smtp_server.messages[0]
    assert received["To"] == CONTACT
    plain = LINK_PATH.search(received.get_content()).group(1)
    assert "https://hoering.kommune.dk/hoeringslink/" in received.get_content()
    db.session.expire_all()
    assert tokens.find_valid(tokens.TokenPurpose.CONSULTEE_LINK, plain) is not None
    assert plain not in db.session.get(OutboxMessage, message.id).body_text
    send = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "consultee_link:send")).one()
    assert (send.object_type, send.object_id) == ("access_token", token.id)
    assert CONTACT not in json.dumps(send.changes)


def test_opening_again_or_a_member_body_sends_no_link(app, make_body, make_user):
    consultation, _union = open_consultation_for(make_body, make_user, email=None)
    assert db.session.scalar(select(func.count()).select_from(AccessToken)) == 0
    assert consultee_links.invite_contacts(consultation, actor=None) == 0


def test_opening_the_link_changes_nothing(app, client, invited):
    consultation, union = invited
    link = _link_path(union)
    mark = _mark()
    for _ in range(3):  # a mail scanner, a preview, the person
        page = client.get(link)
        assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Høringssvar fra 3F Hedensted" in text and "Fortsæt til høringssvaret" in text
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert page.headers["Cache-Control"] == "no-store"
    assert _events_since(mark) == []
    assert db.session.scalars(select(AccessToken)).one().used_at is None
    assert client.get(_pages(consultation, union)).status_code == 403  # nothing granted


def test_the_contact_drafts_and_submits_the_bodys_response(app, client, invited):
    from hoering.municipality.models import MunicipalitySettings

    consultation, union = invited
    db.session.add(MunicipalitySettings(name="Hedensted Kommune",
                                        secretariat_email="sekretariat@hedensted.dk"))
    db.session.commit()
    users = db.session.scalar(select(func.count()).select_from(User))
    mark = _mark()
    link = _start(client, consultation, union)
    page = client.get(_pages(consultation, union))
    assert page.status_code == 200
    assert "Du svarer som kontakt for 3F Hedensted" in page.get_data(as_text=True)
    section = consultation.version.sections[1]

    empty = client.post(f"{_pages(consultation, union)}/bemaerkninger",
                        data={"section": str(section.id), "text": "  "})
    assert "Feltet skal udfyldes." in empty.get_data(as_text=True)
    added = client.post(f"{_pages(consultation, union)}/bemaerkninger",
                        data={"section": str(section.id), "text": "Skolerne skal prioriteres."})
    assert added.status_code == 302
    response = db.session.scalars(select(Response)).one()
    remark = response.remarks[0]
    edited = client.post(f"{_pages(consultation, union)}/bemaerkninger/{remark.id}",
                         data={"section": str(section.id), "text": "Skolerne først."})
    assert edited.status_code == 302
    assert client.get(f"{_pages(consultation, union)}/indsend").status_code == 200
    assert client.post(f"{_pages(consultation, union)}/indsend").status_code == 302

    db.session.expire_all()
    response = db.session.get(Response, response.id)
    assert response.status is ResponseStatus.SUBMITTED
    assert [r.original_text for r in response.remarks] == ["Skolerne først."]
    assert response.submitted_by_id is None and not response.received_late
    assert db.session.scalar(select(func.count()).select_from(User)) == users  # no user made
    token = db.session.scalars(select(AccessToken)).one()
    assert token.used_at is not None
    events = _events_since(mark)
    assert [e.action for e in events][:3] == [
        "consultee_link:use", "response:create", "remark:create"]
    assert "response:submit" in [e.action for e in events]
    for event in events:
        if event.action.startswith(("response:", "remark:", "consultee_link:")):
            assert event.actor_id is None
            assert event.actor_label == "ekstern kontakt for 3F Hedensted"
            assert event.changes["access_token"]["after"] == token.id
        assert link.rsplit("/", 1)[1] not in json.dumps(event.changes)
    assert "Indsendt" in client.get(_pages(consultation, union)).get_data(as_text=True)
    # both sides get the receipt: the union's contact and the secretariat
    receipts = list(db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.kind == "response_receipt")))
    assert {m.to_address for m in receipts} == {union.contact_email, "sekretariat@hedensted.dk"}
    assert all("Skolerne først." in m.body_text for m in receipts)


def test_the_link_works_only_for_its_body_and_consultation(app, client, make_body, make_user,
                                                          invited):
    consultation, union = invited
    # the same union in another consultation, and another body in this one
    other, _ = open_consultation_for(make_body, make_user, email="anden@3f.dk",
                                     abbreviation="FOA", name="FOA Hedensted")
    consultations.invite_body(other, union, actor=None)
    neighbour = make_body("LR", "Lokalrådet")
    db.session.commit()
    _start(client, consultation, union)

    assert client.get(_pages(other, union)).status_code == 403
    assert client.post(f"{_pages(other, union)}/bemaerkninger",
                       data={"section": "general", "text": "x"}).status_code == 403
    assert client.get(_pages(consultation, neighbour)).status_code == 403
    member_page = f"/hoeringer/{consultation.id}/organer/{union.id}"
    assert client.get(member_page).status_code == 302  # the members' pages need a login
    # a remark of the body in the other consultation, through this consultation's grant
    theirs = consultations.draft_response(other, union, actor=None)
    remark = consultations.add_remark(theirs, section=None, text="Andet", actor=None)
    db.session.commit()
    assert client.get(f"{_pages(consultation, union)}/bemaerkninger/{remark.id}"
                      ).status_code == 404
    assert db.session.scalar(select(func.count()).select_from(Response)) == 1


def test_an_expired_link_explains_itself(app, client, invited):
    consultation, union = invited
    link = _link_path(union)
    token = db.session.scalars(select(AccessToken)).one()
    token.expires_at = now_utc() - timedelta(minutes=1)
    db.session.commit()
    page = client.get(link)
    assert page.status_code == 410
    assert "Linket er udløbet" in page.get_data(as_text=True)
    mark = _mark()
    assert client.post(link).status_code == 410
    refused = _events_since(mark)
    assert [(e.action, e.object_id, e.changes["state"]["after"]) for e in refused] == [
        ("consultee_link:refuse", token.id, "expired")]


def test_a_closed_consultation_ends_its_links_and_the_open_session(app, client, invited):
    consultation, union = invited
    link = _start(client, consultation, union)
    consultation.closes_at = now_utc() - timedelta(minutes=1)
    db.session.commit()
    page = client.get(_pages(consultation, union))
    assert page.status_code == 410
    assert "høringsfristen var" in page.get_data(as_text=True)
    assert client.get(link).status_code == 410


def test_an_unknown_link_says_so(app, client, invited):
    page = client.get("/hoeringslink/" + "A" * 43)
    assert page.status_code == 404
    assert "Linket findes ikke" in page.get_data(as_text=True)


def test_staff_revoke_the_link_and_it_stops_at_once(app, client, invited, make_user):
    consultation, union = invited
    link = _link_path(union)
    contact = app.test_client()
    assert contact.post(link).status_code == 303
    staff = make_user(Role.STAFF)
    login(client, staff)
    consultee = consultation.consultees[0]
    assert client.get(f"/hoeringer/parter/{consultee.id}/link/tilbagekald").status_code == 200
    assert client.post(f"/hoeringer/parter/{consultee.id}/link/tilbagekald").status_code == 302

    page = contact.get(_pages(consultation, union))
    assert page.status_code == 410
    assert "trukket tilbage" in page.get_data(as_text=True)
    assert contact.get(link).status_code == 410
    revoke = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "consultee_link:revoke")).one()
    assert revoke.actor_id == staff.id


def test_staff_send_a_new_link_and_the_old_one_stops(app, client, invited, make_user):
    consultation, union = invited
    old_link = _link_path(union)
    login(client, make_user(Role.STAFF))
    consultee = consultation.consultees[0]
    page = client.get(f"/hoeringer/parter/{consultee.id}/link/send")
    assert CONTACT in page.get_data(as_text=True)
    assert client.post(f"/hoeringer/parter/{consultee.id}/link/send").status_code == 302

    message = _contact_mail(union)
    assert message.subject.startswith("Nyt link til høring")
    assert "afløser det link" in message.body_text
    new_link = _link_path(union)
    assert new_link != old_link
    contact = app.test_client()
    assert contact.get(old_link).status_code == 410
    assert contact.post(new_link).status_code == 303
    assert [e.action for e in db.session.scalars(select(AuditEvent).where(
        AuditEvent.action.like("consultee_link:%")).order_by(AuditEvent.id))] == [
        "consultee_link:send", "consultee_link:revoke", "consultee_link:send",
        "consultee_link:use"]


def test_the_consultation_page_shows_the_contact_and_the_link_actions(app, client, invited,
                                                                     make_user):
    consultation, union = invited
    login(client, make_user(Role.STAFF))
    text = client.get(f"/hoeringer/{consultation.id}").get_data(as_text=True)
    assert f"ekstern kontakt: {CONTACT}" in text
    assert "Send nyt link" in text and "Træk linket tilbage" in text


def test_a_link_is_sent_only_to_a_body_with_a_contact_and_while_it_can_respond(
        app, make_body, make_user):
    consultation, union = open_consultation_for(make_body, make_user, email=None)
    consultee = consultation.consultees[0]
    with pytest.raises(Exception, match="ingen kontakt-e-mail"):
        consultee_links.send_link(consultee, actor=None)
    union.contact_email = CONTACT
    consultation.closes_at = now_utc() - timedelta(minutes=1)
    with pytest.raises(Exception, match="overskredet"):
        consultee_links.send_link(consultee, actor=None)


def test_the_link_follows_a_moved_deadline(app, invited):
    consultation, _union = invited
    later = consultation.closes_at + timedelta(days=7)
    consultations.update_consultation(
        consultation, title=consultation.title, opens_on=consultation.opens_on,
        closes_at=later, invitation_text=consultation.invitation_text, public=False,
        deadline_reason="Udvalget mødes senere.", actor=None)
    token = db.session.scalars(select(AccessToken)).one()
    assert token.expires_at == later
    own = later + timedelta(days=3)
    consultations.set_consultee_deadline(consultation.consultees[0], own, actor=None)
    assert token.expires_at == own


def test_the_contact_is_reminded_and_told_a_new_deadline(app, invited):
    consultation, union = invited
    assert consultations.send_reminder(consultation.consultees[0], actor=None) == 1
    reminder = _contact_mail(union)
    assert reminder.subject.startswith("Påmindelse: høringsfrist")
    assert "personlige link i invitationen" in reminder.body_text
    assert "[[access-token:" not in reminder.body_text  # the link is in one e-mail only
    consultations.update_consultation(
        consultation, title=consultation.title, opens_on=consultation.opens_on,
        closes_at=consultation.closes_at + timedelta(days=2),
        invitation_text=consultation.invitation_text, public=False,
        deadline_reason="Lokalrådet mødes senere.", actor=None)
    moved = _contact_mail(union)
    assert moved.subject.startswith("Ny høringsfrist")
    assert "Lokalrådet mødes senere." in moved.body_text


def test_the_links_pages_are_rate_limited(app, client, invited, monkeypatch):
    _consultation, union = invited
    link = _link_path(union)
    monkeypatch.setitem(app.config, "CONSULTEE_LINK_RATE_LIMIT", "2 per minute")
    limiter.reset()
    try:
        assert [client.get(link).status_code for _ in range(3)] == [200, 200, 429]
    finally:
        limiter.reset()


def test_the_post_on_the_links_page_needs_the_csrf_token(app, invited):
    _consultation, union = invited
    link = _link_path(union)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = app.test_client().post(link)
        assert response.status_code == 400  # refused, nothing granted
        assert db.session.scalars(select(AccessToken)).one().used_at is None
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
