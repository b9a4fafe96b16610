"""Campaigns and duplicates: near-identical public remarks grouped, a group answered and
approved at once, members removed, groups dissolved, the memo's one item with its count,
the staff pages and who may use them, the audit trail without personal data, and a
fixed number of queries whatever the size of a group."""

from __future__ import annotations

import itertools
import json
import random
import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from hoering.accounts.models import Body, Role, User
from hoering.audit.models import AuditEvent
from hoering.consultations import operations as consultations
from hoering.consultations.campaigns import operations as campaigns
from hoering.consultations.models import Consultation, Disposition, Remark, RemarkGroup
from hoering.core.db import db, now_utc
from hoering.core.errors import DomainError, NotAllowed
from hoering.memos.build import build_memo
from hoering.memos.render import render_html, render_markdown
from hoering.policies import operations as policies
from hoering.policies.draft_split import DraftSection
from hoering.public.operations import PublicSubmission, submit_public_response
from tests.conftest import IsolatedClient, login
from tests.consultations.reference import OPENED_ON
from tests.consultations.test_query_counts import count_queries

TEMPLATE = (
    "Vi protesterer mod lukningen af svømmehallen i Skovlunde. Svømmehallen er et "
    "samlingspunkt for børn, ældre og foreninger, og en lukning vil ramme de svageste "
    "borgere hårdest. Kommunen bør i stedet finde besparelser i administrationen og bevare "
    "de lokale tilbud, som gør Ballerup til et godt sted at bo."
)
COPIES = [
    TEMPLATE.upper(),  # case
    TEMPLATE.replace(",", "").replace(".", "!"),  # punctuation
    TEMPLATE.replace("hårdest", "allerhårdest"),  # one word changed
    TEMPLATE + " Med venlig hilsen Jens",  # a signature
    "  " + TEMPLATE.replace(" ", "   ") + "\n",  # whitespace
]
DIFFERENT = [
    "Cykelstierne langs Ballerup Boulevard bør udbygges, så børn trygt kan cykle i skole.",
    # the same subject, in the writer's own words
    "Svømmehallen i Skovlunde må ikke lukke. Mine børn går til svømning der to gange om "
    "ugen, og der er ikke plads i de andre haller i kommunen.",
]
NO_ACCESS = "Du har ikke adgang til at udføre denne handling."


# --- helpers -------------------------------------------------------------------------


@dataclass
class Public:
    """An open public consultation with one invited committee (SOU), and the people who
    act in it."""

    consultation: Consultation
    body: Body
    staff: User
    colleague: User
    member: User
    auditor: User
    counter: itertools.count

    def respond(self, text: str, *, organisation: str = "", section_position: int | None = None
                ) -> Remark:
        """A citizen's (or association's) response with one remark."""
        n = next(self.counter)
        sections = {}
        if section_position is not None:
            section = self.consultation.version.sections[section_position - 1]
            sections = {section.id: text}
        response, stored = submit_public_response(self.consultation, PublicSubmission(
            token=f"token-{n:04d}", name=f"Borger Nummer{n}", email=f"borger{n}@example.dk",
            organisation=organisation, general_text="" if sections else text,
            section_texts=sections,
        ))
        assert stored
        db.session.commit()
        return response.remarks[0]

    def committee_remark(self, text: str) -> Remark:
        response = consultations.import_minutes(
            self.consultation, self.body, meeting_date=now_utc().date(), agenda_item=4,
            remarks=[consultations.ImportedRemark(text, None)], actor=None,
        )
        db.session.commit()
        return response.remarks[0]


@pytest.fixture
def world(app, make_user, make_body) -> Public:
    body = make_body("SOU", "Socialudvalget")
    policy = policies.create_policy(
        title="Kultur-, idræts- og fritidspolitik", journal_number="18.00.00-P22-1-24",
        description="", owner_body=body, actor=None,
    )
    version = policies.create_version(
        policy, [DraftSection(h, f"Tekst til {h}.") for h in ("Indledning", "Vision")],
        actor=None,
    )
    consultation = consultations.create_consultation(
        version, title="Offentlig høring om fritidspolitikken", opens_on=OPENED_ON,
        closes_at=now_utc() + timedelta(days=90), invitation_text="", public=True,
        bodies=[body], actor=None,
    )
    consultations.open_consultation(consultation, actor=None)
    db.session.commit()
    return Public(
        consultation, body,
        staff=make_user(Role.STAFF, name="Sagsbehandler"),
        colleague=make_user(Role.STAFF, name="Kollega"),
        member=make_user(Role.MEMBER, bodies=(body,)),
        auditor=make_user(Role.AUDITOR),
        counter=itertools.count(1),
    )


