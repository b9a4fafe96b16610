"""The memo's order: the bodies (the municipality's order, natural sort where none was
ever set, the secretary's order for one memo) and the items inside each part (the
bodies' order then submission, or the secretary's); moves stored for the whole list and
audited; the preview in the same order; the order part of an issued memo's content."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from hoering.accounts.models import Body, Role
from hoering.audit.models import AuditEvent
from hoering.consultations import operations as consultations
from hoering.consultations.models import Consultation, Consultee, Remark, RemarkGroup
from hoering.core.db import db, now_utc
from hoering.core.errors import DomainError
from hoering.memos import operations as memos
from hoering.memos.build import build_memo, memo_build
from hoering.memos.document import MemoPart
from hoering.memos.order import natural_key
from hoering.memos.preview import memo_preview
from hoering.policies import operations as policies
from hoering.policies.draft_split import DraftSection
from hoering.public.operations import PublicSubmission, submit_public_response
from tests.consultations.reference import OPENED_ON
from tests.consultations.test_query_counts import count_queries


def test_natural_sort_puts_u2_before_u10():
    assert sorted(["U10", "U2", "u3", "U1", "SOU", "BSU"], key=natural_key) == [
        "BSU", "SOU", "U1", "U2", "u3", "U10"]


def _consultation(make_body, abbreviations: list[str]) -> Consultation:
    """An open public consultation on two sections, invited bodies in this order."""
    bodies = [make_body(a, f"Udvalget {a}") for a in abbreviations]
    policy = policies.create_policy(title="Politiske principper for orden",
                                    journal_number="85.13.00-P00-1-23", description="",
                                    owner_body=bodies[0], actor=None)
    version = policies.create_version(policy, [
        DraftSection("Rammesætning", "Tekst."), DraftSection("Princip 1: Orden", "Tekst."),
    ], actor=None)
    consultation = consultations.create_consultation(
        version, title="Høring om orden", opens_on=OPENED_ON,
        closes_at=now_utc() + timedelta(days=14), invitation_text="", public=True,
        bodies=bodies, actor=None)
    consultations.open_consultation(consultation, actor=None)
    db.session.commit()
    return consultation


def _respond(consultation: Consultation, abbreviation: str, *texts: str) -> list[Remark]:
    """The body's remarks on "Princip 1"."""
    body = db.session.scalars(select(Body).where(Body.abbreviation == abbreviation)).one()
    section = consultation.version.sections[1]
    response = consultations.import_minutes(
        consultation, body, meeting_date=now_utc().date(), agenda_item=1,
        remarks=[consultations.ImportedRemark(t, section) for t in texts], actor=None)
    db.session.commit()
    return list(response.remarks)


def _citizen(consultation: Consultation, text: str, token: str) -> None:
    section = consultation.version.sections[1]
    submit_public_response(consultation, PublicSubmission(
        token=token * 32, name="Ida Borger", email="ida@example.dk",
        section_texts={section.id: text}))
    db.session.commit()


def _abbreviations(consultation: Consultation) -> list[str]:
    return [a.abbreviation for a in build_memo(consultation).abbreviations]


def _items(consultation: Consultation) -> list[tuple[str, str]]:
    (part,) = build_memo(consultation).parts
    return [(item.text, item.abbreviation) for item in part.items]


def _forget_positions() -> None:
    """Bodies registered before the municipality's order existed."""
    db.session.execute(update(Body).values(position=None))
    db.session.commit()


# --- the bodies' order ------------------------------------------------------------------


def test_natural_order_where_no_order_was_ever_set(app, make_body):
    consultation = _consultation(make_body, ["U10", "U2", "U1"])
    _forget_positions()
    assert _abbreviations(consultation) == ["U1", "U2", "U10"]


def test_the_municipality_order_where_it_is_set(app, make_body):
    consultation = _consultation(make_body, ["U10", "U2", "U1"])
    assert _abbreviations(consultation) == ["U10", "U2", "U1"]  # as registered
    _forget_positions()
    u2 = db.session.scalars(select(Body).where(Body.abbreviation == "U2")).one()
    u2.position = 1
    db.session.commit()
    assert _abbreviations(consultation) == ["U2", "U1", "U10"]  # then natural


