"""Issuing a memo: refused while the consultation is open and while a remark has no
approved reply (naming how many, under which headings, the first few) — or, by the
secretary's explicit choice, issued with those remarks marked "besvares senere". An
issued memo never holds a reply that was not approved; a draft shows it."""

from __future__ import annotations

import io
from datetime import timedelta

import docx
import pytest
from sqlalchemy import select

from hoering.accounts.models import Role
from hoering.audit.models import AuditEvent
from hoering.consultations import operations as consultations
from hoering.consultations.models import Consultation, Disposition, Remark, RemarkGroup
from hoering.core.db import db, now_utc
from hoering.core.errors import DomainError
from hoering.memos import operations as memos
from hoering.memos.build import build_memo
from hoering.memos.document import PENDING_REPLY
from hoering.memos.models import MemoIssue
from tests.memos.test_memo import _import, after_deadline, approve_all, small_consultation

UNAPPROVED = "Et svar, der ikke er godkendt."


def _answered(make_body, make_user):
    """SOU's two remarks (princip 1, and general), both answered; only the first approved.
    Returns (consultation, staff, colleague, [on princip 1, general])."""
    consultation, staff = small_consultation(make_body, make_user)
    colleague = make_user(Role.STAFF)
    sou = consultation.consultees[0].body
    response = consultations.import_minutes(
        consultation, sou, meeting_date=now_utc().date(), agenda_item=2, remarks=[
            consultations.ImportedRemark("Om princip 1.", consultation.version.sections[1]),
            consultations.ImportedRemark("Noget generelt om det hele.", None),
        ], actor=None)
    first, general = response.remarks
    reply = consultations.save_reply(first, text="Godkendt svar.", based_on_version=None,
                                     disposition=Disposition.NOTED, actor=staff)
    consultations.approve_reply(reply, actor=colleague)
    consultations.save_reply(general, text=UNAPPROVED, based_on_version=None,
                             disposition=Disposition.NOTED, actor=staff)
    db.session.commit()
    return consultation, staff, colleague, [first, general]


def test_refused_while_the_consultation_is_open(app, make_body, make_user):
    consultation, staff = small_consultation(make_body, make_user)
    approve_all(consultation, author=staff, approver=make_user(Role.STAFF))
    with pytest.raises(DomainError, match="Høringen er stadig åben") as refusal:
        memos.issue_memo(consultation, actor=staff, mark_pending=True)
    assert "notatet kan udstedes, når høringsfristen er udløbet" in refusal.value.message
    assert memos.issue_count(consultation) == 0


def test_refused_with_unanswered_and_unapproved_remarks_named(app, make_body, make_user):
    consultation, staff, _colleague, _remarks = _answered(make_body, make_user)
    _import(consultation, consultation.consultees[1].body, ["Ubesvaret om princip 1."])
    db.session.commit()
    with after_deadline(consultation), pytest.raises(DomainError) as refusal:
        memos.issue_memo(consultation, actor=staff)
    assert refusal.value.message == (
        "Notatet kan ikke udstedes: 2 bemærkninger har ikke et godkendt svar: 1 under "
        "»Høringssvar til princip 1«, 1 under »Høringssvar med opmærksomhedspunkter "
        "generelt«. Først: »Noget generelt om det hele.« (SOU), »Ubesvaret om princip 1.« "
        "(BSU). Godkend svarene, eller vælg at udstede med de ubesvarede bemærkninger "
        "markeret »besvares senere«.")
    assert memos.issue_count(consultation) == 0


def test_the_message_uses_the_memos_own_headings_and_a_group_counts_once(
        app, make_body, make_user):
    consultation, staff, _colleague, (_first, general) = _answered(make_body, make_user)
    copies = _import(consultation, consultation.consultees[1].body,
                     ["Samme.", "Samme."], section_index=2).remarks
    group = RemarkGroup(consultation_id=consultation.id)
    db.session.add(group)
    db.session.flush()
    for remark in copies:
        remark.group_id = group.id
    memos.update_memo_texts(consultation, memos.MemoTexts(part_headings={"general": "Andet"}),
                            actor=staff)
    db.session.commit()
    missing = memos.issue_readiness(consultation).missing
    assert missing.total == 2
    assert missing.by_part == (("Høringssvar til princip 2", 1), ("Andet", 1))


