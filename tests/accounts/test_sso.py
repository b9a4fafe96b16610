"""Single sign-on against a real OpenID Connect provider on loopback (tests/oidc_provider.py):
a bound identity logs in; an invited account binds its identity at its first login and the
invitation is used up; an administrator binds and unbinds; an e-mail address matches only
when the configuration and the id_token (the JSON boolean) both say so. Refused, with no
session, a clear message, an audit event and no user created: a wrong signature, another
audience, an expired token, a replayed nonce, an unmatched subject, a callback used before.
SSO_ONLY_ROLES keeps staff from passwords, not members; without an issuer nothing shows."""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select

from hoering.accounts import identities, invitations, sso, sso_policy
from hoering.accounts import operations as accounts
from hoering.accounts.identities import BoundBy, UserIdentity
from hoering.accounts.models import Role, User
from hoering.audit.models import AuditEvent
from hoering.core.db import db
from tests.conftest import login
from tests.oidc_provider import CLIENT_ID

PROVIDER = "Testkommunens login"
UNMATCHED = (f"Dit login hos {PROVIDER} er ikke knyttet til en bruger her. Bed "
             f"administratoren om en invitation.")
FAILED = f"Login med {PROVIDER} mislykkedes. Prøv igen."


def _round_trip(client, provider, response):
    """From the app's redirect to the provider, through the provider's login, to the
    app's answer at its callback."""
    assert response.status_code == 302, response.status_code
    assert response.headers["Location"].startswith(f"{provider.issuer}/authorize?")
    return client.get(provider.approve(response.headers["Location"]))


def sso_login(client, provider, start="/login/sso"):
    return _round_trip(client, provider, client.get(start))


def _bind(user, provider, subject="oid-1") -> UserIdentity:
    identity = identities.bind_identity(user, issuer=provider.issuer, subject=subject,
                                        how=BoundBy.ADMINISTRATOR, actor=None)
    db.session.commit()
    return identity


def _events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)
                                   .order_by(AuditEvent.id)))


def _logged_in(client) -> bool:
    return client.get("/").status_code == 200


def _no_personal_data_in_the_audit_trail(*secrets: str) -> None:
    for event in db.session.scalars(select(AuditEvent)):
        stored = json.dumps(event.changes or {})
        for secret in secrets:
            assert secret not in stored, (event.action, stored)


# --- logging in ----------------------------------------------------------------------


def test_a_bound_identity_logs_in_and_is_audited_without_the_subject(
        client, make_user, sso_config, oidc_provider):
    user = make_user(Role.STAFF)
    identity = _bind(user, oidc_provider, subject="oid-42")
    oidc_provider.next_subject = "oid-42"

    response = sso_login(client, oidc_provider)

    assert (response.status_code, response.headers["Location"]) == (302, "/")
    assert _logged_in(client)
    [event] = _events("auth:sso_login")
    assert (event.actor_id, event.object_id) == (user.id, user.id)
    assert event.changes == {"identity": {"before": None, "after": identity.id}}
    db.session.refresh(identity)
    assert identity.last_login_at is not None
    _no_personal_data_in_the_audit_trail("oid-42")


def test_the_login_asks_for_a_nonce_state_and_pkce(client, sso_config, oidc_provider):
    response = client.get("/login/sso")
    query = parse_qs(urlsplit(response.headers["Location"]).query)
    assert query["client_id"] == [CLIENT_ID]
    assert query["redirect_uri"] == ["http://localhost/login/sso/svar"]
    assert query["scope"] == ["openid email profile"]
    assert query["code_challenge_method"] == ["S256"]
    assert all(query[name][0] for name in ("nonce", "state", "code_challenge"))


@pytest.mark.parametrize(("next_target", "lands_on"), [
    ("/brugere", "/brugere"),
    ("https://evil.example/", "/"),
    ("//evil.example/x", "/"),
    # a browser would read "/\\" as "//", but Werkzeug sends the backslash escaped: local
    ("/\\evil.example", "/%5Cevil.example"),
])
def test_next_is_followed_only_to_a_local_path(client, make_user, sso_config, oidc_provider,
                                              next_target, lands_on):
    _bind(make_user(Role.STAFF), oidc_provider)
    response = sso_login(client, oidc_provider, f"/login/sso?next={next_target}")
    assert response.headers["Location"] == lands_on


def test_entra_ids_object_id_names_the_user_when_configured(
        client, make_user, sso_config, oidc_provider):
    """Entra ID's ``sub`` is pairwise (per application); ``oid`` is the user's object id."""
    sso_config(OIDC_SUBJECT_CLAIM="oid")
    _bind(make_user(Role.STAFF), oidc_provider, subject="entra-object-id")
    oidc_provider.next_subject = "entra-object-id"
    oidc_provider.extra_claims = {"sub": "pairwise-subject"}
    assert _logged_in(client) is False
    sso_login(client, oidc_provider)
    assert _logged_in(client)


