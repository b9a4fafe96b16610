""""Glemt adgangskode": the same answer, after the same time, whether the address exists
or not; the e-mailed link (read from the real SMTP test server) opens a form and only
its POST uses it up; one hour, once, the newest link only; rate limited per client and
per address; an administrator sends a link instead of typing a password."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from hoering.accounts import operations as accounts
from hoering.accounts import password_reset
from hoering.accounts.models import Role
from hoering.audit.models import AuditEvent
from hoering.core.clock import frozen_at
from hoering.core.db import db, now_utc
from hoering.core.extensions import limiter
from hoering.mail.sender import send_pending
from hoering.outbox.models import OutboxMessage
from tests.conftest import PASSWORD, login

NEW = "blæksprutte cykelhjelm tagrende vinduespudser"


@pytest.fixture
def quick_answer(monkeypatch):
    """The answer's fixed time, short for the tests (its length is not the point)."""
    monkeypatch.setattr(password_reset, "ANSWER_SECONDS", 0.05)


def _ask(client, email: str):
    return client.post("/glemt-adgangskode", data={"email": email})


def _mailed_path(smtp_server) -> str:
    content = smtp_server.messages[-1].get_content()
    link = re.search(r"https://hoering\.kommune\.dk(/nulstil-adgangskode/[A-Za-z0-9_-]{40,})",
                     content)
    assert link, content
    return link.group(1)


def _outbox() -> int:
    return db.session.scalar(select(func.count(OutboxMessage.id)))


def test_the_login_page_links_to_it(client):
    page = client.get("/login").text
    assert 'href="/glemt-adgangskode"' in page and "Glemt adgangskode?" in page


def test_known_and_unknown_addresses_get_the_same_answer(client, make_user, quick_answer,
                                                         smtp_server):
    user = make_user(Role.MEMBER, email="kendt@ballerup.dk")
    known, unknown = _ask(client, "Kendt@Ballerup.dk "), _ask(client, "ukendt@ballerup.dk")
    assert known.status_code == unknown.status_code == 200

    def answer(response, email):  # the CSRF token holds the second it was signed in
        return re.sub(r'name="csrf_token"[^>]*>', "CSRF", response.text.replace(email, "ADDRESS"))

    assert answer(known, "Kendt@Ballerup.dk") == answer(unknown, "ukendt@ballerup.dk")
    assert "Hvis ADDRESS hører til en bruger her" in answer(unknown, "ukendt@ballerup.dk")
    assert _outbox() == 1 and send_pending().sent == 1
    assert smtp_server.messages[0]["To"] == user.email
    events = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "auth:password_reset_request")).all()
    assert len(events) == 2
    assert all("ballerup.dk" not in str(event.changes) for event in events)


def test_both_answers_take_the_fixed_time(client, make_user, quick_answer):
    make_user(Role.MEMBER, email="kendt@ballerup.dk")
    for email in ("kendt@ballerup.dk", "ukendt@ballerup.dk"):
        started = time.monotonic()
        _ask(client, email)
        assert time.monotonic() - started >= password_reset.ANSWER_SECONDS


def test_an_inactive_user_gets_no_link(client, make_user, quick_answer):
    user = make_user(Role.MEMBER, email="gammel@ballerup.dk")
    accounts.update_user(user, name=user.name, email=user.email, role=user.role,
                         active=False, actor=None)
    db.session.commit()
    assert _ask(client, user.email).status_code == 200
    assert _outbox() == 0


def test_the_link_opens_a_form_and_only_the_post_uses_it(
        app, client, make_user, quick_answer, smtp_server):
    user = make_user(Role.STAFF, email="louise@ballerup.dk")
    elsewhere = app.test_client()
    assert login(elsewhere, user).status_code == 302
    _ask(client, user.email)
    send_pending()
    path = _mailed_path(smtp_server)
    for _ in range(2):  # a mail scanner opening the link uses nothing up
        page = client.get(path)
        assert page.status_code == 200 and "Vælg en ny adgangskode" in page.text
    assert page.headers["Referrer-Policy"] == "no-referrer"
    weak = client.post(path, data={"password": "louise 2024 louise", "confirm": "x"})
    assert weak.status_code == 200
    done = client.post(path, data={"password": NEW, "confirm": NEW})
    assert done.status_code == 302 and done.location.endswith("/login")
    assert login(app.test_client(), user, PASSWORD).status_code == 200  # the old one: no
    assert login(app.test_client(), user, NEW).status_code == 302
    assert elsewhere.get("/").status_code == 302  # its other sessions ended
    used = client.get(path)
    assert used.status_code == 410 and "allerede brugt" in used.text
    assert "Bestil et nyt link" in used.text
    tags = {e.action for e in db.session.scalars(select(AuditEvent))}
    assert "user:reset_password" in tags