def _campaign(world: Public) -> tuple[list[Remark], list[Remark]]:
    """The template and its five copies, and two different remarks."""
    copies = [world.respond(text) for text in [TEMPLATE, *COPIES]]
    different = [world.respond(text) for text in DIFFERENT]
    return copies, different


def _group_of(remarks: list[Remark]) -> RemarkGroup:
    for remark in remarks:
        db.session.refresh(remark)
    group_ids = {r.group_id for r in remarks}
    assert len(group_ids) == 1 and None not in group_ids, group_ids
    return db.session.get(RemarkGroup, group_ids.pop())


def _events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
    ))


# --- similarity ----------------------------------------------------------------------


def test_similarity_key_ignores_case_punctuation_and_whitespace():
    assert campaigns.similarity_key("  Nej TAK – til   lukning!!\n") == "nej tak til lukning"
    assert campaigns.similarity_key("Æbler, ØL & Å") == "æbler øl å"
    assert campaigns.similarity_key("...") == ""


@pytest.mark.parametrize("copy", COPIES)
def test_copies_with_small_edits_are_near_identical(copy):
    assert campaigns.near_identical(TEMPLATE, copy)


@pytest.mark.parametrize("other", DIFFERENT)
def test_different_texts_are_not(other):
    assert not campaigns.near_identical(TEMPLATE, other)
    assert campaigns.similarity(TEMPLATE, other) < 0.2


def test_short_texts_group_only_when_equal_after_normalisation():
    assert campaigns.near_identical("Nej tak!", "nej TAK")
    assert not campaigns.near_identical("Nej tak", "Ja tak")
    assert not campaigns.near_identical("Jeg er imod lukningen", "Jeg er for lukningen")


def _brute_force(texts: list[tuple[int, str]]) -> list[list[int]]:
    """The same greedy clustering, comparing every remark with every cluster."""
    firsts: list[tuple[str, frozenset]] = []
    members: list[list[int]] = []
    for remark_id, text in texts:
        key = campaigns.similarity_key(text)
        own = campaigns.shingles(key)
        scores = [campaigns.jaccard(own, first) for _key, first in firsts]
        best = next((i for i, (first_key, _s) in enumerate(firsts) if first_key == key),
                    max(range(len(scores)), key=lambda i: (scores[i], -i), default=None))
        if best is not None and (firsts[best][0] == key
                                 or scores[best] >= campaigns.THRESHOLD):
            members[best].append(remark_id)
        else:
            firsts.append((key, own))
            members.append([remark_id])
    return [m for m in members if len(m) >= 2]


def test_prefix_filtering_finds_what_comparing_everything_finds():
    rng = random.Random(7)
    vocabulary = [f"ord{i}" for i in range(40)]  # small: many chance overlaps
    templates = [rng.choices(vocabulary, k=rng.randint(4, 30)) for _ in range(12)]
    texts = []
    for remark_id in range(400):
        words = list(rng.choice(templates))
        for _ in range(rng.randint(0, 3)):
            words[rng.randrange(len(words))] = rng.choice(vocabulary)
        texts.append((remark_id, " ".join(words)))
    clustering = campaigns.cluster_texts([], texts)
    assert clustering.new == _brute_force(texts)
    assert clustering.new  # the test means something


# --- detection -----------------------------------------------------------------------


def test_detection_groups_near_identical_public_remarks_only(world):
    copies, different = _campaign(world)
    committee = world.committee_remark(TEMPLATE)  # a body's remark: not by default

    assert campaigns.detect_groups(world.consultation, actor=world.staff) == 1
    db.session.commit()

    group = _group_of(copies)
    assert [r.id for r in group.remarks] == [r.id for r in copies]
    for remark in [*different, committee]:
        db.session.refresh(remark)
        assert remark.group_id is None
    # running again finds nothing new
    assert campaigns.detect_groups(world.consultation, actor=world.staff) == 0


