"""The consultation round over HTTP: members drafting and submitting, who sees which
response, the deadline, importing minutes with review, the inbox with its filters,
sorting and pages, replies with optimistic locking and approval, escaping, and the CLI.

CSRF is off in tests (TestingConfig); every request is made as a logged-in user.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, timedelta
from html import unescape

import pytest
from sqlalchemy import func, select

from hoering.accounts import operations as accounts
from hoering.accounts.models import Body, Role, User
from hoering.audit.models import AuditEvent
from hoering.consultations import operations as consultations
from hoering.consultations.models import (
    Consultation,
    ConsulteeStatus,
    Disposition,
    Remark,
    Reply,
    Response,
    ResponseChannel,
)
from hoering.core.clock import frozen_at
from hoering.core.db import db, now_utc
from hoering.policies import operations as policies
from hoering.policies.draft_split import DraftSection
from hoering.policies.models import PolicyVersion, Section
from tests.conftest import IsolatedClient, login
from tests.consultations.reference import (
    HEADINGS,
    OPENED_ON,
    REFERENCE,
    REFERENCE_POSITIONS,
    SOURCE,
)

LATE = "Høringsfristen er overskredet."
CONFLICT = "Svaret er blevet ændret af en anden"


# --- helpers -------------------------------------------------------------------------


@dataclass
class World:
    consultation: Consultation
    version: PolicyVersion
    body_a: Body
    body_b: Body
    body_c: Body
    secretary_a: User
    member_a: User
    member_b: User
    staff: User
    colleague: User
    auditor: User

    def section(self, heading_start: str) -> Section:
        return next(s for s in self.version.sections if s.heading.startswith(heading_start))

    def by_position(self, position: int) -> Section:
        return next(s for s in self.version.sections if s.position == position)

    @property
    def url(self) -> str:
        return f"/hoeringer/{self.consultation.id}"

    def response_url(self, body: Body) -> str:
        return f"{self.url}/organer/{body.id}"

    @property
    def inbox_url(self) -> str:
        return f"{self.url}/bemaerkninger"


def _build(make_user, make_body, *, opened: bool = True, swap_last: bool = False) -> World:
    """Bodies A (SOU), B (KMU) and C (KFU) invited to a consultation on the six sections
    of the digitalisation principles. ``swap_last`` moves principle 5 above principle 4
    before the consultation, so the order of positions differs from the order of ids."""
    body_a = make_body("SOU", "Socialudvalget")
    body_b = make_body("KMU", "Klima- og Miljøudvalget")
    body_c = make_body("KFU", "Kultur- og Fritidsudvalget")
    secretary_a = make_user(Role.MEMBER, name="Sekretær A")
    accounts.add_membership(secretary_a, body_a, is_secretary=True, actor=None)
    member_a = make_user(Role.MEMBER, bodies=(body_a,), name="Medlem A")
    member_b = make_user(Role.MEMBER, bodies=(body_b,), name="Medlem B")
    staff = make_user(Role.STAFF, name="Sagsbehandler Sørensen")
    colleague = make_user(Role.STAFF, name="Kollega Kjær")
    auditor = make_user(Role.AUDITOR, name="Revisor")
    policy = policies.create_policy(
        title="Politiske principper for digitalisering", journal_number="85.13.00-P00-1-23",
        description="", owner_body=body_a, actor=None,
    )
    version = policies.create_version(
        policy, [DraftSection(h, f"Tekst til {h}") for h in HEADINGS], actor=None
    )
    if swap_last:
        policies.move_section(version.sections[5], -1, actor=None)
    consultation = consultations.create_consultation(
        version, title="Høring om digitaliseringsprincipper", opens_on=OPENED_ON,
        closes_at=now_utc() + timedelta(days=14), invitation_text="", public=False,
        bodies=[body_a, body_b, body_c], actor=None,
    )
    if opened:
        consultations.open_consultation(consultation, actor=None)
    db.session.commit()
    return World(consultation, version, body_a, body_b, body_c, secretary_a, member_a,
                 member_b, staff, colleague, auditor)


@pytest.fixture
def world(app, make_user, make_body) -> World:
    return _build(make_user, make_body)


@pytest.fixture
def as_user(app, client):
    """A logged-in test client of its own for ``user`` (so several people can act)."""
    app.test_client_class = IsolatedClient

    def open_as(user: User):
        other = app.test_client()
        assert login(other, user).status_code == 302
        return other

    return open_as


def _html(response) -> str:
    return response.get_data(as_text=True)


def _remarks_of(body: Body) -> list[Remark]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(Remark).join(Remark.response).where(Response.body_id == body.id)
            .order_by(Remark.id)
        )
    )


def _submitted(world: World, body: Body, *remarks: tuple[Section | None, str]) -> Response:
    response = consultations.import_minutes(
        world.consultation, body, meeting_date=date(2024, 4, 9), agenda_item=6,
        remarks=[consultations.ImportedRemark(text, section) for section, text in remarks],
        actor=None,
    )
    db.session.commit()
    return response


def _input_value(html: str, name: str) -> str:
    tag = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', html)
    assert tag, f"no input {name}"
    value = re.search(r'value="([^"]*)"', tag.group(0))
    return value.group(1) if value else ""


def _select(html: str, name: str) -> tuple[list[str], list[str]]:
    """The option values of the select ``name`` and the selected ones."""
    match = re.search(
        rf'<select[^>]*name="{re.escape(name)}"[^>]*>(.*?)</select>', html, re.DOTALL
    )
    assert match, f"no select {name}"
    options = re.findall(r"<option([^>]*)>", match.group(1))
    values = [re.search(r'value="([^"]*)"', o).group(1) for o in options]
    selected = [v for o, v in zip(options, values, strict=True) if re.search(r"\bselected\b", o)]
    return values, selected


def _reference_text() -> str:
    if not REFERENCE.exists():
        pytest.skip(f"{REFERENCE} is missing")
    return REFERENCE.read_text(encoding="utf-8")


# --- members drafting and submitting ------------------------------------------------


def test_a_member_sees_the_consultation_once_opened_and_drafts_remarks(
    app, client, make_user, make_body
):
    world = _build(make_user, make_body, opened=False)
    member = world.member_a
    assert login(client, member).status_code == 302

    mine = _html(client.get("/mine-hoeringer"))
    assert world.consultation.title not in mine
    assert "Dine organer er ikke inviteret til nogen åben høring." in mine
    assert client.get(world.response_url(world.body_a)).status_code == 404

    consultations.open_consultation(world.consultation, actor=None)
    db.session.commit()

    mine = _html(client.get("/mine-hoeringer"))
    assert world.consultation.title in mine
    assert f'href="{world.response_url(world.body_a)}"' in mine
    assert world.response_url(world.body_b) not in mine  # not their body

    page = client.get(world.response_url(world.body_a))
    assert page.status_code == 200
    values, selected = _select(_html(page), "section")
    # a part of the draft is chosen, not defaulted to the framing: first an empty choice
    assert values == [""] + [str(s.id) for s in world.version.sections] + ["generelt"]
    assert selected in ([], [""])
    unchosen = client.post(f"{world.response_url(world.body_a)}/bemaerkninger", data={
        "section": "", "text": "Hvor hører denne til?"})
    assert unchosen.status_code == 200
    assert "Vælg den del af udkastet, bemærkningen handler om." in _html(unchosen)

    principle_2 = world.section("Princip 2")
    added = client.post(f"{world.response_url(world.body_a)}/bemaerkninger", data={
        "section": str(principle_2.id), "text": "Afsnit to bør stå først.",
    })
    assert added.status_code == 302
    assert added.headers["Location"].endswith(f"{world.response_url(world.body_a)}#kladde")
    assert client.post(f"{world.response_url(world.body_a)}/bemaerkninger", data={
        "section": "generelt", "text": "Husk borgere uden digitale kompetencer.",
    }).status_code == 302

    page = _html(client.get(world.response_url(world.body_a)))
    assert "Afsnit to bør stå først." in page
    assert "Husk borgere uden digitale kompetencer." in page
    assert "Kladde" in page
    assert "Organets sekretær indsender svaret." in page  # a plain member cannot submit

    remarks = _remarks_of(world.body_a)
    assert [(r.section_id, r.original_text) for r in remarks] == [
        (principle_2.id, "Afsnit to bør stå først."),
        (None, "Husk borgere uden digitale kompetencer."),
    ]
    assert remarks[0].response.channel is ResponseChannel.MEMBER
    assert not remarks[0].response.is_submitted
    assert client.post(f"{world.response_url(world.body_a)}/indsend").status_code == 403
    assert not _remarks_of(world.body_a)[0].response.is_submitted


@pytest.mark.parametrize(
    ("section", "text", "status", "message"),
    [
        ("999999", "Et afsnit, der ikke findes", 200, "has-error"),
        ("", "Uden afsnit", 200, "has-error"),
        ("generelt", "", 200, "has-error"),
        ("generelt", "   ", 200, "has-error"),
    ],
    ids=["unknown-section", "no-section", "no-text", "blank-text"],
)
def test_an_invalid_remark_is_not_stored(world, client, section, text, status, message):
    assert login(client, world.member_a).status_code == 302
    response = client.post(f"{world.response_url(world.body_a)}/bemaerkninger",
                           data={"section": section, "text": text})
    assert response.status_code == status  # the form again with the error, or a refusal
    assert message in _html(response)
    db.session.rollback()  # what the end of a request does with an unfinished transaction
    assert _remarks_of(world.body_a) == []


# (who, whether A's response is submitted, expected status of A's response page)
VISIBILITY = [
    ("secretary_a", False, 200),
    ("member_a", False, 200),
    ("member_b", False, 403),
    ("staff", False, 200),
    ("auditor", False, 403),
    ("secretary_a", True, 200),
    ("member_a", True, 200),
    ("member_b", True, 403),  # can_view_response: readers of consultations, or members
    ("staff", True, 200),
    ("auditor", True, 200),
]


@pytest.mark.parametrize(("who", "submitted", "expected"), VISIBILITY)
def test_who_sees_a_bodys_response(world, as_user, who, submitted, expected):
    secretary = as_user(world.secretary_a)
    url = world.response_url(world.body_a)
    assert secretary.post(f"{url}/bemaerkninger", data={
        "section": "generelt", "text": "Fortroligt udkast fra SOU",
    }).status_code == 302
    if submitted:
        assert secretary.post(f"{url}/indsend").status_code == 302
        assert _remarks_of(world.body_a)[0].response.is_submitted
    viewer = as_user(getattr(world, who))

    page = viewer.get(url)

    assert page.status_code == expected
    assert ("Fortroligt udkast fra SOU" in _html(page)) is (expected == 200)
    if who == "member_b":
        for other_page in ("/mine-hoeringer", world.response_url(world.body_b)):
            response = viewer.get(other_page)
            assert response.status_code == 200
            assert "Fortroligt udkast fra SOU" not in _html(response)
    if who in ("staff", "auditor"):
        inbox = _html(viewer.get(world.inbox_url))
        assert ("Fortroligt udkast fra SOU" in inbox) is submitted


def test_the_secretary_submits_and_the_response_is_locked(world, as_user):
    secretary = as_user(world.secretary_a)
    url = world.response_url(world.body_a)
    secretary.post(f"{url}/bemaerkninger", data={"section": "generelt", "text": "Første"})
    (remark,) = _remarks_of(world.body_a)

    confirm = secretary.get(f"{url}/indsend")
    assert confirm.status_code == 200
    assert "med 1 bemærkninger" in _html(confirm)
    submitted = secretary.post(f"{url}/indsend")
    assert submitted.status_code == 302
    assert submitted.headers["Location"].endswith(url)

    page = _html(secretary.get(url))
    assert "Indsendt" in page
    assert "Tilføj bemærkning" not in page
    assert secretary.post(f"{url}/bemaerkninger",
                          data={"section": "generelt", "text": "For sent"}).status_code == 409
    edit = secretary.post(f"/hoeringer/kladder/bemaerkninger/{remark.id}",
                          data={"section": "generelt", "text": "Ændret"})
    assert edit.status_code == 409
    assert "Høringssvaret er indsendt og låst." in _html(edit)
    db.session.rollback()
    assert [r.original_text for r in _remarks_of(world.body_a)] == ["Første"]
    consultee = next(c for c in world.consultation.consultees if c.body_id == world.body_a.id)
    assert consultee.status is ConsulteeStatus.RESPONDED


def test_member_of_another_body_cannot_write_to_a_draft(world, as_user):
    secretary = as_user(world.secretary_a)
    url = world.response_url(world.body_a)
    secretary.post(f"{url}/bemaerkninger", data={"section": "generelt", "text": "Fra SOU"})
    (remark,) = _remarks_of(world.body_a)
    other = as_user(world.member_b)

    assert other.post(f"{url}/bemaerkninger",
                      data={"section": "generelt", "text": "Fra KMU"}).status_code == 403
    assert other.get(f"/hoeringer/kladder/bemaerkninger/{remark.id}").status_code == 403
    assert other.post(f"/hoeringer/kladder/bemaerkninger/{remark.id}",
                      data={"section": "generelt", "text": "Ændret"}).status_code == 403
    assert other.post(f"/hoeringer/kladder/bemaerkninger/{remark.id}/slet").status_code == 403
    assert other.post(f"{url}/indsend").status_code == 403
    assert other.post(f"{url}/ingen-bemaerkninger").status_code == 403
    db.session.rollback()
    assert [(r.original_text, r.response.is_submitted) for r in _remarks_of(world.body_a)] == [
        ("Fra SOU", False)
    ]


# --- the deadline --------------------------------------------------------------------


def test_after_the_deadline_only_staff_register_a_response(world, as_user):
    secretary = as_user(world.secretary_a)
    staff = as_user(world.staff)
    url_a = world.response_url(world.body_a)
    url_b = world.response_url(world.body_b)
    assert secretary.post(f"{url_a}/bemaerkninger",
                          data={"section": "generelt", "text": "I tide"}).status_code == 302
    assert "modtaget for sent" not in _html(staff.get(world.url))

    with frozen_at(world.consultation.closes_at + timedelta(hours=1)):
        # two weeks on, yesterday's sessions have ended: both log in again
        secretary, staff = as_user(world.secretary_a), as_user(world.staff)
        events_before = db.session.scalar(select(func.count()).select_from(AuditEvent))
        late = secretary.post(f"{url_a}/bemaerkninger",
                              data={"section": "generelt", "text": "For sent"})
        assert late.status_code == 409
        assert LATE in _html(late)
        assert "Kontakt sekretariatet" in _html(late)
        late_submit = secretary.post(f"{url_a}/indsend")
        assert late_submit.status_code == 409
        assert LATE in _html(late_submit)
        page = _html(secretary.get(url_a))
        assert "Der kan ikke længere indsendes høringssvar her" in page
        assert "Tilføj bemærkning" not in page
        db.session.rollback()
        assert [r.original_text for r in _remarks_of(world.body_a)] == ["I tide"]
        assert not _remarks_of(world.body_a)[0].response.is_submitted
        assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == events_before

        staff_page = _html(staff.get(url_b))
        assert "Som sekretariat kan du stadig registrere svaret" in staff_page
        assert staff.post(f"{url_b}/bemaerkninger", data={
            "section": str(world.section("Princip 5").id), "text": "Sent svar fra KMU",
        }).status_code == 302
        assert staff.post(f"{url_b}/indsend").status_code == 302
        show = _html(staff.get(world.url))

    (remark,) = _remarks_of(world.body_b)
    response = remark.response
    assert response.is_submitted
    assert response.received_late is True
    assert response.channel is ResponseChannel.STAFF
    assert response.submitted_by_id == world.staff.id
    assert "modtaget for sent" in show
    row = next(r for r in show.split("<tr>") if "(KMU)" in r)
    assert "modtaget for sent" in row
    assert "modtaget for sent" not in next(r for r in show.split("<tr>") if "(SOU)" in r)


# --- importing minutes ---------------------------------------------------------------


def _minutes_form(world: World, text: str, **extra) -> dict:
    return {
        "body_id": str(world.body_a.id), "meeting_date": "2024-04-09", "agenda_item": "6",
        "text": text, **extra,
    }


def _reviewed_form(world: World, text: str, **extra) -> dict:
    """The review page's fields for one pasted document, as the browser posts them."""
    return {
        "documents-0-name": "Indsat tekst", "documents-0-text": text,
        "documents-0-include": "y", "documents-0-body_id": str(world.body_a.id),
        "documents-0-meeting_date": "2024-04-09", "documents-0-agenda_item": "6", **extra,
    }


