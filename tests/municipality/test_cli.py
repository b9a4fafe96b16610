"""``flask --app hoering memo template set FILE`` and ``... template clear``."""

from __future__ import annotations

import hashlib
import io

import docx
import pytest
from sqlalchemy import select

from hoering.audit.models import AuditEvent
from hoering.core.db import db
from hoering.municipality import operations
from hoering.municipality.settings import current_settings
from tests.consultations.factories import consultation_with_remarks
from tests.municipality.files import TEMPLATE_FONT, TEMPLATE_HEADER, word_template, zip_bomb


def _cli(app, *args: str):
    return app.test_cli_runner().invoke(args=["memo", "template", *args])


def _events(action: str) -> list[AuditEvent]:
    db.session.rollback()
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def test_set_stores_the_template_audited_by_the_system(app, tmp_path):
    content = word_template(dotx=True)
    path = tmp_path / "Ballerup notat.dotx"
    path.write_bytes(content)

    result = _cli(app, "set", str(path))

    assert result.exit_code == 0, result.output
    assert "Skabelonen Ballerup notat.dotx er gemt" in result.output
    db.session.rollback()
    settings = current_settings()
    assert settings.word_template == content
    assert settings.word_template_sha256 == hashlib.sha256(content).hexdigest()
    (event,) = _events("municipality:set_template")
    assert event.actor_id is None


@pytest.mark.parametrize(("content", "message"), [
    (zip_bomb(), "for stor"),
    (b"just text", "ikke en Word-skabelon"),
])
def test_set_refuses_a_bad_file_with_exit_1_and_the_danish_message(app, tmp_path, content,
                                                                   message):
    path = tmp_path / "skabelon.docx"
    path.write_bytes(content)
    result = _cli(app, "set", str(path))
    assert result.exit_code == 1
    assert message in result.output
    assert _events("municipality:set_template") == []
    assert current_settings().word_template is None


def test_clear_removes_the_template_and_says_so_when_there_is_none(app, tmp_path):
    path = tmp_path / "s.docx"
    path.write_bytes(word_template())
    assert _cli(app, "set", str(path)).exit_code == 0

    result = _cli(app, "clear")
    assert result.exit_code == 0 and "Skabelonen er fjernet" in result.output
    db.session.rollback()
    assert current_settings().word_template is None
    assert len(_events("municipality:clear_template")) == 1

    again = _cli(app, "clear")
    assert again.exit_code == 0 and "ingen skabelon" in again.output
    assert len(_events("municipality:clear_template")) == 1


def test_memo_export_builds_the_docx_on_the_stored_template(app, tmp_path):
    operations.set_word_template(word_template(), "Testby.docx", actor=None)
    consultation = consultation_with_remarks(3, 2)
    db.session.commit()
    output = tmp_path / "notat.docx"

    result = app.test_cli_runner().invoke(args=[
        "memo", "export", str(consultation.id), "--format", "docx", "--output", str(output)])

    assert result.exit_code == 0, result.output
    doc = docx.Document(io.BytesIO(output.read_bytes()))
    assert doc.sections[0].header.paragraphs[0].text == TEMPLATE_HEADER
    assert doc.styles["Normal"].font.name == TEMPLATE_FONT