def test_the_secretary_moves_a_body_and_every_body_gets_its_place(app, make_body, make_user):
    consultation = _consultation(make_body, ["BSU", "KMU", "SOU"])
    staff = make_user(Role.STAFF)
    sou = next(c for c in consultation.consultees if c.body.abbreviation == "SOU")
    memos.move_body(sou, -1, actor=staff)
    db.session.commit()
    assert _abbreviations(consultation) == ["BSU", "SOU", "KMU"]
    places = dict(db.session.execute(select(Consultee.id, Consultee.memo_position).where(
        Consultee.consultation_id == consultation.id)).all())
    assert sorted(places.values()) == [1, 2, 3]
    (event,) = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "consultation:order_memo")).all()
    assert (event.object_id, event.actor_id) == (consultation.id, staff.id)
    assert event.changes == {"body_order": {"before": ["BSU", "KMU", "SOU"],
                                            "after": ["BSU", "SOU", "KMU"]}}

    bsu = next(c for c in consultation.consultees if c.body.abbreviation == "BSU")
    with pytest.raises(DomainError, match="allerede først"):
        memos.move_body(bsu, -1, actor=staff)
    with pytest.raises(DomainError, match="hver høringspart én gang"):
        memos.set_body_order(consultation, [bsu.id], actor=staff)
    with pytest.raises(DomainError):
        memos.move_body(sou, 1, actor=make_user(Role.MEMBER))


# --- the items' order -------------------------------------------------------------------


def test_items_follow_the_bodies_then_submission_with_the_public_last(app, make_body):
    consultation = _consultation(make_body, ["BSU", "KMU"])
    _citizen(consultation, "Borgerens ønske.", "a")
    _respond(consultation, "KMU", "KMU først indsendt.", "KMU igen.")
    _respond(consultation, "BSU", "BSU sidst indsendt.")
    assert _items(consultation) == [
        ("BSU sidst indsendt.", "BSU"), ("KMU først indsendt.", "KMU"), ("KMU igen.", "KMU"),
        ("Borgerens ønske.", "Borger")]
    kmu = next(c for c in consultation.consultees if c.body.abbreviation == "KMU")
    memos.move_body(kmu, -1, actor=None)
    assert [a for _t, a in _items(consultation)] == ["KMU", "KMU", "BSU", "Borger"]


def test_the_secretary_moves_an_item_and_the_part_keeps_its_places(app, make_body, make_user):
    consultation = _consultation(make_body, ["BSU", "KMU", "SOU"])
    staff = make_user(Role.STAFF)
    bsu = _respond(consultation, "BSU", "B1.")
    kmu = _respond(consultation, "KMU", "K1.", "K2.")
    sou = _respond(consultation, "SOU", "S1.")
    memos.move_memo_item(sou[0], -1, actor=staff)
    memos.move_memo_item(sou[0], -1, actor=staff)
    db.session.commit()
    assert [t for t, _a in _items(consultation)] == ["B1.", "S1.", "K1.", "K2."]
    places = dict(db.session.execute(select(Remark.id, Remark.memo_position)).all())
    assert places == {bsu[0].id: 1, sou[0].id: 2, kmu[0].id: 3, kmu[1].id: 4}
    events = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "consultation:order_memo").order_by(AuditEvent.id)).all()
    section_id = consultation.version.sections[1].id
    assert [e.changes for e in events] == [
        {"part": {"before": None, "after": section_id}, "from_place": {"before": None,
                                                                       "after": 3},
         "remark_order": {"before": [kmu[1].id, sou[0].id], "after": [sou[0].id, kmu[1].id]}},
        {"part": {"before": None, "after": section_id}, "from_place": {"before": None,
                                                                       "after": 2},
         "remark_order": {"before": [kmu[0].id, sou[0].id], "after": [sou[0].id, kmu[0].id]}},
    ]
    with pytest.raises(DomainError, match="allerede sidst"):
        memos.move_memo_item(kmu[1], 1, actor=staff)

    # a remark that comes later goes after those the secretary placed
    _citizen(consultation, "Sent fra en borger.", "b")
    assert [t for t, _a in _items(consultation)][-1] == "Sent fra en borger."


def test_a_part_order_given_whole(app, make_body, make_user):
    consultation = _consultation(make_body, ["BSU", "SOU"])
    first = _respond(consultation, "BSU", "B1.", "B2.")
    second = _respond(consultation, "SOU", "S1.")
    section_id = consultation.version.sections[1].id
    order = [second[0].id, first[1].id, first[0].id]
    memos.set_memo_item_order(consultation, section_id, order, actor=None)
    assert [t for t, _a in _items(consultation)] == ["S1.", "B2.", "B1."]
    with pytest.raises(DomainError, match="hvert punkt under overskriften én gang"):
        memos.set_memo_item_order(consultation, section_id, order[:2], actor=None)
    with pytest.raises(DomainError):
        memos.move_memo_item(first[0], -1, actor=make_user(Role.AUDITOR))


