"""Single sign-on in a real browser: the login page's button, through the loopback OpenID
Connect provider (tests/oidc_provider.py), to the dashboard; and an invitation's "use the
provider instead of a password", a form whose redirect leaves for the provider (which
the page's Content-Security-Policy must allow)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from hoering.accounts import identities, invitations
from hoering.accounts import operations as accounts
from hoering.accounts.identities import BoundBy
from hoering.accounts.models import Role
from hoering.audit.models import AuditEvent
from hoering.core.db import db
from tests.browser.conftest import accessibility_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.commits]  # a live server thread reads the data


def test_staff_logs_in_with_the_sso_button_and_sees_the_dashboard(
        live_server, page, make_user, sso_config, oidc_provider):
    sso_config(PUBLIC_BASE_URL=live_server)
    staff = make_user(Role.STAFF, name="Louise Kjær Andersen")
    identities.bind_identity(staff, issuer=oidc_provider.issuer, subject="oid-louise",
                             how=BoundBy.ADMINISTRATOR, actor=None)
    db.session.commit()
    oidc_provider.next_subject = "oid-louise"

    page.goto(f"{live_server}/login")
    violations = accessibility_violations(page)
    assert violations == [], describe(violations)
    page.get_by_role("link", name="Log ind med Testkommunens login").click()

    page.get_by_role("heading", name="Overblik", level=1).wait_for()
    assert page.url == f"{live_server}/"
    assert "Velkommen, Louise Kjær Andersen." in page.content()
    db.session.expire_all()
    event = db.session.query(AuditEvent).filter_by(action="auth:sso_login").one()
    assert event.actor_id == staff.id


def test_an_invited_user_chooses_sso_instead_of_a_password(
        live_server, page, sso_config, oidc_provider):
    sso_config(PUBLIC_BASE_URL=live_server)
    user = accounts.create_user(name="Maja Holm", email="maja@kommune.dk", role=Role.MEMBER,
                                password=None, actor=None)
    path = urlsplit(invitations.invite(user, actor=None)).path
    db.session.commit()
    oidc_provider.next_subject = "oid-maja"

    page.goto(f"{live_server}{path}")
    violations = accessibility_violations(page)
    assert violations == [], describe(violations)
    page.get_by_role("button", name="Brug Testkommunens login i stedet for en adgangskode").click()

    page.get_by_role("heading", name="Overblik", level=1).wait_for()
    assert page.url == f"{live_server}/"
    db.session.expire_all()
    identity = identities.find_identity(oidc_provider.issuer, "oid-maja")
    assert identity is not None and identity.user_id == user.id
