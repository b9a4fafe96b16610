"""Two-factor over HTTP: the code page after the password (no session before the code),
its expiry and throttling, the enrolment a role that requires it goes through before
anything else, single sign-on whose provider vouched for MFA, one's own pages, the
administrator's reset, CSRF, and what production refuses to start with."""

from __future__ import annotations

import re

import pytest
from flask import g, session
from sqlalchemy import func, select

from config import DEVELOPMENT_TOTP_KEY
from hoering import create_app
from hoering.accounts import operations as accounts
from hoering.accounts import two_factor
from hoering.accounts.models import LoginFailure, Role
from hoering.accounts.sessions import PENDING_LOGIN, TWO_FACTOR_SETUP
from hoering.accounts.two_factor import RecoveryCode, TwoFactorEnrolment
from hoering.accounts.views.login import finish_login
from hoering.audit.models import AuditEvent
from hoering.core.db import db
from tests.accounts import two_factor_helpers
from tests.accounts.two_factor_helpers import app_code, enrol
from tests.conftest import PASSWORD, login

clock = two_factor_helpers.clock  # a fixture of this module too
WRONG_CODE = "Koden er forkert eller allerede brugt."
THROTTLED = "For mange mislykkede loginforsøg"


def _events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def _in(client) -> bool:
    """Logged in: the dashboard answers 200 (else it sends the browser to log in)."""
    response = client.get("/")
    assert response.status_code in (200, 302), response.status_code
    return response.status_code == 200


def _code(client, code: str):
    return client.post("/login/kode", data={"code": code})


def _wrong(secret: str) -> str:
    window = {app_code(secret, steps) for steps in (-1, 0, 1)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in window)


@pytest.fixture
def required(app, monkeypatch):
    """Two-factor required of administrators and staff."""
    monkeypatch.setitem(app.config, "TWO_FACTOR_REQUIRED_ROLES", ("admin", "staff"))


def _secret_on(page: str) -> str:
    """The key the enrolment page shows for typing in (in groups of four)."""
    match = re.search(r'id="hemmelig-noegle">([A-Z2-7 ]+)<', page)
    assert match, page
    return match.group(1).replace(" ", "")


# --- the code page -------------------------------------------------------------------


def test_an_enrolled_user_gets_no_session_before_the_code(client, make_user, clock):
    user = make_user(Role.MEMBER)
    secret, _codes = enrol(user)
    clock.next_step()

    response = client.post("/login?next=/min-konto/adgangskode",
                           data={"email": user.email, "password": PASSWORD})

    assert (response.status_code, response.headers["Location"]) == (302, "/login/kode")
    assert not _in(client)
    assert client.get("/login/kode").status_code == 200
    response = _code(client, app_code(secret))
    assert (response.status_code, response.headers["Location"]) == (
        302, "/min-konto/adgangskode")
    assert _in(client)
    (passed,) = _events("auth:two_factor_passed")
    assert (passed.actor_id, passed.object_id) == (user.id, user.id)
    with client.session_transaction() as session:
        assert PENDING_LOGIN not in session


def test_a_wrong_code_is_refused_counted_and_audited(client, make_user, clock):
    user = make_user()
    secret, _codes = enrol(user)
    login(client, user)

    response = _code(client, _wrong(secret))

    assert response.status_code == 200
    assert WRONG_CODE in response.text
    assert not _in(client)
    assert len(_events("auth:two_factor_failed")) == 1
    assert db.session.scalar(select(func.count()).select_from(LoginFailure)) == 1


def test_a_code_used_once_does_not_log_in_again(client, make_user, clock):
    user = make_user()
    secret, _codes = enrol(user)
    clock.next_step()
    code = app_code(secret)
    login(client, user)
    assert _code(client, code).status_code == 302
    client.post("/logout")

    login(client, user)
    response = _code(client, code)

    assert WRONG_CODE in response.text and not _in(client)


def test_a_recovery_code_logs_in_once(client, make_user, clock):
    user = make_user()
    _secret, codes = enrol(user)
    login(client, user)
    assert _code(client, codes[0]).status_code == 302 and _in(client)
    assert len(_events("auth:two_factor_recovery_used")) == 1
    client.post("/logout")
    login(client, user)
    assert WRONG_CODE in _code(client, codes[0]).text


