"""Shared fixtures. Every test that uses ``app`` runs once per database backend:
SQLite always, PostgreSQL when ``HOERING_TEST_POSTGRES_URL`` is set, e.g.
``postgresql+psycopg://postgres@127.0.0.1:5432/hoering_test`` (the database is created
if missing). With ``HOERING_REQUIRE_POSTGRES=1`` (CI) the run fails unless PostgreSQL
tests really ran and passed.

Isolation: each test runs inside one transaction on one connection, rolled back at its
end. ``db.session`` is bound to that connection with ``join_transaction_mode=
"create_savepoint"``, so the app's ``db.session.commit()`` only releases a SAVEPOINT and
``db.session.rollback()`` goes back to the last one, as a real commit would. Tests whose
data must really be committed (other threads, processes or connections read or write it:
live servers, concurrent workers) carry ``@pytest.mark.commits``; they run without the
outer transaction and the tables are emptied after them.

A module may build an expensive set of data once (a module-scoped fixture that really
commits, and empties the tables when it is torn down) and list the fixture in
``COMMITTED_WORLDS``; its tests then run last in the module, each rolled back on top of
that data, after the module's other tests have had their empty database.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from functools import cache

import pytest
from flask import Flask, g, has_app_context
from flask.testing import FlaskClient
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import Connection, select, text
from sqlalchemy.engine import make_url

from hoering import create_app
from hoering.accounts import operations as accounts
from hoering.accounts.models import Body, BodyKind, Role, User
from hoering.audit.models import IMMUTABLE_TABLES, sqlite_triggers
from hoering.core.db import db
from tests.pg import drop_database, ensure_database, recreate_database

pytest_plugins = ["tests.smtp", "tests.oidc_provider"]  # loopback SMTP server, OIDC provider

PG_URL = os.environ.get("HOERING_TEST_POSTGRES_URL")
REQUIRE_PG = os.environ.get("HOERING_REQUIRE_POSTGRES") == "1"
BACKENDS = ["sqlite", "postgresql"] if PG_URL else ["sqlite"]
PASSWORD = "correct-horse-battery"

_postgres_passed = 0


def pytest_configure(config: pytest.Config) -> None:
    if REQUIRE_PG and not PG_URL:
        raise pytest.UsageError(
            "HOERING_REQUIRE_POSTGRES=1 but HOERING_TEST_POSTGRES_URL is not set"
        )


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    global _postgres_passed
    if report.when == "call" and report.passed and "postgresql" in report.nodeid:
        _postgres_passed += 1


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if hasattr(session.config, "workerinput"):
        return  # a pytest-xdist worker: the controller sees every worker's reports
    if REQUIRE_PG and session.testscollected and _postgres_passed == 0:
        print("\nERROR: HOERING_REQUIRE_POSTGRES=1 but no PostgreSQL test passed")
        session.exitstatus = 1


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    terminalreporter.write_line(f"PostgreSQL tests passed: {_postgres_passed}")


@pytest.hookimpl(trylast=True)  # after pytest has grouped the tests by backend
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The browser tests on one backend only (``_browser_backend``). In each run of
    consecutive tests from one module, the tests that use one of the module's
    ``COMMITTED_WORLDS`` go last (otherwise in their order): the world is built once,
    when the first of them runs, and the module's other tests, which expect an empty
    database, have run by then."""
    other_backend = [item for item in items if item.get_closest_marker("browser")
                     and _backend(item) not in (None, _browser_backend())]
    if other_backend:
        config.hook.pytest_deselected(items=other_backend)
        items[:] = [item for item in items if item not in set(other_backend)]

    def uses_world(item: pytest.Item) -> bool:
        worlds = getattr(getattr(item, "module", None), "COMMITTED_WORLDS", ())
        return any(name in item.fixturenames for name in worlds)

    ordered: list[pytest.Item] = []
    start = 0
    for end in range(1, len(items) + 1):
        if end == len(items) or items[end].path != items[start].path:
            run = items[start:end]
            ordered += [i for i in run if not uses_world(i)] + [i for i in run if uses_world(i)]
            start = end
    items[:] = ordered