def test_body_remarks_are_grouped_when_asked(world):
    first = world.committee_remark(TEMPLATE)
    copy = world.respond(COPIES[0])
    found = campaigns.find_groups(world.consultation, actor=world.staff, include_bodies=True)
    assert (found.groups_created, found.remarks_in_new_groups) == (1, 2)
    assert _group_of([first, copy]).consultation_id == world.consultation.id


def test_later_copies_join_the_existing_group(world):
    copies, _different = _campaign(world)
    campaigns.detect_groups(world.consultation, actor=world.staff)
    db.session.commit()
    group = _group_of(copies)
    late_copy = world.respond(TEMPLATE.lower() + " Venlig hilsen Ane")
    new_pair = [world.respond(DIFFERENT[0]), world.respond(DIFFERENT[0].upper())]

    found = campaigns.find_groups(world.consultation, actor=world.staff)
    db.session.commit()

    assert found == campaigns.Detection(groups_created=1, remarks_in_new_groups=3,
                                        groups_extended=1, remarks_added=1)
    assert _group_of([*copies, late_copy]).id == group.id
    assert _group_of(new_pair).id != group.id
    extended = _events(campaigns.EXTENDED)
    assert [(e.object_id, e.changes) for e in extended] == [(group.id, {
        "added_remark_ids": {"before": None, "after": [late_copy.id]},
        "size": {"before": 6, "after": 7},
    })]


def test_remarks_in_different_sections_group_too(world):
    in_section = world.respond(TEMPLATE, section_position=2)
    general = world.respond(COPIES[2])
    campaigns.detect_groups(world.consultation, actor=world.staff)
    assert _group_of([in_section, general])


def test_detection_is_audited_per_group_without_personal_data(world):
    copies, _different = _campaign(world)
    world.respond(DIFFERENT[1], organisation="Skovlunde Svømmeklub")
    world.respond(DIFFERENT[1])
    campaigns.detect_groups(world.consultation, actor=world.staff)
    db.session.commit()

    created = _events(campaigns.CREATED)
    assert len(created) == 2
    first = created[0]
    assert (first.actor_id, first.object_type) == (world.staff.id, "remark_group")
    assert first.changes == {
        "consultation_id": {"before": None, "after": world.consultation.id},
        "remark_ids": {"before": None, "after": [r.id for r in copies]},
        "size": {"before": None, "after": 6},
    }
    everything = json.dumps([e.changes for e in _events(campaigns.CREATED)], ensure_ascii=False)
    for personal in ("Borger Nummer", "@example.dk", "Skovlunde Svømmeklub"):
        assert personal not in everything


@pytest.mark.parametrize("role", [Role.MEMBER, Role.AUDITOR])
def test_only_staff_may_group(world, make_user, role):
    _campaign(world)
    with pytest.raises(NotAllowed, match=NO_ACCESS):
        campaigns.detect_groups(world.consultation, actor=make_user(role))


def test_detection_scales_to_thousands_of_remarks():
    """3,000 remarks, 1,000 of them the template or copies with one word changed (pure
    clustering; the database part is one read and one update per group)."""
    rng = random.Random(3)
    vocabulary = [f"ord{i}" for i in range(5000)]
    words = TEMPLATE.split()
    texts = []
    for remark_id in range(3000):
        if remark_id == 0:
            texts.append((remark_id, TEMPLATE))
        elif remark_id % 3 == 0:
            copy = list(words)
            copy[rng.randrange(len(copy))] = rng.choice(vocabulary)
            texts.append((remark_id, " ".join(copy)))
        else:
            texts.append((remark_id, " ".join(rng.choices(vocabulary, k=rng.randint(20, 120)))))
    clustering = campaigns.cluster_texts([], texts)
    assert [len(group) for group in clustering.new] == [1000]


# --- answering a group ---------------------------------------------------------------


@pytest.fixture
def grouped(world) -> tuple[Public, RemarkGroup, list[Remark]]:
    copies, _different = _campaign(world)
    campaigns.detect_groups(world.consultation, actor=world.staff)
    db.session.commit()
    return world, _group_of(copies), copies


