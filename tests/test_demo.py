"""The demo (Ballerup's digitalisation principles, and the culture policy's public
consultation with its public responses) and the operator CLI."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from hoering.accounts.models import Body, BodyKind, Membership, Role, User
from hoering.audit.models import AuditEvent
from hoering.core.db import db
from hoering.core.errors import DomainError
from hoering.demo import content as demo_content
from hoering.demo import public as demo_public
from hoering.demo.loader import DemoLogin, load_demo
from hoering.policies.models import Policy, PolicyVersion, Section
from tests.conftest import empty_all_tables

ABBREVIATIONS = ["BSU", "KMU", "KFU", "SOU", "EBU", "SÆU", "MED", "DTU", "ØU", "KB",
                 "FOU", "FRI", "EIR", "SR", "HR"]
# The culture policy's consultation: five standing committees and five councils.
CULTURE_COMMITTEES = ["BSU", "KMU", "SOU", "EBU", "SÆU"]
CULTURE_COUNCILS = ["FOU", "FRI", "EIR", "SR", "HR"]
ALREADY_LOADED = "Databasen indeholder allerede data; demoen indlæses kun i en tom database."
DEMO_EMAILS = [
    "admin@hoering.demo",
    "sekretariat@hoering.demo",
    "afdelingsleder@hoering.demo",
    "medlem@hoering.demo",
    "sekretaer.sou@hoering.demo",
    "revisor@hoering.demo",
]


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _all(model) -> list:
    return list(db.session.scalars(select(model).order_by(model.id)))


COMMITTED_WORLDS = ("demo",)  # the tests on the demo run last in the module


@pytest.fixture(scope="module")
def demo(app) -> Iterator[list[DemoLogin]]:
    """The demo, loaded and committed once per backend (each test on it is rolled back);
    the tables are emptied again after the module."""
    with app.app_context():
        logins = load_demo()
        db.session.commit()
        db.session.remove()
    yield logins
    with app.app_context():
        empty_all_tables()


# --- load_demo -----------------------------------------------------------------------


def test_demo_has_the_fifteen_bodies(demo):
    bodies = {b.abbreviation: b for b in _all(Body)}
    assert sorted(bodies) == sorted(ABBREVIATIONS)
    assert bodies["DTU"].name == "Digitaliserings- og Teknologiudvalget"
    assert bodies["MED"].kind is BodyKind.WORKS_COUNCIL
    assert bodies["KB"].kind is BodyKind.CITY_COUNCIL
    assert bodies["SÆU"].name == "Sundheds- og Ældreudvalget"
    assert {a: bodies[a].name for a in CULTURE_COUNCILS} == {
        "FOU": "Folkeoplysningsudvalget", "FRI": "Frivilligrådet",
        "EIR": "Eliteidrætsrådet", "SR": "Seniorrådet", "HR": "Handicaprådet",
    }
    assert {bodies[a].kind for a in CULTURE_COUNCILS} == {BodyKind.COUNCIL}


def test_demo_has_one_user_per_role_and_the_sou_secretary(demo):
    users = _all(User)
    assert {u.role for u in users} == set(Role)
    assert sorted(u.email for u in users) == sorted(DEMO_EMAILS)
    assert [(d.email, d.role) for d in demo] == [(u.email, u.role) for u in users]

    memberships = {
        (m.user.email, m.body.abbreviation): m.is_secretary for m in _all(Membership)
    }
    assert memberships == {
        ("medlem@hoering.demo", "SOU"): False,
        ("medlem@hoering.demo", "KMU"): False,
        ("sekretaer.sou@hoering.demo", "SOU"): True,
    }


def test_the_demo_logins_work(demo, client):
    for demo_login in demo:
        user = db.session.scalars(select(User).where(User.email == demo_login.email)).one()
        assert check_password_hash(user.password_hash, demo_login.password)
        assert demo_login.password not in user.password_hash
    admin = next(d for d in demo if d.role is Role.ADMIN)
    response = client.post("/login", data={"email": admin.email, "password": admin.password})
    assert response.status_code == 302


def _digitalisation_policy() -> Policy:
    return db.session.scalars(
        select(Policy).where(Policy.journal_number == "85.13.00-P00-1-23")
    ).one()


def _reference_consultation():
    from hoering.consultations.models import Consultation

    consulted = _digitalisation_policy().versions[0]
    return db.session.scalars(
        select(Consultation).where(Consultation.version_id == consulted.id)
    ).one()


def test_demo_policy_and_its_two_versions(demo):
    policy = _digitalisation_policy()
    assert policy.journal_number == "85.13.00-P00-1-23"
    assert policy.owner_body.abbreviation == "DTU"
    assert [v.number for v in policy.versions] == [1, 2]
    consulted, revised = policy.versions

    assert consulted.is_frozen
    assert consulted.frozen_by_id is None  # frozen by the system
    assert not revised.is_frozen
    for version in (consulted, revised):
        headings = [s.heading for s in version.sections]
        assert [s.position for s in version.sections] == [1, 2, 3, 4, 5, 6]
        assert headings[0] == "Rammesætning"
        assert [h.split(":")[0] for h in headings[1:]] == [
            f"Princip {n}" for n in range(1, 6)
        ]
        assert all(s.text for s in version.sections)
    assert [s.text for s in consulted.sections] != [s.text for s in revised.sections]


def test_every_demo_object_is_audited(demo):
    """The set-up is done by the system; the consultation round by the two staff users:
    one registers responses, writes replies, revises the draft and issues the memo, the
    other approves the replies."""
    events = _all(AuditEvent)
    assert events
    setup = ("body:", "user:", "membership:", "policy:", "consultation:create",
             "consultation:open", "consultee:")
    assert {e.actor_label for e in events if e.action.startswith(setup)} == {"system"}
    assert {e.actor_label for e in events if e.action in (
        "memo:issue", "change_link:create", "task:create", "consultation:update_memo")} == {
        "sekretariat@hoering.demo"}
    revised = _digitalisation_policy().versions[1]
    assert [e.actor_label for e in events
            if e.action == "version:create" and e.object_id == revised.id] == [
        "sekretariat@hoering.demo"]
    assert {e.actor_label for e in events if e.action.startswith(("response:", "remark:"))} \
        == {"sekretariat@hoering.demo"}
    assert {e.actor_label for e in events if e.action == "reply:create"} == {
        "sekretariat@hoering.demo"}
    assert {e.actor_label for e in events if e.action == "reply:approve"} == {
        "afdelingsleder@hoering.demo"}
    # citizens submit without an account (no actor, no IP); the secretariat groups the
    # campaign
    public = [e for e in events if e.action == "public_response:submit"]
    assert len(public) == demo_public.RESPONSE_COUNT
    assert {(e.actor_label, e.actor_id, e.ip) for e in public} == {("system", None, None)}
    assert [e.actor_label for e in events if e.action.startswith("remark_group:")] == [
        "sekretariat@hoering.demo"]
    audited = {(e.action, e.object_id) for e in events}

    expected = [
        ("body:create", Body),
        ("user:create", User),
        ("membership:create", Membership),
        ("policy:create", Policy),
        ("version:create", PolicyVersion),
        ("section:create", Section),
    ]
    for action, model in expected:
        ids = {obj.id for obj in _all(model)}
        assert ids, model
        assert {(action, i) for i in ids} <= audited, action
        assert sum(e.action == action for e in events) == len(ids), action
    frozen = {e.object_id for e in events if e.action == "version:freeze"}
    # the consulted version of each demo policy, frozen when its consultation opened
    assert frozen == {
        v.id for v in _all(PolicyVersion) if v.number == 1
    }


def test_demo_loads_only_into_an_empty_database(demo):
    from hoering.consultations.models import Response
    from hoering.outbox.models import OutboxMessage

    counts = {model: _count(model) for model in (
        Body, User, Policy, Section, AuditEvent, Response, OutboxMessage)}
    with pytest.raises(DomainError) as refusal:
        load_demo()
    assert refusal.value.message == ALREADY_LOADED
    db.session.rollback()
    assert {model: _count(model) for model in counts} == counts


def test_demo_refuses_a_database_with_only_a_user(app, make_user):
    make_user(Role.ADMIN)
    with pytest.raises(DomainError, match="allerede data"):
        load_demo()


# --- CLI -----------------------------------------------------------------------------


def test_cli_demo_loads_and_prints_the_logins(app):
    result = app.test_cli_runner().invoke(args=["demo"])

    assert result.exit_code == 0, result.output
    for email in DEMO_EMAILS:
        assert email in result.output
    assert demo_content.DEMO_NOTICE in result.output
    assert "demo-hoering-2024" in result.output
    db.session.expire_all()
    assert "send-mail" in result.output  # the public responses' receipts are queued
    assert _count(Body) == 15
    assert _count(User) == 6
    assert _count(PolicyVersion) == 3
    # its audit events are sealed under a first checkpoint, which verifies
    from hoering.audit.log import latest_checkpoint, verify

    checkpoint = latest_checkpoint()
    assert checkpoint is not None
    assert f"checkpoint af størrelse {checkpoint.tree_size}" in result.output
    assert verify(checkpoint.note).ok


def test_cli_demo_refuses_a_second_load(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo"]).exit_code == 0
    db.session.expire_all()
    events = _count(AuditEvent)

    result = runner.invoke(args=["demo"])

    assert result.exit_code != 0
    assert ALREADY_LOADED in result.output
    db.session.expire_all()
    assert (_count(Body), _count(User), _count(AuditEvent)) == (15, 6, events)


def test_cli_demo_skip_if_present(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo"]).exit_code == 0

    result = runner.invoke(args=["demo", "--skip-if-present"])

    assert result.exit_code == 0, result.output
    assert "demoen springes over" in result.output
    assert "admin@hoering.demo" not in result.output
    db.session.expire_all()
    assert _count(User) == 6


def test_cli_demo_skip_if_present_loads_into_an_empty_database(app):
    result = app.test_cli_runner().invoke(args=["demo", "--skip-if-present"])
    assert result.exit_code == 0, result.output
    assert "admin@hoering.demo" in result.output
    db.session.expire_all()
    assert _count(Policy) == 2


def test_cli_create_admin(app):
    result = app.test_cli_runner().invoke(
        args=["users", "create-admin", "--name", "X", "--email", "X@Kommune.dk",
              "--password", "a-long-password"],
    )

    assert result.exit_code == 0, result.output
    assert "Administrator x@kommune.dk er oprettet." in result.output
    db.session.expire_all()
    (user,) = _all(User)
    assert (user.name, user.email, user.role, user.active) == (
        "X", "x@kommune.dk", Role.ADMIN, True,
    )
    assert check_password_hash(user.password_hash, "a-long-password")
    (event,) = _all(AuditEvent)
    assert (event.action, event.object_id, event.actor_label) == (
        "user:create", user.id, "system",
    )


@pytest.mark.parametrize(
    ("email", "password", "message"),
    [
        ("ny@kommune.dk", "kort", "Adgangskoden skal være på mindst 12 tegn."),
        ("x@kommune.dk", "a-long-password",
         "Der findes allerede en bruger med e-mailadressen x@kommune.dk."),
    ],
)
def test_cli_create_admin_refusals(app, make_user, email, password, message):
    make_user(Role.STAFF, email="x@kommune.dk")
    result = app.test_cli_runner().invoke(
        args=["users", "create-admin", "--name", "Y", "--email", email,
              "--password", password],
    )
    assert result.exit_code != 0
    assert message in result.output
    db.session.expire_all()
    assert [u.email for u in _all(User)] == ["x@kommune.dk"]


# --- the consultation round of the demo ----------------------------------------------


def test_demo_consultation_holds_the_reference_memo_round(demo):
    from hoering.consultations.models import Remark, Response
    from hoering.consultations.queries import Progress, progress

    consultation = _reference_consultation()
    assert consultation.version.number == 1 and consultation.version.is_frozen
    assert sorted(c.body.abbreviation for c in consultation.consultees) == sorted(
        ["BSU", "KMU", "KFU", "SOU", "EBU", "SÆU", "MED"]
    )
    remarks = [r for r in _all(Remark) if r.consultation_id == consultation.id]
    assert len(remarks) == 30
    placement = {}
    for remark in remarks:
        key = remark.section.heading.split(":")[0] if remark.section else "generelt"
        placement[key] = placement.get(key, 0) + 1
    assert placement == {"Rammesætning": 3, "Princip 1": 5, "Princip 2": 1, "Princip 3": 5,
                         "Princip 4": 3, "Princip 5": 4, "generelt": 9}
    assert progress(consultation) == Progress(total=30, answered=30, approved=30)

    sou = db.session.scalars(
        select(Response).join(Response.body).where(Body.abbreviation == "SOU")
    ).one()
    assert sou.source == "Socialudvalget den 9. april 2024 Punkt 6"
    assert len(sou.remarks) == 7
    edited = [r for r in sou.remarks if r.memo_text is not None]
    assert len(edited) == 2  # the memo reprints two of SOU's bullets slightly changed
    assert all(r.original_text != r.memo_text for r in edited)


def test_cli_consultation_list_prints_id_tab_title(app, demo):
    from hoering.consultations.models import Consultation

    result = app.test_cli_runner().invoke(args=["consultation", "list"])
    assert result.exit_code == 0
    assert result.output == "".join(
        f"{c.id}\t{c.title}\n" for c in _all(Consultation)
    )
    assert result.output.count("\n") == 2


def test_demo_has_an_open_public_consultation_members_can_answer(demo, client):
    """The culture policy's consultation is open, so a demo member can try responding."""
    from hoering.consultations.models import Consultation
    from hoering.core.db import now_utc

    open_ones = [c for c in _all(Consultation) if c.is_open_at(now_utc())]
    assert len(open_ones) == 1
    culture = open_ones[0]
    assert culture.public
    assert [s.heading.split(":")[0] for s in culture.version.sections] == [
        "Indledning", "Vision", "Tema 1", "Tema 2", "Tema 3", "Tema 4",
        "Afslutning og opfølgning",
    ]
    member = next(d for d in demo if d.email == "sekretaer.sou@hoering.demo")
    client.post("/login", data={"email": member.email, "password": member.password})
    page = client.get("/mine-hoeringer").get_data(as_text=True)
    assert culture.title in page


