"""The staff page for a citizen's access request: found by receipt number and e-mail
(any case), the same answer for a wrong e-mail as for an unknown number, the JSON file
and the attachments, every disclosure audited without personal data, staff only."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from hoering.accounts.models import Role
from hoering.audit.models import AuditEvent
from hoering.consultations.models import Response
from hoering.core.db import db
from tests.privacy.factories import (
    MOMENT,
    PDF,
    RETENTION_DAYS,
    Citizen,
    citizens_of,
    public_consultation_with_responses,
)

NOT_FOUND = "Der er ikke noget høringssvar, der passer til både kvitteringsnummeret og"


@pytest.fixture
def sent(app) -> tuple[Response, Citizen]:
    """The first citizen's response (with its attachment) in a public consultation."""
    consultation, responses = public_consultation_with_responses("Kulturpolitik")
    return responses[0], citizens_of(consultation)[0]


def lookup_data(response: Response, email: str) -> dict[str, str]:
    return {"receipt_number": response.submitter.receipt_number, "email": email}


def privacy_events() -> list[AuditEvent]:
    return list(db.session.scalars(
        select(AuditEvent).where(AuditEvent.action.like("privacy:%")).order_by(AuditEvent.id)
    ))


def test_staff_find_the_data_by_receipt_number_and_email_in_any_case(client, login_as, sent):
    response, citizen = sent
    staff = login_as(Role.STAFF)
    data = {"receipt_number": f"  {response.submitter.receipt_number.lower()} ",
            "email": citizen.email.upper()}

    page = client.post("/persondata", data=data)

    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    html = page.get_data(as_text=True)
    for shown in (citizen.name, citizen.email, response.submitter.receipt_number,
                  "Kulturpolitik", "Indledning", "Indledningen bør nævne foreningslivet.",
                  "Generelle opmærksomhedspunkter", citizen.filename.replace("'", "&#39;"),
                  "Hent alle oplysninger (JSON)", "10. januar 2025"):
        assert shown in html, shown
    (event,) = privacy_events()
    assert (event.action, event.object_type, event.object_id, event.actor_id) == (
        "privacy:view", "response", response.id, staff.id)
    assert event.changes == {"viewed": {"before": None, "after": "personal_data"}}


@pytest.mark.parametrize("wrong", ["email", "receipt"])
def test_a_wrong_email_or_receipt_number_gets_the_same_answer(client, login_as, sent, wrong):
    response, citizen = sent
    login_as(Role.STAFF)
    data = lookup_data(response, citizen.email)
    if wrong == "email":
        data["email"] = "someone.else@example.dk"
    else:
        data["receipt_number"] = "H-2025-999999"

    page = client.post("/persondata", data=data)

    assert page.status_code == 404
    html = page.get_data(as_text=True)
    assert NOT_FOUND in html
    assert citizen.name not in html
    assert privacy_events() == []


def test_the_form_explains_what_is_wrong_next_to_each_field(client, login_as):
    login_as(Role.STAFF)

    page = client.post("/persondata", data={"receipt_number": "123", "email": ""})

    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'id="receipt_number-error"' in html
    assert "Skriv kvitteringsnummeret som H-2026-000123." in html
    assert 'id="email-error"' in html and "Feltet skal udfyldes." in html
    assert privacy_events() == []


def test_the_form_needs_a_csrf_token(app, client, login_as, sent):
    response, citizen = sent
    login_as(Role.STAFF)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        page = client.post("/persondata", data=lookup_data(response, citizen.email))
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert page.status_code == 400
    assert privacy_events() == []


def test_the_json_export_holds_everything_about_the_sender(client, login_as, sent):
    response, citizen = sent
    login_as(Role.ADMIN)

    download = client.post("/persondata/eksport",
                           data=lookup_data(response, citizen.email.lower()))

    assert download.status_code == 200
    assert download.mimetype == "application/json"
    number = response.submitter.receipt_number
    assert download.headers["Content-Disposition"] == (
        f"attachment; filename=persondata-{number}.json")
    assert download.headers["Cache-Control"] == "no-store"
    data = json.loads(download.get_data(as_text=True))
    assert data["receipt_number"] == number
    assert data["submitted_at"] == "2025-01-10T10:00:00+00:00"
    assert data["sender"] == {"name": citizen.name, "email": citizen.email,
                              "organisation": "", "publish_name": True}
    assert data["consultation"]["title"] == "Kulturpolitik"
    assert [(r["section"], r["text"]) for r in data["remarks"]] == [
        ("Indledning", "Indledningen bør nævne foreningslivet."),
        ("Generelle opmærksomhedspunkter", "Generel bemærkning om kulturpolitikken."),
    ]
    (attachment,) = data["attachments"]
    assert (attachment["filename"], attachment["size"]) == (citizen.filename, len(PDF))
    (receipt,) = data["receipt_messages"]
    assert receipt["to_address"] == citizen.email
    assert citizen.name in receipt["body_text"]
    assert "exported_at" in data
    (event,) = privacy_events()
    assert (event.action, event.object_id, event.changes) == (
        "privacy:export", response.id, {"format": {"before": None, "after": "json"}})