def test_group_reply_gives_every_member_the_same_reply(grouped):
    world, group, copies = grouped
    replies = campaigns.reply_to_group(
        group, text="Svømmehallen bevares i budgettet.", disposition=Disposition.INCORPORATED,
        actor=world.staff,
    )
    db.session.commit()
    assert len(replies) == len(copies)
    for remark in copies:
        db.session.refresh(remark)
        assert (remark.reply.text, remark.reply.disposition, remark.reply.author_id) == (
            "Svømmehallen bevares i budgettet.", Disposition.INCORPORATED, world.staff.id)
        assert "svømmehallen bevares" in remark.search_text
    assert len(_events("reply:create")) == len(copies)

    # a colleague changes it: every reply follows (each with its own lock version)
    campaigns.reply_to_group(group, text="Indgår i budgetforhandlingerne.",
                             disposition=Disposition.ATTENTION_POINT, actor=world.colleague)
    db.session.commit()
    for remark in copies:
        db.session.refresh(remark)
        assert (remark.reply.text, remark.reply.disposition, remark.reply.lock_version) == (
            "Indgår i budgetforhandlingerne.", Disposition.ATTENTION_POINT, 2)


def test_group_reply_overwrites_a_member_answered_alone(grouped):
    world, group, copies = grouped
    consultations.save_reply(copies[2], text="Eget svar.", disposition=Disposition.NOTED,
                             based_on_version=None, actor=world.colleague)
    db.session.commit()
    campaigns.reply_to_group(group, text="Fælles svar.", disposition=Disposition.NOTED,
                             actor=world.staff)
    db.session.commit()
    assert {r.reply.text for r in campaigns.group_members(group)} == {"Fælles svar."}


def test_empty_group_reply_is_refused(grouped):
    world, group, _copies = grouped
    with pytest.raises(DomainError, match="Skriv administrationens bemærkning."):
        campaigns.reply_to_group(group, text="  ", disposition=Disposition.NOTED,
                                 actor=world.staff)


def test_approve_group_needs_a_second_member_of_staff(grouped):
    world, group, copies = grouped
    with pytest.raises(DomainError, match="skal besvares"):
        campaigns.approve_group(group, actor=world.colleague)
    campaigns.reply_to_group(group, text="Fælles svar.", disposition=Disposition.NOTED,
                             actor=world.staff)
    db.session.commit()

    with pytest.raises(DomainError, match="Du kan ikke godkende dit eget svar"):
        campaigns.approve_group(group, actor=world.staff)
    db.session.rollback()
    with pytest.raises(NotAllowed):
        campaigns.approve_group(group, actor=world.auditor)

    assert campaigns.approve_group(group, actor=world.colleague) == len(copies)
    db.session.commit()
    for remark in campaigns.group_members(group):
        assert (remark.reply.is_approved, remark.reply.approved_by_id) == (
            True, world.colleague.id)
    assert len(_events("reply:approve")) == len(copies)
    with pytest.raises(DomainError, match="allerede godkendt"):
        campaigns.approve_group(group, actor=world.colleague)


def test_approve_group_approves_only_what_is_pending(grouped):
    world, group, copies = grouped
    campaigns.reply_to_group(group, text="Fælles svar.", disposition=Disposition.NOTED,
                             actor=world.staff)
    consultations.approve_reply(copies[0].reply, actor=world.colleague)
    db.session.commit()
    assert campaigns.approve_group(group, actor=world.colleague) == len(copies) - 1


# --- taking remarks out, dissolving --------------------------------------------------


def test_remove_from_group_keeps_the_remark_apart(grouped):
    world, group, copies = grouped
    campaigns.remove_from_group(copies[3], actor=world.staff)
    db.session.commit()

    assert copies[3].group_id is None
    assert campaigns.group_size(group.id) == len(copies) - 1
    assert [e.changes for e in _events(campaigns.REMOVED)] == [{
        "removed_remark_ids": {"before": None, "after": [copies[3].id]},
        "size": {"before": 6, "after": 5},
    }]
    # detection does not put it back
    assert campaigns.find_groups(world.consultation, actor=world.staff).found_anything is False
    db.session.refresh(copies[3])
    assert copies[3].group_id is None
    with pytest.raises(DomainError, match="ikke i en gruppe"):
        campaigns.remove_from_group(copies[3], actor=world.staff)


def test_a_group_keeps_two_remarks(world):
    pair = [world.respond(TEMPLATE), world.respond(COPIES[0])]
    campaigns.detect_groups(world.consultation, actor=world.staff)
    _group_of(pair)
    with pytest.raises(DomainError, match="Opløs gruppen i stedet"):
        campaigns.remove_from_group(pair[0], actor=world.staff)


