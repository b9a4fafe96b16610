"""The secretariat's pace in the browser. The approver: the dashboard says which replies
wait for him and from whom; in the inbox he ticks remarks and approves their replies in
one action (his own is refused, and the summary says why), then approves all that match
the filter. The caseworker: inserts a standard reply, edits it, saves and goes on to the
next unanswered remark. The pages pass the WCAG 2.1 A/AA check."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from hoering.consultations import standard_replies
from hoering.consultations.models import Disposition, Reply
from hoering.core.db import db
from tests.browser.conftest import accessibility_violations, describe
from tests.conftest import PASSWORD
from tests.consultations.pace_world import answer, build_pace

pytestmark = [pytest.mark.browser, pytest.mark.commits]  # a live server thread reads the data


def _assert_accessible(page, where: str) -> None:
    violations = accessibility_violations(page)
    assert violations == [], f"{where}: {describe(violations)}"


def _approved() -> list[int]:
    db.session.expire_all()
    return sorted(db.session.scalars(select(Reply.remark_id).where(
        Reply.approved_at.is_not(None))))


def test_ticked_replies_approved_in_one_action(live_server, page, make_user, make_body):
    pace = build_pace(make_user, make_body, sou=6, kmu=0)
    sou = pace.sou_remarks
    answer(sou[:5], pace.anna)
    answer(sou[5:], pace.bo)

    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail").fill(pace.bo.email)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.get_by_text("5 svar venter på din godkendelse.").wait_for()
    assert page.get_by_text("5 fra Anna Andersen").is_visible()
    _assert_accessible(page, "dashboard")

    page.goto(f"{live_server}{pace.inbox_url}")
    page.get_by_label("Markér alle på siden").check()  # with JavaScript: the whole page
    assert page.locator('input[name="remark_ids"]:checked').count() == 6
    page.get_by_label("Markér alle på siden").uncheck()
    assert page.locator('input[name="remark_ids"]:checked').count() == 0
    for remark in (sou[0], sou[2], sou[5]):  # two of Anna's, and Bo's own
        page.get_by_label(f"Vælg bemærkningen: {remark.original_text}").check()
    _assert_accessible(page, "inbox with remarks ticked")
    page.get_by_role("button", name="Godkend svarene").click()

    page.get_by_text("2 svar godkendt; 1 afvist: «Du kan ikke godkende dit eget svar» (1)."
                     ).wait_for()
    assert _approved() == [sou[0].id, sou[2].id]

    page.get_by_label("Status").select_option(label="Afventer min godkendelse")
    page.get_by_role("button", name="Filtrér").click()
    page.get_by_label("Alle 3, der matcher filteret (på alle sider)").check()
    page.get_by_role("button", name="Godkend svarene").click()
    page.get_by_text("3 svar godkendt.").wait_for()
    assert _approved() == sorted(r.id for r in sou[:5])
    assert "status=awaiting_me" in page.url  # back on the same filter
    _assert_accessible(page, "inbox after approving")


def test_a_standard_reply_inserted_edited_and_saved_then_the_next(live_server, page,
                                                                   make_user, make_body):
    """The remark page's "Indsæt" (a plain form submit) and "Gem og gå til næste
    ubesvarede", as a caseworker uses them."""
    pace = build_pace(make_user, make_body, sou=2, kmu=0)
    standard_replies.create_standard_reply(
        disposition=Disposition.ALREADY_COVERED, title="Dækket af princippet",
        text="Bemærkningen vurderes allerede dækket.", actor=pace.anna)
    db.session.commit()
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail").fill(pace.anna.email)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.get_by_role("heading", name="Overblik", level=1).wait_for()

    page.goto(f"{live_server}/hoeringer/bemaerkninger/{pace.sou_remarks[0].id}")
    reply = page.get_by_label("Administrationens bemærkning")
    reply.fill("Tak for input.")
    page.get_by_label("Standardsvar").select_option(label="Dækket af princippet")
    page.get_by_role("button", name="Indsæt").click()
    page.wait_for_load_state()
    assert reply.input_value() == "Tak for input.\n\nBemærkningen vurderes allerede dækket."
    assert page.get_by_label("Behandling").input_value() == "already_covered"
    _assert_accessible(page, "remark page with a standard reply inserted")
    reply.fill(reply.input_value() + " Se princip 1.")
    page.get_by_role("button", name="Gem og gå til næste ubesvarede").click()

    page.get_by_text("Svaret er gemt. Her er den næste ubesvarede bemærkning.").wait_for()
    assert page.url.endswith(f"/hoeringer/bemaerkninger/{pace.sou_remarks[1].id}#svar")
    db.session.expire_all()
    saved = db.session.scalars(select(Reply)).one()
    assert saved.text.endswith("allerede dækket. Se princip 1.")