# --- the culture policy's public consultation ----------------------------------------


def _culture_consultation():
    from hoering.consultations.models import Consultation

    policy = db.session.scalars(
        select(Policy).where(Policy.journal_number == demo_content.CULTURE_POLICY[
            "journal_number"])
    ).one()
    return db.session.scalars(
        select(Consultation).where(Consultation.version_id == policy.versions[0].id)
    ).one()


def _public_responses(consultation) -> list:
    from hoering.consultations.models import Response

    return list(db.session.scalars(
        select(Response).where(Response.consultation_id == consultation.id)
        .order_by(Response.id)
    ))


def _demo_citizens() -> list[dict]:
    return [*demo_public.RESPONSES, *demo_public.CAMPAIGN]


def test_the_culture_consultation_is_public_open_and_shaped_as_in_the_domain(demo):
    """DOMAIN.md: KFU owns it; seven sections; five standing committees and several
    councils invited; public for three months (opened weeks ago, deadline ahead)."""
    from datetime import timedelta

    from hoering.core.clock import LOCAL_TZ
    from hoering.core.db import now_utc

    culture = _culture_consultation()
    policy = culture.version.policy
    assert policy.owner_body.abbreviation == "KFU"
    assert culture.public and culture.is_open_at(now_utc())
    assert culture.version.is_frozen and len(culture.version.sections) == 7
    assert [s.position for s in culture.version.sections] == list(range(1, 8))
    invited = {c.body.abbreviation: c.body.kind for c in culture.consultees}
    assert sorted(invited) == sorted(CULTURE_COMMITTEES + CULTURE_COUNCILS)
    assert {invited[a] for a in CULTURE_COMMITTEES} == {BodyKind.COMMITTEE}
    assert {invited[a] for a in CULTURE_COUNCILS} == {BodyKind.COUNCIL}
    assert "KFU" not in invited

    now = now_utc()
    assert now - timedelta(weeks=8) < culture.opened_at < now - timedelta(weeks=4)
    assert culture.opened_at.astimezone(LOCAL_TZ).date() == culture.opens_on
    deadline = culture.closes_at.astimezone(LOCAL_TZ)
    assert deadline.strftime("%H:%M") == "23:59"
    assert 89 <= (deadline.date() - culture.opens_on).days <= 92  # three months
    assert culture.closes_at > now


