"""Logging in and out over HTTP: audit events, throttling and the ``next`` redirect."""

from __future__ import annotations

import json
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from hoering.accounts.auth import attempted_address
from hoering.accounts.models import LoginFailure, Role
from hoering.audit.log import entry
from hoering.audit.models import AuditEvent
from hoering.core.clock import frozen_at
from hoering.core.db import db
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
    assert event.changes == attempted_address(email.lower())
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
# Per (e-mail, client IP) pair: after its 3rd failure the pair waits 1 s, then 2, 4, ...
# (at most 15 minutes); other clients, and addresses that have not failed from a client,
# are never refused. (Before: five failures locked the address for everyone for 15
# minutes, and twenty from one IP locked every user behind it.) The clock is frozen and
# moved by hand, so that the waits are exact.

ATTACKER = "10.0.0.66"
VICTIM = "10.0.0.7"
NAT = "10.0.0.1"


@pytest.fixture
def clock():
    """``clock.advance(seconds)`` moves the app's clock on (hoering.core.clock)."""
    with ExitStack() as stack:

        class Clock:
            now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

            def advance(self, seconds: float) -> None:
                self.now += timedelta(seconds=seconds)
                stack.enter_context(frozen_at(self.now))

        clock = Clock()
        stack.enter_context(frozen_at(clock.now))
        yield clock


def _from(ip: str) -> dict:
    return {"environ_base": {"REMOTE_ADDR": ip}}


def _throttled(response) -> int:
    """The wait a throttled answer gives (429, Danish message, Retry-After)."""
    assert response.status_code == 429, response.status_code
    page = response.get_data(as_text=True)
    assert THROTTLED in page
    assert WRONG not in page
    assert "Vent " in page and "og prøv igen" in page
    return int(response.headers["Retry-After"])


def test_the_third_failure_makes_the_pair_wait_and_each_next_one_doubles_it(
        app, client, make_user, clock):
    assert app.config["LOGIN_FREE_FAILURES_PER_PAIR"] == 3
    user = make_user()
    _fail(client, user.email, 3)
    waits = []
    for _ in range(5):
        response = login(client, user)  # the right password waits too: nothing is tried
        waits.append(_throttled(response))
        assert not _logged_in(client)
        clock.advance(waits[-1] - 1)
        _throttled(login(client, user))  # a second early is still too early
        clock.advance(1)
        _fail(client, user.email, 1)  # allowed again once the wait is over
    assert waits == [1, 2, 4, 8, 16]
    assert "Vent 32 sekunder, og prøv igen." in login(client, user).get_data(as_text=True)
    assert _events("auth:login") == []
    assert len(_events("auth:login_failed")) == 3 + 5


def test_the_wait_stops_at_the_maximum_in_danish_minutes(app, client, make_user, clock):
    user = make_user()
    for _ in range(14):
        db.session.add(LoginFailure(email=user.email, ip=TEST_IP))
    db.session.commit()
    response = login(client, user)
    assert _throttled(response) == app.config["LOGIN_MAX_DELAY_SECONDS"] == 900
    assert "Vent 15 minutter, og prøv igen." in response.get_data(as_text=True)
    clock.advance(900)
    assert login(client, user).status_code == 302


def test_a_throttled_attempt_is_audited_with_the_address_hashed(client, make_user, clock):
    user = make_user()
    _fail(client, user.email, 3)
    _throttled(login(client, user))
    (event,) = _events("auth:login_throttled")
    assert (event.actor_id, event.object_type) == (None, "user")
    assert event.changes == attempted_address(user.email)
    assert event.ip == TEST_IP
    assert len(_events("auth:login_failed")) == 3  # a refused attempt is no failure


def test_attacker_guessing_from_one_client_cannot_lock_the_victim_out(
        app, client, make_user, clock):
    victim = make_user()
    attacker = app.test_client()
    waits, failures = [], 0
    while failures < 50:  # the attacker fails 50 times, waiting each wait out
        response = _post_login(attacker, victim.email, f"gaet-{failures}", **_from(ATTACKER))
        if response.status_code == 429:
            waits.append(_throttled(response))
            clock.advance(waits[-1])
            continue
        assert WRONG in response.get_data(as_text=True)
        failures += 1
    assert waits[:10] == [1, 2, 4, 8, 16, 32, 64, 128, 256, 512]
    assert set(waits[10:]) == {900} and len(waits) == 47

    response = _post_login(client, victim.email, PASSWORD, **_from(VICTIM))  # at once

    assert response.status_code == 302
    assert _logged_in(client)
    (event,) = _events("auth:login")
    assert (event.actor_id, event.ip) == (victim.id, VICTIM)
    # and the attacker is still refused, with the right password too
    assert _throttled(_post_login(attacker, victim.email, PASSWORD, **_from(ATTACKER))) == 900
    assert not _logged_in(attacker)