def test_delete_group_ungroups_its_remarks_for_good(grouped):
    world, group, copies = grouped
    group_id = group.id
    campaigns.reply_to_group(group, text="Fælles svar.", disposition=Disposition.NOTED,
                             actor=world.staff)
    campaigns.delete_group(group, actor=world.staff)
    db.session.commit()

    assert db.session.get(RemarkGroup, group_id) is None
    for remark in copies:
        db.session.refresh(remark)
        assert remark.group_id is None and remark.reply.text == "Fælles svar."
    (event,) = _events(campaigns.DELETED)
    assert (event.object_id, event.changes["remark_ids"]["before"]) == (
        group_id, [r.id for r in copies])
    assert campaigns.detect_groups(world.consultation, actor=world.staff) == 0


@pytest.mark.parametrize("role", [Role.MEMBER, Role.AUDITOR])
def test_only_staff_may_change_groups(grouped, make_user, role):
    _world, group, copies = grouped
    outsider = make_user(role)
    for attempt in (
        lambda: campaigns.remove_from_group(copies[0], actor=outsider),
        lambda: campaigns.delete_group(group, actor=outsider),
        lambda: campaigns.reply_to_group(group, text="x", disposition=Disposition.NOTED,
                                         actor=outsider),
    ):
        with pytest.raises(NotAllowed):
            attempt()


# --- reading -------------------------------------------------------------------------


def test_group_summaries_give_size_first_remark_and_senders(grouped):
    world, group, copies = grouped
    extra = world.respond(TEMPLATE + " Hilsen foreningen", organisation="Skovlunde Svømmeklub")
    campaigns.detect_groups(world.consultation, actor=world.staff)
    db.session.commit()

    (summary,) = campaigns.group_summaries(world.consultation)
    assert (summary.group.id, summary.size, summary.first.id) == (group.id, 7, copies[0].id)
    assert (summary.answered, summary.approved) == (0, 0)
    assert summary.senders == (("Borger", 6), ("Skovlunde Svømmeklub", 1))
    assert campaigns.group_count(world.consultation) == 1
    assert campaigns.group_sizes([extra, copies[0]]) == {group.id: 7}


# --- the memo ------------------------------------------------------------------------


def test_memo_summarises_a_group_as_one_item_with_its_count(grouped):
    world, group, copies = grouped
    campaigns.reply_to_group(group, text="Svømmehallen bevares.", disposition=Disposition.NOTED,
                             actor=world.staff)
    db.session.commit()

    document = build_memo(world.consultation)
    items = [item for part in document.parts for item in part.items]
    assert [(i.text, i.abbreviation, i.reply, i.count) for i in items] == [
        (TEMPLATE, "Borger", "Svømmehallen bevares.", len(copies)),
        *((text, "Borger", None, 1) for text in DIFFERENT),
    ]
    assert document.remark_count == len(copies) + len(DIFFERENT)
    markdown = render_markdown(document)
    line = next(line for line in markdown.splitlines() if "svømmehallen i Skovlunde" in line)
    line = re.sub(r"\\(.)", r"\1", line)  # Markdown escapes the brackets
    assert line.endswith(f"(Borger) [{len(copies)} enslydende høringssvar]")
    assert markdown.count("Vi protesterer mod lukningen") == 1
    assert f"[{len(copies)} enslydende høringssvar]" in render_html(document)


def test_memo_names_mixed_senders_borgere(grouped):
    world, _group, _copies = grouped
    world.respond(TEMPLATE, organisation="Skovlunde Svømmeklub")
    campaigns.detect_groups(world.consultation, actor=world.staff)
    db.session.commit()
    items = [item for part in build_memo(world.consultation).parts for item in part.items]
    assert [(i.abbreviation, i.count) for i in items] == [("Borgere", 7), ("Borger", 1),
                                                           ("Borger", 1)]


def test_memo_places_the_group_where_its_first_remark_is(world):
    world.respond("Første, anderledes bemærkning om noget helt andet i kommunen.")
    first = world.respond(TEMPLATE, section_position=2)
    world.respond("Tredje bemærkning, der handler om parkering ved rådhuset.")
    world.respond(COPIES[0])  # general attention points, but grouped with the first
    campaigns.detect_groups(world.consultation, actor=world.staff)
    db.session.commit()
    parts = {part.heading: [i.count for i in part.items]
             for part in build_memo(world.consultation).parts}
    assert parts == {
        "Høringssvar til Vision": [2],
        "Høringssvar med opmærksomhedspunkter generelt": [1, 1],
    }
    assert first.section.heading == "Vision"


