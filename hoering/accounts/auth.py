"""Logging in and out: password check, throttling after repeated failures, audit events.

Throttling stops guessing without locking anyone out: failures are counted per pair of
e-mail address and client IP, and only that pair waits (longer after each failure; the
settings are in config.py). The real user, from any client that has not failed for the
address, is never refused, however many guesses come from elsewhere; a client from which
many different addresses failed (spraying one password over many accounts) waits from
the first failure of each, longer the more addresses it tried, while its other users,
who have not failed, log in as usual (a town hall's NAT).
"""

from __future__ import annotations

import hashlib
import hmac
import math
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import delete, func, select
from werkzeug.security import check_password_hash, generate_password_hash

from hoering.accounts import sso_policy
from hoering.accounts.models import LoginFailure, User
from hoering.accounts.operations import normalise_email, renew_session_version
from hoering.audit.record import record_event
from hoering.audit.tags import AuditTag
from hoering.core.db import db, now_utc
from hoering.core.errors import DomainError

# Compared against when the e-mail is unknown, so both paths take the same time.
_DUMMY_HASH = generate_password_hash("dummy-password-for-timing", method="scrypt")
_MAX_EXPONENT = 40  # 2**40 seconds is past any LOGIN_MAX_DELAY_SECONDS


class LoginRefused(DomainError):
    """Wrong e-mail or password: the login form is shown again with the message."""

    status_code = 200

    @property
    def headers(self) -> dict[str, str]:
        """The response's headers beside the message."""
        return {}


class LoginThrottled(LoginRefused):
    """Too many recent failures for this e-mail address from this client."""

    status_code = 429

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after

    @property
    def headers(self) -> dict[str, str]:
        return {"Retry-After": str(self.retry_after)}


def _pair(email: str, ip: str | None) -> Any:
    return (LoginFailure.email == email) & (
        LoginFailure.ip.is_(None) if ip is None else LoginFailure.ip == ip)


def _pair_failures(email: str, ip: str | None) -> tuple[int, datetime | None]:
    """How often the pair failed within LOGIN_FAILURE_WINDOW_MINUTES, and when last."""
    window = timedelta(minutes=current_app.config["LOGIN_FAILURE_WINDOW_MINUTES"])
    count, last = db.session.execute(
        select(func.count(), func.max(LoginFailure.occurred_at))
        .where(_pair(email, ip), LoginFailure.occurred_at >= now_utc() - window)
    ).one()
    return count, last  # max() keeps the column's type: an aware datetime


def _addresses_failed_from(ip: str) -> int:
    """How many different addresses failed from ``ip`` within LOGIN_IP_WINDOW_MINUTES."""
    window = timedelta(minutes=current_app.config["LOGIN_IP_WINDOW_MINUTES"])
    return db.session.execute(
        select(func.count(func.distinct(LoginFailure.email)))
        .where(LoginFailure.ip == ip, LoginFailure.occurred_at >= now_utc() - window)
    ).scalar_one()


def retry_after(email: str, ip: str | None) -> int:
    """Seconds the pair (``email``, ``ip``) must still wait before its next attempt; 0:
    it may try now. A pair that has not failed never waits."""
    config = current_app.config
    count, last = _pair_failures(email, ip)
    if count == 0 or last is None:
        return 0
    free, extra = config["LOGIN_FREE_FAILURES_PER_PAIR"], 0
    if ip is not None:
        over = _addresses_failed_from(ip) - config["LOGIN_MAX_FAILURES_PER_IP"]
        if over >= 0:  # spraying: every address tried from here waits, the longer the more
            free, extra = 1, over
    if count < free:
        return 0
    delay = min(2 ** min(count - free + extra, _MAX_EXPONENT), config["LOGIN_MAX_DELAY_SECONDS"])
    remaining = (last + timedelta(seconds=delay) - now_utc()).total_seconds()
    return max(0, math.ceil(remaining))


def danish_wait(seconds: int) -> str:
    """``1 sekund``, ``40 sekunder``, ``1 minut``, ``15 minutter`` (minutes rounded up), in
    the page's language."""
    if seconds < 60:
        return str(ngettext("%(num)d sekund", "%(num)d sekunder", seconds))
    minutes = math.ceil(seconds / 60)
    return str(ngettext("%(num)d minut", "%(num)d minutter", minutes))


