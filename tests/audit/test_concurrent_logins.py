"""Concurrent first logins on a fresh SQLite database file: every login is audited with an
id the database assigns, so simultaneous logins never collide on ``audit_events.id``
(``UNIQUE constraint failed: audit_events.id`` when the writer numbered events itself)."""

from __future__ import annotations

import threading

import pytest
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import func, select

from hoering import create_app
from hoering.accounts import operations as accounts
from hoering.accounts.models import Role
from hoering.audit import log
from hoering.audit.models import AuditEvent
from hoering.audit.tags import AuditTag
from hoering.core.db import db
from tests.conftest import PASSWORD

THREADS = 4
ROUNDS = 5


def _fresh_app(tmp_path, schema: str) -> Flask:
    app = create_app("testing", {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
        "AUDIT_SIGNING_KEY_FILE": str(tmp_path / "audit-signing-key.pem"),
    })
    with app.app_context():
        if schema == "migrations":
            upgrade()  # as `flask db upgrade` makes it
        else:
            db.create_all()
        for n in range(THREADS):
            accounts.create_user(name=f"Bruger {n}", email=f"bruger{n}@kommune.dk",
                                 role=Role.STAFF, password=PASSWORD, actor=None)
        db.session.commit()
    return app


def _log_in_at_once(app: Flask, barrier: threading.Barrier, n: int,
                    outcomes: list[object]) -> None:
    client = app.test_client()
    for _round in range(ROUNDS):
        try:
            barrier.wait(timeout=30)
            response = client.post("/login", data={"email": f"bruger{n}@kommune.dk",
                                                   "password": PASSWORD})
            outcomes.append(response.status_code)
            client.post("/logout")
        except BaseException as error:  # noqa: BLE001 - every thread's failure is reported
            outcomes.append(error)


@pytest.mark.commits  # each thread's requests use connections of their own
@pytest.mark.parametrize("schema", ["migrations", "create_all"])
def test_simultaneous_first_logins_are_all_audited(tmp_path, schema):
    app = _fresh_app(tmp_path, schema)
    barrier = threading.Barrier(THREADS)
    outcomes: list[object] = []
    threads = [threading.Thread(target=_log_in_at_once, args=(app, barrier, n, outcomes))
               for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert [o for o in outcomes if o != 302] == []
    assert len(outcomes) == THREADS * ROUNDS
    with app.app_context():
        logins = db.session.scalar(select(func.count()).select_from(AuditEvent)
                                   .where(AuditEvent.action == AuditTag.AUTH_LOGIN.value))
        assert logins == THREADS * ROUNDS
        assert log.seal() > 0
        db.session.commit()
        assert log.verify().ok
        db.engine.dispose()
