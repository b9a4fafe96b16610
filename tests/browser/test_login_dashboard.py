"""A staff member logs in through the real login form and sees the dashboard."""

from __future__ import annotations

import pytest

from hoering.accounts.models import Role
from hoering.audit.models import AuditEvent
from hoering.core.db import db
from tests.browser.conftest import accessibility_violations, describe
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.commits]  # a live server thread reads the data


def test_staff_logs_in_and_sees_the_dashboard(live_server, page, make_user, make_body):
    staff = make_user(Role.STAFF, name="Louise Kjær Andersen", email="louise@kommune.dk")
    make_body("DTU", "Digitaliserings- og Teknologiudvalget")

    page.goto(f"{live_server}/")
    assert page.url.startswith(f"{live_server}/login")
    page.get_by_label("E-mail").fill(staff.email)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()

    page.get_by_role("heading", name="Overblik", level=1).wait_for()
    assert page.url == f"{live_server}/"
    assert "Velkommen, Louise Kjær Andersen." in page.content()
    assert page.get_by_role("link", name="Politikker", exact=True).is_visible()

    db.session.expire_all()
    login_event = db.session.query(AuditEvent).filter_by(action="auth:login").one()
    assert login_event.actor_id == staff.id
    assert login_event.ip == "127.0.0.1"


def test_login_and_dashboard_pages_have_no_wcag_violations(live_server, page, make_user):
    staff = make_user(Role.STAFF)
    page.goto(f"{live_server}/login")
    violations = accessibility_violations(page)
    assert violations == [], describe(violations)

    page.get_by_label("E-mail").fill(staff.email)
    page.get_by_label("Adgangskode").fill("forkert-adgangskode")
    page.get_by_role("button", name="Log ind").click()
    page.get_by_text("Forkert e-mailadresse eller adgangskode.").wait_for()
    violations = accessibility_violations(page)
    assert violations == [], "login page with an error: " + describe(violations)

    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.get_by_role("heading", name="Overblik", level=1).wait_for()
    violations = accessibility_violations(page)
    assert violations == [], "dashboard: " + describe(violations)
