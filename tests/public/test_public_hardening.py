"""The public form against misuse: a reused idempotency token never hands one person's
receipt to another, pages with personal data are never cached, control characters are a
form error (not a 500) with the text kept, WTForms' and Flask-WTF's own messages are
Danish, and a zip bomb is refused without inflating it.

These go through HTTP only (no new module is imported), so that they run unchanged
against the code before the fixes and fail there."""

from __future__ import annotations

import io
import re
import tracemalloc
import zipfile

import pytest
from sqlalchemy import func, select

from hoering.consultations.models import Attachment, PublicSubmitter, Remark, Response
from hoering.core.db import db
from hoering.core.extensions import limiter
from hoering.outbox.models import OutboxMessage
from tests.public.factories import PDF_BYTES, public_consultation

FIRST = {"name": "Ida Jensen", "email": "ida@example.dk",
         "general_text": "Flere åbne haller om aftenen."}
SECOND = {"name": "Bo Berg", "email": "bo@example.dk",
          "general_text": "Kunstgræsbanen skal have lys."}
REUSED = "Formularen er allerede brugt til at sende et andet høringssvar"


def _token(page_html: str) -> str:
    return re.search(r'name="token" type="hidden" value="([0-9a-f-]+)"', page_html).group(1)


def _form(consultation, client, **fields) -> dict:
    page = client.get(f"/offentlige-hoeringer/{consultation.id}")
    data = {"token": _token(page.text), "organisation": "", "website": "", **FIRST}
    data.update(fields)
    return data


def _post(client, consultation, data):
    return client.post(f"/offentlige-hoeringer/{consultation.id}/svar", data=data,
                       content_type="multipart/form-data")


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _no_store(answer) -> bool:
    return (answer.headers.get("Cache-Control") == "no-store"
            and answer.headers.get("Pragma") == "no-cache")


# 1. The idempotency token is bound to its first submission.

def test_a_token_reused_with_other_content_is_refused_and_shows_nothing_of_the_first(
    app, client
):
    consultation = public_consultation()
    first = _form(consultation, client)
    assert _post(client, consultation, dict(first)).status_code == 303

    # another person, at the same browser, sends the same page back with their own answer
    second = {**first, **SECOND}
    answer = _post(client, consultation, second)

    assert answer.status_code == 422
    page = answer.text
    assert REUSED in page
    assert "Bo Berg" in page and "bo@example.dk" in page  # what they typed is kept
    assert "Kunstgræsbanen skal have lys." in page
    for first_persons in ("Ida Jensen", "ida@example.dk", "Flere åbne haller om aftenen.",
                          "H-20"):
        assert first_persons not in page
    assert "Location" not in answer.headers
    assert _count(Response) == 1 and _count(Remark) == 1 and _count(OutboxMessage) == 1
    # the form comes back with a fresh token: sending it again stores their response
    fresh = _token(page)
    assert fresh != first["token"]
    again = _post(client, consultation, {**second, "token": fresh})
    assert again.status_code == 303 and again.headers["Location"].endswith(fresh)
    receipt = client.get(again.headers["Location"]).text
    assert "Bo Berg" in receipt and "Ida Jensen" not in receipt
    assert _count(Response) == 2


@pytest.mark.parametrize("changed", [
    {"name": "Ida Jensen-Berg"}, {"email": "ida2@example.dk"}, {"organisation": "Roklubben"},
    {"publish_name": "y"}, {"general_text": "Flere åbne haller om natten."},
])
def test_any_other_content_with_the_token_counts_as_another_submission(
    app, client, changed
):
    consultation = public_consultation()
    first = _form(consultation, client)
    assert _post(client, consultation, dict(first)).status_code == 303
    answer = _post(client, consultation, {**first, **changed})
    assert answer.status_code == 422 and REUSED in answer.text
    assert _count(Response) == 1


def test_another_attachment_with_the_token_is_another_submission(app, client):
    consultation = public_consultation()
    first = _form(consultation, client, general_text="")
    sent = _post(client, consultation, {
        **first, "attachments": [(io.BytesIO(PDF_BYTES), "svar.pdf")]})
    assert sent.status_code == 303
    resent = _post(client, consultation, {
        **first, "attachments": [(io.BytesIO(PDF_BYTES), "svar.pdf")]})
    assert resent.status_code == 303 and resent.headers["Location"] == sent.headers["Location"]
    other = _post(client, consultation, {
        **first, "attachments": [(io.BytesIO(PDF_BYTES + b"% andet\n"), "svar.pdf")]})
    assert other.status_code == 422 and REUSED in other.text
    assert _count(Response) == 1 and _count(Attachment) == 1


def test_a_double_click_with_the_same_content_still_gets_the_same_receipt(app, client):
    consultation = public_consultation()
    culture = consultation.version.sections[1]
    data = _form(consultation, client, publish_name="y", organisation="Roklubben",
                 **{f"section-{culture.id}": "Kulturhuset."})
    first = _post(client, consultation, dict(data))
    second = _post(client, consultation, dict(data))
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert _count(Response) == 1 and _count(PublicSubmitter) == 1


# 1. Pages with personal data are never cached.