def test_the_code_page_waits_five_minutes_after_the_password(app, client, make_user, clock):
    assert app.config["TWO_FACTOR_LOGIN_MINUTES"] == 5
    user = make_user()
    secret, _codes = enrol(user)
    login(client, user)
    clock.advance(5 * 60 + 1)

    response = _code(client, app_code(secret))

    assert (response.status_code, response.headers["Location"]) == (302, "/login")
    assert "Log ind igen" in client.get("/login").text
    assert not _in(client)
    assert client.get("/login/kode").headers["Location"] == "/login"  # forgotten


def test_the_code_page_without_a_password_first_sends_to_the_login(client):
    assert client.get("/login/kode").headers["Location"] == "/login"
    assert _code(client, "123456").headers["Location"] == "/login"
    assert client.get("/login/tofaktor").headers["Location"] == "/login"


def test_ending_the_users_sessions_ends_a_waiting_login_too(client, make_user, clock):
    user = make_user()
    secret, _codes = enrol(user)
    login(client, user)
    accounts.end_sessions(user, actor=user)  # e.g. "Log ud på alle enheder" elsewhere
    db.session.commit()
    clock.next_step()
    assert _code(client, app_code(secret)).headers["Location"] == "/login"


def test_wrong_codes_wait_like_wrong_passwords_and_the_password_does_not_start_over(
        app, client, make_user, clock):
    assert app.config["LOGIN_FREE_FAILURES_PER_PAIR"] == 3
    user = make_user()
    secret, _codes = enrol(user)
    login(client, user)
    _code(client, _wrong(secret))
    _code(client, _wrong(secret))
    assert login(client, user).headers["Location"] == "/login/kode"  # the password again
    _code(client, _wrong(secret))  # the third failure of the pair

    response = _code(client, app_code(secret, 1))  # the right code waits too
    assert response.status_code == 429 and THROTTLED in response.text
    assert response.headers["Retry-After"] == "1"
    assert login(client, user).status_code == 429  # and so does the password
    clock.advance(1)
    assert login(client, user).status_code == 302
    assert _code(client, app_code(secret, 1)).status_code == 302 and _in(client)
    # in, the pair starts over
    assert db.session.scalar(select(func.count()).select_from(LoginFailure)) == 0


# --- required: the enrolment comes first ---------------------------------------------


def test_staff_required_to_use_two_factor_cannot_log_in_without_it(
        client, make_user, required, clock):
    staff = make_user(Role.STAFF)

    response = client.post("/login?next=/politikker/",
                           data={"email": staff.email, "password": PASSWORD})

    assert (response.status_code, response.headers["Location"]) == (302, "/login/tofaktor")
    for page in ("/", "/politikker/", "/min-konto/tofaktor", "/min-konto/adgangskode"):
        assert client.get(page).headers["Location"].startswith("/login"), page
    assert client.get("/login/kode").headers["Location"] == "/login/tofaktor"
    page = client.get("/login/tofaktor")
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"
    assert 'src="data:image/svg+xml' in page.text
    secret = _secret_on(page.text)
    assert _secret_on(client.get("/login/tofaktor").text) == secret  # the same, each visit

    wrong = client.post("/login/tofaktor", data={"code": _wrong(secret)})
    assert "Koden passer ikke" in wrong.text and not _in(client)

    done = client.post("/login/tofaktor", data={"code": app_code(secret)})

    assert done.status_code == 200
    codes = re.findall(r"<code>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})</code>", done.text)
    assert len(codes) == 10
    assert 'href="/politikker/"' in done.text  # on to where the login was going
    assert done.headers["Cache-Control"] == "no-store"
    assert _in(client)
    assert two_factor.is_enrolled(staff)
    assert [e.actor_id for e in _events("user:two_factor_enrol")] == [staff.id]
    assert secret not in " ".join(str(e.changes) for e in db.session.scalars(select(AuditEvent)))