def test_importing_the_reference_minutes_with_review(world, as_user):
    text = _reference_text()
    staff = as_user(world.staff)
    url = f"{world.url}/referat"
    assert staff.get(url).status_code == 200

    review = staff.post(url, data=_minutes_form(world, text, review="1"))

    assert review.status_code == 200
    html = _html(review)
    assert "7 bemærkninger" in html
    assert "Socialudvalget har følgende bemærkninger:" in html  # the lead-in, not a remark
    expected = [str(world.by_position(p).id) for p in REFERENCE_POSITIONS]
    for index, section_id in enumerate(expected):
        values, selected = _select(html, f"documents-0-remarks-{index}-section")
        assert values == [str(s.id) for s in world.version.sections] + ["generelt"]
        assert selected == [section_id], index
        assert f'name="documents-0-remarks-{index}-include"' in html
    assert 'name="documents-0-remarks-7-section"' not in html
    assert _input_value(html, "documents-0-meeting_date") == "2024-04-09"
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0  # not saved yet

    texts = re.findall(
        r'<textarea[^>]*name="documents-0-remarks-\d+-text"[^>]*>\s*(.*?)</textarea>', html,
        re.DOTALL,
    )
    assert len(texts) == 7
    form = _reviewed_form(world, text, save="1")
    sections = list(expected)
    sections[0] = "generelt"  # staff correct the first proposal
    sections[4] = str(world.by_position(3).id)  # and the fifth
    for index, (remark_text, section_id) in enumerate(zip(texts, sections, strict=True)):
        form[f"documents-0-remarks-{index}-text"] = unescape(remark_text)
        form[f"documents-0-remarks-{index}-section"] = section_id
        if index != 5:  # staff leave out the sixth remark
            form[f"documents-0-remarks-{index}-include"] = "y"

    saved = staff.post(url, data=form)

    assert saved.status_code == 302
    assert saved.headers["Location"].endswith(world.url)
    remarks = _remarks_of(world.body_a)
    kept = [i for i in range(7) if i != 5]
    assert [r.section_id for r in remarks] == [
        None if sections[i] == "generelt" else int(sections[i]) for i in kept
    ]
    assert [r.original_text for r in remarks] == [
        form[f"documents-0-remarks-{i}-text"] for i in kept]
    assert remarks[0].original_text.startswith('Anvendelsen af ordet "Vi"')
    response = remarks[0].response
    assert response.source == SOURCE
    assert response.channel is ResponseChannel.MINUTES
    assert response.is_submitted
    assert (response.meeting_date, response.agenda_item) == (date(2024, 4, 9), 6)
    assert response.submitted_by_id == world.staff.id
    show = _html(staff.get(world.url))
    assert SOURCE in show


