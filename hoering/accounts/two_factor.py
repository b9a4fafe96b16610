"""Two-factor login: a code from an authenticator app (TOTP, RFC 6238), or a recovery code.

Who must use it: the roles in TWO_FACTOR_REQUIRED_ROLES; anyone else may. The login
(hoering.accounts.views.login.finish_login) asks for the code after the password, and
sends a user whose role requires it but who has not enrolled to the enrolment first.

The secret is stored encrypted with Fernet under TOTP_ENCRYPTION_KEY, which lives in the
configuration, never in the database: a copy of the database gives nobody's codes.
Several keys (newest first) rotate it: every key reads, the newest writes, and each
secret read with an older key is written again with the newest one (``rekey`` does all).

A code counts for its 30-second step and the one before and after (clocks drift), and
only once: the enrolment keeps the last step used, so a code seen over a shoulder or
caught on its way is worthless afterwards. Recovery codes (10, shown once) are kept only
as SHA-256 hashes, each good for one login. Wrong codes count as failed logins of the
user's (e-mail, IP) pair and wait alike (hoering.accounts.auth).

The audit events name the user and what happened, never a secret or a code.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from datetime import datetime
from typing import NamedTuple

import pyotp
import segno
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import ForeignKey, String, UniqueConstraint, delete, func, select, update
from sqlalchemy.orm import Mapped, mapped_column

from config import totp_keys
from hoering.accounts.auth import LoginRefused, check_throttle, count_failure
from hoering.accounts.models import Role, User
from hoering.accounts.operations import renew_session_version
from hoering.audit.record import record_event
from hoering.audit.tags import AuditTag
from hoering.core.db import Base, db, now_utc
from hoering.core.errors import DomainError, NotAllowed
from hoering.core.permissions import Permission, check

STEP_SECONDS = 30  # what every authenticator app uses (with 6 digits and SHA-1)
RECOVERY_CODE_COUNT = 10
# no 0/o, 1/l/i: read off paper and typed in again; 12 of 31 characters: 59 bits
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
_RECOVERY_LENGTH = 12


class TwoFactorEnrolment(Base):
    """A user's authenticator app: written when its first code was confirmed."""

    __tablename__ = "two_factor_enrolments"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         unique=True)
    secret_encrypted: Mapped[str] = mapped_column(String(500))  # a Fernet token
    enrolled_at: Mapped[datetime] = mapped_column(default=now_utc)
    # the TOTP step (Unix time // 30) of the last code accepted: no code counts twice
    last_used_step: Mapped[int]