def test_after_enrolling_the_next_login_asks_for_the_code(client, make_user, required, clock):
    staff = make_user(Role.STAFF)
    login(client, staff)
    secret = _secret_on(client.get("/login/tofaktor").text)
    client.post("/login/tofaktor", data={"code": app_code(secret)})
    client.post("/logout")

    assert login(client, staff).headers["Location"] == "/login/kode"
    assert not _in(client)
    clock.next_step()
    assert _code(client, app_code(secret)).status_code == 302 and _in(client)


def test_a_scanned_secret_survives_a_login_that_timed_out(client, make_user, required, clock):
    staff = make_user(Role.STAFF)
    login(client, staff)
    secret = _secret_on(client.get("/login/tofaktor").text)
    clock.advance(6 * 60)
    assert client.get("/login/tofaktor").headers["Location"] == "/login"
    login(client, staff)
    assert _secret_on(client.get("/login/tofaktor").text) == secret


def test_logging_out_forgets_a_secret_being_set_up(client, make_user):
    login(client, make_user())
    client.get("/min-konto/tofaktor")
    with client.session_transaction() as session:
        assert TWO_FACTOR_SETUP in session
    client.post("/logout")
    with client.session_transaction() as session:
        assert TWO_FACTOR_SETUP not in session


def test_roles_that_are_not_required_log_in_with_the_password_alone(
        client, make_user, required):
    member = make_user(Role.MEMBER)
    assert login(client, member).headers["Location"] == "/"
    assert _in(client)


def test_single_sign_on_whose_provider_vouched_for_mfa_skips_the_code(
        app, make_user, required, clock):
    staff, enrolled = make_user(Role.STAFF), make_user(Role.MEMBER)
    enrol(enrolled)
    for user, by_provider, where in [(staff, True, "/"), (enrolled, True, "/"),
                                     (staff, False, "/login/tofaktor"),
                                     (enrolled, False, "/login/kode")]:
        with app.test_request_context("/sso/svar"):
            g.client_ip = "127.0.0.1"
            response = finish_login(user, next_target=None, mfa_by_provider=by_provider)
            assert response.headers["Location"] == where
            assert ("_user_id" in session) is by_provider


# --- one's own pages -----------------------------------------------------------------


def test_a_user_enrols_from_their_account_and_their_other_sessions_end(
        app, client, make_user, clock):
    user = make_user(Role.MEMBER)
    login(client, user)
    other = app.test_client()
    login(other, user)
    page = client.get("/min-konto/tofaktor")
    assert "Opsæt totrinsbekræftelse" in page.text
    secret = _secret_on(page.text)

    done = client.post("/min-konto/tofaktor", data={"code": app_code(secret)})

    assert done.status_code == 200 and len(re.findall(r"<li><code>", done.text)) == 10
    assert _in(client) and not _in(other)
    assert "slået til siden" in client.get("/min-konto/tofaktor").text


def test_new_recovery_codes_need_a_current_code(client, make_user, clock):
    user = make_user()
    secret, old = enrol(user)
    login(client, user)
    clock.next_step()
    _code(client, app_code(secret))
    page = client.get("/min-konto/tofaktor/gendannelseskoder")
    assert page.status_code == 200 and "Kode" in page.text

    refused = client.post("/min-konto/tofaktor/gendannelseskoder", data={"code": _wrong(secret)})
    assert WRONG_CODE in refused.text
    assert _events("user:two_factor_recovery_codes") == []
    clock.next_step()
    done = client.post("/min-konto/tofaktor/gendannelseskoder", data={"code": app_code(secret)})

    new = re.findall(r"<code>([a-z2-9-]{14})</code>", done.text)
    assert len(new) == 10 and not set(new) & set(old)
    assert len(_events("user:two_factor_recovery_codes")) == 1
    assert db.session.scalar(select(func.count()).select_from(RecoveryCode).where(
        RecoveryCode.code_hash == two_factor._hash(old[0]))) == 0


def test_a_user_switches_two_factor_off_with_a_code(client, make_user, clock):
    user = make_user(Role.MEMBER)
    secret, codes = enrol(user)
    login(client, user)
    _code(client, codes[0])

    response = client.post("/min-konto/tofaktor/slaa-fra", data={"code": codes[1]})

    assert response.headers["Location"] == "/min-konto/tofaktor"
    assert not two_factor.is_enrolled(user)
    assert len(_events("user:two_factor_disable")) == 1
    client.post("/logout")
    assert login(client, user).headers["Location"] == "/"  # the password alone again