def test_the_receipt_and_the_form_shown_again_are_never_cached(app, client):
    consultation = public_consultation()
    data = _form(consultation, client)
    answer = _post(client, consultation, dict(data))
    receipt = client.get(answer.headers["Location"])
    assert receipt.status_code == 200 and "ida@example.dk" in receipt.text
    assert _no_store(receipt)
    refused = _post(client, consultation, _form(consultation, client, email="ikke-en-adresse"))
    assert refused.status_code == 422 and 'value="Ida Jensen"' in refused.text
    assert _no_store(refused)


def test_the_form_shown_again_by_the_rate_limit_is_never_cached(app, client, monkeypatch):
    consultation = public_consultation()
    monkeypatch.setitem(app.config, "PUBLIC_SUBMIT_RATE_LIMIT", "1 per minute")
    limiter.reset()
    try:
        assert _post(client, consultation, _form(consultation, client)).status_code == 303
        refused = _post(client, consultation, _form(consultation, client, name="Bo Berg"))
    finally:
        limiter.reset()
    assert refused.status_code == 429 and 'value="Bo Berg"' in refused.text
    assert _no_store(refused)


# 2. Control characters: a form error with the text kept, never a 500.

@pytest.mark.parametrize("field", ["general_text", "section", "name", "organisation"])
def test_a_nul_in_any_text_field_is_a_form_error_that_keeps_the_text(app, client, field):
    consultation = public_consultation()
    section = consultation.version.sections[0]
    name = f"section-{section.id}" if field == "section" else field
    data = _form(consultation, client, **{name: "Før\x00efter og resten af teksten"})
    if field != "general_text":
        data["general_text"] = "Min generelle tekst bliver her."
    answer = _post(client, consultation, data)
    assert answer.status_code == 422
    assert "usynligt styretegn (tegn nr. 4)" in answer.text
    assert "efter og resten af teksten" in answer.text
    assert "Min generelle tekst bliver her." in answer.text or field == "general_text"
    assert _count(Response) == 0


@pytest.mark.parametrize("character", ["\x01", "\x1b", "\x7f", "\x85", "\x0b", "\x0c"])
def test_other_control_characters_are_refused_too(app, client, character):
    consultation = public_consultation()
    answer = _post(client, consultation, _form(
        consultation, client, general_text=f"Tekst{character}tekst"))
    assert answer.status_code == 422 and "usynligt styretegn" in answer.text
    assert _count(Response) == 0


def test_tabs_and_line_breaks_are_fine_in_the_text_but_not_in_the_name(app, client):
    consultation = public_consultation()
    answer = _post(client, consultation, _form(
        consultation, client, name="Ida\r\nBcc: alle@example.dk"))
    assert answer.status_code == 422 and "Feltet kan kun have én linje" in answer.text
    text = "Første linje\r\n\tindrykket anden linje\r\n\r\nNyt afsnit."
    answer = _post(client, consultation, _form(consultation, client, general_text=text))
    assert answer.status_code == 303
    assert "\tindrykket anden linje" in db.session.scalar(select(Remark.original_text))


# 3. WTForms' and Flask-WTF's own messages are Danish.

def test_a_missing_csrf_token_is_told_in_danish_and_the_text_is_kept(
    app, client, monkeypatch
):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    consultation = public_consultation()
    data = _form(consultation, client, general_text="Min tekst må ikke gå tabt")
    answer = _post(client, consultation, data)  # no csrf_token at all
    assert answer.status_code == 422
    assert "Formularen kunne ikke bekræftes" in answer.text
    assert "CSRF" not in answer.text and "Min tekst må ikke gå tabt" in answer.text
    data["csrf_token"] = "forkert"
    answer = _post(client, consultation, data)
    assert answer.status_code == 422 and "Formularen kunne ikke bekræftes" in answer.text
    assert "CSRF" not in answer.text


def test_a_refused_request_is_told_in_danish_not_werkzeug_english(app, client):
    consultation = public_consultation()
    answer = _post(client, consultation, _form(consultation, client, website="http://spam"))
    assert answer.status_code == 400
    assert "Forespørgslen kunne ikke bruges" in answer.text
    assert "Bad Request" not in answer.text


# 4. A zip bomb is refused without being inflated.

def zip_bomb(inflated_mb: int = 300) -> bytes:
    """An "ODT" whose ``mimetype`` is ``inflated_mb`` MB of zeros, deflated (~1 KB per
    MB), written a MB at a time."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        info = zipfile.ZipInfo("mimetype")
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w") as member:
            megabyte = bytes(1024 * 1024)
            for _ in range(inflated_mb):
                member.write(megabyte)
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def test_a_zip_bomb_is_refused_in_danish_without_inflating_it(app, client):
    bomb = zip_bomb()
    assert len(bomb) < 400 * 1024
    consultation = public_consultation()
    data = _form(consultation, client)
    data["attachments"] = [(io.BytesIO(bomb), "svar.odt")]
    tracemalloc.start()
    try:
        before, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        answer = _post(client, consultation, data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak - before < 50 * 1024 * 1024, f"grew {(peak - before) // 2**20} MB"
    assert answer.status_code == 422
    assert "»svar.odt« kan ikke modtages" in answer.text
    assert "Flere åbne haller om aftenen." in answer.text
    assert _count(Response) == 0 and _count(Attachment) == 0