def test_the_provider_vouching_for_mfa_is_passed_on(client, make_user, sso_config,
                                                    oidc_provider, monkeypatch):
    from hoering.accounts.views import sso as sso_views

    seen = []
    original = sso_views.finish_login
    monkeypatch.setattr(sso_views, "finish_login", lambda user, **kw: (
        seen.append(kw["mfa_by_provider"]), original(user, **kw))[1])
    _bind(make_user(Role.STAFF), oidc_provider)
    for enforces in (False, True):
        sso_config(OIDC_PROVIDER_ENFORCES_MFA=enforces)
        client.post("/logout")
        sso_login(client, oidc_provider)
    assert seen == [False, True]


def test_two_factor_is_asked_after_sso_unless_the_provider_enforces_mfa(
        app, client, make_user, sso_config, oidc_provider, monkeypatch):
    monkeypatch.setitem(app.config, "TWO_FACTOR_REQUIRED_ROLES", ("staff",))
    _bind(make_user(Role.STAFF), oidc_provider)
    asked = sso_login(client, oidc_provider)
    assert asked.status_code == 302 and asked.headers["Location"] == "/login/tofaktor"
    assert not _logged_in(client)
    sso_config(OIDC_PROVIDER_ENFORCES_MFA=True)
    vouched = sso_login(client, oidc_provider)
    assert vouched.status_code == 302 and vouched.headers["Location"] == "/"
    assert _logged_in(client)


# --- binding -------------------------------------------------------------------------


def _invited(role: Role = Role.STAFF) -> tuple[User, str]:
    user = accounts.create_user(name="Ny Bruger", email="ny@kommune.dk", role=role,
                                password=None, actor=None)
    path = urlsplit(invitations.invite(user, actor=None)).path
    db.session.commit()
    return user, path


def test_an_invited_account_binds_its_identity_at_the_first_login(
        client, sso_config, oidc_provider):
    user, path = _invited()
    page = client.get(path).text
    assert "Brug Testkommunens login i stedet for en adgangskode" in page
    oidc_provider.next_subject = "oid-new"

    response = _round_trip(client, oidc_provider, client.post(f"{path}/sso"))

    assert response.headers["Location"] == "/"
    assert _logged_in(client)
    identity = identities.find_identity(oidc_provider.issuer, "oid-new")
    assert identity is not None and identity.user_id == user.id
    [bind] = _events("user:sso_bind")
    assert bind.actor_id == user.id
    assert bind.changes["bound_by"]["after"] == "invitation"
    assert bind.changes["access_token"]["after"] is not None
    client.post("/logout")
    assert "allerede brugt" in client.get(path).text  # used up
    sso_login(client, oidc_provider)  # and the identity logs in from now on
    assert _logged_in(client)
    _no_personal_data_in_the_audit_trail("oid-new", "ny@kommune.dk")


def test_opening_the_invitation_or_starting_sso_uses_nothing_up(client, sso_config,
                                                                oidc_provider):
    user, path = _invited()
    client.get(path)
    client.post(f"{path}/sso")  # and the login at the provider never finishes
    assert client.get(path).status_code == 200
    assert identities.identities_of(user) == []


def test_a_role_that_logs_in_with_sso_only_is_offered_no_password(client, sso_config,
                                                                  oidc_provider):
    sso_config(SSO_ONLY_ROLES=("admin", "staff"))
    user, path = _invited(Role.STAFF)
    page = client.get(path).text
    assert "Gem adgangskode" not in page and "Log ind med Testkommunens login" in page
    client.post(path, data={"password": "blæksprutte cykelhjelm tagrende",
                            "confirm": "blæksprutte cykelhjelm tagrende"})
    db.session.refresh(user)
    assert user.password_hash == accounts.NO_PASSWORD


def test_the_invitation_page_lets_its_sso_form_go_on_to_the_provider(client, sso_config,
                                                                     oidc_provider):
    _, path = _invited()
    policy = client.get(path).headers["Content-Security-Policy"]
    assert f"form-action 'self' {oidc_provider.issuer}" in policy
    assert "form-action 'self';" in client.get("/login").headers["Content-Security-Policy"] + ";"


