"""Migration b16f0c1d2e3f: the new body types pass the recreated CHECK constraint (and
other values still do not), bodies get a contact e-mail, and the downgrade turns the new
types back into "council"."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from hoering import create_app
from hoering.core.db import db
from tests.test_migrations import empty_database_url  # noqa: F401 - the fixture


def _insert(connection, abbreviation: str, kind: str, **more: str) -> None:
    values = {"name": f"Organ {abbreviation}", "abbreviation": abbreviation, "kind": kind,
              "created_at": datetime(2026, 12, 1, tzinfo=UTC), **more}
    connection.execute(text(f"INSERT INTO bodies ({', '.join(values)}) "  # noqa: S608
                            f"VALUES ({', '.join(':' + name for name in values)})"), values)


def test_the_new_body_types_and_back(empty_database_url):  # noqa: F811 - the fixture
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": empty_database_url})
    with app.app_context():
        upgrade(revision="b16f0c1d2e3f")
        with db.engine.begin() as connection:
            _insert(connection, "3F", "union", contact_email="hedensted@3f.dk")
            _insert(connection, "SI", "self_governing_institution")
            _insert(connection, "SOU", "committee")
        with pytest.raises(IntegrityError), db.engine.begin() as connection:
            _insert(connection, "X", "club")
        downgrade(revision="a16e0b1c2d3e")
        with db.engine.connect() as connection:
            kinds = dict(connection.execute(text("SELECT abbreviation, kind FROM bodies")).all())
        assert kinds == {"3F": "council", "SI": "council", "SOU": "committee"}
        with pytest.raises(IntegrityError), db.engine.begin() as connection:
            _insert(connection, "U", "union")
        downgrade(revision="base")
        db.engine.dispose()
