"""Operator commands for e-mail (``flask --app hoering ...``), suited to cron:

    */5 * * * *  flask --app hoering send-mail

(``send-reminders``, which decides whom to remind, is the consultations' command.)
"""

from __future__ import annotations

import click
from flask import Flask

from hoering.mail.sender import SendReport, send_pending


def echo_report(report: SendReport) -> None:
    click.echo(
        f"Sendt: {report.sent}, prøves igen senere: {report.retried}, opgivet: {report.failed}"
    )


def register_commands(app: Flask) -> None:
    @app.cli.command("send-mail")
    @click.option("--limit", default=100, show_default=True, type=click.IntRange(min=1),
                  help="Send at most this many messages.")
    def send_mail(limit: int) -> None:
        """Send the due messages in the outbox."""
        echo_report(send_pending(limit=limit))