def test_an_administrator_binds_and_unbinds_an_identity(client, login_as, make_user,
                                                        sso_config, oidc_provider):
    admin = login_as(Role.ADMIN)
    user = make_user(Role.STAFF)
    page = client.get(f"/brugere/{user.id}").text
    assert "Single sign-on" in page and f'value="{oidc_provider.issuer}"' in page

    response = client.post(f"/brugere/{user.id}/sso",
                           data={"issuer": oidc_provider.issuer, "subject": " oid-7 "})

    assert response.headers["Location"] == f"/brugere/{user.id}"
    identity = identities.find_identity(oidc_provider.issuer, "oid-7")
    assert identity is not None and identity.user_id == user.id
    assert "oid-7" in client.get(f"/brugere/{user.id}").text
    [bind] = _events("user:sso_bind")
    assert (bind.actor_id, bind.object_id) == (admin.id, user.id)
    assert bind.changes["bound_by"]["after"] == "administrator"
    # the same login cannot be bound twice
    client.post(f"/brugere/{make_user(Role.STAFF).id}/sso",
                data={"issuer": oidc_provider.issuer, "subject": "oid-7"})
    assert len(_events("user:sso_bind")) == 1

    assert "Vil du fjerne login-id" in client.get(f"/sso-identiteter/{identity.id}/fjern").text
    client.post(f"/sso-identiteter/{identity.id}/fjern")

    assert identities.find_identity(oidc_provider.issuer, "oid-7") is None
    [unbind] = _events("user:sso_unbind")
    assert unbind.changes["identity"] == {"before": identity.id, "after": None}
    _no_personal_data_in_the_audit_trail("oid-7")


def test_binding_is_for_administrators_only(client, login_as, make_user, sso_config):
    login_as(Role.STAFF)
    user = make_user(Role.MEMBER)
    response = client.post(f"/brugere/{user.id}/sso", data={"issuer": "x", "subject": "y"})
    assert response.status_code == 403
    assert "Knyt et login" not in client.get(f"/brugere/{user.id}").text


def test_binding_needs_the_csrf_token(app, client, login_as, make_user, sso_config):
    login_as(Role.ADMIN)
    user = make_user(Role.STAFF)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post(f"/brugere/{user.id}/sso", data={"issuer": "x", "subject": "y"})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400
    assert identities.identities_of(user) == []


@pytest.mark.parametrize(("trusted", "verified", "logs_in"), [
    (True, True, True),
    (False, True, False),  # the configuration does not trust the provider's addresses
    (True, False, False),
    (True, None, False),  # no claim (Entra ID's usual id_token)
    (True, "true", False),  # a string is not the JSON boolean true
])
def test_an_email_address_matches_only_when_configuration_and_claim_say_verified(
        client, make_user, sso_config, oidc_provider, trusted, verified, logs_in):
    user = make_user(Role.MEMBER, email="maja@kommune.dk")
    sso_config(OIDC_TRUST_VERIFIED_EMAIL=trusted)
    oidc_provider.next_subject, oidc_provider.next_email = "oid-maja", "Maja@Kommune.dk"
    oidc_provider.email_verified = verified

    sso_login(client, oidc_provider)

    assert _logged_in(client) is logs_in
    identity = identities.find_identity(oidc_provider.issuer, "oid-maja")
    assert (identity is not None and identity.user_id == user.id) is logs_in
    if logs_in:
        [bind] = _events("user:sso_bind")
        assert bind.changes["bound_by"]["after"] == "verified_email"
    _no_personal_data_in_the_audit_trail("oid-maja", "maja@kommune.dk", "Maja@Kommune.dk")


def test_a_verified_address_of_a_deactivated_user_matches_nobody(
        client, make_user, sso_config, oidc_provider):
    user = make_user(Role.MEMBER, email="maja@kommune.dk")
    accounts.update_user(user, name=user.name, email=user.email, role=user.role, active=False,
                         actor=None)
    db.session.commit()
    sso_config(OIDC_TRUST_VERIFIED_EMAIL=True)
    oidc_provider.next_email, oidc_provider.email_verified = "maja@kommune.dk", True
    sso_login(client, oidc_provider)
    assert not _logged_in(client)
    assert db.session.scalar(select(func.count()).select_from(UserIdentity)) == 0


# --- refusals ------------------------------------------------------------------------


def _misbehave(provider, how: str) -> None:
    if how == "wrong signature":
        provider.sign_with_unpublished_key = True
    elif how == "wrong audience":
        provider.audience = "another-client"
    elif how == "expired":
        provider.expired = True
    elif how == "unmatched subject":
        provider.next_subject = "oid-nobody"