def _browser_backend() -> str:
    """Where the browser tests run: on PostgreSQL, production's database, when it is
    there. A browser drives pages whose every query the other tests run on both
    databases; on both, the browser tests took a third of the suite's time."""
    return BACKENDS[-1]


def _backend(item: pytest.Item) -> str | None:
    callspec = getattr(item, "callspec", None)
    return callspec.params.get("database_url") if callspec is not None else None


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path_factory) -> Iterator[str]:
    """SQLite: a file per run. PostgreSQL: a scratch database per run beside the one
    named in HOERING_TEST_POSTGRES_URL, so that concurrent runs do not collide."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
        return
    ensure_database(PG_URL)
    name = f"{make_url(PG_URL).database}_{os.getpid()}"
    yield recreate_database(PG_URL, name)
    drop_database(PG_URL, name)


@pytest.fixture(scope="session")
def app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    key_file = tmp_path_factory.mktemp("keys") / "audit-signing-key.pem"
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database_url,
                                 "AUDIT_SIGNING_KEY_FILE": str(key_file)})
    with app.app_context():
        db.drop_all()
        db.create_all()  # tests may; the app itself only migrates
    yield app
    with app.app_context():
        db.drop_all()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _isolate_database(request: pytest.FixtureRequest) -> Iterator[None]:
    """Each test that uses the app runs in its app context, inside a transaction rolled
    back at its end; with ``@pytest.mark.commits`` it really commits instead, and the
    tables are emptied after it."""
    if "app" not in request.fixturenames:
        yield
        return
    app: Flask = request.getfixturevalue("app")
    if request.node.get_closest_marker("commits"):
        with app.app_context():
            yield
            empty_all_tables()
        return
    with app.app_context(), rolled_back():
        yield


class _ConnectionBound:
    """Flask-SQLAlchemy's session picks the app's engine even when the session is given
    a ``bind``; with this mixin it uses the bound connection (a test's transaction)."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        if bind is None and isinstance(self.bind, Connection):
            return self.bind
        return super().get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)


@cache
def _connection_bound(session_class: type[FlaskSession]) -> type[FlaskSession]:
    return type("ConnectionBoundSession", (_ConnectionBound, session_class), {})


_test_connection: Connection | None = None


@contextmanager
def rolled_back() -> Iterator[Connection]:
    """Bind every ``db.session`` created meanwhile (in this thread's app contexts: the
    test's, its requests', the CLI runner's) to one connection inside a transaction, and
    roll it back at the end."""
    global _test_connection
    db.session.remove()
    connection = db.engine.connect()
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # pysqlite begins transactions itself, and only before INSERT/UPDATE/DELETE: a
        # SAVEPOINT before any of those would stand on its own and its RELEASE would
        # commit. SQLAlchemy's recipe ("Serializable isolation / Savepoints /
        # Transactional DDL"), for this connection only: the driver issues no BEGIN, we do.
        dbapi_connection = connection.connection.dbapi_connection
        isolation_level = dbapi_connection.isolation_level
        dbapi_connection.isolation_level = None
    outer = connection.begin()
    if sqlite:
        connection.exec_driver_sql("BEGIN")
    factory = db.session.session_factory
    saved_class, saved_kw = factory.class_, dict(factory.kw)
    factory.class_ = _connection_bound(saved_class)
    factory.configure(bind=connection, join_transaction_mode="create_savepoint")
    _test_connection = connection
    try:
        yield connection
    finally:
        _test_connection = None
        try:
            db.session.remove()
        finally:
            factory.class_, factory.kw = saved_class, saved_kw
            try:
                outer.rollback()
                if sqlite:
                    dbapi_connection.isolation_level = isolation_level
                else:
                    _reset_sequences(connection)
            finally:
                connection.close()


