"""Done means: an administrator sets up bodies, users, a policy and a version through the
UI, and each of those actions is in the audit trail with who, when, what, request and IP."""

from __future__ import annotations

from sqlalchemy import select

from hoering.accounts.models import Body, Membership, Role, User
from hoering.audit.models import AuditEvent
from hoering.core.db import db
from hoering.policies.models import Policy, PolicyVersion

DRAFT = """# Politiske principper for digitalisering

## Rammesætning
Vi vil mere med digitalisering.

## Princip 1: Vi digitaliserer ambitiøst og inkluderende
Tekst om princip 1.

## Princip 2: Vi skaber sammenhæng
Tekst om princip 2.
"""


def _events(actor: User) -> list[AuditEvent]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(AuditEvent).where(AuditEvent.actor_id == actor.id).order_by(AuditEvent.id)
        )
    )


def test_admin_sets_up_a_case_through_the_ui_and_every_step_is_audited(client, login_as):
    admin = login_as(Role.ADMIN)

    response = client.post(
        "/organer/nyt", data={"name": "Socialudvalget", "abbreviation": "sou", "kind": "committee"}
    )
    assert response.status_code == 302
    body = db.session.scalar(select(Body).where(Body.abbreviation == "SOU"))
    assert body is not None and body.name == "Socialudvalget"

    response = client.post(
        "/brugere/ny",
        data={
            "name": "Camilla Thorsen", "email": "Camilla@Kommune.dk", "role": "member",
            "active": "y", "password": "en-god-adgangskode", "confirm": "en-god-adgangskode",
        },
    )
    assert response.status_code == 302
    member = db.session.scalar(select(User).where(User.email == "camilla@kommune.dk"))
    assert member is not None and member.role is Role.MEMBER

    response = client.post(
        f"/brugere/{member.id}/medlemskaber", data={"body_id": body.id, "is_secretary": "y"}
    )
    assert response.status_code == 302
    membership = db.session.scalar(select(Membership).where(Membership.user_id == member.id))
    assert membership.body_id == body.id and membership.is_secretary

    response = client.post(
        "/politikker/ny",
        data={
            "title": "Politiske principper for digitalisering", "owner_body_id": body.id,
            "journal_number": "85.13.00-P00-1-23", "description": "Fem principper.",
        },
    )
    assert response.status_code == 302
    policy = db.session.scalar(select(Policy))
    assert policy.journal_number == "85.13.00-P00-1-23"

    response = client.post(
        f"/politikker/{policy.id}/versioner/ny", data={"source": DRAFT, "create": "1"}
    )
    assert response.status_code == 302
    version = db.session.scalar(select(PolicyVersion))
    assert [s.heading for s in version.sections] == [
        "Rammesætning",
        "Princip 1: Vi digitaliserer ambitiøst og inkluderende",
        "Princip 2: Vi skaber sammenhæng",
    ]

    section = version.sections[1]
    response = client.post(
        f"/politikker/afsnit/{section.id}/rediger",
        data={"heading": section.heading, "text": "Ny tekst om princip 1."},
    )
    assert response.status_code == 302
    response = client.post(f"/politikker/versioner/{version.id}/laas", data={})
    assert response.status_code == 302

    events = _events(admin)
    assert [e.action for e in events] == [
        "auth:login",
        "body:create",
        "user:create",
        "user:invite",  # a new user chooses their own password from an e-mailed link
        "membership:create",
        "policy:create",
        "version:create",
        "section:create",
        "section:create",
        "section:create",
        "section:update",
        "version:freeze",
    ]
    for event in events:
        assert event.actor_label == admin.email
        assert event.ip == "127.0.0.1"
        assert event.request_id and len(event.request_id) >= 8
        assert event.occurred_at.utcoffset().total_seconds() == 0
    # the version and its three sections are created by one request, and the user and
    # their invitation by another
    assert len({e.request_id for e in events}) == len(events) - 4

    by_action = {e.action: e for e in events}
    assert by_action["body:create"].changes["abbreviation"] == {"before": None, "after": "SOU"}
    created = by_action["user:create"]  # the member is their user id; the row holds the rest
    assert (created.object_id, created.changes["email"]["after"]) == (member.id, "***")
    assert "password_hash" not in by_action["user:create"].changes
    assert by_action["membership:create"].changes["is_secretary"]["after"] is True
    assert by_action["policy:create"].object_id == policy.id
    assert by_action["section:update"].changes == {
        "text": {"before": "Tekst om princip 1.", "after": "Ny tekst om princip 1."}
    }


def test_invalid_input_is_refused_with_danish_messages_and_nothing_saved(client, login_as):
    login_as(Role.ADMIN)
    response = client.post("/organer/nyt", data={"name": "", "abbreviation": "S O U",
                                                 "kind": "committee"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Feltet skal udfyldes." in page
    assert "Forkortelsen må kun indeholde bogstaver, tal og bindestreg." in page

    client.post("/organer/nyt", data={"name": "Socialudvalget", "abbreviation": "SOU",
                                      "kind": "committee"})
    body = db.session.scalar(select(Body))
    response = client.post(
        "/politikker/ny",
        data={"title": "Politik", "owner_body_id": body.id, "journal_number": "85.13-P00-1",
              "description": ""},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Journalnummeret skal have formen 85.13.00-P00-1-23." in page
    assert 'value="Politik"' in page  # what was typed is kept
    assert db.session.scalar(select(Policy)) is None


def test_user_text_is_escaped(client, login_as):
    login_as(Role.ADMIN)
    client.post("/organer/nyt", data={"name": "<script>alert(1)</script>",
                                      "abbreviation": "X", "kind": "committee"})
    page = client.get("/organer").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