def check_throttle(email: str, ip: str | None) -> None:
    """Raise LoginThrottled (audited) while the pair must wait."""
    wait = retry_after(email, ip)
    if not wait:
        return
    record_event(
        AuditTag.AUTH_LOGIN_THROTTLED, actor=None, object_type="user", object_id=None,
        changes=attempted_address(email),
    )
    raise LoginThrottled(
        _("For mange mislykkede loginforsøg med denne e-mailadresse fra din forbindelse. "
          "Vent %(wait)s, og prøv igen.", wait=danish_wait(wait)), retry_after=wait,
    )


def count_failure(email: str, ip: str | None) -> None:
    """A wrong password for ``email`` from ``ip``: counted towards the pair's waits."""
    db.session.add(LoginFailure(email=email, ip=ip))
    db.session.flush()


def authenticate(email: str, password: str, *, ip: str | None) -> User:
    """Return the user for valid credentials, or raise LoginRefused.

    A refusal writes an audit event; the caller commits either way so that failures are
    counted. The login itself is audited, and the pair's failures forgotten, once it is
    complete (``record_login``, ``forget_failures``: views.login.finish_login).
    """
    email = normalise_email(email)
    check_throttle(email, ip)
    user = db.session.scalar(select(User).where(User.email == email))
    password_ok = check_password_hash(user.password_hash if user else _DUMMY_HASH, password)
    if user is None or not password_ok or not user.active:
        count_failure(email, ip)
        record_event(
            AuditTag.AUTH_LOGIN_FAILED, actor=None, object_type="user",
            object_id=user.id if user else None, changes=attempted_address(email),
        )
        raise LoginRefused(_("Forkert e-mailadresse eller adgangskode."))
    if not sso_policy.password_login_allowed(user):
        _refuse_password_for_sso(user)
    _prune_login_failures()
    return user


def record_login(user: User) -> None:
    """The login is complete (its password or single sign-on, and its second factor if
    due): the session starts, and the pair's failures are forgotten."""
    record_event(AuditTag.AUTH_LOGIN, actor=user, object_type="user", object_id=user.id)


def _refuse_password_for_sso(user: User) -> None:
    """A right password of a role that logs in with single sign-on only (SSO_ONLY_ROLES):
    refused, audited, and not counted as a guess. Said only after the right password, so
    the message tells nobody else which addresses are staff."""
    record_event(AuditTag.AUTH_LOGIN_FAILED, actor=None, object_type="user", object_id=user.id,
                 changes={**attempted_address(user.email),
                          "reason": {"before": None, "after": "sso_only"}})
    name = sso_policy.provider_name()
    raise LoginRefused(_("Din bruger logger ind med %(name)s, ikke med en adgangskode: brug "
                         "knappen »Log ind med %(name)s«.", name=name))
def forget_failures(email: str, ip: str | None) -> None:
    """The pair logged in (its second factor too, if it has one): it starts over. Not
    after the password alone, or each right password would let wrong codes start over."""
    db.session.execute(delete(LoginFailure).where(_pair(email, ip)))


def record_wrong_current_password(user: User, ip: str | None) -> None:
    """A wrong current password given to change one's own: counted like a failed login
    (someone with a stolen session guesses no faster) and audited."""
    count_failure(user.email, ip)
    record_event(AuditTag.AUTH_LOGIN_FAILED, actor=user, object_type="user",
                 object_id=user.id, changes=attempted_address(user.email))


def record_logout(user: User) -> None:
    """Logging out ends the user's sessions everywhere: a cookie copied before it no
    longer logs anyone in."""
    renew_session_version(user)
    record_event(AuditTag.AUTH_LOGOUT, actor=user, object_type="user", object_id=user.id)


def _prune_login_failures() -> None:
    """Forget failures that no longer count towards any window (a day at least)."""
    config = current_app.config
    minutes = max(config["LOGIN_FAILURE_WINDOW_MINUTES"], config["LOGIN_IP_WINDOW_MINUTES"])
    keep = max(timedelta(minutes=minutes), timedelta(days=1))
    db.session.execute(delete(LoginFailure).where(LoginFailure.occurred_at < now_utc() - keep))


def attempted_address(email: str) -> dict[str, Any]:
    """The address a login was tried with, as a keyed hash: repeated attempts on one
    address can be told apart in the audit trail, which holds no e-mail address."""
    digest = hmac.new(current_app.config["SECRET_KEY"].encode("utf-8"),
                      email.encode("utf-8"), hashlib.sha256).hexdigest()[:16]
    return {"email_hmac": {"before": None, "after": digest}}