def test_a_role_that_requires_two_factor_cannot_switch_it_off(
        client, make_user, required, clock):
    staff = make_user(Role.STAFF)
    secret, codes = enrol(staff)
    login(client, staff)
    _code(client, codes[0])
    assert "Slå totrinsbekræftelse fra" not in client.get("/min-konto/tofaktor").text
    assert client.get("/min-konto/tofaktor/slaa-fra").headers["Location"] == (
        "/min-konto/tofaktor")

    response = client.post("/min-konto/tofaktor/slaa-fra", data={"code": codes[1]})

    assert response.status_code == 409
    assert two_factor.is_enrolled(staff)


def test_the_pages_that_change_two_factor_send_the_unenrolled_to_their_account(
        client, make_user):
    login(client, make_user())
    for page in ("/min-konto/tofaktor/gendannelseskoder", "/min-konto/tofaktor/slaa-fra"):
        assert client.get(page).headers["Location"] == "/min-konto/tofaktor"
        assert client.post(page, data={"code": "123456"}).headers["Location"] == (
            "/min-konto/tofaktor")


# --- the administrator's reset -------------------------------------------------------


def test_an_administrator_resets_a_users_two_factor(app, client, make_user, required, clock):
    staff = make_user(Role.STAFF)
    secret, _codes = enrol(staff)
    staff_client = app.test_client()
    login(staff_client, staff)
    _code(staff_client, app_code(secret, 1))
    assert _in(staff_client)
    admin = make_user(Role.ADMIN)
    _admin_secret, admin_codes = enrol(admin)
    login(client, admin)
    _code(client, admin_codes[0])
    user_page = client.get(f"/brugere/{staff.id}").text
    assert "Nulstil totrinsbekræftelse" in user_page and "Slået til siden" in user_page
    assert "Nulstil totrinsbekræftelse" in client.get(
        f"/brugere/{staff.id}/tofaktor/nulstil").text

    response = client.post(f"/brugere/{staff.id}/tofaktor/nulstil")

    assert response.headers["Location"] == f"/brugere/{staff.id}"
    assert not two_factor.is_enrolled(staff)
    assert not _in(staff_client)  # logged out everywhere
    assert "rollen kræver det" in client.get(f"/brugere/{staff.id}").text
    (event,) = _events("user:two_factor_reset")
    assert (event.actor_id, event.object_id) == (admin.id, staff.id)
    # at the next login the enrolment comes first again
    assert login(staff_client, staff).headers["Location"] == "/login/tofaktor"


def test_an_administrators_own_reset_goes_to_their_account_page(client, make_user):
    admin = make_user(Role.ADMIN)
    login(client, admin)
    assert client.get(f"/brugere/{admin.id}/tofaktor/nulstil").headers["Location"] == (
        "/min-konto/tofaktor")


def test_resetting_a_user_without_two_factor_is_refused(client, make_user):
    user = make_user()
    login(client, make_user(Role.ADMIN))
    assert "Nulstil totrinsbekræftelse" not in client.get(f"/brugere/{user.id}").text
    assert client.post(f"/brugere/{user.id}/tofaktor/nulstil").status_code == 409


# --- CSRF ----------------------------------------------------------------------------


def test_every_post_needs_a_csrf_token(app, client, make_user, clock):
    user, admin = make_user(), make_user(Role.ADMIN)
    secret, codes = enrol(user)
    login(client, user)  # the password step, without CSRF
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        clock.next_step()
        assert _code(client, app_code(secret)).status_code == 400
        assert not _in(client)
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    login(client, user)
    _code(client, app_code(secret))
    admin_client = app.test_client()
    login(admin_client, admin)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        for url, data in [("/min-konto/tofaktor/gendannelseskoder", {"code": codes[0]}),
                          ("/min-konto/tofaktor/slaa-fra", {"code": codes[1]})]:
            assert client.post(url, data=data).status_code == 400, url
        assert admin_client.post(f"/brugere/{user.id}/tofaktor/nulstil").status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert two_factor.is_enrolled(user) and two_factor.recovery_codes_left(user) == 10
    assert _events("user:two_factor_reset") == _events("user:two_factor_disable") == []


