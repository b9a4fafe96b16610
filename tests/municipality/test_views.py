"""The administrators' page for the municipality: access, the settings form, uploads."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from hoering.accounts.models import Role
from hoering.audit.models import AuditEvent
from hoering.core.db import db
from hoering.municipality import operations
from hoering.municipality.settings import current_settings
from tests.municipality.files import as_docm, image, word_template, zip_bomb

PAGE = "/admin/kommune"
FORM = {"name": "Ballerup Kommune", "default_unit": "Digitalisering",
        "secretariat_email": "digitalisering@balk.dk",
        "accessibility_url": "https://ballerup.dk/was", "privacy_url": ""}


def _text(response) -> str:
    return response.get_data(as_text=True)


def _upload(client, path: str, content: bytes, filename: str):
    field = "logo" if path.endswith("/logo") else "template"
    return client.post(path, data={field: (io.BytesIO(content), filename)},
                       content_type="multipart/form-data")


@pytest.mark.parametrize("role", [Role.STAFF, Role.AUDITOR, Role.MEMBER])
def test_only_administrators_see_the_page(client, login_as, role):
    login_as(role)
    assert client.get(PAGE).status_code == 403
    assert "/admin/kommune" not in _text(client.get("/"))


def test_an_administrator_finds_the_page_in_the_menu(client, login_as):
    login_as(Role.ADMIN)
    assert 'href="/admin/kommune"' in _text(client.get("/"))
    page = _text(client.get(PAGE))
    assert "Kommunens navn" in page and "Ingen skabelon" in page


def test_the_settings_are_saved(client, login_as):
    login_as(Role.ADMIN)
    response = client.post(PAGE, data=FORM)
    assert response.status_code == 302
    settings = current_settings()
    assert (settings.name, settings.accessibility_url) == (
        "Ballerup Kommune", "https://ballerup.dk/was")
    assert 'value="Ballerup Kommune"' in _text(client.get(PAGE))


@pytest.mark.parametrize(("field", "value", "message"), [
    ("name", "  ", "Feltet skal udfyldes."),
    ("privacy_url", "javascript:alert(1)", "https://"),
    ("secretariat_email", "ikke en adresse", "gyldig e-mailadresse"),
])
def test_a_refused_form_keeps_what_was_typed(client, login_as, field, value, message):
    login_as(Role.ADMIN)
    typed = {**FORM, field: value, "default_unit": "Borgerservice – typed"}
    response = client.post(PAGE, data=typed)
    assert response.status_code == 200
    page = _text(response)
    assert message in page
    assert 'value="Borgerservice – typed"' in page
    if value.strip():
        assert f'value="{value}"' in page
    assert current_settings().default_unit == ""  # nothing saved


@pytest.mark.parametrize("dotx", [False, True])
def test_a_template_is_uploaded_downloaded_and_removed_after_confirmation(
        client, login_as, dotx):
    login_as(Role.ADMIN)
    content = word_template(dotx=dotx)
    name = "Notat.dotx" if dotx else "Notat.docx"
    response = _upload(client, f"{PAGE}/skabelon", content, name)
    assert response.status_code == 302
    page = _text(client.get(PAGE))
    assert "Skabelonen er gemt" in page and name in page and "Fjern skabelon" in page

    download = client.get(f"{PAGE}/skabelon/hent")
    assert download.data == content
    assert download.mimetype.endswith("template" if dotx else "document")
    assert name in download.headers["Content-Disposition"]

    question = client.get(f"{PAGE}/skabelon/fjern")
    assert "indbyggede skabelon" in _text(question)
    assert current_settings().word_template == content  # asking changes nothing
    assert client.post(f"{PAGE}/skabelon/fjern").status_code == 302
    db.session.expire_all()
    assert current_settings().word_template is None
    assert client.get(f"{PAGE}/skabelon/hent").status_code == 404


@pytest.mark.parametrize(("content", "filename", "message"), [
    (zip_bomb(), "bombe.docx", "for stor"),
    (word_template()[:5000], "halv.docx", "beskadiget"),
    (b"%PDF-1.4 ...", "notat.pdf", "ikke en Word-skabelon"),
    (as_docm(word_template()), "makro.docm", "makroer"),
])
def test_a_hostile_or_wrong_template_is_refused_under_the_field(
        client, login_as, content, filename, message):
    login_as(Role.ADMIN)
    response = _upload(client, f"{PAGE}/skabelon", content, filename)
    assert response.status_code == 200
    page = _text(response)
    assert message in page and 'id="template-error"' in page
    assert current_settings().word_template is None
    assert db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "municipality:set_template")).first() is None


def test_an_upload_without_a_file_asks_for_one(client, login_as):
    login_as(Role.ADMIN)
    response = client.post(f"{PAGE}/skabelon", data={}, content_type="multipart/form-data")
    assert response.status_code == 200
    assert "Vælg en fil." in _text(response)


def test_a_logo_is_uploaded_shown_and_removed(client, login_as):
    login_as(Role.ADMIN)
    content = image("JPEG")
    assert _upload(client, f"{PAGE}/logo", content, "logo.jpg").status_code == 302
    assert 'src="/admin/kommune/logo/vis"' in _text(client.get(PAGE))
    shown = client.get(f"{PAGE}/logo/vis")
    assert (shown.data, shown.mimetype) == (content, "image/jpeg")
    assert client.post(f"{PAGE}/logo/fjern").status_code == 302
    assert client.get(f"{PAGE}/logo/vis").status_code == 404


def test_a_logo_that_is_no_picture_is_refused(client, login_as):
    login_as(Role.ADMIN)
    response = _upload(client, f"{PAGE}/logo", b"<svg/>", "logo.svg")
    assert response.status_code == 200
    assert "PNG- eller JPEG" in _text(response)
    assert current_settings().logo is None


def test_the_page_shows_the_stored_template(client, login_as):
    operations.set_word_template(word_template(), "Ballerup.dotx", actor=None)  # a .docx
    login_as(Role.ADMIN)
    page = _text(client.get(PAGE))
    assert "Ballerup.docx" in page and "Erstat skabelon" in page
