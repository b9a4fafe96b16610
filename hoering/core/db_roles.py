"""PostgreSQL roles: the owner of the tables migrates, the app runs as a role that owns
nothing (``flask --app hoering db-roles grant RUNTIME_ROLE``).

Whoever owns a table may ALTER it, DISABLE or DROP its triggers and TRUNCATE it, so the
triggers that keep the audit trail immutable only bind a role that does not own it.
``flask db upgrade`` therefore connects as the owner (``MIGRATIONS_DATABASE_URL``) and the
app as the runtime role (``DATABASE_URL``). The grant, run as the owner after each
upgrade, gives the runtime role:

- USAGE on the schema;
- SELECT, INSERT, UPDATE and DELETE on every table and USAGE and SELECT on every sequence,
  and the same by default on the tables and sequences the owner creates later;
- only SELECT and INSERT on every table whose name starts with ``audit_`` (the audit
  trail and its transparency log, whichever migration added them), and only SELECT on
  ``alembic_version``.

It sets all of that again on each run (and takes away any other privilege the role holds
on those tables), so running it twice changes nothing; a table added by a migration
since the last run is covered by the next. Then it checks what the role can really do,
whatever its path (PUBLIC, other roles): a superuser, a member of the owner, a role that
owns something in the database or may create objects there, or one that can still change
an audit table is reported and the command exits 1.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import click
from flask import Flask, current_app
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.pool import NullPool

from hoering.core.db import db

AUDIT_TABLE_PREFIX = "audit_"
READ_ONLY_TABLES = ("alembic_version",)  # the migrations' bookkeeping: the owner's alone
TABLE_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE"
AUDIT_TABLE_PRIVILEGES = ("SELECT", "INSERT")
SEQUENCE_PRIVILEGES = "USAGE, SELECT"
# What the runtime role must not hold on an audit table, directly or through another role.
FORBIDDEN_AUDIT_PRIVILEGES = ("UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER")
_TABLE_KINDS = ("r", "p", "v", "m", "f")  # tables, partitioned, views, mat. views, foreign


class RoleSetupError(Exception):
    """The grant cannot be made as asked; nothing has been changed."""


@dataclass
class GrantReport:
    owner: str
    schema: str
    tables: list[str] = field(default_factory=list)
    audit_tables: list[str] = field(default_factory=list)
    read_only_tables: list[str] = field(default_factory=list)
    sequences: int = 0
    problems: list[str] = field(default_factory=list)


def register_commands(app: Flask) -> None:
    @app.cli.group("db-roles")
    def db_roles() -> None:
        """PostgreSQL: the owner of the tables (migrations) and the app's runtime role."""

    @db_roles.command("grant")
    @click.argument("runtime_role")
    @click.option("--schema", default=None,
                  help="The tables' schema (default: the owner's current schema).")
    def grant(runtime_role: str, schema: str | None) -> None:
        """Give RUNTIME_ROLE the app's privileges: SELECT, INSERT, UPDATE, DELETE on the
        tables, only SELECT and INSERT on the audit_* tables, the sequences, and the same
        by default on tables created later. Run it as the owner (MIGRATIONS_DATABASE_URL)
        after each `flask db upgrade`; running it again changes nothing."""
        with owner_connection() as connection:
            try:
                report = grant_runtime_privileges(connection, runtime_role, schema)
            except RoleSetupError as error:
                raise click.ClickException(str(error)) from error
        _echo_report(report, runtime_role)
        if report.problems:
            raise SystemExit(1)


@contextmanager
def owner_connection() -> Iterator[Connection]:
    """One transaction as the owner: through MIGRATIONS_DATABASE_URL when it is set, else
    through the app's own database URL (a single-role installation)."""
    url = current_app.config.get("MIGRATIONS_DATABASE_URL")
    engine: Engine = create_engine(url, poolclass=NullPool) if url else db.engine
    try:
        with engine.begin() as connection:
            yield connection
    finally:
        if url:
            engine.dispose()


def grant_runtime_privileges(
    connection: Connection, runtime_role: str, schema: str | None = None
) -> GrantReport:
    """Set the runtime role's privileges on ``schema`` (as described above) in the
    connection's transaction, as its current user, the owner of the tables."""
    if connection.dialect.name != "postgresql":
        raise RoleSetupError("db-roles grant virker kun med PostgreSQL.")
    owner, current_schema = connection.execute(
        text("SELECT current_user, current_schema()")
    ).one()
    schema = schema or current_schema
    if schema is None:
        raise RoleSetupError("Ejeren har intet aktuelt skema; angiv --schema.")
    namespace = _check_grant_possible(connection, runtime_role, owner, schema)
    report = GrantReport(owner=owner, schema=schema)
    report.tables, report.sequences = _tables_and_sequence_count(connection, namespace)
    report.audit_tables = [t for t in report.tables if t.startswith(AUDIT_TABLE_PREFIX)]
    report.read_only_tables = [t for t in report.tables if t in READ_ONLY_TABLES]
    for statement in _grant_statements(
        connection, runtime_role, owner, schema, report.audit_tables, report.read_only_tables
    ):
        connection.exec_driver_sql(statement)
    report.problems = find_problems(connection, runtime_role, owner, namespace)
    return report


