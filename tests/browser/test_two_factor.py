"""A staff member whose role requires two-factor logs in for the first time: the
enrolment comes before anything else (the key read off the page, the code computed as an
app would), then the recovery codes; logged out and in again, the code page asks for
the app's code. Every page on the way passes the WCAG 2.1 A/AA check."""

from __future__ import annotations

import time

import pyotp
import pytest

from hoering.accounts import two_factor
from hoering.accounts.models import Role
from hoering.audit.models import AuditEvent
from hoering.core.db import db
from tests.browser.conftest import accessibility_violations, describe
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.commits]  # a live server thread reads the data


def _assert_accessible(page, where: str) -> None:
    violations = accessibility_violations(page)
    assert violations == [], f"{where}: {describe(violations)}"


def _log_in_with_password(page, live_server: str, email: str) -> None:
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()


def test_staff_enrols_at_the_first_login_and_then_logs_in_with_a_code(
        app, live_server, page, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "TWO_FACTOR_REQUIRED_ROLES", ("admin", "staff"))
    staff = make_user(Role.STAFF, name="Louise Kjær Andersen", email="louise@kommune.dk")

    _log_in_with_password(page, live_server, staff.email)
    page.get_by_role("heading", name="Opsæt totrinsbekræftelse", level=1).wait_for()
    assert page.url == f"{live_server}/login/tofaktor"
    assert page.get_by_role("img", name="QR-kode til godkendelsesappen").is_visible()
    _assert_accessible(page, "enrolment page")
    page.goto(f"{live_server}/")  # nothing else before the enrolment
    assert page.url.startswith(f"{live_server}/login?")

    _log_in_with_password(page, live_server, staff.email)
    totp = pyotp.TOTP(page.locator("#hemmelig-noegle").inner_text().replace(" ", ""))
    page.get_by_label("Kode fra appen").fill("000000" if totp.now() != "000000" else "111111")
    page.get_by_role("button", name="Slå totrinsbekræftelse til").click()
    page.locator("#code-error").get_by_text("Koden passer ikke.").wait_for()
    _assert_accessible(page, "enrolment page with an error")
    page.get_by_label("Kode fra appen").fill(totp.now())
    page.get_by_role("button", name="Slå totrinsbekræftelse til").click()

    page.get_by_role("heading", name="Dine gendannelseskoder", level=1).wait_for()
    assert page.locator(".recovery-codes li").count() == 10
    _assert_accessible(page, "recovery codes")
    page.get_by_role("link", name="Jeg har gemt koderne – fortsæt").click()
    page.get_by_role("heading", name="Overblik", level=1).wait_for()

    page.get_by_role("button", name="Log ud").click()
    _log_in_with_password(page, live_server, staff.email)
    page.get_by_role("heading", name="Log ind: kode", level=1).wait_for()
    _assert_accessible(page, "code page")
    page.goto(f"{live_server}/")  # the password alone is no login
    assert page.url.startswith(f"{live_server}/login?")
    _log_in_with_password(page, live_server, staff.email)
    page.get_by_label("Kode", exact=True).fill("000000" if totp.now() != "000000" else "111111")
    page.get_by_role("button", name="Log ind").click()
    page.locator("#code-error").get_by_text("Koden er forkert eller allerede brugt.").wait_for()
    _assert_accessible(page, "code page with an error")
    # the enrolment used this step's code: an app shows the next one a little later
    page.get_by_label("Kode", exact=True).fill(totp.at(time.time() + two_factor.STEP_SECONDS))
    page.get_by_role("button", name="Log ind").click()

    page.get_by_role("heading", name="Overblik", level=1).wait_for()
    assert "Velkommen, Louise Kjær Andersen." in page.content()
    db.session.expire_all()
    actions = [e.action for e in db.session.query(AuditEvent).order_by(AuditEvent.id)
               if e.action.startswith(("auth:two_factor", "user:two_factor"))]
    assert actions == ["user:two_factor_enrol", "auth:two_factor_failed",
                       "auth:two_factor_passed"]
