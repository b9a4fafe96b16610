"""Every route × every role, with the expected outcome.

The table below is the specification. A route that exists in the app but not in the
table fails ``test_every_route_is_in_the_matrix``, so no future route can skip it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from hoering.accounts import operations as accounts
from hoering.accounts.models import Membership, Role
from hoering.db import db
from hoering.policies import operations as policies
from hoering.policies.draft_split import DraftSection
from tests.conftest import login

ANON = "anonymous"
MEMBER, STAFF, ADMIN, AUDITOR = Role.MEMBER, Role.STAFF, Role.ADMIN, Role.AUDITOR
EVERYONE = frozenset({ANON, MEMBER, STAFF, ADMIN, AUDITOR})
LOGGED_IN = frozenset({MEMBER, STAFF, ADMIN, AUDITOR})
READERS = frozenset({STAFF, ADMIN, AUDITOR})
EDITORS = frozenset({STAFF, ADMIN})
ADMINS = frozenset({ADMIN})
AUDIT_READERS = frozenset({ADMIN, AUDITOR})


@dataclass(frozen=True)
class World:
    """Ids of one of each object, for filling in URLs."""

    user_id: int
    body_id: int
    membership_id: int
    policy_id: int
    version_id: int
    section_id: int


# endpoint -> {method: (roles allowed, URL builder)}
MATRIX = {
    "accounts.login": {"GET": EVERYONE, "POST": EVERYONE},
    "accounts.logout": {"POST": LOGGED_IN},
    "accounts.own_password": {"GET": LOGGED_IN, "POST": LOGGED_IN},
    "main.dashboard": {"GET": LOGGED_IN},
    "accounts.users": {"GET": READERS},
    "accounts.user": {"GET": READERS},
    "accounts.new_user": {"GET": ADMINS, "POST": ADMINS},
    "accounts.edit_user": {"GET": ADMINS, "POST": ADMINS},
    "accounts.user_password": {"GET": ADMINS, "POST": ADMINS},
    "accounts.add_membership": {"POST": ADMINS},
    "accounts.toggle_secretary": {"POST": ADMINS},
    "accounts.delete_membership": {"GET": ADMINS, "POST": ADMINS},
    "accounts.bodies": {"GET": READERS},
    "accounts.body": {"GET": READERS},
    "accounts.new_body": {"GET": ADMINS, "POST": ADMINS},
    "accounts.edit_body": {"GET": ADMINS, "POST": ADMINS},
    "accounts.delete_body": {"GET": ADMINS, "POST": ADMINS},
    "policies.index": {"GET": READERS},
    "policies.new": {"GET": EDITORS, "POST": EDITORS},
    "policies.show": {"GET": READERS},
    "policies.edit": {"GET": EDITORS, "POST": EDITORS},
    "policies.new_version": {"GET": EDITORS, "POST": EDITORS},
    "policies.version": {"GET": READERS},
    "policies.copy_version": {"POST": EDITORS},
    "policies.freeze_version": {"GET": EDITORS, "POST": EDITORS},
    "policies.new_section": {"GET": EDITORS, "POST": EDITORS},
    "policies.edit_section": {"GET": EDITORS, "POST": EDITORS},
    "policies.move_section": {"POST": EDITORS},
    "policies.merge_section": {"GET": EDITORS, "POST": EDITORS},
    "policies.delete_section": {"GET": EDITORS, "POST": EDITORS},
    "audit.log": {"GET": AUDIT_READERS},
}

URL_ARGS = {
    "user_id": lambda w: w.user_id,
    "body_id": lambda w: w.body_id,
    "membership_id": lambda w: w.membership_id,
    "policy_id": lambda w: w.policy_id,
    "version_id": lambda w: w.version_id,
    "section_id": lambda w: w.section_id,
}

CASES = [
    (endpoint, method, role)
    for endpoint, methods in MATRIX.items()
    for method in methods
    for role in (ANON, MEMBER, STAFF, ADMIN, AUDITOR)
]


def _world(make_user, make_body) -> World:
    body = make_body("SOU", "Socialudvalget")
    other = make_user(Role.MEMBER, bodies=(body,))
    membership = db.session.query(Membership).filter_by(user_id=other.id).one()
    policy = policies.create_policy(
        title="Politik", journal_number="85.13.00-P00-1-23", description="",
        owner_body=body, actor=None,
    )
    version = policies.create_version(
        policy, [DraftSection("Rammesætning", "Tekst"), DraftSection("Princip 1", "Tekst")],
        actor=None,
    )
    db.session.commit()
    return World(other.id, body.id, membership.id, policy.id, version.id,
                 version.sections[0].id)


def test_every_route_is_in_the_matrix(app):
    routes = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    listed = {(endpoint, method) for endpoint, methods in MATRIX.items() for method in methods}
    assert routes - listed == set(), "routes missing from the access matrix"
    assert listed - routes == set(), "matrix lists routes that do not exist"


@pytest.mark.parametrize(("endpoint", "method", "role"), CASES)
def test_route_access(app, client, make_user, make_body, endpoint, method, role):
    world = _world(make_user, make_body)
    if role != ANON:
        assert login(client, make_user(role)).status_code == 302
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    with app.test_request_context():
        from flask import url_for

        url = url_for(endpoint, **{arg: URL_ARGS[arg](world) for arg in rule.arguments})
    response = client.open(url, method=method, data={})

    allowed = role in MATRIX[endpoint][method]
    if allowed:
        assert response.status_code not in (401, 403), response.status_code
        assert "/login" not in response.headers.get("Location", "") or endpoint in (
            "accounts.logout",
        )
    elif role == ANON:
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/login")
    else:
        assert response.status_code == 403


def test_csrf_token_is_required_for_state_changes(app, make_user):
    """With CSRF on (as in production), a POST without the token changes nothing."""
    from hoering.audit.models import AuditEvent

    app.config["WTF_CSRF_ENABLED"] = True
    try:
        user = make_user(Role.ADMIN)
        client = app.test_client()
        response = client.post("/login", data={"email": user.email, "password": "x"})
        assert response.status_code == 400
        response = client.post(
            "/organer/nyt", data={"name": "Ny", "abbreviation": "NY", "kind": "committee"}
        )
        assert response.status_code == 400
        assert db.session.query(AuditEvent).filter(
            AuditEvent.action.in_(["auth:login_failed", "body:create"])
        ).count() == 0
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_inactive_user_cannot_log_in_and_loses_access(client, make_user):
    user = make_user(Role.STAFF)
    accounts.update_user(user, name=user.name, email=user.email, role=user.role, active=False,
                         actor=None)
    db.session.commit()
    response = login(client, user)
    assert response.status_code == 200
    assert "Forkert e-mailadresse eller adgangskode" in response.get_data(as_text=True)
