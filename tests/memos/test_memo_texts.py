"""The memo's fixed texts: defaults that read like the real memo, and every one
editable per memo (an empty field is the default); the consultee list; over HTTP with
the defaults shown in the fields."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from hoering.accounts import operations as accounts
from hoering.accounts.models import BodyKind, Role
from hoering.audit.models import AuditEvent
from hoering.consultations import operations as consultations
from hoering.core.clock import frozen_at
from hoering.core.db import db, now_utc
from hoering.core.errors import DomainError
from hoering.core.formatting import deadline_text
from hoering.memos import operations as memos
from hoering.memos.build import build_memo, memo_build
from hoering.memos.document import ConsulteeAnswer, ConsulteeLine
from hoering.memos.operations import MemoTexts
from hoering.memos.render import render_markdown
from hoering.memos.texts import (
    GENERAL_HEADING,
    GENERAL_KEY,
    consultee_kinds,
    policy_phrase,
    responses_intro,
)
from hoering.municipality.models import MunicipalitySettings
from hoering.policies.models import Section
from tests.memos.test_memo import _import, small_consultation

REFERENCE_INTRO = (
    "Nedenfor er høringssvarene præsenteret efter om de omhandler rammesætningen, et "
    "specifikt princip eller opmærksomhedspunkter ved principperne efter de er vedtaget. "
    "Efter hvert høringssvar er det angivet hvilket udvalg, svaret kommer fra."
)


# --- the defaults, without a database ---------------------------------------------------


@pytest.mark.parametrize(("title", "phrase"), [
    ("Politiske principper for digitalisering i Ballerup Kommune",
     "de politiske principper for digitalisering i Ballerup Kommune"),
    ("Nye retningslinjer for brug af kunstig intelligens",
     "de nye retningslinjer for brug af kunstig intelligens"),
    ("Kulturpolitik", "kulturpolitikken"),
    ("Digitaliseringsstrategi 2025-2028", "digitaliseringsstrategien 2025-2028"),
    ("Kultur-, idræts- og fritidspolitik for Ballerup Kommune 2026-2029",
     "kultur-, idræts- og fritidspolitikken for Ballerup Kommune 2026-2029"),
    ("Klimaplan for Ballerup", "klimaplanen for Ballerup"),
    ("IT-strategi", "IT-strategien"),
    ("Ballerup Kommunes klimaplan", "Ballerup Kommunes klimaplan"),  # has its article
    ("Retningslinjer for brug af AI", "Retningslinjer for brug af AI"),  # as it is
])
def test_the_title_is_the_policy_as_a_noun_phrase_with_its_article(title, phrase):
    assert policy_phrase(title) == phrase


@pytest.mark.parametrize(("kinds", "public", "heading", "which"), [
    ({BodyKind.COMMITTEE}, False, "Høringssvar fra politiske fagudvalg", "hvilket udvalg"),
    ({BodyKind.COMMITTEE, BodyKind.WORKS_COUNCIL}, False,
     "Høringssvar fra politiske fagudvalg", "hvilket udvalg"),
    ({BodyKind.COUNCIL}, False, "Høringssvar fra rådene", "hvilket råd"),
    ({BodyKind.COMMITTEE, BodyKind.COUNCIL}, False, "Høringssvar fra høringsparterne",
     "hvilken høringspart"),
    ({BodyKind.WORKS_COUNCIL}, False, "Høringssvar fra høringsparterne", "hvilken høringspart"),
    ({BodyKind.COMMITTEE}, True, "Høringssvar fra høringsparterne", "hvilken høringspart"),
    (set(), False, "Høringssvar fra høringsparterne", "hvilken høringspart"),
])
def test_the_responses_heading_names_the_consultees_kind(kinds, public, heading, which):
    assert consultee_kinds(kinds, public=public) == (heading, which)


def _sections(*headings: str) -> list[Section]:
    return [Section(id=n, heading=h, position=n, text="") for n, h in enumerate(headings, 1)]


def test_the_intro_sentence_reads_like_the_reference_memo():
    sections = _sections("Rammesætning", *(f"Princip {n}: Tekst" for n in range(1, 6)))
    kinds = consultee_kinds({BodyKind.COMMITTEE, BodyKind.WORKS_COUNCIL}, public=False)
    assert responses_intro(sections, kinds) == REFERENCE_INTRO


def test_the_intro_sentence_names_themes_and_falls_back_to_sections():
    councils = consultee_kinds({BodyKind.COUNCIL}, public=False)
    themes = _sections("Indledning", "Tema 1: Fællesskaber", "Tema 2: Idræt")
    assert responses_intro(themes, councils) == (
        "Nedenfor er høringssvarene præsenteret efter om de omhandler indledningen, et "
        "specifikt tema eller opmærksomhedspunkter ved temaerne efter de er vedtaget. "
        "Efter hvert høringssvar er det angivet hvilket råd, svaret kommer fra.")
    plain = _sections("Forord", "Mål", "Midler")
    assert "om de omhandler forordet, et specifikt afsnit eller opmærksomhedspunkter " \
           "generelt." in responses_intro(plain, councils)
    assert "omhandler afsnittet »Om planen«" in responses_intro(_sections("Om planen"), councils)


# --- the defaults in a memo -----------------------------------------------------------


def test_defaults_without_settings(app, make_body, make_user):
    consultation, _staff = small_consultation(make_body, make_user)
    _import(consultation, consultation.consultees[0].body, ["En bemærkning."])
    document = build_memo(consultation)
    assert document.title == "Notat om høring af de politiske principper for test"
    assert document.unit == "Socialudvalget"  # the owner body
    assert document.municipality == ""
    assert document.responses_heading == "Høringssvar fra politiske fagudvalg"
    assert document.responses_intro == REFERENCE_INTRO
    assert [p.heading for p in document.parts] == ["Høringssvar til princip 1"]
    assert document.further_work == document.further_work_after == ()
    assert document.consultees is None
    assert "har sendt de politiske principper for test i høring" in document.background[0]


def test_the_municipality_settings_give_the_unit_and_the_header(app, make_body, make_user):
    consultation, staff = small_consultation(make_body, make_user)
    db.session.add(MunicipalitySettings(name="Ballerup Kommune", default_unit="Digitalisering"))
    db.session.commit()
    document = build_memo(consultation)
    assert (document.municipality, document.unit) == ("Ballerup Kommune", "Digitalisering")
    memos.update_memo_texts(consultation, MemoTexts(unit="Kultur og Fritid"), actor=staff)
    assert build_memo(consultation).unit == "Kultur og Fritid"  # the memo's own first


def test_every_text_can_be_rewritten_and_emptied_again(app, make_body, make_user):
    consultation, staff = small_consultation(make_body, make_user)
    version = consultation.version
    _import(consultation, consultation.consultees[0].body, ["Om rammen."], section_index=0)
    _import(consultation, consultation.consultees[1].body, ["Om princip 2."], section_index=2)
    default = build_memo(consultation)
    texts = MemoTexts(
        title="Notat om høringen", unit="Digitalisering", background="Egen baggrund.",
        responses_heading="Høringssvar fra udvalgene", responses_intro="Vores indledning.",
        part_headings={str(version.sections[0].id): "Om rammerne",
                       str(version.sections[2].id): "  ", GENERAL_KEY: "Andet"},
        further_work="Før listen.\n\nOgså før.", further_work_after="Efter listen.",
        consultee_list=True,
    )
    memos.update_memo_texts(consultation, texts, actor=staff)
    db.session.commit()
    assert consultation.memo_part_headings == {str(version.sections[0].id): "Om rammerne",
                                               GENERAL_KEY: "Andet"}
    document = build_memo(consultation)
    assert document.title == "Notat om høringen"
    assert document.responses_heading == "Høringssvar fra udvalgene"
    assert document.responses_intro == "Vores indledning."
    assert [p.heading for p in document.parts] == ["Om rammerne", "Høringssvar til princip 2"]
    assert document.further_work == ("Før listen.", "Også før.")
    assert document.further_work_after == ("Efter listen.",)
    assert document.consultees is not None
    markdown = render_markdown(document)
    assert markdown.index("Før listen.") < markdown.index("Efter listen.")

    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "consultation:update_memo")).one()
    assert event.changes["memo_title"] == {"before": None, "after": "Notat om høringen"}
    assert event.changes["memo_consultee_list"] == {"before": False, "after": True}

    memos.update_memo_texts(consultation, MemoTexts(), actor=staff)
    emptied = build_memo(consultation)
    for name in ("title", "unit", "background", "responses_heading", "responses_intro",
                 "parts", "further_work", "further_work_after", "consultees"):
        assert getattr(emptied, name) == getattr(default, name), name


@pytest.mark.parametrize(("texts", "message"), [
    (MemoTexts(title="x" * 401), "Titlen må højst være på 400 tegn."),
    (MemoTexts(part_headings={"999999": "Et andet afsnit"}), "ikke er i høringen"),
])
def test_texts_refused(app, make_body, make_user, texts, message):
    consultation, staff = small_consultation(make_body, make_user)
    with pytest.raises(DomainError, match=message):
        memos.update_memo_texts(consultation, texts, actor=staff)


def test_member_may_not_change_the_texts(app, make_body, make_user):
    consultation, _staff = small_consultation(make_body, make_user)
    with pytest.raises(DomainError):
        memos.update_memo_texts(consultation, MemoTexts(title="X"),
                                actor=make_user(Role.MEMBER))


# --- the consultee list ---------------------------------------------------------------


def test_the_consultee_list_says_what_every_invited_party_answered(app, make_body, make_user):
    consultation, staff = small_consultation(make_body, make_user, closes_in_days=1)
    bodies = {c.body.abbreviation: c.body for c in consultation.consultees}
    kmu = make_body("KMU", "Klima- og Miljøudvalget")
    med = accounts.create_body(name="Hoved-MED", abbreviation="MED",
                               kind=BodyKind.WORKS_COUNCIL, actor=None)
    consultations.invite_body(consultation, kmu, actor=None)
    consultations.invite_body(consultation, med, actor=None)
    _import(consultation, bodies["SOU"], ["Rettidig."])
    consultations.decline(consultation, kmu, actor=staff)
    with frozen_at(now_utc() + timedelta(days=3)):
        _import(consultation, bodies["BSU"], ["Sen."])
    memos.update_memo_texts(consultation, MemoTexts(consultee_list=True), actor=staff)
    own = consultation.closes_at + timedelta(days=5)  # MED meets after the deadline
    consultations.set_consultee_deadline(
        next(c for c in consultation.consultees if c.body_id == med.id), own, actor=staff)
    db.session.commit()

    document = build_memo(consultation)
    assert document.consultees == (
        ConsulteeLine("Socialudvalget", "SOU", ConsulteeAnswer.RECEIVED),
        ConsulteeLine("Børne- og Skoleudvalget", "BSU", ConsulteeAnswer.RECEIVED, late=True),
        ConsulteeLine("Klima- og Miljøudvalget", "KMU", ConsulteeAnswer.NO_REMARKS),
        ConsulteeLine("Hoved-MED", "MED", ConsulteeAnswer.NONE,
                      own_deadline=deadline_text(own)),
    )
    assert [a.abbreviation for a in document.abbreviations] == ["SOU", "BSU", "KMU", "MED"]
    markdown = render_markdown(document)
    assert f"Hoved-MED (MED): intet svar, individuel frist {deadline_text(own)}" in markdown
    assert "Klima- og Miljøudvalget (KMU): ingen bemærkninger" in markdown
    assert "(BSU): høringssvar modtaget, modtaget efter fristen" in markdown

    memos.update_memo_texts(consultation, MemoTexts(), actor=staff)
    assert build_memo(consultation).consultees is None


# --- over HTTP --------------------------------------------------------------------------


def test_the_memo_page_shows_each_default_in_its_field(client, login_as, make_body, make_user):
    consultation, _staff = small_consultation(make_body, make_user)
    _import(consultation, consultation.consultees[0].body, ["En bemærkning."])
    db.session.commit()
    login_as(Role.STAFF)
    page = client.get(f"/hoeringer/{consultation.id}/notat").get_data(as_text=True)
    defaults = memo_build(consultation).defaults
    for text in (defaults.title, defaults.responses_heading, "Høringssvar til princip 2",
                 GENERAL_HEADING):
        assert f'placeholder="{text}"' in page, text
    assert "Overskrift over bemærkningerne til »Princip 1: Vi digitaliserer ambitiøst«" in page
    assert "Videre arbejde: tekst efter opgavelisten" in page
    assert 'name="consultee_list"' in page


def test_texts_over_http_kept_when_refused(client, login_as, make_body, make_user):
    consultation, _staff = small_consultation(make_body, make_user)
    login_as(Role.STAFF)
    general = f"part_{GENERAL_KEY}"
    url = f"/hoeringer/{consultation.id}/notat/tekster"
    response = client.post(url, data={"title": "Mit notat", general: "Det generelle",
                                      "further_work_after": "Til sidst.",
                                      "consultee_list": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    assert consultation.memo_title == "Mit notat"
    assert consultation.memo_part_headings == {GENERAL_KEY: "Det generelle"}
    assert consultation.memo_further_work_after == "Til sidst."
    assert consultation.memo_consultee_list is True

    response = client.post(url, data={"title": "Nyt", "responses_heading": "y" * 301})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Teksterne kunne ikke gemmes" in page and "y" * 301 in page
    assert 'value="Nyt"' in page
    db.session.expire_all()
    assert consultation.memo_title == "Mit notat"