REFUSALS = [
    ("wrong signature", "invalid_id_token", "bad_signature", FAILED),
    ("wrong audience", "invalid_id_token", "invalid_claim:aud", FAILED),
    ("expired", "invalid_id_token", "expired_token:exp", FAILED),
    ("replayed nonce", "invalid_id_token", "invalid_claim:nonce", FAILED),
    ("unmatched subject", "unmatched", None, UNMATCHED),
]


@pytest.mark.parametrize(("how", "reason", "error", "message"), REFUSALS,
                         ids=[r[0] for r in REFUSALS])
def test_a_bad_login_is_refused_audited_and_creates_nothing(
        client, make_user, sso_config, oidc_provider, how, reason, error, message):
    user = make_user(Role.STAFF)
    _bind(user, oidc_provider)  # the subject the provider names, unless unmatched
    if how == "replayed nonce":  # the nonce of this earlier login comes back in the next
        sso_login(client, oidc_provider)
        client.post("/logout")
        oidc_provider.replay_nonce = True
    _misbehave(oidc_provider, how)
    users = db.session.scalar(select(func.count()).select_from(User))
    logins = len(_events("auth:sso_login"))

    response = sso_login(client, oidc_provider)

    assert (response.status_code, response.headers["Location"]) == (302, "/login")
    assert message in client.get("/login").text
    assert not _logged_in(client)
    [refusal] = _events("auth:sso_refused")
    assert refusal.actor_id is None
    assert refusal.changes["reason"]["after"] == reason
    assert refusal.changes.get("error", {}).get("after") == error
    assert db.session.scalar(select(func.count()).select_from(User)) == users
    assert len(_events("auth:sso_login")) == logins
    assert db.session.scalar(select(func.count()).select_from(UserIdentity)) == 1
    _no_personal_data_in_the_audit_trail("oid-1", "oid-nobody")


def test_the_authlib_client_alone_would_take_another_audience_named_in_azp(
        client, make_user, sso_config, oidc_provider):
    """Authlib checks ``aud`` only through ``azp`` unless told the audience: a token for
    another client whose ``azp`` names this one is refused here all the same."""
    _bind(make_user(Role.STAFF), oidc_provider)
    oidc_provider.audience = "another-client"
    oidc_provider.extra_claims = {"azp": CLIENT_ID}
    sso_login(client, oidc_provider)
    assert not _logged_in(client)
    assert _events("auth:sso_refused")[0].changes["error"]["after"] == "invalid_claim:aud"


def test_a_callback_used_once_is_refused_the_second_time(client, make_user, sso_config,
                                                         oidc_provider):
    _bind(make_user(Role.STAFF), oidc_provider)
    start = client.get("/login/sso")
    callback = oidc_provider.approve(start.headers["Location"])
    cookie_before = client.get_cookie("session").value  # the state is in it
    assert client.get(callback).headers["Location"] == "/"
    client.post("/logout")

    # the same browser: its session no longer holds the login's state
    assert client.get(callback).headers["Location"] == "/login"
    assert not _logged_in(client)
    # a copy of the cookie from before the callback: the provider refuses the used code
    client.set_cookie("session", cookie_before)
    assert client.get(callback).headers["Location"] == "/login"
    assert not _logged_in(client)
    reasons = [e.changes["reason"]["after"] for e in _events("auth:sso_refused")]
    assert reasons == ["state", "provider_error"]


def test_a_callback_without_a_login_started_here_is_refused(client, sso_config):
    response = client.get("/login/sso/svar?code=abc&state=xyz")
    assert response.headers["Location"] == "/login"
    assert FAILED in client.get("/login").text
    assert _events("auth:sso_refused")[0].changes["reason"]["after"] == "state"


def test_a_deactivated_users_identity_logs_nobody_in(client, make_user, sso_config,
                                                    oidc_provider):
    user = make_user(Role.STAFF)
    _bind(user, oidc_provider)
    accounts.update_user(user, name=user.name, email=user.email, role=user.role, active=False,
                         actor=None)
    db.session.commit()
    sso_login(client, oidc_provider)
    assert not _logged_in(client)
    assert "deaktiveret" in client.get("/login").text
    [refusal] = _events("auth:sso_refused")
    assert (refusal.changes["reason"]["after"], refusal.object_id) == ("inactive", user.id)


def test_an_unreachable_provider_is_said_plainly(client, sso_config):
    sso_config(OIDC_ISSUER="http://127.0.0.1:9")  # discard: nobody answers
    response = client.get("/login/sso")
    assert response.headers["Location"] == "/login"
    assert "virker ikke lige nu" in client.get("/login").text


# --- SSO only, and SSO off -----------------------------------------------------------


