"""An external union, without an account, drafts and submits its response in the browser
through the personal link of its invitation (read from the real SMTP test server). A mail
scanner opening the link first uses nothing up. Every page passes the WCAG 2.1 A/AA check."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from hoering.accounts.tokens import AccessToken
from hoering.audit.models import AuditEvent
from hoering.consultations.models import Remark, ResponseStatus
from hoering.core.db import db
from hoering.mail.sender import send_pending
from tests.browser.conftest import accessibility_violations, describe
from tests.consultations.test_consultee_links import open_consultation_for

pytestmark = [pytest.mark.browser, pytest.mark.commits]  # a live server thread reads the data


def _assert_accessible(page, where: str) -> None:
    violations = accessibility_violations(page)
    assert violations == [], f"{where}: {describe(violations)}"


@pytest.fixture
def invitation_link(live_server, smtp_server, mail_config, make_body, make_user):
    """The union's link, as its contact receives it by e-mail."""
    mail_config(PUBLIC_BASE_URL=live_server)
    consultation, union = open_consultation_for(make_body, make_user)
    assert send_pending().sent == 1
    content = smtp_server.messages[0].get_content()
    link = re.search(rf"{re.escape(live_server)}/hoeringslink/\S+", content).group(0)
    return consultation, union, link


def test_an_external_union_submits_through_its_link(browser, page, invitation_link):
    consultation, union, link = invitation_link

    scanner = browser.new_context()  # e.g. Safe Links, opening every link in the e-mail
    assert scanner.new_page().goto(link).status == 200
    scanner.close()
    db.session.expire_all()
    assert db.session.scalars(select(AccessToken)).one().used_at is None

    page.goto(link)
    page.get_by_role("heading", name="Høringssvar fra 3F Hedensted", level=1).wait_for()
    _assert_accessible(page, "the link's page")
    page.get_by_role("button", name="Fortsæt til høringssvaret").click()
    page.get_by_text("Du svarer som kontakt for 3F Hedensted").wait_for()
    _assert_accessible(page, "the union's empty draft")

    page.get_by_label("Hvilken del af udkastet").select_option(label="Princip 1: Skoler")
    page.get_by_label("Bemærkning", exact=True).fill("Skolerne skal prioriteres i 2025.")
    page.get_by_role("button", name="Gem bemærkning i kladden").click()
    page.get_by_text("Bemærkningen er gemt i kladden.").wait_for()
    _assert_accessible(page, "the union's draft with a remark")

    page.get_by_role("link", name="Indsend høringssvar").click()
    _assert_accessible(page, "the submit confirmation")
    page.get_by_role("button", name="Indsend høringssvar").click()
    page.get_by_text("Høringssvaret fra 3F Hedensted er indsendt.").wait_for()
    assert page.get_by_role("button", name="Gem bemærkning i kladden").count() == 0

    db.session.expire_all()
    remark = db.session.scalars(select(Remark)).one()
    assert remark.original_text == "Skolerne skal prioriteres i 2025."
    assert remark.section.heading == "Princip 1: Skoler"
    assert remark.response.status is ResponseStatus.SUBMITTED
    assert remark.response.body_id == union.id
    submit = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "response:submit")).one()
    assert submit.actor_label == "ekstern kontakt for 3F Hedensted"