def test_memo_query_count_does_not_grow_with_groups(world):
    def memo_queries() -> int:
        db.session.expire_all()
        with count_queries() as statements:
            build_memo(db.session.get(Consultation, world.consultation.id))
        return len(statements)

    world.respond(TEMPLATE)
    world.respond(COPIES[0])
    campaigns.detect_groups(world.consultation, actor=world.staff)
    db.session.commit()
    small = memo_queries()
    for n in range(12):
        world.respond(f"{TEMPLATE} Hilsen nr. {n}")
        world.respond(f"Bemærkning nummer {n} om noget helt andet end svømning, {n} gange.")
        world.respond(f"Bemærkning nummer {n} om noget helt andet end svømning, {n} gange!")
    campaigns.detect_groups(world.consultation, actor=world.staff)
    db.session.commit()
    assert campaigns.group_count(world.consultation) == 13
    assert memo_queries() == small


# --- the pages -----------------------------------------------------------------------


@pytest.fixture
def as_user(app):
    app.test_client_class = IsolatedClient

    def open_as(user: User):
        client = app.test_client()
        assert login(client, user).status_code == 302
        return client

    return open_as


def _urls(world: Public, group: RemarkGroup, remark: Remark) -> dict[str, str]:
    c = world.consultation.id
    return {
        "groups": f"/hoeringer/{c}/grupper",
        "detect": f"/hoeringer/{c}/grupper/find",
        "group": f"/hoeringer/grupper/{group.id}",
        "reply": f"/hoeringer/grupper/{group.id}/svar",
        "approve": f"/hoeringer/grupper/{group.id}/godkend",
        "remove": f"/hoeringer/grupper/{group.id}/bemaerkninger/{remark.id}/fjern",
        "dissolve": f"/hoeringer/grupper/{group.id}/oploes",
    }


def test_staff_find_answer_and_approve_a_group_over_http(world, as_user):
    copies, _different = _campaign(world)
    staff, colleague = as_user(world.staff), as_user(world.colleague)
    c = world.consultation.id

    page = staff.get(f"/hoeringer/{c}")
    assert "Enslydende svar (0 grupper)" in page.get_data(as_text=True)
    response = staff.post(f"/hoeringer/{c}/grupper/find", follow_redirects=True)
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Fandt 1 gruppe med i alt 6 enslydende svar." in text
    group = _group_of(copies)
    assert f"Gruppe {group.id}" in text and "Borger (6)" in text
    assert "Enslydende svar (1 gruppe)" in staff.get(f"/hoeringer/{c}").get_data(as_text=True)
    inbox = staff.get(f"/hoeringer/{c}/bemaerkninger").get_data(as_text=True)
    assert f'href="/hoeringer/grupper/{group.id}"' in inbox
    assert f"Gruppe {group.id} (6)" in inbox

    urls = _urls(world, group, copies[1])
    page = staff.get(urls["group"])
    assert page.status_code == 200
    assert f"Gruppe {group.id}: 6 enslydende svar" in page.get_data(as_text=True)
    assert "Borger Nummer" not in page.get_data(as_text=True)
    response = staff.post(urls["reply"], data={"text": "Fælles svar.", "disposition": "noted"})
    assert (response.status_code, response.location) == (302, urls["group"])
    assert {r.reply.text for r in campaigns.group_members(group)} == {"Fælles svar."}
    assert staff.post(urls["reply"], data={"text": "", "disposition": "noted"}).status_code == 200

    # the author cannot approve: a clear message, nothing approved
    response = staff.post(urls["approve"], follow_redirects=True)
    assert "Du kan ikke godkende dit eget svar" in response.get_data(as_text=True)
    response = colleague.post(urls["approve"], follow_redirects=True)
    assert "6 svar i gruppen er godkendt." in response.get_data(as_text=True)
    db.session.expire_all()
    assert all(r.reply.is_approved for r in campaigns.group_members(group))

    response = staff.post(urls["remove"], follow_redirects=True)
    assert "Bemærkningen er taget ud af gruppen" in response.get_data(as_text=True)
    db.session.expire_all()
    assert campaigns.group_size(group.id) == 5
    assert staff.post(urls["remove"]).status_code == 404  # no longer a member

    assert "Vil du opløse gruppe" in staff.get(urls["dissolve"]).get_data(as_text=True)
    response = staff.post(urls["dissolve"])
    assert (response.status_code, response.location) == (302, urls["groups"])
    assert db.session.get(RemarkGroup, group.id) is None
    assert staff.get(urls["group"]).status_code == 404


