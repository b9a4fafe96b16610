"""The letterhead the memo's and the revised draft's documents are dressed in, from the
municipality's settings."""

from __future__ import annotations

from hoering.memos.document import Letterhead
from hoering.municipality.settings import current_settings


def current_letterhead() -> Letterhead:
    settings = current_settings()
    return Letterhead(
        municipality=settings.name, logo=settings.logo,
        logo_media_type=settings.logo_media_type, word_template=settings.word_template,
    )
