"""On PostgreSQL the app runs as a role that owns nothing (``flask db-roles grant``): it
reads and writes the ordinary tables, only reads and appends to the ``audit_*`` tables,
and cannot get around their triggers, since ALTER TABLE, DISABLE/DROP TRIGGER and TRUNCATE
need ownership. The triggers themselves refuse DELETE and TRUNCATE even to the owner."""

from __future__ import annotations

import os
import secrets
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from hoering import create_app
from hoering.accounts import operations as accounts
from hoering.accounts.models import BodyKind
from hoering.audit.models import IMMUTABLE_MESSAGE
from hoering.core.db import db
from tests.pg import drop_database, recreate_database

PG_URL = os.environ.get("HOERING_TEST_POSTGRES_URL")
PERMISSION_DENIED = "42501"  # SQLSTATE insufficient_privilege, also "must be owner of"
needs_postgres = pytest.mark.skipif(not PG_URL, reason="HOERING_TEST_POSTGRES_URL is not set")


@dataclass
class Installation:
    """A scratch database migrated by its owner role, granted to a runtime role."""

    app: Flask
    owner: str
    runtime: str
    member_of_owner: str  # a third role, made a member of the owner
    as_owner: Engine
    as_runtime: Engine
    first_grant_output: str


def _admin() -> Engine:
    assert PG_URL
    return create_engine(make_url(PG_URL).set(database="postgres"),
                         isolation_level="AUTOCOMMIT")


def _as(url: str, role: str, password: str) -> str:
    return make_url(url).set(username=role, password=password).render_as_string(
        hide_password=False)


def _grant(app: Flask, role: str):
    return app.test_cli_runner().invoke(args=["db-roles", "grant", role])


@pytest.fixture(scope="module")
def installation(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installation]:
    """As the README's production setup: the database is the owner's, the owner runs the
    migrations (MIGRATIONS_DATABASE_URL) and the grant, the app connects as the runtime
    role (DATABASE_URL). Roles and database have names of their own and are dropped."""
    assert PG_URL
    suffix = uuid.uuid4().hex[:8]
    owner, runtime, member = (f"hoering_{kind}_{suffix}" for kind in ("owner", "app", "member"))
    name, password = f"hoering_roles_{suffix}", secrets.token_hex(16)
    admin = _admin()
    try:
        with admin.connect() as connection:
            for role in (owner, runtime, member):
                connection.execute(text(f"CREATE ROLE {role} LOGIN PASSWORD '{password}'"))
            connection.execute(text(f"GRANT {owner} TO {member}"))
        url = recreate_database(PG_URL, name)
        with admin.connect() as connection:
            connection.execute(text(f"ALTER DATABASE {name} OWNER TO {owner}"))
        owner_url, runtime_url = _as(url, owner, password), _as(url, runtime, password)
        app = create_app("testing", {
            "SQLALCHEMY_DATABASE_URI": runtime_url, "MIGRATIONS_DATABASE_URL": owner_url,
            "AUDIT_SIGNING_KEY_FILE": str(tmp_path_factory.mktemp("keys") / "key.pem"),
        })
        with app.app_context():
            upgrade()
            db.engine.dispose()
        first = _grant(app, runtime)
        assert first.exit_code == 0, first.output
        again = _grant(app, runtime)  # idempotent
        assert (again.exit_code, again.output) == (0, first.output)
        yield Installation(app, owner, runtime, member, create_engine(owner_url),
                           create_engine(runtime_url), first.output)
    finally:
        drop_database(PG_URL, name)
        with admin.connect() as connection:
            for role in (member, runtime, owner):
                connection.execute(text(f"DROP ROLE IF EXISTS {role}"))
        admin.dispose()


def _error(engine: Engine, statement: str) -> str | None:
    """``SQLSTATE: message`` of the error ``statement`` raises in a transaction of its own
    (rolled back), or None if it succeeds."""
    with engine.connect() as connection:
        try:
            connection.execute(text(statement))
        except DBAPIError as error:
            return f"{getattr(error.orig, 'sqlstate', '?')}: {error.orig}".strip()
    return None


