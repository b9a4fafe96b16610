"""Configuration classes, read from the environment.

`create_app()` picks one by name: the argument, else the ``HOERING_ENV`` environment
variable, else ``development``. Production is always chosen explicitly
(``gunicorn 'hoering:create_app("production")'``) and refuses the development secret.
"""

from __future__ import annotations

import base64
import os
from typing import Any

DEVELOPMENT_SECRET_KEY = "development-only-not-secret"  # noqa: S105 - refused in production
# A Fernet key (urlsafe base64 of 32 bytes: "development-only-not-secret-key!"), for
# development and tests only; refused in production.
DEVELOPMENT_TOTP_KEY = "ZGV2ZWxvcG1lbnQtb25seS1ub3Qtc2VjcmV0LWtleSE="
MAKE_TOTP_KEY = ("python -c 'from cryptography.fernet import Fernet; "
                 "print(Fernet.generate_key().decode())'")


def _int_env(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _list_env(name: str) -> tuple[str, ...]:
    """A comma-separated setting as its items, trimmed, the empty ones left out."""
    return tuple(item.strip() for item in os.environ.get(name, "").split(",") if item.strip())


def totp_keys(setting: str | None) -> list[str]:
    """The Fernet keys of ``TOTP_ENCRYPTION_KEY``, newest first (comma-separated)."""
    return [key.strip() for key in (setting or "").split(",") if key.strip()]


def _is_fernet_key(key: str) -> bool:
    try:
        return len(base64.urlsafe_b64decode(key.encode("ascii"))) == 32
    except (ValueError, UnicodeEncodeError):
        return False


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
    # None means: a SQLite file in the instance folder (resolved in create_app).
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # PostgreSQL with two roles (README, "Database roles"): `flask db upgrade` and
    # `flask db-roles grant` connect as the tables' owner through this URL, the app as the
    # runtime role through DATABASE_URL. None: the migrations use DATABASE_URL too.
    MIGRATIONS_DATABASE_URL = os.environ.get("MIGRATIONS_DATABASE_URL")

    BABEL_DEFAULT_LOCALE = "da"
    BABEL_DEFAULT_TIMEZONE = "Europe/Copenhagen"

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # A login lasts at most this long (seconds from the login, however busy the session),
    # and ends after SESSION_IDLE_MINUTES without a request (hoering/accounts/sessions.py).
    PERMANENT_SESSION_LIFETIME = _int_env("PERMANENT_SESSION_LIFETIME", 8 * 60 * 60)
    SESSION_IDLE_MINUTES = _int_env("SESSION_IDLE_MINUTES", 60)

    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session

    # Login throttling (hoering/accounts/auth.py), per (e-mail address, client IP) pair:
    # after its n-th failure, n >= LOGIN_FREE_FAILURES_PER_PAIR = f, the pair waits
    # 2**(n - f) seconds, at most LOGIN_MAX_DELAY_SECONDS. From a client from which
    # LOGIN_MAX_FAILURES_PER_IP different addresses failed within LOGIN_IP_WINDOW_MINUTES,
    # every pair waits from its first failure on, twice as long for each further address.
    # A pair that has not failed is never refused. A failure counts for
    # LOGIN_FAILURE_WINDOW_MINUTES, or until the pair logs in.
    LOGIN_FREE_FAILURES_PER_PAIR = _int_env("LOGIN_FREE_FAILURES_PER_PAIR", 3)
    LOGIN_MAX_DELAY_SECONDS = _int_env("LOGIN_MAX_DELAY_SECONDS", 15 * 60)
    LOGIN_MAX_FAILURES_PER_IP = _int_env("LOGIN_MAX_FAILURES_PER_IP", 20)
    LOGIN_IP_WINDOW_MINUTES = _int_env("LOGIN_IP_WINDOW_MINUTES", 60)
    LOGIN_FAILURE_WINDOW_MINUTES = _int_env("LOGIN_FAILURE_WINDOW_MINUTES", 24 * 60)

    # Two-factor login (hoering/accounts/two_factor.py). The roles that must use it
    # (comma-separated role names, e.g. "admin,staff"; empty: optional for everyone); the
    # key that encrypts the users' TOTP secrets (a Fernet key, or several comma-separated,
    # newest first, to rotate: every key reads, the newest writes; never in the database;
    # production has no default, see ProductionConfig.check); the name the authenticator
    # app shows; how long the code page waits after the password.
    TWO_FACTOR_REQUIRED_ROLES = _list_env("TWO_FACTOR_REQUIRED_ROLES")
    TOTP_ENCRYPTION_KEY: str | None = os.environ.get("TOTP_ENCRYPTION_KEY", DEVELOPMENT_TOTP_KEY)
    TOTP_ISSUER = os.environ.get("TOTP_ISSUER", "Høring")
    TWO_FACTOR_LOGIN_MINUTES = _int_env("TWO_FACTOR_LOGIN_MINUTES", 5)

    # Werkzeug's scrypt with its default cost (n=2**15, r=8, p=1).
    PASSWORD_HASH_METHOD = "scrypt"  # noqa: S105 - a method name, not a secret

    PAGE_SIZE = _int_env("PAGE_SIZE", 25)

    # E-mail: messages go through the outbox and are sent by `flask send-mail` (cron).
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "127.0.0.1")
    MAIL_PORT = _int_env("MAIL_PORT", 25)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "0") == "1"
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "hoering@localhost")
    MAIL_MAX_ATTEMPTS = _int_env("MAIL_MAX_ATTEMPTS", 8)
    # Number of reverse proxies in front of the app whose X-Forwarded-For is trusted: 0
    # everywhere unless set (README, Production); with 0 the client is the socket address.
    TRUSTED_PROXY_COUNT = _int_env("TRUSTED_PROXY_COUNT", 0)

    # Public consultations. The rate limit applies per client IP to the response form's
    # submissions (Flask-Limiter syntax). Its counters live in RATELIMIT_STORAGE_URI:
    # memory:// is per process (the embedded default); with several gunicorn workers set
    # redis://host:6379 so that the workers share them.
    PUBLIC_SUBMIT_RATE_LIMIT = os.environ.get(
        "PUBLIC_SUBMIT_RATE_LIMIT", "10 per minute;60 per hour"
    )
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    # The personal links of external consultees: every request on their pages, per IP.
    CONSULTEE_LINK_RATE_LIMIT = os.environ.get(
        "CONSULTEE_LINK_RATE_LIMIT", "30 per minute;300 per hour"
    )
    # E-mails a visitor can ask for (a password reset link, a new invitation for an expired
    # one): per client IP, shared by both, and per address asked for (the reset form).
    ACCOUNT_MAIL_RATE_LIMIT = os.environ.get("ACCOUNT_MAIL_RATE_LIMIT", "5 per minute;20 per hour")
    ACCOUNT_MAIL_ADDRESS_RATE_LIMIT = os.environ.get("ACCOUNT_MAIL_ADDRESS_RATE_LIMIT",
                                                     "3 per hour")
    PUBLIC_MAX_ATTACHMENTS = _int_env("PUBLIC_MAX_ATTACHMENTS", 3)
    PUBLIC_MAX_ATTACHMENT_BYTES = _int_env("PUBLIC_MAX_ATTACHMENT_BYTES", 10 * 1024 * 1024)
    PUBLIC_MAX_TEXT_CHARS = _int_env("PUBLIC_MAX_TEXT_CHARS", 50_000)
    # The whole request: the attachments plus the text fields.
    MAX_CONTENT_LENGTH = _int_env("MAX_CONTENT_LENGTH", 3 * 10 * 1024 * 1024 + 1024 * 1024)
    # Citizens' names, e-mails and attachments are anonymised by `flask purge-personal-data`
    # this many days after the policy of their consultation was adopted or rejected.
    PERSONAL_DATA_RETENTION_DAYS = _int_env("PERSONAL_DATA_RETENTION_DAYS", 365)

    # The audit trail's transparency log: its name in checkpoints (a note key name: no
    # spaces or "+"), the Ed25519 signing key's file (never in the database; by default
    # instance/audit-signing-key.pem, created on first use except in production) and,
    # for a server that only verifies, the public key (`flask audit public-key`).
    AUDIT_LOG_ORIGIN = os.environ.get("AUDIT_LOG_ORIGIN", "hoering-revisionsspor")
    AUDIT_SIGNING_KEY_FILE = os.environ.get("AUDIT_SIGNING_KEY_FILE")
    AUDIT_CREATE_SIGNING_KEY = True
    AUDIT_PUBLIC_KEY = os.environ.get("AUDIT_PUBLIC_KEY")
    # Staff members' client IP addresses beside the events: deleted by `audit purge-ips`.
    AUDIT_IP_RETENTION_DAYS = _int_env("AUDIT_IP_RETENTION_DAYS", 90)

    # Single sign-on with OpenID Connect (hoering/accounts/sso.py; README, "Single sign-on"):
    # the provider's issuer (None: no SSO, no button, its pages answer 404), this app's
    # client id and secret there (the secret only ever from the environment), the scopes
    # asked for, and the claim that names the user (Entra ID: "oid"). A login matches an
    # account by the provider's e-mail address only with OIDC_TRUST_VERIFIED_EMAIL=1 and
    # the id_token's email_verified true; OIDC_PROVIDER_ENFORCES_MFA=1: the provider's
    # login counts as two factors. SSO_ONLY_ROLES (e.g. "admin,staff") log in with SSO
    # only, never with a password (while SSO is configured).
    OIDC_ISSUER = os.environ.get("OIDC_ISSUER") or None
    OIDC_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID")
    OIDC_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET")
    OIDC_SCOPES = os.environ.get("OIDC_SCOPES", "openid email profile")
    OIDC_SUBJECT_CLAIM = os.environ.get("OIDC_SUBJECT_CLAIM", "sub")
    OIDC_PROVIDER_NAME = os.environ.get("OIDC_PROVIDER_NAME", "kommunens login")
    OIDC_TRUST_VERIFIED_EMAIL = os.environ.get("OIDC_TRUST_VERIFIED_EMAIL", "0") == "1"
    OIDC_PROVIDER_ENFORCES_MFA = os.environ.get("OIDC_PROVIDER_ENFORCES_MFA", "0") == "1"
    SSO_ONLY_ROLES = tuple(
        role.strip() for role in os.environ.get("SSO_ONLY_ROLES", "").split(",") if role.strip()
    )

    # Strict-Transport-Security on every response for this many seconds (with
    # includeSubDomains); 0 sends none. Only production serves over HTTPS.
    HSTS_SECONDS = 0


