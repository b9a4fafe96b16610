"""The municipality's settings: one row, filled by ``flask --app hoering setup`` or an
administrator. The memo and the revised draft are built on its Word template; public
pages link to its accessibility statement and privacy notice."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, LargeBinary, String
from sqlalchemy.orm import Mapped, deferred, mapped_column

from hoering.core.db import Base, now_utc

SETTINGS_ID = 1  # the only row


class MunicipalitySettings(Base):
    __tablename__ = "municipality_settings"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, default=SETTINGS_ID)
    name: Mapped[str] = mapped_column(String(200), default="")  # "Ballerup Kommune"
    default_unit: Mapped[str] = mapped_column(String(200), default="")  # "Digitalisering"
    secretariat_email: Mapped[str] = mapped_column(String(254), default="")
    accessibility_url: Mapped[str] = mapped_column(String(500), default="")
    privacy_url: Mapped[str] = mapped_column(String(500), default="")
    # The logo (PNG or JPEG) for the documents' header; loaded only when rendering.
    logo: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    logo_media_type: Mapped[str] = mapped_column(String(50), default="")
    # The municipality's Word template (.dotx or .docx, stored as uploaded): the memo's
    # and the revised draft's .docx are built on it. None: the built-in template.
    word_template: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    word_template_filename: Mapped[str] = mapped_column(String(255), default="")
    word_template_sha256: Mapped[str] = mapped_column(String(64), default="")
    updated_at: Mapped[datetime] = mapped_column(default=now_utc, onupdate=now_utc)