def test_issued_with_the_unapproved_marked_pending_by_choice(app, make_body, make_user):
    consultation, staff, _colleague, _remarks = _answered(make_body, make_user)
    draft = build_memo(consultation)
    assert UNAPPROVED in [item.reply for part in draft.parts for item in part.items]

    with after_deadline(consultation):
        issue = memos.issue_memo(consultation, actor=staff, mark_pending=True)
    db.session.commit()
    document = build_memo(consultation, draft=False, version=1)
    items = {item.text: item for part in document.parts for item in part.items}
    assert (items["Om princip 1."].reply, items["Om princip 1."].pending) == (
        "Godkendt svar.", False)
    assert (items["Noget generelt om det hele."].reply,
            items["Noget generelt om det hele."].pending) == (None, True)
    assert issue.content_hash == document.content_hash()

    texts = {"md": issue.markdown, "html": issue.html,
             "docx": "\n".join(p.text for p in docx.Document(io.BytesIO(issue.docx)).paragraphs)}
    for fmt, text in texts.items():
        assert UNAPPROVED not in text, fmt
        assert PENDING_REPLY in text, fmt
        assert "Godkendt svar." in text, fmt
    (event,) = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "memo:issue"))
    assert event.changes["pending"] == {"before": None, "after": 1}


def test_issued_once_every_reply_is_approved(app, make_body, make_user):
    consultation, staff, colleague, (_first, general) = _answered(make_body, make_user)
    consultations.approve_reply(general.reply, actor=colleague)
    db.session.commit()
    with after_deadline(consultation):
        issue = memos.issue_memo(consultation, actor=staff)
    assert UNAPPROVED in issue.markdown and PENDING_REPLY not in issue.markdown
    assert issue.content_hash == build_memo(consultation).content_hash()  # as the draft


def test_a_consultation_never_opened_has_no_memo(app, make_body, make_user):
    consultation, staff = small_consultation(make_body, make_user)
    consultation.opened_at = None
    with pytest.raises(DomainError, match="ikke åbnet"):
        memos.issue_memo(consultation, actor=staff)


# --- over HTTP --------------------------------------------------------------------------


def _closed(consultation: Consultation) -> None:
    """The deadline a minute ago (the test client asks in real time, with its login)."""
    consultation.closes_at = now_utc() - timedelta(minutes=1)
    db.session.commit()


def test_the_issue_page_while_open_says_so_and_offers_no_button(client, login_as, make_body,
                                                                 make_user):
    consultation, _staff = small_consultation(make_body, make_user)
    login_as(Role.STAFF)
    response = client.get(f"/hoeringer/{consultation.id}/notat/udsted")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Høringen er stadig åben" in page
    assert "Udsted høringsnotat</button>" not in page
    refused = client.post(f"/hoeringer/{consultation.id}/notat/udsted")
    assert refused.status_code == 409 and "Høringen er stadig åben" in refused.get_data(
        as_text=True)


def test_the_issue_page_offers_the_pending_choice(client, login_as, make_body, make_user):
    consultation, _staff, _colleague, _remarks = _answered(make_body, make_user)
    _closed(consultation)
    login_as(Role.STAFF)
    url = f"/hoeringer/{consultation.id}/notat/udsted"
    page = client.get(url).get_data(as_text=True)
    assert "1 bemærkning har ikke et godkendt svar" in page
    assert 'name="mark_pending"' in page
    assert "Udsted med de ubesvarede bemærkninger markeret »besvares senere«" in page

    refused = client.post(url)
    assert refused.status_code == 409
    assert "Notatet kan ikke udstedes: 1 bemærkning" in refused.get_data(as_text=True)
    assert db.session.scalar(select(MemoIssue.id)) is None

    assert client.post(url, data={"mark_pending": "y"}).status_code == 302
    issue = db.session.scalars(select(MemoIssue)).one()
    assert PENDING_REPLY in issue.markdown and UNAPPROVED not in issue.markdown
    # the draft still shows the reply waiting for approval, so it differs from the issue
    page = client.get(f"/hoeringer/{consultation.id}/notat").get_data(as_text=True)
    assert "afviger fra den senest udstedte version 1" in page


def test_a_member_may_not_issue(app, make_body, make_user):
    consultation, _staff, _colleague, _remarks = _answered(make_body, make_user)
    with after_deadline(consultation), pytest.raises(DomainError):
        memos.issue_memo(consultation, actor=make_user(Role.MEMBER), mark_pending=True)
    assert db.session.scalars(select(Remark)).first() is not None
