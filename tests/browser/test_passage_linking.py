"""Linking a remark to a changed passage, with the keyboard alone, on the remark page and
on the section's link-remarks page; both pages and the comparison with its downloads
pass the WCAG 2.1 A/AA check."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from hoering.accounts.models import Role
from hoering.consultations.models import ChangeLink
from hoering.core.db import db
from tests.browser.conftest import accessibility_violations, describe
from tests.conftest import PASSWORD
from tests.memos.test_views import _remarks, build_case, revise

pytestmark = [pytest.mark.browser, pytest.mark.commits]  # a live server thread reads the data


def _assert_accessible(page, where: str) -> None:
    violations = accessibility_violations(page)
    assert violations == [], f"{where}: {describe(violations)}"


def _choose_by_keyboard(page, select, value: str) -> None:
    """Focus a closed select and move through its options with the arrow key."""
    select.focus()
    for _ in range(50):
        if select.input_value() == value:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{value!r} is not reached with the keyboard")


def _links() -> dict[int, str | None]:
    db.session.expire_all()
    return {link.remark_id: link.passage for link in db.session.scalars(select(ChangeLink))}


def test_link_a_passage_with_the_keyboard(live_server, page, make_body, make_user):
    case = build_case(make_body)
    revised, changed = revise(case)
    first, second, _general = _remarks(case)
    staff = make_user(Role.STAFF)
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail").fill(staff.email)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.get_by_role("heading", name="Overblik", level=1).wait_for()

    page.goto(f"{live_server}/hoeringer/bemaerkninger/{second.id}")
    _assert_accessible(page, "remark page")
    _choose_by_keyboard(page, page.get_by_label("Ændring i den reviderede version"),
                        f"{changed.id}:alle borgere")
    page.keyboard.press("Tab")  # on to "Knyt ændring"
    page.keyboard.press("Enter")
    page.get_by_text("Ændringen er knyttet til bemærkningen.").wait_for()
    assert _links() == {second.id: "alle borgere"}

    page.goto(f"{live_server}/politikker/afsnit/{changed.id}/bemaerkninger")
    _assert_accessible(page, "link-remarks page")
    page.locator(f"#remark-{first.id}").focus()
    page.keyboard.press("Space")
    _choose_by_keyboard(page, page.locator(f"#passage-{first.id}"), "gode")
    page.get_by_role("button", name="Gem").focus()
    page.keyboard.press("Enter")
    page.get_by_text("Bemærkningerne bag ændringen er gemt.").wait_for()
    assert _links() == {first.id: "gode", second.id: "alle borgere"}

    page.goto(f"{live_server}/politikker/versioner/{revised.id}/sammenlign")
    page.get_by_role("link", name="Revideret udkast med ændringer (.docx)").wait_for()
    _assert_accessible(page, "comparison with the downloads")