class DevelopmentConfig(Config):
    DEBUG = True


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-secret"  # noqa: S105
    WTF_CSRF_ENABLED = False  # tests that check CSRF switch it back on
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # noqa: S105 - fast hashing, tests only
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", "sqlite://")
    # Never from the environment: the migration tests downgrade to base wherever it points.
    MIGRATIONS_DATABASE_URL = None
    # Tests submit many responses from one address; the rate limit tests set their own.
    PUBLIC_SUBMIT_RATE_LIMIT = "10000 per minute"
    CONSULTEE_LINK_RATE_LIMIT = "10000 per minute"
    ACCOUNT_MAIL_RATE_LIMIT = "10000 per minute"
    ACCOUNT_MAIL_ADDRESS_RATE_LIMIT = "10000 per minute"
    # Never from the environment: the SSO tests start their own provider
    # (tests/oidc_provider.py).
    OIDC_ISSUER = None
    SSO_ONLY_ROLES: tuple[str, ...] = ()


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "1") == "1"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    AUDIT_CREATE_SIGNING_KEY = False  # a missing key is an error for the audit commands
    HSTS_SECONDS = _int_env("HSTS_SECONDS", 365 * 24 * 60 * 60)
    # No default: without a key nobody can enrol (and no role may require two-factor)
    TOTP_ENCRYPTION_KEY = os.environ.get("TOTP_ENCRYPTION_KEY")

    @classmethod
    def check(cls, settings: dict[str, Any]) -> None:
        """Refuse to run production with a default or missing secret."""
        key = settings.get("SECRET_KEY")
        if not key or key in (DEVELOPMENT_SECRET_KEY, TestingConfig.SECRET_KEY) or len(key) < 32:
            raise RuntimeError(
                "SECRET_KEY skal sættes til en hemmelig værdi på mindst 32 tegn i produktion "
                "(fx python -c 'import secrets; print(secrets.token_hex(32))')."
            )
        if not settings.get("SQLALCHEMY_DATABASE_URI"):
            raise RuntimeError("DATABASE_URL skal sættes i produktion (PostgreSQL).")
        cls._check_totp_key(settings)

    @classmethod
    def _check_totp_key(cls, settings: dict[str, Any]) -> None:
        """Two-factor needs a key of the installation's own: required by a role, it must
        be set; set, every key must be a Fernet key, and not the development one."""
        keys = totp_keys(settings.get("TOTP_ENCRYPTION_KEY"))
        how = f"Lav en nøgle med {MAKE_TOTP_KEY}."
        if not keys and settings.get("TWO_FACTOR_REQUIRED_ROLES"):
            raise RuntimeError(
                "TOTP_ENCRYPTION_KEY skal sættes i produktion, når TWO_FACTOR_REQUIRED_ROLES "
                f"kræver totrinsbekræftelse. {how}")
        if DEVELOPMENT_TOTP_KEY in keys or not all(_is_fernet_key(key) for key in keys):
            raise RuntimeError(
                "TOTP_ENCRYPTION_KEY skal være en hemmelig Fernet-nøgle (flere adskilt med "
                f"komma, den nyeste først), ikke udviklingsnøglen. {how}")


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
