"""The public response form: listing, submitting with receipt and idempotency, errors
that keep the text, attachments checked by content, honeypot, rate limit, deadline,
CSRF, publication and the issued memo."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from hoering.audit.models import AuditEvent
from hoering.consultations import operations as consultation_ops
from hoering.consultations.models import Attachment, PublicSubmitter, Remark, Response
from hoering.core.clock import frozen_at
from hoering.core.db import db, now_utc
from hoering.core.extensions import limiter
from hoering.outbox.models import OutboxMessage
from hoering.public import operations as public_ops
from tests.consultations.test_query_counts import count_queries
from tests.public.factories import PDF_BYTES, docx_bytes, odt_bytes, public_consultation

RECEIPT = re.compile(r"H-\d{4}-\d{6}")


def _token(page_html: str) -> str:
    return re.search(r'name="token" type="hidden" value="([0-9a-f]+)"', page_html).group(1)


def _form(consultation, client, **fields) -> dict:
    page = client.get(f"/offentlige-hoeringer/{consultation.id}")
    data = {
        "token": _token(page.text), "name": "Ida Jensen", "email": "ida@example.dk",
        "organisation": "", "general_text": "Flere åbne haller om aftenen.", "website": "",
    }
    data.update(fields)
    return data


def _post(client, consultation, data, **kwargs):
    return client.post(f"/offentlige-hoeringer/{consultation.id}/svar", data=data,
                       content_type="multipart/form-data", **kwargs)


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_list_shows_open_and_closed_public_consultations_only(app, client):
    open_one = public_consultation(title="Åben høring om kultur")
    public_consultation(public=False, title="Intern høring")
    with frozen_at(now_utc() - timedelta(days=60)):
        public_consultation(days_left=10, title="Gammel høring om idræt")
    page = client.get("/offentlige-hoeringer")
    assert page.status_code == 200
    assert "Åben høring om kultur" in page.text
    assert "Gammel høring om idræt" in page.text
    assert "Intern høring" not in page.text
    assert page.text.index("Åben høring om kultur") < page.text.index("Afsluttede høringer")
    assert f"/offentlige-hoeringer/{open_one.id}" in page.text


def test_a_consultation_that_is_not_public_is_not_found(app, client):
    internal = public_consultation(public=False)
    assert client.get(f"/offentlige-hoeringer/{internal.id}").status_code == 404
    assert _post(client, internal, {"token": "a" * 32}).status_code == 404
    assert _count(Response) == 0


def test_the_page_shows_the_draft_section_by_section_with_a_field_each(app, client):
    consultation = public_consultation()
    page = client.get(f"/offentlige-hoeringer/{consultation.id}")
    assert page.status_code == 200
    for section in consultation.version.sections:
        assert section.heading in page.text
        assert f'name="section-{section.id}"' in page.text
    assert 'enctype="multipart/form-data"' in page.text
    assert "Høringsfrist" in page.text


def test_submitting_stores_one_response_with_a_receipt_and_queues_the_receipt_mail(
    app, client
):
    consultation = public_consultation()
    culture = consultation.version.sections[1]
    data = _form(consultation, client, organisation="Ballerup Roklub", publish_name="y",
                 **{f"section-{culture.id}": "Kulturhuset skal have længere åbent."})
    data["attachments"] = [(io.BytesIO(PDF_BYTES), "vores svar.pdf")]
    answer = _post(client, consultation, data)
    assert answer.status_code == 303
    assert answer.headers["Location"].endswith(f"/offentlige-hoeringer/kvittering/{data['token']}")

    response = db.session.scalar(select(Response))
    submitter = response.submitter
    assert response.is_public and response.body_id is None and response.is_submitted
    assert submitter.name == "Ida Jensen" and submitter.email == "ida@example.dk"
    assert submitter.organisation == "Ballerup Roklub" and submitter.publish_name
    assert RECEIPT.fullmatch(submitter.receipt_number)
    assert [(r.section_id, r.original_text) for r in response.remarks] == [
        (culture.id, "Kulturhuset skal have længere åbent."),
        (None, "Flere åbne haller om aftenen."),
    ]
    [attachment] = response.attachments
    assert attachment.filename == "vores svar.pdf"
    assert attachment.media_type == "application/pdf" and attachment.content == PDF_BYTES

    receipt = client.get(answer.headers["Location"])
    assert receipt.status_code == 200
    assert submitter.receipt_number in receipt.text
    assert "Kulturhuset skal have længere åbent." in receipt.text

    [message] = db.session.scalars(select(OutboxMessage)).all()
    assert message.kind == "receipt" and message.to_address == "ida@example.dk"
    assert submitter.receipt_number in message.subject
    assert submitter.receipt_number in message.body_text


def test_a_submission_leaves_an_anonymous_visitors_cookies_alone(app, client, monkeypatch):
    """The session (its CSRF token) was set by the form's page; storing the response and
    its receipt e-mail neither rewrites it nor clears a login cookie."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    consultation = public_consultation()
    page = client.get(f"/offentlige-hoeringer/{consultation.id}")
    assert any(c.startswith("session=") for c in page.headers.getlist("Set-Cookie"))
    data = _form(consultation, client)
    data["csrf_token"] = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                                   page.text).group(1)
    answer = _post(client, consultation, data)
    assert answer.status_code == 303 and _count(OutboxMessage) == 1
    assert "Set-Cookie" not in answer.headers


