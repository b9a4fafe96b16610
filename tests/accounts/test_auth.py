"""Logging in and out over HTTP: audit events, throttling and the ``next`` redirect."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from hoering.accounts.auth import _attempted
from hoering.accounts.models import LoginFailure, Role
from hoering.audit.log import entry
from hoering.audit.models import AuditEvent
from hoering.core.db import db, now_utc
from tests.conftest import PASSWORD, login

WRONG = "Forkert e-mailadresse eller adgangskode."
THROTTLED = "For mange mislykkede loginforsøg"
TEST_IP = "127.0.0.1"  # the test client's REMOTE_ADDR


def _events(action: str | None = None) -> list[AuditEvent]:
    query = select(AuditEvent).order_by(AuditEvent.id)
    if action is not None:
        query = query.where(AuditEvent.action == action)
    return list(db.session.scalars(query))


def _post_login(client, email: str, password: str, **kwargs):
    return client.post("/login", data={"email": email, "password": password}, **kwargs)


def _logged_in(client) -> bool:
    with client.session_transaction() as session:
        return "_user_id" in session


def _fail(client, email: str, times: int, **kwargs) -> None:
    for _ in range(times):
        response = _post_login(client, email, "not-the-password", **kwargs)
        assert response.status_code == 200
        assert WRONG in response.get_data(as_text=True)


# --- login and logout ----------------------------------------------------------------


def test_successful_login_is_audited(client, make_user):
    user = make_user(Role.STAFF)

    response = login(client, user)

    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert _logged_in(client)
    (event,) = _events("auth:login")
    assert (event.actor_id, event.actor_label) == (user.id, user.email)
    assert (event.object_type, event.object_id) == ("user", user.id)
    assert event.ip == TEST_IP
    assert event.request_id
    assert event.request_id == response.headers["X-Request-ID"]


def test_login_accepts_the_email_in_any_case(client, make_user):
    user = make_user(email="anna@kommune.dk")
    response = _post_login(client, "Anna@KOMMUNE.dk", PASSWORD)
    assert response.status_code == 302
    assert _events("auth:login")[0].actor_id == user.id


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("bruger1@kommune.dk", "wrong-password"),  # known user, wrong password
        ("ukendt@kommune.dk", PASSWORD),  # unknown e-mail
        ("BRUGER1@kommune.dk", PASSWORD.upper()),  # passwords are case-sensitive
    ],
)
def test_failed_login_is_audited_and_explained(client, make_user, email, password):
    user = make_user()
    assert user.email == "bruger1@kommune.dk"

    response = _post_login(client, email, password)

    assert response.status_code == 200
    assert WRONG in response.get_data(as_text=True)
    assert not _logged_in(client)
    assert _events("auth:login") == []
    (event,) = _events("auth:login_failed")
    assert (event.actor_id, event.actor_label) == (None, "system")
    assert event.object_type == "user"
    assert event.object_id == (user.id if email.lower() == user.email else None)
    # the address typed, as a keyed hash: the same for the same address, never the address
    assert set(event.changes) == {"email_hmac"}
    assert email.lower() not in json.dumps(event.changes)
    assert event.changes == _attempted(email.lower())
    assert event.ip == TEST_IP
    assert event.request_id == response.headers["X-Request-ID"]
    failures = db.session.scalars(select(LoginFailure)).all()
    assert [(f.email, f.ip) for f in failures] == [(email.lower(), TEST_IP)]


def test_wrong_password_and_unknown_email_look_the_same(client, make_user):
    user = make_user()
    wrong_password = _post_login(client, user.email, "wrong-password").get_data(as_text=True)
    unknown = _post_login(client, "ukendt@kommune.dk", PASSWORD).get_data(as_text=True)
    assert WRONG in wrong_password
    assert WRONG in unknown


def test_logout_is_audited(client, make_user):
    user = make_user()
    assert login(client, user).status_code == 302

    response = client.post("/logout")

    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    assert not _logged_in(client)
    (event,) = _events("auth:logout")
    assert (event.actor_id, event.actor_label) == (user.id, user.email)
    assert (event.object_type, event.object_id) == ("user", user.id)
    assert event.ip == TEST_IP
    assert event.request_id == response.headers["X-Request-ID"]


def test_password_is_never_in_the_audit_trail(client, make_user):
    user = make_user()
    _post_login(client, user.email, "typo-" + PASSWORD)
    login(client, user)
    trail = " ".join(entry(e).decode() for e in _events())
    assert PASSWORD not in trail
    assert user.password_hash not in trail


# --- throttling ----------------------------------------------------------------------


def test_too_many_failures_lock_the_email(app, client, make_user):
    user = make_user()
    limit = app.config["LOGIN_MAX_FAILURES_PER_EMAIL"]
    assert limit == 5
    _fail(client, user.email, limit)

    response = login(client, user)  # the right password, too late

    assert response.status_code == 429  # the login form again, as Too Many Requests
    page = response.get_data(as_text=True)
    assert THROTTLED in page
    assert WRONG not in page
    assert not _logged_in(client)
    assert client.get("/").headers["Location"].startswith("/login")
    assert _events("auth:login") == []
    (event,) = _events("auth:login_throttled")
    assert (event.actor_id, event.object_type) == (None, "user")
    assert event.changes == _attempted(user.email)
    assert {e.changes["email_hmac"]["after"] for e in _events("auth:login_failed")} == {
        _attempted(user.email)["email_hmac"]["after"]}
    assert event.ip == TEST_IP
    assert len(_events("auth:login_failed")) == limit


def test_one_failure_below_the_limit_still_allows_login(app, client, make_user):
    user = make_user()
    _fail(client, user.email, app.config["LOGIN_MAX_FAILURES_PER_EMAIL"] - 1)
    response = login(client, user)
    assert response.status_code == 302
    assert _events("auth:login_throttled") == []


def test_the_lock_applies_to_the_email_in_any_case(app, client, make_user):
    user = make_user(email="anna@kommune.dk")
    _fail(client, "ANNA@kommune.dk", app.config["LOGIN_MAX_FAILURES_PER_EMAIL"])
    response = _post_login(client, "anna@kommune.dk", PASSWORD)
    assert THROTTLED in response.get_data(as_text=True)
    assert _events("auth:login") == []
    assert not _logged_in(client)
    assert len(_events("auth:login_failed")) == app.config["LOGIN_MAX_FAILURES_PER_EMAIL"]
    assert {e.object_id for e in _events("auth:login_failed")} == {user.id}


def test_failures_for_another_email_do_not_lock_this_one(app, client, make_user):
    user, other = make_user(), make_user()
    per_email = app.config["LOGIN_MAX_FAILURES_PER_EMAIL"]
    assert 2 * per_email < app.config["LOGIN_MAX_FAILURES_PER_IP"]
    _fail(client, other.email, per_email)
    _fail(client, "ukendt@kommune.dk", per_email)

    response = login(client, user)

    assert response.status_code == 302
    assert _logged_in(client)
    assert _events("auth:login_throttled") == []


def test_too_many_failures_from_one_ip_lock_every_email_from_it(app, client, make_user):
    user = make_user()
    per_email = app.config["LOGIN_MAX_FAILURES_PER_EMAIL"]
    per_ip = app.config["LOGIN_MAX_FAILURES_PER_IP"]
    for n in range(per_ip):  # never more than ``per_email`` for any single address
        _fail(client, f"gaet{n // (per_email - 1)}@kommune.dk", 1)

    from_same_ip = login(client, user)
    assert THROTTLED in from_same_ip.get_data(as_text=True)

    from_other_ip = _post_login(
        app.test_client(), user.email, PASSWORD, environ_base={"REMOTE_ADDR": "10.0.0.7"}
    )
    assert from_other_ip.status_code == 302
    (event,) = _events("auth:login")
    assert event.ip == "10.0.0.7"


def test_login_works_again_after_the_window(app, client, make_user):
    user = make_user()
    _fail(client, user.email, app.config["LOGIN_MAX_FAILURES_PER_EMAIL"])
    assert THROTTLED in login(client, user).get_data(as_text=True)

    window = timedelta(minutes=app.config["LOGIN_FAILURE_WINDOW_MINUTES"])
    db.session.execute(
        update(LoginFailure).values(occurred_at=now_utc() - window - timedelta(minutes=1))
    )
    db.session.commit()

    response = login(client, user)
    assert response.status_code == 302
    assert _logged_in(client)
    assert len(_events("auth:login")) == 1


def test_failures_just_inside_the_window_still_count(app, client, make_user):
    user = make_user()
    _fail(client, user.email, app.config["LOGIN_MAX_FAILURES_PER_EMAIL"])
    window = timedelta(minutes=app.config["LOGIN_FAILURE_WINDOW_MINUTES"])
    db.session.execute(
        update(LoginFailure).values(occurred_at=now_utc() - window + timedelta(minutes=1))
    )
    db.session.commit()
    assert THROTTLED in login(client, user).get_data(as_text=True)


# --- the ``next`` parameter ----------------------------------------------------------


@pytest.mark.parametrize(
    ("next_url", "location"),
    [
        ("/politikker/", "/politikker/"),
        ("/politikker/?side=2", "/politikker/?side=2"),
        ("https://evil.example", "/"),
        ("https://evil.example/politikker/", "/"),
        ("//evil.example", "/"),
        ("//evil.example/politikker/", "/"),
        ("/\t/evil.example", "/"),  # browsers drop the tab: //evil.example
        ("http:/evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("politikker/", "/"),
        ("", "/"),
    ],
)
def test_next_is_followed_only_for_local_paths(client, make_user, next_url, location):
    user = make_user()
    response = client.post(
        "/login", query_string={"next": next_url},
        data={"email": user.email, "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == location


def test_backslash_next_does_not_leave_the_site(client, make_user):
    """Browsers read ``/\\evil.example`` as ``//evil.example``."""
    user = make_user()
    response = client.post(
        "/login", query_string={"next": "/\\evil.example"},
        data={"email": user.email, "password": PASSWORD},
    )
    location = response.headers["Location"]
    assert not location.replace("\\", "/").startswith("//")
    assert "\\" not in location


# --- request ids ---------------------------------------------------------------------


def test_a_valid_request_id_header_is_kept_and_stored(client, make_user):
    user = make_user()
    response = client.post(
        "/login", data={"email": user.email, "password": PASSWORD},
        headers={"X-Request-ID": "req-2024.06.08_abc"},
    )
    assert response.headers["X-Request-ID"] == "req-2024.06.08_abc"
    (event,) = _events("auth:login")
    assert event.request_id == "req-2024.06.08_abc"


@pytest.mark.parametrize(
    "header", ["kort", "x" * 65, "has spaces in it", "semi;colon-0001", "<script>1234"]
)
def test_an_invalid_request_id_header_is_replaced(client, make_user, header):
    user = make_user()
    response = client.post(
        "/login", data={"email": user.email, "password": PASSWORD},
        headers={"X-Request-ID": header},
    )
    generated = response.headers["X-Request-ID"]
    assert generated != header
    assert len(generated) == 32
    assert _events("auth:login")[0].request_id == generated


def test_every_response_has_a_request_id(client):
    first, second = client.get("/login"), client.get("/login")
    assert first.headers["X-Request-ID"]
    assert first.headers["X-Request-ID"] != second.headers["X-Request-ID"]