def test_importing_a_decision_without_remarks_declines(world, as_user):
    staff = as_user(world.staff)
    url = f"{world.url}/referat"
    review = staff.post(url, data=_minutes_form(world, "Taget til efterretning.", review="1"))
    assert review.status_code == 200
    assert "Beslutningen indeholder ingen bemærkninger." in _html(review)

    saved = staff.post(url, data=_reviewed_form(world, "Taget til efterretning.", save="1"))

    assert saved.status_code == 302
    db.session.expire_all()
    response = db.session.scalar(select(Response).where(Response.body_id == world.body_a.id))
    assert (response.is_submitted, response.no_remarks, response.source) == (True, True, SOURCE)
    consultee = next(c for c in world.consultation.consultees if c.body_id == world.body_a.id)
    assert consultee.status is ConsulteeStatus.DECLINED


def test_members_cannot_import_minutes(world, as_user):
    secretary = as_user(world.secretary_a)
    response = secretary.post(f"{world.url}/referat",
                              data=_reviewed_form(world, "- En bemærkning", save="1"))
    assert response.status_code == 403
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0


# --- the inbox -----------------------------------------------------------------------


@dataclass
class Inbox:
    world: World
    remarks: dict[str, Remark]

    def ids(self, *names: str) -> list[int]:
        return [self.remarks[n].id for n in names]


