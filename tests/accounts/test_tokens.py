"""The one token module: only hashes stored, expiry, revocation, single use, the subject
it is about, and e-mails whose token is made only as they are sent."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, text

from hoering.accounts import tokens
from hoering.accounts.tokens import AccessToken, TokenPurpose, TokenState
from hoering.core.db import db, now_utc

LINK, INVITATION = TokenPurpose.CONSULTEE_LINK, TokenPurpose.INVITATION


def _issue(purpose=INVITATION, *, days=1, **subjects):
    return tokens.issue_token(purpose, expires_at=now_utc() + timedelta(days=days), **subjects)


def test_only_the_hash_of_a_token_is_stored(app, make_user):
    user = make_user()
    issued = _issue(user_id=user.id)
    db.session.commit()
    assert len(issued.plain) >= 43  # 32 random bytes
    row = db.session.execute(text("SELECT * FROM access_tokens")).mappings().one()
    assert issued.plain not in {str(value) for value in row.values()}
    assert row["token_hash"] == tokens.hash_token(issued.plain)
    assert tokens.find_valid(INVITATION, issued.plain) is issued.token


def test_tokens_are_unguessable_and_distinct(app, make_user):
    user = make_user()
    plains = {_issue(user_id=user.id).plain for _ in range(20)}
    assert len(plains) == 20


@pytest.mark.parametrize("given", ["", "x", "A" * 43, "A" * 5000])
def test_an_unknown_token_is_unknown(app, given):
    assert tokens.check_token(INVITATION, given) == (None, TokenState.UNKNOWN)
    assert tokens.find_valid(INVITATION, given) is None


def test_a_token_works_only_for_its_purpose(app, make_user):
    issued = _issue(INVITATION, user_id=make_user().id)
    assert tokens.find_valid(TokenPurpose.PASSWORD_RESET, issued.plain) is None
    assert tokens.check_token(TokenPurpose.PASSWORD_RESET, issued.plain)[1] is TokenState.UNKNOWN


def test_a_token_expires(app, make_user):
    issued = _issue(user_id=make_user().id, days=1)
    later = now_utc() + timedelta(days=1, seconds=1)
    assert tokens.check_token(INVITATION, issued.plain, later)[1] is TokenState.EXPIRED
    assert tokens.check_token(INVITATION, issued.plain)[1] is TokenState.VALID


def test_a_revoked_token_stops_working(app, make_user):
    issued = _issue(user_id=make_user().id)
    tokens.revoke(issued.token)
    assert tokens.check_token(INVITATION, issued.plain) == (issued.token, TokenState.REVOKED)
    assert tokens.find_valid(INVITATION, issued.plain) is None


@pytest.mark.parametrize(("purpose", "after_use"), [
    (TokenPurpose.INVITATION, TokenState.USED),
    (TokenPurpose.PASSWORD_RESET, TokenState.USED),
    (TokenPurpose.CONSULTEE_LINK, TokenState.VALID),  # until its deadline
])
def test_invitations_and_resets_are_used_up_and_a_consultee_link_is_not(
        app, make_user, make_body, purpose, after_use):
    from tests.consultations.test_consultee_links import open_consultation_for

    consultation, body = open_consultation_for(make_body, make_user)
    issued = _issue(purpose, user_id=make_user().id, body_id=body.id,
                    consultation_id=consultation.id)
    tokens.mark_used(issued.token)
    first_use = issued.token.used_at
    tokens.mark_used(issued.token)
    assert issued.token.used_at == first_use
    assert tokens.check_token(purpose, issued.plain)[1] is after_use


def test_a_consultee_link_must_name_its_body_and_consultation(app):
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError), db.session.begin_nested():
        _issue(LINK)


def test_an_emailed_token_is_made_when_the_mail_is_sent(app, make_user):
    """The stored e-mail holds a placeholder; filling it in issues the token, and filling
    it in again (the e-mail sent once more) issues another, and the first stops working."""
    token = tokens.reserve_token(INVITATION, expires_at=now_utc() + timedelta(days=1),
                                 user_id=make_user().id)
    body = f"Vælg din adgangskode: https://x/ny/{tokens.placeholder(token)}\n"
    assert token.token_hash is None
    first = tokens.fill_placeholders(body).split("/ny/")[1].strip()
    assert tokens.find_valid(INVITATION, first) is token
    second = tokens.fill_placeholders(body).split("/ny/")[1].strip()
    assert second != first
    assert tokens.find_valid(INVITATION, first) is None
    assert tokens.find_valid(INVITATION, second) is token


def test_a_revoked_or_expired_token_is_not_put_in_an_email(app, make_user):
    user = make_user()
    revoked = tokens.reserve_token(INVITATION, expires_at=now_utc() + timedelta(days=1),
                                   user_id=user.id)
    tokens.revoke(revoked)
    expired = tokens.reserve_token(INVITATION, expires_at=now_utc() - timedelta(seconds=1),
                                   user_id=user.id)
    text_ = tokens.fill_placeholders(f"{tokens.placeholder(revoked)} {tokens.placeholder(expired)}")
    assert text_ == f"{tokens.NO_LONGER_VALID} {tokens.NO_LONGER_VALID}"
    assert db.session.scalars(select(AccessToken.token_hash)).all() == [None, None]


def test_text_without_placeholders_is_left_alone(app):
    assert tokens.fill_placeholders("[[access-token:x]] [[other:1]]") == (
        "[[access-token:x]] [[other:1]]")
