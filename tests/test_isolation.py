"""The test harness itself (tests/conftest.py): a test's commits are rolled back at its
end; a test marked ``commits`` really commits, and the tables are emptied after it."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from hoering.accounts.models import Body
from hoering.core.db import db


def _bodies_seen_by_another_connection() -> int:
    with db.engine.connect() as other:
        return other.scalar(select(func.count()).select_from(Body))


def _bodies() -> int:
    return db.session.scalar(select(func.count()).select_from(Body))


def test_a_commit_in_a_test_holds_for_the_test_but_stays_uncommitted(app, make_body):
    make_body("ISO")  # commits
    db.session.rollback()
    assert _bodies() == 1
    assert _bodies_seen_by_another_connection() == 0


def test_the_previous_tests_rows_are_gone_and_ids_start_again(app, make_body):
    assert _bodies() == 0
    assert make_body("ISO").id == 1


def test_a_rollback_in_a_test_goes_back_to_its_last_commit(app, make_body):
    make_body("ISO")
    make_body("ISO2").name = "Ændret"
    db.session.rollback()
    assert [b.abbreviation for b in db.session.scalars(select(Body))] == ["ISO", "ISO2"]
    assert db.session.scalars(select(Body.name).where(Body.abbreviation == "ISO2")).one() \
        != "Ændret"


@pytest.mark.commits
def test_a_test_marked_commits_really_commits(app, make_body):
    make_body("ISO")
    assert _bodies_seen_by_another_connection() == 1


def test_after_a_committing_test_the_tables_are_empty(app, make_body):
    assert _bodies() == 0
    assert make_body("ISO").id == 1
