"""The demo case (Ballerup's digitalisation principles) and the operator CLI."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from hoering import demo_content
from hoering.accounts.models import Body, BodyKind, Membership, Role, User
from hoering.audit.models import AuditEvent
from hoering.db import db
from hoering.demo import load_demo
from hoering.errors import DomainError
from hoering.policies.models import Policy, PolicyVersion, Section

ABBREVIATIONS = ["BSU", "KMU", "KFU", "SOU", "EBU", "SÆU", "MED", "DTU", "ØU", "KB"]
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


@pytest.fixture
def demo(app):
    logins = load_demo()
    db.session.commit()
    return logins


# --- load_demo -----------------------------------------------------------------------


def test_demo_has_the_ten_bodies(demo):
    bodies = {b.abbreviation: b for b in _all(Body)}
    assert sorted(bodies) == sorted(ABBREVIATIONS)
    assert bodies["DTU"].name == "Digitaliserings- og Teknologiudvalget"
    assert bodies["MED"].kind is BodyKind.WORKS_COUNCIL
    assert bodies["KB"].kind is BodyKind.CITY_COUNCIL
    assert bodies["SÆU"].name == "Sundheds- og Ældreudvalget"


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
    counts = {model: _count(model) for model in (Body, User, Policy, Section, AuditEvent)}
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
    assert _count(Body) == 10
    assert _count(User) == 6
    assert _count(PolicyVersion) == 3


def test_cli_demo_refuses_a_second_load(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo"]).exit_code == 0
    db.session.expire_all()
    events = _count(AuditEvent)

    result = runner.invoke(args=["demo"])

    assert result.exit_code != 0
    assert ALREADY_LOADED in result.output
    db.session.expire_all()
    assert (_count(Body), _count(User), _count(AuditEvent)) == (10, 6, events)


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
        ("ny@kommune.dk", "kort", "Adgangskoden skal være på mindst 10 tegn."),
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
    remarks = _all(Remark)
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
    from hoering.db import now_utc

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
