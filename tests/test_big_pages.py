"""The big pages of a consultation (the consultation page, the memo page, the remark
trace) at scale: a fixed number of SQL queries whatever the number of remarks and bodies;
the memo page's bounded preview is the full memo's beginning; the consultation page lists
its consultees a page at a time (bench/big_pages.py times them at 100,000 remarks)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, replace

import pytest
from sqlalchemy import select, text, update

from hoering.accounts.models import Role
from hoering.consultations import operations as consultations
from hoering.consultations.campaigns.operations import find_groups
from hoering.consultations.models import (
    Consultation,
    Consultee,
    Disposition,
    Remark,
    Response,
    ResponseChannel,
    ResponseStatus,
)
from hoering.core.db import db, now_utc
from hoering.memos.build import build_memo
from hoering.memos.document import MemoPart
from hoering.memos.models import MemoIssue
from hoering.memos.preview import memo_preview
from tests.conftest import empty_all_tables, login
from tests.consultations.factories import big_consultation
from tests.consultations.test_query_counts import count_queries


def _varied(n_remarks: int, n_bodies: int) -> Consultation:
    """A big consultation with campaign groups, edited memo wordings, late responses
    and a public response that is not submitted (its remarks are in no memo)."""
    consultation = big_consultation(n_remarks, n_bodies, public_share=0.3, audit=False)
    find_groups(consultation, actor=None)
    responses = list(db.session.scalars(
        select(Response).where(Response.consultation_id == consultation.id)
        .order_by(Response.id)))
    for response in responses[1::5]:
        response.received_late = True
    public = [r for r in responses if r.channel is ResponseChannel.PUBLIC]
    public[-1].status, public[-1].submitted_at = ResponseStatus.DRAFT, None
    for remark in db.session.scalars(select(Remark).where(Remark.id % 7 == 0)):
        remark.memo_text = f"  Ordlyd i notatet for {remark.id}.  "
    db.session.commit()
    return consultation


def _items_of(document) -> list:
    return [item for part in document.parts for item in part.items]


@pytest.mark.parametrize("limit", [3, 10_000])
def test_the_preview_is_the_beginning_of_the_full_memo(app, limit):
    consultation = _varied(400, 12)
    full = build_memo(consultation)
    items = _items_of(full)
    assert any(item.count > 1 for item in items) and any(item.late for item in items)
    assert any(item.reply is None for item in items) and full.notes
    assert any(item.abbreviation == "Grønt Netværk" for item in items)
    preview = memo_preview(consultation, limit=limit)
    assert preview.document == replace(full, parts=tuple(
        MemoPart(part.heading, part.items[:limit]) for part in full.parts))
    assert preview.totals == tuple(len(part.items) for part in full.parts)


def test_the_content_hash_is_that_of_the_dataclasses_json(app):
    """The faster canonical form gives the same hash as before (issued memos keep
    theirs)."""
    document = build_memo(_varied(200, 6))
    content = asdict(document)
    for volatile in ("date", "draft", "version"):
        content.pop(volatile)
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
    assert document.canonical_json() == canonical
    assert document.content_hash() == hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _traced_remark(consultation: Consultation, make_body, make_user) -> int:
    """A remark with the same history at every size: a body invited last answers with
    it, staff reply and a colleague approves (the trace makes a query per kind of object
    its events name, which follows the history, not the data's size)."""
    body = make_body("SPOR", "Sporets udvalg")
    consultations.invite_body(consultation, body, actor=None)
    response = consultations.import_minutes(
        consultation, body, meeting_date=now_utc().date(), agenda_item=1, remarks=[
            consultations.ImportedRemark("Den sporede bemærkning.", None)], actor=None)
    remark = response.remarks[0]
    reply = consultations.save_reply(remark, text="Et svar.", disposition=Disposition.NOTED,
                                     based_on_version=None, actor=make_user(Role.STAFF))
    consultations.approve_reply(reply, actor=make_user(Role.STAFF))
    db.session.commit()
    return remark.id


def _page_queries(client, make_body, make_user, n_remarks: int, n_bodies: int
                  ) -> dict[str, int]:
    staff = make_user(Role.STAFF)
    consultation = _varied(n_remarks, n_bodies)
    traced = _traced_remark(consultation, make_body, make_user)
    assert login(client, staff).status_code == 302
    pages = {
        "consultation": f"/hoeringer/{consultation.id}",
        "consultation, invited": f"/hoeringer/{consultation.id}?status=invited",
        "memo": f"/hoeringer/{consultation.id}/notat",
        "trace": f"/hoeringer/bemaerkninger/{traced}/spor",
    }
    counts = {}
    for name, url in pages.items():
        db.session.expire_all()
        with count_queries() as statements:
            assert client.get(url).status_code == 200, name
        counts[name] = len(statements)
    db.session.add(MemoIssue(consultation_id=consultation.id, number=1, content_hash="0" * 64,
                             digest="0" * 64,
                             markdown="", html="", docx=b"", pdf=b""))
    db.session.commit()
    db.session.expire_all()
    with count_queries() as statements:
        page = client.get(pages["memo"]).get_data(as_text=True)
    assert "Udkastet afviger fra den senest udstedte version 1." in page
    counts["memo, issued"] = len(statements)
    return counts


def test_query_counts_do_not_grow_with_remarks_or_bodies(app, client, make_body, make_user):
    small = _page_queries(client, make_body, make_user, 60, 4)
    empty_all_tables()
    large = _page_queries(client, make_body, make_user, 900, 40)
    assert large == small
    assert max(large.values()) <= 22, large


def test_the_consultation_page_lists_consultees_a_page_at_a_time(app, client, make_user):
    consultation = big_consultation(60, 30, audit=False)
    consultees = list(db.session.scalars(
        select(Consultee).where(Consultee.consultation_id == consultation.id)
        .order_by(Consultee.id)))
    # three bodies' responses back to drafts: those consultees have not answered
    db.session.execute(update(Response).where(
        Response.consultation_id == consultation.id,
        Response.body_id.in_([c.body_id for c in consultees[:3]]),
    ).values(status=ResponseStatus.DRAFT, submitted_at=None))
    db.session.commit()
    assert login(client, make_user(Role.STAFF)).status_code == 302
    url = f"/hoeringer/{consultation.id}"
    first = client.get(url).get_data(as_text=True)
    assert "30 høringsparter" in first and "27 har svaret" in first
    assert "3 har ikke svaret" in first and "Side 1 af 2" in first
    assert "Udvalg nr. 0000" in first and "Udvalg nr. 0024" in first
    assert "Udvalg nr. 0025" not in first
    second = client.get(f"{url}?page=2").get_data(as_text=True)
    assert "Udvalg nr. 0025" in second and "Udvalg nr. 0029" in second
    assert "Udvalg nr. 0024" not in second
    invited = client.get(f"{url}?status=invited").get_data(as_text=True)
    assert [f"Udvalg nr. 000{n}" in invited for n in range(5)] == [True] * 3 + [False] * 2
    assert "Vis alle" in invited and "Side 1 af" not in invited
    # an unknown status lists them all
    assert "Udvalg nr. 0005" in client.get(f"{url}?status=nonsense").get_data(as_text=True)


def test_postgresql_compiles_no_query_to_machine_code(app):
    """JIT compiling the big pages' aggregates takes longer than running them."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's setting")
    assert db.session.scalar(text("SHOW jit")) == "off"
