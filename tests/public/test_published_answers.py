"""Publishing the answers ("Det sagde I – det gjorde vi"): staff review each CPR number,
phone number and e-mail address found in what the public page shows (mask, the default,
or keep), publishing is refused while any is undecided, the public page shows the approved
replies by section with the masked texts beside the memo and the revised version, and
the record (``Remark.original_text``) never changes."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from hoering.accounts.models import Role
from hoering.audit.models import AuditEvent
from hoering.consultations import lifecycle, publication
from hoering.consultations import operations as consultations
from hoering.consultations.models import (
    Disposition,
    MaskedField,
    MaskingChoice,
    MaskingDecision,
    Remark,
)
from hoering.core.db import db
from hoering.core.errors import DomainError
from hoering.memos.models import MemoIssue
from hoering.policies import operations as policies
from hoering.public.operations import PublicSubmission, submit_public_response
from tests.conftest import login
from tests.public.factories import public_consultation

CITIZEN = ("Ring til mig på 22 34 56 78 eller skriv til karen@example.dk. "
           "Mit CPR-nummer er 010190-1234.")
SWITCHBOARD = "Rådhusets omstilling har 44 77 00 00."
UNDECIDED = "som ingen har taget stilling til"


@pytest.fixture
def answered(app, make_user):
    """A closed public consultation: a citizen's remark with a phone number, an e-mail
    address and a CPR number (answered, approved), a committee's remark naming the
    switchboard's number (answered, approved, the reply with an address of the
    municipality) and a remark whose reply is not approved."""
    consultation = public_consultation()
    vision, culture = consultation.version.sections[0], consultation.version.sections[1]
    citizen, _ = submit_public_response(consultation, PublicSubmission(
        token="t" * 32, name="Karen Kultur", email="karen@example.dk",
        section_texts={culture.id: CITIZEN}))
    other, _ = submit_public_response(consultation, PublicSubmission(
        token="u" * 32, name="Ole", email="ole@example.dk",
        general_text="Ikke besvaret endnu <script>alert(1)</script>"))
    body = consultation.consultees[0].body
    committee = consultations.import_minutes(
        consultation, body, meeting_date=consultation.opens_on, agenda_item=2,
        remarks=[consultations.ImportedRemark(SWITCHBOARD, vision)], actor=None)
    author, approver = make_user(Role.STAFF), make_user(Role.STAFF)
    for remark, text in ((citizen.remarks[0], "Indarbejdet i temaet om kulturlivet."),
                         (committee.remarks[0], "Skriv til kultur@kommune.dk.")):
        reply = consultations.save_reply(remark, text=text, disposition=Disposition.INCORPORATED,
                                         based_on_version=None, actor=author)
        consultations.approve_reply(reply, actor=approver)
    consultations.save_reply(other.remarks[0], text="Kladde til svar 99887766",
                             disposition=Disposition.NOTED, based_on_version=None, actor=author)
    lifecycle.close_consultation(consultation, actor=None)
    db.session.commit()
    return consultation, citizen.remarks[0], committee.remarks[0], author


def _decide_all(consultation, keep=(), *, actor=None) -> None:
    items = publication.found_items(consultation)
    publication.decide_findings(consultation, {
        item.key: MaskingChoice.KEEP if item.context.found in keep else MaskingChoice.MASK
        for item in items}, actor=actor)


def test_what_is_found_in_the_texts_to_publish(answered):
    consultation, citizen, committee, _author = answered
    found = {(i.text.remark_id, i.text.field, i.context.found, i.finding.kind.value)
             for i in publication.found_items(consultation)}
    assert found == {
        (citizen.id, MaskedField.ORIGINAL, "22 34 56 78", "phone"),
        (citizen.id, MaskedField.ORIGINAL, "karen@example.dk", "email"),
        (citizen.id, MaskedField.ORIGINAL, "010190-1234", "cpr"),
        (committee.id, MaskedField.ORIGINAL, "44 77 00 00", "phone"),
        (committee.id, MaskedField.REPLY, "kultur@kommune.dk", "email"),
    }  # the unapproved reply's number is not published, so not asked about
    assert publication.undecided_count(consultation) == 5


def test_publishing_is_refused_until_every_finding_is_decided(answered):
    consultation, *_ = answered
    with pytest.raises(DomainError, match=f"5 mulige personoplysninger.*{UNDECIDED}"):
        publication.publish_answers(consultation, actor=None)
    with pytest.raises(DomainError, match=UNDECIDED):  # the responses alike
        consultations.publish_responses(consultation, actor=None)
    items = publication.found_items(consultation)
    publication.decide_findings(consultation, {items[0].key: MaskingChoice.MASK}, actor=None)
    with pytest.raises(DomainError, match="4 mulige"):
        publication.publish_answers(consultation, actor=None)

    _decide_all(consultation)
    publication.publish_answers(consultation, actor=None)
    consultations.publish_responses(consultation, actor=None)
    assert consultation.answers_published_at is not None


def test_staff_review_each_finding_in_context_and_decide(answered, client, make_user):
    consultation, citizen, committee, _author = answered
    staff = make_user(Role.STAFF)
    login(client, staff)
    url = f"/hoeringer/{consultation.id}/personoplysninger"
    page = client.get(url).text
    assert "5 fund" in page and "5 mangler en afgørelse" in page
    assert "<mark>010190-1234</mark>" in page and "Mit CPR-nummer er " in page
    assert len(re.findall(r'<input checked[^>]* id="findings-\d+-choice-0"[^>]+value="mask"',
                          page)) == 5  # masking is the default

    form = {f"findings-{n}-key": key for n, key in enumerate(re.findall(
        r'name="findings-\d+-key" type="hidden" value="([^"]+)"', page))}
    assert len(form) == 5
    items = {i.key: i for i in publication.found_items(consultation)}
    for n in range(5):
        kept = items[form[f"findings-{n}-key"]].context.found in (
            "44 77 00 00", "kultur@kommune.dk")
        form[f"findings-{n}-choice"] = "keep" if kept else "mask"
    answer = client.post(url, data=form)
    assert answer.status_code == 302
    assert "Alle fund er afgjort" in client.get(answer.headers["Location"]).text

    decisions = db.session.scalars(select(MaskingDecision)).all()
    assert sorted(d.decision.value for d in decisions) == ["keep", "keep", "mask", "mask", "mask"]
    assert {d.decided_by_id for d in decisions} == {staff.id}
    event = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "consultation:masking"))
    assert event.changes == {"masked": {"before": None, "after": 3},
                             "kept": {"before": None, "after": 2},
                             "remark_ids": {"before": None,
                                            "after": sorted([citizen.id, committee.id])}}
    assert not re.search(r"22 34|010190|karen@|44 77|kultur@", str(event.changes))


def test_the_public_page_shows_the_approved_answers_masked_by_section(answered, client,
                                                                      make_user):
    consultation, citizen, committee, _author = answered
    revised = policies.copy_version(consultation.version, actor=None)
    db.session.add(MemoIssue(consultation_id=consultation.id, number=1, content_hash="0" * 64,
                             markdown="# Notat", html="<p>Notat</p>", docx=b"PK", pdf=b"%PDF"))
    _decide_all(consultation, keep=("44 77 00 00", "kultur@kommune.dk"))
    db.session.commit()
    public_url = f"/offentlige-hoeringer/{consultation.id}/det-sagde-i-det-gjorde-vi"
    assert client.get(public_url).status_code == 404  # not published yet

    login(client, make_user(Role.STAFF))
    assert client.post(f"/hoeringer/{consultation.id}/offentliggoer-svar").status_code == 302
    client.post("/logout")

    page = client.get(public_url).text
    assert ("Ring til mig på [telefonnummer fjernet] eller skriv til [e-mailadresse fjernet]. "
            "Mit CPR-nummer er [CPR-nummer fjernet].") in page
    assert not re.search(r"22 34 56 78|karen@example|010190", page)
    assert SWITCHBOARD in page and "Skriv til kultur@kommune.dk." in page  # kept
    assert "Indarbejdet i temaet om kulturlivet." in page
    assert "Kladde til svar" not in page and "Ikke besvaret endnu" not in page  # unapproved
    assert "Karen Kultur" not in page
    # by section, in the version's order: Vision (the committee) before Kulturlivet
    assert page.index("<h3>Vision</h3>") < page.index(SWITCHBOARD) < page.index(
        "<h3>Kulturlivet</h3>") < page.index("Indarbejdet i temaet")
    assert f"/offentlige-hoeringer/{consultation.id}/notat.pdf" in page
    assert f"Den reviderede version ({revised.label})" in page

    # the record is unchanged
    db.session.expire_all()
    assert db.session.get(Remark, citizen.id).original_text == CITIZEN
    assert "Læs svarene" in client.get(f"/offentlige-hoeringer/{consultation.id}").text


def test_the_published_responses_are_masked_too(answered, client):
    consultation, *_ = answered
    _decide_all(consultation, keep=("44 77 00 00",))
    consultations.publish_responses(consultation, actor=None)
    db.session.commit()
    page = client.get(f"/offentlige-hoeringer/{consultation.id}").text
    assert "Ring til mig på [telefonnummer fjernet]" in page and SWITCHBOARD in page
    assert "010190-1234" not in page and "karen@example.dk" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # user text escaped


def test_a_text_changed_after_the_decision_is_asked_about_again(answered, make_user):
    consultation, _citizen, committee, author = answered
    _decide_all(consultation, keep=("kultur@kommune.dk",))
    assert publication.undecided_count(consultation) == 0
    reply = committee.reply
    consultations.save_reply(committee, text="Skriv til kultur@kommune.dk eller ring.",
                             disposition=Disposition.INCORPORATED,
                             based_on_version=reply.lock_version, actor=author)
    consultations.approve_reply(reply, actor=make_user(Role.STAFF))
    assert publication.undecided_count(consultation) == 1
    [text] = [t for t in publication.publishable_texts(consultation)
              if t.field is MaskedField.REPLY and t.remark_id == committee.id]
    # undecided is masked on the public page, before anyone decides
    assert publication.masked_texts([text])[text.place] == (
        "Skriv til [e-mailadresse fjernet] eller ring.")


def test_a_memo_wording_is_reviewed_as_the_answers_show_it(answered, make_user):
    consultation, citizen, _committee, _author = answered
    _decide_all(consultation)
    consultations.edit_memo_wording(citizen, "Borgeren ønsker at blive ringet op: 22345678",
                                    actor=make_user(Role.STAFF))
    [item] = [i for i in publication.found_items(consultation) if i.decision is None]
    assert (item.text.field, item.context.found) == (MaskedField.WORDING, "22345678")


def test_the_rules_of_publishing_the_answers(answered, make_user):
    consultation, *_ = answered
    _decide_all(consultation)
    open_one = public_consultation(title="Stadig åben")
    lifecycle.close_consultation(open_one, actor=None)
    with pytest.raises(DomainError, match="ingen godkendte svar"):
        publication.publish_answers(open_one, actor=None)
    internal = public_consultation(public=False, title="Intern")
    with pytest.raises(DomainError, match="offentlige høringer"):
        publication.publish_answers(internal, actor=None)
    with pytest.raises(DomainError, match="Du har ikke adgang"):
        publication.publish_answers(consultation, actor=make_user(Role.AUDITOR))

    publication.publish_answers(consultation, actor=None)
    with pytest.raises(DomainError, match="allerede offentliggjort"):
        publication.publish_answers(consultation, actor=None)
    publication.unpublish_answers(consultation, actor=None)
    assert consultation.answers_published_at is None
    actions = db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.action.like("consultation:%answers"))).all()
    assert actions == ["consultation:publish_answers", "consultation:unpublish_answers"]


def test_answers_are_published_only_after_the_consultation(app, make_user):
    consultation = public_consultation()
    with pytest.raises(DomainError, match="når høringen er afsluttet"):
        publication.publish_answers(consultation, actor=None)


def test_staff_publish_from_the_consultation_page_with_confirmation(answered, client,
                                                                    make_user):
    consultation, *_ = answered
    login(client, make_user(Role.STAFF))
    page = client.get(f"/hoeringer/{consultation.id}").text
    assert "Personoplysninger før offentliggørelse" in page and "Offentliggør svarene" in page
    url = f"/hoeringer/{consultation.id}/offentliggoer-svar"
    assert "Offentliggør svarene" in client.get(url).text  # the confirmation first
    refused = client.post(url)
    assert refused.status_code == 409 and UNDECIDED in refused.text
    assert consultation.answers_published_at is None

    _decide_all(consultation)
    db.session.commit()
    assert client.post(url).status_code == 302
    assert "Svarene (Det sagde I – det gjorde vi) er offentliggjort" in client.get(
        f"/hoeringer/{consultation.id}").text
    assert client.post(f"{url}/tilbagekald").status_code == 302
    db.session.expire_all()
    assert consultation.answers_published_at is None
