"""Operator commands for personal data (``flask --app hoering ...``), the purge suited to
a daily cron job:

    0 3 * * *  flask --app hoering purge-personal-data
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app

from hoering.core.db import db, now_utc
from hoering.core.errors import DomainError
from hoering.core.formatting import deadline_text
from hoering.privacy import export
from hoering.privacy.purge import PurgeResult, purge_personal_data


def _consultations(count: int) -> str:
    return f"{count} høring" if count == 1 else f"{count} høringer"


def _echo_purge(result: PurgeResult) -> None:
    prefix = "Ville anonymisere" if result.dry_run else "Anonymiseret"
    for item in result.consultations:
        click.echo(
            f"Høring {item.consultation_id} »{item.title}« (opbevaringsperioden regnes fra "
            f"{deadline_text(item.retention_start)}): {prefix.lower()} "
            f"{item.responses} høringssvar, {item.attachments} bilag, "
            f"{item.messages} kvitteringsmails."
        )
    if not result.consultations:
        click.echo(f"Ingen persondata at anonymisere (opbevaringsperiode: "
                   f"{result.retention_days} dage).")
        return
    click.echo(
        f"{prefix} i alt: {result.responses} høringssvar, {result.attachments} bilag, "
        f"{result.messages} kvitteringsmails i {_consultations(len(result.consultations))} "
        f"(opbevaringsperiode: {result.retention_days} dage)."
    )
    if result.dry_run:
        click.echo("Prøvekørsel: intet er ændret.")


def register_commands(app: Flask) -> None:
    @app.cli.command("purge-personal-data")
    @click.option("--dry-run", is_flag=True, help="Only show what would be anonymised.")
    @click.option("--retention-days", type=click.IntRange(min=0), default=None,
                  help="Days after the final decision (default: "
                       "PERSONAL_DATA_RETENTION_DAYS).")
    def purge(dry_run: bool, retention_days: int | None) -> None:
        """Anonymise citizens' names, e-mails and attachments in consultations whose policy
        was adopted or rejected more than the retention period ago."""
        if retention_days is None:
            retention_days = int(current_app.config["PERSONAL_DATA_RETENTION_DAYS"])
        try:
            result = purge_personal_data(now_utc(), retention_days=retention_days,
                                         actor=None, dry_run=dry_run)
        except DomainError as error:
            db.session.rollback()
            raise click.ClickException(error.message) from error
        if dry_run:
            db.session.rollback()
        else:
            db.session.commit()
        _echo_purge(result)

    @app.cli.command("export-personal-data")
    @click.option("--receipt", "receipt_number", required=True,
                  help="The receipt number, e.g. H-2026-000123.")
    @click.option("--email", required=True, help="The sender's e-mail address.")
    @click.option("--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
    def export_data(receipt_number: str, email: str, output: Path) -> None:
        """Write everything held about the sender of a public response to OUTPUT (JSON)."""
        response = export.find_response(receipt_number, email)
        if response is None:
            raise click.ClickException(
                "Der er ikke noget høringssvar, der passer til både kvitteringsnummeret og "
                "e-mailadressen."
            )
        data = export.export_personal_data(response, actor=None)
        output.write_text(export.to_json(data), encoding="utf-8")
        db.session.commit()
        click.echo(f"Persondata for {data['receipt_number']} er skrevet til {output}.")