_RESET_SEQUENCES = text("""
DO $$
DECLARE owned record;
BEGIN
    FOR owned IN
        SELECT s.oid::regclass::text AS seq, t.oid::regclass::text AS tab, a.attname AS col
        FROM pg_class s
        JOIN pg_depend d ON d.objid = s.oid AND d.classid = 'pg_class'::regclass
            AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
        JOIN pg_class t ON t.oid = d.refobjid
        JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
        WHERE s.relkind = 'S' AND s.relnamespace = 'public'::regnamespace
    LOOP
        EXECUTE format('SELECT setval(%L, COALESCE((SELECT max(%I) FROM %s), 0) + 1, false)',
                       owned.seq, owned.col, owned.tab);
    END LOOP;
END $$
""")


def _reset_sequences(connection: Connection) -> None:
    """PostgreSQL: a rollback leaves sequences advanced; set each back to follow the
    committed rows (ids start at 1 again in empty tables, as after TRUNCATE ... RESTART
    IDENTITY)."""
    connection.execute(_RESET_SEQUENCES)
    connection.commit()


_SAVEPOINT_STATEMENT = re.compile(r"(SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT) \w+")


def is_test_transaction_statement(statement: str) -> bool:
    """In a rolled-back test, a SAVEPOINT statement that stands in for the BEGIN, COMMIT or
    ROLLBACK of the session's own transaction (which the drivers issue unseen outside the
    harness); the app's nested transactions (``begin_nested``) are not."""
    return (
        _test_connection is not None
        and _SAVEPOINT_STATEMENT.fullmatch(statement.strip()) is not None
        and not db.session().in_nested_transaction()
    )


def empty_all_tables() -> None:
    """Empty every table: for good after a test that commits or a committed world; inside
    a rolled-back test, within its transaction."""
    db.session.remove()
    tables = list(reversed(db.metadata.sorted_tables))
    if _test_connection is not None:
        _empty(_test_connection, tables)
        return
    with db.engine.begin() as connection:
        _empty(connection, tables)


def _empty(connection: Connection, tables) -> None:
    """The audit log's tables refuse UPDATE, DELETE and TRUNCATE (triggers): lift that while
    emptying (on PostgreSQL triggers do not fire in the replica role, as a superuser)."""
    if connection.dialect.name == "postgresql":
        names = ", ".join(t.name for t in tables)
        connection.execute(text("SET LOCAL session_replication_role = replica"))
        connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        connection.execute(text("SET LOCAL session_replication_role = DEFAULT"))
        return
    for table in IMMUTABLE_TABLES:
        for verb in ("update", "delete"):
            connection.execute(text(f"DROP TRIGGER IF EXISTS {table}_no_{verb}"))
    for table in tables:
        connection.execute(table.delete())
    for table in IMMUTABLE_TABLES:
        for statement in sqlite_triggers(table):
            connection.execute(text(statement))


class IsolatedClient(FlaskClient):
    """Tests run inside an app context, which requests then share; forget what a request
    left in ``g`` (e.g. Flask-Login's cached user) so each request stands on its own."""

    def open(self, *args, **kwargs):
        before = set(vars(g._get_current_object())) if has_app_context() else set()
        try:
            return super().open(*args, **kwargs)
        finally:
            if has_app_context():
                for name in set(vars(g._get_current_object())) - before:
                    delattr(g, name)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    app.test_client_class = IsolatedClient
    return app.test_client()


def user_factory(prefix: str = "bruger"):
    """``make_user`` outside a test (e.g. for a module's world): users ``prefix1@…``."""
    counter = iter(range(1, 10_000))

    def make(role: Role = Role.STAFF, *, bodies: tuple[Body, ...] = (), **fields) -> User:
        n = next(counter)
        user = accounts.create_user(
            name=fields.get("name", f"{prefix.capitalize()} {n}"),
            email=fields.get("email", f"{prefix}{n}@kommune.dk"),
            role=role,
            password=fields.get("password", PASSWORD),
            actor=None,
        )
        for body in bodies:
            accounts.add_membership(user, body, actor=None)
        db.session.commit()
        return user

    return make


