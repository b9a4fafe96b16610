"""Single sign-on with OpenID Connect: the municipality's Entra ID, or any OIDC provider,
vouches for who someone is, and that person logs in here without a password.

Authlib is the protocol: the authorization code flow with PKCE, a nonce and a state kept
in the session, the provider's metadata from its discovery document and its keys from its
JWKS. Checked on every callback: the state (the callback belongs to a login started in
this browser, once), the id_token's signature (against the provider's published keys),
``iss`` (the configured issuer, exactly), ``aud`` (this client; Authlib checks it only
through ``azp`` unless asked, so it is asked), ``exp`` and ``iat`` (with a minute's
leeway for clocks), and the ``nonce`` (the one this login sent, so a token from an
earlier login is refused). A callback without an id_token is refused.

Who it is, is decided here and nowhere else: the identity (issuer, subject) bound to a
user (hoering.accounts.identities); else, at the first login from an invitation, the
invited user, to whom the identity is then bound; else, only when the configuration
trusts it and the id_token says ``email_verified: true`` (the JSON boolean), the active
user with that e-mail address. Otherwise the login is refused: a login at the provider
never creates a user or any access by itself. Every outcome is audited, by ids and a
reason code: never a token, a code, an e-mail address or the subject.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
from authlib.integrations.base_client import MismatchingStateError
from authlib.integrations.flask_client import FlaskIntegration, FlaskOAuth2App, OAuthError
from flask import current_app
from flask_babel import gettext as _
from joserfc.errors import ClaimError, JoseError
from sqlalchemy import select
from werkzeug.wrappers import Response

from hoering.accounts import identities, invitations
from hoering.accounts.identities import BoundBy, UserIdentity
from hoering.accounts.models import Role, User
from hoering.accounts.operations import normalise_email
from hoering.accounts.sso_policy import provider_name
from hoering.audit.record import record_event
from hoering.audit.tags import AuditTag
from hoering.core.db import db, now_utc
from hoering.core.errors import DomainError

CLOCK_SKEW_SECONDS = 60  # leeway for exp and iat between the provider's clock and ours
HTTP_TIMEOUT_SECONDS = 10  # discovery, keys and the token request
_ERROR_CODE = re.compile(r"[a-z_:]{1,60}")


class SsoRefused(DomainError):
    """A single sign-on that does not log anyone in; ``reason`` is the audited code."""

    status_code = 403

    def __init__(self, reason: str, message: str, *, detail: str | None = None,
                 user_id: int | None = None) -> None:
        super().__init__(message)
        self.reason, self.detail, self.user_id = reason, detail, user_id


class SsoUnavailable(DomainError):
    """The provider cannot be reached, or its discovery document does not fit."""

    status_code = 503


@dataclass(frozen=True)
class ProviderLogin:
    """What a verified id_token says: the identity, and an e-mail address if any."""

    issuer: str
    subject: str
    email: str | None
    email_verified: bool  # only the JSON boolean true counts


# --- configuration -------------------------------------------------------------------


def check_config(config: dict[str, Any]) -> None:
    """At start-up: refuse a configuration SSO cannot work with (a typo in a role, an
    issuer without a client)."""
    for role in config["SSO_ONLY_ROLES"]:
        if role not in {r.value for r in Role}:
            raise RuntimeError(f"SSO_ONLY_ROLES: ukendt rolle {role!r} "
                               f"(mulige: {', '.join(r.value for r in Role)}).")
    if not config["OIDC_ISSUER"]:
        return
    if not config["OIDC_CLIENT_ID"] or not config["OIDC_CLIENT_SECRET"]:
        raise RuntimeError("OIDC_ISSUER er sat: OIDC_CLIENT_ID og OIDC_CLIENT_SECRET skal "
                           "også sættes.")
    if "openid" not in config["OIDC_SCOPES"].split():
        raise RuntimeError("OIDC_SCOPES skal indeholde openid.")


def provider_origins() -> list[str]:
    """The origins a form may lead to on its way to the provider's login (for the pages'
    Content-Security-Policy ``form-action``): the issuer's, and the authorization
    endpoint's (from the discovery document, read once; the issuer's alone while the
    provider cannot be reached)."""
    try:
        metadata = _client().load_server_metadata()
    except (requests.RequestException, ValueError):
        metadata = {}
    endpoints = [current_app.config["OIDC_ISSUER"], metadata.get("authorization_endpoint")]
    origins = []
    for endpoint in endpoints:
        parts = urlsplit(endpoint or "")
        origin = f"{parts.scheme}://{parts.netloc}"
        if parts.scheme in ("http", "https") and origin not in origins:
            origins.append(origin)
    return origins


def _client() -> FlaskOAuth2App:
    """The Authlib client for the configuration in force (kept with the app, so that the
    discovery document and the keys are read once; a new configuration, a new client)."""
    config = current_app.config
    key = (config["OIDC_ISSUER"], config["OIDC_CLIENT_ID"], config["OIDC_CLIENT_SECRET"],
           config["OIDC_SCOPES"])
    clients = current_app.extensions.setdefault("hoering_oidc_clients", {})
    if key not in clients:
        clients[key] = FlaskOAuth2App(
            FlaskIntegration("oidc"), "oidc", client_id=config["OIDC_CLIENT_ID"],
            client_secret=config["OIDC_CLIENT_SECRET"],
            server_metadata_url=config["OIDC_ISSUER"].rstrip("/")
            + "/.well-known/openid-configuration",
            client_kwargs={"scope": config["OIDC_SCOPES"], "code_challenge_method": "S256",
                           "default_timeout": HTTP_TIMEOUT_SECONDS},
        )
    client: FlaskOAuth2App = clients[key]
    return client


# --- the protocol --------------------------------------------------------------------


def start(redirect_uri: str) -> Response:
    """The redirect to the provider's login; Authlib keeps the state, the nonce and the
    PKCE verifier in the session until the callback."""
    client = _client()
    try:
        metadata = client.load_server_metadata()
    except (requests.RequestException, ValueError) as error:
        current_app.logger.warning("SSO: discovery document unavailable: %s", error)
        raise SsoUnavailable(_unavailable()) from error
    if metadata.get("issuer") != current_app.config["OIDC_ISSUER"]:
        # OpenID Connect Discovery 1.0, 4.3: the document must name the issuer asked
        current_app.logger.warning("SSO: the discovery document names another issuer")
        raise SsoUnavailable(_unavailable())
    response: Response = client.authorize_redirect(redirect_uri)
    return response


def _claims_options() -> dict[str, dict[str, Any]]:
    config = current_app.config
    return {"iss": {"essential": True, "value": config["OIDC_ISSUER"]},
            "aud": {"essential": True, "value": config["OIDC_CLIENT_ID"]},
            "sub": {"essential": True}}


def verified_login() -> ProviderLogin:
    """The callback's identity, once every check above has passed; else SsoRefused."""
    try:
        token = _client().authorize_access_token(claims_options=_claims_options(),
                                                 leeway=CLOCK_SKEW_SECONDS)
    except MismatchingStateError as error:
        raise _failed("state", error) from error
    except OAuthError as error:
        raise _failed("provider_error", error) from error
    except JoseError as error:
        raise _failed("invalid_id_token", error) from error
    except requests.RequestException as error:
        raise SsoRefused("provider_unreachable", _unavailable()) from error
    claims = token.get("userinfo")
    if not claims:
        raise _failed("no_id_token")
    return _provider_login(claims)