def test_enrolling_needs_a_csrf_token(app, client, make_user, clock):
    user = make_user()
    login(client, user)
    secret = _secret_on(client.get("/min-konto/tofaktor").text)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert client.post("/min-konto/tofaktor",
                           data={"code": app_code(secret)}).status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert db.session.scalar(select(func.count()).select_from(TwoFactorEnrolment)) == 0


# --- configuration -------------------------------------------------------------------

PRODUCTION = {"SECRET_KEY": "x" * 64, "SQLALCHEMY_DATABASE_URI": "sqlite://"}
A_KEY = "7q2VUQd7a6m2YX1o6CzLxI9sUcqTS3zQ0bJb1yCNbV0="


@pytest.mark.parametrize(("settings", "message"), [
    ({"TWO_FACTOR_REQUIRED_ROLES": ("admin",), "TOTP_ENCRYPTION_KEY": None},
     "TOTP_ENCRYPTION_KEY skal sættes"),
    ({"TOTP_ENCRYPTION_KEY": DEVELOPMENT_TOTP_KEY}, "ikke udviklingsnøglen"),
    ({"TOTP_ENCRYPTION_KEY": "for-kort"}, "Fernet-nøgle"),
    ({"TOTP_ENCRYPTION_KEY": f"{A_KEY},{DEVELOPMENT_TOTP_KEY}"}, "ikke udviklingsnøglen"),
])
def test_production_refuses_two_factor_without_a_key_of_its_own(settings, message):
    with pytest.raises(RuntimeError, match=message) as refusal:
        create_app("production", {**PRODUCTION, **settings})
    assert "Fernet.generate_key()" in str(refusal.value)  # how to make one


def test_production_starts_with_a_key_or_without_two_factor():
    with_key = create_app("production", {**PRODUCTION, "TOTP_ENCRYPTION_KEY": A_KEY,
                                         "TWO_FACTOR_REQUIRED_ROLES": ("admin", "staff")})
    without = create_app("production", PRODUCTION)
    with with_key.app_context():
        assert two_factor.available()
    with without.app_context():
        assert not two_factor.available()  # nobody can enrol


@pytest.mark.parametrize("config_name", ["development", "testing", "production"])
def test_an_unknown_role_in_the_setting_refuses_to_start(config_name):
    with pytest.raises(RuntimeError, match="roller, der ikke findes: staf"):
        create_app(config_name, {**PRODUCTION, "TOTP_ENCRYPTION_KEY": A_KEY,
                                 "TWO_FACTOR_REQUIRED_ROLES": ("admin", "staf")})


def test_without_a_key_the_account_page_says_two_factor_is_not_set_up(
        app, client, make_user, monkeypatch):
    login(client, make_user())
    monkeypatch.setitem(app.config, "TOTP_ENCRYPTION_KEY", None)
    response = client.get("/min-konto/tofaktor")
    assert response.status_code == 503
    assert "ikke sat op på denne installation" in response.text


# --- operator commands ---------------------------------------------------------------


def test_the_operator_resets_a_users_two_factor_from_the_command_line(app, make_user, clock):
    user = make_user(Role.ADMIN, email="eneste@kommune.dk")
    enrol(user)
    result = app.test_cli_runner().invoke(args=["users", "reset-two-factor", "Eneste@kommune.dk"])
    assert result.exit_code == 0, result.output
    assert not two_factor.is_enrolled(user)
    (event,) = _events("user:two_factor_reset")
    assert event.actor_id is None
    again = app.test_cli_runner().invoke(args=["users", "reset-two-factor", user.email])
    assert again.exit_code == 1 and "har ikke totrinsbekræftelse" in again.output


def test_the_operator_rekeys_from_the_command_line(app, make_user, clock):
    enrol(make_user())
    result = app.test_cli_runner().invoke(args=["users", "rekey-two-factor"])
    assert result.exit_code == 0 and "1 hemmeligheder" in result.output
