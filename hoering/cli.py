"""Operator commands: ``flask --app hoering <command>``. Keep the names stable."""

from __future__ import annotations

import click
from flask import Flask
from sqlalchemy import func, select

from hoering.accounts import operations as accounts
from hoering.accounts.models import Role, User
from hoering.core.db import db
from hoering.core.errors import DomainError


def register_commands(app: Flask) -> None:
    from hoering.audit.cli import register_commands as register_audit_commands
    from hoering.cases.cli import register_commands as register_case_commands
    from hoering.consultations.cli import register_commands as register_consultation_commands
    from hoering.core.db_roles import register_commands as register_db_role_commands
    from hoering.mail.cli import register_commands as register_mail_commands
    from hoering.memos.cli import register_commands as register_memo_commands
    from hoering.memos.version_cli import register_commands as register_version_commands
    from hoering.privacy.cli import register_commands as register_privacy_commands
    from hoering.trace.cli import register_commands as register_trace_commands

    register_consultation_commands(app)
    register_case_commands(app)
    register_memo_commands(app)
    register_version_commands(app)
    register_trace_commands(app)
    register_mail_commands(app)
    register_privacy_commands(app)
    _register_demo_command(app)
    register_audit_commands(app)
    register_db_role_commands(app)
    _register_user_commands(app)


def _demo_checkpoint() -> None:
    """The demo's audit events sealed under a first checkpoint, so the auditors' and the
    public pages show one (skipped where the signing key is not to be created)."""
    from hoering.audit.checkpoint import MissingSigningKey
    from hoering.audit.log import write_checkpoint

    try:
        note = write_checkpoint()
    except MissingSigningKey as error:
        db.session.rollback()
        click.echo(f"Revisionssporet er ikke forseglet: {error}")
        return
    db.session.commit()
    click.echo(f"Revisionssporet er forseglet med et checkpoint af størrelse "
               f"{note.splitlines()[1]} (flask --app hoering audit verify).")


def _register_demo_command(app: Flask) -> None:
    @app.cli.command("demo")
    @click.option("--skip-if-present", is_flag=True,
                  help="Exit quietly if the database already holds data.")
    def demo(skip_if_present: bool) -> None:
        """Load the demo case into an empty, migrated database and print the logins."""
        from hoering.demo import content as demo_content
        from hoering.demo import public as demo_public
        from hoering.demo.loader import database_is_empty, database_is_migrated, load_demo

        if not database_is_migrated():
            raise click.ClickException(
                "Databasen er ikke migreret. Kør først: flask --app hoering db upgrade"
            )
        if skip_if_present and not database_is_empty():
            click.echo("Databasen indeholder allerede data; demoen springes over.")
            return
        try:
            logins = load_demo()
        except DomainError as error:
            db.session.rollback()
            raise click.ClickException(error.message) from error
        db.session.commit()
        click.echo("Demoen er indlæst: Ballerup Kommunes politiske principper for digitalisering.")
        click.echo(demo_content.DEMO_NOTICE)
        click.echo(
            "Desuden en åben offentlig høring om en kultur-, idræts- og fritidspolitik med "
            f"{demo_public.RESPONSE_COUNT} opdigtede høringssvar fra borgere og foreninger. "
            "Deres kvitteringsmails ligger i udbakken (til example.com-adresser); "
            "flask --app hoering send-mail ville sende dem."
        )
        _demo_checkpoint()
        click.echo("")
        click.echo("Demo-logins (adgangskode efter e-mail):")
        for login in logins:
            click.echo(
                f"  {login.role.value:<8} {login.email:<32} {login.password}  ({login.name})"
            )


def _register_user_commands(app: Flask) -> None:
    @app.cli.group("users")
    def users() -> None:
        """Manage user accounts."""

    @app.cli.command("setup")
    @click.option("--municipality", required=True, help="The municipality's name.")
    @click.option("--admin-name", required=True)
    @click.option("--admin-email", required=True)
    def setup(municipality: str, admin_name: str, admin_email: str) -> None:
        """First run on an empty, migrated database: the municipality's settings and the
        first administrator, whose invitation link is printed as the last line."""
        from hoering.accounts.invitations import invite
        from hoering.municipality.operations import update_settings

        if db.session.scalar(select(func.count(User.id))):
            raise click.ClickException(
                "Databasen har allerede brugere; setup er kun til en ny installation. "
                "Brug »users create-admin« for en administrator mere.")
        try:
            update_settings(name=municipality, default_unit="", secretariat_email="",
                            accessibility_url="", privacy_url="", actor=None)
            admin = accounts.create_user(name=admin_name, email=admin_email, role=Role.ADMIN,
                                         password=None, actor=None)
            link = invite(admin, actor=None)
        except DomainError as error:
            db.session.rollback()
            raise click.ClickException(error.message) from error
        db.session.commit()
        click.echo(f"{municipality} er sat op, og administratoren {admin.email} er oprettet.")
        click.echo("Administratoren vælger sin adgangskode via dette link (gyldigt i 7 dage):")
        click.echo(link)

    @users.command("create-admin")
    @click.option("--name", prompt="Navn")
    @click.option("--email", prompt="E-mail")
    @click.password_option("--password", prompt="Adgangskode")
    def create_admin(name: str, email: str, password: str) -> None:
        """Create an administrator (for a new installation)."""
        try:
            user = accounts.create_user(
                name=name, email=email, role=Role.ADMIN, password=password, actor=None
            )
        except DomainError as error:
            db.session.rollback()
            raise click.ClickException(error.message) from error
        db.session.commit()
        click.echo(f"Administrator {user.email} er oprettet.")

    _register_two_factor_commands(users)


def _register_two_factor_commands(users: click.Group) -> None:
    @users.command("reset-two-factor")
    @click.argument("email")
    def reset_two_factor(email: str) -> None:
        """Remove a user's two-factor (e.g. the only administrator lost their phone and
        recovery codes); they enrol again at their next login if their role requires it."""
        from hoering.accounts.two_factor import reset

        user = db.session.scalar(select(User).where(User.email == accounts.normalise_email(email)))
        if user is None:
            raise click.ClickException(f"Der findes ingen bruger med e-mailadressen {email}.")
        try:
            reset(user, actor=None)
        except DomainError as error:
            db.session.rollback()
            raise click.ClickException(error.message) from error
        db.session.commit()
        click.echo(f"Totrinsbekræftelsen for {user.email} er nulstillet.")

    @users.command("rekey-two-factor")
    def rekey_two_factor() -> None:
        """Encrypt every TOTP secret again with the first key of TOTP_ENCRYPTION_KEY (after
        a new key was put in front; the older ones can go afterwards)."""
        from hoering.accounts.two_factor import rekey

        try:
            count = rekey()
        except DomainError as error:
            db.session.rollback()
            raise click.ClickException(error.message) from error
        db.session.commit()
        click.echo(f"{count} hemmeligheder er krypteret med den nyeste nøgle.")
