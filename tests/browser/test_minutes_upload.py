"""Staff upload the Social Committee's whole referat of 9 April 2024 as a PDF in the
browser, review what was read and save it as the committee's response. The upload page
and the review page pass the WCAG 2.1 A/AA check."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from hoering.accounts.models import Role
from hoering.consultations import operations as consultations
from hoering.consultations.models import Response
from hoering.core.db import db, now_utc
from hoering.policies import operations as policies
from hoering.policies.draft_split import DraftSection
from tests import document_factory as factory
from tests.browser.conftest import accessibility_violations, describe
from tests.conftest import PASSWORD
from tests.consultations.reference import HEADINGS, OPENED_ON, REFERENCE_POSITIONS, SOURCE

pytestmark = [pytest.mark.browser, pytest.mark.commits]  # a live server thread reads the data


@pytest.fixture
def consultation(make_body):
    sou = make_body("SOU", "Socialudvalget")
    policy = policies.create_policy(
        title="Politiske principper for digitalisering", journal_number="85.13.00-P00-1-23",
        description="", owner_body=sou, actor=None,
    )
    version = policies.create_version(
        policy, [DraftSection(h, f"Tekst til {h}") for h in HEADINGS], actor=None)
    consultation = consultations.create_consultation(
        version, title="Høring om digitaliseringsprincipperne", opens_on=OPENED_ON,
        closes_at=now_utc() + timedelta(days=14), invitation_text="", public=False,
        bodies=[sou], actor=None,
    )
    consultations.open_consultation(consultation, actor=None)
    db.session.commit()
    return consultation


def test_staff_upload_a_pdf_referat_and_save_the_response(live_server, page, consultation,
                                                         make_user, tmp_path):
    staff = make_user(Role.STAFF, name="Sagsbehandler Sørensen")
    db.session.commit()
    pdf = tmp_path / "referat-socialudvalget-2024-04-09.pdf"
    pdf.write_bytes(factory.referat_pdf(factory.referat_text(),
                                        break_inside="Under princip nr. tre bør det"))
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail").fill(staff.email)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.get_by_role("heading", name="Overblik", level=1).wait_for()

    page.goto(f"{live_server}/hoeringer/{consultation.id}/referat")
    assert accessibility_violations(page) == [], describe(accessibility_violations(page))
    page.get_by_label("Referater").set_input_files(str(pdf))
    page.get_by_role("button", name="Læs referaterne").click()

    page.get_by_role("heading", name="1 dokument læst").wait_for()
    violations = accessibility_violations(page)
    assert violations == [], describe(violations)
    page.get_by_text("Punkt 6: Høring af de politiske principper for digitalisering").wait_for()
    assert page.get_by_label("Organ").input_value() == str(consultation.consultees[0].body_id)
    assert page.get_by_label("Mødedato").input_value() == "2024-04-09"
    sections = page.locator("select[name$='-section']")
    assert sections.count() == 7
    by_position = {s.position: str(s.id) for s in consultation.version.sections}
    assert [sections.nth(i).input_value() for i in range(7)] == [
        by_position[p] for p in REFERENCE_POSITIONS]
    page.get_by_role("button", name="Gem de valgte som høringssvar").click()

    page.get_by_text(f"7 bemærkninger fra {SOURCE} er gemt.").wait_for()
    db.session.expire_all()
    response = db.session.scalar(select(Response))
    assert response is not None and response.is_submitted
    assert [r.section.position for r in response.remarks] == REFERENCE_POSITIONS
