"""The migrations build the schema from nothing, agree with the models, and undo cleanly."""

from __future__ import annotations

import os
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from hoering import create_app
from hoering.db import db
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