@pytest.fixture
def inbox(app, make_user, make_body) -> Inbox:
    """Six submitted remarks from A (SOU) and B (KMU), some answered, some approved, and
    a draft from C (KFU) that must never show. Principle 5 comes before principle 4."""
    world = _build(make_user, make_body, swap_last=True)
    assert [s.heading[:9] for s in world.version.sections] == [
        "Rammesætn", "Princip 1", "Princip 2", "Princip 3", "Princip 5", "Princip 4",
    ]
    framing, p2, p4, p5 = (world.section(h) for h in ("Ramme", "Princip 2", "Princip 4",
                                                       "Princip 5"))
    a = _submitted(world, world.body_a,
                   (p2, "Sammenhæng på tværs bør styrkes."),
                   (None, "Husk borgere uden NemID."),
                   (p5, "Data bør deles med Ørestad Gymnasium."))
    b = _submitted(world, world.body_b,
                   (framing, "Rammesætningen er for lang."),
                   (p4, "ÆLDREOMRÅDET skal med."),
                   (p5, "Åbne data til alle."))
    draft = consultations.draft_response(world.consultation, world.body_c, actor=None)
    consultations.add_remark(draft, section=framing, text="Kladde om NemID fra KFU", actor=None)
    remarks = dict(zip(["r1", "r2", "r5", "r3", "r4", "r6"], [*a.remarks, *b.remarks],
                       strict=True))
    for name, disposition, reply_text, approve in [
        ("r1", Disposition.NOTED, "Synspunktet deles.", True),
        ("r3", Disposition.INCORPORATED, "Teksten er indarbejdet i afsnit om rammer.", False),
        ("r5", Disposition.ATTENTION_POINT, "Et opmærksomhedspunkt.", True),
    ]:
        reply = consultations.save_reply(remarks[name], text=reply_text,
                                         disposition=disposition, based_on_version=None,
                                         actor=world.staff)
        if approve:
            consultations.approve_reply(reply, actor=world.colleague)
    db.session.commit()
    return Inbox(world, remarks)


