"""Invitations: a new account gets a single-use link to choose its own password (nobody
types another person's password), or to log in with single sign-on instead, which binds
the provider's identity to the account. The link is a token of hoering.accounts.tokens;
only its hash is stored. Opening the link shows a page; only the POST with the new
password, or the completed single sign-on started by the page's POST, uses it up (mail
scanners open every link in an e-mail).

The link reaches the user by e-mail (``send_invitation``: the outbox holds a placeholder,
the sender issues the token as it sends) or, for the first administrator of a new
installation, printed once by ``flask setup`` (``invite``). Either way a new invitation
replaces the one before."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from hoering.accounts import identities, sso_policy, tokens
from hoering.accounts.identities import BoundBy, UserIdentity
from hoering.accounts.models import Role, User
from hoering.accounts.operations import NO_PASSWORD, create_user, hash_password
from hoering.audit.record import record_event
from hoering.audit.tags import AuditTag
from hoering.core.db import db, now_utc
from hoering.core.errors import DomainError
from hoering.core.i18n import in_language
from hoering.core.web import public_url
from hoering.municipality.settings import current_settings
from hoering.outbox.queue import enqueue, render_body

INVITATION_VALID = timedelta(days=7)
LINK_PATH = "/invitation/"
STATE_MESSAGES = {
    tokens.TokenState.UNKNOWN: _l("Linket findes ikke. Tjek, at hele linket fra e-mailen er "
                                  "kommet med, eller bed administratoren om en ny invitation."),
    tokens.TokenState.EXPIRED: _l("Invitationen er udløbet. Du kan få en ny tilsendt herunder, "
                                  "eller bede administratoren om en."),
    tokens.TokenState.REVOKED: _l("Invitationen er trukket tilbage. Bed administratoren om en "
                                  "ny."),
    tokens.TokenState.USED: _l("Invitationen er allerede brugt: log ind med den adgangskode, "
                               "du valgte, eller brug »Glemt adgangskode«."),
}


class InvitationRefused(DomainError):
    status_code = 410

    def __init__(self, message: str, *, renewable: bool = False) -> None:
        super().__init__(message)
        self.renewable = renewable  # expired: the page offers to send a new one


def invite(user: User, *, actor: User | None) -> str:
    """A new invitation link for ``user``, returned once (printed by ``flask setup``)."""
    _revoke_earlier(user)
    issued = tokens.issue_token(tokens.TokenPurpose.INVITATION,
                                expires_at=now_utc() + INVITATION_VALID, user_id=user.id)
    _audit_invitation(user, issued.token, actor=actor, by_email=False)
    return public_url(LINK_PATH + issued.plain)


def send_invitation(user: User, *, actor: User | None) -> tokens.AccessToken:
    """E-mail ``user`` a new invitation link (the one sent before stops working). An
    administrator invites and re-sends; a user whose invitation expired asks for a new one
    from its page (``actor`` None: it goes to the account's own address only)."""
    if not user.active:
        raise DomainError(_("%(name)s er deaktiveret og kan ikke inviteres.", name=user.name))
    if not awaits_password(user):
        raise DomainError(_("%(name)s har allerede valgt en adgangskode. Brug »Glemt "
                            "adgangskode« på login-siden, hvis den er glemt.", name=user.name))
    _revoke_earlier(user)
    token = tokens.reserve_token(tokens.TokenPurpose.INVITATION,
                                 expires_at=now_utc() + INVITATION_VALID, user_id=user.id)
    settings = current_settings()
    with in_language(user.language):
        enqueue(
            kind="account_invitation", dedupe_key=f"account-invitation:{token.id}",
            to_address=user.email,
            subject=_("Invitation til høringsportalen – %(municipality)s",
                      municipality=settings.name),
            body_text=render_body(
                "mail/account_invitation.txt", user=user, inviter=actor,
                municipality=settings.name, valid_days=INVITATION_VALID.days,
                provider=sso_policy.provider_name() if sso_policy.configured() else None,
                password_allowed=sso_policy.password_login_allowed(user),
                url=public_url(LINK_PATH) + tokens.placeholder(token)),
        )
    _audit_invitation(user, token, actor=actor, by_email=True)
    return token


def create_invited_user(*, name: str, email: str, role: Role, actor: User | None) -> User:
    """A new user, and the invitation e-mail that lets them choose their password."""
    user = create_user(name=name, email=email, role=role, password=None, actor=actor)
    db.session.flush()  # the user's id, for the invitation
    send_invitation(user, actor=actor)
    return user


def awaits_password(user: User) -> bool:
    """Invited, and no password chosen yet."""
    return user.password_hash == NO_PASSWORD


def pending_invitation(user: User) -> tokens.AccessToken | None:
    """The invitation sent last that has not been used or replaced (it may have expired)."""
    waiting = tokens.outstanding(tokens.TokenPurpose.INVITATION, user.id, unused=True)
    return waiting[-1] if waiting else None


def _revoke_earlier(user: User) -> None:
    tokens.revoke_all(tokens.TokenPurpose.INVITATION, user.id)


def _audit_invitation(user: User, token: tokens.AccessToken, *, actor: User | None,
                      by_email: bool) -> None:
    record_event(AuditTag.USER_INVITE, actor=actor, object_type="user", object_id=user.id,
                 changes={"access_token": {"before": None, "after": token.id},
                          "by_email": {"before": None, "after": by_email}})


def renew_expired(plain: str) -> bool:
    """From the page of an expired invitation: a new one to the account's own address, if
    the account still waits for its password; whether one was sent."""
    token, state = tokens.check_token(tokens.TokenPurpose.INVITATION, plain)
    if token is None or state is not tokens.TokenState.EXPIRED or token.user_id is None:
        return False
    user = db.session.get_one(User, token.user_id)
    if not user.active or not awaits_password(user):
        return False
    send_invitation(user, actor=None)
    return True


def _valid_invitation(plain: str) -> tuple[tokens.AccessToken, User]:
    token, state = tokens.check_token(tokens.TokenPurpose.INVITATION, plain)
    if token is None or state is not tokens.TokenState.VALID or token.user_id is None:
        unknown = STATE_MESSAGES[tokens.TokenState.UNKNOWN]
        raise InvitationRefused(STATE_MESSAGES.get(state, unknown),
                                renewable=state is tokens.TokenState.EXPIRED)
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
