"""Operator commands for e-mail (``flask --app hoering ...``), suited to cron:

    */5 * * * *  flask --app hoering send-mail
    0 8 * * *    flask --app hoering send-reminders --days-before 3
"""

from __future__ import annotations

import click
from flask import Flask

from hoering.db import db, now_utc
from hoering.mail.outbox import enqueue_reminders
from hoering.mail.sender import SendReport, send_pending


def _echo_report(report: SendReport) -> None:
    click.echo(
        f"Sendt: {report.sent}, prøves igen senere: {report.retried}, opgivet: {report.failed}"
    )


def register_commands(app: Flask) -> None:
    @app.cli.command("send-mail")
    @click.option("--limit", default=100, show_default=True, type=click.IntRange(min=1),
                  help="Send at most this many messages.")
    def send_mail(limit: int) -> None:
        """Send the due messages in the outbox."""
        _echo_report(send_pending(limit=limit))

    @app.cli.command("send-reminders")
    @click.option("--days-before", default=3, show_default=True, type=click.IntRange(min=1),
                  help="Remind when the deadline is at most this many days away.")
    @click.option("--limit", default=1000, show_default=True, type=click.IntRange(min=1),
                  help="Send at most this many messages.")
    def send_reminders(days_before: int, limit: int) -> None:
        """Enqueue today's reminders to bodies that have not responded, then send."""
        count = enqueue_reminders(now_utc(), days_before=days_before)
        db.session.commit()
        click.echo(f"Påmindelser lagt i kø: {count}")
        _echo_report(send_pending(limit=limit))