# In the version's order: framing (r3), principle 2 (r1), principle 5 (KMU r6 before
# SOU r5), principle 4 (r4), general attention points last (r2).
ALL = ("r3", "r1", "r6", "r5", "r4", "r2")

INBOX_FILTERS = [
    ({}, ALL),
    ({"afsnit": "Ramme"}, ("r3",)),
    ({"afsnit": "Princip 5"}, ("r6", "r5")),
    ({"afsnit": "generelt"}, ("r2",)),
    ({"organ": "A"}, ("r1", "r5", "r2")),
    ({"organ": "B"}, ("r3", "r6", "r4")),
    ({"organ": "C"}, ()),
    ({"behandling": "incorporated"}, ("r3",)),
    ({"behandling": "attention_point"}, ("r5",)),
    ({"behandling": "not_incorporated"}, ()),
    ({"status": "unanswered"}, ("r6", "r4", "r2")),
    ({"status": "unapproved"}, ("r3",)),
    ({"organ": "B", "status": "unanswered"}, ("r6", "r4")),
    ({"afsnit": "generelt", "organ": "B"}, ()),
    ({"q": "NEMID"}, ("r2",)),
    ({"q": "  sammenhæng  "}, ("r1",)),
    ({"q": "indarbejdet i afsnit"}, ("r3",)),  # the reply's text
    ({"q": "ældreområdet"}, ("r4",)),  # stored as ÆLDREOMRÅDET
    ({"q": "ørestad"}, ("r5",)),  # stored as Ørestad
    ({"q": "ÅBNE DATA"}, ("r6",)),  # stored as Åbne data
    ({"q": "data"}, ("r6", "r5")),
    ({"q": "kladde"}, ()),  # drafts never show
    ({"q": "%"}, ()),
    ({"q": "_"}, ()),
]


def _inbox_query(inbox: Inbox, filters: dict) -> dict:
    world = inbox.world
    query = dict(filters)
    if "afsnit" in query and query["afsnit"] != "generelt":
        query["afsnit"] = str(world.section(query["afsnit"]).id)
    if "organ" in query:
        query["organ"] = str(getattr(world, f"body_{query['organ'].lower()}").id)
    return query


def _ascii(filters: dict) -> str:
    text = "&".join(f"{k}={v}" for k, v in filters.items()) or "all"
    for danish, plain in zip("æøåÆØÅ", ("ae", "oe", "aa", "AE", "OE", "AA"), strict=True):
        text = text.replace(danish, plain)
    return text


def _listed(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'href="/hoeringer/bemaerkninger/(\d+)[?"]', html)]


