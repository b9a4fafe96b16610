"""Staff and public responses: the inbox marks and filters them, staff see the sender
(auditors do not), split a response into remarks, answer them, download attachments,
publish the responses; the memo and the trace include them."""

from __future__ import annotations

import re

from sqlalchemy import select

from hoering.accounts.models import Role
from hoering.audit.models import AuditEvent
from hoering.consultations import operations as consultations
from hoering.consultations.models import Disposition, Remark
from hoering.core.db import db
from hoering.memos.build import build_memo
from hoering.public.operations import PublicSubmission, UploadedFile, submit_public_response
from tests.conftest import login
from tests.public.factories import PDF_BYTES, public_consultation


def _citizen(consultation, text="Punkt et.\n\n---\n\nPunkt to.", **kwargs):
    defaults = {"token": f"{len(text):04d}" + "a" * 28 + str(kwargs.get("n", "")),
                "name": "Karen Kultur", "email": "karen@example.dk", "general_text": text}
    defaults.update({k: v for k, v in kwargs.items() if k != "n"})
    response, _created = submit_public_response(consultation, PublicSubmission(**defaults))
    db.session.commit()
    return response


def test_the_inbox_marks_public_responses_and_filters_them(app, client, make_user):
    consultation = public_consultation()
    _citizen(consultation, "Borgerens bemærkning", organisation="Ballerup Roklub")
    body = consultation.consultees[0].body
    consultations.import_minutes(
        consultation, body, meeting_date=consultation.opens_on, agenda_item=2,
        remarks=[consultations.ImportedRemark("Udvalgets bemærkning", None)], actor=None)
    db.session.commit()
    login(client, make_user(Role.STAFF))
    page = client.get(f"/hoeringer/{consultation.id}/bemaerkninger").text
    assert "Borgerens bemærkning" in page and "Udvalgets bemærkning" in page
    assert "offentlig</span> Ballerup Roklub" in page
    only_public = client.get(f"/hoeringer/{consultation.id}/bemaerkninger?organ=offentlig").text
    assert "Borgerens bemærkning" in only_public
    assert "Udvalgets bemærkning" not in only_public


def test_staff_see_the_sender_and_attachments_auditors_only_the_receipt(
    app, client, make_user
):
    consultation = public_consultation()
    response = _citizen(consultation, "Se bilaget.",
                        files=[UploadedFile("bilag.pdf", PDF_BYTES)])
    remark_url = f"/hoeringer/bemaerkninger/{response.remarks[0].id}"
    attachment_url = f"/hoeringer/bilag/{response.attachments[0].id}"
    login(client, make_user(Role.AUDITOR))
    page = client.get(remark_url).text
    assert response.submitter.receipt_number in page
    assert "karen@example.dk" not in page and "Karen Kultur" not in page
    assert client.get(attachment_url).status_code == 403

    client.post("/logout")
    login(client, make_user(Role.STAFF))
    page = client.get(remark_url).text
    assert "Karen Kultur &lt;karen@example.dk&gt;" in page
    download = client.get(attachment_url)
    assert download.status_code == 200 and download.data == PDF_BYTES
    assert download.headers["Content-Type"] == "application/pdf"


