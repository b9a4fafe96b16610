"""A new installation, as a municipality starts it: ``flask setup`` on an empty database
prints the first administrator's invitation link; the administrator chooses a password
and invites a committee member, whose invitation e-mail (read from the real SMTP test
server) is opened first by a mail scanner, which uses nothing up; the member chooses a
password from the link and logs in. A forgotten password comes back the same way. Every
page on the way passes the WCAG 2.1 A/AA check."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from hoering.accounts.models import User
from hoering.accounts.tokens import AccessToken, TokenPurpose
from hoering.core.db import db
from hoering.mail.sender import send_pending
from tests.browser.conftest import accessibility_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.commits]  # a live server thread reads the data

ADMIN_PASSWORD = "blæksprutte cykelhjelm tagrende vinduespudser"
MEMBER_PASSWORD = "solsikke trappeløb kaffekande nordlys"
NEW_PASSWORD = "havørn pladespiller regnjakke stjerneskud"


def _assert_accessible(page, where: str) -> None:
    violations = accessibility_violations(page)
    assert violations == [], f"{where}: {describe(violations)}"


def _mailed_link(smtp_server, live_server: str, path: str) -> str:
    content = smtp_server.messages[-1].get_content()
    link = re.search(rf"{re.escape(live_server)}{path}[A-Za-z0-9_-]{{40,}}", content)
    assert link, content
    return link.group(0)


def _choose_password(page, password: str, button: str = "Gem adgangskode") -> None:
    page.get_by_label("Adgangskode", exact=True).fill(password)
    page.get_by_label("Gentag adgangskode").fill(password)
    page.get_by_role("button", name=button).click()


def _log_in(page, live_server: str, email: str, password: str) -> None:
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Adgangskode").fill(password)
    page.get_by_role("button", name="Log ind").click()


def test_a_new_installation_invites_its_first_member(app, browser, page, live_server,
                                                     smtp_server, mail_config):
    mail_config(PUBLIC_BASE_URL=live_server)
    setup = app.test_cli_runner().invoke(args=[
        "setup", "--municipality", "Hedensted Kommune", "--admin-name", "Louise Kjær",
        "--admin-email", "louise@hedensted.dk"])
    assert setup.exit_code == 0, setup.output
    page.goto(setup.output.strip().splitlines()[-1])
    page.get_by_role("heading", name="Vælg din adgangskode").wait_for()
    _assert_accessible(page, "the administrator's invitation")
    _choose_password(page, ADMIN_PASSWORD)
    page.get_by_text("Din adgangskode er gemt").wait_for()
    _log_in(page, live_server, "louise@hedensted.dk", ADMIN_PASSWORD)

    page.get_by_role("link", name="Brugere", exact=True).click()
    page.get_by_role("link", name="Opret bruger").click()
    _assert_accessible(page, "the new user form")
    page.get_by_label("Navn").fill("Mette Holm")
    page.get_by_label("E-mail").fill("mette.holm@hedensted.dk")
    page.get_by_label("Rolle").select_option(label="Medlem")
    page.get_by_role("button", name="Gem").click()
    page.get_by_text("en invitation er sendt til mette.holm@hedensted.dk").wait_for()
    _assert_accessible(page, "the invited user's page")

    assert send_pending().sent == 1
    link = _mailed_link(smtp_server, live_server, "/invitation/")
    scanner = browser.new_context()  # e.g. Safe Links, opening every link in the e-mail
    assert scanner.new_page().goto(link).status == 200
    scanner.close()
    db.session.expire_all()
    member = db.session.scalars(select(User).where(
        User.email == "mette.holm@hedensted.dk")).one()
    invitation = db.session.scalars(select(AccessToken).where(
        AccessToken.user_id == member.id, AccessToken.purpose == TokenPurpose.INVITATION)).one()
    assert invitation.used_at is None

    member_page = browser.new_context(locale="da-DK").new_page()
    member_page.goto(link)
    member_page.get_by_text("Du er inviteret som Mette Holm").wait_for()
    _choose_password(member_page, MEMBER_PASSWORD)
    member_page.get_by_text("Din adgangskode er gemt").wait_for()
    _log_in(member_page, live_server, "mette.holm@hedensted.dk", MEMBER_PASSWORD)
    member_page.get_by_role("button", name="Log ud").wait_for()
    assert member_page.url.rstrip("/") == live_server
    member_page.context.close()


def test_a_forgotten_password_comes_back_by_e_mail(page, live_server, smtp_server,
                                                   mail_config, make_user):
    mail_config(PUBLIC_BASE_URL=live_server)
    user = make_user(email="lars@hedensted.dk")
    page.goto(f"{live_server}/login")
    page.get_by_role("link", name="Glemt adgangskode?").click()
    _assert_accessible(page, "the forgotten password form")
    page.get_by_label("Din e-mailadresse").fill(user.email)
    page.get_by_role("button", name="Send link").click()
    page.get_by_text("har vi sendt et link til en ny adgangskode").wait_for()
    _assert_accessible(page, "the answer")

    assert send_pending().sent == 1
    page.goto(_mailed_link(smtp_server, live_server, "/nulstil-adgangskode/"))
    _assert_accessible(page, "the new password form")
    _choose_password(page, NEW_PASSWORD)
    page.get_by_text("Din nye adgangskode er gemt").wait_for()
    _log_in(page, live_server, user.email, NEW_PASSWORD)
    page.get_by_role("button", name="Log ud").wait_for()
