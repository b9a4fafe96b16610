"""Operator commands for committee minutes (stable names and output; scripts rely on them):

- ``minutes read --consultation ID [--item N] FILE``: one JSON object with the item, its
  candidates, body, meeting date, warnings and placed remarks; exit 1 if FILE could not
  be read (the object then carries the reason as a warning).
- ``minutes parse --consultation ID [--item N] FILE``: the remarks list, as always.
- ``minutes import --consultation ID [--body X] [--meeting-date D] [--item N] FILE``.
- ``minutes import-all --consultation ID FILE...``: one line per file, tab-separated:
  file, ``ok``/``refused``, the body's abbreviation, the number of remarks or the reason.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import select

from hoering.accounts.models import Body
from hoering.consultations.minutes import importing
from hoering.consultations.minutes.reading import MinutesReading
from hoering.consultations.models import Consultation, Response
from hoering.core.db import db
from hoering.core.documents import UnreadableDocument
from hoering.core.errors import DomainError

_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


def _consultation(consultation_id: int) -> Consultation:
    consultation = db.session.get(Consultation, consultation_id)
    if consultation is None:
        raise click.ClickException(f"Høring {consultation_id} findes ikke.")
    return consultation


def _read(consultation: Consultation, path: Path, item: int | None) -> MinutesReading:
    return importing.read_file(consultation, path.read_bytes(), path.name, item_number=item)


def reading_json(reading: MinutesReading) -> dict[str, Any]:
    """The ``minutes read`` object."""
    return {
        "item": reading.item.number if reading.item else None,
        "title": reading.item.title if reading.item else None,
        "candidates": [{"item": i.number, "title": i.title} for i in reading.candidates],
        "body": reading.body.abbreviation if reading.body else None,
        "meeting_date": _iso(reading.meeting.meeting_date),
        "no_remarks": reading.no_remarks,
        "warnings": [{"code": w.code, "message": w.message} for w in reading.warnings],
        "remarks": [
            {"text": r.text, "section_position": r.section_position, "reason": r.reason}
            for r in reading.remarks
        ],
    }


def _unreadable_json(error: UnreadableDocument) -> dict[str, Any]:
    return {
        "item": None, "title": None, "candidates": [], "body": None, "meeting_date": None,
        "no_remarks": False, "warnings": [{"code": error.code, "message": error.message}],
        "remarks": [],
    }  # fmt: skip


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _echo_json(value: Any) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2))


def _body(abbreviation: str | None) -> Body | None:
    if abbreviation is None:
        return None
    body = db.session.scalar(select(Body).where(Body.abbreviation == abbreviation.upper()))
    if body is None:
        raise click.ClickException(f"Der findes intet organ med forkortelsen {abbreviation}.")
    return body


def _import(
    consultation: Consultation, path: Path, *, body: Body | None = None,
    meeting_date: date | None = None, item: int | None = None,
) -> Response:  # fmt: skip
    """FILE saved as the body's response, in the current transaction; DomainError or
    UnreadableDocument with the reason if refused."""
    reading = _read(consultation, path, item)
    facts = importing.meeting_facts(reading, body=body, meeting_date=meeting_date, agenda_item=item)
    return importing.save_reading(consultation, reading, facts, actor=None)


def _saved_message(response: Response) -> str:
    if response.no_remarks:
        assert response.body is not None
        return f"{response.body.name}: ingen bemærkninger ({response.source})."
    return f"{len(response.remarks)} bemærkninger gemt fra {response.source}."


minutes_group = AppGroup(
    "minutes", help="Committee decisions from meeting minutes (referat): PDF, Word, ODT or text."
)


def register_minutes_commands(app: Flask) -> None:
    app.cli.add_command(minutes_group)


@minutes_group.command("read")
@click.option("--consultation", "consultation_id", type=int, required=True)
@click.option("--item", type=int, default=None, help="The agenda item, if not found.")
@click.argument("file", type=_FILE)
def read(consultation_id: int, item: int | None, file: Path) -> None:
    """Print what FILE says for the consultation as one JSON object. Saves nothing."""
    consultation = _consultation(consultation_id)
    try:
        reading = _read(consultation, file, item)
    except UnreadableDocument as error:
        _echo_json(_unreadable_json(error))
        raise SystemExit(1) from error
    _echo_json(reading_json(reading))


@minutes_group.command("parse")
@click.option("--consultation", "consultation_id", type=int, required=True)
@click.option("--item", type=int, default=None, help="The agenda item, if not found.")
@click.argument("file", type=_FILE)
def parse(consultation_id: int, item: int | None, file: Path) -> None:
    """Print the remarks found in FILE as JSON, with the proposed section's 1-based
    position in the consulted version (null: general attention points). Saves nothing."""
    try:
        reading = _read(_consultation(consultation_id), file, item)
    except UnreadableDocument as error:
        raise click.ClickException(error.message) from error
    _echo_json([{"text": r.text, "section_position": r.section_position} for r in reading.remarks])


@minutes_group.command("import")
@click.option("--consultation", "consultation_id", type=int, required=True)
@click.option("--body", "abbreviation", default=None, help="The body's abbreviation, e.g. SOU")
@click.option("--meeting-date", type=click.DateTime(formats=["%Y-%m-%d"]), default=None)
@click.option("--item", type=int, default=None)
@click.argument("file", type=_FILE)
def import_(consultation_id: int, abbreviation: str | None, meeting_date: datetime | None,
            item: int | None, file: Path) -> None:  # fmt: skip
    """Save the decision in FILE as the body's submitted response; body, meeting date
    and item come from the document unless given."""
    consultation = _consultation(consultation_id)
    try:
        response = _import(
            consultation,
            file,
            body=_body(abbreviation),
            item=item,
            meeting_date=meeting_date.date() if meeting_date else None,
        )
    except (DomainError, UnreadableDocument) as error:
        db.session.rollback()
        raise click.ClickException(error.message) from error
    db.session.commit()
    click.echo(_saved_message(response))


@minutes_group.command("import-all")
@click.option("--consultation", "consultation_id", type=int, required=True)
@click.argument("files", type=_FILE, nargs=-1, required=True)
def import_all(consultation_id: int, files: tuple[Path, ...]) -> None:
    """Import several referats, each in its own transaction; one line per file:
    FILE<TAB>ok|refused<TAB>BODY<TAB>remarks or reason. Exit 1 if any was refused."""
    consultation = _consultation(consultation_id)
    refused = 0
    for path in files:
        line, ok = _import_one(consultation, path)
        refused += not ok
        click.echo(line)
    if refused:
        raise SystemExit(1)


def _import_one(consultation: Consultation, path: Path) -> tuple[str, bool]:
    """One file of ``import-all`` in its own transaction: (its line, imported)."""
    try:
        reading = _read(consultation, path, None)
    except UnreadableDocument as error:
        return f"{path}\trefused\t-\t{error.message}", False
    abbreviation = reading.body.abbreviation if reading.body else "-"
    try:
        facts = importing.meeting_facts(reading)
        response = importing.save_reading(consultation, reading, facts, actor=None)
    except DomainError as error:
        db.session.rollback()
        return f"{path}\trefused\t{abbreviation}\t{error.message}", False
    db.session.commit()
    return f"{path}\tok\t{facts.body.abbreviation}\t{len(response.remarks)}", True
