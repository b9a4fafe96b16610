"""Who looked: every page or file that shows staff a citizen's personal data records one
audit event (the viewer's user id, the response, a short code of what was opened, no
personal data), committed with the request; auditors and administrators see the list
"Hvem har set persondata", other staff do not."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from hoering.accounts.models import Role
from hoering.audit.models import AuditEvent, EventIp
from hoering.consultations.data_access import PendingWrites, record_view
from hoering.consultations.models import Response
from hoering.core.db import db, now_utc
from tests.conftest import login
from tests.privacy.factories import Citizen, citizens_of, public_consultation_with_responses

LIST_HEADING = "Hvem har set persondata"


@pytest.fixture
def sent(app) -> tuple[Response, Citizen]:
    consultation, responses = public_consultation_with_responses("Fritidspolitik")
    return responses[0], citizens_of(consultation)[0]


def lookup(response: Response, citizen: Citizen) -> dict[str, str]:
    return {"receipt_number": response.submitter.receipt_number, "email": citizen.email}


def remark_url(response: Response) -> str:
    return f"/hoeringer/bemaerkninger/{response.remarks[0].id}"


# page -> (method, URL and form data of the response, the code recorded in "viewed")
PAGES = {
    "remark page": lambda r, c: ("GET", remark_url(r), None),
    "attachment": lambda r, c: ("GET", f"/hoeringer/bilag/{r.attachments[0].id}", None),
    "access request": lambda r, c: ("POST", "/persondata", lookup(r, c)),
    "access request JSON": lambda r, c: ("POST", "/persondata/eksport", lookup(r, c)),
    "access request attachment": lambda r, c: (
        "POST", "/persondata/bilag", {**lookup(r, c), "attachment_id": r.attachments[0].id}),
}
RECORDED = {
    "remark page": ("privacy:view", {"viewed": "sender"}),
    "attachment": ("privacy:view", {"viewed": "attachment", "attachment_id": "ATTACHMENT"}),
    "access request": ("privacy:view", {"viewed": "personal_data"}),
    "access request JSON": ("privacy:export", {"format": "json"}),
    "access request attachment": ("privacy:export", {"attachment_id": "ATTACHMENT"}),
}


def data_events() -> list[AuditEvent]:
    return list(db.session.scalars(
        select(AuditEvent).where(AuditEvent.action.like("privacy:%")).order_by(AuditEvent.id)))


def row_counts() -> dict[str, int]:
    return {table.name: db.session.scalar(select(func.count()).select_from(table)) or 0
            for table in db.metadata.sorted_tables}


@pytest.mark.parametrize("page", PAGES)
def test_opening_a_page_with_personal_data_records_one_event(client, login_as, sent, page):
    response, citizen = sent
    staff = login_as(Role.STAFF)
    method, url, data = PAGES[page](response, citizen)
    before = row_counts()

    answer = client.open(url, method=method, data=data)

    assert answer.status_code == 200
    db.session.rollback()  # committed with the request, not merely flushed
    (event,) = data_events()
    action, changes = RECORDED[page]
    attachment_id = response.attachments[0].id
    assert (event.action, event.object_type, event.object_id, event.actor_id) == (
        action, "response", response.id, staff.id)
    assert {key: change["after"] for key, change in event.changes.items()} == {
        key: attachment_id if value == "ATTACHMENT" else value for key, value in changes.items()}
    assert all(change["before"] is None for change in event.changes.values())
    recorded = repr((event.changes, event.object_type, event.request_id))
    for personal in (citizen.name, citizen.email, citizen.filename,
                     response.submitter.receipt_number):
        assert personal.lower() not in recorded.lower()
    after = row_counts()
    assert after["audit_events"] == before["audit_events"] + 1
    if action == "privacy:view":  # the one INSERT of a page that only shows data
        assert {name: n - before[name] for name, n in after.items() if n != before[name]} == {
            "audit_events": 1}
        assert db.session.get(EventIp, event.id) is None


def test_each_opening_is_recorded_again(client, login_as, sent):
    response, _citizen = sent
    staff = login_as(Role.STAFF)
    for _ in range(3):
        assert client.get(remark_url(response)).status_code == 200
    assert [(e.action, e.actor_id) for e in data_events()] == [("privacy:view", staff.id)] * 3


def test_pages_without_the_senders_data_record_nothing(client, login_as, make_user, sent):
    response, citizen = sent
    login_as(Role.AUDITOR)  # sees the remark page, not the sender
    page = client.get(remark_url(response)).text
    assert citizen.email not in page
    client.post("/logout")
    login(client, make_user(Role.STAFF))
    assert client.get(f"/hoeringer/{response.consultation_id}/bemaerkninger").status_code == 200
    assert client.get("/persondata").status_code == 200
    wrong = {**lookup(response, citizen), "email": "someone.else@example.dk"}
    assert client.post("/persondata", data=wrong).status_code == 404
    assert data_events() == []


def test_an_anonymised_sender_is_not_recorded_as_seen(client, login_as, sent):
    response, citizen = sent
    response.submitter.purged_at = now_utc()
    db.session.commit()
    login_as(Role.STAFF)
    page = client.get(remark_url(response)).text
    assert "Anonymiseret" in page and citizen.email not in page
    assert data_events() == []


def test_a_refused_form_on_the_remark_page_stores_nothing(client, login_as, sent):
    """The remark page shown again after a refused split is not a new opening (the GET
    before it was recorded): a refused POST writes nothing."""
    response, _citizen = sent
    login_as(Role.STAFF)
    before = row_counts()
    answer = client.post(f"{remark_url(response)}/opdel", data={"text": "Uden skillelinje"})
    assert answer.status_code == 422
    assert row_counts() == before


def test_auditors_see_who_looked_with_what(client, login_as, make_user, sent):
    response, _citizen = sent
    staff = make_user(Role.STAFF, name="Sagsbehandler Sørensen")
    login(client, staff)
    client.get(remark_url(response))
    client.get(f"/hoeringer/bilag/{response.attachments[0].id}")
    client.post("/logout")
    login_as(Role.AUDITOR)

    page = client.get(remark_url(response)).text

    assert LIST_HEADING in page
    listed = page.split(LIST_HEADING, 1)[1]
    assert listed.count("Sagsbehandler Sørensen") == 2
    assert "Afsenderens navn og e-mail (bemærkningssiden)" in listed
    assert "Vedhæftet fil hentet" in listed
    assert [e.action for e in data_events()] == ["privacy:view"] * 2  # the auditor: none


def test_administrators_see_the_list_on_both_pages(client, login_as, sent):
    response, citizen = sent
    admin = login_as(Role.ADMIN, name="Administrator Andersen")

    remark_page = client.get(remark_url(response)).text
    data_page = client.post("/persondata", data=lookup(response, citizen)).text

    assert LIST_HEADING in remark_page and "Administrator Andersen" in remark_page
    listed = data_page.split(LIST_HEADING, 1)[1]
    assert listed.count("Administrator Andersen") == 2  # the remark page, then this one
    assert "Alle oplysninger (indsigt i persondata)" in listed
    assert [(e.action, e.actor_id) for e in data_events()] == [("privacy:view", admin.id)] * 2


def test_staff_who_are_not_auditors_do_not_see_the_list(client, login_as, sent):
    response, citizen = sent
    login_as(Role.STAFF)
    assert LIST_HEADING not in client.get(remark_url(response)).text
    assert LIST_HEADING not in client.post("/persondata", data=lookup(response, citizen)).text


def test_a_bodys_response_has_no_list(client, login_as, app):
    from hoering.consultations.models import Remark
    from tests.consultations.factories import consultation_with_remarks

    consultation = consultation_with_remarks(1, n_bodies=1)
    db.session.commit()
    remark_id = db.session.scalar(select(Remark.id).where(
        Remark.consultation_id == consultation.id))
    for role in (Role.AUDITOR, Role.STAFF):
        login_as(role)
        page = client.get(f"/hoeringer/bemaerkninger/{remark_id}")
        assert page.status_code == 200 and LIST_HEADING not in page.text
        client.post("/logout")
    assert data_events() == []


def test_the_audit_log_lists_the_views(client, login_as, make_user, sent):
    response, _citizen = sent
    staff = make_user(Role.STAFF)
    login(client, staff)
    client.get(remark_url(response))
    client.post("/logout")
    login_as(Role.AUDITOR)

    page = client.get("/revision/log?handling=privacy:view").text

    assert '<option selected value="privacy:view">Personoplysninger vist</option>' in page
    assert "privacy:view</" not in page and staff.email in page
    assert f"{staff.name} så personoplysningerne i høringssvaret fra Borger." in page
    assert "Afsenderens navn og e-mail (bemærkningssiden)</ins>" in page


def test_record_view_writes_nothing_else(app, sent, make_user):
    response, _citizen = sent
    staff = make_user(Role.STAFF)
    response.submitter.name = "Ændret"  # a write pending in the session
    with pytest.raises(PendingWrites):
        record_view(response, "sender", staff)
    db.session.rollback()
    with pytest.raises(ValueError, match="Unknown kind"):
        record_view(response, "the name", staff)
    assert data_events() == []
