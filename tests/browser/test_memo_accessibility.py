"""The memo of the demo consultation, its standalone HTML draft and the comparison of the
revised draft pass the WCAG 2.1 A/AA check, as staff see them."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from hoering.accounts.models import Role
from hoering.consultations.models import Consultation
from hoering.core.db import db
from hoering.demo.loader import load_demo
from hoering.policies.models import Policy, PolicyVersion
from tests.browser.conftest import accessibility_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.commits]  # a live server thread reads the data

DEMO_JOURNAL_NUMBER = "85.13.00-P00-1-23"


def _assert_accessible(page, where: str) -> None:
    violations = accessibility_violations(page)
    assert violations == [], f"{where}: {describe(violations)}"


@pytest.fixture
def demo(app):
    logins = load_demo()
    db.session.commit()
    policy = db.session.scalar(select(Policy).where(Policy.journal_number == DEMO_JOURNAL_NUMBER))
    consulted_ids = select(Consultation.version_id)
    consultation = db.session.scalar(
        select(Consultation).join(PolicyVersion, PolicyVersion.id == Consultation.version_id)
        .where(PolicyVersion.policy_id == policy.id).order_by(Consultation.id)
    )
    revised = db.session.scalar(
        select(PolicyVersion)
        .where(PolicyVersion.policy_id == policy.id,
               PolicyVersion.number > consultation.version.number,
               PolicyVersion.id.not_in(consulted_ids))
        .order_by(PolicyVersion.number)
    )
    assert revised is not None, "the demo has a revised version"
    staff = next(login for login in logins if login.role is Role.STAFF)
    return consultation, revised, staff


def _log_in(page, live_server, login) -> None:
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail").fill(login.email)
    page.get_by_label("Adgangskode").fill(login.password)
    page.get_by_role("button", name="Log ind").click()
    page.get_by_role("heading", name="Overblik", level=1).wait_for()


def test_memo_pages_are_accessible(live_server, page, demo):
    consultation, revised, staff = demo
    _log_in(page, live_server, staff)

    page.goto(f"{live_server}/hoeringer/{consultation.id}/notat")
    page.get_by_role("heading", name="Høringsnotat", level=1).wait_for()
    page.get_by_role("heading", name="Høringssvar til princip 3").wait_for()
    _assert_accessible(page, "memo page")

    response = page.goto(f"{live_server}/hoeringer/{consultation.id}/notat.html")
    assert response.status == 200
    page.get_by_role("heading", name="Høringssvar til rammesætningen og overordnet").wait_for()
    assert page.locator("li").filter(has_text="Administrationens bemærkninger:").count() >= 30
    _assert_accessible(page, "memo draft as HTML")

    page.goto(f"{live_server}/politikker/versioner/{revised.id}/sammenlign")
    page.get_by_role("heading", level=1).wait_for()
    assert page.locator("del, ins").count() > 0, "the revised draft differs from the consulted"
    _assert_accessible(page, "comparison of the revised draft")