def test_the_link_lasts_an_hour_and_only_the_newest_works(
        client, make_user, quick_answer, smtp_server):
    user = make_user(Role.MEMBER)
    _ask(client, user.email)
    send_pending()
    first = _mailed_path(smtp_server)
    _ask(client, user.email)
    send_pending()
    second = _mailed_path(smtp_server)
    replaced = client.get(first)
    assert replaced.status_code == 410 and "afløst af et nyere" in replaced.text
    assert client.get(second).status_code == 200
    with frozen_at(now_utc() + timedelta(minutes=61)):
        expired = client.get(second)
        assert expired.status_code == 410 and "udløbet" in expired.text
        assert client.post(second, data={"password": NEW, "confirm": NEW}).status_code == 410
    unknown = client.get("/nulstil-adgangskode/forkert")
    assert unknown.status_code == 410 and "Linket findes ikke" in unknown.text


def test_a_reset_also_answers_a_waiting_invitation(app, client, make_user, quick_answer,
                                                   smtp_server):
    from hoering.accounts import invitations

    user = accounts.create_user(name="Ny Bruger", email="ny@ballerup.dk", role=Role.MEMBER,
                                password=None, actor=None)
    db.session.flush()
    invitation = invitations.invite(user, actor=None)
    db.session.commit()
    _ask(client, user.email)
    send_pending()
    assert client.post(_mailed_path(smtp_server),
                       data={"password": NEW, "confirm": NEW}).status_code == 302
    path = invitation.split("hoering.kommune.dk", 1)[-1].replace("http://127.0.0.1:5000", "")
    assert client.get(path).status_code == 410  # the invitation no longer works


@pytest.fixture
def limits(app, monkeypatch):
    def set_limits(*, client: str, address: str) -> None:
        monkeypatch.setitem(app.config, "ACCOUNT_MAIL_RATE_LIMIT", client)
        monkeypatch.setitem(app.config, "ACCOUNT_MAIL_ADDRESS_RATE_LIMIT", address)
        limiter.reset()

    yield set_limits
    limiter.reset()


def test_asking_is_limited_per_address(client, make_user, quick_answer, limits):
    limits(client="100 per minute", address="2 per hour")
    make_user(Role.MEMBER, email="kendt@ballerup.dk")
    assert [_ask(client, "kendt@ballerup.dk").status_code for _ in range(3)] == [200, 200, 429]
    refused = _ask(client, "Kendt@Ballerup.dk")  # the same address, however it is written
    assert refused.status_code == 429
    assert "Vent lidt" in refused.text and 'value="Kendt@Ballerup.dk"' in refused.text
    assert _outbox() == 2
    assert _ask(client, "anden@ballerup.dk").status_code == 200  # another address: yes


def test_asking_is_limited_per_client(client, quick_answer, limits):
    limits(client="3 per minute", address="100 per hour")
    answers = [_ask(client, f"adresse{n}@ballerup.dk").status_code for n in range(4)]
    assert answers == [200, 200, 200, 429]


def test_an_administrator_sends_a_link_instead_of_typing_a_password(
        client, login_as, make_user, smtp_server):
    login_as(Role.ADMIN)
    user = make_user(Role.MEMBER, email="mette@ballerup.dk")
    page = client.get(f"/brugere/{user.id}/adgangskode")
    assert page.status_code == 200 and "Vil du sende" in page.text
    assert 'type="password"' not in page.text
    assert client.post(f"/brugere/{user.id}/adgangskode").status_code == 302
    send_pending()
    assert smtp_server.messages[-1]["To"] == "mette@ballerup.dk"
    assert _mailed_path(smtp_server)
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "auth:password_reset_request")).one()
    assert event.object_id == user.id


def test_asking_needs_the_csrf_token(app, make_user):
    make_user(Role.MEMBER, email="kendt@ballerup.dk")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = app.test_client().post("/glemt-adgangskode",
                                          data={"email": "kendt@ballerup.dk"})
        assert response.status_code == 400
        assert _outbox() == 0
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