def test_sso_only_roles_log_in_with_sso_not_a_password(client, make_user, sso_config):
    sso_config(SSO_ONLY_ROLES=("admin", "staff"))
    staff, member = make_user(Role.STAFF), make_user(Role.MEMBER)

    response = login(client, staff)
    assert response.status_code == 200
    assert ("Din bruger logger ind med Testkommunens login, ikke med en adgangskode: brug "
            "knappen »Log ind med Testkommunens login«.") in response.text
    assert not _logged_in(client)
    [failed] = _events("auth:login_failed")
    assert failed.changes["reason"]["after"] == "sso_only"
    assert login(client, staff, "forkert-adgangskode").text.count("Forkert e-mailadresse") == 1

    assert login(client, member).status_code == 302
    allowed = sso_policy.password_login_allowed
    assert (allowed(staff), allowed(member)) == (False, True)


def test_sso_only_roles_keep_their_passwords_while_sso_is_off(client, make_user, app):
    app.config["SSO_ONLY_ROLES"] = ("staff",)
    try:
        staff = make_user(Role.STAFF)
        assert sso_policy.password_login_allowed(staff)
        assert login(client, staff).status_code == 302
    finally:
        app.config["SSO_ONLY_ROLES"] = ()


def test_without_an_issuer_there_is_no_button_and_the_pages_are_not_found(
        client, login_as, make_user):
    assert "Log ind med" not in client.get("/login").text
    assert client.get("/login/sso").status_code == 404
    assert client.get("/login/sso/svar?code=a&state=b").status_code == 404
    _, path = _invited()
    assert "i stedet for en adgangskode" not in client.get(path).text
    assert client.post(f"{path}/sso").status_code == 404
    login_as(Role.ADMIN)
    user = make_user(Role.STAFF)
    assert "Single sign-on" not in client.get(f"/brugere/{user.id}").text
    assert client.post(f"/brugere/{user.id}/sso", data={"issuer": "a", "subject": "b"}
                       ).status_code == 404


def test_with_an_issuer_the_login_page_has_the_button(client, sso_config):
    page = client.get("/login?next=/brugere").text
    assert "Log ind med Testkommunens login" in page
    assert 'href="/login/sso?next=/brugere"' in page


@pytest.mark.parametrize(("settings", "complaint"), [
    ({"SSO_ONLY_ROLES": ("staff", "boss")}, "ukendt rolle 'boss'"),
    ({"OIDC_ISSUER": "https://login.example", "OIDC_CLIENT_SECRET": None}, "OIDC_CLIENT_ID"),
    ({"OIDC_ISSUER": "https://login.example", "OIDC_SCOPES": "email"}, "openid"),
])
def test_a_configuration_sso_cannot_work_with_stops_the_start(settings, complaint):
    config = {"SSO_ONLY_ROLES": (), "OIDC_ISSUER": None, "OIDC_CLIENT_ID": "c",
              "OIDC_CLIENT_SECRET": "s", "OIDC_SCOPES": "openid email", **settings}
    with pytest.raises(RuntimeError, match=complaint):
        sso.check_config(config)


def test_sso_only_roles_get_no_password_by_e_mail(client, login_as, make_user, sso_config,
                                                  monkeypatch):
    from hoering.accounts import password_reset
    from hoering.outbox.models import OutboxMessage

    monkeypatch.setattr(password_reset, "ANSWER_SECONDS", 0)
    sso_config(SSO_ONLY_ROLES=("staff",))
    staff = make_user(Role.STAFF, email="sagsbehandler@kommune.dk")
    assert client.post("/glemt-adgangskode", data={"email": staff.email}).status_code == 200
    message = db.session.scalars(select(OutboxMessage)).one()
    assert "logger ind med dit login hos Testkommunens login" in message.body_text
    assert "[[access-token:" not in message.body_text  # no link to a password
    login_as(Role.ADMIN)
    assert "Send link til ny adgangskode" not in client.get(f"/brugere/{staff.id}").text
    refused = client.post(f"/brugere/{staff.id}/adgangskode", follow_redirects=True)
    assert "logger ind med Testkommunens login og har ingen adgangskode her" in refused.text


def test_an_sso_only_invitation_says_how_to_log_in(client, login_as, sso_config):
    from hoering.outbox.models import OutboxMessage

    sso_config(SSO_ONLY_ROLES=("staff",))
    login_as(Role.ADMIN)
    client.post("/brugere/ny", data={"name": "Ny Sagsbehandler", "role": "staff",
                                     "email": "ny@kommune.dk", "active": "y"})
    message = db.session.scalars(select(OutboxMessage)).one()
    assert "tryk på\n»Log ind med Testkommunens login« første gang" in message.body_text
    assert "Vælg din egen adgangskode" not in message.body_text