def test_an_attachment_can_be_downloaded(client, login_as, sent):
    response, citizen = sent
    login_as(Role.STAFF)
    (attachment,) = response.attachments

    download = client.post("/persondata/bilag", data={
        **lookup_data(response, citizen.email), "attachment_id": attachment.id})

    assert download.status_code == 200
    assert download.data == PDF
    assert download.mimetype == "application/pdf"
    assert download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["Cache-Control"] == "no-store"
    (event,) = privacy_events()
    assert (event.action, event.object_id, event.changes) == (
        "privacy:export", response.id,
        {"attachment_id": {"before": None, "after": attachment.id}})


def test_another_responses_attachment_is_not_handed_out(client, login_as, sent, app):
    response, citizen = sent
    other = db.session.scalars(select(Response).where(Response.id != response.id)).first()
    login_as(Role.STAFF)

    download = client.post("/persondata/bilag", data={
        **lookup_data(response, citizen.email), "attachment_id": other.attachments[0].id})

    assert download.status_code == 404
    assert download.data != PDF
    assert privacy_events() == []


@pytest.mark.parametrize("url", ["/persondata/eksport", "/persondata/bilag"])
def test_downloads_check_the_email_again(client, login_as, sent, url):
    response, _citizen = sent
    login_as(Role.STAFF)

    download = client.post(url, data={
        **lookup_data(response, "someone.else@example.dk"),
        "attachment_id": response.attachments[0].id})

    assert download.status_code == 404
    assert NOT_FOUND in download.get_data(as_text=True)
    assert privacy_events() == []


def test_audit_events_of_disclosures_hold_no_personal_data(client, login_as, sent):
    response, citizen = sent
    login_as(Role.STAFF)
    data = lookup_data(response, citizen.email)
    client.post("/persondata", data=data)
    client.post("/persondata/eksport", data=data)
    client.post("/persondata/bilag", data={**data, "attachment_id": response.attachments[0].id})

    events = privacy_events()
    assert [e.action for e in events] == ["privacy:view", "privacy:export", "privacy:export"]
    recorded = str([(e.changes, e.actor_label, e.object_type) for e in events])
    for personal in (citizen.name, citizen.email, citizen.filename,
                     response.submitter.receipt_number):
        assert personal not in recorded


def test_purged_data_is_not_found(client, login_as, world):
    from hoering.privacy.purge import purge_personal_data

    response = world.responses[world.adopted.id][0]
    number, email = response.submitter.receipt_number, citizens_of(world.adopted)[0].email
    purge_personal_data(MOMENT, retention_days=RETENTION_DAYS)
    db.session.commit()
    login_as(Role.STAFF)

    page = client.post("/persondata", data={"receipt_number": number, "email": email})

    assert page.status_code == 404
    assert NOT_FOUND in page.get_data(as_text=True)


ENDPOINTS = [("GET", "/persondata"), ("POST", "/persondata"),
             ("POST", "/persondata/eksport"), ("POST", "/persondata/bilag")]


@pytest.mark.parametrize(("method", "url"), ENDPOINTS)
@pytest.mark.parametrize("role", [Role.STAFF, Role.ADMIN])
def test_staff_and_admins_may_use_the_pages(client, login_as, sent, method, url, role):
    response, citizen = sent
    login_as(role)

    page = client.open(url, method=method, data={
        **lookup_data(response, citizen.email), "attachment_id": response.attachments[0].id})

    assert page.status_code == 200


@pytest.mark.parametrize(("method", "url"), ENDPOINTS)
@pytest.mark.parametrize("role", [Role.AUDITOR, Role.MEMBER])
def test_auditors_and_members_are_refused(client, login_as, sent, method, url, role):
    response, citizen = sent
    login_as(role)

    page = client.open(url, method=method, data={
        **lookup_data(response, citizen.email), "attachment_id": response.attachments[0].id})

    assert page.status_code == 403
    assert citizen.name.encode() not in page.data
    assert privacy_events() == []


@pytest.mark.parametrize(("method", "url"), ENDPOINTS)
def test_anonymous_visitors_are_sent_to_the_login(client, sent, method, url):
    response, citizen = sent

    page = client.open(url, method=method, data=lookup_data(response, citizen.email))

    assert page.status_code == 302
    assert page.headers["Location"].startswith("/login")


@pytest.mark.parametrize(("role", "shown"), [
    (Role.STAFF, True), (Role.ADMIN, True), (Role.AUDITOR, False), (Role.MEMBER, False)])
def test_the_dashboard_links_to_the_page_for_staff(client, login_as, role, shown):
    login_as(role)

    html = client.get("/").get_data(as_text=True)

    assert ('href="/persondata"' in html) is shown
