"""Reading the municipality's settings: the one row, or the defaults before set-up."""

from __future__ import annotations

from hoering.core.db import db
from hoering.municipality.models import SETTINGS_ID, MunicipalitySettings


def current_settings() -> MunicipalitySettings:
    """The settings row; a transient one with empty defaults while none is stored."""
    settings = db.session.get(MunicipalitySettings, SETTINGS_ID)
    return settings if settings is not None else MunicipalitySettings(
        id=SETTINGS_ID, name="", default_unit="", secretariat_email="", accessibility_url="",
        privacy_url="", logo=None, logo_media_type="", word_template=None,
        word_template_filename="", word_template_sha256="",
    )
