"""Sessions that end: a session cookie copied before a logout, a new password, a changed
role or a deactivation no longer logs anyone in (each test shows the copy working before
and refused after); idle and absolute lifetimes; "Log ud på alle enheder"; and what was
typed into a form when the session expired comes back after the next login."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from hoering.accounts import operations as accounts
from hoering.accounts import tokens
from hoering.accounts.models import FormStash, Role, User
from hoering.accounts.sessions import LOGIN_AT, SEEN_AT, STASH_TOKEN
from hoering.audit.models import AuditEvent
from hoering.core.db import db, now_utc
from hoering.policies import operations as policies
from tests.conftest import PASSWORD, login

NEW_PASSWORD = "tromle-fyr-6-lampe"


def _copy_of(app: Flask, client: FlaskClient) -> FlaskClient:
    """Another browser holding a copy of ``client``'s session cookie (a captured one)."""
    copy = app.test_client()
    copy.set_cookie("session", client.get_cookie("session").value)
    return copy


def _in(client: FlaskClient) -> bool:
    """The client's session is logged in: the dashboard answers 200, not the login page."""
    response = client.get("/")
    assert response.status_code in (200, 302), response.status_code
    return response.status_code == 200


def _events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def _logged_in_copy(app, client, make_user, role=Role.STAFF) -> tuple[User, FlaskClient]:
    user = make_user(role)
    assert login(client, user).status_code == 302
    copy = _copy_of(app, client)
    assert _in(copy)  # the copy works while the session lives
    return user, copy


# --- the session version -------------------------------------------------------------


def test_the_session_user_id_carries_the_session_version(client, make_user):
    user = make_user()
    login(client, user)
    with client.session_transaction() as session:
        assert session["_user_id"] == f"{user.id}:1" == user.get_id()


def test_a_cookie_copied_before_logout_is_refused_after_it(app, client, make_user):
    user, copy = _logged_in_copy(app, client, make_user)

    assert client.post("/logout").status_code == 302

    assert not _in(copy)
    assert copy.get("/").headers["Location"].startswith("/login")
    assert user.session_version == 2


def test_a_cookie_copied_before_ones_own_password_change_is_refused_after_it(
        app, client, make_user):
    _user, copy = _logged_in_copy(app, client, make_user)

    response = client.post("/min-konto/adgangskode", data={
        "current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})

    assert response.status_code == 302
    assert not _in(copy)
    assert _in(client)  # the browser that changed it stays logged in


def test_a_cookie_copied_before_a_password_reset_is_refused_after_it(app, client, make_user):
    user, copy = _logged_in_copy(app, client, make_user)
    plain = tokens.issue_token(tokens.TokenPurpose.PASSWORD_RESET, user_id=user.id,
                               expires_at=now_utc() + timedelta(hours=1)).plain
    db.session.commit()

    response = app.test_client().post(f"/nulstil-adgangskode/{plain}",
                                      data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})

    assert response.status_code == 302
    assert not _in(copy)
    assert not _in(client)


def test_a_cookie_copied_before_deactivation_stays_refused_after_reactivation(
        app, client, make_user):
    user, copy = _logged_in_copy(app, client, make_user)
    for active in (False, True):
        accounts.update_user(user, name=user.name, email=user.email, role=user.role,
                             active=active, actor=None)
        db.session.commit()

    assert not _in(copy)
    assert login(app.test_client(), user).status_code == 302  # a new login works


def test_a_cookie_copied_before_a_role_change_is_refused_after_it(app, client, make_user):
    user, copy = _logged_in_copy(app, client, make_user, Role.ADMIN)
    admin = make_user(Role.ADMIN)
    accounts.update_user(user, name=user.name, email=user.email, role=Role.MEMBER,
                         active=True, actor=admin)
    db.session.commit()

    assert not _in(copy)
    assert copy.get("/brugere/ny").status_code == 302  # to the login page, not the form


def test_a_change_of_name_leaves_the_sessions_alone(app, client, make_user):
    user, copy = _logged_in_copy(app, client, make_user)
    accounts.update_user(user, name="Nyt Navn", email=user.email, role=user.role,
                         active=True, actor=None)
    db.session.commit()
    assert _in(copy) and _in(client)


def test_a_session_from_before_versions_is_refused(client, make_user):
    user = make_user()
    login(client, user)
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)  # what sessions held before the upgrade
    assert not _in(client)


# --- "Log ud på alle enheder" --------------------------------------------------------


