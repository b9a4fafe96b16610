"""``flask --app hoering version ...``: the policies' versions, and the revised draft as
a file (clean, or with its changes against another version), for scripted filing.
Operators' scripts read the output: keep its shape."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask
from sqlalchemy import select

from hoering.core.db import db
from hoering.memos.revised_draft import build_revised_draft
from hoering.memos.revised_render import FORMATS, render_revised
from hoering.policies.models import Policy, PolicyVersion


def _version(version_id: int) -> PolicyVersion:
    version = db.session.get(PolicyVersion, version_id)
    if version is None:
        raise click.ClickException(f"Version {version_id} findes ikke.")
    return version


def register_commands(app: Flask) -> None:
    @app.cli.group("version")
    def version_group() -> None:
        """The policies' versions and the revised draft as documents."""

    @version_group.command("list")
    def list_versions() -> None:
        """One line per version: its id, the policy's id, its number, the policy's title
        (separated by tabs), by policy and number."""
        rows = db.session.execute(
            select(PolicyVersion.id, Policy.id, PolicyVersion.number, Policy.title)
            .join(Policy, Policy.id == PolicyVersion.policy_id)
            .order_by(Policy.id, PolicyVersion.number)
        )
        for version_id, policy_id, number, title in rows:
            click.echo(f"{version_id}\t{policy_id}\t{number}\t{title}")

    @version_group.command("export")
    @click.argument("version_id", type=int)
    @click.option("--format", "fmt", type=click.Choice(FORMATS), required=True)
    @click.option("--compare-to", "compare_to", type=int, default=None,
                  help="A version of the same policy: the document shows the changes "
                       "against it (tracked changes in .docx, a redline PDF).")
    @click.option("--output", type=click.Path(dir_okay=False, path_type=Path), required=True)
    def export(version_id: int, fmt: str, compare_to: int | None, output: Path) -> None:
        """Write VERSION_ID to OUTPUT: the clean text, or with --compare-to its changes
        and the remarks they answer."""
        new = _version(version_id)
        old = _version(compare_to) if compare_to is not None else None
        if old is not None and old.policy_id != new.policy_id:
            raise click.ClickException(
                f"Version {old.id} hører til en anden politik end version {new.id}: "
                f"«{old.policy.title}», ikke «{new.policy.title}».")
        data = render_revised(build_revised_draft(new, old), fmt)
        output.write_bytes(data)
        click.echo(f"{output} ({len(data)} bytes)")