def _audit_tables(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        return list(connection.scalars(text(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
            "AND starts_with(tablename, 'audit_') ORDER BY tablename")))


def _triggers(engine: Engine, table: str) -> list[tuple[str, str]]:
    """(name, tgenabled) of the table's own triggers."""
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(
            "SELECT tgname, tgenabled FROM pg_trigger WHERE NOT tgisinternal "
            "AND tgrelid = CAST(:table AS regclass) ORDER BY tgname"), {"table": table})]


def _first_column(engine: Engine, table: str) -> str:
    with engine.connect() as connection:
        return str(connection.scalar(text(
            "SELECT attname FROM pg_attribute WHERE attrelid = CAST(:table AS regclass) "
            "AND attnum > 0 AND NOT attisdropped ORDER BY attnum LIMIT 1"), {"table": table}))


INSERT_EVENT = ("INSERT INTO audit_events (occurred_at, action, object_type, changes) "
                "VALUES (now(), 'test:insert', 'test', '{}') RETURNING id")


@needs_postgres
@pytest.mark.postgres
def test_the_owner_migrates_and_the_runtime_role_owns_nothing(installation):
    with installation.as_owner.connect() as connection:
        owners = set(connection.scalars(text(
            "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'")))
        runtime_owns = connection.scalar(text(
            "SELECT count(*) FROM pg_class WHERE relowner = "
            "(SELECT oid FROM pg_roles WHERE rolname = :role)"), {"role": installation.runtime})
    assert owners == {installation.owner}
    assert runtime_owns == 0
    audit_tables = _audit_tables(installation.as_owner)
    assert {"audit_events", "audit_leaves", "audit_checkpoints"} <= set(audit_tables)
    assert ", ".join(audit_tables) in installation.first_grant_output


@needs_postgres
@pytest.mark.postgres
def test_the_runtime_role_reads_and_appends_to_the_audit_tables(installation):
    with installation.as_runtime.begin() as connection:
        event_id = connection.scalar(text(INSERT_EVENT))
        assert connection.scalar(
            text("SELECT action FROM audit_events WHERE id = :id"), {"id": event_id}
        ) == "test:insert"
        for table in _audit_tables(installation.as_owner):
            connection.execute(text(f"SELECT count(*) FROM {table}"))


@needs_postgres
@pytest.mark.postgres
def test_the_runtime_role_can_neither_change_nor_get_around_the_audit_tables(installation):
    runtime, owner = installation.as_runtime, installation.as_owner
    with runtime.begin() as connection:
        connection.execute(text(INSERT_EVENT))
    with owner.connect() as connection:
        events_before = connection.scalar(text("SELECT count(*) FROM audit_events"))
    attempts = [
        "TRUNCATE audit_events CASCADE",
        "ALTER TABLE audit_events ADD COLUMN note text",
        "ALTER TABLE audit_events RENAME TO old_audit_events",
        f"ALTER TABLE audit_events OWNER TO {installation.runtime}",
        "DROP TABLE audit_events CASCADE",
        "SELECT setval(pg_get_serial_sequence('audit_events', 'id'), 1)",
        "CREATE TABLE audit_events_copy (id integer)",
    ]
    for table in _audit_tables(owner):
        column = _first_column(owner, table)
        attempts += [f"UPDATE {table} SET {column} = {column}", f"DELETE FROM {table}",
                     f"TRUNCATE {table}", f"ALTER TABLE {table} DISABLE TRIGGER ALL"]
        triggers = _triggers(owner, table)
        assert len(triggers) >= 2, f"{table} has lost its triggers: {triggers}"
        for trigger, _ in triggers:
            attempts += [f"ALTER TABLE {table} DISABLE TRIGGER {trigger}",
                         f"DROP TRIGGER {trigger} ON {table}"]
    outcomes = {statement: _error(runtime, statement) for statement in attempts}
    allowed = {s: e for s, e in outcomes.items() if not (e or "").startswith(PERMISSION_DENIED)}
    assert allowed == {}, "the runtime role was not refused for lack of privilege"
    with owner.connect() as connection:
        assert connection.scalar(text("SELECT count(*) FROM audit_events")) == events_before
    for table in _audit_tables(owner):
        assert {enabled for _, enabled in _triggers(owner, table)} == {"O"}, table


