"""The inbox at scale: pages read from (section, sender) groups, the full-text search
(Danish stemming on PostgreSQL, substrings on SQLite) and the progress line counted from
indexes. Small data, but the same queries as at 100,000 remarks (bench/inbox.py)."""

from __future__ import annotations

import re
from math import ceil

import pytest
from sqlalchemy import select

from hoering.accounts.models import Role
from hoering.consultations import operations as consultations
from hoering.consultations.models import (
    Consultation,
    Disposition,
    Remark,
    Reply,
    Response,
    ResponseChannel,
    ResponseStatus,
)
from hoering.consultations.queries import Progress, progress, search_key
from hoering.core.db import db, now_utc
from hoering.core.pagination import GroupSlice, page_slices
from tests.conftest import login
from tests.consultations.factories import body_of, consultation_with_remarks

# --- slices of groups (no database) --------------------------------------------------


def test_a_page_inside_one_group_is_one_slice_from_the_nearer_end():
    groups, sizes = ["a", "b", "c"], [10, 100, 10]
    assert page_slices(groups, sizes, 0, 5) == [GroupSlice("a", 0, 5)]
    assert page_slices(groups, sizes, 20, 5) == [GroupSlice("b", 10, 5)]
    assert page_slices(groups, sizes, 100, 5) == [GroupSlice("b", 5, 5, from_end=True)]
    assert page_slices(groups, sizes, 105, 5) == [GroupSlice("b", 0, 5, from_end=True)]
    assert page_slices(groups, sizes, 115, 5) == [GroupSlice("c", 0, 5, from_end=True)]


def test_a_page_across_groups_takes_a_slice_of_each():
    groups, sizes = ["a", "b", "c", "d"], [3, 2, 0, 9]
    assert page_slices(groups, sizes, 2, 5) == [
        GroupSlice("a", 0, 1, from_end=True), GroupSlice("b", 0, 2), GroupSlice("d", 0, 2)]


def test_past_the_end_there_is_no_slice():
    assert page_slices(["a"], [3], 3, 5) == []
    assert page_slices([], [], 0, 5) == []


@pytest.mark.parametrize("per_page", [1, 4, 7, 25])
def test_the_slices_of_all_pages_cover_every_item_once(per_page):
    sizes = [0, 5, 1, 12, 0, 3, 30, 2]
    items = [(g, i) for g, size in enumerate(sizes) for i in range(size)]
    walked = []
    for page in range(ceil(len(items) / per_page)):
        for piece in page_slices(list(range(len(sizes))), sizes, page * per_page, per_page):
            size = sizes[piece.group]
            start = size - piece.offset - piece.limit if piece.from_end else piece.offset
            assert min(start, size - start - piece.limit) == piece.offset  # the nearer end
            walked += [(piece.group, i) for i in range(start, start + piece.limit)]
    assert walked == items


# --- the inbox, page by page ----------------------------------------------------------


def _add_public(consultation: Consultation, n_responses: int) -> None:
    """Citizens' responses (no body) with one to three remarks each, some general."""
    sections = [*consultation.version.sections, None]
    for n in range(n_responses):
        response = Response(consultation=consultation, body=None,
                            status=ResponseStatus.SUBMITTED, channel=ResponseChannel.PUBLIC,
                            submitted_at=now_utc(), source="")
        db.session.add(response)
        for k in range(n % 3 + 1):
            text = f"Borger {n} skriver om cykelstier og økonomi ({k})."
            db.session.add(Remark(response=response, consultation_id=consultation.id,
                                  section=sections[(n + k) % len(sections)],
                                  original_text=text, search_text=search_key(text)))
    db.session.commit()


@pytest.fixture
def crowded(app, client, make_user) -> Consultation:
    """130 remarks from 6 bodies and 9 citizens' responses; staff logged in."""
    consultation = consultation_with_remarks(110, n_bodies=6)
    _add_public(consultation, 9)
    assert login(client, make_user(Role.STAFF)).status_code == 302
    return consultation


