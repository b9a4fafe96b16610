"""Operator commands for committee minutes: ``minutes parse`` and ``minutes import``."""

from __future__ import annotations

import json
from datetime import date

import click
from flask import Flask
from sqlalchemy import select

from hoering.accounts.models import Body
from hoering.consultations import operations
from hoering.consultations.minutes.parse import parse_minutes
from hoering.consultations.minutes.results import SectionRef
from hoering.consultations.models import Consultation
from hoering.consultations.queries import version_sections
from hoering.core.db import db
from hoering.core.errors import DomainError


def _consultation(consultation_id: int) -> Consultation:
    consultation = db.session.get(Consultation, consultation_id)
    if consultation is None:
        raise click.ClickException(f"Høring {consultation_id} findes ikke.")
    return consultation


def _parse(consultation: Consultation, text: str):
    sections = version_sections(consultation)
    refs = [SectionRef(position=s.position, heading=s.heading) for s in sections]
    return sections, parse_minutes(text, refs)


def register_minutes_commands(app: Flask) -> None:
    @app.cli.group("minutes")
    def minutes_group() -> None:
        """Committee decisions from meeting minutes."""

    @minutes_group.command("parse")
    @click.option("--consultation", "consultation_id", type=int, required=True)
    @click.argument("file", type=click.File(encoding="utf-8"))
    def parse(consultation_id: int, file) -> None:
        """Print the remarks found in FILE as JSON, with the proposed section's 1-based
        position in the consulted version (null: general attention points). Saves nothing."""
        _sections, parsed = _parse(_consultation(consultation_id), file.read())
        remarks = [{"text": r.text, "section_position": r.section_position} for r in parsed.remarks]
        click.echo(json.dumps(remarks, ensure_ascii=False, indent=2))

    @minutes_group.command("import")
    @click.option("--consultation", "consultation_id", type=int, required=True)
    @click.option("--body", "abbreviation", required=True, help="The body's abbreviation, e.g. SOU")
    @click.option("--meeting-date", type=click.DateTime(formats=["%Y-%m-%d"]), required=True)
    @click.option("--item", "agenda_item", type=int, default=None)
    @click.argument("file", type=click.File(encoding="utf-8"))
    def import_(consultation_id: int, abbreviation: str, meeting_date, agenda_item, file) -> None:
        """Save the decision in FILE as the body's submitted response."""
        consultation = _consultation(consultation_id)
        body = db.session.scalar(select(Body).where(Body.abbreviation == abbreviation.upper()))
        if body is None:
            raise click.ClickException(f"Der findes intet organ med forkortelsen {abbreviation}.")
        sections, parsed = _parse(consultation, file.read())
        by_position = {s.position: s for s in sections}
        remarks = [
            operations.ImportedRemark(r.text, by_position.get(r.section_position))
            for r in parsed.remarks
        ]
        meeting: date = meeting_date.date()
        try:
            response = operations.import_minutes(
                consultation,
                body,
                meeting_date=meeting,
                agenda_item=agenda_item,
                remarks=remarks,
                actor=None,
            )
        except DomainError as error:
            db.session.rollback()
            raise click.ClickException(error.message) from error
        db.session.commit()
        if response.no_remarks:
            click.echo(f"{body.name}: ingen bemærkninger ({response.source}).")
        else:
            click.echo(f"{len(response.remarks)} bemærkninger gemt fra {response.source}.")
