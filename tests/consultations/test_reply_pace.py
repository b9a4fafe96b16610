"""Replying at the secretariat's pace: "Gem og gå til næste ubesvarede" (the next
unanswered remark of the same inbox filter, or back to the inbox when none is left), no
default disposition (a required choice), and the approver's dashboard saying how many
replies wait for them and from whom."""

from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import select

from hoering.consultations.models import Reply
from hoering.core.db import db
from tests.consultations.pace_world import Pace, answer, build_pace, flashed, listed, logged_in


@pytest.fixture
def pace(app, make_user, make_body) -> Pace:
    """SOU's six remarks, in the inbox's order: 0, 2, 4 (framing), 1, 3, 5 (principle
    1); then KMU's three (principle 2)."""
    return build_pace(make_user, make_body, sou=6, kmu=3)


def _save_and_next(client, remark, query: dict):
    return client.post(f"/hoeringer/bemaerkninger/{remark.id}/svar", query_string=query,
                       data={"text": "Taget til efterretning.", "disposition": "noted",
                             "lock_version": "", "next": "1"})


def _remark_id(location: str) -> int:
    found = re.search(r"/hoeringer/bemaerkninger/(\d+)", location)
    assert found, location
    return int(found.group(1))


def test_save_and_go_to_the_next_unanswered_of_the_same_filter(app, pace):
    sou = pace.sou_remarks
    answer([sou[2]], pace.bo)
    anna = logged_in(app, pace.anna)
    query = {"organ": str(pace.sou.id)}
    remark_page = anna.get(f"/hoeringer/bemaerkninger/{sou[0].id}", query_string=query)
    assert f'/hoeringer/bemaerkninger/{sou[0].id}/svar?organ={pace.sou.id}"' in (
        remark_page.get_data(as_text=True))  # the form carries the filter

    saved = _save_and_next(anna, sou[0], query)

    assert saved.status_code == 302
    location = saved.headers["Location"]
    assert _remark_id(location) == sou[4].id  # sou[2] is answered already
    assert f"organ={pace.sou.id}" in location and location.endswith("#svar")
    page = anna.get(location).get_data(as_text=True)
    assert flashed(page) == ["Svaret er gemt. Her er den næste ubesvarede bemærkning."]
    # after the last of the filter, from the top again: the first still unanswered
    assert _remark_id(_save_and_next(anna, sou[5], query).headers["Location"]) == sou[4].id
    # without the filter, KMU's remarks come after SOU's last
    assert _remark_id(_save_and_next(anna, sou[3], {}).headers["Location"]) == (
        pace.kmu_remarks[0].id)


def test_back_to_the_inbox_when_none_is_left(app, pace):
    sou = pace.sou_remarks
    answer([sou[0], sou[1], sou[2], sou[4], sou[5]], pace.bo)
    anna = logged_in(app, pace.anna)
    query = {"organ": str(pace.sou.id), "status": "unanswered"}

    saved = _save_and_next(anna, sou[3], query)

    location = saved.headers["Location"]
    assert location.startswith(f"/hoeringer/{pace.consultation.id}/bemaerkninger?")
    assert "status=unanswered" in location and f"organ={pace.sou.id}" in location
    page = anna.get(location).get_data(as_text=True)
    assert flashed(page) == [
        "Svaret er gemt. Der er ikke flere ubesvarede bemærkninger i filteret."]
    assert listed(page) == []


def test_the_disposition_is_a_required_choice_without_a_default(app, pace):
    remark = pace.sou_remarks[0]
    url = f"/hoeringer/bemaerkninger/{remark.id}"
    anna = logged_in(app, pace.anna)
    page = anna.get(url).get_data(as_text=True)
    options = re.search(r'<select[^>]*name="disposition"[^>]*>(.*?)</select>', page, re.S)
    assert options
    first = re.search(r"<option[^>]*>[^<]*</option>", options.group(1))
    assert first and 'value=""' in first.group() and "selected" in first.group()
    assert "Vælg behandling" in first.group()

    refused = anna.post(f"{url}/svar", data={"text": "Mit svar", "lock_version": ""})

    assert refused.status_code == 200
    html = unescape(refused.get_data(as_text=True))
    assert "Vælg en behandling." in html and "Mit svar</textarea>" in html
    assert db.session.scalars(select(Reply)).first() is None


def test_the_approvers_dashboard_says_what_waits_for_them_and_from_whom(app, pace):
    answer(pace.sou_remarks[:3], pace.anna)
    answer(pace.kmu_remarks[:2], pace.bo)
    bo = logged_in(app, pace.bo)

    dashboard = unescape(bo.get("/").get_data(as_text=True))

    assert "3 svar venter på din godkendelse." in dashboard
    assert "3 fra Anna Andersen" in dashboard and "fra Bo Bertelsen" not in dashboard
    link = f"/hoeringer/{pace.consultation.id}/bemaerkninger?status=awaiting_me"
    assert f'href="{link}"' in dashboard
    assert sorted(listed(bo.get(link).get_data(as_text=True))) == [
        r.id for r in pace.sou_remarks[:3]]
    anna_sees = unescape(logged_in(app, pace.anna).get("/").get_data(as_text=True))
    assert "2 svar venter på din godkendelse." in anna_sees and "2 fra Bo Bertelsen" in anna_sees

    bo.post(f"/hoeringer/{pace.consultation.id}/bemaerkninger/godkend", data={"scope": "alle"},
            query_string={"status": "awaiting_me"})
    assert "Ingen svar venter på din godkendelse." in unescape(bo.get("/").get_data(
        as_text=True))
    member_sees = logged_in(app, pace.member).get("/").get_data(as_text=True)
    assert "venter på din godkendelse" not in member_sees