def test_the_culture_consultation_holds_the_public_responses_with_receipts(demo):
    import io
    import re

    from pypdf import PdfReader

    from hoering.consultations.models import ResponseChannel
    from hoering.core.db import now_utc
    from hoering.outbox.models import MessageStatus, OutboxMessage
    from hoering.public.operations import receipt_number

    culture = _culture_consultation()
    responses = _public_responses(culture)
    citizens = _demo_citizens()
    assert len(responses) == demo_public.RESPONSE_COUNT == len(citizens)
    assert 12 <= len(demo_public.RESPONSES) <= 15 and 6 <= len(demo_public.CAMPAIGN) <= 8
    assert {r.channel for r in responses} == {ResponseChannel.PUBLIC}
    assert all(r.is_submitted and r.body is None for r in responses)
    assert sorted(r.submitter.email for r in responses) == sorted(c["email"] for c in citizens)
    assert all(c["email"].endswith("@example.com") for c in citizens)
    assert len({c["name"] for c in citizens}) == len(citizens)

    times = [r.submitted_at for r in responses]
    assert times == sorted(times)  # submitted in order, so receipt numbers follow time
    assert culture.opened_at < times[0] and times[-1] < now_utc()
    for response in responses:
        number = response.submitter.receipt_number
        assert re.fullmatch(r"H-\d{4}-\d{6}", number)
        assert number == receipt_number(response.id, response.submitted_at)
        assert response.submitter.idempotency_token
    assert len({r.submitter.idempotency_token for r in responses}) == len(responses)

    receipts = list(db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "receipt")))
    assert sorted(m.to_address for m in receipts) == sorted(c["email"] for c in citizens)
    assert {m.status for m in receipts} == {MessageStatus.PENDING}
    assert {m.subject.rsplit(" ", 1)[1] for m in receipts} == {
        r.submitter.receipt_number for r in responses}

    # sections as written: the remarks sit under the right section of the policy
    by_email = {r.submitter.email: r for r in responses}
    keys = dict(zip((s.id for s in culture.version.sections), demo_public.SECTION_KEYS,
                    strict=True))
    for spec in demo_public.RESPONSES:
        response = by_email[spec["email"]]
        placed = {(keys[r.section_id] if r.section_id else "general"): r.original_text
                  for r in response.remarks}
        expected = dict(spec["sections"])
        if spec["general"]:
            expected["general"] = spec["general"]
        assert placed == expected, spec["email"]
        assert response.submitter.organisation == spec["organisation"]
        assert response.submitter.publish_name is spec["publish_name"]
    assert {len(spec["sections"]) for spec in demo_public.RESPONSES} >= {0, 1, 2}
    assert {r.submitter.publish_name for r in responses} == {True, False}
    assert {bool(r.submitter.organisation) for r in responses} == {True, False}

    (with_file,) = [r for r in responses if r.attachments]
    (attachment,) = with_file.attachments
    assert attachment.media_type == "application/pdf" and attachment.filename.endswith(".pdf")
    assert attachment.content.startswith(b"%PDF-1.4") and attachment.size < 2000
    pdf = PdfReader(io.BytesIO(attachment.content), strict=True)
    assert len(pdf.pages) == 1
    assert "forslag til afsnit om kulturarv" in pdf.pages[0].extract_text()