def _check_grant_possible(connection: Connection, role: str, owner: str, schema: str) -> int:
    """The schema's oid, once the role exists, differs from the owner and the owner owns
    everything in the schema (GRANT and REVOKE by anyone else only warn)."""
    if connection.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :role"),
                         {"role": role}) is None:
        raise RoleSetupError(f"Rollen {role} findes ikke (CREATE ROLE {role} LOGIN ...).")
    if role == owner:
        raise RoleSetupError(
            f"{role} er selv ejeren (kommandoen kører som den): app'en skal køre som en "
            "anden rolle end den, der ejer tabellerne."
        )
    namespace = connection.scalar(
        text("SELECT oid FROM pg_namespace WHERE nspname = :schema"), {"schema": schema}
    )
    if namespace is None:
        raise RoleSetupError(f"Skemaet {schema} findes ikke.")
    others = connection.execute(text(
        "SELECT c.relname, pg_get_userbyid(c.relowner) FROM pg_class c "
        "WHERE c.relnamespace = :namespace AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S') "
        "AND c.relowner <> (SELECT oid FROM pg_roles WHERE rolname = current_user) "
        "ORDER BY c.relname"
    ), {"namespace": namespace}).all()
    if others:
        listed = ", ".join(f"{name} (ejes af {who})" for name, who in others[:5])
        raise RoleSetupError(
            f"{owner} ejer ikke alt i skemaet {schema}: {listed}. Kør kommandoen som "
            "ejeren af tabellerne (MIGRATIONS_DATABASE_URL), eller overdrag dem til den "
            "(REASSIGN OWNED BY ... TO ...)."
        )
    return int(namespace)


def _tables_and_sequence_count(connection: Connection, namespace: int) -> tuple[list[str], int]:
    rows = connection.execute(text(
        "SELECT relname, relkind FROM pg_class WHERE relnamespace = :namespace "
        "AND relkind IN ('r', 'p', 'v', 'm', 'f', 'S') ORDER BY relname"
    ), {"namespace": namespace}).all()
    tables = [name for name, kind in rows if kind in _TABLE_KINDS]
    return tables, sum(1 for _, kind in rows if kind == "S")


def _grant_statements(
    connection: Connection, role: str, owner: str, schema: str,
    audit_tables: list[str], read_only_tables: list[str],
) -> list[str]:
    quote = connection.dialect.identifier_preparer.quote_identifier
    role, owner, schema = quote(role), quote(owner), quote(schema)
    defaults = f"ALTER DEFAULT PRIVILEGES FOR ROLE {owner} IN SCHEMA {schema} GRANT"
    statements = [
        f"GRANT USAGE ON SCHEMA {schema} TO {role}",
        f"GRANT {TABLE_PRIVILEGES} ON ALL TABLES IN SCHEMA {schema} TO {role}",
        f"REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA {schema} FROM {role}",
        f"GRANT {SEQUENCE_PRIVILEGES} ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
        f"REVOKE UPDATE ON ALL SEQUENCES IN SCHEMA {schema} FROM {role}",
        f"{defaults} {TABLE_PRIVILEGES} ON TABLES TO {role}",
        f"{defaults} {SEQUENCE_PRIVILEGES} ON SEQUENCES TO {role}",
    ]
    for table in audit_tables:
        statements += [
            f"REVOKE ALL ON TABLE {schema}.{quote(table)} FROM {role}, PUBLIC",
            f"GRANT {', '.join(AUDIT_TABLE_PRIVILEGES)} ON TABLE {schema}.{quote(table)} "
            f"TO {role}",
        ]
    for table in read_only_tables:
        statements += [f"REVOKE ALL ON TABLE {schema}.{quote(table)} FROM {role}",
                       f"GRANT SELECT ON TABLE {schema}.{quote(table)} TO {role}"]
    return statements


