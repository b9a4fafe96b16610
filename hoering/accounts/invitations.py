"""Invitations: a new account gets a single-use link to choose its own password (nobody
types another person's password), or to log in with single sign-on instead, which binds
the provider's identity to the account. The link is a token of hoering.accounts.tokens;
only its hash is stored. Opening the link shows a page; only the POST with the new
password, or the completed single sign-on started by the page's POST, uses it up (mail
scanners open every link in an e-mail)."""

from __future__ import annotations

from datetime import timedelta

from hoering.accounts import identities, tokens
from hoering.accounts.identities import BoundBy, UserIdentity
from hoering.accounts.models import User
from hoering.accounts.operations import hash_password
from hoering.audit.record import record_event
from hoering.audit.tags import AuditTag
from hoering.core.db import db, now_utc
from hoering.core.errors import DomainError
from hoering.core.web import public_url

INVITATION_VALID = timedelta(days=7)
STATE_MESSAGES = {
    tokens.TokenState.UNKNOWN: "Linket findes ikke. Tjek, at hele linket fra e-mailen er "
                               "kommet med, eller bed administratoren om en ny invitation.",
    tokens.TokenState.EXPIRED: "Invitationen er udløbet. Bed administratoren om en ny.",
    tokens.TokenState.REVOKED: "Invitationen er trukket tilbage. Bed administratoren om en ny.",
    tokens.TokenState.USED: "Invitationen er allerede brugt: log ind med den adgangskode, "
                            "du valgte, eller brug »Glemt adgangskode«.",
}


class InvitationRefused(DomainError):
    status_code = 410


def invite(user: User, *, actor: User | None) -> str:
    """A new invitation link for ``user`` (an earlier one stops working); returned once."""
    for earlier in db.session.scalars(db.select(tokens.AccessToken).where(
            tokens.AccessToken.user_id == user.id,
            tokens.AccessToken.purpose == tokens.TokenPurpose.INVITATION)):
        tokens.revoke(earlier)
    issued = tokens.issue_token(tokens.TokenPurpose.INVITATION,
                                expires_at=now_utc() + INVITATION_VALID, user_id=user.id)
    record_event(AuditTag.USER_INVITE, actor=actor, object_type="user", object_id=user.id,
                 changes={"access_token": {"before": None, "after": issued.token.id}})
    return public_url(f"/invitation/{issued.plain}")


def _valid_invitation(plain: str) -> tuple[tokens.AccessToken, User]:
    token, state = tokens.check_token(tokens.TokenPurpose.INVITATION, plain)
    if token is None or state is not tokens.TokenState.VALID or token.user_id is None:
        unknown = STATE_MESSAGES[tokens.TokenState.UNKNOWN]
        raise InvitationRefused(STATE_MESSAGES.get(state, unknown))
    return token, db.session.get_one(User, token.user_id)


def invited_user(plain: str) -> User:
    """The user a valid invitation link is for; ``InvitationRefused`` saying why not."""
    return _valid_invitation(plain)[1]


def accept(plain: str, password: str) -> User:
    """Set the invited user's own password and use the link up (audited, never the
    password or the token)."""
    token, user = _valid_invitation(plain)
    user.password_hash = hash_password(password, name=user.name, email=user.email)
    tokens.mark_used(token)
    record_event(AuditTag.USER_SET_PASSWORD, actor=user, object_type="user", object_id=user.id,
                 changes={"password": {"before": "***", "after": "***"},
                          "access_token": {"before": None, "after": token.id}})
    return user


def accept_identity(plain: str, *, issuer: str, subject: str) -> tuple[User, UserIdentity]:
    """Bind the invited user's verified login at the provider (hoering.accounts.sso) in
    place of a password, and use the link up (audited by the token's id)."""
    token, user = _valid_invitation(plain)
    identity = identities.bind_identity(user, issuer=issuer, subject=subject,
                                        how=BoundBy.INVITATION, actor=user, token=token)
    tokens.mark_used(token)
    return user, identity
