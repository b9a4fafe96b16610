"""First-run set-up and invitations: ``flask --app hoering setup`` on an empty database
creates the municipality's settings and the first administrator and prints the
administrator's invitation link; the link's page changes nothing until the POST with the
chosen password, which uses it up; a used, expired or unknown link explains itself.
A user an administrator creates gets the link by e-mail (read from the real SMTP test
server); it can be sent again, and an expired one renewed from its page."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlsplit

from sqlalchemy import func, select

from hoering.accounts.models import Role, User
from hoering.accounts.tokens import AccessToken
from hoering.audit.models import AuditEvent
from hoering.core.clock import frozen_at
from hoering.core.db import db, now_utc
from hoering.mail.sender import send_pending
from hoering.municipality.settings import current_settings
from hoering.outbox.models import OutboxMessage
from tests.conftest import login

STRONG = "blæksprutte cykelhjelm tagrende vinduespudser"


def _setup(app, email="louise@ballerup.dk"):
    return app.test_cli_runner().invoke(args=[
        "setup", "--municipality", "Ballerup Kommune", "--admin-name", "Louise Kjær",
        "--admin-email", email])


def _path(output: str) -> str:
    link = output.strip().splitlines()[-1]
    assert re.fullmatch(r"https?://\S+/invitation/[A-Za-z0-9_-]{40,}", link), link
    return urlsplit(link).path


def test_setup_creates_the_settings_and_an_admin_and_prints_the_link_last(app):
    result = _setup(app)
    assert result.exit_code == 0, result.output
    assert current_settings().name == "Ballerup Kommune"
    admin = db.session.scalars(select(User)).one()
    assert admin.role is Role.ADMIN and admin.email == "louise@ballerup.dk"
    plain = _path(result.output).rsplit("/", 1)[1]
    token = db.session.scalars(select(AccessToken)).one()
    assert token.token_hash != plain and plain not in str(token.token_hash)  # hash only
    again = _setup(app, email="anden@ballerup.dk")
    assert again.exit_code == 1 and "allerede brugere" in again.output
    assert db.session.scalar(select(func.count(User.id))) == 1


def test_the_link_opens_a_page_and_only_the_post_uses_it(app, client):
    path = _path(_setup(app).output)
    for _ in range(2):  # a mail scanner opening the link uses nothing up
        page = client.get(path)
        assert page.status_code == 200 and "Vælg din adgangskode" in page.text
    assert db.session.scalars(select(AccessToken)).one().used_at is None
    weak = client.post(path, data={"password": "louise kjær 2024", "confirm": "louise kjær 2024"})
    assert weak.status_code == 200 and "Vælg din adgangskode" in weak.text
    assert db.session.scalars(select(AccessToken)).one().used_at is None
    done = client.post(path, data={"password": STRONG, "confirm": STRONG})
    assert done.status_code == 302 and done.headers["Location"].endswith("/login")
    admin = db.session.scalars(select(User)).one()
    assert login(client, admin, STRONG).status_code == 302
    used = client.get(path)
    assert used.status_code == 410 and "allerede brugt" in used.text
    actions = [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert "user:invite" in actions and "user:set_password" in actions


def test_an_invited_user_cannot_log_in_before_choosing_a_password(app, client):
    _setup(app)
    admin = db.session.scalars(select(User)).one()
    for guess in ("", "!invited", STRONG):
        assert login(client, admin, guess).status_code != 302


def test_an_expired_or_unknown_link_explains_itself(app, client):
    path = _path(_setup(app).output)
    with frozen_at(now_utc() + timedelta(days=8)):
        expired = client.get(path)
    assert expired.status_code == 410 and "udløbet" in expired.text
    unknown = client.get("/invitation/forkert")
    assert unknown.status_code == 410 and "Linket findes ikke" in unknown.text


# --- invitations by e-mail: creating a user, re-sending, renewing an expired one ------


def _mailed_path(smtp_server, index: int = -1) -> str:
    """The invitation link's path in a message the real SMTP test server received."""
    content = smtp_server.messages[index].get_content()
    link = re.search(r"https://hoering\.kommune\.dk(/invitation/[A-Za-z0-9_-]{40,})", content)
    assert link, content
    return link.group(1)


def _create(client, **extra):
    return client.post("/brugere/ny", data={
        "name": "Mette Frederiksen", "email": "mette@ballerup.dk", "role": "member",
        "active": "y", **extra})