def test_the_campaign_is_near_identical_and_grouped(demo):
    import difflib
    from itertools import combinations

    culture = _culture_consultation()
    responses = _public_responses(culture)
    campaign_emails = {m["email"] for m in demo_public.CAMPAIGN}
    campaign = [r for r in responses if r.submitter.email in campaign_emails]
    others = [r for r in responses if r.submitter.email not in campaign_emails]
    assert len(campaign) == len(demo_public.CAMPAIGN)
    assert all(len(r.remarks) == 1 and r.remarks[0].section is None for r in campaign)
    texts = [r.remarks[0].original_text for r in campaign]
    assert len(set(texts)) == len(texts)  # each with its own small changes

    def ratio(a: str, b: str) -> float:
        return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()

    assert all(ratio(a, b) > 0.8 for a, b in combinations(texts, 2))
    other_texts = [remark.original_text for r in others for remark in r.remarks]
    assert all(ratio(a, b) < 0.5 for a in texts for b in other_texts)

    # the secretariat's detection grouped exactly the campaign
    from hoering.consultations.models import RemarkGroup

    (group,) = db.session.scalars(
        select(RemarkGroup).where(RemarkGroup.consultation_id == culture.id)).all()
    assert sorted(r.response_id for r in group.remarks) == sorted(r.id for r in campaign)


def test_no_personal_data_of_the_demo_citizens_in_the_audit_trail(demo):
    import json

    events = _all(AuditEvent)
    recorded = "\n".join(
        json.dumps(e.changes, ensure_ascii=False) + e.actor_label for e in events)
    for citizen in _demo_citizens():
        assert citizen["name"] not in recorded
        assert citizen["email"] not in recorded
    assert "example.com" not in recorded


def test_the_public_responses_are_reproducible(demo):
    """Fixed tokens: submitting the demo's responses again stores nothing new."""
    from hoering.consultations.models import Response

    culture = _culture_consultation()
    before = [(r.id, r.submitter.receipt_number) for r in _public_responses(culture)]
    counts = (_count(Response), _count(AuditEvent))

    again = demo_public.load_public_responses(culture)

    assert [(r.id, r.submitter.receipt_number) for r in again] == before
    assert (_count(Response), _count(AuditEvent)) == counts