def _expected(consultation: Consultation, keep=lambda remark: True) -> list[int]:
    """The inbox's order, computed in Python: the version's sections (general last), the
    bodies by name (the public last), then submission (id)."""
    remarks = db.session.scalars(select(Remark).join(Remark.response).where(
        Remark.consultation_id == consultation.id, Response.submitted_at.is_not(None)))

    def key(remark: Remark):
        body = remark.response.body
        return (remark.section is None, remark.section.position if remark.section else 0,
                body is None, body.name if body else "", remark.id)

    return [r.id for r in sorted(remarks, key=key) if keep(r)]


def _walk(app, client, consultation: Consultation, query: dict, per_page: int) -> list[int]:
    url = f"/hoeringer/{consultation.id}/bemaerkninger"
    size = app.config["PAGE_SIZE"]
    app.config["PAGE_SIZE"] = per_page
    try:
        first = client.get(url, query_string=query).get_data(as_text=True)
        pages = int(re.search(r"Side 1 af (\d+)", first).group(1)) if "Side 1 af" in first else 1
        listed = []
        for page in range(1, pages + 1):
            html = client.get(url, query_string={**query, "page": page}).get_data(as_text=True)
            listed += [int(i) for i in
                       re.findall(r'href="/hoeringer/bemaerkninger/(\d+)[?"]', html)]
        return listed
    finally:
        app.config["PAGE_SIZE"] = size


def _unapproved(remark: Remark) -> bool:
    return remark.reply is not None and remark.reply.approved_at is None


@pytest.mark.parametrize("per_page", [1, 7, 25])
def test_walking_every_page_lists_each_remark_once_in_order(app, client, crowded, per_page):
    assert _walk(app, client, crowded, {}, per_page) == _expected(crowded)


@pytest.mark.parametrize(("query", "keep"), [
    ({"organ": "offentlig"}, lambda r: r.response.body_id is None),
    ({"status": "unapproved"}, _unapproved),
    ({"status": "unanswered"}, lambda r: r.reply is None),
    ({"behandling": "incorporated"},
     lambda r: r.reply is not None and r.reply.disposition == "incorporated"),
    ({"afsnit": "generelt"}, lambda r: r.section_id is None),
    ({"q": "cykelstier"}, lambda r: "cykelstier" in r.original_text),
], ids=["public", "unapproved", "unanswered", "incorporated", "general", "searched"])
def test_walking_filtered_pages(app, client, crowded, query, keep):
    expected = _expected(crowded, keep)
    assert expected
    assert _walk(app, client, crowded, query, 4) == expected


def test_walking_a_bodys_pages(app, client, crowded):
    for consultee in crowded.consultees:
        body_id = consultee.body_id
        expected = _expected(crowded,
                             lambda r, b=body_id: r.response.body_id == b and _unapproved(r))
        query = {"organ": body_id, "status": "unapproved"}
        assert _walk(app, client, crowded, query, 3) == expected, body_id
        assert _walk(app, client, crowded, {"organ": body_id}, 3) == _expected(
            crowded, lambda r, b=body_id: r.response.body_id == b)


def _pager(client, consultation: Consultation, page: int) -> tuple[str, dict[str, str]]:
    html = client.get(f"/hoeringer/{consultation.id}/bemaerkninger",
                      query_string={"page": page, "status": "unanswered"}).get_data(as_text=True)
    pager = html[html.index('<nav class="pagination"'):]
    pager = pager[:pager.index("</nav>")]
    links = re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', pager)
    return pager, {label: href for href, label in links}


@pytest.mark.parametrize(("page", "labels"), [
    (1, ["Næste", "Sidste side"]),
    (2, ["Forrige", "Næste", "Sidste side"]),
    (3, ["Første side", "Forrige", "Næste", "Sidste side"]),
    (5, ["Første side", "Forrige", "Næste"]),
    (6, ["Første side", "Forrige"]),
])
def test_the_pager_links_the_first_previous_next_and_last_page(app, client, page, labels,
                                                                make_user):
    consultation = consultation_with_remarks(450, n_bodies=3)  # 150 unanswered: 6 pages
    assert login(client, make_user(Role.STAFF)).status_code == 302
    pager, links = _pager(client, consultation, page)
    assert f"Side {page} af 6" in pager
    assert list(links) == labels
    expected = {"Første side": 1, "Forrige": page - 1, "Næste": page + 1, "Sidste side": 6}
    for label, href in links.items():
        assert f"page={expected[label]}" in href and "status=unanswered" in href


