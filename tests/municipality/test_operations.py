"""The municipality's settings, Word template and logo: what is stored, refused, audited."""

from __future__ import annotations

import hashlib
import json

import pytest
from sqlalchemy import func, select

from hoering.accounts.models import Role
from hoering.audit.models import AuditEvent
from hoering.core.db import db
from hoering.core.documents import limits
from hoering.core.errors import DomainError, NotAllowed
from hoering.memos.letterhead import current_letterhead
from hoering.municipality import operations
from hoering.municipality.settings import current_settings
from tests.municipality.files import as_docm, image, word_template, zip_bomb

pytestmark = pytest.mark.usefixtures("app")

SETTINGS = {"name": "Ballerup Kommune", "default_unit": "Digitalisering",
            "secretariat_email": "digitalisering@balk.dk",
            "accessibility_url": "https://ballerup.dk/tilgaengelighed",
            "privacy_url": "https://ballerup.dk/privatliv"}


def _events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def test_settings_are_stored_and_audited_with_what_changed(make_user):
    admin = make_user(Role.ADMIN)
    operations.update_settings(**SETTINGS, actor=admin)
    operations.update_settings(**{**SETTINGS, "default_unit": "  Borgerservice "}, actor=admin)

    settings = current_settings()
    assert (settings.name, settings.default_unit) == ("Ballerup Kommune", "Borgerservice")
    first, second = _events("municipality:update")
    assert first.actor_id == admin.id and first.object_type == "municipality_settings"
    assert first.changes["name"] == {"before": "", "after": "Ballerup Kommune"}
    assert second.changes == {"default_unit": {"before": "Digitalisering",
                                               "after": "Borgerservice"}}


def test_nothing_is_audited_when_nothing_changed():
    operations.update_settings(**SETTINGS, actor=None)
    operations.update_settings(**SETTINGS, actor=None)
    assert len(_events("municipality:update")) == 1


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ballerup.dk", "ftp://ballerup.dk/x",
                                 "https://", "https://ballerup dk"])
def test_a_link_must_be_a_whole_web_address(url):
    with pytest.raises(DomainError, match="https://"):
        operations.update_settings(**{**SETTINGS, "privacy_url": url}, actor=None)


@pytest.mark.parametrize("role", [Role.STAFF, Role.AUDITOR, Role.MEMBER])
def test_only_administrators_change_the_settings(make_user, role):
    user = make_user(role)
    with pytest.raises(NotAllowed):
        operations.update_settings(**SETTINGS, actor=user)
    with pytest.raises(NotAllowed):
        operations.set_word_template(word_template(), "s.docx", actor=user)
    with pytest.raises(NotAllowed):
        operations.set_logo(image(), actor=user)


@pytest.mark.parametrize(("dotx", "filename", "stored_name"), [
    (False, "Notatskabelon.docx", "Notatskabelon.docx"),
    (True, "C:\\Skabeloner\\Ballerup notat.dotx", "Ballerup notat.dotx"),
    (False, "Forkert navn.dotx", "Forkert navn.docx"),  # named after what it is
    (True, "skabelon", "skabelon.dotx"),  # named after what it is
])
def test_a_template_is_stored_with_its_name_and_hash_and_audited_without_content(
        make_user, dotx, filename, stored_name):
    admin = make_user(Role.ADMIN)
    content = word_template(dotx=dotx)
    operations.set_word_template(content, filename, actor=admin)

    settings = current_settings()
    assert settings.word_template == content
    assert settings.word_template_filename == stored_name
    assert settings.word_template_sha256 == hashlib.sha256(content).hexdigest()
    assert current_letterhead().word_template == content
    (event,) = _events("municipality:set_template")
    assert event.actor_id == admin.id
    assert event.changes == {
        "word_template_filename": {"before": "", "after": stored_name},
        "word_template_sha256": {"before": "", "after": settings.word_template_sha256}}


def test_clearing_the_template_goes_back_to_the_built_in_one():
    operations.set_word_template(word_template(), "s.docx", actor=None)
    assert operations.clear_word_template(actor=None) is True
    db.session.expire_all()
    settings = current_settings()
    assert (settings.word_template, settings.word_template_filename) == (None, "")
    (event,) = _events("municipality:clear_template")
    assert event.changes["word_template_filename"] == {"before": "s.docx", "after": ""}
    assert operations.clear_word_template(actor=None) is False  # nothing more recorded
    assert len(_events("municipality:clear_template")) == 1


@pytest.mark.parametrize(("content", "message"), [
    (b"", "tom"),
    (b"Dette er ikke en Word-fil", "ikke en Word-skabelon"),
    (image(), "ikke en Word-skabelon"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "gamle format"),  # .doc / .dot
    (word_template()[:4000], "beskadiget"),  # cut off
    (zip_bomb(), "for stor"),
    (as_docm(word_template()), "makroer"),
])
def test_a_file_that_is_no_usable_template_is_refused_in_danish(content, message):
    mark = db.session.scalar(select(func.count()).select_from(AuditEvent))
    with pytest.raises(DomainError, match=message):
        operations.set_word_template(content, "skabelon.dotx", actor=None)
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == mark


def test_a_file_beyond_the_document_bound_is_refused_before_it_is_read(monkeypatch):
    monkeypatch.setattr(limits, "MAX_DOCUMENT_BYTES", 1000)
    with pytest.raises(DomainError, match="for stor"):
        operations.set_word_template(word_template(), "s.docx", actor=None)


def test_a_zip_bomb_is_refused_from_its_declared_sizes_without_inflating_it():
    """The bomb's document.xml declares 200 MB: refused before anything is inflated,
    so it takes no time and (tracemalloc) no memory to speak of."""
    import time
    import tracemalloc

    bomb = zip_bomb()
    tracemalloc.start()
    started = time.perf_counter()
    with pytest.raises(DomainError):
        operations.check_word_template(bomb)
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert elapsed < 1.0
    assert peak < 20 * 1024 * 1024


@pytest.mark.parametrize(("fmt", "media_type"), [("PNG", "image/png"), ("JPEG", "image/jpeg")])
def test_a_logo_is_stored_with_its_type_and_audited_by_hash(fmt, media_type):
    content = image(fmt)
    operations.set_logo(content, actor=None)
    settings = current_settings()
    assert (settings.logo, settings.logo_media_type) == (content, media_type)
    (event,) = _events("municipality:set_logo")
    assert event.changes["logo_sha256"]["after"] == hashlib.sha256(content).hexdigest()
    assert content.hex()[:40] not in json.dumps(event.changes)

    assert operations.clear_logo(actor=None) is True
    assert current_settings().logo_media_type == ""
    assert len(_events("municipality:clear_logo")) == 1


@pytest.mark.parametrize(("content", "message"), [
    (b"", "tom"),
    (image("GIF"), "PNG- eller JPEG"),
    (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "PNG- eller JPEG"),
    (b"\x89PNG\r\n\x1a\n" + b"\0" * 20, "PNG- eller JPEG"),  # the magic alone
    (b"\x89PNG\r\n\x1a\n" + b"\0" * (2 * 1024 * 1024), "højst fylde 2 MB"),
])
def test_a_logo_that_is_no_png_or_jpeg_is_refused(content, message):
    with pytest.raises(DomainError, match=message):
        operations.set_logo(content, actor=None)
    assert _events("municipality:set_logo") == []
