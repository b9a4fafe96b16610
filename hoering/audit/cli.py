"""Operator commands for the audit trail (``flask --app hoering audit ...``), suited to
cron: ``*/5 * * * * flask --app hoering audit seal`` and a daily ``audit checkpoint``
whose file is published and kept by the auditors.

Only these commands need the signing key (``AUDIT_SIGNING_KEY_FILE``); the app itself
starts without it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import click
from flask import Flask, current_app

from hoering.audit import log, record
from hoering.audit.checkpoint import (
    BadCheckpoint,
    BadSignature,
    MissingSigningKey,
    SigningKey,
)
from hoering.core.db import db, now_utc

CHECKPOINT_OPTION = click.option(
    "--checkpoint", "checkpoint_file", type=click.Path(exists=True, dir_okay=False,
                                                       path_type=Path),
    help="A signed checkpoint published earlier (from `audit checkpoint`).")


def _read_checkpoint(path: Path | None) -> str | None:
    return path.read_text(encoding="utf-8") if path is not None else None


def register_commands(app: Flask) -> None:
    @app.cli.group("audit")
    def audit() -> None:
        """The audit trail and its transparency log."""

    @audit.command("create-key")
    def create_key() -> None:
        """Create the log's signing key in AUDIT_SIGNING_KEY_FILE (once; never replaced)."""
        path = log.signing_key_path()
        try:
            SigningKey.generate(log.origin()).save(path)
        except FileExistsError as error:
            raise click.ClickException(f"Nøglen findes allerede: {path}") from error
        click.echo(f"Nøglen er gemt i {path}. Offentlig nøgle: "
                   f"{SigningKey.load(path, log.origin()).verifier()}")

    @audit.command("seal")
    def seal() -> None:
        """Put the new events into the Merkle tree and sign the new tree heads."""
        with _key_errors():
            count = log.seal()
        db.session.commit()
        click.echo(f"Forseglet: {count} nye hændelser; træets størrelse: {log.tree_size()}")

    @audit.command("checkpoint")
    @click.option("--output", type=click.Path(dir_okay=False, path_type=Path),
                  required=True, help="Where to write the signed checkpoint.")
    def checkpoint(output: Path) -> None:
        """Seal, then write a signed checkpoint (C2SP tlog-checkpoint) of the whole log."""
        with _key_errors():
            note = log.write_checkpoint()
        db.session.commit()
        output.write_text(note, encoding="utf-8")
        click.echo(f"Checkpoint af størrelse {note.splitlines()[1]} skrevet til {output}")

    @audit.command("purge-ips")
    @click.option("--days", type=click.IntRange(min=0), default=None,
                  help="Keep the addresses of this many days (default AUDIT_IP_RETENTION_DAYS).")
    def purge_ips(days: int | None) -> None:
        """Delete the client IP addresses recorded with events older than the period."""
        keep = days if days is not None else int(current_app.config["AUDIT_IP_RETENTION_DAYS"])
        count = record.purge_ips(now_utc() - timedelta(days=keep))
        db.session.commit()
        click.echo(f"IP-adresser slettet: {count} (ældre end {keep} dage).")

    _register_checks(audit)


def _register_checks(audit: click.Group) -> None:
    @audit.command("verify")
    @CHECKPOINT_OPTION
    def verify(checkpoint_file: Path | None) -> None:
        """Recompute the tree from the events and check every signed tree head (and the
        checkpoint); exit 1 and say what is wrong if anything is."""
        with _key_errors():
            result = log.verify(_read_checkpoint(checkpoint_file))
        click.echo(result.message)
        if not result.ok:
            raise SystemExit(1)

    @audit.command("prove")
    @click.argument("event_id", type=int)
    @CHECKPOINT_OPTION
    def prove(event_id: int, checkpoint_file: Path | None) -> None:
        """Print the inclusion proof (JSON) of EVENT_ID in the checkpoint's tree."""
        note = _read_checkpoint(checkpoint_file)
        if note is None:
            raise click.UsageError("Angiv --checkpoint FILE.")
        with _key_errors():
            try:
                proof = log.prove(event_id, note)
            except LookupError as error:
                raise click.ClickException(str(error)) from error
        click.echo(json.dumps(proof, ensure_ascii=False, indent=2))

    @audit.command("public-key")
    def public_key() -> None:
        """Print the log's verification key (note verifier-key format)."""
        with _key_errors():
            click.echo(str(log.verifier()))


@contextmanager
def _key_errors() -> Iterator[None]:
    """A missing key or a checkpoint that is not the log's: a clear message, exit 1."""
    try:
        yield
    except (MissingSigningKey, BadSignature, BadCheckpoint) as error:
        raise click.ClickException(str(error)) from error