def test_a_submission_is_read_in_one_statement_and_written_in_one_on_postgresql(
    app, client
):
    """A burst of citizens waits on every round trip: the consultation with its
    sections (and on PostgreSQL the response's id); then the response, its remarks, its
    sender, receipt e-mail and audit event together (one statement on PostgreSQL; on
    SQLite the response, then the remarks in one, then the others one by one)."""
    consultation = public_consultation()
    culture = consultation.version.sections[1]
    data = _form(consultation, client, **{f"section-{culture.id}": "Længere åbent."})
    with count_queries() as statements:
        assert _post(client, consultation, data).status_code == 303
    postgres = db.engine.dialect.name == "postgresql"
    assert len(statements) == (2 if postgres else 6), statements
    response = db.session.scalar(select(Response))
    assert len(response.remarks) == 2 and response.submitter is not None
    assert _count(OutboxMessage) == 1
    assert db.session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.action == "public_response:submit",
        AuditEvent.object_id == response.id)) == 1


def test_a_double_click_or_a_resent_form_stores_one_response(app, client):
    consultation = public_consultation()
    data = _form(consultation, client)
    first = _post(client, consultation, dict(data))
    second = _post(client, consultation, dict(data))
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert _count(Response) == 1 and _count(Remark) == 1 and _count(OutboxMessage) == 1


def test_the_same_token_submitted_concurrently_is_stored_once(app):
    """Nothing is looked up before the insert: the unique token refuses the second one
    (sent again, or at the same moment), and only then is the first one looked up."""
    consultation = public_consultation()
    submission = public_ops.PublicSubmission(token="f" * 32, name="A", email="a@example.dk",
                                             general_text="Tekst")
    first, created = public_ops.submit_public_response(consultation, submission)
    db.session.commit()
    assert created
    original = public_ops._earlier_receipt
    calls = []

    def looked(token):
        calls.append(token)
        return original(token)

    public_ops._earlier_receipt = looked
    try:
        again, created = public_ops.submit_public_response(consultation, submission)
    finally:
        public_ops._earlier_receipt = original
    db.session.commit()
    assert calls == [submission.token]  # once, after the unique index refused the insert
    assert not created and again.id == first.id
    assert _count(Response) == 1 and _count(PublicSubmitter) == 1


def test_a_validation_error_keeps_the_text_and_names_the_field(app, client):
    consultation = public_consultation()
    section = consultation.version.sections[0]
    data = _form(consultation, client, email="ikke-en-adresse",
                 general_text="Min lange tekst om æbler & <pærer>",
                 **{f"section-{section.id}": "Visionen er god."})
    answer = _post(client, consultation, data)
    assert answer.status_code == 422
    page = answer.text
    assert "Min lange tekst om æbler &amp; &lt;pærer&gt;" in page  # kept, escaped
    assert "Visionen er god." in page and 'value="Ida Jensen"' in page
    assert f'value="{data["token"]}"' in page  # the same token: no double on resubmit
    assert 'id="email-error"' in page and "Skriv en gyldig e-mailadresse" in page
    assert 'aria-describedby="email-hint email-error"' in page
    assert '<a href="#email">' in page  # the summary links to the field
    assert _count(Response) == 0


