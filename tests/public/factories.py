"""A public consultation ready for citizens' responses, and small valid files."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

from sqlalchemy import func, select

from hoering.accounts import operations as accounts
from hoering.accounts.models import Body, BodyKind
from hoering.consultations import operations as consultations
from hoering.consultations.models import Consultation
from hoering.core.db import db, now_utc
from hoering.policies import operations as policies
from hoering.policies.draft_split import DraftSection
from tests.consultations.reference import OPENED_ON

HEADINGS = ("Vision", "Kulturlivet", "Idræt og bevægelse")
PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def odt_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def public_consultation(*, public: bool = True, days_left: int = 30,
                        title: str = "Høring om kultur-, idræts- og fritidspolitikken",
                        ) -> Consultation:
    """An opened consultation on a three-section version, committed (a new owner body
    each time, so that a test may make several)."""
    number = db.session.scalar(select(func.count(Body.id))) + 1
    owner = accounts.create_body(name=f"Kultur- og Fritidsudvalget {number}",
                                 abbreviation=f"KFU{number}", kind=BodyKind.COMMITTEE,
                                 actor=None)
    policy = policies.create_policy(
        title="Kultur-, idræts- og fritidspolitik", journal_number="20.00.00-P00-1-24",
        description="", owner_body=owner, actor=None,
    )
    version = policies.create_version(
        policy, [DraftSection(h, f"Teksten om {h.lower()}.\n\nAndet afsnit.") for h in HEADINGS],
        actor=None,
    )
    consultation = consultations.create_consultation(
        version, title=title, opens_on=OPENED_ON,
        closes_at=now_utc() + timedelta(days=days_left), invitation_text="Send dit svar.",
        public=public, bodies=[owner], actor=None,
    )
    consultations.open_consultation(consultation, actor=None)
    db.session.commit()
    return consultation