@pytest.mark.parametrize(
    ("filters", "expected"), INBOX_FILTERS,
    ids=[_ascii(f) for f, _ in INBOX_FILTERS],
)
def test_inbox_filters_and_order(inbox, as_user, filters, expected):
    staff = as_user(inbox.world.staff)

    page = staff.get(inbox.world.inbox_url, query_string=_inbox_query(inbox, filters))

    assert page.status_code == 200
    html = _html(page)
    assert _listed(html) == inbox.ids(*expected)
    assert "Kladde om NemID fra KFU" not in html
    if expected:
        assert f"{len(expected)} bemærkninger matcher." in html
    else:
        assert "Ingen bemærkninger matcher filteret." in html


def test_inbox_progress_line(inbox, as_user):
    for user in (inbox.world.staff, inbox.world.auditor):
        html = _html(as_user(user).get(inbox.world.inbox_url))
        assert "3 af 6 besvaret, 2 godkendt" in html
    assert "3 af 6 besvaret, 2 godkendt" in _html(as_user(inbox.world.staff).get(inbox.world.url))


@pytest.mark.parametrize(
    ("query", "page", "expected", "pages"),
    [
        ({}, 1, ("r3", "r1"), 3),
        ({}, 2, ("r6", "r5"), 3),
        ({}, 3, ("r4", "r2"), 3),
        ({"organ": "A"}, 2, ("r2",), 2),
        ({"status": "unanswered"}, 2, ("r2",), 2),
    ],
)
def test_inbox_pages(app, inbox, as_user, query, page, expected, pages):
    staff = as_user(inbox.world.staff)
    size = app.config["PAGE_SIZE"]
    app.config["PAGE_SIZE"] = 2
    try:
        response = staff.get(inbox.world.inbox_url,
                             query_string={**_inbox_query(inbox, query), "page": page})
    finally:
        app.config["PAGE_SIZE"] = size

    html = _html(response)
    assert _listed(html) == inbox.ids(*expected)
    assert f"Side {page} af {pages}" in html
    links = re.findall(r'<a href="([^"]+)" rel="(?:prev|next)"', html)
    assert links
    for link in links:
        assert "/bemaerkninger?" in link
        if "organ" in query:
            assert f"organ={inbox.world.body_a.id}" in link
        if "status" in query:
            assert "status=unanswered" in link


def test_an_unknown_section_filter_is_not_found(inbox, as_user):
    staff = as_user(inbox.world.staff)
    assert staff.get(inbox.world.inbox_url, query_string={"afsnit": "princip"}).status_code == 404


# --- the remark page: replies, conflicts and approval --------------------------------


def _reply_form(text: str, lock_version: str, disposition: str = "incorporated") -> dict:
    return {"text": text, "disposition": disposition, "lock_version": lock_version}


def test_two_staff_editing_the_same_reply(inbox, as_user):
    world = inbox.world
    remark = inbox.remarks["r3"]  # answered by staff, not approved
    url = f"/hoeringer/bemaerkninger/{remark.id}"
    editor_a = as_user(world.staff)
    editor_b = as_user(world.colleague)

    page_a, page_b = _html(editor_a.get(url)), _html(editor_b.get(url))
    assert _input_value(page_a, "lock_version") == _input_value(page_b, "lock_version") == "1"
    assert "Teksten er indarbejdet i afsnit om rammer." in page_a

    saved = editor_a.post(f"{url}/svar", data=_reply_form("Svar fra A", "1"))
    assert saved.status_code == 302
    assert saved.headers["Location"].endswith(url)

    conflict = editor_b.post(f"{url}/svar", data=_reply_form("Svar fra B", "1", "noted"))

    assert conflict.status_code == 409
    html = _html(conflict)
    assert CONFLICT in html
    assert "Svar fra A" in html  # the other's text
    assert re.search(r"<textarea[^>]*>\s*Svar fra B</textarea>", html)  # B's text kept
    assert _input_value(html, "lock_version") == "2"
    db.session.rollback()
    db.session.expire_all()
    reply = db.session.get(Reply, remark.reply.id)
    assert (reply.text, reply.disposition, reply.lock_version, reply.author_id) == (
        "Svar fra A", Disposition.INCORPORATED, 2, world.staff.id,
    )

    # B has seen A's text and saves again, now based on it.
    assert editor_b.post(f"{url}/svar", data=_reply_form("Svar fra B", "2", "noted")
                         ).status_code == 302
    db.session.expire_all()
    reply = db.session.get(Reply, reply.id)
    assert (reply.text, reply.disposition, reply.lock_version) == (
        "Svar fra B", Disposition.NOTED, 3,
    )


def test_a_first_reply_saved_twice_at_once_is_a_conflict(inbox, as_user):
    world = inbox.world
    remark = inbox.remarks["r4"]  # unanswered
    url = f"/hoeringer/bemaerkninger/{remark.id}"
    editor_a, editor_b = as_user(world.staff), as_user(world.colleague)
    assert _input_value(_html(editor_a.get(url)), "lock_version") == ""
    assert _input_value(_html(editor_b.get(url)), "lock_version") == ""

    assert editor_a.post(f"{url}/svar", data=_reply_form("Først", "")).status_code == 302
    conflict = editor_b.post(f"{url}/svar", data=_reply_form("Bagefter", ""))

    assert conflict.status_code == 409
    assert CONFLICT in _html(conflict)
    assert "Først" in _html(conflict)
    db.session.rollback()
    db.session.expire_all()
    assert db.session.get(Remark, remark.id).reply.text == "Først"