def test_an_empty_response_is_refused_in_danish(app, client):
    consultation = public_consultation()
    answer = _post(client, consultation, _form(consultation, client, general_text=""))
    assert answer.status_code == 422
    assert "Skriv dit høringssvar her eller under et afsnit, eller vedhæft det som fil." in (
        answer.text)
    assert _count(Response) == 0


@pytest.mark.parametrize("make_content, name", [
    (lambda: b"%PDF-1.7 ...", "svar.pdf"),
    (docx_bytes, "svar.docx"),
    (odt_bytes, "svar.odt"),
])
def test_pdf_docx_and_odt_are_accepted_by_content(app, client, make_content, name):
    consultation = public_consultation()
    data = _form(consultation, client, general_text="")
    data["attachments"] = [(io.BytesIO(make_content()), name)]
    assert _post(client, consultation, data).status_code == 303
    assert db.session.scalar(select(Attachment.filename)) == name


@pytest.mark.parametrize("content, name", [
    (b"MZ\x90\x00 an executable", "svar.pdf"),  # named .pdf, is not
    (b"PK\x03\x04 not really a zip", "svar.docx"),
    (b"just text", "svar.odt"),
])
def test_a_file_whose_content_is_not_pdf_docx_or_odt_is_refused(app, client, content, name):
    consultation = public_consultation()
    data = _form(consultation, client)
    data["attachments"] = [(io.BytesIO(content), name)]
    answer = _post(client, consultation, data)
    assert answer.status_code == 422
    assert f"»{name}« er ikke en PDF" in answer.text
    assert "Flere åbne haller om aftenen." in answer.text
    assert _count(Response) == 0 and _count(Attachment) == 0


def test_at_most_three_files_of_at_most_the_size_limit(app, client, monkeypatch):
    consultation = public_consultation()
    data = _form(consultation, client)
    data["attachments"] = [(io.BytesIO(PDF_BYTES), f"bilag{i}.pdf") for i in range(4)]
    answer = _post(client, consultation, data)
    assert answer.status_code == 422 and "Vedhæft højst 3 filer." in answer.text

    monkeypatch.setitem(app.config, "PUBLIC_MAX_ATTACHMENT_BYTES", 1024 * 1024)
    data = _form(consultation, client)
    data["attachments"] = [(io.BytesIO(PDF_BYTES + b"0" * (1024 * 1024)), "stor.pdf")]
    answer = _post(client, consultation, data)
    assert answer.status_code == 422 and "»stor.pdf« fylder mere end 1 MB." in answer.text
    assert _count(Response) == 0


def test_a_request_larger_than_the_limit_is_refused_in_danish(app, client, monkeypatch):
    consultation = public_consultation()
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 2000)
    data = _form(consultation, client, general_text="x" * 5000)
    answer = _post(client, consultation, data)
    assert answer.status_code == 413 and "Indsendelsen fylder for meget" in answer.text
    assert _count(Response) == 0


def test_a_filled_in_honeypot_stores_nothing(app, client):
    consultation = public_consultation()
    answer = _post(client, consultation, _form(consultation, client, website="http://spam"))
    assert answer.status_code == 400
    assert _count(Response) == 0 and _count(OutboxMessage) == 0


def test_the_rate_limit_refuses_more_submissions_and_keeps_the_text(app, client, monkeypatch):
    consultation = public_consultation()
    monkeypatch.setitem(app.config, "PUBLIC_SUBMIT_RATE_LIMIT", "2 per minute")
    limiter.reset()
    for _ in range(2):
        assert _post(client, consultation, _form(consultation, client)).status_code == 303
    refused = _post(client, consultation, _form(consultation, client, general_text="Tredje"))
    assert refused.status_code == 429
    assert "for mange svar" in refused.text and "Tredje" in refused.text
    assert _count(Response) == 2
    limiter.reset()


def test_after_the_deadline_the_form_is_gone_and_submissions_are_refused(app, client):
    consultation = public_consultation(days_left=2)
    data = _form(consultation, client)
    with frozen_at(now_utc() + timedelta(days=3)):
        page = client.get(f"/offentlige-hoeringer/{consultation.id}")
        assert "Høringen er afsluttet" in page.text and "Indsend høringssvar" not in page.text
        answer = _post(client, consultation, data)
    assert answer.status_code == 409
    assert _count(Response) == 0


