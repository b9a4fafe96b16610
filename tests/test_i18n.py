"""English and Danish: the language of a page (the switch's cookie, else the browser's,
else Danish), of messages and form errors, of e-mails (a user's own choice, else the
municipality's; a citizen's receipt: the language of the page it was sent from) and of
documents (always the municipality's: the memo, the revised draft, the exports)."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from hoering.accounts import operations as accounts
from hoering.accounts.models import Role
from hoering.audit.models import AuditEvent
from hoering.audit.tags import AuditTag
from hoering.consultations import operations as consultations
from hoering.consultations.models import Remark
from hoering.core.db import db, now_utc
from hoering.core.errors import DomainError
from hoering.core.formatting import danish_date, date_in_locale
from hoering.core.i18n import LANGUAGE_COOKIE, LANGUAGE_COOKIE_MAX_AGE, select_locale
from hoering.memos.build import build_memo
from hoering.memos.models import MemoIssue
from hoering.memos.render import render_markdown
from hoering.memos.texts import local_date
from hoering.outbox.models import OutboxMessage
from hoering.public import operations as public_ops
from tests.conftest import login
from tests.memos.test_views import build_case, revise
from tests.public.factories import public_consultation

ENGLISH = {"Accept-Language": "en-GB,en;q=0.9"}
DANISH = {"Accept-Language": "da-DK,da;q=0.9,en;q=0.5"}


def _lang(response) -> str:
    return re.search(r'<html lang="([^"]+)">', response.get_data(as_text=True)).group(1)


def _choose(client, language: str, next_page: str = "/offentlige-hoeringer", **kwargs):
    return client.post("/sprog", data={"language": language, "next": next_page}, **kwargs)


# --- the language of a page -------------------------------------------------------------


def test_without_a_choice_or_a_browser_language_the_page_is_danish(client):
    page = client.get("/offentlige-hoeringer")
    assert _lang(page) == "da"
    assert "Offentlige høringer" in page.text
    assert ">English</button>" in page.text  # the switch offers the other language
    assert "Accept-Language" in page.headers["Vary"]


def test_the_browser_language_decides_without_a_choice(client):
    english = client.get("/offentlige-hoeringer", headers=ENGLISH)
    assert _lang(english) == "en"
    assert "Public consultations" in english.text
    assert "Offentlige høringer" not in english.text
    assert ">Dansk</button>" in english.text
    danish = client.get("/login", headers=DANISH)
    assert _lang(danish) == "da"
    assert "Log ind" in danish.text
    other = client.get("/login", headers={"Accept-Language": "de-DE,fr;q=0.8"})
    assert _lang(other) == "da"  # a language we do not have: the municipality's
    # the first language we have, by its primary subtag
    assert _lang(client.get("/login", headers={"Accept-Language": "en-US,da;q=0.5"})) == "en"
    assert _lang(client.get("/login", headers={"Accept-Language": "nb,da;q=0.8,en;q=0.5"})) == (
        "da")


def test_the_switch_remembers_the_choice_for_a_year_and_overrides_the_browser(client):
    response = _choose(client, "en", headers=DANISH)
    assert response.status_code == 303
    assert response.headers["Location"] == "/offentlige-hoeringer"  # back to the page
    cookie = response.headers["Set-Cookie"]
    assert f"{LANGUAGE_COOKIE}=en" in cookie
    assert f"Max-Age={LANGUAGE_COOKIE_MAX_AGE}" in cookie and "HttpOnly" in cookie
    assert LANGUAGE_COOKIE_MAX_AGE == 365 * 24 * 60 * 60

    page = client.get("/offentlige-hoeringer", headers=DANISH)
    assert _lang(page) == "en" and "Public consultations" in page.text
    assert _lang(client.get("/login", headers=DANISH)) == "en"  # on every page

    _choose(client, "da", headers=ENGLISH)
    page = client.get("/offentlige-hoeringer", headers=ENGLISH)
    assert _lang(page) == "da" and "Offentlige høringer" in page.text


def test_the_switch_goes_back_to_the_page_with_its_query_and_never_elsewhere(client):
    page = client.get("/offentlige-hoeringer?side=2", headers=ENGLISH)
    assert 'name="next" value="/offentlige-hoeringer?side=2"' in page.text
    assert _choose(client, "da", "/offentlige-hoeringer?side=2").headers["Location"] == (
        "/offentlige-hoeringer?side=2")
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example", "", "x"):
        response = _choose(client, "en", target)
        assert response.headers["Location"] == "/offentlige-hoeringer", target
    # without "next" (a page shown after a POST): the referring page of this site only
    assert client.post("/sprog", data={"language": "en"}, headers={
        "Referer": "http://localhost/login?next=%2F"}).headers["Location"] == "/login?next=%2F"
    assert client.post("/sprog", data={"language": "en"}, headers={
        "Referer": "https://evil.example/login"}).headers["Location"] == "/offentlige-hoeringer"


def test_an_unknown_language_is_not_remembered(client):
    response = _choose(client, "de")
    assert response.status_code == 303
    assert "Set-Cookie" not in response.headers or LANGUAGE_COOKIE not in (
        response.headers["Set-Cookie"])
    client.set_cookie(LANGUAGE_COOKIE, "xx")  # a forged cookie is ignored
    assert _lang(client.get("/login", headers=ENGLISH)) == "en"


def test_the_switch_needs_the_csrf_token(app, client):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = _choose(client, "en")
        assert response.status_code == 400
        assert LANGUAGE_COOKIE not in response.headers.get("Set-Cookie", "")
        page = client.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        response = client.post("/sprog", data={"language": "en", "next": "/login",
                                               "csrf_token": token})
        assert response.status_code == 303
        assert f"{LANGUAGE_COOKIE}=en" in response.headers["Set-Cookie"]
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_a_users_choice_is_kept_on_the_account_and_brought_back_by_a_login(client, login_as):
    member = login_as(Role.MEMBER)
    assert member.language is None
    _choose(client, "en", next_page="/")
    db.session.expire_all()
    assert db.session.get(type(member), member.id).language == "en"
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == AuditTag.USER_UPDATE.value).order_by(AuditEvent.id.desc())).first()
    assert (event.actor_id, event.object_id) == (member.id, member.id)
    assert event.changes == {"language": {"before": None, "after": "en"}}

    client.post("/logout", data={})
    client.delete_cookie(LANGUAGE_COOKIE)  # another browser
    response = login(client, member)
    assert f"{LANGUAGE_COOKIE}=en" in response.headers["Set-Cookie"]
    assert _lang(client.get("/", headers=DANISH)) == "en"


def test_an_anonymous_choice_is_only_a_cookie(client, make_user):
    _choose(client, "en")
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == 0


def test_a_logged_in_page_in_english(client, login_as):
    login_as(Role.ADMIN)
    page = client.get("/", headers=ENGLISH)
    assert _lang(page) == "en"
    assert "Dashboard" in page.text and "Log out" in page.text
    assert "(Administrator)" in page.text  # the role's label
    assert "Audit log" in client.get("/revision/log", headers=ENGLISH).text


def test_labels_are_lazy_and_follow_the_language(app):
    """Tables of labels are made at import, and read in the language of the moment."""
    from hoering.accounts.forms import ROLE_LABELS
    from hoering.cases.models import Stage
    from hoering.cases.stages import STAGE_LABELS

    with app.test_request_context(headers=ENGLISH):
        assert AuditTag.AUTH_LOGIN.description == "Logged in"
        assert (str(ROLE_LABELS[Role.STAFF]), str(STAGE_LABELS[Stage.ADOPTED])) == (
            "Secretariat", "Adopted")
    with app.test_request_context():
        assert AuditTag.AUTH_LOGIN.description == "Logget ind"
        assert str(STAGE_LABELS[Stage.ADOPTED]) == "Vedtaget"


def test_outside_a_request_the_language_is_the_municipalitys(app):
    assert select_locale() == "da"
    with app.test_request_context(headers=ENGLISH):
        assert select_locale() == "en"


def test_dates_follow_the_language(app):
    day = date(2024, 4, 9)
    with app.test_request_context(headers=ENGLISH):
        assert danish_date(day) == "9 April 2024"
        assert date_in_locale(day) == "9 April 2024"
    with app.test_request_context():
        assert danish_date(day) == "9. april 2024"


# --- messages ------------------------------------------------------------------------


def test_a_domain_error_is_in_the_language_of_the_request(app, make_user):
    user = make_user(Role.STAFF)
    for headers, expected in ((ENGLISH, f"A user with the e-mail address {user.email} "
                                        "already exists."),
                              (DANISH, f"Der findes allerede en bruger med e-mailadressen "
                                       f"{user.email}.")):
        with app.test_request_context(headers=headers), pytest.raises(DomainError) as error:
            accounts.create_user(name="Anden", email=user.email, role=Role.STAFF,
                                 password=None, actor=None)
        assert error.value.message == expected


def test_a_domain_error_page_in_english(client, login_as, make_body):
    login_as(Role.STAFF)
    case = build_case(make_body)  # opened already
    response = client.post(f"/hoeringer/{case.id}/aabn", headers=ENGLISH)
    assert response.status_code == 409
    assert "The action could not be carried out" in response.text
    assert "The consultation has already been opened." in response.text


def test_form_validation_messages_are_in_english(client):
    page = client.post("/login", data={"email": "ikke-en-adresse", "password": ""},
                       headers=ENGLISH)
    assert "Enter a valid e-mail address, e.g. name@municipality.dk." in page.text
    assert "This field must be filled in." in page.text
    danish = client.post("/login", data={"email": "", "password": ""})
    assert "Feltet skal udfyldes." in danish.text


def test_a_wrong_login_is_told_in_english(client, make_user):
    user = make_user(Role.STAFF)
    page = client.post("/login", data={"email": user.email, "password": "forkert-kode"},
                       headers=ENGLISH)
    assert "Wrong e-mail address or password." in page.text


# --- e-mails ------------------------------------------------------------------------


def _citizen_form(client, consultation, headers) -> dict:
    page = client.get(f"/offentlige-hoeringer/{consultation.id}", headers=headers)
    token = re.search(r'name="token" type="hidden" value="([0-9a-f]+)"', page.text).group(1)
    return {"token": token, "name": "Ida Jensen", "email": "ida@example.dk",
            "organisation": "", "general_text": "Flere åbne haller om aftenen.",
            "website": ""}


@pytest.mark.parametrize(("headers", "subject", "lines"), [
    (ENGLISH, "Receipt for response", ("Dear Ida Jensen", "Receipt number:",
                                       "Your e-mail address is never published.")),
    (DANISH, "Kvittering for høringssvar", ("Kære Ida Jensen", "Kvitteringsnummer:",
                                            "Din e-mailadresse offentliggøres aldrig.")),
])
def test_a_citizens_receipt_is_in_the_language_of_the_form(client, headers, subject, lines):
    consultation = public_consultation()
    data = _citizen_form(client, consultation, headers)
    response = client.post(f"/offentlige-hoeringer/{consultation.id}/svar", data=data,
                           content_type="multipart/form-data", headers=headers)
    assert response.status_code == 303
    receipt = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.kind == "receipt")).one()
    assert receipt.subject.startswith(subject)
    for line in lines:
        assert line in receipt.body_text, line
    page = client.get(response.headers["Location"], headers=headers)
    assert _lang(page) == headers["Accept-Language"][:2]


def test_other_e_mails_are_in_the_recipients_language(client, login_as, make_body):
    """An administrator working in English invites a user, and staff in English remind a
    body: the e-mails are in each recipient's language, the municipality's for one who
    never chose (a new user)."""
    login_as(Role.ADMIN)
    response = client.post("/brugere/ny", data={
        "name": "Ny Bruger", "email": "ny.bruger@kommune.dk", "role": "member",
        "active": "y"}, headers=ENGLISH)
    assert response.status_code == 302
    flashed = client.get(response.headers["Location"], headers=ENGLISH).text
    assert "an invitation has been sent to ny.bruger@kommune.dk" in flashed  # the page
    invitation = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.to_address == "ny.bruger@kommune.dk")).one()
    assert invitation.subject.startswith("Invitation til høringsportalen")
    assert invitation.body_text.startswith("Til Ny Bruger")
    assert "Venlig hilsen\nSekretariatet" in invitation.body_text

    consultation = public_consultation()
    member = accounts.create_user(name="Medlem Madsen", email="madsen@kommune.dk",
                                  role=Role.MEMBER, password=None, actor=None)
    owner = consultation.consultees[0].body
    accounts.add_membership(member, owner, actor=None)
    with client.application.test_request_context(headers=ENGLISH):
        consultations.send_reminder(consultation.consultees[0], actor=None)
    english = accounts.create_user(name="Emma English", email="emma@kommune.dk",
                                   role=Role.MEMBER, password=None, actor=None)
    accounts.add_membership(english, owner, actor=None)
    accounts.set_language(english, "en")
    with client.application.test_request_context(headers=ENGLISH):
        consultations.send_reminder(consultation.consultees[0], actor=None)
    reminders = {message.to_address: message for message in db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "reminder"))}
    assert reminders[member.email].subject.startswith("Påmindelse: høringsfrist")
    assert reminders[member.email].body_text.startswith("Kære Medlem Madsen")
    assert reminders[english.email].subject.startswith("Reminder: consultation deadline")
    assert reminders[english.email].body_text.startswith("Dear Emma English")


def test_a_password_reset_link_in_the_users_language(client, make_user):
    user = make_user(Role.MEMBER, email="emma@kommune.dk")
    accounts.set_language(user, "en")
    db.session.commit()
    client.post("/glemt-adgangskode", data={"email": user.email}, headers=DANISH)
    (message,) = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.to_address == user.email))
    assert "password" in message.subject.lower()
    assert "you choose the new password" in message.body_text


# --- documents ----------------------------------------------------------------------


def _docx_parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()
                if name.startswith("word/")}


def test_the_memo_is_the_same_danish_document_in_both_languages(client, login_as, make_body):
    login_as(Role.STAFF)
    consultation = public_consultation()
    public_ops.submit_public_response(consultation, public_ops.PublicSubmission(
        token="a" * 32, name="Ida Jensen", email="ida@example.dk",
        general_text="Flere åbne haller om aftenen."))
    db.session.commit()
    url = f"/hoeringer/{consultation.id}/notat"
    for fmt in ("md", "html"):
        danish = client.get(f"{url}.{fmt}", headers=DANISH)
        english = client.get(f"{url}.{fmt}", headers=ENGLISH)
        assert danish.status_code == english.status_code == 200
        assert english.data == danish.data, fmt
        assert "(Borger)" in english.text, fmt  # the citizen's abbreviation, in Danish
        assert "Citizen" not in english.text, fmt
    danish_docx = client.get(f"{url}.docx", headers=DANISH).data
    assert _docx_parts(client.get(f"{url}.docx", headers=ENGLISH).data) == (
        _docx_parts(danish_docx))
    page = client.get(url, headers=ENGLISH)  # the page around the memo is English
    assert "Download the draft:" in page.text
    assert "(Borger)" in page.text  # ... and the memo in it Danish


def test_an_issued_memo_is_danish_when_issued_from_an_english_page(client, login_as,
                                                                    make_body):
    case = build_case(make_body)
    approver = login_as(Role.STAFF)
    for remark in db.session.scalars(select(Remark).where(Remark.consultation_id == case.id)):
        consultations.approve_reply(remark.reply, actor=approver)  # written by the system
    case.closes_at = now_utc() - timedelta(minutes=1)
    db.session.commit()
    response = client.post(f"/hoeringer/{case.id}/notat/udsted", headers=ENGLISH)
    assert response.status_code == 302
    flashed = client.get(response.headers["Location"], headers=ENGLISH).text
    assert "The consultation memo has been issued as version 1." in flashed
    issue = db.session.scalars(select(MemoIssue).where(
        MemoIssue.consultation_id == case.id)).one()
    danish = render_markdown(build_memo(case, draft=False, version=1,
                                        on=local_date(issue.issued_at)))
    assert issue.markdown == danish  # what a Danish page (or the CLI) would have issued
    assert "Baggrund" in issue.markdown


def test_the_revised_draft_and_the_exports_are_the_same_in_both_languages(client, login_as,
                                                                          make_body):
    login_as(Role.STAFF)
    case = build_case(make_body)
    revised, changed = revise(case)
    remark = db.session.scalars(select(Remark).where(
        Remark.consultation_id == case.id).order_by(Remark.id)).all()[1]
    consultations.link_change(remark, changed, actor=None)
    db.session.commit()
    urls = [f"/hoeringer/{case.id}/spor.csv", f"/hoeringer/{case.id}/spor.json",
            f"/politikker/versioner/{revised.id}/revideret-udkast-med-aendringer.docx"]
    for url in urls:
        danish = client.get(url, headers=DANISH)
        english = client.get(url, headers=ENGLISH)
        assert danish.status_code == english.status_code == 200, url
        if url.endswith(".docx"):
            assert _docx_parts(english.data) == _docx_parts(danish.data), url
        else:
            assert english.data == danish.data, url
    export = client.get(urls[0], headers=ENGLISH).text
    assert "Generelle opmærksomhedspunkter" in export and "Taget til efterretning" in export
    assert "General attention points" not in export