def test_a_group_of_committees_is_labelled_by_its_bodies(app, make_body):
    consultation = _consultation(make_body, ["U10", "U2"])
    _forget_positions()
    ten = _respond(consultation, "U10", "Samme ønske.")
    two = _respond(consultation, "U2", "Samme ønske.")
    group = RemarkGroup(consultation_id=consultation.id)
    db.session.add(group)
    db.session.flush()
    ten[0].group_id = two[0].group_id = group.id
    db.session.commit()
    (part,) = build_memo(consultation).parts
    (item,) = part.items
    assert (item.abbreviation, item.count) == ("U2, U10", 2)
    assert memo_preview(consultation, limit=5).document.parts[0].items == (item,)


def test_the_preview_and_the_full_memo_agree_on_the_order(app, make_body):
    consultation = _consultation(make_body, ["BSU", "KMU", "SOU"])
    _citizen(consultation, "Borgeren.", "c")
    remarks = [r for a in ("SOU", "KMU", "BSU") for r in _respond(consultation, a, f"{a} 1.",
                                                                    f"{a} 2.")]
    kmu = next(c for c in consultation.consultees if c.body.abbreviation == "KMU")
    memos.move_body(kmu, 1, actor=None)
    memos.move_memo_item(remarks[0], -1, actor=None)
    full = build_memo(consultation)
    for limit in (2, 100):
        preview = memo_preview(consultation, limit=limit)
        assert preview.document == replace(full, parts=tuple(
            MemoPart(p.heading, p.items[:limit]) for p in full.parts))
    built = memo_build(consultation)
    assert [len(ids) for ids in built.item_ids] == [len(p.items) for p in full.parts]


def test_the_order_is_part_of_the_memo_content(app, make_body):
    consultation = _consultation(make_body, ["BSU", "KMU"])
    remarks = _respond(consultation, "BSU", "B1.", "B2.")
    before = build_memo(consultation).content_hash()
    memos.move_memo_item(remarks[1], -1, actor=None)
    assert build_memo(consultation).content_hash() != before


def test_the_memo_reads_the_order_in_a_fixed_number_of_queries(app, make_body):
    consultation = _consultation(make_body, ["BSU", "KMU", "SOU"])
    remarks = _respond(consultation, "BSU", "B1.", "B2.")

    def queries() -> int:
        db.session.expire_all()
        with count_queries() as statements:
            build_memo(db.session.get(Consultation, consultation.id))
        return len(statements)

    before = queries()
    _respond(consultation, "SOU", *(f"S{n}." for n in range(30)))
    memos.move_memo_item(remarks[1], -1, actor=None)
    memos.move_body(consultation.consultees[2], -1, actor=None)
    assert queries() == before


# --- over HTTP --------------------------------------------------------------------------


def test_move_buttons_on_the_memo_page(client, login_as, make_body):
    consultation = _consultation(make_body, ["BSU", "SOU"])
    remarks = _respond(consultation, "BSU", "Den første.", "Den anden.")
    login_as(Role.STAFF)
    page = client.get(f"/hoeringer/{consultation.id}/notat").get_data(as_text=True)
    assert 'name="direction" value="up"' in page and 'name="direction" value="down"' in page
    assert '<span class="visually-hidden">: Den første. (BSU)</span>' in page

    sou = next(c for c in consultation.consultees if c.body.abbreviation == "SOU")
    response = client.post(f"/notat/hoeringsparter/{sou.id}/flyt", data={"direction": "up"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/notat#hoeringspart-{sou.id}")
    assert _abbreviations(consultation) == ["SOU", "BSU"]
    response = client.post(f"/notat/punkter/{remarks[1].id}/flyt", data={"direction": "up"},
                           follow_redirects=True)
    assert "Rækkefølgen er gemt." in response.get_data(as_text=True)
    assert [t for t, _a in _items(consultation)] == ["Den anden.", "Den første."]

    refused = client.post(f"/notat/punkter/{remarks[1].id}/flyt", data={"direction": "up"},
                          follow_redirects=True)
    assert "Punktet står allerede først." in refused.get_data(as_text=True)
    nonsense = client.post(f"/notat/punkter/{remarks[1].id}/flyt",
                           data={"direction": "sideways"}, follow_redirects=True)
    assert "Vælg op eller ned." in nonsense.get_data(as_text=True)
    assert client.post("/notat/punkter/999999/flyt", data={"direction": "up"}).status_code \
        == 404
