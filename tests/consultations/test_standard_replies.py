"""Standard replies: kept by staff (add, edit, delete with confirmation, each audited),
and inserted into the reply field on the remark page without JavaScript (a select and
"Indsæt", which re-renders the form with the text and keeps what was typed), then edited
and saved as any reply."""

from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import select

from hoering.audit.models import AuditEvent
from hoering.consultations import standard_replies
from hoering.consultations.models import Disposition, Reply, StandardReply
from hoering.core.db import db
from hoering.core.errors import DomainError
from tests.consultations.pace_world import Pace, build_pace, flashed, logged_in

COVERED = "Bemærkningen vurderes allerede dækket af princippets tekst."


@pytest.fixture
def pace(app, make_user, make_body) -> Pace:
    return build_pace(make_user, make_body, sou=2, kmu=1)


def _text(response) -> str:
    return unescape(response.get_data(as_text=True))


def _textarea(html: str) -> str:
    found = re.search(r'<textarea[^>]*id="reply_text"[^>]*>\r?\n?(.*?)</textarea>', html, re.S)
    assert found, "no reply field"
    return found.group(1)


def _selected(html: str, select_name: str) -> str:
    block = re.search(rf'<select[^>]*name="{select_name}"[^>]*>(.*?)</select>', html, re.S)
    assert block
    chosen = re.search(r'<option[^>]*selected[^>]*value="([^"]*)"|'
                       r'<option[^>]*value="([^"]*)"[^>]*selected', block.group(1))
    assert chosen, f"nothing selected in {select_name}"
    return chosen.group(1) or chosen.group(2)


def test_staff_add_edit_and_delete_standard_replies(app, pace):
    anna = logged_in(app, pace.anna)
    assert "Der er endnu ingen standardsvar. Opret det første" in _text(anna.get("/standardsvar"))

    refused = anna.post("/standardsvar/nyt", data={"title": "Dækket", "text": COVERED})
    assert refused.status_code == 200 and "Vælg en behandling." in _text(refused)
    created = anna.post("/standardsvar/nyt", data={
        "disposition": "already_covered", "title": "Dækket", "text": COVERED})
    assert created.status_code == 302
    listing = _text(anna.get("/standardsvar"))
    assert "Standardsvaret «Dækket» er oprettet." in flashed(listing) and COVERED in listing
    standard = db.session.scalars(select(StandardReply)).one()
    assert (standard.disposition, standard.created_by_id) == (
        Disposition.ALREADY_COVERED, pace.anna.id)

    edit_url = f"/standardsvar/{standard.id}/rediger"
    assert _selected(_text(anna.get(edit_url)), "disposition") == "already_covered"
    assert anna.post(edit_url, data={"disposition": "noted", "title": "Dækket af teksten",
                                     "text": COVERED}).status_code == 302
    db.session.expire_all()
    assert (standard.disposition, standard.title) == (Disposition.NOTED, "Dækket af teksten")

    delete_url = f"/standardsvar/{standard.id}/slet"
    question = _text(anna.get(delete_url))
    assert "Vil du slette standardsvaret «Dækket af teksten»?" in question
    assert db.session.get(StandardReply, standard.id) is not None  # asking deletes nothing
    assert anna.post(delete_url).status_code == 302
    db.session.expire_all()
    assert db.session.get(StandardReply, standard.id) is None
    actions = db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.object_type == "standard_reply").order_by(AuditEvent.id)).all()
    assert actions == ["standard_reply:create", "standard_reply:update",
                       "standard_reply:delete"]


def test_a_standard_reply_needs_a_title_and_a_text(pace):
    with pytest.raises(DomainError, match="titel"):
        standard_replies.create_standard_reply(disposition=Disposition.NOTED, title=" ",
                                               text="Tak.", actor=pace.anna)
    with pytest.raises(DomainError, match="tekst"):
        standard_replies.create_standard_reply(disposition=Disposition.NOTED, title="Tak",
                                               text="  ", actor=pace.anna)


def test_the_remark_page_says_what_to_do_without_standard_replies(app, pace):
    remark = pace.sou_remarks[0]
    page = _text(logged_in(app, pace.anna).get(f"/hoeringer/bemaerkninger/{remark.id}"))
    assert "Der er endnu ingen standardsvar at indsætte." in page
    assert 'href="/standardsvar"' in page and ">Indsæt<" not in page


def test_insert_a_standard_reply_then_edit_and_save(app, pace):
    standard_replies.create_standard_reply(disposition=Disposition.NOTED, title="Tak",
                                           text="Tak for bemærkningen.", actor=pace.anna)
    covered = standard_replies.create_standard_reply(
        disposition=Disposition.ALREADY_COVERED, title="Dækket", text=COVERED, actor=pace.anna)
    db.session.commit()
    remark = pace.sou_remarks[0]
    url = f"/hoeringer/bemaerkninger/{remark.id}"
    anna = logged_in(app, pace.anna)
    page = _text(anna.get(url))
    assert '<optgroup label="Allerede dækket">' in page and ">Indsæt<" in page

    inserted = anna.post(f"{url}/svar", data={
        "insert": "1", "standard_reply": str(covered.id),
        "text": "Udvalget peger på tilgængelighed.", "disposition": "", "lock_version": ""})

    assert inserted.status_code == 200
    html = _text(inserted)
    assert _textarea(html) == f"Udvalget peger på tilgængelighed.\n\n{COVERED}"
    assert _selected(html, "disposition") == "already_covered"  # none was chosen
    assert "Feltet skal udfyldes" not in html and "Vælg en behandling." not in html
    assert db.session.scalars(select(Reply)).first() is None  # nothing saved

    kept = _text(anna.post(f"{url}/svar", data={
        "insert": "1", "standard_reply": str(covered.id), "text": "",
        "disposition": "incorporated", "lock_version": ""}))
    assert _textarea(kept) == COVERED
    assert _selected(kept, "disposition") == "incorporated"  # a choice made is kept
    not_chosen = anna.post(f"{url}/svar", data={"insert": "1", "standard_reply": "",
                                                "text": "Mit svar", "lock_version": ""})
    assert not_chosen.status_code == 422 and "Vælg et standardsvar." in _text(not_chosen)
    assert _textarea(_text(not_chosen)) == "Mit svar"

    edited = f"{COVERED} Se princip 2."
    saved = anna.post(f"{url}/svar", data={"text": edited, "disposition": "already_covered",
                                           "lock_version": ""})
    assert saved.status_code == 302
    db.session.expire_all()
    reply = db.session.scalars(select(Reply)).one()
    assert (reply.text, reply.disposition) == (edited, Disposition.ALREADY_COVERED)
