"""First-run set-up and invitations: ``flask --app hoering setup`` on an empty database
creates the municipality's settings and the first administrator and prints the
administrator's invitation link; the link's page changes nothing until the POST with the
chosen password, which uses it up; a used, expired or unknown link explains itself."""

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
from hoering.municipality.settings import current_settings
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
