"""A real OpenID Connect provider on loopback, for the single sign-on tests, and the
fixtures that point the app at it.

Built from Authlib's server components (its Flask ``AuthorizationServer``, the
authorization code grant with the ``OpenIDCode`` and PKCE extensions) and joserfc, the
JOSE library Authlib itself uses (``authlib.jose`` is deprecated for it): an RS256 key
published in a JWKS, a discovery document, an authorize endpoint that approves at once
the person the test chose (``next_subject``, ``next_email``, ``email_verified``) and a
token endpoint that authenticates the client by its secret. The app reaches it over real
HTTP, as it would reach Entra ID.

It can misbehave, one knob each, for the logins the app must refuse: a token signed with
a key it does not publish (``sign_with_unpublished_key``), for another client
(``audience``), long expired (``expired``), carrying the nonce of the login before
(``replay_nonce``). ``reset()`` puts it right again.
"""

from __future__ import annotations

import hmac
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import ClientMixin, grants
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import AuthorizationCodeMixin
from authlib.oidc.core import grants as oidc_grants
from flask import Flask, jsonify
from joserfc.jwk import RSAKey
from werkzeug.serving import make_server

CLIENT_ID = "hoering-test-client"
CLIENT_SECRET = "test-client-secret-not-for-production"
KEY_ID = "provider-key-1"
SCOPES = ("openid", "email", "profile")
CALLBACK_PATH = "/login/sso/svar"


@dataclass
class Person:
    """Whom the provider says it authenticated."""

    subject: str
    email: str | None
    email_verified: Any  # a JSON boolean normally; the tests also send the string "true"
    name: str = "Test Person"


@dataclass
class Client(ClientMixin):
    client_id: str
    client_secret: str

    def get_client_id(self) -> str:
        return self.client_id

    def get_default_redirect_uri(self) -> None:
        return None

    def get_allowed_scope(self, scope: str) -> str:
        return " ".join(s for s in (scope or "").split() if s in SCOPES)

    def check_redirect_uri(self, redirect_uri: str) -> bool:
        parts = urlsplit(redirect_uri)
        return parts.scheme in ("http", "https") and parts.path == CALLBACK_PATH

    def check_client_secret(self, client_secret: str) -> bool:
        return hmac.compare_digest(client_secret, self.client_secret)

    def check_endpoint_auth_method(self, method: str, endpoint: str) -> bool:
        return method == "client_secret_basic"

    def check_response_type(self, response_type: str) -> bool:
        return response_type == "code"

    def check_grant_type(self, grant_type: str) -> bool:
        return grant_type == "authorization_code"


@dataclass
class Code(AuthorizationCodeMixin):
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    person: Person
    auth_time: int = field(default_factory=lambda: int(time.time()))

    def get_redirect_uri(self) -> str:
        return self.redirect_uri

    def get_scope(self) -> str:
        return self.scope

    def get_nonce(self) -> str | None:
        return self.nonce

    def get_auth_time(self) -> int:
        return self.auth_time


class Provider:
    def __init__(self) -> None:
        self.key = RSAKey.generate_key(2048, parameters={"kid": KEY_ID, "use": "sig"})
        # same key id, other key: a signature the published key does not verify
        self.unpublished_key = RSAKey.generate_key(2048, parameters={"kid": KEY_ID})
        self.clients = {CLIENT_ID: Client(CLIENT_ID, CLIENT_SECRET)}
        self.codes: dict[str, Code] = {}
        self.nonces: list[str | None] = []  # of every authorization request, in order
        self.lock = threading.Lock()
        self.app = self._build_app()
        self._server: Any = None
        self.port = 0
        self.reset()

    def reset(self) -> None:
        """A well-behaved provider, whose next login is subject ``oid-1``, no e-mail."""
        self.next_subject: str = "oid-1"
        self.next_email: str | None = None
        self.email_verified: Any = None
        self.extra_claims: dict[str, Any] = {}
        self.sign_with_unpublished_key = False
        self.audience: str | None = None  # None: this client
        self.expired = False
        self.replay_nonce = False

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self._server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.port = self._server.server_port
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server = None

    def approve(self, authorize_url: str) -> str:
        """Follow the app's redirect to the authorize endpoint, as the browser would (the
        person logs in at once); returns the path and query of the app's callback."""
        response = requests.get(authorize_url, allow_redirects=False, timeout=10)
        assert response.status_code == 302, (response.status_code, response.text)
        back = urlsplit(response.headers["Location"])
        assert back.path == CALLBACK_PATH, response.headers["Location"]
        return f"{back.path}?{back.query}"

    # --- the server ------------------------------------------------------------------

    def _build_app(self) -> Flask:
        app = Flask("oidc_provider")
        server = AuthorizationServer(app, query_client=self.clients.get,
                                     save_token=lambda token, request: None)
        server.register_grant(_code_grant(self), [_openid_code(self), CodeChallenge(required=True)])

        @app.get("/.well-known/openid-configuration")
        def discovery():
            return jsonify(self._metadata())

        @app.get("/jwks")
        def jwks():
            return jsonify({"keys": [self.key.as_dict(private=False)]})

        @app.get("/authorize")
        def authorize():
            person = Person(self.next_subject, self.next_email, self.email_verified)
            grant = server.get_consent_grant(end_user=person)
            return server.create_authorization_response(grant=grant, grant_user=person)

        @app.post("/token")
        def token():
            return server.create_token_response()

        return app

    def _metadata(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "scopes_supported": list(SCOPES),
            "token_endpoint_auth_methods_supported": ["client_secret_basic"],
            "code_challenge_methods_supported": ["S256"],
        }

    def claims_for(self, client: Client) -> dict[str, Any]:
        claims: dict[str, Any] = {"iss": self.issuer,
                                  "aud": [self.audience or client.get_client_id()]}
        if self.expired:  # issued two hours ago, for an hour
            now = int(time.time())
            claims.update(iat=now - 7200, exp=now - 3600, auth_time=now - 7200)
        return claims

    def nonce_for(self, requested: str | None) -> str | None:
        """The nonce the id_token will carry: the requested one, or with
        ``replay_nonce`` the one of the authorization request before it."""
        with self.lock:
            earlier = self.nonces[-1] if self.nonces else None
            self.nonces.append(requested)
        return earlier if self.replay_nonce else requested


