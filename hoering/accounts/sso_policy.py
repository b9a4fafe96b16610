"""Who logs in how, when single sign-on is configured: read from the configuration only,
so that every part of the accounts (login, invitations, password resets) can ask without
the protocol (hoering.accounts.sso)."""

from __future__ import annotations

from flask import current_app

from hoering.accounts.models import User


def configured() -> bool:
    """SSO is on: an issuer is configured (else no button, and its pages answer 404)."""
    return bool(current_app.config["OIDC_ISSUER"])


def provider_name() -> str:
    name: str = current_app.config["OIDC_PROVIDER_NAME"]
    return name


def password_login_allowed(user: User) -> bool:
    """May ``user`` log in with a password (or choose or reset one)? Not the roles of
    SSO_ONLY_ROLES, as long as SSO is configured (without it nobody would get in)."""
    return not configured() or user.role.value not in current_app.config["SSO_ONLY_ROLES"]
