"""The inbox's bulk actions (hoering.consultations.bulk and its views): approving the
selected replies (four eyes per reply, each audited, a summary of what was approved and
what was refused and why), moving the selected remarks, assigning them to a colleague
("Mine bemærkninger"), and "all that match the filter" with its limit.

CSRF is off in tests (TestingConfig); the browser test goes through the real forms."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from hoering.accounts.models import Role
from hoering.audit.models import AuditEvent
from hoering.consultations import bulk
from hoering.consultations import operations as consultations
from hoering.consultations.models import Remark, Reply
from hoering.core.db import db
from hoering.core.errors import DomainError
from tests.conftest import login
from tests.consultations.pace_world import (
    Pace,
    answer,
    build_pace,
    flashed,
    listed,
    logged_in,
)

OWN = "«Du kan ikke godkende dit eget svar»"
NO_REPLY = "«Bemærkningen har intet svar»"


@pytest.fixture
def pace(app, make_user, make_body) -> Pace:
    return build_pace(make_user, make_body, sou=23, kmu=3)


def _events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)
                                   .order_by(AuditEvent.id)))


def _ids(remarks: list[Remark]) -> list[int]:
    return [remark.id for remark in remarks]


def _as(client, user) -> None:
    assert login(client, user).status_code == 302


def _post(client, url: str, data: dict, query: dict | None = None):
    """A bulk action, then the inbox it sends back to (with its flash)."""
    response = client.post(url, data=data, query_string=query or {})
    assert response.status_code == 302, response.status_code
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    return response, page.get_data(as_text=True)


def test_twenty_replies_approved_in_one_action_with_the_refusals_explained(pace, client):
    written_by_anna, written_by_bo, unanswered = (
        pace.sou_remarks[:20], pace.sou_remarks[20:22], pace.sou_remarks[22:])
    answer(written_by_anna, pace.anna)
    answer(written_by_bo, pace.bo)
    _as(client, pace.bo)

    response, page = _post(client, pace.url("godkend"), {
        "remark_ids": _ids(written_by_anna + written_by_bo + unanswered)})

    assert response.headers["Location"].endswith(pace.inbox_url)
    assert flashed(page) == [f"20 svar godkendt; 3 afvist: {OWN} (2), {NO_REPLY} (1)."]
    db.session.expire_all()
    approved = db.session.scalars(select(Reply).where(Reply.approved_at.is_not(None))).all()
    assert sorted(r.remark_id for r in approved) == _ids(written_by_anna)
    assert {r.approved_by_id for r in approved} == {pace.bo.id}
    events = _events("reply:approve")  # one per reply, as if approved one at a time
    assert sorted(e.object_id for e in events) == sorted(r.id for r in approved)
    assert {e.actor_id for e in events} == {pace.bo.id}


def test_four_eyes_per_reply_whoever_approves(pace, client):
    """Anna approves the same selection: her own replies are refused, Bo's approved; a
    second round refuses what is approved already."""
    answer(pace.sou_remarks[:4], pace.anna)
    answer(pace.sou_remarks[4:6], pace.bo)
    _as(client, pace.anna)
    selection = {"remark_ids": _ids(pace.sou_remarks[:6])}

    _response, page = _post(client, pace.url("godkend"), selection)
    assert flashed(page) == [f"2 svar godkendt; 4 afvist: {OWN} (4)."]
    _response, page = _post(client, pace.url("godkend"), selection)
    assert flashed(page) == [
        f"0 svar godkendt; 6 afvist: {OWN} (4), «Svaret er allerede godkendt» (2)."]
    db.session.expire_all()
    assert {r.remark.id: r.approved_by_id for r in db.session.scalars(select(Reply))} == {
        **{r.id: None for r in pace.sou_remarks[:4]},
        **{r.id: pace.anna.id for r in pace.sou_remarks[4:6]}}


def test_all_that_match_the_filter_is_every_page_of_it(pace, client):
    """KMU's unapproved replies and 25 of SOU's: the filter "SOU, afventer godkendelse"
    has two pages (25 a page); "all that match" approves both pages and nothing else."""
    answer(pace.sou_remarks[:22], pace.anna)
    answer(pace.kmu_remarks, pace.anna)
    _as(client, pace.bo)
    query = {"organ": pace.sou.id, "status": "unapproved"}
    assert len(listed(client.get(pace.inbox_url, query_string=query).get_data(as_text=True))
               ) == 22

    response, page = _post(client, pace.url("godkend"), {"scope": "alle"}, query)

    assert "organ=" in response.headers["Location"]  # back to the same filter
    assert flashed(page) == ["22 svar godkendt."]
    db.session.expire_all()
    approved = db.session.scalars(select(Reply.remark_id).where(Reply.approved_at.is_not(None)))
    assert sorted(approved) == _ids(pace.sou_remarks[:22])


def test_all_that_match_is_limited(pace, client, monkeypatch):
    monkeypatch.setattr(bulk, "MAX_REMARKS", 5)
    answer(pace.sou_remarks[:6], pace.anna)
    _as(client, pace.bo)

    _response, page = _post(client, pace.url("godkend"), {"scope": "alle"},
                            {"status": "unapproved"})

    assert flashed(page) == ["Der kan højst behandles 5 bemærkninger ad gangen. Afgræns "
                             "filteret (fx til ét afsnit, ét organ eller én status), og prøv "
                             "igen."]
    db.session.expire_all()
    assert db.session.scalar(select(func.count(Reply.id)).where(
        Reply.approved_at.is_not(None))) == 0


def test_nothing_selected_and_remarks_of_another_consultation(pace, client, make_user,
                                                             make_body):
    other = build_pace(make_user, make_body, sou=1, kmu=1, suffix="2")
    answer(other.sou_remarks, other.anna)
    _as(client, pace.bo)

    _response, page = _post(client, pace.url("godkend"), {})
    assert flashed(page) == [
        "Markér en eller flere bemærkninger, eller vælg alle, der matcher filteret."]
    _response, page = _post(client, pace.url("godkend"), {"remark_ids": _ids(other.sou_remarks)})
    assert flashed(page) == ["0 svar godkendt."]  # not this consultation's: not selected
    db.session.expire_all()
    assert all(not r.is_approved for r in db.session.scalars(select(Reply)))


def test_move_the_selected_to_a_section(pace, client):
    principle_2 = pace.sections[2]
    chosen = pace.sou_remarks[:3] + pace.kmu_remarks[:1]  # KMU's is there already
    _as(client, pace.anna)

    _response, page = _post(client, pace.url("flyt"), {
        "remark_ids": _ids(chosen), "section": str(principle_2.id)})

    assert flashed(page) == [f"3 bemærkninger flyttet til «{principle_2.heading}»; "
                             "1 lå der allerede."]
    db.session.expire_all()
    assert {db.session.get(Remark, r.id).section_id for r in chosen} == {principle_2.id}
    assert sorted(e.object_id for e in _events("remark:move")) == _ids(chosen[:3])
    _response, page = _post(client, pace.url("flyt"), {
        "remark_ids": _ids(chosen), "section": "generelt"})
    assert flashed(page) == [
        "4 bemærkninger flyttet til «Generelle opmærksomhedspunkter»."]
    _response, page = _post(client, pace.url("flyt"), {"remark_ids": _ids(chosen)})
    assert flashed(page) == ["Flyt til afsnit: Vælg et afsnit."]


def test_assign_to_a_colleague_and_mine(app, pace, client):
    chosen = pace.sou_remarks[3:6] + pace.kmu_remarks[:1]
    _as(client, pace.bo)

    _response, page = _post(client, pace.url("tildel"), {
        "remark_ids": _ids(chosen), "assignee": str(pace.anna.id)})

    assert flashed(page) == ["4 bemærkninger tildelt Anna Andersen."]
    anna = logged_in(app, pace.anna)
    mine = anna.get(pace.inbox_url, query_string={"tildelt": "mine"}).get_data(as_text=True)
    assert sorted(listed(mine)) == _ids(chosen)
    assert "Mine bemærkninger" in mine
    assert listed(client.get(pace.inbox_url, query_string={"tildelt": "mine"}).get_data(
        as_text=True)) == []  # Bo has none
    events = _events("remark:assign")
    assert [e.changes for e in events] == [
        {"assigned_to_id": {"before": None, "after": pace.anna.id}}] * 4
    assert {e.actor_id for e in events} == {pace.bo.id}

    _response, page = _post(client, pace.url("tildel"), {
        "remark_ids": _ids(chosen[:2] + pace.sou_remarks[:1]), "assignee": "ingen"})
    assert flashed(page) == ["Tildelingen er fjernet fra 2 bemærkninger; 1 var ikke tildelt "
                             "nogen."]
    assert len(listed(anna.get(pace.inbox_url, query_string={"tildelt": "mine"}).get_data(
        as_text=True))) == 2


def test_only_colleagues_who_process_remarks_can_be_assigned(pace, client):
    _as(client, pace.bo)
    _response, page = _post(client, pace.url("tildel"), {
        "remark_ids": _ids(pace.sou_remarks[:1]), "assignee": str(pace.member.id)})
    assert flashed(page)[0].startswith("Tildel til: ")
    with pytest.raises(DomainError, match="kan ikke behandle bemærkninger"):
        consultations.assign_remark(pace.sou_remarks[0], pace.member, actor=pace.bo)
    db.session.expire_all()
    assert db.session.get(Remark, pace.sou_remarks[0].id).assigned_to_id is None


def test_the_inbox_offers_the_actions_to_staff_only(app, pace, make_user):
    page = logged_in(app, pace.bo).get(pace.inbox_url).get_data(as_text=True)
    assert page.count('name="remark_ids"') == 25  # the first page
    assert "Alle 26, der matcher filteret (på alle sider)" in page
    assert "Godkend svarene" in page and ">Flyt<" in page and ">Tildel<" in page
    auditor = logged_in(app, make_user(Role.AUDITOR))
    page = auditor.get(pace.inbox_url).get_data(as_text=True)
    assert 'name="remark_ids"' not in page and "Godkend svarene" not in page


def test_a_refusal_is_counted_by_its_first_sentence():
    outcome = bulk.BulkOutcome(done=1)
    for reason in ("Du kan ikke godkende dit eget svar. En kollega skal godkende det.",
                   "Du kan ikke godkende dit eget svar. En kollega skal godkende det.",
                   "Mødet den 9. april 2024 ligger før høringen. Registrér det på sagen."):
        outcome.refuse(reason)
    assert outcome.refusals() == (
        "3 afvist: «Du kan ikke godkende dit eget svar» (2), "
        "«Mødet den 9. april 2024 ligger før høringen» (1)")
    assert bulk.BulkOutcome(done=3).refusals() == ""