def test_the_author_cannot_approve_their_own_reply(inbox, as_user):
    world = inbox.world
    remark = inbox.remarks["r6"]  # unanswered
    url = f"/hoeringer/bemaerkninger/{remark.id}"
    author, approver = as_user(world.staff), as_user(world.colleague)
    assert author.post(f"{url}/svar", data=_reply_form("Indarbejdes.", "")).status_code == 302

    page = _html(author.get(url))
    assert "Indarbejdes." in page
    assert "afventer godkendelse" in page
    assert "Godkend svar" not in page
    refused = author.post(f"/hoeringer/svar/{remark.id}/godkend")
    assert refused.status_code == 409
    assert "Du kan ikke godkende dit eget svar." in _html(refused)
    db.session.rollback()
    db.session.expire_all()
    assert not db.session.get(Remark, remark.id).reply.is_approved

    assert "Godkend svar" in _html(approver.get(url))
    approved = approver.post(f"/hoeringer/svar/{remark.id}/godkend")
    assert approved.status_code == 302
    db.session.expire_all()
    reply = db.session.get(Remark, remark.id).reply
    assert (reply.is_approved, reply.approved_by_id) == (True, world.colleague.id)
    assert "godkendt af Kollega Kjær" in _html(approver.get(url))
    assert "Godkend svar" not in _html(approver.get(url))

    inbox_html = _html(author.get(world.inbox_url))
    row = next(r for r in inbox_html.split("<tr>") if f"/bemaerkninger/{remark.id}\"" in r)
    assert '<span class="badge badge-success">godkendt</span>' in row
    assert "4 af 6 besvaret, 3 godkendt" in inbox_html
    again = approver.post(f"/hoeringer/svar/{remark.id}/godkend")
    assert again.status_code == 409
    assert "allerede godkendt" in _html(again)


def test_auditors_read_the_remark_page_but_cannot_process(inbox, as_user):
    remark = inbox.remarks["r3"]
    url = f"/hoeringer/bemaerkninger/{remark.id}"
    auditor = as_user(inbox.world.auditor)

    page = _html(auditor.get(url))
    assert "Rammesætningen er for lang." in page
    assert "Gem svar" not in page
    assert "Godkend svar" not in page
    assert auditor.post(f"{url}/svar", data=_reply_form("Nej", "1")).status_code == 403
    assert auditor.post(f"/hoeringer/svar/{remark.id}/godkend").status_code == 403
    db.session.expire_all()
    assert db.session.get(Reply, remark.reply.id).text.startswith("Teksten er indarbejdet")


# --- escaping ------------------------------------------------------------------------

SCRIPT = '<script>alert("hoering")</script> & <b>fed</b>'


def test_remark_text_is_escaped_everywhere(world, as_user):
    secretary = as_user(world.secretary_a)
    url = world.response_url(world.body_a)
    assert secretary.post(f"{url}/bemaerkninger",
                          data={"section": "generelt", "text": SCRIPT}).status_code == 302
    (remark,) = _remarks_of(world.body_a)
    assert remark.original_text == SCRIPT  # stored as written

    pages = {"response (draft)": secretary.get(url)}
    assert secretary.post(f"{url}/indsend").status_code == 302
    staff = as_user(world.staff)
    pages["response"] = staff.get(url)
    pages["inbox"] = staff.get(world.inbox_url)
    pages["remark"] = staff.get(f"/hoeringer/bemaerkninger/{remark.id}")

    for name, page in pages.items():
        assert page.status_code == 200, name
        html = _html(page)
        assert "&lt;script&gt;alert(" in html, name
        assert "<script>alert(" not in html, name
        assert "<b>fed</b>" not in html, name


# --- the command line ----------------------------------------------------------------


def _events() -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent))


def test_cli_minutes_parse_prints_json_and_saves_nothing(app, world, tmp_path):
    text = _reference_text()
    events = _events()

    result = app.test_cli_runner().invoke(
        args=["minutes", "parse", "--consultation", str(world.consultation.id), str(REFERENCE)]
    )

    assert result.exit_code == 0, result.output
    remarks = json.loads(result.output)
    assert isinstance(remarks, list)
    assert len(remarks) == 7
    assert all(set(r) == {"text", "section_position"} for r in remarks)
    assert [r["section_position"] for r in remarks] == REFERENCE_POSITIONS
    assert remarks[0]["text"].startswith('Anvendelsen af ordet "Vi"')
    assert all(r["text"] in " ".join(text.split()) for r in remarks)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0
    assert db.session.scalar(select(func.count()).select_from(Remark)) == 0
    assert _events() == events

    general = tmp_path / "generelt.md"
    general.write_text("Udvalget bemærker, at borgerne skal høres.\n", encoding="utf-8")
    result = app.test_cli_runner().invoke(
        args=["minutes", "parse", "--consultation", str(world.consultation.id), str(general)]
    )
    assert json.loads(result.output) == [
        {"text": "Udvalget bemærker, at borgerne skal høres.", "section_position": None}
    ]


