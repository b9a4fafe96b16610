"""An administrator sets up a body, a policy and its first version in the browser, and
every page on the way passes the WCAG 2.1 A/AA check."""

from __future__ import annotations

import pytest

from hoering.accounts.models import Role
from tests.browser.conftest import accessibility_violations, describe
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.commits]  # a live server thread reads the data

DRAFT = """Rammesætning

Vi vil mere med digitalisering.

Princip 1: Vi digitaliserer ambitiøst og inkluderende

Vi digitaliserer, hvor det skaber værdi.

Princip 2: Vi skaber sammenhæng

Borgerne oplever én kommune.
"""


def _assert_accessible(page, where: str) -> None:
    violations = accessibility_violations(page)
    assert violations == [], f"{where}: {describe(violations)}"


def test_admin_sets_up_body_policy_and_version(live_server, page, make_user):
    admin = make_user(Role.ADMIN)
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail").fill(admin.email)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()

    page.get_by_role("link", name="Organer", exact=True).click()
    _assert_accessible(page, "empty body list")
    page.get_by_role("link", name="Opret organ").click()
    page.get_by_role("button", name="Gem").click()  # empty form: errors next to fields
    page.get_by_text("Feltet skal udfyldes.").first.wait_for()
    _assert_accessible(page, "body form with errors")
    page.get_by_label("Navn").fill("Digitaliserings- og Teknologiudvalget")
    page.get_by_label("Forkortelse").fill("DTU")
    page.get_by_role("button", name="Gem").click()
    page.get_by_role("heading", name="Digitaliserings- og Teknologiudvalget (DTU)").wait_for()
    _assert_accessible(page, "body page")

    page.get_by_role("link", name="Brugere", exact=True).click()
    _assert_accessible(page, "user list")
    page.locator("#indhold").get_by_role("link", name=admin.name).click()
    _assert_accessible(page, "user page")

    page.get_by_role("link", name="Politikker", exact=True).click()
    page.get_by_role("link", name="Opret politik").click()
    page.get_by_label("Titel").fill("Politiske principper for digitalisering")
    page.get_by_label("Journalnummer (KLE)").fill("85.13.00-P00-1-23")
    _assert_accessible(page, "policy form")
    page.get_by_role("button", name="Gem").click()

    page.get_by_role("heading", name="Ny version fra tekst").wait_for()
    page.get_by_label("Udkastets tekst").fill(DRAFT)
    page.get_by_role("button", name="Vis opdeling i afsnit").click()
    page.get_by_role("heading", name="Forslag til afsnit").wait_for()
    _assert_accessible(page, "draft preview")
    page.get_by_role("button", name="Opret version med 3 afsnit").click()

    page.get_by_role("heading", name="Version 1").wait_for()
    headings = page.locator("ol.sections h2").all_inner_texts()
    assert headings == [
        "Rammesætning",
        "Princip 1: Vi digitaliserer ambitiøst og inkluderende",
        "Princip 2: Vi skaber sammenhæng",
    ]
    _assert_accessible(page, "version page")

    page.get_by_role("button", name="Flyt ned").first.click()
    page.get_by_role("heading", name="Version 1").wait_for()
    assert page.locator("ol.sections h2").first.inner_text().startswith("Princip 1")

    page.get_by_role("link", name="Lås version").click()
    _assert_accessible(page, "confirmation page")
    page.get_by_role("button", name="Lås version").click()
    page.get_by_text("Version 1 er låst.").wait_for()
    assert page.get_by_role("link", name="Tilføj afsnit").count() == 0
