"""The consultation page, the inbox (first, filtered, searched, deep and last page), the
minutes import's review page and an attachment's text page issue a fixed number of SQL
queries, whatever the number of remarks (60 or 1,000; 10 for the import pages) and of remarks
proposed; the inbox's bulk approval of all that match a filter reads a fixed number of
times and writes only for the replies it approves."""

from __future__ import annotations

import re
from contextlib import contextmanager
from math import ceil

from sqlalchemy import event, func, select

from hoering.accounts.models import Role
from hoering.audit.models import AuditEvent
from hoering.core.db import db
from hoering.public import operations as public_ops
from tests import document_factory as factory
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


PAGE_SIZE = 25  # as configured for the tests


PAGES = {
    "consultation": lambda c, n: f"/hoeringer/{c.id}",
    "inbox": lambda c, n: f"/hoeringer/{c.id}/bemaerkninger",
    "inbox filtered": lambda c, n: (
        f"/hoeringer/{c.id}/bemaerkninger?organ={body_of(c).id}&status=unanswered"
    ),
    "inbox filtered unapproved": lambda c, n: (
        f"/hoeringer/{c.id}/bemaerkninger?organ={body_of(c).id}&status=unapproved"
    ),
    "inbox searched": lambda c, n: f"/hoeringer/{c.id}/bemaerkninger?q=økonomi",
    "inbox searched narrowly": lambda c, n: f"/hoeringer/{c.id}/bemaerkninger?q=bemærkning+7",
    "inbox deep page": lambda c, n: f"/hoeringer/{c.id}/bemaerkninger?page={_last(n) // 2 + 1}",
    "inbox last page": lambda c, n: f"/hoeringer/{c.id}/bemaerkninger?page={_last(n)}",
    "inbox past the last page": lambda c, n: f"/hoeringer/{c.id}/bemaerkninger?page=999",
    "inbox general": lambda c, n: f"/hoeringer/{c.id}/bemaerkninger?afsnit=generelt",
}


def _last(n_remarks: int) -> int:
    return ceil(n_remarks / PAGE_SIZE)


def _queries_for(client, make_user, n_remarks: int) -> dict[str, int]:
    staff = make_user(Role.STAFF)
    consultation = consultation_with_remarks(n_remarks, n_bodies=5)
    assert login(client, staff).status_code == 302
    counts = {}
    for name, url in PAGES.items():
        target = url(consultation, n_remarks)
        db.session.expire_all()
        with count_queries() as statements:
            response = client.get(target)
        assert response.status_code == 200, name
        counts[name] = len(statements)
    return counts


def test_query_count_does_not_grow_with_remarks(app, client, make_user):
    assert app.config["PAGE_SIZE"] == PAGE_SIZE
    small = _queries_for(client, make_user, 60)  # every page has remarks
    empty_all_tables()
    large = _queries_for(client, make_user, 1000)
    assert large == small, (small, large)
    assert max(large.values()) <= 11, large  # 11: with the settings for the page header


def _minutes(n_remarks: int) -> str:
    points = "\n".join(f"- Princip {i % 5 + 1} bør nævne punkt {i}." for i in range(n_remarks))
    return f"Udvalget har følgende bemærkninger:\n\n{points}\n"


def _proposed(html: str) -> int:
    return len(re.findall(r'<select[^>]*name="[^"]*remarks-\d+-section"', html))


def _review_queries(client, make_user, n_remarks: int, n_proposed: int) -> int:
    staff = make_user(Role.STAFF)
    consultation = consultation_with_remarks(n_remarks, n_bodies=5)
    assert login(client, staff).status_code == 302
    db.session.expire_all()
    with count_queries() as statements:
        review = client.post(f"/hoeringer/{consultation.id}/referat", data={
            "body_id": str(body_of(consultation).id), "meeting_date": "2024-04-09",
            "agenda_item": "6", "text": _minutes(n_proposed), "review": "1"})
    assert review.status_code == 200
    assert _proposed(review.get_data(as_text=True)) == n_proposed
    return len(statements)


