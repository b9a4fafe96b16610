"""Logging in and out: password check, throttling after repeated failures, audit events."""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta
from typing import Any

from flask import current_app
from sqlalchemy import delete, func, select
from werkzeug.security import check_password_hash, generate_password_hash

from hoering.accounts.models import LoginFailure, User
from hoering.accounts.operations import normalise_email
from hoering.audit.record import record_event
from hoering.audit.tags import AuditTag
from hoering.core.db import db, now_utc
from hoering.core.errors import DomainError

# Compared against when the e-mail is unknown, so both paths take the same time.
_DUMMY_HASH = generate_password_hash("dummy-password-for-timing", method="scrypt")


class LoginRefused(DomainError):
    """Wrong e-mail or password: the login form is shown again with the message."""

    status_code = 200


class LoginThrottled(LoginRefused):
    """Too many recent failures for this e-mail address or IP."""

    status_code = 429


def _recent_failures(column, value: str) -> int:
    window = timedelta(minutes=current_app.config["LOGIN_FAILURE_WINDOW_MINUTES"])
    return db.session.execute(
        select(func.count())
        .select_from(LoginFailure)
        .where(column == value, LoginFailure.occurred_at >= now_utc() - window)
    ).scalar_one()


def is_throttled(email: str, ip: str | None) -> bool:
    config = current_app.config
    if _recent_failures(LoginFailure.email, email) >= config["LOGIN_MAX_FAILURES_PER_EMAIL"]:
        return True
    return ip is not None and (
        _recent_failures(LoginFailure.ip, ip) >= config["LOGIN_MAX_FAILURES_PER_IP"]
    )


def authenticate(email: str, password: str, *, ip: str | None) -> User:
    """Return the user for valid credentials, or raise LoginRefused.

    Every outcome writes an audit event; the caller commits either way so that
    failures are counted.
    """
    email = normalise_email(email)
    if is_throttled(email, ip):
        record_event(
            AuditTag.AUTH_LOGIN_THROTTLED, actor=None, object_type="user", object_id=None,
            changes=_attempted(email),
        )
        minutes = current_app.config["LOGIN_FAILURE_WINDOW_MINUTES"]
        raise LoginThrottled(
            f"For mange mislykkede loginforsøg. Vent {minutes} minutter, og prøv igen."
        )
    user = db.session.scalar(select(User).where(User.email == email))
    password_ok = check_password_hash(user.password_hash if user else _DUMMY_HASH, password)
    if user is None or not password_ok or not user.active:
        db.session.add(LoginFailure(email=email, ip=ip))
        record_event(
            AuditTag.AUTH_LOGIN_FAILED, actor=None, object_type="user",
            object_id=user.id if user else None, changes=_attempted(email),
        )
        raise LoginRefused("Forkert e-mailadresse eller adgangskode.")
    record_event(AuditTag.AUTH_LOGIN, actor=user, object_type="user", object_id=user.id)
    _prune_login_failures()
    return user


def record_logout(user: User) -> None:
    record_event(AuditTag.AUTH_LOGOUT, actor=user, object_type="user", object_id=user.id)


def _prune_login_failures() -> None:
    """Forget failures older than a day; they no longer count towards any window."""
    db.session.execute(
        delete(LoginFailure).where(LoginFailure.occurred_at < now_utc() - timedelta(days=1))
    )


def _attempted(email: str) -> dict[str, Any]:
    """The address a login was tried with, as a keyed hash: repeated attempts on one
    address can be told apart in the audit trail, which holds no e-mail address."""
    digest = hmac.new(current_app.config["SECRET_KEY"].encode("utf-8"),
                      email.encode("utf-8"), hashlib.sha256).hexdigest()[:16]
    return {"email_hmac": {"before": None, "after": digest}}
