"""A committee secretary drafts and submits the committee's response in the browser; staff
then see it in the inbox. Every page passes the WCAG 2.1 A/AA check."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hoering.accounts import operations as accounts
from hoering.accounts.models import Role
from hoering.consultations import operations as consultations
from hoering.consultations.models import Remark, ResponseStatus
from hoering.core.db import db, now_utc
from hoering.policies import operations as policies
from hoering.policies.draft_split import DraftSection
from tests.browser.conftest import accessibility_violations, describe
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.commits]  # a live server thread reads the data


def _assert_accessible(page, where: str) -> None:
    violations = accessibility_violations(page)
    assert violations == [], f"{where}: {describe(violations)}"


def _log_in(page, live_server, user) -> None:
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.get_by_role("heading", name="Overblik", level=1).wait_for()


@pytest.fixture
def open_consultation(make_user, make_body):
    sou = make_body("SOU", "Socialudvalget")
    secretary = make_user(Role.MEMBER, name="Camilla Thorsen")
    accounts.add_membership(secretary, sou, is_secretary=True, actor=None)
    policy = policies.create_policy(
        title="Politiske principper for digitalisering", journal_number="85.13.00-P00-1-23",
        description="", owner_body=sou, actor=None,
    )
    version = policies.create_version(policy, [
        DraftSection("Rammesætning", "Vi vil mere med digitalisering."),
        DraftSection("Princip 1: Vi digitaliserer ambitiøst og inkluderende", "Tekst."),
        DraftSection("Princip 2: Vi skaber sammenhæng", "Tekst."),
    ], actor=None)
    consultation = consultations.create_consultation(
        version, title="Høring om digitaliseringsprincipperne", opens_on=now_utc().date(),
        closes_at=now_utc() + timedelta(days=14), invitation_text="Send jeres bemærkninger.",
        public=False, bodies=[sou], actor=None,
    )
    consultations.open_consultation(consultation, actor=None)
    db.session.commit()
    return consultation, secretary


def test_secretary_submits_the_committees_response(live_server, page, open_consultation,
                                                   make_user):
    consultation, secretary = open_consultation
    _log_in(page, live_server, secretary)

    page.get_by_role("link", name="Mine høringer").click()
    page.get_by_role("heading", name="Høring om digitaliseringsprincipperne").wait_for()
    _assert_accessible(page, "my consultations")
    page.get_by_role("link", name="Høringssvar fra Socialudvalget").click()
    page.get_by_role("heading", name="Høringssvar fra Socialudvalget").wait_for()
    _assert_accessible(page, "empty draft")

    page.get_by_role("button", name="Gem bemærkning i kladden").click()
    # an empty remark is refused: the error summary and the field say so
    page.get_by_text("Feltet skal udfyldes.", exact=True).wait_for()
    # and no part of the draft is chosen for the member: the framing is no default
    page.get_by_text("Vælg den del af udkastet, bemærkningen handler om.", exact=True).wait_for()
    _assert_accessible(page, "draft with a validation error")

    page.get_by_label("Hvilken del af udkastet").select_option(
        label="Princip 1: Vi digitaliserer ambitiøst og inkluderende")
    remark_field = page.get_by_label("Bemærkning", exact=True)
    remark_field.fill("Der kan arbejdes med formuleringen om kerneydelsen.")
    page.get_by_role("button", name="Gem bemærkning i kladden").click()
    page.get_by_text("Bemærkningen er gemt i kladden.").wait_for()
    page.get_by_label("Hvilken del af udkastet").select_option(
        label="Generelle opmærksomhedspunkter – fx om implementeringen, ikke om et bestemt "
              "afsnit")
    remark_field.fill("Tidlig inddragelse er vigtig.")
    page.get_by_role("button", name="Gem bemærkning i kladden").click()
    page.get_by_text("Tidlig inddragelse er vigtig.").wait_for()
    _assert_accessible(page, "draft with two remarks")

    page.get_by_role("link", name="Indsend høringssvar").click()
    _assert_accessible(page, "submit confirmation")
    page.get_by_role("button", name="Indsend høringssvar").click()
    page.get_by_text("Høringssvaret fra Socialudvalget er indsendt.").wait_for()
    assert page.get_by_role("button", name="Gem bemærkning i kladden").count() == 0

    db.session.expire_all()
    remarks = db.session.query(Remark).order_by(Remark.id).all()
    assert [r.original_text for r in remarks] == [
        "Der kan arbejdes med formuleringen om kerneydelsen.",
        "Tidlig inddragelse er vigtig.",
    ]
    assert remarks[0].section.heading.startswith("Princip 1")
    assert remarks[1].section is None
    assert remarks[0].response.status is ResponseStatus.SUBMITTED
    assert remarks[0].response.submitted_by_id == secretary.id

    # staff see it in the inbox and answer it
    page.get_by_role("button", name="Log ud").click()
    staff = make_user(Role.STAFF)
    _log_in(page, live_server, staff)
    page.goto(f"{live_server}/hoeringer/{consultation.id}")
    _assert_accessible(page, "consultation page")
    page.get_by_role("link", name="Behandl bemærkninger").click()
    page.get_by_text("0 af 2 besvaret, 0 godkendt").wait_for()
    _assert_accessible(page, "inbox")
    page.get_by_role("link", name="Der kan arbejdes med formuleringen om kerneydelsen.").click()
    _assert_accessible(page, "remark page")
    page.get_by_label("Administrationens bemærkning").fill("Dette er indarbejdet.")
    page.get_by_label("Behandling").select_option(label="Indarbejdet")
    page.get_by_role("button", name="Gem svar").click()
    page.get_by_text("Svaret er gemt og afventer godkendelse.").wait_for()
    _assert_accessible(page, "remark page with reply")