def test_staff_split_a_response_into_remarks_and_answer_each(app, client, make_user):
    consultation = public_consultation()
    response = _citizen(consultation)
    [remark] = response.remarks
    staff = make_user(Role.STAFF)
    login(client, staff)
    page = client.get(f"/hoeringer/bemaerkninger/{remark.id}").text
    assert "Del op i flere bemærkninger" in page
    answer = client.post(f"/hoeringer/bemaerkninger/{remark.id}/opdel",
                         data={"text": "Punkt et.\n---\nPunkt to.\n---\nPunkt tre."})
    assert answer.status_code == 302
    db.session.expire_all()
    remarks = db.session.scalars(
        select(Remark).where(Remark.response_id == response.id).order_by(Remark.id)).all()
    assert [r.wording for r in remarks] == ["Punkt et.", "Punkt to.", "Punkt tre."]
    assert remarks[0].original_text == "Punkt et.\n\n---\n\nPunkt to."  # the record stays
    split = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "remark:split"))
    assert split.changes["split_into"]["after"] == [r.id for r in remarks]

    for remark in remarks:
        consultations.save_reply(remark, text=f"Svar på {remark.wording}",
                                 disposition=Disposition.NOTED, based_on_version=None,
                                 actor=staff)
    db.session.commit()
    memo = build_memo(consultation)
    items = [item for part in memo.parts for item in part.items]
    assert [(i.text, i.abbreviation, i.reply) for i in items] == [
        (f"Punkt {n}.", "Borger", f"Svar på Punkt {n}.") for n in ("et", "to", "tre")]
    assert "1 høringssvar fra borgere og foreninger" in " ".join(memo.background)


def test_a_split_without_a_separator_is_refused_and_keeps_the_text(app, client, make_user):
    consultation = public_consultation()
    [remark] = _citizen(consultation).remarks
    login(client, make_user(Role.STAFF))
    answer = client.post(f"/hoeringer/bemaerkninger/{remark.id}/opdel",
                         data={"text": "Kun én del uden skillelinje"})
    assert answer.status_code == 422
    assert "Kun én del uden skillelinje" in answer.text
    assert "mindst to dele" in answer.text
    assert db.session.scalar(select(Remark.memo_text).where(Remark.id == remark.id)) is None


def test_staff_publish_and_withdraw_the_responses_with_confirmation(app, client, make_user):
    consultation = public_consultation()
    _citizen(consultation, "Et offentligt svar")
    login(client, make_user(Role.STAFF))
    show = client.get(f"/hoeringer/{consultation.id}").text
    assert "1 høringssvar fra borgere og foreninger." in show
    assert "Høringssvarene er ikke offentliggjort." in show
    url = f"/hoeringer/{consultation.id}/offentliggoer"
    assert "Vil du vise de indsendte høringssvar" in client.get(url).text
    assert client.post(url).status_code == 302
    assert "Et offentligt svar" in client.get(f"/offentlige-hoeringer/{consultation.id}").text
    assert client.post(url + "/tilbagekald").status_code == 302
    public_page = client.get(f"/offentlige-hoeringer/{consultation.id}").text
    assert "Et offentligt svar" not in public_page
    actions = db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.action.like("consultation:%publish%")).order_by(AuditEvent.id)).all()
    assert actions == ["consultation:publish_responses", "consultation:unpublish_responses"]


def test_the_trace_of_a_public_remark_names_the_channel_and_receipt(app, client, make_user):
    consultation = public_consultation()
    response = _citizen(consultation, "Spor mig")
    login(client, make_user(Role.AUDITOR))
    page = client.get(f"/hoeringer/bemaerkninger/{response.remarks[0].id}/spor")
    assert page.status_code == 200
    assert "svarformularen" in page.text
    assert response.submitter.receipt_number in page.text
    assert not re.search(r"karen@example\.dk|Karen Kultur", page.text)


def test_a_citizens_remark_traces_to_the_submission_event(app):
    """The trace's "Indsendt" step of a citizen's remark is the recorded public submission
    (its event id, with the receipt number), not a step rebuilt without an event."""
    from hoering.audit.models import AuditEvent
    from hoering.trace.remarks import SUBMITTED, remark_trace

    consultation = public_consultation()
    response = _citizen(consultation, "Flere cykelstier ved hallen")
    (remark,) = response.remarks
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "public_response:submit", AuditEvent.object_id == response.id)).one()
    (step,) = [s for s in remark_trace(remark) if s.kind == SUBMITTED]
    assert step.event_id == event.id
    assert f"Kvitteringsnummer {response.submitter.receipt_number}." in step.detail
