""""Glemt adgangskode": a link by e-mail, valid one hour and once, to choose a new password.

Asking gives the same answer whether the address belongs to a user or not, and takes
the same time: the view waits until ``ANSWER_SECONDS`` have passed since the request
began (the work for a known address, a token and an e-mail in the outbox, is done
within them), so neither the page nor its timing tells which addresses exist. The
link's token is one of hoering.accounts.tokens (only its hash is stored, and the e-mail
gets it from the sender); opening the link shows a form, only its POST uses it up.
A user who logs in with single sign-on only (SSO_ONLY_ROLES) gets an e-mail that says
so instead of a link.
"""

from __future__ import annotations

import secrets
import time
from datetime import timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from hoering.accounts import sso_policy, tokens
from hoering.accounts.auth import attempted_address
from hoering.accounts.models import User
from hoering.accounts.operations import hash_password, normalise_email, renew_session_version
from hoering.audit.record import record_event
from hoering.audit.tags import AuditTag
from hoering.core.db import db, now_utc
from hoering.core.errors import DomainError
from hoering.core.i18n import in_language
from hoering.core.permissions import Permission, check
from hoering.core.web import public_url
from hoering.municipality.settings import current_settings
from hoering.outbox.queue import enqueue, render_body

RESET_VALID = timedelta(hours=1)
LINK_PATH = "/nulstil-adgangskode/"
ANSWER_SECONDS = 0.4  # longer than the work for a known address takes, under load too
PURPOSE = tokens.TokenPurpose.PASSWORD_RESET
STATE_MESSAGES = {
    tokens.TokenState.UNKNOWN: _l("Linket findes ikke. Tjek, at hele linket fra e-mailen er "
                                  "kommet med, eller bestil et nyt herunder."),
    tokens.TokenState.EXPIRED: _l("Linket er udløbet: det gælder i en time. Bestil et nyt "
                                  "herunder."),
    tokens.TokenState.REVOKED: _l("Linket er afløst af et nyere. Brug det nyeste, eller "
                                  "bestil et nyt herunder."),
    tokens.TokenState.USED: _l("Linket er allerede brugt. Log ind med den adgangskode, du "
                               "valgte, eller bestil et nyt link herunder."),
}


class ResetRefused(DomainError):
    status_code = 410


def request_reset(email: str) -> None:
    """Queue a reset link for the active user with ``email``, if there is one; audited
    either way (the address as a keyed hash). Flushes, never commits."""
    email = normalise_email(email)
    user = db.session.scalar(select(User).where(User.email == email))
    if user is not None and user.active:
        _send(user)
    record_event(AuditTag.AUTH_PASSWORD_RESET_REQUEST, actor=None, object_type="user",
                 object_id=user.id if user else None, changes=attempted_address(email))


def send_link(user: User, *, actor: User | None) -> None:
    """An administrator sends ``user`` a reset link (administrators never type another
    person's password)."""
    check(actor, Permission.MANAGE_USERS)
    if not user.active:
        raise DomainError(_("%(name)s er deaktiveret. Aktivér brugeren først.", name=user.name))
    if not sso_policy.password_login_allowed(user):
        raise DomainError(_("%(name)s logger ind med %(provider)s og har ingen adgangskode "
                            "her.", name=user.name, provider=sso_policy.provider_name()))
    _send(user)
    record_event(AuditTag.AUTH_PASSWORD_RESET_REQUEST, actor=actor, object_type="user",
                 object_id=user.id)


def wait_out(started: float) -> None:
    """Sleep until ``ANSWER_SECONDS`` have passed since ``started`` (time.monotonic())."""
    remaining = ANSWER_SECONDS - (time.monotonic() - started)
    if remaining > 0:
        time.sleep(remaining)


def _send(user: User) -> None:
    with in_language(user.language):
        _send_in_language(user)


def _send_in_language(user: User) -> None:
    municipality = current_settings().name
    if not sso_policy.password_login_allowed(user):  # logs in with single sign-on only
        enqueue(kind="password_reset", dedupe_key=f"password-reset-sso:{secrets.token_hex(16)}",
                to_address=user.email,
                subject=_("Login til høringsportalen – %(municipality)s",
                          municipality=municipality),
                body_text=render_body("mail/password_reset_sso.txt", user=user,
                                      provider=sso_policy.provider_name(),
                                      url=public_url("/login")))
        return
    for earlier in tokens.outstanding(PURPOSE, user.id, unused=True):
        tokens.revoke(earlier)  # only the newest link works
    token = tokens.reserve_token(PURPOSE, expires_at=now_utc() + RESET_VALID, user_id=user.id)
    enqueue(
        kind="password_reset", dedupe_key=f"password-reset:{token.id}", to_address=user.email,
        subject=_("Ny adgangskode til høringsportalen – %(municipality)s",
                  municipality=municipality),
        body_text=render_body("mail/password_reset.txt", user=user,
                              url=public_url(LINK_PATH) + tokens.placeholder(token)),
    )


def _valid(plain: str) -> tuple[tokens.AccessToken, User]:
    token, state = tokens.check_token(PURPOSE, plain)
    if token is None or state is not tokens.TokenState.VALID or token.user_id is None:
        raise ResetRefused(STATE_MESSAGES.get(state, STATE_MESSAGES[tokens.TokenState.UNKNOWN]))
    user = db.session.get_one(User, token.user_id)
    if not user.active or not sso_policy.password_login_allowed(user):
        raise ResetRefused(STATE_MESSAGES[tokens.TokenState.UNKNOWN])
    return token, user


def user_of(plain: str) -> User:
    """The user a valid reset link is for; ``ResetRefused`` saying why not. Changes nothing."""
    return _valid(plain)[1]


def reset(plain: str, password: str) -> User:
    """The user's new password from the link, which is used up; every session of the user
    ends, and an invitation still waiting stops working (audited, never the password)."""
    token, user = _valid(plain)
    user.password_hash = hash_password(password, name=user.name, email=user.email)
    tokens.mark_used(token)
    tokens.revoke_all(tokens.TokenPurpose.INVITATION, user.id)
    renew_session_version(user)
    record_event(AuditTag.USER_RESET_PASSWORD, actor=user, object_type="user",
                 object_id=user.id, changes={"password": {"before": "***", "after": "***"},
                                             "access_token": {"before": None, "after": token.id}})
    return user