def test_the_wait_is_per_address_in_any_case(client, make_user, clock):
    user = make_user(email="anna@kommune.dk")
    other = make_user()
    _fail(client, "ANNA@kommune.dk", 3)
    _throttled(_post_login(client, "anna@kommune.dk", PASSWORD))
    assert {e.object_id for e in _events("auth:login_failed")} == {user.id}
    assert login(client, other).status_code == 302  # same client, another address


def test_an_unknown_address_is_throttled_like_a_known_one(client, clock):
    _fail(client, "ukendt@kommune.dk", 3)
    _throttled(_post_login(client, "ukendt@kommune.dk", "noget"))


def test_many_failures_for_one_account_behind_a_nat_do_not_block_its_colleagues(
        app, client, make_user, clock):
    guessed, colleague = make_user(), make_user()
    guesser = app.test_client()
    for _ in range(20):  # every wait waited out
        clock.advance(app.config["LOGIN_MAX_DELAY_SECONDS"])
        _fail(guesser, guessed.email, 1, **_from(NAT))
    assert db.session.scalar(select(func.count()).select_from(LoginFailure)) == 20
    assert _throttled(_post_login(guesser, guessed.email, "gaet", **_from(NAT))) == 900

    response = _post_login(client, colleague.email, PASSWORD, **_from(NAT))

    assert response.status_code == 302
    assert _events("auth:login")[0].actor_id == colleague.id


def test_spraying_from_one_client_makes_every_tried_address_wait(
        app, client, make_user, clock):
    victims = [make_user() for _ in range(3)]
    colleague = make_user()
    limit = app.config["LOGIN_MAX_FAILURES_PER_IP"]
    assert limit == 20
    sprayer = app.test_client()
    addresses = [f"gaet{n}@kommune.dk" for n in range(limit - 3)] + [v.email for v in victims]
    for address in addresses:  # one guess each: no pair reaches three failures
        _fail(sprayer, address, 1, **_from(ATTACKER))

    # now a second guess on any of them waits, from that client only, and the waits
    # double with each further address tried
    assert _throttled(_post_login(sprayer, victims[0].email, "gaet", **_from(ATTACKER))) == 1
    for n in range(5):
        _fail(sprayer, f"flere{n}@kommune.dk", 1, **_from(ATTACKER))
    assert _throttled(_post_login(sprayer, victims[1].email, "gaet", **_from(ATTACKER))) == 32
    # a colleague behind the same address who has not failed logs in; so does a victim
    # from elsewhere
    assert _post_login(client, colleague.email, PASSWORD, **_from(ATTACKER)).status_code == 302
    other = app.test_client()
    assert _post_login(other, victims[2].email, PASSWORD, **_from(VICTIM)).status_code == 302


def test_spraying_counts_within_the_client_window_only(app, client, make_user, clock):
    user = make_user()
    for n in range(app.config["LOGIN_MAX_FAILURES_PER_IP"]):
        _fail(client, f"gaet{n}@kommune.dk", 1)
    _fail(client, user.email, 1)
    assert _throttled(login(client, user)) == 2  # 21 addresses from here: no free failure
    clock.advance(app.config["LOGIN_IP_WINDOW_MINUTES"] * 60 + 1)
    assert login(client, user).status_code == 302  # one failure of its own is free again


def test_a_successful_login_starts_the_pair_over(client, make_user, clock):
    user = make_user()
    _fail(client, user.email, 2)
    assert login(client, user).status_code == 302
    client.post("/logout")
    _fail(client, user.email, 2)
    assert login(client, user).status_code == 302
    assert _events("auth:login_throttled") == []
    assert db.session.scalar(select(func.count()).select_from(LoginFailure)) == 0


def test_failures_count_within_the_window_only(app, client, make_user, clock):
    user = make_user()
    _fail(client, user.email, 3)
    window = app.config["LOGIN_FAILURE_WINDOW_MINUTES"] * 60
    clock.advance(window - 60)
    _fail(client, user.email, 1)  # the fourth inside the window: the pair waits 2 s
    assert _throttled(login(client, user)) == 2
    clock.advance(120)  # the first three leave the window
    assert login(client, user).status_code == 302


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
