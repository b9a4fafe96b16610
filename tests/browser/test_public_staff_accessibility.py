"""The staff pages for public consultations (the inbox of public responses, a public
remark, the campaign groups, a group, the data request page) pass the WCAG 2.1 A/AA
check on the demo's culture consultation."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from hoering.accounts.models import Role
from hoering.consultations.models import Consultation, RemarkGroup, Response
from hoering.core.db import db
from hoering.demo.loader import load_demo
from tests.browser.conftest import accessibility_violations, describe
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.commits]  # a live server thread reads the data


def test_staff_pages_for_public_responses_are_accessible(live_server, page, make_user):
    load_demo()
    db.session.commit()
    culture = db.session.scalars(select(Consultation).where(Consultation.public)).one()
    group_id = db.session.scalars(select(RemarkGroup.id)).first()
    public_response = db.session.scalars(
        select(Response).where(Response.consultation_id == culture.id,
                               Response.body_id.is_(None)).order_by(Response.id)).first()
    user = make_user(Role.STAFF)
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.get_by_role("heading", name="Overblik", level=1).wait_for()

    for path in [
        f"/hoeringer/{culture.id}",
        f"/hoeringer/{culture.id}/bemaerkninger?organ=offentlig",
        f"/hoeringer/bemaerkninger/{public_response.remarks[0].id}",
        f"/hoeringer/{culture.id}/grupper",
        f"/hoeringer/grupper/{group_id}",
        "/persondata",
    ]:
        answer = page.goto(f"{live_server}{path}")
        assert answer.status == 200, path
        violations = accessibility_violations(page)
        assert violations == [], f"{path}: {describe(violations)}"