def _provider_login(claims: dict[str, Any]) -> ProviderLogin:
    subject = claims.get(current_app.config["OIDC_SUBJECT_CLAIM"])
    if not isinstance(subject, str) or not subject or len(subject) > identities.MAX_SUBJECT_LENGTH:
        raise _failed("no_subject")
    email = claims.get("email")
    return ProviderLogin(
        issuer=current_app.config["OIDC_ISSUER"], subject=subject,
        email=email if isinstance(email, str) else None,
        email_verified=claims.get("email_verified") is True,
    )


def _failed(reason: str, error: Exception | None = None) -> SsoRefused:
    return SsoRefused(reason, _("Login med %(provider)s mislykkedes. Prøv igen.",
                                provider=provider_name()), detail=_error_code(error))


def _error_code(error: Exception | None) -> str | None:
    """A short code for the audit trail (``invalid_claim:aud``), never a message: the
    provider's own error text could carry anything."""
    if error is None:
        return None
    code = getattr(error, "error", None) or type(error).__name__
    if isinstance(error, ClaimError):
        code = f"{code}:{error.claim}"
    return code if isinstance(code, str) and _ERROR_CODE.fullmatch(code) else "other"


def _unavailable() -> str:
    return str(_("Login med %(provider)s virker ikke lige nu. Prøv igen om lidt, eller "
                 "kontakt administratoren.", provider=provider_name()))