def test_csrf_failure_keeps_the_text_and_a_valid_token_passes(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    consultation = public_consultation()
    page = client.get(f"/offentlige-hoeringer/{consultation.id}")
    data = _form(consultation, client, general_text="Min tekst må ikke gå tabt")
    data["csrf_token"] = "forkert"
    answer = _post(client, consultation, data)
    assert answer.status_code == 422 and "Min tekst må ikke gå tabt" in answer.text
    assert _count(Response) == 0
    data["csrf_token"] = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                                   page.text).group(1)
    assert _post(client, consultation, data).status_code == 303


def test_the_submission_is_audited_without_personal_data(app, client):
    consultation = public_consultation()
    _post(client, consultation, _form(consultation, client, name="Hemmelig Hansen",
                                      email="hemmelig@example.dk"))
    event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "public_response:submit"))
    assert event is not None and event.ip is None and event.actor_id is None
    everything = " ".join(str(e.changes) for e in db.session.scalars(select(AuditEvent)))
    assert "Hemmelig" not in everything and "hemmelig@example.dk" not in everything


def test_published_responses_show_names_only_with_consent_and_never_e_mails(
    app, client, make_user
):
    consultation = public_consultation()
    _post(client, consultation, _form(consultation, client, name="Synlig Sørensen",
                                      email="synlig@example.dk", publish_name="y",
                                      general_text="Svar med navn"))
    _post(client, consultation, _form(consultation, client, name="Skjult Skov",
                                      email="skjult@example.dk", general_text="Svar uden navn"))
    page = client.get(f"/offentlige-hoeringer/{consultation.id}")
    assert "Svar med navn" not in page.text  # not published yet

    consultation_ops.publish_responses(consultation, actor=make_user("staff"))
    db.session.commit()
    page = client.get(f"/offentlige-hoeringer/{consultation.id}").text
    assert "Svar med navn" in page and "Svar uden navn" in page
    assert "Synlig Sørensen" in page
    assert "Skjult Skov" not in page
    assert "@example.dk" not in page
    assert "Indkomne høringssvar (2)" in page


def test_the_receipt_reaches_the_citizen_by_smtp(app, client, smtp_server):
    from hoering.mail.sender import send_pending

    consultation = public_consultation()
    answer = _post(client, consultation, _form(consultation, client, email="ida@example.dk"))
    assert answer.status_code == 303
    number = db.session.scalar(select(PublicSubmitter.receipt_number))
    report = send_pending()
    assert report.sent == 1
    [message] = smtp_server.messages
    assert message["To"] == "ida@example.dk"
    assert message["Subject"] == f"Kvittering for høringssvar {number}"
    body = message.get_content()
    assert f"Kvitteringsnummer: {number}" in body and "Kære Ida Jensen" in body


def test_the_issued_memo_is_on_the_public_page_and_downloads(app, client, make_user):
    from hoering.memos import operations as memos

    consultation = public_consultation()
    public_ops.submit_public_response(consultation, public_ops.PublicSubmission(
        token="e" * 32, name="A", email="a@example.dk", general_text="Et svar"))
    db.session.commit()
    assert client.get(f"/offentlige-hoeringer/{consultation.id}/notat.pdf").status_code == 404
    staff = make_user("staff")
    with frozen_at(consultation.closes_at + timedelta(minutes=1)):  # issued after the close
        issue = memos.issue_memo(consultation, actor=staff, mark_pending=True)
    db.session.commit()
    page = client.get(f"/offentlige-hoeringer/{consultation.id}").text
    assert "Høringsnotat" in page and f"/offentlige-hoeringer/{consultation.id}/notat.pdf" in page
    pdf = client.get(f"/offentlige-hoeringer/{consultation.id}/notat.pdf")
    assert pdf.status_code == 200 and pdf.data == issue.pdf
    docx = client.get(f"/offentlige-hoeringer/{consultation.id}/notat.docx")
    assert docx.status_code == 200 and docx.data == issue.docx
    assert client.get(f"/offentlige-hoeringer/{consultation.id}/notat.md").status_code == 404