class RecoveryCode(Base):
    """One of a user's recovery codes, by its SHA-256; ``used_at`` once it logged in."""

    __tablename__ = "recovery_codes"
    __table_args__ = (UniqueConstraint("user_id", "code_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=now_utc)
    used_at: Mapped[datetime | None]


class WrongCode(LoginRefused):
    """The code is not the app's current one (nor an unused recovery code)."""


class TwoFactorUnavailable(LoginRefused):
    """The installation has no TOTP_ENCRYPTION_KEY (or not the one a secret was stored
    under): nobody can enrol, and an app's code cannot be checked."""

    status_code = 503


class Setup(NamedTuple):
    """What the enrolment page shows for a new secret."""

    secret_groups: str  # the secret in groups of four, for typing it into the app
    qr_data_uri: str  # an SVG of the otpauth:// URI, as a data: URI (the CSP allows those)


# --- the key -------------------------------------------------------------------------


def available() -> bool:
    """Whether the installation can keep secrets (it has a key)."""
    return bool(totp_keys(current_app.config.get("TOTP_ENCRYPTION_KEY")))


def _fernet() -> MultiFernet:
    keys = totp_keys(current_app.config.get("TOTP_ENCRYPTION_KEY"))
    if not keys:
        raise TwoFactorUnavailable(
            _("Totrinsbekræftelse er ikke sat op på denne installation (nøglen mangler). "
              "Kontakt en administrator."))
    return MultiFernet([Fernet(key) for key in keys])


def encrypt_secret(secret: str) -> str:
    return _fernet().encrypt(secret.encode("ascii")).decode("ascii")


def decrypt_secret(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode("ascii")).decode("ascii")
    except InvalidToken:
        raise TwoFactorUnavailable(
            _("Koden kan ikke kontrolleres: installationens nøgle passer ikke til den gemte "
              "opsætning. Kontakt en administrator.")) from None


# --- who, and what ----------------------------------------------------------------------


def role_names(setting: str | Iterable[str]) -> set[str]:
    """TWO_FACTOR_REQUIRED_ROLES's names: a tuple (from the environment), or a string."""
    names = setting.split(",") if isinstance(setting, str) else setting
    return {name.strip() for name in names if name.strip()}


def unknown_role_names(setting: str | Iterable[str]) -> list[str]:
    """The names in the setting that are no role (the app refuses to start with any)."""
    return sorted(role_names(setting) - {role.value for role in Role})


def required_roles() -> frozenset[Role]:
    return frozenset(Role(name)
                     for name in role_names(current_app.config["TWO_FACTOR_REQUIRED_ROLES"]))


def is_required(user: User) -> bool:
    return user.role in required_roles()


def enrolment_of(user: User) -> TwoFactorEnrolment | None:
    return db.session.scalar(
        select(TwoFactorEnrolment).where(TwoFactorEnrolment.user_id == user.id))


def is_enrolled(user: User) -> bool:
    return enrolment_of(user) is not None


def second_factor_due(user: User) -> bool:
    """Whether logging ``user`` in waits for a code (or, not enrolled, an enrolment)."""
    return is_required(user) or is_enrolled(user)


def recovery_codes_left(user: User) -> int:
    return db.session.scalar(select(func.count()).select_from(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))) or 0


# --- secrets and codes ---------------------------------------------------------------


def new_secret() -> str:
    return pyotp.random_base32()  # 32 base32 characters: 160 bits, as RFC 4226 advises


def setup_for(user: User, secret: str) -> Setup:
    uri = pyotp.TOTP(secret).provisioning_uri(
        name=user.email, issuer_name=current_app.config["TOTP_ISSUER"])
    qr = segno.make(uri, error="m").svg_data_uri(scale=5, border=2)
    groups = " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))
    return Setup(secret_groups=groups, qr_data_uri=qr)


def current_step() -> int:
    return int(now_utc().timestamp()) // STEP_SECONDS


def _compact(code: str) -> str:
    """What was typed, without spaces and hyphens (``123 456``, ``abcd-efgh-jkmn``)."""
    return "".join(code.split()).replace("-", "").lower()


def _is_app_code(code: str) -> bool:
    """Six digits (0-9 only), as an app shows them; anything else may be a recovery code."""
    code = _compact(code)
    return len(code) == 6 and code.isascii() and code.isdigit()


def matching_step(secret: str, code: str, *, after: int | None = None) -> int | None:
    """The step (now, or one before or after) whose code ``code`` is, if later than
    ``after``; None for any other code."""
    if not _is_app_code(code):
        return None
    code = _compact(code)
    totp, now = pyotp.TOTP(secret), current_step()
    for step in (now - 1, now, now + 1):
        if (after is None or step > after) and hmac.compare_digest(
                totp.generate_otp(step), code):
            return step
    return None


def _hash(code: str) -> str:
    return hashlib.sha256(_compact(code).encode("utf-8")).hexdigest()


def _new_recovery_codes(user: User) -> list[str]:
    """Ten new recovery codes for ``user`` (the old ones go), as the user reads them."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _code in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_LENGTH))
        codes.append("-".join(raw[i:i + 4] for i in range(0, _RECOVERY_LENGTH, 4)))
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_hash(c)) for c in codes)
    db.session.flush()
    return codes


def _accept_app_code(enrolment: TwoFactorEnrolment, code: str) -> bool:
    """The app's code, not used before: its step is kept (in one UPDATE, so two
    requests with the same code cannot both succeed)."""
    if not _is_app_code(code):
        return False  # a recovery code: no need for the key
    step = matching_step(decrypt_secret(enrolment.secret_encrypted), code,
                         after=enrolment.last_used_step)
    if step is None:
        return False
    taken = db.session.scalar(
        update(TwoFactorEnrolment)
        .where(TwoFactorEnrolment.id == enrolment.id,
               TwoFactorEnrolment.last_used_step < step)
        .values(last_used_step=step)
        .returning(TwoFactorEnrolment.id)
        .execution_options(synchronize_session=False))
    if taken is None:
        return False
    db.session.refresh(enrolment)
    _rotate(enrolment)
    return True


def _rotate(enrolment: TwoFactorEnrolment) -> None:
    """While keys are being rotated (more than one), write the secret again under the
    newest, so that the older keys can go once everyone has logged in (or ``rekey``)."""
    if len(totp_keys(current_app.config.get("TOTP_ENCRYPTION_KEY"))) > 1:
        enrolment.secret_encrypted = _fernet().rotate(
            enrolment.secret_encrypted.encode("ascii")).decode("ascii")
        db.session.flush()


def _use_recovery_code(user: User, code: str) -> bool:
    """An unused recovery code of ``user``: used up now (one UPDATE, as above)."""
    used = db.session.scalar(
        update(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _hash(code),
               RecoveryCode.used_at.is_(None))
        .values(used_at=now_utc())
        .returning(RecoveryCode.id)
        .execution_options(synchronize_session=False))
    return used is not None


def check_code(user: User, code: str, *, ip: str | None) -> bool:
    """The second factor of enrolled ``user``: the app's code, or a recovery code (used
    up and audited). True when it was a recovery code. Wrong: counted for the pair and
    audited, ``WrongCode``; ``LoginThrottled`` while the pair must wait. The caller
    commits either way."""
    check_throttle(user.email, ip)
    enrolment = enrolment_of(user)
    if enrolment is None:
        raise DomainError(_("Totrinsbekræftelse er ikke slået til for brugeren."))
    if _accept_app_code(enrolment, code):
        return False
    if _use_recovery_code(user, code):
        record_event(AuditTag.AUTH_TWO_FACTOR_RECOVERY_USED, actor=user, object_type="user",
                     object_id=user.id,
                     changes={"recovery_codes_left": {"before": None,
                                                      "after": recovery_codes_left(user)}})
        return True
    count_failure(user.email, ip)
    record_event(AuditTag.AUTH_TWO_FACTOR_FAILED, actor=None, object_type="user",
                 object_id=user.id)
    raise WrongCode(_("Koden er forkert eller allerede brugt. Skriv den kode, appen viser nu, "
                      "eller en af dine gendannelseskoder."))


def pass_login(user: User, code: str, *, ip: str | None) -> None:
    """The code page of a login: ``check_code``, and the login audited as passed."""
    if not check_code(user, code, ip=ip):
        record_event(AuditTag.AUTH_TWO_FACTOR_PASSED, actor=user, object_type="user",
                     object_id=user.id)


# --- operations ----------------------------------------------------------------------


def enrol(user: User, secret: str, code: str, *, actor: User) -> list[str]:
    """``user`` confirms the app set up with ``secret`` by its first ``code``; returns the
    recovery codes, to be shown once. Every other session of the user ends (the caller
    starts this one again)."""
    if actor is not user:
        raise NotAllowed(_("Kun brugeren selv kan opsætte sin totrinsbekræftelse."))
    if is_enrolled(user):
        raise DomainError(_("Totrinsbekræftelse er allerede slået til."))
    step = matching_step(secret, code)
    if step is None:
        raise WrongCode(_("Koden passer ikke. Skriv den sekscifrede kode, appen viser nu "
                          "(tjek at telefonens ur går rigtigt)."))
    db.session.add(TwoFactorEnrolment(user_id=user.id, secret_encrypted=encrypt_secret(secret),
                                      last_used_step=step))
    codes = _new_recovery_codes(user)
    renew_session_version(user)
    record_event(AuditTag.USER_TWO_FACTOR_ENROL, actor=actor, object_type="user",
                 object_id=user.id)
    return codes


def new_recovery_codes(user: User, *, actor: User) -> list[str]:
    """Ten new recovery codes for ``user`` (by themself); the old ones stop working."""
    if actor is not user:
        raise NotAllowed(_("Kun brugeren selv kan lave nye gendannelseskoder."))
    if not is_enrolled(user):
        raise DomainError(_("Totrinsbekræftelse er ikke slået til."))
    codes = _new_recovery_codes(user)
    record_event(AuditTag.USER_TWO_FACTOR_RECOVERY_CODES, actor=actor, object_type="user",
                 object_id=user.id)
    return codes


def _remove(user: User) -> None:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.execute(delete(TwoFactorEnrolment).where(TwoFactorEnrolment.user_id == user.id))


def disable(user: User, *, actor: User) -> None:
    """``user`` switches two-factor off, unless their role requires it."""
    if actor is not user:
        raise NotAllowed(_("Kun brugeren selv kan slå sin totrinsbekræftelse fra."))
    if is_required(user):
        raise DomainError(_("Din rolle kræver totrinsbekræftelse, så den kan ikke slås fra. "
                            "Har du fået ny telefon, kan en administrator nulstille den."))
    if not is_enrolled(user):
        raise DomainError(_("Totrinsbekræftelse er ikke slået til."))
    _remove(user)
    record_event(AuditTag.USER_TWO_FACTOR_DISABLE, actor=actor, object_type="user",
                 object_id=user.id)


def reset(user: User, *, actor: User | None) -> None:
    """An administrator removes ``user``'s app and recovery codes (a lost phone) and
    ends their sessions; if their role requires two-factor, they enrol again at their
    next login."""
    check(actor, Permission.MANAGE_USERS)
    if not is_enrolled(user):
        raise DomainError(_("%(name)s har ikke totrinsbekræftelse slået til.", name=user.name))
    _remove(user)
    renew_session_version(user)
    record_event(AuditTag.USER_TWO_FACTOR_RESET, actor=actor, object_type="user",
                 object_id=user.id)


def rekey() -> int:
    """Encrypt every secret again with the newest key (after adding one in front of
    TOTP_ENCRYPTION_KEY; then the older keys can go). Returns how many. The operator's
    command (``flask users rekey-two-factor``): no actor."""
    enrolments = list(db.session.scalars(select(TwoFactorEnrolment)))
    fernet = _fernet()
    for enrolment in enrolments:
        try:
            token = fernet.rotate(enrolment.secret_encrypted.encode("ascii"))
        except InvalidToken:
            raise TwoFactorUnavailable(
                f"Bruger {enrolment.user_id}s hemmelighed kan ikke læses med nogen af "
                "nøglerne i TOTP_ENCRYPTION_KEY; intet er ændret.") from None
        enrolment.secret_encrypted = token.decode("ascii")
    record_event(AuditTag.TWO_FACTOR_REKEY, actor=None, object_type="two_factor",
                 object_id=None,
                 changes={"enrolments": {"before": None, "after": len(enrolments)}})
    return len(enrolments)