def test_a_new_user_gets_an_invitation_and_chooses_the_password(
        app, client, login_as, smtp_server):
    admin = login_as(Role.ADMIN)
    created = _create(client)
    assert created.status_code == 302
    user = db.session.scalars(select(User).where(User.email == "mette@ballerup.dk")).one()
    assert user.password_hash == "!invited"
    assert "en invitation er sendt til mette@ballerup.dk" in client.get(created.location).text
    message = db.session.scalars(select(OutboxMessage)).one()
    assert (message.kind, message.to_address) == ("account_invitation", "mette@ballerup.dk")
    assert "[[access-token:" in message.body_text  # the token exists in the e-mail alone

    assert send_pending().sent == 1
    mail = smtp_server.messages[0]
    assert mail["To"] == "mette@ballerup.dk" and "Invitation" in mail["Subject"]
    assert f"{admin.name} har oprettet en bruger til dig" in mail.get_content()
    path = _mailed_path(smtp_server)
    visitor = app.test_client()
    assert visitor.get(path).status_code == 200  # opening it uses nothing up
    assert visitor.post(path, data={"password": STRONG, "confirm": STRONG}).status_code == 302
    assert login(visitor, user, STRONG).status_code == 302


def test_a_test_account_gets_the_typed_password_and_no_invitation(client, login_as):
    login_as(Role.ADMIN)
    page = client.get("/brugere/ny").text
    assert "Kun til afprøvning" in page and "Testkonto" in page
    missing = _create(client, test_account="y")
    assert missing.status_code == 200 and "Skriv testkontoens adgangskode" in missing.text
    assert 'value="mette@ballerup.dk"' in missing.text  # what was typed stays
    assert db.session.scalar(select(func.count(User.id)).where(
        User.email == "mette@ballerup.dk")) == 0
    created = _create(client, test_account="y", password=STRONG, confirm=STRONG)
    assert created.status_code == 302
    user = db.session.scalars(select(User).where(User.email == "mette@ballerup.dk")).one()
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0
    assert login(client.application.test_client(), user, STRONG).status_code == 302


def test_a_typed_password_without_the_test_account_box_is_ignored(client, login_as):
    login_as(Role.ADMIN)
    assert _create(client, password=STRONG, confirm=STRONG).status_code == 302
    user = db.session.scalars(select(User).where(User.email == "mette@ballerup.dk")).one()
    assert user.password_hash == "!invited"


def test_resending_replaces_the_link_and_the_page_shows_the_state(
        app, client, login_as, smtp_server):
    login_as(Role.ADMIN)
    _create(client)
    user = db.session.scalars(select(User).where(User.email == "mette@ballerup.dk")).one()
    send_pending()
    first = _mailed_path(smtp_server)
    page = client.get(f"/brugere/{user.id}").text
    assert "har endnu ikke valgt sin adgangskode" in page and "Send invitationen igen" in page

    assert client.post(f"/brugere/{user.id}/invitation").status_code == 302
    send_pending()
    second = _mailed_path(smtp_server)
    assert second != first
    visitor = app.test_client()
    old = visitor.get(first)
    assert old.status_code == 410 and "trukket tilbage" in old.text
    assert visitor.post(second, data={"password": STRONG, "confirm": STRONG}).status_code == 302
    assert "Send invitationen igen" not in client.get(f"/brugere/{user.id}").text
    again = client.post(f"/brugere/{user.id}/invitation", follow_redirects=True)
    assert "har allerede valgt en adgangskode" in again.text


def test_an_expired_invitation_offers_a_new_one_to_the_accounts_own_address(
        app, client, login_as, smtp_server):
    login_as(Role.ADMIN)
    _create(client)
    send_pending()
    path = _mailed_path(smtp_server)
    visitor = app.test_client()
    assert visitor.post(f"{path}/ny").status_code == 302  # not expired: nothing sent
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 1
    later = now_utc() + timedelta(days=8)
    with frozen_at(later):
        expired = visitor.get(path)
        assert expired.status_code == 410 and "Send mig en ny invitation" in expired.text
        renewed = visitor.post(f"{path}/ny")
        assert renewed.status_code == 302 and renewed.location.endswith("/login")
        send_pending()
    assert smtp_server.messages[-1]["To"] == "mette@ballerup.dk"
    assert len(smtp_server.messages) == 2
    with frozen_at(later):
        assert visitor.get(_mailed_path(smtp_server)).status_code == 200


def test_the_invitation_pages_keep_the_link_to_themselves(app, client):
    path = _path(_setup(app).output)
    page = client.get(path)
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert page.headers["Cache-Control"] == "no-store"


def test_invitation_events_carry_no_address_or_token(client, login_as, smtp_server):
    login_as(Role.ADMIN)
    _create(client)
    send_pending()
    plain = _mailed_path(smtp_server).rsplit("/", 1)[1]
    user = db.session.scalars(select(User).where(User.email == "mette@ballerup.dk")).one()
    events = db.session.scalars(select(AuditEvent).where(
        AuditEvent.object_type == "user", AuditEvent.object_id == user.id,
        AuditEvent.action.in_(["user:create", "user:invite"]))).all()
    assert len(events) == 2
    for event in events:
        assert "mette@ballerup.dk" not in str(event.changes) and plain not in str(event.changes)