def test_an_administrator_logs_a_user_out_everywhere_after_confirming(app, client, make_user):
    user, copy = _logged_in_copy(app, client, make_user)
    admin = make_user(Role.ADMIN)
    admin_client = app.test_client()
    login(admin_client, admin)
    page = admin_client.get(f"/brugere/{user.id}").get_data(as_text=True)
    assert f'href="/brugere/{user.id}/log-ud-overalt"' in page

    question = admin_client.get(f"/brugere/{user.id}/log-ud-overalt")
    assert question.status_code == 200
    assert "Vil du logge" in question.get_data(as_text=True)
    assert _in(copy)  # asking changes nothing

    response = admin_client.post(f"/brugere/{user.id}/log-ud-overalt")

    assert response.status_code == 302
    assert response.headers["Location"] == f"/brugere/{user.id}"
    assert f"{user.name} er logget ud på alle enheder." in admin_client.get(
        f"/brugere/{user.id}").get_data(as_text=True)
    assert not _in(copy) and not _in(client)
    assert _in(admin_client)
    (event,) = _events("user:end_sessions")
    assert (event.actor_id, event.object_type, event.object_id) == (admin.id, "user", user.id)
    assert event.changes == {}


def test_only_administrators_log_others_out_everywhere(app, client, make_user):
    user, copy = _logged_in_copy(app, client, make_user)
    other = make_user(Role.STAFF)
    other_client = app.test_client()
    login(other_client, other)
    assert other_client.post(f"/brugere/{user.id}/log-ud-overalt").status_code == 403
    assert _in(copy)
    assert _events("user:end_sessions") == []


def test_a_user_logs_themself_out_everywhere(app, client, make_user):
    user, copy = _logged_in_copy(app, client, make_user, Role.MEMBER)
    page = client.get("/min-konto/adgangskode").get_data(as_text=True)
    assert 'href="/min-konto/log-ud-overalt"' in page
    assert "Log ud på alle enheder" in client.get("/min-konto/log-ud-overalt").get_data(
        as_text=True)

    response = client.post("/min-konto/log-ud-overalt")

    assert response.status_code == 302
    assert response.headers["Location"] == "/login"
    assert not _in(copy) and not _in(client)
    (event,) = _events("user:end_sessions")
    assert (event.actor_id, event.object_id) == (user.id, user.id)
    assert "Du er logget ud på alle enheder." in client.get("/login").get_data(as_text=True)


def test_ending_sessions_needs_a_csrf_token(app, client, make_user):
    user, copy = _logged_in_copy(app, client, make_user)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert client.post("/min-konto/log-ud-overalt").status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert _in(copy)


# --- idle and absolute lifetimes -----------------------------------------------------


def _shift(client: FlaskClient, key: str, seconds: int) -> None:
    with client.session_transaction() as session:
        session[key] -= seconds


def test_a_session_idle_longer_than_the_limit_ends(app, client, make_user):
    assert app.config["SESSION_IDLE_MINUTES"] == 60
    login(client, make_user())
    _shift(client, SEEN_AT, 59 * 60)
    assert _in(client)  # and that request counts as activity:
    _shift(client, SEEN_AT, 59 * 60)
    assert _in(client)
    _shift(client, SEEN_AT, 61 * 60)

    response = client.get("/politikker/?side=2")

    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/politikker/?side%3D2"
    assert "din session var udløbet" in client.get("/login").get_data(as_text=True)
    assert not _in(client)


def test_a_session_ends_at_its_absolute_lifetime_however_busy(app, client, make_user):
    login(client, make_user())
    lifetime = int(app.permanent_session_lifetime.total_seconds())
    assert lifetime == 8 * 60 * 60
    _shift(client, LOGIN_AT, lifetime - 60)
    assert _in(client)
    _shift(client, LOGIN_AT, 120)  # seen a moment ago, but logged in 8 hours and a minute
    assert not _in(client)


def test_the_lifetimes_are_settings(app, client, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "SESSION_IDLE_MINUTES", 5)
    monkeypatch.setitem(app.config, "PERMANENT_SESSION_LIFETIME", 3600)
    login(client, make_user())
    _shift(client, SEEN_AT, 6 * 60)
    assert not _in(client)
    login(client, make_user())
    _shift(client, LOGIN_AT, 3601)
    assert not _in(client)


def test_public_pages_go_on_after_the_session_expired(client, make_user):
    login(client, make_user())
    _shift(client, SEEN_AT, 61 * 60)
    assert client.get("/login").status_code == 200  # the login form, not a redirect


# --- what was typed when the session expired -----------------------------------------


@pytest.fixture
def policy(make_body):
    body = make_body("SOU", "Socialudvalget")
    policy = policies.create_policy(
        title="Politik for digitalisering", journal_number="85.13.00-P00-1-23",
        description="Den gamle beskrivelse.", owner_body=body, actor=None)
    db.session.commit()
    return policy