def find_problems(connection: Connection, role: str, owner: str, namespace: int) -> list[str]:
    """What would let ``role`` get around its privileges, in words (none: an empty list)."""
    superuser, bypass_rls, member, create_objects, create_schemas, schema, database = (
        connection.execute(text(
            "SELECT rolsuper, rolbypassrls, pg_has_role(:role, :owner, 'MEMBER'), "
            "has_schema_privilege(:role, CAST(:namespace AS oid), 'CREATE'), "
            "has_database_privilege(:role, current_database(), 'CREATE'), "
            "(SELECT nspname FROM pg_namespace WHERE oid = :namespace), current_database() "
            "FROM pg_roles WHERE rolname = :role"
        ), {"role": role, "owner": owner, "namespace": namespace}).one()
    )
    checks = (
        (superuser, f"{role} er superuser: rettighederne binder den ikke "
                    f"(ALTER ROLE {role} NOSUPERUSER)."),
        (bypass_rls, f"{role} har BYPASSRLS (ALTER ROLE {role} NOBYPASSRLS)."),
        (member, f"{role} er medlem af {owner} og har dermed ejerens rettigheder "
                 f"(REVOKE {owner} FROM {role})."),
        (create_objects, f"{role} kan oprette objekter i skemaet {schema} og ville eje dem "
                         f"(REVOKE CREATE ON SCHEMA {schema} FROM PUBLIC, {role})."),
        (create_schemas, f"{role} kan oprette skemaer i databasen {database} "
                         f"(REVOKE CREATE ON DATABASE {database} FROM PUBLIC, {role})."),
    )
    problems = [message for failed, message in checks if failed]
    problems += [f"{role} ejer {thing}: ejeren kan ændre og slette det, også udenom "
                 "triggerne." for thing in _owned_by(connection, role)]
    if not (superuser or member):  # those hold every privilege anyway
        problems += _audit_privilege_problems(connection, role, namespace)
    return problems


_OWNED = text("""
WITH r AS (SELECT oid FROM pg_roles WHERE rolname = :role)
SELECT 'tabellen ' || c.oid::regclass::text FROM pg_class c, r
WHERE c.relowner = r.oid AND c.relpersistence <> 't'
    AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
UNION ALL SELECT 'skemaet ' || n.nspname FROM pg_namespace n, r WHERE n.nspowner = r.oid
UNION ALL SELECT 'funktionen ' || p.oid::regprocedure::text FROM pg_proc p, r
WHERE p.proowner = r.oid
UNION ALL SELECT 'databasen ' || d.datname FROM pg_database d, r
WHERE d.datdba = r.oid AND d.datname = current_database()
""")


def _owned_by(connection: Connection, role: str) -> list[str]:
    """What ``role`` owns in the current database (temporary tables aside)."""
    return list(connection.scalars(_OWNED, {"role": role}))


def _audit_privilege_problems(connection: Connection, role: str, namespace: int) -> list[str]:
    rows = connection.execute(text(
        "SELECT c.relname, p.privilege, has_table_privilege(:role, c.oid, p.privilege) "
        "FROM pg_class c CROSS JOIN unnest(CAST(:privileges AS text[])) AS p(privilege) "
        "WHERE c.relnamespace = :namespace AND c.relkind IN ('r', 'p', 'v', 'm', 'f') "
        "AND starts_with(c.relname::text, :prefix) ORDER BY c.relname, p.privilege"
    ), {"role": role, "namespace": namespace, "prefix": AUDIT_TABLE_PREFIX,
        "privileges": [*AUDIT_TABLE_PRIVILEGES, *FORBIDDEN_AUDIT_PRIVILEGES]}).all()
    problems = []
    for table, privilege, held in rows:
        if held and privilege in FORBIDDEN_AUDIT_PRIVILEGES:
            problems.append(f"{role} har stadig {privilege} på {table} (gennem PUBLIC eller "
                            "en anden rolle, den er medlem af).")
        elif not held and privilege in AUDIT_TABLE_PRIVILEGES:
            problems.append(f"{role} mangler {privilege} på {table}.")
    return problems


def _echo_report(report: GrantReport, role: str) -> None:
    ordinary = len(report.tables) - len(report.audit_tables) - len(report.read_only_tables)
    click.echo(
        f"{role}: {TABLE_PRIVILEGES} på {ordinary} tabeller og {SEQUENCE_PRIVILEGES} på "
        f"{report.sequences} sekvenser i skemaet {report.schema}; kun "
        f"{', '.join(AUDIT_TABLE_PRIVILEGES)} på "
        f"{', '.join(report.audit_tables) or '(ingen audit_-tabeller)'}"
        + "".join(f"; kun SELECT på {table}" for table in report.read_only_tables) + "."
    )
    click.echo(
        f"Tabeller og sekvenser, som {report.owner} opretter senere, får de samme "
        "rettigheder; kør kommandoen igen efter hver `flask db upgrade`, så nye "
        "audit_-tabeller også kun kan læses og indsættes i."
    )
    for problem in report.problems:
        click.echo(f"FEJL: {problem}", err=True)
