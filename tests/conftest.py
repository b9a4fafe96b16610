"""Shared fixtures. Every test that uses ``app`` runs once per database backend:
SQLite always, PostgreSQL when ``HOERING_TEST_POSTGRES_URL`` is set, e.g.
``postgresql+psycopg://postgres@127.0.0.1:5432/hoering_test`` (the database is created
if missing). With ``HOERING_REQUIRE_POSTGRES=1`` (CI) the run fails unless PostgreSQL
tests really ran and passed.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from flask import Flask, g, has_app_context
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlalchemy.engine import make_url

from hoering import create_app
from hoering.accounts import operations as accounts
from hoering.accounts.models import Body, BodyKind, Role, User
from hoering.audit.models import SQLITE_TRIGGERS
from hoering.core.db import db
from tests.pg import drop_database, ensure_database, recreate_database

pytest_plugins = ["tests.smtp"]  # the loopback SMTP server fixtures

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
    if REQUIRE_PG and session.testscollected and _postgres_passed == 0:
        print("\nERROR: HOERING_REQUIRE_POSTGRES=1 but no PostgreSQL test passed")
        session.exitstatus = 1


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    terminalreporter.write_line(f"PostgreSQL tests passed: {_postgres_passed}")


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
def app(database_url: str) -> Iterator[Flask]:
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database_url})
    with app.app_context():
        db.drop_all()
        db.create_all()  # tests may; the app itself only migrates
    yield app
    with app.app_context():
        db.drop_all()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean_database(request: pytest.FixtureRequest) -> Iterator[None]:
    """Each test starts from empty tables (only for tests that use the app)."""
    if "app" not in request.fixturenames:
        yield
        return
    app: Flask = request.getfixturevalue("app")
    with app.app_context():
        yield
        empty_all_tables()


def empty_all_tables() -> None:
    db.session.remove()
    tables = list(reversed(db.metadata.sorted_tables))
    with db.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            names = ", ".join(t.name for t in tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            # the audit table refuses DELETE (a trigger): lift it while emptying
            for verb in ("update", "delete"):
                connection.execute(text(f"DROP TRIGGER IF EXISTS audit_events_no_{verb}"))
            for table in tables:
                connection.execute(table.delete())
            for statement in SQLITE_TRIGGERS:
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


@pytest.fixture
def make_user():
    counter = iter(range(1, 10_000))

    def make(role: Role = Role.STAFF, *, bodies: tuple[Body, ...] = (), **fields) -> User:
        n = next(counter)
        user = accounts.create_user(
            name=fields.get("name", f"Bruger {n}"),
            email=fields.get("email", f"bruger{n}@kommune.dk"),
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
def make_body():
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


def put_in_stage(policy, stage) -> None:
    """Set up a policy's starting point on the case track directly (test only): a
    decision row that leaves it in ``stage``, without the steps before."""
    from hoering.cases.models import CaseDecision
    from hoering.cases.queries import stage_of

    db.session.add(CaseDecision(policy_id=policy.id, action="register",
                                from_stage=stage_of(policy), to_stage=stage,
                                decision_text="(test)"))
    db.session.flush()
