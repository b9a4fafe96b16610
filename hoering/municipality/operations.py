"""Changing the municipality's settings: its name and links, its Word template, its logo.

Every change is audited in the same transaction (the template and logo by file name,
size and SHA-256, never their content). Refusals are ``DomainError`` with a Danish
message. ``actor=None`` is the system (the CLI); anyone else must be an administrator.
"""

from __future__ import annotations

import hashlib
import posixpath
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from flask_babel import gettext as _

from hoering.audit.record import changes_between, record_change, update_and_record
from hoering.audit.tags import AuditTag
from hoering.core.db import db
from hoering.core.documents import UnreadableDocument
from hoering.core.errors import DomainError
from hoering.core.permissions import Permission, check
from hoering.municipality.models import SETTINGS_ID, MunicipalitySettings
from hoering.municipality.settings import current_settings
from hoering.municipality.template_file import read_template, refusal_message

if TYPE_CHECKING:  # the actor is a user; municipality sits below accounts
    from hoering.accounts.models import User

MANAGE = Permission.MANAGE_USERS  # administrators alone
SETTINGS_FIELDS = ("name", "default_unit", "secretariat_email", "accessibility_url",
                   "privacy_url")
TEMPLATE_FIELDS = ("word_template_filename", "word_template_sha256")
TEMPLATE_SUFFIXES = (".dotx", ".docx")
MAX_FILENAME = 255
MAX_LOGO_BYTES = 2 * 1024 * 1024
LOGO_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png", b"\xff\xd8\xff": "image/jpeg"}


def stored_settings() -> MunicipalitySettings:
    """The settings row, created (with empty defaults) the first time it is changed."""
    settings = db.session.get(MunicipalitySettings, SETTINGS_ID)
    if settings is None:
        settings = current_settings()
        db.session.add(settings)
        db.session.flush()
    return settings


def check_web_address(value: str) -> None:
    """An empty value, or an absolute http(s) address (public pages link to it)."""
    if not value:
        return
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or " " in value:
        raise DomainError(_("Skriv en hel webadresse, der begynder med https://, fx "
                            "https://kommune.dk/tilgaengelighed."))


def update_settings(*, name: str, default_unit: str, secretariat_email: str,
                    accessibility_url: str, privacy_url: str,
                    actor: User | None) -> MunicipalitySettings:
    """Name, default unit, the secretariat's e-mail and the two links (audited when
    something changed)."""
    check(actor, MANAGE)
    for url in (accessibility_url, privacy_url):
        check_web_address(url)
    settings = stored_settings()
    values = {"name": name.strip(), "default_unit": default_unit.strip(),
              "secretariat_email": secretariat_email.strip(),
              "accessibility_url": accessibility_url.strip(), "privacy_url": privacy_url.strip()}
    update_and_record(settings, AuditTag.MUNICIPALITY_UPDATE, SETTINGS_FIELDS, values,
                      actor=actor)
    return settings


def check_word_template(content: bytes) -> str:
    """Refuse (``DomainError``) a file that is no usable .dotx/.docx: not a Word
    package, macro-enabled, damaged, beyond the document bounds (a zip bomb). Returns
    what it is: ``.dotx`` or ``.docx``."""
    if not content:
        raise DomainError(_("Filen er tom. Vælg en .dotx- eller .docx-fil."))
    try:
        return read_template(content)[1]
    except UnreadableDocument as error:
        raise DomainError(refusal_message(error)) from error


def template_filename(filename: str, suffix: str) -> str:
    """The file's own name (no folders), at most 255 characters, ending in what the
    file is (``suffix``: a .docx named .dotx is renamed, so Word opens it as it is)."""
    name = posixpath.basename(filename.replace("\\", "/")).strip()
    stem, given = posixpath.splitext(name)
    if given.lower() not in TEMPLATE_SUFFIXES:
        stem = name
    return (stem or "skabelon")[:MAX_FILENAME - len(suffix)] + suffix


def set_word_template(content: bytes, filename: str, *,
                      actor: User | None) -> MunicipalitySettings:
    """Store ``content`` as the municipality's Word template, after checking it
    (audited by file name and SHA-256)."""
    check(actor, MANAGE)
    suffix = check_word_template(content)
    settings = stored_settings()
    settings.word_template = content
    update_and_record(settings, AuditTag.MUNICIPALITY_SET_TEMPLATE, TEMPLATE_FIELDS, {
        "word_template_filename": template_filename(filename, suffix),
        "word_template_sha256": hashlib.sha256(content).hexdigest(),
    }, actor=actor)
    return settings


def clear_word_template(*, actor: User | None) -> bool:
    """Go back to the built-in template; False (nothing recorded) if none was set."""
    check(actor, MANAGE)
    settings = db.session.get(MunicipalitySettings, SETTINGS_ID)
    if settings is None or not settings.word_template_sha256:
        return False
    settings.word_template = None
    update_and_record(settings, AuditTag.MUNICIPALITY_CLEAR_TEMPLATE, TEMPLATE_FIELDS,
                      {"word_template_filename": "", "word_template_sha256": ""}, actor=actor)
    return True


def logo_media_type(content: bytes) -> str:
    """``image/png`` or ``image/jpeg`` from the file's first bytes; ``DomainError`` for
    anything else, an empty file, or one over 2 MB."""
    if not content:
        raise DomainError(_("Filen er tom. Vælg et logo som PNG eller JPEG."))
    if len(content) > MAX_LOGO_BYTES:
        raise DomainError(_("Logoet må højst fylde %(n)d MB.", n=MAX_LOGO_BYTES // (1024 * 1024)))
    media_type = next((kind for magic, kind in LOGO_TYPES.items()
                       if content.startswith(magic)), None)
    if media_type is None or not _readable_image(content):
        raise DomainError(_("Logoet skal være et billede i PNG- eller JPEG-format."))
    return media_type


def _readable_image(content: bytes) -> bool:
    """Whether Word's image reader (python-docx's) can read the picture's header."""
    from docx.image.image import Image

    try:
        image: Any = Image.from_blob(content)
        return bool(image.px_width and image.px_height)
    except Exception:  # python-docx raises several kinds for a picture it cannot read
        return False


def _logo_fingerprint(settings: MunicipalitySettings) -> dict[str, Any]:
    logo = settings.logo
    return {"logo_media_type": settings.logo_media_type,
            "logo_sha256": hashlib.sha256(logo).hexdigest() if logo else None}


def set_logo(content: bytes, *, actor: User | None) -> MunicipalitySettings:
    """The logo for the documents' header (PNG or JPEG, at most 2 MB)."""
    check(actor, MANAGE)
    media_type = logo_media_type(content)
    settings = stored_settings()
    before = _logo_fingerprint(settings)
    settings.logo, settings.logo_media_type = content, media_type
    db.session.flush()
    record_change(AuditTag.MUNICIPALITY_SET_LOGO, settings, actor=actor,
                  changes=changes_between(before, _logo_fingerprint(settings)))
    return settings


def clear_logo(*, actor: User | None) -> bool:
    """No logo any more; False (nothing recorded) if there was none."""
    check(actor, MANAGE)
    settings = db.session.get(MunicipalitySettings, SETTINGS_ID)
    if settings is None or not settings.logo_media_type:
        return False
    before = _logo_fingerprint(settings)
    settings.logo, settings.logo_media_type = None, ""
    db.session.flush()
    record_change(AuditTag.MUNICIPALITY_CLEAR_LOGO, settings, actor=actor,
                  changes=changes_between(before, _logo_fingerprint(settings)))
    return True