def _typed(policy) -> dict:
    return {"title": "Ny titel skrevet i en time", "owner_body_id": policy.owner_body_id,
            "journal_number": "85.13.00-P00-1-23",
            "description": "Lang tekst, skrevet mens sessionen udløb. <b>fed</b>",
            "csrf_token": "et-gammelt-token"}


def _expire_while_typing(client, policy) -> object:
    url = f"/politikker/{policy.id}/rediger"
    assert client.get(url).status_code == 200
    _shift(client, SEEN_AT, 61 * 60)
    return client.post(url, data=_typed(policy), headers={"Referer": f"http://localhost{url}"})


def test_a_form_posted_after_expiry_comes_back_filled_in_after_login(client, make_user,
                                                                      policy):
    staff = make_user(Role.STAFF)
    login(client, staff)
    url = f"/politikker/{policy.id}/rediger"

    response = _expire_while_typing(client, policy)

    assert response.status_code == 302
    assert response.headers["Location"] == f"/login?next={url}"
    db.session.expire_all()
    assert policy.title == "Politik for digitalisering"  # nothing saved
    stash = db.session.scalar(select(FormStash))
    assert (stash.user_id, stash.page) == (staff.id, url)
    names = [name for name, _value in stash.fields]
    assert "csrf_token" not in names and "title" in names
    with client.session_transaction() as session:
        assert STASH_TOKEN in session and stash.token_hash not in session.values()
    assert "det, du skrev, bliver sat ind igen" in client.get("/login").get_data(as_text=True)

    after_login = client.post(f"/login?next={url}",
                              data={"email": staff.email, "password": PASSWORD})
    assert after_login.headers["Location"] == url
    page = client.get(url).get_data(as_text=True)

    assert 'value="Ny titel skrevet i en time"' in page
    assert "Lang tekst, skrevet mens sessionen udløb. &lt;b&gt;fed&lt;/b&gt;" in page
    assert "Det, du havde skrevet, er sat ind igen" in page
    assert db.session.scalar(select(func.count()).select_from(FormStash)) == 0
    (created,) = _events("form_stash:create")
    (restored,) = _events("form_stash:restore")
    assert created.actor_id == restored.actor_id == staff.id
    assert created.changes == restored.changes == {}
    # once: the next visit shows the saved values again
    again = client.get(url).get_data(as_text=True)
    assert 'value="Politik for digitalisering"' in again
    assert "Ny titel skrevet i en time" not in again


def test_another_user_logging_in_on_that_browser_never_sees_the_text(client, make_user,
                                                                     policy):
    staff, colleague = make_user(Role.STAFF), make_user(Role.STAFF)
    login(client, staff)
    _expire_while_typing(client, policy)

    login(client, colleague)
    page = client.get(f"/politikker/{policy.id}/rediger").get_data(as_text=True)

    assert "Ny titel skrevet i en time" not in page
    assert db.session.scalar(select(func.count()).select_from(FormStash)) == 0
    assert _events("form_stash:restore") == []


def test_the_text_waits_for_the_forms_page(client, make_user, policy):
    staff = make_user(Role.STAFF)
    login(client, staff)
    _expire_while_typing(client, policy)
    client.post("/login", data={"email": staff.email, "password": PASSWORD})
    assert client.get("/").status_code == 200  # elsewhere first
    page = client.get(f"/politikker/{policy.id}/rediger").get_data(as_text=True)
    assert 'value="Ny titel skrevet i en time"' in page


def test_passwords_are_never_kept(client, make_user):
    login(client, make_user())
    _shift(client, SEEN_AT, 61 * 60)
    response = client.post("/min-konto/adgangskode", data={
        "current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/min-konto/adgangskode"
    assert db.session.scalar(select(func.count()).select_from(FormStash)) == 0


def test_a_post_without_a_session_is_not_kept(client, policy):
    response = client.post(f"/politikker/{policy.id}/rediger", data=_typed(policy))
    assert response.headers["Location"].startswith("/login")
    assert db.session.scalar(select(func.count()).select_from(FormStash)) == 0


def test_a_stash_nobody_claimed_is_forgotten_after_a_sessions_lifetime(
        app, client, make_user, policy):
    from datetime import timedelta

    staff = make_user(Role.STAFF)
    login(client, staff)
    _expire_while_typing(client, policy)
    stash = db.session.scalar(select(FormStash))
    stash.created_at -= app.permanent_session_lifetime + timedelta(minutes=1)
    db.session.commit()

    login(app.test_client(), make_user())  # any login prunes

    assert db.session.scalar(select(func.count()).select_from(FormStash)) == 0