@pytest.mark.parametrize("role, reads", [(Role.MEMBER, False), (Role.AUDITOR, True)])
def test_members_and_auditors_may_not_change_groups(world, as_user, make_user, role, reads):
    copies, _different = _campaign(world)
    campaigns.detect_groups(world.consultation, actor=world.staff)
    db.session.commit()
    group = _group_of(copies)
    client = as_user(make_user(role))
    urls = _urls(world, group, copies[0])
    for name in ("groups", "group"):
        assert client.get(urls[name]).status_code == (200 if reads else 403), name
    assert client.get(urls["dissolve"]).status_code == 403
    for name in ("detect", "reply", "approve", "remove", "dissolve"):
        response = client.post(urls[name], data={"text": "x", "disposition": "noted"})
        assert response.status_code == 403, name
    assert campaigns.group_size(group.id) == len(copies)


def test_anonymous_visitors_are_sent_to_the_login_page(world, client):
    response = client.get(f"/hoeringer/{world.consultation.id}/grupper")
    assert response.status_code == 302 and "/login" in response.location


def test_unknown_group_or_consultation_is_404(world, as_user):
    staff = as_user(world.staff)
    assert staff.get("/hoeringer/grupper/999").status_code == 404
    assert staff.get("/hoeringer/999/grupper").status_code == 404


def test_pages_issue_a_fixed_number_of_queries_whatever_the_group_size(world, as_user):
    staff = as_user(world.staff)
    c = world.consultation.id

    def counts() -> dict[str, int]:
        group_id = db.session.scalar(select(func.min(RemarkGroup.id)))
        result = {}
        for name, url in {"groups": f"/hoeringer/{c}/grupper",
                          "group": f"/hoeringer/grupper/{group_id}",
                          "inbox": f"/hoeringer/{c}/bemaerkninger",
                          "consultation": f"/hoeringer/{c}"}.items():
            db.session.expire_all()
            with count_queries() as statements:
                assert staff.get(url).status_code == 200, name
            result[name] = len(statements)
        return result

    world.respond(TEMPLATE)
    world.respond(COPIES[0])
    world.respond(DIFFERENT[0])
    world.respond(DIFFERENT[0].upper())
    campaigns.detect_groups(world.consultation, actor=world.staff)
    db.session.commit()
    small = counts()
    for n in range(25):
        world.respond(f"{TEMPLATE} Hilsen nr. {n}", organisation=f"Forening {n % 3}")
        world.respond(f"{DIFFERENT[0]} ({n})")
    world.respond("En tredje tekst om noget helt andet, sendt to gange.")
    world.respond("En tredje tekst om noget helt andet, sendt to gange!")
    campaigns.detect_groups(world.consultation, actor=world.staff)
    campaigns.reply_to_group(campaigns.group_summaries(world.consultation)[0].group,
                             text="Svar.", disposition=Disposition.NOTED, actor=world.colleague)
    db.session.commit()
    assert campaigns.group_count(world.consultation) == 3
    assert counts() == small


def test_a_large_group_is_shown_a_page_at_a_time(app, client, make_user, monkeypatch):
    from tests.public.factories import public_consultation

    monkeypatch.setitem(app.config, "PAGE_SIZE", 5)
    consultation = public_consultation()
    for n in range(12):
        submit_public_response(consultation, PublicSubmission(
            token=f"{n:032x}", name=f"Borger {n}", email=f"b{n}@example.dk",
            general_text="Bevar biblioteksfilialen i Skovlunde, den er vigtig for byen."))
    campaigns.find_groups(consultation, actor=None)
    db.session.commit()
    group_id = db.session.scalar(select(RemarkGroup.id))
    login(client, make_user(Role.STAFF))
    first = client.get(f"/hoeringer/grupper/{group_id}").get_data(as_text=True)
    last = client.get(f"/hoeringer/grupper/{group_id}?page=3").get_data(as_text=True)
    assert "12 enslydende svar" in first and "Side 1 af 3" in first
    assert first.count("Tag ud af gruppen") == 5 and last.count("Tag ud af gruppen") == 2
