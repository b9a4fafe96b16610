"""Configuration: production refuses default secrets; cookies are locked down."""

from __future__ import annotations

import pytest

from config import DEVELOPMENT_SECRET_KEY
from hoering import create_app


@pytest.mark.parametrize(
    "secret",
    [None, "", DEVELOPMENT_SECRET_KEY, "testing-secret", "too-short"],
)
def test_production_refuses_to_start_without_a_real_secret(secret):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(
            "production",
            {"SECRET_KEY": secret, "SQLALCHEMY_DATABASE_URI": "sqlite://"},
        )


def test_production_starts_with_a_real_secret_and_secure_cookies():
    app = create_app(
        "production", {"SECRET_KEY": "x" * 64, "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    )
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert not app.debug


def test_production_requires_a_database_url():
    with pytest.raises(RuntimeError, match="DATABASE_URL"):
        create_app("production", {"SECRET_KEY": "x" * 64, "SQLALCHEMY_DATABASE_URI": None})


def test_default_database_is_a_sqlite_file_in_the_instance_folder(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app("development", {"SQLALCHEMY_DATABASE_URI": None})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == (
        f"sqlite:///{app.instance_path}/hoering.sqlite3"
    )


def test_session_cookie_is_httponly_and_samesite(client, make_user):
    from tests.conftest import login

    user = make_user()
    response = login(client, user)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