@pytest.mark.parametrize("abbreviation", ["SOU", "sou"])
def test_cli_minutes_import_saves_the_response(app, world, abbreviation):
    _reference_text()
    args = ["minutes", "import", "--consultation", str(world.consultation.id),
            "--body", abbreviation, "--meeting-date", "2024-04-09", "--item", "6",
            str(REFERENCE)]

    result = app.test_cli_runner().invoke(args=args)

    assert result.exit_code == 0, result.output
    assert f"7 bemærkninger gemt fra {SOURCE}." in result.output
    db.session.rollback()
    remarks = _remarks_of(world.body_a)
    assert [r.section.position if r.section else None for r in remarks] == REFERENCE_POSITIONS
    response = remarks[0].response
    assert (response.source, response.channel, response.is_submitted) == (
        SOURCE, ResponseChannel.MINUTES, True,
    )
    assert response.submitted_by_id is None  # the operator, as the system

    again = app.test_cli_runner().invoke(args=args)
    assert again.exit_code == 1
    assert "allerede et indsendt høringssvar" in again.output
    db.session.rollback()
    assert len(_remarks_of(world.body_a)) == 7


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--consultation", "999999", "--body", "SOU"], "Høring 999999 findes ikke."),
        (["--body", "XYZ"], "Der findes intet organ med forkortelsen XYZ."),
    ],
    ids=["unknown-consultation", "unknown-body"],
)
def test_cli_minutes_import_errors(app, world, args, message):
    _reference_text()
    if "--consultation" not in args:
        args = ["--consultation", str(world.consultation.id), *args]
    result = app.test_cli_runner().invoke(
        args=["minutes", "import", *args, "--meeting-date", "2024-04-09", str(REFERENCE)]
    )
    assert result.exit_code == 1
    assert message in result.output
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0


def test_cli_consultation_list(app, world):
    other = consultations.create_consultation(
        world.version, title="Anden høring", opens_on=now_utc().date(),
        closes_at=now_utc() + timedelta(days=3), invitation_text="", public=False,
        bodies=[world.body_b], actor=None,
    )
    db.session.commit()

    result = app.test_cli_runner().invoke(args=["consultation", "list"])

    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        f"{world.consultation.id}\tHøring om digitaliseringsprincipper",
        f"{other.id}\tAnden høring",
    ]


def _edit_form(world: World, **changes) -> dict:
    closes = world.consultation.closes_at.date() + timedelta(days=7)
    data = {"title": "Høring om digitaliseringsprincipper (rettet)",
            "opens_on": world.consultation.opens_on.isoformat(),
            "deadline_date": closes.isoformat(), "deadline_time": "23:59",
            "invitation_text": "Send jeres svar.",
            "bodies": [world.body_a.id, world.body_b.id, world.body_c.id],
            # the consultation is open: moving its deadline takes a reason and a yes
            "deadline_reason": "Udvalgene mødes senere.", "confirm_deadline": "y"}
    data.update(changes)
    return data


def test_staff_edit_a_consultation_and_its_consultees(world, as_user, make_body):
    """Title and deadline change, a new body is invited and one is removed, in one save."""
    new_body = make_body("BSU", "Børne- og Skoleudvalget")
    response = as_user(world.staff).post(f"{world.url}/rediger", data=_edit_form(
        world, bodies=[world.body_a.id, world.body_b.id, new_body.id]))
    assert response.status_code == 302
    db.session.expire_all()
    consultation = db.session.get(Consultation, world.consultation.id)
    assert consultation.title == "Høring om digitaliseringsprincipper (rettet)"
    assert {c.body_id for c in consultation.consultees} == {
        world.body_a.id, world.body_b.id, new_body.id}
    actions = list(db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.action.in_(["consultee:create", "consultee:delete"]),
        AuditEvent.object_type == "consultee")))
    assert actions.count("consultee:delete") == 1


def test_removing_a_consultee_that_responded_is_refused_and_nothing_is_saved(world, as_user):
    consultations.decline(world.consultation, world.body_b, actor=world.staff)
    db.session.commit()
    response = as_user(world.staff).post(f"{world.url}/rediger", data=_edit_form(
        world, bodies=[world.body_a.id, world.body_c.id]))
    assert response.status_code == 200
    page = unescape(_html(response))
    assert "Klima- og Miljøudvalget har allerede et høringssvar og kan ikke fjernes." in page
    assert "Høring om digitaliseringsprincipper (rettet)" in page  # what was typed is kept
    db.session.expire_all()
    consultation = db.session.get(Consultation, world.consultation.id)
    assert consultation.title == "Høring om digitaliseringsprincipper"  # rolled back
    assert len(consultation.consultees) == 3


def test_a_garbled_lock_version_is_a_form_error_not_a_500(inbox, as_user):
    remark = inbox.remarks["r3"]
    editor = as_user(inbox.world.staff)
    response = editor.post(f"/hoeringer/bemaerkninger/{remark.id}/svar",
                           data=_reply_form("Mit svar", "%00%ff"))
    assert response.status_code in (200, 422)
    html = _html(response)
    assert re.search(r"<textarea[^>]*>\s*Mit svar</textarea>", html)  # the text is kept
    db.session.expire_all()
    assert db.session.get(Reply, remark.reply.id).text != "Mit svar"
