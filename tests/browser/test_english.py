"""The app in English in a browser whose language is English: a citizen responds to a
public consultation and gets an English receipt, staff work on the demo's consultation,
and every page passes the WCAG 2.1 A/AA check with ``<html lang="en">``; the switch in the
header goes back to Danish, and the choice holds on the next pages."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from hoering.accounts.models import Role
from hoering.consultations.models import Consultation
from hoering.core.db import db
from hoering.demo.loader import load_demo
from hoering.outbox.models import OutboxMessage
from tests.browser.conftest import accessibility_violations, describe
from tests.conftest import PASSWORD
from tests.public.factories import public_consultation

pytestmark = [pytest.mark.browser, pytest.mark.commits]  # a live server thread reads the data


@pytest.fixture
def english_page(browser):
    context = browser.new_context(locale="en-GB", timezone_id="Europe/Copenhagen")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def _assert_accessible_in(page, language: str, where: str) -> None:
    assert page.evaluate("document.documentElement.lang") == language, where
    violations = accessibility_violations(page)
    assert violations == [], f"{where}: {describe(violations)}"


def test_a_citizen_responds_in_english_and_switches_to_danish(live_server, english_page):
    page = english_page
    consultation = public_consultation()
    culture = consultation.version.sections[1]
    page.goto(f"{live_server}/offentlige-hoeringer")
    page.get_by_role("heading", name="Public consultations", level=1).wait_for()
    _assert_accessible_in(page, "en", "the list")
    page.get_by_role("link", name=consultation.title).click()
    page.get_by_role("heading", name=consultation.title, level=1).wait_for()
    _assert_accessible_in(page, "en", "the consultation page with the form")

    page.locator("summary", has_text=culture.heading).click()  # the section is folded
    page.get_by_label(f"Remarks on “{culture.heading}” (optional)").fill(
        "Biblioteket i Skovlunde skal bevares.")
    page.get_by_label("Name", exact=True).fill("Ida Jensen")
    page.get_by_label("E-mail", exact=True).fill("ida-ved-example.dk")  # no @: an error
    page.get_by_role("button", name="Submit response").click()
    summary = page.get_by_role("alert")
    summary.wait_for()
    assert "Enter a valid e-mail address" in summary.inner_text()
    _assert_accessible_in(page, "en", "the form with an error")

    page.get_by_label("E-mail", exact=True).fill("ida@example.dk")
    page.get_by_role("button", name="Submit response").click()
    page.get_by_role("heading", name="Thank you for your response", level=1).wait_for()
    _assert_accessible_in(page, "en", "the receipt")
    db.session.expire_all()
    receipt = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "receipt"))
    assert receipt.subject.startswith("Receipt for response")
    assert receipt.body_text.startswith("Dear Ida Jensen")

    page.get_by_role("button", name="Dansk").click()  # the switch, back on the same page
    page.get_by_role("heading", name="Tak for dit høringssvar", level=1).wait_for()
    _assert_accessible_in(page, "da", "the receipt in Danish")
    page.goto(f"{live_server}/offentlige-hoeringer")  # the choice holds
    page.get_by_role("heading", name="Offentlige høringer", level=1).wait_for()
    assert page.evaluate("document.documentElement.lang") == "da"
    page.get_by_role("button", name="English").click()
    page.get_by_role("heading", name="Public consultations", level=1).wait_for()


def test_staff_pages_in_english_are_accessible(live_server, english_page, make_user):
    page = english_page
    load_demo()
    db.session.commit()
    culture = db.session.scalars(select(Consultation).where(Consultation.public)).one()
    principles = db.session.scalars(select(Consultation).where(
        Consultation.public.is_(False)).order_by(Consultation.id)).first()
    user = make_user(Role.STAFF)
    page.goto(f"{live_server}/login")
    _assert_accessible_in(page, "en", "the login page")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Dashboard", level=1).wait_for()
    _assert_accessible_in(page, "en", "the dashboard")

    for path in [
        "/sager",
        f"/hoeringer/{culture.id}",
        f"/hoeringer/{culture.id}/bemaerkninger",
        f"/hoeringer/{principles.id}/notat",
        f"/politikker/{principles.version.policy_id}",
    ]:
        answer = page.goto(f"{live_server}{path}")
        assert answer.status == 200, path
        _assert_accessible_in(page, "en", path)
