"""Operator commands for consultations (``flask --app hoering ...``; the minutes' commands
are in ``hoering.consultations.minutes.cli``), and the daily reminders, suited to cron:

    0 8 * * *    flask --app hoering send-reminders --days-before 3
"""

from __future__ import annotations

import click
from flask import Flask
from sqlalchemy import select

from hoering.consultations import operations
from hoering.consultations.minutes.cli import register_minutes_commands
from hoering.consultations.models import Consultation
from hoering.core.db import db, now_utc
from hoering.mail.cli import echo_report
from hoering.mail.sender import send_pending


def register_commands(app: Flask) -> None:
    _register_reminder_command(app)
    _register_consultation_commands(app)
    register_minutes_commands(app)


def _register_reminder_command(app: Flask) -> None:
    @app.cli.command("send-reminders")
    @click.option("--days-before", default=3, show_default=True, type=click.IntRange(min=1),
                  help="Remind when the deadline is at most this many days away.")
    @click.option("--limit", default=1000, show_default=True, type=click.IntRange(min=1),
                  help="Send at most this many messages.")
    def send_reminders(days_before: int, limit: int) -> None:
        """Enqueue today's reminders to bodies that have not responded, then send."""
        count = operations.enqueue_reminders(now_utc(), days_before=days_before)
        db.session.commit()
        click.echo(f"Påmindelser lagt i kø: {count}")
        echo_report(send_pending(limit=limit))


def _register_consultation_commands(app: Flask) -> None:
    @app.cli.group("consultation")
    def consultation_group() -> None:
        """Consultations."""

    @consultation_group.command("list")
    def list_consultations() -> None:
        """One line per consultation: id, a tab, its title."""
        for consultation in db.session.scalars(select(Consultation).order_by(Consultation.id)):
            click.echo(f"{consultation.id}\t{consultation.title}")