def test_the_minutes_review_page_queries_do_not_grow(app, client, make_user):
    """Pasted minutes with 2 or 20 remarks, in a consultation of 10 or 1,000 remarks."""
    small = _review_queries(client, make_user, 10, 2)
    empty_all_tables()
    large = _review_queries(client, make_user, 1000, 20)
    assert large == small
    assert large <= 14  # 14: with the settings for the page header


def _attachment_queries(client, make_user, n_remarks: int, n_proposed: int) -> int:
    staff = make_user(Role.STAFF)
    consultation = consultation_with_remarks(n_remarks, n_bodies=5)
    consultation.public = True
    response, _created = public_ops.submit_public_response(
        consultation, public_ops.PublicSubmission(
            token="a" * 32, name="Borger", email="borger@example.dk", general_text="Se filen.",
            files=[public_ops.UploadedFile("svar.docx",
                                           factory.referat_docx(_minutes(n_proposed)))]))
    db.session.commit()
    url = f"/hoeringer/bilag/{response.attachments[0].id}/tekst"
    assert login(client, staff).status_code == 302
    db.session.expire_all()
    with count_queries() as statements:
        page = client.get(url)
    assert page.status_code == 200
    assert _proposed(page.get_data(as_text=True)) == n_proposed
    return len(statements)


def test_the_attachment_text_page_queries_do_not_grow(app, client, make_user):
    """A citizen's file with 2 or 20 remarks, in a consultation of 10 or 1,000 remarks."""
    small = _attachment_queries(client, make_user, 10, 2)
    empty_all_tables()
    large = _attachment_queries(client, make_user, 1000, 20)
    assert large == small
    assert large <= 20  # with the privacy view it records, and the settings for the header


def _bulk_approval_queries(client, make_user, n_remarks: int) -> tuple[list[str], int]:
    """ "Godkend svarene" for all that match "one body" (a fifth of the remarks: a third
    approved already, a third waiting, a third unanswered) by a second member of staff:
    the statements, and how many replies it approved."""
    consultation = consultation_with_remarks(n_remarks, n_bodies=5)
    approver = make_user(Role.STAFF)
    assert login(client, approver).status_code == 302
    db.session.expire_all()
    url = f"/hoeringer/{consultation.id}/bemaerkninger/godkend"
    query = {"organ": body_of(consultation).id}
    db.session.expire_all()
    with count_queries() as statements:
        response = client.post(url, data={"scope": "alle"}, query_string=query)
    assert response.status_code == 302
    approved = db.session.scalar(select(func.count(AuditEvent.id)).where(
        AuditEvent.action == "reply:approve", AuditEvent.actor_id == approver.id))
    return statements, approved


def _per_approved(statement: str) -> bool:
    """The statements of one approval: its UPDATE and its audit event (with the IP)."""
    return bool(re.match(r"\s*(UPDATE replies|INSERT INTO (audit_events|event_ips))",
                         statement))


def test_bulk_approval_of_all_filtered_reads_a_fixed_number_of_times(app, client, make_user):
    """Approving all that match a filter over 60 or 1,000 remarks: the reads (and all
    but the approvals' own writes) are the same few; the rest is linear in the replies
    approved, none per remark refused or read."""
    small, small_approved = _bulk_approval_queries(client, make_user, 60)
    empty_all_tables()
    large, large_approved = _bulk_approval_queries(client, make_user, 1000)
    assert 0 < small_approved < large_approved  # 4 of 12, 67 of 200
    fixed = [s for s in large if not _per_approved(s)]
    assert len(fixed) == len([s for s in small if not _per_approved(s)])
    assert len(fixed) <= 4, fixed  # the user, the selection (with replies and responses)
    assert sum(1 for s in large if s.lstrip().startswith("UPDATE replies")) == large_approved
    assert len(large) - len(fixed) <= 3 * large_approved
