"""Every page and file that shows a citizen's personal data carries ``Cache-Control:
no-store`` and ``Pragma: no-cache``: the receipt (tested with the public form), the
staff's remark page (the sender's name and e-mail), the inbox, the attachments, a
body's response page, and the access-request (privacy) pages."""

from __future__ import annotations

from hoering.accounts.models import Role
from hoering.core.db import db
from hoering.public.operations import PublicSubmission, UploadedFile, submit_public_response
from tests.conftest import login
from tests.public.factories import PDF_BYTES, public_consultation


def _no_store(answer) -> bool:
    return (answer.headers.get("Cache-Control") == "no-store"
            and answer.headers.get("Pragma") == "no-cache")


def _citizen_response(consultation):
    response, _created = submit_public_response(consultation, PublicSubmission(
        token="c" * 32, name="Karen Kultur", email="karen@example.dk",
        general_text="Punkt et.", files=[UploadedFile("bilag.pdf", PDF_BYTES)]))
    db.session.commit()
    return response


def test_staff_pages_with_the_sender_or_the_files_are_never_cached(app, client, make_user):
    consultation = public_consultation()
    response = _citizen_response(consultation)
    remark = response.remarks[0]
    login(client, make_user(Role.STAFF))

    page = client.get(f"/hoeringer/bemaerkninger/{remark.id}")
    assert page.status_code == 200 and "karen@example.dk" in page.text
    assert _no_store(page)
    refused_split = client.post(f"/hoeringer/bemaerkninger/{remark.id}/opdel",
                                data={"text": ""})
    assert "karen@example.dk" in refused_split.text and _no_store(refused_split)
    refused_reply = client.post(f"/hoeringer/bemaerkninger/{remark.id}/svar",
                                data={"text": "", "disposition": "noted"})
    assert "karen@example.dk" in refused_reply.text and _no_store(refused_reply)
    inbox = client.get(f"/hoeringer/{consultation.id}/bemaerkninger")
    assert inbox.status_code == 200 and "Punkt et." in inbox.text and _no_store(inbox)
    download = client.get(f"/hoeringer/bilag/{response.attachments[0].id}")
    assert download.status_code == 200 and download.data == PDF_BYTES
    assert _no_store(download)
    body = consultation.consultees[0].body
    body_page = client.get(f"/hoeringer/{consultation.id}/organer/{body.id}")
    assert body_page.status_code == 200 and _no_store(body_page)


def test_the_access_request_pages_and_files_are_never_cached(app, client, make_user):
    consultation = public_consultation()
    response = _citizen_response(consultation)
    login(client, make_user(Role.STAFF))
    found = {"receipt_number": response.submitter.receipt_number, "email": "karen@example.dk"}

    lookup = client.get("/persondata")
    assert lookup.status_code == 200 and _no_store(lookup)
    data = client.post("/persondata", data=found)
    assert data.status_code == 200 and "Karen Kultur" in data.text and _no_store(data)
    export = client.post("/persondata/eksport", data=found)
    assert export.status_code == 200 and _no_store(export)
    attachment = client.post("/persondata/bilag", data={
        **found, "attachment_id": response.attachments[0].id})
    assert attachment.status_code == 200 and attachment.data == PDF_BYTES
    assert _no_store(attachment)
    unknown = client.post("/persondata", data={**found, "email": "anden@example.dk"})
    assert unknown.status_code == 404 and _no_store(unknown)