def _code_grant(provider: Provider) -> type[grants.AuthorizationCodeGrant]:
    class CodeGrant(grants.AuthorizationCodeGrant):
        TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic"]

        def save_authorization_code(self, code: str, request: Any) -> None:
            data = request.payload.data
            provider.codes[code] = Code(
                code=code, client_id=request.client.client_id,
                redirect_uri=request.payload.redirect_uri, scope=request.scope,
                nonce=provider.nonce_for(data.get("nonce")),
                code_challenge=data.get("code_challenge"),
                code_challenge_method=data.get("code_challenge_method"), person=request.user,
            )

        def query_authorization_code(self, code: str, client: Client) -> Code | None:
            found = provider.codes.get(code)
            return found if found is not None and found.client_id == client.client_id else None

        def delete_authorization_code(self, authorization_code: Code) -> None:
            provider.codes.pop(authorization_code.code, None)  # a code is used once

        def authenticate_user(self, authorization_code: Code) -> Person:
            return authorization_code.person

    return CodeGrant


def _openid_code(provider: Provider) -> oidc_grants.OpenIDCode:
    class OpenIDCode(oidc_grants.OpenIDCode):
        def exists_nonce(self, nonce: str, request: Any) -> bool:
            return False  # a provider that keeps no record: the app must check

        def resolve_client_private_key(self, client: Client) -> RSAKey:
            return provider.unpublished_key if provider.sign_with_unpublished_key else provider.key

        def get_client_algorithm(self, client: Client) -> str:
            return "RS256"

        def get_encode_header(self, client: Client) -> dict[str, str]:
            return {"alg": "RS256", "kid": KEY_ID}

        def get_client_claims(self, client: Client) -> dict[str, Any]:
            return provider.claims_for(client)

        def generate_user_info(self, user: Person, scope: str) -> dict[str, Any]:
            info: dict[str, Any] = {"sub": user.subject, "oid": user.subject, "name": user.name}
            if "email" in scope.split() and user.email is not None:
                info["email"] = user.email
                if user.email_verified is not None:
                    info["email_verified"] = user.email_verified
            return {**info, **provider.extra_claims}

    return OpenIDCode(require_nonce=True)


@pytest.fixture(scope="session")
def oidc_provider() -> Iterator[Provider]:
    """One provider for the whole run; each test that configures the app for it
    (``sso_config``) finds it well-behaved."""
    provider = Provider()
    provider.start()
    yield provider
    provider.stop()


SSO_SETTINGS = ("OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET", "OIDC_SCOPES",
                "OIDC_SUBJECT_CLAIM", "OIDC_PROVIDER_NAME", "OIDC_TRUST_VERIFIED_EMAIL",
                "OIDC_PROVIDER_ENFORCES_MFA", "SSO_ONLY_ROLES", "PUBLIC_BASE_URL")


@pytest.fixture
def sso_config(app, oidc_provider: Provider) -> Iterator[Any]:
    """The app configured for the loopback provider for one test (call the fixture's
    value with other settings); everything is restored afterwards."""
    saved = {key: app.config.get(key) for key in SSO_SETTINGS}

    def configure(**values: Any) -> None:
        app.config.update(values)

    oidc_provider.reset()
    configure(OIDC_ISSUER=oidc_provider.issuer, OIDC_CLIENT_ID=CLIENT_ID,
              OIDC_CLIENT_SECRET=CLIENT_SECRET, OIDC_PROVIDER_NAME="Testkommunens login",
              PUBLIC_BASE_URL="http://localhost")
    yield configure
    oidc_provider.reset()
    app.config.update(saved)
