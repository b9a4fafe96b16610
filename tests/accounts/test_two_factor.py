"""Two-factor, below the pages: the secret encrypted under the configuration's key (and
its rotation), codes within one step either side and never twice, recovery codes kept
as hashes and used once, and the operations with their audit events."""

from __future__ import annotations

import hashlib
import json

import pytest
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import func, select, text

from config import DEVELOPMENT_TOTP_KEY
from hoering.accounts import two_factor
from hoering.accounts.models import LoginFailure, Role
from hoering.accounts.two_factor import RecoveryCode, TwoFactorEnrolment
from hoering.audit.log import entry
from hoering.audit.models import AuditEvent
from hoering.core.db import db
from hoering.core.errors import DomainError, NotAllowed
from tests.accounts import two_factor_helpers
from tests.accounts.two_factor_helpers import app_code, enrol

clock = two_factor_helpers.clock  # a fixture of this module too
IP = "10.0.0.9"


def _events(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def _wrong_code(secret: str) -> str:
    """Six digits that are no code of ``secret`` within the window."""
    window = {app_code(secret, steps) for steps in (-1, 0, 1)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in window)


def _stored(user) -> str:
    """The secret column as the database holds it (read past the ORM)."""
    return db.session.execute(
        text("SELECT secret_encrypted FROM two_factor_enrolments WHERE user_id = :id"),
        {"id": user.id}).scalar_one()


# --- the key -------------------------------------------------------------------------


def test_the_database_holds_the_secret_encrypted_and_another_key_cannot_read_it(
        app, make_user, clock):
    user = make_user()
    secret, _codes = enrol(user)
    stored = _stored(user)

    assert secret not in stored and secret.lower() not in stored.lower()
    assert two_factor.decrypt_secret(stored) == secret
    with pytest.raises(InvalidToken):
        Fernet(Fernet.generate_key()).decrypt(stored.encode())
    assert Fernet(DEVELOPMENT_TOTP_KEY).decrypt(stored.encode()).decode() == secret


def test_a_new_key_in_front_reads_the_old_secrets_and_rewrites_them_at_the_next_code(
        app, make_user, clock, monkeypatch):
    user = make_user()
    secret, _codes = enrol(user)
    old_key, new_key = DEVELOPMENT_TOTP_KEY, Fernet.generate_key().decode()
    monkeypatch.setitem(app.config, "TOTP_ENCRYPTION_KEY", f"{new_key}, {old_key}")
    clock.next_step()

    two_factor.check_code(user, app_code(secret), ip=IP)
    db.session.commit()

    assert Fernet(new_key).decrypt(_stored(user).encode()).decode() == secret
    monkeypatch.setitem(app.config, "TOTP_ENCRYPTION_KEY", new_key)  # the old key goes
    clock.next_step()
    two_factor.check_code(user, app_code(secret), ip=IP)


def test_rekey_encrypts_every_secret_with_the_newest_key(app, make_user, clock, monkeypatch):
    users = [make_user() for _ in range(3)]
    secrets = [enrol(user)[0] for user in users]
    new_key = Fernet.generate_key().decode()
    monkeypatch.setitem(app.config, "TOTP_ENCRYPTION_KEY", f"{new_key},{DEVELOPMENT_TOTP_KEY}")

    assert two_factor.rekey() == 3
    db.session.commit()

    only_new = MultiFernet([Fernet(new_key)])
    assert [only_new.decrypt(_stored(u).encode()).decode() for u in users] == secrets
    (event,) = _events("two_factor:rekey")
    assert event.changes == {"enrolments": {"before": None, "after": 3}}
    monkeypatch.setitem(app.config, "TOTP_ENCRYPTION_KEY", new_key)  # the old key goes
    clock.next_step()
    for user, secret in zip(users, secrets, strict=True):
        two_factor.check_code(user, app_code(secret), ip=IP)


def test_rekey_refuses_when_a_secret_is_under_no_configured_key(
        app, make_user, clock, monkeypatch):
    user = make_user()
    enrol(user)
    monkeypatch.setitem(app.config, "TOTP_ENCRYPTION_KEY", Fernet.generate_key().decode())
    with pytest.raises(two_factor.TwoFactorUnavailable, match=f"Bruger {user.id}s"):
        two_factor.rekey()


def test_without_a_key_no_apps_code_can_be_checked_but_a_recovery_code_can(
        app, make_user, clock, monkeypatch):
    user = make_user()
    secret, codes = enrol(user)
    monkeypatch.setitem(app.config, "TOTP_ENCRYPTION_KEY", None)
    assert not two_factor.available()
    clock.next_step()
    with pytest.raises(two_factor.TwoFactorUnavailable, match="ikke sat op"):
        two_factor.check_code(user, app_code(secret), ip=IP)
    with pytest.raises(two_factor.TwoFactorUnavailable):
        two_factor.encrypt_secret(two_factor.new_secret())
    assert two_factor.check_code(user, codes[0], ip=IP) is True  # hashes need no key


# --- codes ---------------------------------------------------------------------------


@pytest.mark.parametrize(("steps", "accepted"), [(-2, False), (-1, True), (0, True),
                                                 (1, True), (2, False)])
def test_a_code_counts_for_its_step_and_one_either_side(clock, steps, accepted):
    secret = two_factor.new_secret()
    now = two_factor.current_step()
    step = two_factor.matching_step(secret, app_code(secret, steps))
    assert step == (now + steps if accepted else None)


@pytest.mark.parametrize("typed", ["{code}", " {code} ", "{a} {b}", "{a}-{b}"])
def test_a_code_may_be_typed_with_spaces(clock, typed):
    secret = two_factor.new_secret()
    code = app_code(secret)
    assert two_factor.matching_step(
        secret, typed.format(code=code, a=code[:3], b=code[3:])) is not None


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef", "١٢٣٤٥٦"])
def test_what_is_no_six_digit_code_matches_nothing(clock, code):
    assert two_factor.matching_step(two_factor.new_secret(), code) is None


def test_a_code_is_accepted_once(app, make_user, clock):
    user = make_user()
    secret, _codes = enrol(user)
    clock.next_step()
    code = app_code(secret)

    two_factor.check_code(user, code, ip=IP)
    with pytest.raises(two_factor.WrongCode):
        two_factor.check_code(user, code, ip=IP)
    # nor an older one, still inside the window, once a later one was used
    with pytest.raises(two_factor.WrongCode):
        two_factor.check_code(user, app_code(secret, -1), ip=IP)
    two_factor.check_code(user, app_code(secret, 1), ip=IP)  # the next step's is new


def test_the_enrolment_code_cannot_be_used_to_log_in(app, make_user, clock):
    user = make_user()
    secret = two_factor.new_secret()
    code = app_code(secret)
    two_factor.enrol(user, secret, code, actor=user)
    with pytest.raises(two_factor.WrongCode):
        two_factor.check_code(user, code, ip=IP)


def test_a_wrong_code_is_counted_for_the_pair_and_audited_without_the_code(
        app, make_user, clock):
    user = make_user()
    secret, _codes = enrol(user)
    wrong = _wrong_code(secret)

    with pytest.raises(two_factor.WrongCode):
        two_factor.check_code(user, wrong, ip=IP)

    assert [(f.email, f.ip) for f in db.session.scalars(select(LoginFailure))] == [
        (user.email, IP)]
    (event,) = _events("auth:two_factor_failed")
    assert (event.actor_id, event.object_type, event.object_id) == (None, "user", user.id)
    assert wrong not in json.dumps(event.changes)


# --- recovery codes ------------------------------------------------------------------


def test_ten_recovery_codes_kept_only_as_hashes_each_used_once(app, make_user, clock):
    user = make_user()
    _secret, codes = enrol(user)
    assert len(codes) == len(set(codes)) == 10
    stored = set(db.session.scalars(select(RecoveryCode.code_hash)))
    assert stored == {hashlib.sha256(c.replace("-", "").encode()).hexdigest() for c in codes}

    assert two_factor.check_code(user, codes[3], ip=IP) is True  # a recovery code
    assert two_factor.check_code(user, codes[4].upper().replace("-", " "), ip=IP) is True
    with pytest.raises(two_factor.WrongCode):
        two_factor.check_code(user, codes[3], ip=IP)

    assert two_factor.recovery_codes_left(user) == 8
    events = _events("auth:two_factor_recovery_used")
    assert [e.changes["recovery_codes_left"]["after"] for e in events] == [9, 8]


def test_one_users_recovery_code_is_no_code_for_another(app, make_user, clock):
    anna, bo = make_user(), make_user()
    _secret, codes = enrol(anna)
    enrol(bo)
    with pytest.raises(two_factor.WrongCode):
        two_factor.check_code(bo, codes[0], ip=IP)


def test_new_recovery_codes_replace_the_old_ones(app, make_user, clock):
    user = make_user()
    _secret, old = enrol(user)
    new = two_factor.new_recovery_codes(user, actor=user)

    assert not set(old) & set(new)
    with pytest.raises(two_factor.WrongCode):
        two_factor.check_code(user, old[0], ip=IP)
    assert two_factor.check_code(user, new[0], ip=IP)
    assert len(_events("user:two_factor_recovery_codes")) == 1


# --- operations ----------------------------------------------------------------------


def test_enrolling_needs_the_apps_code_and_ends_the_other_sessions(app, make_user, clock):
    user = make_user()
    secret = two_factor.new_secret()
    with pytest.raises(two_factor.WrongCode, match="Koden passer ikke"):
        two_factor.enrol(user, secret, app_code(secret, 3), actor=user)
    version = user.session_version

    two_factor.enrol(user, secret, app_code(secret), actor=user)

    assert user.session_version == version + 1
    (event,) = _events("user:two_factor_enrol")
    assert (event.actor_id, event.object_id, event.changes) == (user.id, user.id, {})
    with pytest.raises(DomainError, match="allerede"):
        two_factor.enrol(user, secret, app_code(secret, 1), actor=user)


def test_only_the_user_enrols_or_changes_their_own(app, make_user, clock):
    user, admin = make_user(), make_user(Role.ADMIN)
    secret = two_factor.new_secret()
    with pytest.raises(NotAllowed):
        two_factor.enrol(user, secret, app_code(secret), actor=admin)
    enrol(user)
    with pytest.raises(NotAllowed):
        two_factor.new_recovery_codes(user, actor=admin)
    with pytest.raises(NotAllowed):
        two_factor.disable(user, actor=admin)


def test_disabling_removes_the_app_and_codes_unless_the_role_requires_it(
        app, make_user, clock, monkeypatch):
    member, staff = make_user(Role.MEMBER), make_user(Role.STAFF)
    enrol(member)
    enrol(staff)
    monkeypatch.setitem(app.config, "TWO_FACTOR_REQUIRED_ROLES", ("staff",))

    with pytest.raises(DomainError, match="Din rolle kræver totrinsbekræftelse"):
        two_factor.disable(staff, actor=staff)
    two_factor.disable(member, actor=member)

    assert not two_factor.is_enrolled(member) and two_factor.is_enrolled(staff)
    assert db.session.scalar(select(func.count()).select_from(RecoveryCode).where(
        RecoveryCode.user_id == member.id)) == 0
    assert [e.object_id for e in _events("user:two_factor_disable")] == [member.id]


def test_an_administrators_reset_removes_everything_and_ends_the_sessions(
        app, make_user, clock):
    user, admin, staff = make_user(), make_user(Role.ADMIN), make_user(Role.STAFF)
    enrol(user)
    version = user.session_version
    with pytest.raises(NotAllowed):
        two_factor.reset(user, actor=staff)

    two_factor.reset(user, actor=admin)

    assert db.session.scalar(select(func.count()).select_from(TwoFactorEnrolment)) == 0
    assert db.session.scalar(select(func.count()).select_from(RecoveryCode)) == 0
    assert user.session_version == version + 1
    (event,) = _events("user:two_factor_reset")
    assert (event.actor_id, event.object_id) == (admin.id, user.id)
    with pytest.raises(DomainError, match="har ikke totrinsbekræftelse"):
        two_factor.reset(user, actor=admin)


def test_who_must_give_a_code(app, make_user, clock, monkeypatch):
    staff, member = make_user(Role.STAFF), make_user(Role.MEMBER)
    monkeypatch.setitem(app.config, "TWO_FACTOR_REQUIRED_ROLES", ("admin", "staff"))
    assert two_factor.second_factor_due(staff) and not two_factor.is_enrolled(staff)
    assert not two_factor.second_factor_due(member)
    enrol(member)
    assert two_factor.second_factor_due(member)


def test_the_audit_trail_never_holds_a_secret_or_a_code(app, make_user, clock):
    user, admin = make_user(), make_user(Role.ADMIN)
    secret, codes = enrol(user)
    clock.next_step()
    seen = [secret, app_code(secret), *codes]
    two_factor.check_code(user, app_code(secret), ip=IP)
    two_factor.check_code(user, codes[0], ip=IP)
    with pytest.raises(two_factor.WrongCode):
        two_factor.check_code(user, _wrong_code(secret), ip=IP)
    seen += two_factor.new_recovery_codes(user, actor=user)
    two_factor.reset(user, actor=admin)
    db.session.commit()

    trail = " ".join(entry(e).decode() for e in db.session.scalars(select(AuditEvent)))
    for value in seen:
        assert value not in trail and value.replace("-", "") not in trail