# --- who it is -----------------------------------------------------------------------


def complete_login(*, invitation: str | None) -> User:
    """The callback: the user the provider's login is, or SsoRefused. ``invitation``: the
    invitation link the login was started from (its user gets the identity, and the link
    is used up). Every outcome is audited; the caller commits either way."""
    try:
        login = verified_login()
        user, identity = _match(login, invitation)
    except SsoRefused as refusal:
        record_refusal(refusal)
        raise
    identity.last_login_at = now_utc()
    db.session.flush()
    record_event(AuditTag.AUTH_SSO_LOGIN, actor=user, object_type="user", object_id=user.id,
                 changes={"identity": {"before": None, "after": identity.id}})
    return user


def record_refusal(refusal: SsoRefused) -> None:
    changes: dict[str, Any] = {"reason": {"before": None, "after": refusal.reason}}
    if refusal.detail:
        changes["error"] = {"before": None, "after": refusal.detail}
    record_event(AuditTag.AUTH_SSO_REFUSED, actor=None, object_type="user",
                 object_id=refusal.user_id, changes=changes)


def _match(login: ProviderLogin, invitation: str | None) -> tuple[User, UserIdentity]:
    identity = identities.find_identity(login.issuer, login.subject)
    if identity is not None:
        user = db.session.get_one(User, identity.user_id)
        _ensure_active(user)
        return user, identity
    if invitation is not None:
        return _bind_invited(login, invitation)
    by_email = _user_by_verified_email(login)
    if by_email is not None:
        return by_email, identities.bind_identity(
            by_email, issuer=login.issuer, subject=login.subject, how=BoundBy.VERIFIED_EMAIL,
            actor=by_email)
    raise SsoRefused("unmatched", _("Dit login hos %(provider)s er ikke knyttet til en "
                                    "bruger her. Bed administratoren om en invitation.",
                                    provider=provider_name()))


def _ensure_active(user: User) -> None:
    if not user.active:
        raise SsoRefused("inactive", _("Din bruger her er deaktiveret. Kontakt "
                                       "administratoren."), user_id=user.id)


def _bind_invited(login: ProviderLogin, invitation: str) -> tuple[User, UserIdentity]:
    try:
        user = invitations.invited_user(invitation)
    except invitations.InvitationRefused as refusal:
        raise SsoRefused("invitation", refusal.message) from refusal
    _ensure_active(user)
    return invitations.accept_identity(invitation, issuer=login.issuer, subject=login.subject)


def _user_by_verified_email(login: ProviderLogin) -> User | None:
    """Only where the configuration trusts the provider's addresses, and the id_token
    asserts this one verified (Entra ID usually does not)."""
    if not (current_app.config["OIDC_TRUST_VERIFIED_EMAIL"] and login.email_verified
            and login.email):
        return None
    return db.session.scalar(select(User).where(
        User.email == normalise_email(login.email), User.active.is_(True)))
