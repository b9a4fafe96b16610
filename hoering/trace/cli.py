"""``flask --app hoering trace export CONSULTATION_ID --format csv|json --output FILE``:
a consultation's full trace (one row per submitted remark) for auditors."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask

from hoering.consultations.models import Consultation
from hoering.core.db import db
from hoering.trace.exports import to_csv, to_json, trace_rows

SERIALISERS = {"csv": to_csv, "json": to_json}


def register_commands(app: Flask) -> None:
    @app.cli.group("trace")
    def trace_group() -> None:
        """The trace of consultations' remarks, for auditors."""

    @trace_group.command("export")
    @click.argument("consultation_id", type=int)
    @click.option("--format", "fmt", type=click.Choice(sorted(SERIALISERS)), required=True)
    @click.option("--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
    def export(consultation_id: int, fmt: str, output: Path) -> None:
        """Write the trace of CONSULTATION_ID's submitted remarks to OUTPUT (UTF-8)."""
        consultation = db.session.get(Consultation, consultation_id)
        if consultation is None:
            raise click.ClickException(f"Høring {consultation_id} findes ikke.")
        rows = trace_rows(consultation)
        # newline="": the CSV module writes its own line endings (CRLF)
        output.write_text(SERIALISERS[fmt](rows), encoding="utf-8", newline="")
        click.echo(f"{output} ({len(rows)} bemærkninger)")
