"""The migrations build the schema from nothing, agree with the models, and undo cleanly."""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from hoering import create_app
from hoering.core.db import db
from tests.pg import drop_database, recreate_database

PG_URL = os.environ.get("HOERING_TEST_POSTGRES_URL")


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
        return
    if not PG_URL:
        pytest.skip("HOERING_TEST_POSTGRES_URL is not set")
    name = f"hoering_migrations_{uuid.uuid4().hex[:8]}"
    yield recreate_database(PG_URL, name)
    drop_database(PG_URL, name)


def test_upgrade_to_head_matches_models_and_downgrades_to_base(empty_database_url):
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade()
        tables = set(inspect(db.engine).get_table_names())
        assert {"users", "bodies", "memberships", "policies", "policy_versions", "sections",
                "audit_events", "alembic_version"} <= tables

        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
        assert differences == [], f"models and migrations disagree: {differences}"

        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        db.engine.dispose()


def test_search_text_migration_backfills_existing_remarks(empty_database_url):
    """Remarks that exist before the search column is added become searchable."""
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade(revision="d998415f93be")
        with db.engine.begin() as connection:
            for statement in (
                "INSERT INTO bodies (id, name, abbreviation, kind, created_at) "
                "VALUES (1, 'Socialudvalget', 'SOU', 'committee', :now)",
                "INSERT INTO policies (id, title, journal_number, description, owner_body_id, "
                "created_at) VALUES (1, 'P', '85.13.00-P00-1-23', '', 1, :now)",
                "INSERT INTO policy_versions (id, policy_id, number, note, created_at) "
                "VALUES (1, 1, 1, '', :now)",
                "INSERT INTO consultations (id, version_id, title, opens_on, closes_at, "
                "invitation_text, public, created_at) "
                "VALUES (1, 1, 'H', '2024-03-13', :now, '', false, :now)",
                "INSERT INTO responses (id, consultation_id, body_id, status, channel, "
                "no_remarks, received_late, submitted_at, source, created_at) "
                "VALUES (1, 1, 1, 'submitted', 'minutes', false, false, :now, '', :now)",
                "INSERT INTO remarks (id, consultation_id, response_id, original_text, "
                "memo_text, created_at) VALUES (1, 1, 1, 'Økonomi  og DRIFT', NULL, :now)",
                "INSERT INTO replies (id, remark_id, text, disposition, updated_at, "
                "lock_version) VALUES (1, 1, 'Indarbejdet i Princip 1', 'incorporated', "
                ":now, 1)",
            ):
                connection.execute(text(statement), {"now": datetime(2024, 4, 9, tzinfo=UTC)})
        upgrade()
        with db.engine.connect() as connection:
            value = connection.scalar(text("SELECT search_text FROM remarks WHERE id = 1"))
            reply_consultation = connection.scalar(  # backfilled by ea957d9d9626
                text("SELECT consultation_id FROM replies WHERE id = 1"))
        assert value == "økonomi og drift indarbejdet i princip 1"
        assert reply_consultation == 1
        downgrade(revision="base")
        db.engine.dispose()


def test_the_transparency_log_migration_builds_the_tree_for_the_demo(empty_database_url, tmp_path):
    """The demo's events, taken back to the hash chain and forward again: the migration
    builds a leaf per event (in id order), keeps the client IPs beside them, and the first
    `audit seal` signs the heads, after which the log verifies."""
    from sqlalchemy import func, select

    from hoering.audit import log
    from hoering.audit.models import AuditEvent, AuditLeaf, EventIp
    from hoering.demo.loader import load_demo

    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": empty_database_url,
                                 "AUDIT_SIGNING_KEY_FILE": str(tmp_path / "key.pem")})
    with app.app_context():
        upgrade()
        load_demo()
        db.session.execute(text("INSERT INTO event_ips (event_id, ip) VALUES (1, '10.1.2.3')"))
        db.session.commit()
        events = db.session.scalar(select(func.count()).select_from(AuditEvent))
        db.session.remove()
        downgrade(revision="a3c9e1f04b7d")  # back to the hash chain, rebuilt from the events
        with db.engine.connect() as connection:
            chained = connection.execute(text(
                "SELECT count(*), count(DISTINCT hash), max(ip) FROM audit_events")).one()
        assert tuple(chained) == (events, events, "10.1.2.3")
        upgrade()
        leaves = list(db.session.scalars(select(AuditLeaf).order_by(AuditLeaf.position)))
        assert [leaf.event_id for leaf in leaves] == sorted(
            db.session.scalars(select(AuditEvent.id)))
        assert db.session.get(EventIp, 1).ip == "10.1.2.3"
        assert log.seal() == 0  # every event is in the tree already; its heads get signed
        db.session.commit()
        result = log.verify(log.write_checkpoint())
        assert result.ok, result.message
        assert result.sealed == events > 100
        db.session.remove()
        db.engine.dispose()