@pytest.fixture
def make_user():
    return user_factory()


def body_factory():
    counter = iter(range(1, 10_000))

    def make(abbreviation: str | None = None, name: str | None = None) -> Body:
        n = next(counter)
        body = accounts.create_body(
            name=name or f"Udvalg {n}", abbreviation=abbreviation or f"U{n}",
            kind=BodyKind.COMMITTEE, actor=None,
        )
        db.session.commit()
        return body

    return make


@pytest.fixture
def make_body():
    return body_factory()


def login(client: FlaskClient, user: User, password: str = PASSWORD):
    return client.post("/login", data={"email": user.email, "password": password})


@pytest.fixture
def login_as(client: FlaskClient, make_user):
    """Log the test client in as a new user of ``role``; returns the user."""

    def do(role: Role, **kwargs) -> User:
        user = make_user(role, **kwargs)
        response = login(client, user)
        assert response.status_code == 302, response.data
        return user

    return do


def put_in_stage(policy, stage, *, on=None) -> None:
    """Bring a policy to ``stage`` on its case track directly (test only): the decision
    rows and facts (a consultation opened, its deadline passed, a memo issued) that lead
    there from where it is, without the operations' checks, one day apart from ``on``
    (default: 1 January 2024, or the day after the policy's latest event)."""
    from hoering.cases.models import Stage
    from hoering.cases.queries import case_events, stage_of
    from hoering.core.db import now_utc

    steps = [(Stage.DRAFTING, "approve_for_consultation"),
             (Stage.APPROVED_FOR_CONSULTATION, "open"),
             (Stage.IN_CONSULTATION, "close"), (Stage.CONSULTATION_CLOSED, "memo"),
             (Stage.MEMO_ISSUED, "recommend"),
             (Stage.RECOMMENDED, "reject" if stage is Stage.REJECTED else "adopt")]
    events = case_events([policy.id], now_utc())[policy.id]
    day = on or max([e.day + timedelta(days=1) for e in events] + [date(2024, 1, 1)])
    consultation, step_from = None, dict(steps)
    while (current := stage_of(policy)) is not stage:
        assert current in step_from, f"put_in_stage cannot go from {current} to {stage}"
        consultation = _stage_step(policy, step_from[current], day, consultation,
                                   stays_open=stage is Stage.IN_CONSULTATION)
        db.session.flush()
        day += timedelta(days=1)


def _stage_step(policy, step: str, day, consultation, *, stays_open: bool):
    """One step of ``put_in_stage`` on ``day``; returns the consultation it is about."""
    from datetime import UTC, datetime, time

    from hoering.cases.models import CaseDecision
    from hoering.consultations.models import Consultation
    from hoering.memos.models import MemoIssue
    from hoering.policies.models import PolicyVersion

    moment = datetime.combine(day, time(10, 0), tzinfo=UTC)
    if step == "open":
        version = policy.latest_version or PolicyVersion(policy_id=policy.id, number=1)
        version.frozen_at = version.frozen_at or moment
        consultation = Consultation(
            version=version, title="(test)", opens_on=day, opened_at=moment,
            closes_at=datetime(2100, 1, 1, tzinfo=UTC) if stays_open
            else moment + timedelta(hours=4))
        db.session.add_all([version, consultation])
    elif step == "close":
        assert consultation is not None and consultation.closes_at <= moment + timedelta(days=1)
    elif step == "memo":
        consultation = consultation or db.session.scalars(
            select(Consultation).join(Consultation.version)
            .where(PolicyVersion.policy_id == policy.id).order_by(Consultation.id.desc())
        ).first()
        db.session.add(MemoIssue(
            consultation_id=consultation.id, number=1, issued_at=moment, content_hash="0" * 64,
            markdown="", html="", docx=b"", pdf=b""))
    else:
        db.session.add(CaseDecision(policy_id=policy.id, action=step, meeting_date=day,
                                    body_id=policy.owner_body_id, decision_text="(test)"))
    return consultation
