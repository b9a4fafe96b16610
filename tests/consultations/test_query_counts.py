"""The consultation page and the inbox issue a fixed number of SQL queries, whatever the
number of remarks (10 or 1,000)."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event

from hoering.accounts.models import Role
from hoering.core.db import db
from tests.conftest import empty_all_tables, is_test_transaction_statement, login
from tests.consultations.factories import body_of, consultation_with_remarks


@contextmanager
def count_queries():
    statements: list[str] = []

    def before_cursor_execute(conn, cursor, statement, *args):
        if not is_test_transaction_statement(statement):  # as outside the test harness
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", before_cursor_execute)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", before_cursor_execute)


PAGES = {
    "consultation": lambda c: f"/hoeringer/{c.id}",
    "inbox": lambda c: f"/hoeringer/{c.id}/bemaerkninger",
    "inbox filtered": lambda c: (
        f"/hoeringer/{c.id}/bemaerkninger?organ={body_of(c).id}&status=unanswered"
    ),
    "inbox searched": lambda c: f"/hoeringer/{c.id}/bemaerkninger?q=økonomi",
    "inbox last page": lambda c: f"/hoeringer/{c.id}/bemaerkninger?page=999",
    "inbox general": lambda c: f"/hoeringer/{c.id}/bemaerkninger?afsnit=generelt",
}


def _queries_for(client, make_user, n_remarks: int) -> dict[str, int]:
    staff = make_user(Role.STAFF)
    consultation = consultation_with_remarks(n_remarks, n_bodies=5)
    assert login(client, staff).status_code == 302
    counts = {}
    for name, url in PAGES.items():
        target = url(consultation)
        db.session.expire_all()
        with count_queries() as statements:
            response = client.get(target)
        assert response.status_code == 200, name
        counts[name] = len(statements)
    return counts


def test_query_count_does_not_grow_with_remarks(app, client, make_user):
    small = _queries_for(client, make_user, 10)
    empty_all_tables()
    large = _queries_for(client, make_user, 1000)
    assert large == small, (small, large)
    assert max(large.values()) <= 10, large
