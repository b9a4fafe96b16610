"""``flask --app hoering memo export ...``: the memo as a file, for scripted filing."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from sqlalchemy import select

from hoering.consultations.models import Consultation
from hoering.core.db import db
from hoering.memos.build import build_memo
from hoering.memos.models import MemoIssue, issued_file
from hoering.memos.render import FORMATS, render


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
            data = render(build_memo(consultation), fmt)
        else:
            issue = db.session.scalar(select(MemoIssue).where(
                MemoIssue.consultation_id == consultation.id, MemoIssue.number == number))
            if issue is None:
                raise click.ClickException(f"Notatet har ingen udstedt version {number}.")
            data = issued_file(issue, fmt)
        output.write_bytes(data)
        click.echo(f"{output} ({len(data)} bytes)")