@needs_postgres
@pytest.mark.postgres
def test_the_runtime_role_reads_and_writes_the_ordinary_tables(installation):
    with installation.as_runtime.begin() as connection:
        user_id = connection.scalar(text(
            "INSERT INTO users (name, email, password_hash, role, active, created_at) "
            "VALUES ('Kørsel', 'koersel@kommune.dk', 'x', 'staff', true, now()) RETURNING id"))
        connection.execute(text("UPDATE users SET name = 'Kørsel 2' WHERE id = :id"),
                           {"id": user_id})
        connection.execute(text("DELETE FROM users WHERE id = :id"), {"id": user_id})
        assert connection.scalar(text("SELECT version_num FROM alembic_version"))
    refused = _error(installation.as_runtime, "UPDATE alembic_version SET version_num = 'x'")
    assert (refused or "").startswith(PERMISSION_DENIED), refused
    assert (_error(installation.as_runtime, "TRUNCATE users CASCADE") or "").startswith(
        PERMISSION_DENIED)


@needs_postgres
@pytest.mark.postgres
def test_tables_the_owner_creates_later_are_usable_and_audit_ones_append_only(installation):
    with installation.as_owner.begin() as connection:
        for table in ("later_notes", "audit_later"):
            connection.execute(text(f"CREATE TABLE {table} (id serial PRIMARY KEY, note text)"))
    with installation.as_runtime.begin() as connection:  # default privileges, sequence too
        note_id = connection.scalar(text(
            "INSERT INTO later_notes (note) VALUES ('a') RETURNING id"))
        connection.execute(text("UPDATE later_notes SET note = 'b' WHERE id = :id"),
                           {"id": note_id})
        connection.execute(text("DELETE FROM later_notes WHERE id = :id"), {"id": note_id})

    result = _grant(installation.app, installation.runtime)  # as after a `db upgrade`
    assert result.exit_code == 0, result.output
    assert "audit_later" in result.output
    with installation.as_runtime.begin() as connection:
        connection.execute(text("INSERT INTO audit_later (note) VALUES ('a')"))
        assert connection.scalar(text("SELECT count(*) FROM audit_later")) == 1
    for statement in ("UPDATE audit_later SET note = 'b'", "DELETE FROM audit_later",
                      "TRUNCATE audit_later"):
        refused = _error(installation.as_runtime, statement)
        assert (refused or "").startswith(PERMISSION_DENIED), (statement, refused)


@needs_postgres
@pytest.mark.postgres
def test_the_grant_refuses_the_owner_and_unknown_roles_and_reports_members(installation):
    app = installation.app
    for role, message in ((installation.owner, "er selv ejeren"),
                          ("hoering_no_such_role", "findes ikke")):
        result = _grant(app, role)
        assert result.exit_code == 1 and message in result.output, result.output
    result = _grant(app, installation.member_of_owner)
    assert result.exit_code == 1
    assert f"FEJL: {installation.member_of_owner} er medlem af {installation.owner}" \
        in result.output


def test_the_audit_tables_refuse_delete_and_truncate(app):
    """Whatever the role (here the tests' own, which owns the tables): the triggers refuse
    DELETE and, on PostgreSQL, TRUNCATE (SQLite has none) on every audit_* table."""
    accounts.create_body(name="Socialudvalget", abbreviation="SOU", kind=BodyKind.COMMITTEE,
                         actor=None)  # an audit event
    db.session.commit()
    statements = ["DELETE FROM audit_events"]
    if db.engine.dialect.name == "postgresql":
        statements += [f"TRUNCATE {name} CASCADE" for name in sorted(db.metadata.tables)
                       if name.startswith("audit_")]
    for statement in statements:
        with pytest.raises(DBAPIError) as refusal:
            db.session.execute(text(statement))
            db.session.flush()
        assert IMMUTABLE_MESSAGE in str(refusal.value), statement
        db.session.rollback()
    assert db.session.scalar(text("SELECT count(*) FROM audit_events")) == 1