# --- the search -----------------------------------------------------------------------


def _remark_with(consultation: Consultation, text: str) -> Remark:
    response = consultation.consultees[0].body  # any body: the remark joins its response
    owner = db.session.scalar(select(Response).where(
        Response.consultation_id == consultation.id, Response.body_id == response.id))
    remark = Remark(response=owner, consultation_id=consultation.id, original_text=text,
                    search_text=search_key(text))
    db.session.add(remark)
    db.session.commit()
    return remark


SEARCHES = [  # (search, found on PostgreSQL, found on SQLite)
    ("bemærkningerne", True, False),  # Danish stemming: bemærkning
    ("Cykelstien", True, False),  # cykelstierne, cykelstien: cykelsti
    ("digital", True, True),  # the last word is also a prefix: digitalisering
    ("igitalis", False, True),  # SQLite: any substring
    ("Ældreområdet cykelstierne", True, True),  # every word, in any order
    ("ældreområdet", True, True),
    ("ÆLDREOMRÅDET bemærkning", True, True),
    ("cykelstierne skolevejen", False, False),  # skolevejen is not there
    ("!!", False, False),  # no words: nothing
]


@pytest.mark.parametrize(("search", "on_postgres", "on_sqlite"), SEARCHES,
                         ids=[s for s, _p, _q in SEARCHES])
def test_the_search(app, client, make_user, search, on_postgres, on_sqlite):
    consultation = consultation_with_remarks(3, n_bodies=1)
    remark = _remark_with(consultation, "En bemærkning om cykelstierne på ældreområdet "
                                        "og digitalisering.")
    assert login(client, make_user(Role.STAFF)).status_code == 302
    html = client.get(f"/hoeringer/{consultation.id}/bemaerkninger",
                      query_string={"q": search}).get_data(as_text=True)
    found = f'href="/hoeringer/bemaerkninger/{remark.id}?' in html  # the filter carried on
    postgres = db.engine.dialect.name == "postgresql"
    assert found == (on_postgres if postgres else on_sqlite)


def test_the_search_uses_the_danish_index_on_postgresql(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's full-text search")
    from hoering.consultations.queries import search_condition

    sql = str(select(Remark.id).where(search_condition("bemærkning 12")).compile(db.engine))
    assert "to_tsvector('danish'::regconfig, remarks.search_text) @@ to_tsquery(" in sql
    indexes = db.session.scalars(db.text(
        "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_remarks_search_danish'")).all()
    assert indexes == ["CREATE INDEX ix_remarks_search_danish ON public.remarks USING gin "
                       "(to_tsvector('danish'::regconfig, search_text))"]


# --- the progress line ----------------------------------------------------------------


def test_progress_leaves_out_a_reopened_response_and_its_replies(app, make_user):
    consultation = consultation_with_remarks(30, n_bodies=3)
    assert progress(consultation) == Progress(30, 20, 10)
    reopened = db.session.scalar(select(Response).where(
        Response.consultation_id == consultation.id, Response.body_id == body_of(consultation).id))
    consultations.reopen_response(reopened, reason="Fejl i referatet", actor=make_user(Role.ADMIN))
    db.session.commit()
    replies = db.session.scalars(select(Reply).join(Reply.remark).where(
        Remark.response_id == reopened.id)).all()
    approved = [r for r in replies if r.approved_at is not None]
    assert progress(consultation) == Progress(20, 20 - len(replies), 10 - len(approved))
    assert progress(consultation, submitted=20) == progress(consultation)


def test_a_reply_saved_carries_its_remarks_consultation(app, make_user):
    consultation = consultation_with_remarks(3, n_bodies=1)
    remark = db.session.scalar(select(Remark).where(Remark.consultation_id == consultation.id)
                               .where(~Remark.reply.has()))
    reply = consultations.save_reply(remark, text="Taget til efterretning.",
                                     disposition=Disposition.NOTED, based_on_version=None,
                                     actor=make_user(Role.STAFF))
    db.session.commit()
    assert reply.consultation_id == consultation.id
