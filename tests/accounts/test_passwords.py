"""Passwords: at least 12 characters, not easy to guess (zxcvbn score 3 or more), not
built from the user's name or e-mail address; changing one's own needs the current one.
The rule holds wherever a password is set: creating a user, an administrator's reset,
one's own change and ``users create-admin``."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from werkzeug.security import check_password_hash

from hoering.accounts import operations as accounts
from hoering.accounts.models import Role, User
from hoering.accounts.passwords import WeakPassword, personal_words, problem
from hoering.audit.models import AuditEvent
from hoering.core.db import db
from tests.conftest import PASSWORD, login

NAME, EMAIL = "Anna Kirstine Jensen", "anna.jensen@kommune.dk"
SHORT = "Adgangskoden skal være på mindst 12 tegn."
EASY = "Adgangskoden er for let at gætte"
PERSONAL = "Adgangskoden må ikke indeholde brugerens navn eller e-mailadresse"
GOOD = "tromle-fyr-6-lampe"


@pytest.mark.parametrize(("password", "message"), [
    ("aaaaaaaaaa", SHORT),
    ("kort", SHORT),
    ("12345678901", SHORT),
    ("aaaaaaaaaaaa", f"{EASY}, fordi den gentager de samme tegn"),
    ("abcabcabcabc", f"{EASY}, fordi den gentager de samme tegn"),
    ("password1234", f"{EASY}, fordi den er blandt de mest brugte adgangskoder"),
    ("abcdefghijkl", f"{EASY}, fordi den indeholder en rækkefølge"),
    ("anna.jensen1234", f"{PERSONAL} («anna.jensen»)"),
    ("Kirstine-er-sej-42", f"{PERSONAL} («kirstine»)"),
    ("JENSEN-og-hunden", f"{PERSONAL} («jensen»)"),
    ("kommune12345", EASY),  # the address's domain: an easy guess too
    ("x" * 201, "Adgangskoden må højst være på 200 tegn."),
])
def test_weak_passwords_are_refused_with_a_danish_reason(password, message):
    reason = problem(password, name=NAME, email=EMAIL)
    assert reason is not None and reason.startswith(message), reason


@pytest.mark.parametrize("password", [GOOD, PASSWORD, "k7#Qm2!vXp9z", "Grøn-lampe-7x",
                                      "ann-er-ikke-et-ord-her"])
def test_long_unguessable_passwords_are_accepted(password):
    assert problem(password, name=NAME, email=EMAIL) is None


def test_personal_words_are_the_names_and_address_parts_of_four_letters_or_more():
    assert personal_words("Bo Ib Kirstine", "bo.kirstine-ib@kommune.dk") == [
        "bo.kirstine-ib", "kirstine"]
    assert personal_words("X", "x@kommune.dk") == []


# --- every place a password is set ---------------------------------------------------


def test_creating_a_user_refuses_a_weak_password(app):
    with pytest.raises(WeakPassword, match=EASY):
        accounts.create_user(name=NAME, email=EMAIL, role=Role.STAFF,
                             password="aaaaaaaaaaaa", actor=None)
    with pytest.raises(WeakPassword, match=PERSONAL):
        accounts.create_user(name=NAME, email=EMAIL, role=Role.STAFF,
                             password="Jensen-2024-kode", actor=None)
    assert db.session.scalar(select(User)) is None


def test_the_new_user_form_shows_the_reason_and_keeps_what_was_typed(client, login_as):
    login_as(Role.ADMIN)
    response = client.post("/brugere/ny", data={
        "name": NAME, "email": EMAIL, "role": "staff", "active": "y", "test_account": "y",
        "password": "Jensen-2024-kode", "confirm": "Jensen-2024-kode"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f"{PERSONAL} («jensen»)" in page
    assert 'id="password-error"' in page  # under the password field
    assert f'value="{NAME}"' in page and f'value="{EMAIL}"' in page
    assert "Jensen-2024-kode" not in page  # a password is never shown again
    assert db.session.scalar(select(User).where(User.email == EMAIL)) is None


def test_the_new_user_form_refuses_ten_as(client, login_as):
    login_as(Role.ADMIN)
    page = client.post("/brugere/ny", data={
        "name": NAME, "email": EMAIL, "role": "staff", "active": "y", "test_account": "y",
        "password": "aaaaaaaaaa", "confirm": "aaaaaaaaaa"}).get_data(as_text=True)
    assert SHORT in page


def test_an_administrator_resetting_their_own_goes_to_the_own_form(client, login_as):
    admin = login_as(Role.ADMIN)
    response = client.get(f"/brugere/{admin.id}/adgangskode")
    assert response.headers["Location"] == "/min-konto/adgangskode"


def test_the_cli_refuses_a_weak_administrator_password(app):
    result = app.test_cli_runner().invoke(args=[
        "users", "create-admin", "--name", NAME, "--email", EMAIL,
        "--password", "aaaaaaaaaaaa"])
    assert result.exit_code != 0
    assert f"{EASY}, fordi den gentager de samme tegn" in result.output
    result = app.test_cli_runner().invoke(args=[
        "users", "create-admin", "--name", NAME, "--email", EMAIL, "--password", "aaaaaaaaaa"])
    assert SHORT in result.output
    assert db.session.scalar(select(User)) is None


# --- changing one's own --------------------------------------------------------------


def _change(client, current, new=GOOD, confirm=None):
    return client.post("/min-konto/adgangskode", data={
        "current_password": current, "password": new, "confirm": confirm or new})


def test_changing_ones_own_password_asks_for_the_current_one(client, login_as):
    user = login_as(Role.MEMBER)
    page = client.get("/min-konto/adgangskode").get_data(as_text=True)
    assert "Nuværende adgangskode" in page
    assert 'autocomplete="current-password"' in page

    response = _change(client, PASSWORD)

    assert response.status_code == 302
    db.session.expire_all()
    assert check_password_hash(user.password_hash, GOOD)
    assert "Din adgangskode er skiftet." in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize(("current", "message"), [
    ("", "Feltet skal udfyldes."),
    ("forkert-adgangskode", "Den nuværende adgangskode er forkert."),
])
def test_without_the_right_current_password_nothing_changes(client, login_as, current,
                                                            message):
    user = login_as(Role.MEMBER)
    old_hash = user.password_hash
    response = _change(client, current)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in page
    assert 'id="current_password-error"' in page
    db.session.expire_all()
    assert user.password_hash == old_hash


def test_wrong_current_passwords_count_and_are_throttled_like_logins(client, login_as):
    user = login_as(Role.MEMBER)
    for _ in range(3):
        assert "Den nuværende adgangskode er forkert." in _change(
            client, "forkert-adgangskode").get_data(as_text=True)
    response = _change(client, PASSWORD)  # right, but too soon
    assert response.status_code == 429
    assert "For mange mislykkede loginforsøg" in response.get_data(as_text=True)
    failed = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "auth:login_failed")).all()
    assert [(e.actor_id, e.object_id) for e in failed] == [(user.id, user.id)] * 3


def test_ones_own_new_password_is_checked_against_ones_name(client, make_user):
    user = make_user(name=NAME, email=EMAIL)
    login(client, user)
    response = _change(client, PASSWORD, "Kirstine-er-sej-42")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f"{PERSONAL} («kirstine»)" in page
    assert 'id="password-error"' in page
