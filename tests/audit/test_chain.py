"""The audit trail is a hash chain the database will not let anyone edit, and a row
altered behind the app's back (triggers dropped) is found by `audit verify`."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from hoering.accounts import operations as accounts
from hoering.accounts.models import BodyKind, Role
from hoering.audit.chain import verify_chain
from hoering.audit.models import (
    GENESIS_HASH,
    IMMUTABLE_MESSAGE,
    POSTGRES_TRIGGERS,
    SQLITE_TRIGGERS,
    AuditEvent,
)
from hoering.core.db import db
from tests.conftest import login


def _make_events(count: int = 3) -> list[AuditEvent]:
    for n in range(count):
        accounts.create_body(name=f"Udvalg {n}", abbreviation=f"U{n}",
                             kind=BodyKind.COMMITTEE, actor=None)
    db.session.commit()
    return list(db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)))


def _drop_triggers() -> None:
    """What someone with database access could do to get around the app."""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("DROP TRIGGER audit_events_immutable ON audit_events"))
    else:
        db.session.execute(text("DROP TRIGGER audit_events_no_update"))
        db.session.execute(text("DROP TRIGGER audit_events_no_delete"))
    db.session.commit()


@pytest.fixture
def triggers_restored(app):
    """Put the triggers back (through the test's session: inside a rolled-back test a
    second connection would wait for the test's locks; the rollback undoes the drop
    anyway, the DDL is transactional on both backends)."""
    yield
    db.session.rollback()
    postgres = db.engine.dialect.name == "postgresql"
    statements = POSTGRES_TRIGGERS if postgres else SQLITE_TRIGGERS
    if postgres:
        db.session.execute(text("DROP TRIGGER IF EXISTS audit_events_immutable ON audit_events"))
    else:
        for verb in ("update", "delete"):
            db.session.execute(text(f"DROP TRIGGER IF EXISTS audit_events_no_{verb}"))
    for statement in statements:
        db.session.execute(text(statement))
    db.session.commit()


def test_events_form_a_chain(app):
    events = _make_events()
    assert [e.id for e in events] == list(range(1, len(events) + 1))
    assert events[0].prev_hash == GENESIS_HASH
    for previous, event in zip(events, events[1:], strict=False):
        assert event.prev_hash == previous.hash
        assert event.hash == event.compute_hash()
    result = verify_chain()
    assert result.ok and result.checked == len(events)


@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_events SET action = 'body:nothing' WHERE id = 1",
     "DELETE FROM audit_events WHERE id = 1"],
    ids=["update", "delete"],
)
def test_the_database_refuses_to_change_audit_events(app, statement):
    _make_events(1)
    with pytest.raises(DBAPIError) as refusal:
        db.session.execute(text(statement))
        db.session.flush()
    assert IMMUTABLE_MESSAGE in str(refusal.value)
    db.session.rollback()
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.id == 1)) \
        == "body:create"


def test_a_row_altered_behind_the_apps_back_is_found(app, triggers_restored):
    _make_events(4)
    _drop_triggers()
    db.session.execute(text(
        "UPDATE audit_events SET actor_label = 'nogen.andensteds@kommune.dk' WHERE id = 3"
    ))
    db.session.commit()
    result = verify_chain()
    assert not result.ok
    assert result.broken_event_id == 3
    assert "indhold er ændret" in result.message


def test_a_removed_row_is_found_at_the_next_event(app, triggers_restored):
    _make_events(4)
    _drop_triggers()
    db.session.execute(text("DELETE FROM audit_events WHERE id = 2"))
    db.session.commit()
    result = verify_chain()
    assert (result.ok, result.broken_event_id) == (False, 3)


def test_removing_the_newest_rows_is_found(app, triggers_restored):
    _make_events(4)
    _drop_triggers()
    db.session.execute(text("DELETE FROM audit_events WHERE id = 4"))
    db.session.commit()
    result = verify_chain()
    assert not result.ok
    assert "nyeste hændelser mangler" in result.message


def test_cli_audit_verify(app, triggers_restored):
    _make_events(3)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0
    assert "Kæden er intakt: 3 hændelser" in result.output
    _drop_triggers()
    db.session.execute(text("UPDATE audit_events SET ip = '10.0.0.1' WHERE id = 2"))
    db.session.commit()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert "brudt ved hændelse #2" in result.output


@pytest.mark.parametrize("role", [Role.STAFF, Role.AUDITOR, Role.ADMIN])
def test_the_chain_page_shows_the_result(client, make_user, role):
    user = make_user(role)
    assert login(client, user).status_code == 302
    page = client.get("/revision/kaede").get_data(as_text=True)
    assert "Kæden er intakt" in page


@pytest.mark.commits  # the workers' threads use connections of their own
def test_concurrent_writers_never_fork_the_chain(app):
    """Two workers append at the same time (PostgreSQL: the head row is locked)."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time anyway")
    errors: list[BaseException] = []

    def worker(prefix: str) -> None:
        try:
            with app.app_context():
                for n in range(15):
                    accounts.create_body(name=f"{prefix} {n}", abbreviation=f"{prefix}{n}",
                                         kind=BodyKind.COMMITTEE, actor=None)
                    db.session.commit()
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(p,)) for p in ("A", "B")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    db.session.expire_all()
    result = verify_chain()
    assert result.ok and result.checked == 30
