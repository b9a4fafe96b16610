"""A citizen responds to a public consultation in the browser, without an account: a
validation error keeps what they typed and leads to the field, a response with an
attachment gets a receipt; everything works with the keyboard alone, and the public
pages pass the WCAG 2.1 A/AA check."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from hoering.consultations import operations as consultation_ops
from hoering.consultations.models import Response
from hoering.core.db import db
from hoering.outbox.models import OutboxMessage
from hoering.public import operations as public_ops
from tests.browser.conftest import accessibility_violations, describe
from tests.public.factories import PDF_BYTES, public_consultation

pytestmark = [pytest.mark.browser, pytest.mark.commits]  # a live server thread reads the data


def _assert_accessible(page, where: str) -> None:
    violations = accessibility_violations(page)
    assert violations == [], f"{where}: {describe(violations)}"


def test_a_citizen_fixes_an_error_attaches_a_file_and_gets_a_receipt(
    live_server, page, tmp_path
):
    consultation = public_consultation()
    culture = consultation.version.sections[1]
    page.goto(f"{live_server}/offentlige-hoeringer")
    _assert_accessible(page, "the list")
    page.get_by_role("link", name=consultation.title).click()
    page.get_by_role("heading", name=consultation.title, level=1).wait_for()
    _assert_accessible(page, "the consultation page with the form")

    # the draft's sections are folded; a section opens on its heading
    page.locator("summary", has_text=culture.heading).click()
    page.get_by_label(f"Bemærkninger til »{culture.heading}« (valgfrit)").fill(
        "Biblioteket i Skovlunde skal bevares.")
    page.get_by_label("Dit høringssvar").fill("Tak for et godt udkast.")
    page.get_by_label("Navn", exact=True).fill("Ida Jensen")
    page.get_by_label("E-mail", exact=True).fill("ida-ved-example.dk")  # no @: an error
    page.get_by_role("button", name="Indsend høringssvar").click()

    summary = page.get_by_role("alert")
    summary.wait_for()
    assert "Skriv en gyldig e-mailadresse" in summary.inner_text()
    # the typed text is all still there
    assert page.get_by_label("Dit høringssvar").input_value() == "Tak for et godt udkast."
    assert page.get_by_label(f"Bemærkninger til »{culture.heading}« (valgfrit)").input_value() \
        == "Biblioteket i Skovlunde skal bevares."
    assert page.get_by_label("Navn", exact=True).input_value() == "Ida Jensen"
    _assert_accessible(page, "the form with an error")
    # the summary's link takes the person to the field
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "email"

    page.get_by_label("E-mail", exact=True).fill("ida@example.dk")
    attachment = tmp_path / "mit svar.pdf"
    attachment.write_bytes(PDF_BYTES)
    page.get_by_label("Vedhæft filer (valgfrit)").set_input_files(str(attachment))
    page.get_by_label("Mit navn må offentliggøres sammen med mit høringssvar").check()
    page.get_by_role("button", name="Indsend høringssvar").click()

    page.get_by_role("heading", name="Tak for dit høringssvar", level=1).wait_for()
    number = page.locator(".receipt-number").inner_text()
    assert re.fullmatch(r"H-\d{4}-\d{6}", number)
    assert "mit svar.pdf" in page.content()
    _assert_accessible(page, "the receipt")

    db.session.expire_all()
    [response] = db.session.scalars(select(Response)).all()
    assert response.submitter.receipt_number == number
    assert [a.filename for a in response.attachments] == ["mit svar.pdf"]
    assert response.attachments[0].content == PDF_BYTES
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "receipt"))
    assert message.to_address == "ida@example.dk" and number in message.body_text


def test_the_form_works_with_the_keyboard_alone(live_server, page):
    consultation = public_consultation()
    first_section = consultation.version.sections[0]
    page.goto(f"{live_server}/offentlige-hoeringer/{consultation.id}")
    page.get_by_label("Navn", exact=True).focus()  # the person's details come first
    page.keyboard.type("Tastatur Tove")
    reached = set()
    opened = False
    for _ in range(40):  # tab through the rest of the form to the button
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "({id: document.activeElement.id, tag: document.activeElement.tagName,"
            " text: document.activeElement.innerText})")
        reached.add(focused["id"])
        if focused["id"] == "email":
            page.keyboard.type("tove@example.dk")
        elif focused["id"] == "publish_name":
            page.keyboard.press("Space")
        elif focused["id"] == "general_text":
            page.keyboard.type("Svar skrevet med tastaturet.")
        elif focused["tag"] == "SUMMARY" and not opened:  # opens the first folded section
            page.keyboard.press("Enter")
            opened = True
        elif focused["id"] == f"section-{first_section.id}":
            page.keyboard.type("Et afsnit, åbnet med tastaturet.")
        elif focused["text"] == "Indsend høringssvar":
            page.keyboard.press("Enter")
            break
    assert "website" not in reached  # the honeypot is out of the tab order
    assert f"section-{first_section.id}" in reached
    page.get_by_role("heading", name="Tak for dit høringssvar", level=1).wait_for()
    db.session.expire_all()
    response = db.session.scalar(select(Response))
    assert response.submitter.name == "Tastatur Tove" and response.submitter.publish_name
    assert sorted(r.original_text for r in response.remarks) == [
        "Et afsnit, åbnet med tastaturet.", "Svar skrevet med tastaturet."]


def test_published_responses_and_the_closed_page_are_accessible(live_server, page, make_user):
    from hoering.accounts.models import Role

    consultation = public_consultation()
    public_ops.submit_public_response(consultation, public_ops.PublicSubmission(
        token="b" * 32, name="Synlig Sørensen", email="s@example.dk", publish_name=True,
        organisation="Ballerup Roklub", general_text="Flere bådpladser."))
    consultation_ops.publish_responses(consultation, actor=make_user(Role.STAFF))
    db.session.commit()
    page.goto(f"{live_server}/offentlige-hoeringer/{consultation.id}")
    page.get_by_role("heading", name="Indkomne høringssvar (1)").wait_for()
    assert "Synlig Sørensen, Ballerup Roklub" in page.content()
    _assert_accessible(page, "the page with published responses")
