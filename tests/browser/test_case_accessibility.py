"""The case pages an auditor and staff use (case, timeline, overview, chain check, remark
trace) pass the WCAG 2.1 A/AA check on the demo."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from hoering.accounts.models import Role
from hoering.consultations.models import ChangeLink
from hoering.core.db import db
from hoering.demo.loader import load_demo
from hoering.policies.models import Policy
from tests.browser.conftest import accessibility_violations, describe
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.commits]  # a live server thread reads the data


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.STAFF])
def test_case_pages_are_accessible(live_server, page, make_user, role):
    load_demo()
    db.session.commit()
    policy = db.session.scalars(
        select(Policy).where(Policy.journal_number == "85.13.00-P00-1-23")).one()
    remark_id = db.session.scalars(select(ChangeLink.remark_id).order_by(ChangeLink.id)).first()
    user = make_user(role)
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.get_by_role("heading", name="Overblik", level=1).wait_for()

    for path, heading in [
        (f"/politikker/{policy.id}/sag", "Sagens gang"),
        (f"/politikker/{policy.id}/tidslinje", "Tidslinje"),
        ("/sager", "Sager"),
        ("/revision/kaede", "Revisionssporets kontrol"),
        (f"/hoeringer/bemaerkninger/{remark_id}/spor", None),
    ]:
        page.goto(f"{live_server}{path}")
        if heading:
            page.get_by_role("heading", name=heading, level=1).wait_for()
        violations = accessibility_violations(page)
        assert violations == [], f"{path}: {describe(violations)}"
