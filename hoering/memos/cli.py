"""``flask --app hoering memo export ...``: the memo as a file, for scripted filing;
``memo template set FILE`` / ``memo template clear``: the municipality's Word template
the memo's and the revised draft's .docx are built on."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from sqlalchemy import select

from hoering.consultations.models import Consultation
from hoering.core.db import db
from hoering.core.documents import limits
from hoering.core.errors import DomainError
from hoering.memos.build import build_memo
from hoering.memos.formats import FORMATS, render
from hoering.memos.letterhead import current_letterhead
from hoering.memos.models import MemoIssue, issued_file
from hoering.municipality import operations as municipality


def register_commands(app: Flask) -> None:
    @app.cli.group("memo")
    def memo_group() -> None:
        """Consultation memos (høringsnotater)."""

    @memo_group.command("export")
    @click.argument("consultation_id", type=int)
    @click.option("--format", "fmt", type=click.Choice(sorted(FORMATS)), required=True)
    @click.option("--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
    @click.option("--version", "number", type=int, default=None,
                  help="An issued version; without it the current draft is exported.")
    def export(consultation_id: int, fmt: str, output: Path, number: int | None) -> None:
        """Write the memo of CONSULTATION_ID to OUTPUT."""
        consultation = db.session.get(Consultation, consultation_id)
        if consultation is None:
            raise click.ClickException(f"Høring {consultation_id} findes ikke.")
        if number is None:
            data = render(build_memo(consultation), fmt, current_letterhead())
        else:
            issue = db.session.scalar(select(MemoIssue).where(
                MemoIssue.consultation_id == consultation.id, MemoIssue.number == number))
            if issue is None:
                raise click.ClickException(f"Notatet har ingen udstedt version {number}.")
            data = issued_file(issue, fmt)
        output.write_bytes(data)
        click.echo(f"{output} ({len(data)} bytes)")

    _register_template_commands(memo_group)


def _register_template_commands(memo_group: click.Group) -> None:
    @memo_group.group("template")
    def template_group() -> None:
        """The municipality's Word template (.dotx or .docx) for the memo and revised draft."""

    @template_group.command("set")
    @click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    def set_template(file: Path) -> None:
        """Check FILE and store it as the template (audited)."""
        with file.open("rb") as stream:  # a file beyond the bound is refused, not read whole
            content = stream.read(limits.MAX_DOCUMENT_BYTES + 1)
        try:
            settings = municipality.set_word_template(content, file.name, actor=None)
        except DomainError as error:
            db.session.rollback()
            raise click.ClickException(error.message) from error
        db.session.commit()
        click.echo(f"Skabelonen {settings.word_template_filename} er gemt (SHA-256 "
                   f"{settings.word_template_sha256[:12]}…). Nye notater og udkast bygges "
                   "på den.")

    @template_group.command("clear")
    def clear_template() -> None:
        """Go back to the built-in template (audited)."""
        cleared = municipality.clear_word_template(actor=None)
        db.session.commit()
        click.echo("Skabelonen er fjernet; notater og udkast bygges på den indbyggede "
                   "skabelon." if cleared else "Der er ingen skabelon at fjerne.")
