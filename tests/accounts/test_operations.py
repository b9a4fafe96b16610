"""Users, bodies and memberships: what each operation writes, refuses and audits.

Every operation is checked against the audit events it adds: the action name, the
object, the actor and the ``changes`` JSON (before/after of the changed fields only).
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from hoering import create_app
from hoering.accounts import operations as accounts
from hoering.accounts.models import Body, BodyKind, Membership, Role, User
from hoering.audit.log import entry
from hoering.audit.models import AuditEvent
from hoering.core.db import db
from hoering.core.errors import DomainError, NotAllowed
from hoering.policies import operations as policies
from tests.conftest import PASSWORD

# --- helpers -------------------------------------------------------------------------


def _mark() -> int:
    """The id of the newest audit event so far (0 if none)."""
    return db.session.scalar(select(func.max(AuditEvent.id))) or 0


def _events_since(mark: int) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            select(AuditEvent).where(AuditEvent.id > mark).order_by(AuditEvent.id)
        )
    )


def _only_event_since(mark: int) -> AuditEvent:
    events = _events_since(mark)
    assert len(events) == 1, [e.action for e in events]
    return events[0]


def _assert_event(event: AuditEvent, action: str, obj, actor: User | None, changes: dict):
    assert event.action == action
    assert event.object_type == {User: "user", Body: "body", Membership: "membership"}[
        type(obj)
    ]
    assert event.object_id == obj.id
    assert event.actor_id == (actor.id if actor else None)
    assert event.actor_label == (actor.email if actor else "system")
    assert event.changes == changes


def _new(value) -> dict:
    return {"before": None, "after": value}


def _gone(value) -> dict:
    return {"before": value, "after": None}


def _changed(before, after) -> dict:
    return {"before": before, "after": after}


# --- users ---------------------------------------------------------------------------


def test_create_user_normalises_and_audits(app, make_user):
    admin = make_user(Role.ADMIN)
    mark = _mark()

    user = accounts.create_user(
        name="  Anna Holm ", email="  Anna.Holm@Kommune.DK ", role=Role.STAFF,
        password=PASSWORD, actor=admin,
    )
    db.session.commit()

    assert user.email == "anna.holm@kommune.dk"
    assert user.name == "Anna Holm"
    assert user.active is True
    _assert_event(
        _only_event_since(mark), "user:create", user, admin,
        {
            "active": _new(True),
            "email": _new("***"),  # the staff member's name and e-mail stay in the user row
            "name": _new("***"),
            "role": _new("staff"),
        },
    )


def test_create_user_by_the_system_is_labelled_system(app):
    mark = _mark()
    user = accounts.create_user(
        name="Bo", email="bo@kommune.dk", role=Role.MEMBER, password=PASSWORD, actor=None
    )
    event = _only_event_since(mark)
    assert (event.actor_id, event.actor_label, event.object_id) == (None, "system", user.id)


@pytest.mark.parametrize(
    "email", ["anna@kommune.dk", "ANNA@kommune.dk", "  Anna@Kommune.Dk  "],
)
def test_create_user_refuses_a_duplicate_email_in_any_case(app, make_user, email):
    make_user(email="anna@kommune.dk")
    mark = _mark()
    with pytest.raises(DomainError) as refusal:
        accounts.create_user(
            name="Anden Anna", email=email, role=Role.STAFF, password=PASSWORD, actor=None
        )
    assert refusal.value.message == (
        "Der findes allerede en bruger med e-mailadressen anna@kommune.dk."
    )
    assert _events_since(mark) == []
    assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_update_user_refuses_another_users_email(app, make_user):
    make_user(email="anna@kommune.dk")
    bo = make_user(email="bo@kommune.dk")
    mark = _mark()
    with pytest.raises(DomainError, match="Der findes allerede en bruger"):
        accounts.update_user(
            bo, name=bo.name, email="Anna@Kommune.dk", role=bo.role, active=True, actor=None
        )
    assert _events_since(mark) == []


UPDATE_CASES = [
    # (field changes, expected ``changes`` of the user:update event; None = no event)
    ({"name": "Nyt Navn"}, {"name": _changed("***", "***")}),
    ({"name": "  Bruger 2  "}, None),
    ({"email": "NY@Kommune.dk"}, {"email": _changed("***", "***")}),
    ({"email": "BRUGER2@kommune.dk"}, None),
    ({"role": Role.AUDITOR}, {"role": _changed("staff", "auditor")}),
    ({"active": False}, {"active": _changed(True, False)}),
    (
        {"name": "Nyt Navn", "role": Role.ADMIN},
        {"name": _changed("***", "***"), "role": _changed("staff", "admin")},
    ),
    ({}, None),
]


@pytest.mark.parametrize(("fields", "expected"), UPDATE_CASES)
def test_update_user_audits_only_changed_fields(app, make_user, fields, expected):
    admin = make_user(Role.ADMIN)
    user = make_user(Role.STAFF)
    mark = _mark()
    current = {"name": user.name, "email": user.email, "role": user.role, "active": True}

    accounts.update_user(user, **(current | fields), actor=admin)
    db.session.commit()

    if expected is None:
        assert _events_since(mark) == []
    else:
        _assert_event(_only_event_since(mark), "user:update", user, admin, expected)


@pytest.mark.parametrize(
    ("role", "active"),
    [(Role.STAFF, True), (Role.AUDITOR, True), (Role.MEMBER, True), (Role.ADMIN, False)],
)
def test_admin_cannot_demote_or_deactivate_themself(app, make_user, role, active):
    admin = make_user(Role.ADMIN)
    mark = _mark()
    with pytest.raises(DomainError) as refusal:
        accounts.update_user(
            admin, name=admin.name, email=admin.email, role=role, active=active, actor=admin
        )
    assert "egen administratorrolle" in refusal.value.message
    db.session.rollback()
    db.session.refresh(admin)
    assert (admin.role, admin.active) == (Role.ADMIN, True)
    assert _events_since(mark) == []


def test_admin_may_rename_themself(app, make_user):
    admin = make_user(Role.ADMIN)
    mark = _mark()
    accounts.update_user(
        admin, name="Ny Admin", email=admin.email, role=Role.ADMIN, active=True, actor=admin
    )
    _assert_event(
        _only_event_since(mark), "user:update", admin, admin,
        {"name": _changed("***", "***")},
    )


def test_another_admin_may_demote_an_admin(app, make_user):
    first, second = make_user(Role.ADMIN), make_user(Role.ADMIN)
    accounts.update_user(
        first, name=first.name, email=first.email, role=Role.STAFF, active=True, actor=second
    )
    assert first.role is Role.STAFF


# --- passwords -----------------------------------------------------------------------


def test_password_is_stored_hashed(app, make_user):
    user = make_user(password="et-hemmeligt-kodeord")
    assert user.password_hash != "et-hemmeligt-kodeord"
    assert "et-hemmeligt-kodeord" not in user.password_hash
    assert check_password_hash(user.password_hash, "et-hemmeligt-kodeord")
    assert not check_password_hash(user.password_hash, "et-andet-kodeord")


def test_set_password_audits_without_the_hash(app, make_user):
    admin = make_user(Role.ADMIN)
    user = make_user()
    old_hash = user.password_hash
    mark = _mark()

    accounts.set_password(user, "helt-nyt-kodeord", actor=admin)
    db.session.commit()

    assert user.password_hash != old_hash
    assert check_password_hash(user.password_hash, "helt-nyt-kodeord")
    assert not check_password_hash(user.password_hash, PASSWORD)
    _assert_event(
        _only_event_since(mark), "user:set_password", user, admin,
        {"password": _changed("***", "***")},
    )
    trail = " ".join(entry(e).decode() for e in _events_since(0))
    for secret in (user.password_hash, old_hash, "helt-nyt-kodeord", PASSWORD):
        assert secret not in trail


def test_password_hash_never_reaches_the_audit_trail_on_create(app):
    user = accounts.create_user(
        name="Bo", email="bo@kommune.dk", role=Role.STAFF, password=PASSWORD, actor=None
    )
    (event,) = _events_since(0)
    assert "password_hash" not in event.changes
    assert user.password_hash not in json.dumps(event.changes)
    assert PASSWORD not in entry(event).decode()


def test_a_user_may_set_their_own_password(app, make_user):
    member = make_user(Role.MEMBER)
    mark = _mark()
    accounts.set_password(member, "mit-eget-kodeord", actor=member, current_password=PASSWORD)
    assert check_password_hash(member.password_hash, "mit-eget-kodeord")
    _assert_event(
        _only_event_since(mark), "user:set_password", member, member,
        {"password": _changed("***", "***")},
    )


@pytest.mark.parametrize("current", [None, "", "forkert-adgangskode", PASSWORD.upper()])
def test_changing_ones_own_password_needs_the_current_one(app, make_user, current):
    member = make_user(Role.MEMBER)
    old_hash, mark = member.password_hash, _mark()
    with pytest.raises(accounts.WrongPassword) as refusal:
        accounts.set_password(member, "mit-eget-kodeord", actor=member,
                              current_password=current)
    assert refusal.value.message == "Den nuværende adgangskode er forkert."
    assert member.password_hash == old_hash
    assert _events_since(mark) == []


@pytest.mark.parametrize("password", ["", "kort", "123456789", "12345678901"])
def test_too_short_password_is_refused(app, make_user, password):
    user = make_user()
    old_hash = user.password_hash
    mark = _mark()
    with pytest.raises(DomainError) as refusal:
        accounts.set_password(user, password, actor=None)
    assert refusal.value.message == "Adgangskoden skal være på mindst 12 tegn."
    with pytest.raises(DomainError, match="mindst 12 tegn"):
        accounts.create_user(
            name="Ny", email="ny@kommune.dk", role=Role.STAFF, password=password, actor=None
        )
    assert user.password_hash == old_hash
    assert _events_since(mark) == []


def test_twelve_characters_hard_to_guess_are_long_enough(app, make_user):
    user = make_user()
    accounts.set_password(user, "tromle-fyr-6", actor=None)
    assert check_password_hash(user.password_hash, "tromle-fyr-6")


def test_production_hashes_passwords_with_scrypt():
    """Not the fast test method: the development/production config uses scrypt."""
    app = create_app("development", {"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert app.config["PASSWORD_HASH_METHOD"].startswith("scrypt")
    with app.app_context():
        hashed = accounts.hash_password("a-long-password")
    assert hashed.startswith("scrypt:")
    assert check_password_hash(hashed, "a-long-password")


# --- bodies --------------------------------------------------------------------------


def test_create_body_normalises_and_audits(app, make_user):
    admin = make_user(Role.ADMIN)
    mark = _mark()
    body = accounts.create_body(
        name="  Socialudvalget ", abbreviation=" sou ", kind=BodyKind.COMMITTEE, actor=admin
    )
    assert (body.name, body.abbreviation) == ("Socialudvalget", "SOU")
    _assert_event(
        _only_event_since(mark), "body:create", body, admin,
        {
            "abbreviation": _new("SOU"),
            "kind": _new("committee"),
            "name": _new("Socialudvalget"),
        },
    )


@pytest.mark.parametrize(
    ("name", "abbreviation"),
    [
        ("Socialudvalget", "X"),
        ("socialudvalget", "X"),
        ("  SOCIALUDVALGET  ", "X"),
        ("Andet udvalg", "SOU"),
        ("Andet udvalg", "sou"),
        ("Andet udvalg", " Sou "),
    ],
)
def test_create_body_refuses_a_duplicate_name_or_abbreviation(
    app, make_body, name, abbreviation
):
    make_body("SOU", "Socialudvalget")
    mark = _mark()
    with pytest.raises(DomainError) as refusal:
        accounts.create_body(
            name=name, abbreviation=abbreviation, kind=BodyKind.COMMITTEE, actor=None
        )
    assert refusal.value.message == (
        "Der findes allerede et organ med navnet eller forkortelsen «Socialudvalget (SOU)»."
    )
    assert _events_since(mark) == []


@pytest.mark.parametrize(
    ("name", "abbreviation"),
    [
        ("sundheds- og ældreudvalget", "X"),
        ("SUNDHEDS- OG ÆLDREUDVALGET", "X"),
        ("Andet udvalg", "sæu"),
    ],
)
def test_duplicate_check_is_case_insensitive_for_danish_letters(
    app, make_body, name, abbreviation
):
    """Æ, Ø and Å fold like any other letter (the demo has SÆU and ØU)."""
    make_body("SÆU", "Sundheds- og Ældreudvalget")
    with pytest.raises(DomainError, match="Der findes allerede et organ"):
        accounts.create_body(
            name=name, abbreviation=abbreviation, kind=BodyKind.COMMITTEE, actor=None
        )
        db.session.flush()


UPDATE_BODY_CASES = [
    ({"name": "Social- og Sundhedsudvalget"},
     {"name": _changed("Socialudvalget", "Social- og Sundhedsudvalget")}),
    ({"abbreviation": "ssu"}, {"abbreviation": _changed("SOU", "SSU")}),
    ({"kind": BodyKind.COUNCIL}, {"kind": _changed("committee", "council")}),
    ({"abbreviation": "sou"}, None),  # own abbreviation, other case: no change
    ({}, None),
]


@pytest.mark.parametrize(("fields", "expected"), UPDATE_BODY_CASES)
def test_update_body_audits_only_changed_fields(app, make_user, make_body, fields, expected):
    admin = make_user(Role.ADMIN)
    body = make_body("SOU", "Socialudvalget")
    mark = _mark()
    current = {"name": body.name, "abbreviation": body.abbreviation, "kind": body.kind}

    accounts.update_body(body, **(current | fields), actor=admin)
    db.session.commit()

    if expected is None:
        assert _events_since(mark) == []
    else:
        _assert_event(_only_event_since(mark), "body:update", body, admin, expected)


def test_update_body_refuses_another_bodys_name(app, make_body):
    make_body("SOU", "Socialudvalget")
    other = make_body("KMU", "Klima- og Miljøudvalget")
    with pytest.raises(DomainError, match="«Socialudvalget \\(SOU\\)»"):
        accounts.update_body(
            other, name="SOCIALUDVALGET", abbreviation="KMU", kind=other.kind, actor=None
        )


def test_delete_body_removes_its_memberships_with_events(app, make_user, make_body):
    admin = make_user(Role.ADMIN)
    body = make_body("SOU", "Socialudvalget")
    keep = make_body("KMU", "Klima- og Miljøudvalget")
    anna = make_user(Role.MEMBER, bodies=(body, keep))
    bo = make_user(Role.MEMBER, bodies=(body,))
    memberships = sorted(
        db.session.scalars(select(Membership).where(Membership.body_id == body.id)),
        key=lambda m: m.id,
    )
    expected_deleted = {
        m.id: {
            "body_id": _gone(body.id),
            "is_secretary": _gone(False),
            "user_id": _gone(m.user_id),
        }
        for m in memberships
    }
    body_id = body.id
    mark = _mark()

    accounts.delete_body(body, actor=admin)
    db.session.commit()

    events = _events_since(mark)
    assert [e.action for e in events] == ["membership:delete"] * 2 + ["body:delete"]
    assert {e.object_id: e.changes for e in events[:2]} == expected_deleted
    assert all(e.object_type == "membership" for e in events[:2])
    assert events[2].object_type == "body"
    assert events[2].object_id == body_id
    assert events[2].changes == {
        "abbreviation": _gone("SOU"), "kind": _gone("committee"), "name": _gone("Socialudvalget"),
    }
    assert all(e.actor_id == admin.id for e in events)
    assert db.session.get(Body, body_id) is None
    remaining = db.session.scalars(select(Membership)).all()
    assert [(m.user_id, m.body_id) for m in remaining] == [(anna.id, keep.id)]
    assert db.session.get(User, bo.id) is not None


def test_delete_body_refuses_when_it_owns_a_policy(app, make_user, make_body):
    admin = make_user(Role.ADMIN)
    body = make_body("DTU", "Digitaliserings- og Teknologiudvalget")
    make_user(Role.MEMBER, bodies=(body,))
    policies.create_policy(
        title="Principper", journal_number="85.13.00-P00-1-23", description="",
        owner_body=body, actor=None,
    )
    db.session.commit()
    mark = _mark()

    with pytest.raises(DomainError) as refusal:
        accounts.delete_body(body, actor=admin)
    assert refusal.value.message == (
        "Digitaliserings- og Teknologiudvalget ejer 1 politik og kan ikke slettes."
    )
    db.session.rollback()
    assert db.session.get(Body, body.id) is not None
    assert db.session.scalar(select(func.count()).select_from(Membership)) == 1
    assert _events_since(mark) == []


# --- memberships ---------------------------------------------------------------------


def test_add_membership_audits(app, make_user, make_body):
    admin = make_user(Role.ADMIN)
    member = make_user(Role.MEMBER)
    body = make_body("SOU", "Socialudvalget")
    mark = _mark()

    membership = accounts.add_membership(member, body, is_secretary=True, actor=admin)

    _assert_event(
        _only_event_since(mark), "membership:create", membership, admin,
        {"body_id": _new(body.id), "is_secretary": _new(True), "user_id": _new(member.id)},
    )


def test_add_membership_twice_is_refused(app, make_user, make_body):
    body = make_body("SOU", "Socialudvalget")
    member = make_user(Role.MEMBER, bodies=(body,), name="Anna Holm")
    mark = _mark()
    with pytest.raises(DomainError) as refusal:
        accounts.add_membership(member, body, actor=None)
    assert refusal.value.message == "Anna Holm er allerede medlem af Socialudvalget."
    assert _events_since(mark) == []


@pytest.mark.parametrize(
    ("start", "new", "expected"),
    [
        (False, True, {"is_secretary": _changed(False, True)}),
        (True, False, {"is_secretary": _changed(True, False)}),
        (False, False, None),
        (True, True, None),
    ],
)
def test_set_secretary_audits_only_a_change(app, make_user, make_body, start, new, expected):
    admin = make_user(Role.ADMIN)
    membership = accounts.add_membership(
        make_user(Role.MEMBER), make_body(), is_secretary=start, actor=None
    )
    mark = _mark()

    accounts.set_secretary(membership, new, actor=admin)

    assert membership.is_secretary is new
    if expected is None:
        assert _events_since(mark) == []
    else:
        _assert_event(_only_event_since(mark), "membership:update", membership, admin, expected)


def test_remove_membership_audits(app, make_user, make_body):
    admin = make_user(Role.ADMIN)
    member = make_user(Role.MEMBER)
    body = make_body()
    membership = accounts.add_membership(member, body, actor=None)
    db.session.commit()
    membership_id = membership.id
    mark = _mark()

    accounts.remove_membership(membership, actor=admin)
    db.session.commit()

    (event,) = _events_since(mark)
    assert (event.action, event.object_type, event.object_id) == (
        "membership:delete", "membership", membership_id,
    )
    assert (event.actor_id, event.actor_label) == (admin.id, admin.email)
    assert event.changes == {
        "body_id": _gone(body.id), "is_secretary": _gone(False), "user_id": _gone(member.id),
    }
    assert db.session.get(Membership, membership_id) is None


# --- who may manage users and bodies ---------------------------------------------------


MANAGEMENT_OPERATIONS = {
    "create_user": lambda w, actor: accounts.create_user(
        name="Ny", email="ny@kommune.dk", role=Role.STAFF, password=PASSWORD, actor=actor
    ),
    "update_user": lambda w, actor: accounts.update_user(
        w["user"], name="Nyt navn", email=w["user"].email, role=Role.ADMIN, active=True,
        actor=actor,
    ),
    "set_password (other user)": lambda w, actor: accounts.set_password(
        w["user"], "et-nyt-kodeord", actor=actor
    ),
    "create_body": lambda w, actor: accounts.create_body(
        name="Nyt udvalg", abbreviation="NU", kind=BodyKind.COMMITTEE, actor=actor
    ),
    "update_body": lambda w, actor: accounts.update_body(
        w["body"], name="Omdøbt", abbreviation="OMD", kind=BodyKind.COUNCIL, actor=actor
    ),
    "delete_body": lambda w, actor: accounts.delete_body(w["body"], actor=actor),
    "add_membership": lambda w, actor: accounts.add_membership(
        w["user"], w["other_body"], actor=actor
    ),
    "set_secretary": lambda w, actor: accounts.set_secretary(
        w["membership"], True, actor=actor
    ),
    "remove_membership": lambda w, actor: accounts.remove_membership(
        w["membership"], actor=actor
    ),
}


@pytest.mark.parametrize("role", [Role.STAFF, Role.AUDITOR, Role.MEMBER])
@pytest.mark.parametrize("operation", list(MANAGEMENT_OPERATIONS))
def test_only_admins_manage_users_and_bodies(app, make_user, make_body, operation, role):
    body, other_body = make_body("SOU"), make_body("KMU")
    user = make_user(Role.MEMBER, bodies=(body,))
    world = {
        "user": user,
        "body": body,
        "other_body": other_body,
        "membership": db.session.scalars(select(Membership)).one(),
    }
    actor = make_user(role)
    mark = _mark()

    with pytest.raises(NotAllowed):
        MANAGEMENT_OPERATIONS[operation](world, actor)

    db.session.rollback()
    assert _events_since(mark) == []


@pytest.mark.parametrize("operation", list(MANAGEMENT_OPERATIONS))
def test_an_admin_may_do_every_management_operation(app, make_user, make_body, operation):
    """The counterpart of the table above: the same calls succeed for an admin."""
    body, other_body = make_body("SOU"), make_body("KMU")
    user = make_user(Role.MEMBER, bodies=(body,))
    world = {
        "user": user,
        "body": body,
        "other_body": other_body,
        "membership": db.session.scalars(select(Membership)).one(),
    }
    admin = make_user(Role.ADMIN)
    mark = _mark()

    MANAGEMENT_OPERATIONS[operation](world, admin)

    events = _events_since(mark)
    assert events, "every successful operation is audited"
    assert all(e.actor_id == admin.id for e in events)


def test_an_inactive_admin_is_not_allowed(app, make_user):
    admin = make_user(Role.ADMIN)
    accounts.update_user(
        admin, name=admin.name, email=admin.email, role=Role.ADMIN, active=False, actor=None
    )
    with pytest.raises(NotAllowed):
        accounts.create_body(name="X", abbreviation="X", kind=BodyKind.COMMITTEE, actor=admin)
