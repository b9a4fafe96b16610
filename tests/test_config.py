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


HSTS = "max-age=31536000; includeSubDomains"


def _with_tables(app):
    """The public pages read the municipality's settings (their footer's links)."""
    from hoering.core.db import db

    with app.app_context():
        db.create_all()
    return app


def test_production_sends_hsts_on_every_response():
    app = _with_tables(create_app(
        "production", {"SECRET_KEY": "x" * 64, "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    ))
    assert app.config["HSTS_SECONDS"] == 31536000
    client = app.test_client()
    for url in ("/login", "/static/hoering.css", "/findes-ikke", "/"):
        response = client.get(url, base_url="https://hoering.example")
        assert response.headers.get("Strict-Transport-Security") == HSTS, url
    assert client.post("/logout").headers.get("Strict-Transport-Security") == HSTS


@pytest.mark.parametrize("config_name", ["development", "testing"])
def test_hsts_is_off_outside_production(config_name):
    app = _with_tables(create_app(config_name, {"SQLALCHEMY_DATABASE_URI": "sqlite://"}))
    assert app.config["HSTS_SECONDS"] == 0
    assert "Strict-Transport-Security" not in app.test_client().get("/login").headers


# --- the client's address behind (or without) proxies --------------------------------


def _production_app(tmp_path, **overrides):
    from hoering.core.db import db

    app = create_app("production", {
        "SECRET_KEY": "x" * 64, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.db'}",
        "WTF_CSRF_ENABLED": False, **overrides})
    with app.app_context():
        db.create_all()
    return app


def _failed_login_seen_as(app, forwarded_for: str) -> tuple[str, str]:
    """A failed login from socket address 192.0.2.10 carrying ``forwarded_for``: the
    client IP the request, the rate limiter and the login throttling saw."""
    from flask import g

    from hoering.core.extensions import _client_ip

    client = app.test_client()
    with client:
        response = client.post(
            "/login", data={"email": "ukendt@kommune.dk", "password": "forkert-kodeord"},
            headers={"X-Forwarded-For": forwarded_for},
            environ_base={"REMOTE_ADDR": "192.0.2.10"})
        assert response.status_code == 200
        return g.client_ip, _client_ip()


def test_production_trusts_no_proxy_unless_told(monkeypatch, tmp_path):
    """Before, production trusted one proxy by default, so a client without one could pick
    its address for throttling, rate limits and the audit trail with X-Forwarded-For."""
    import logging

    from sqlalchemy import select

    from hoering.accounts.models import LoginFailure
    from hoering.audit.models import AuditEvent
    from hoering.core import proxies
    from hoering.core.db import db

    monkeypatch.setattr(proxies, "_warned", False)
    app = _production_app(tmp_path)
    assert app.config["TRUSTED_PROXY_COUNT"] == 0
    records = []
    handler = logging.Handler()
    handler.emit = records.append
    proxies.logger.addHandler(handler)
    try:
        seen = [_failed_login_seen_as(app, f"203.0.113.{n}") for n in range(3)]
    finally:
        proxies.logger.removeHandler(handler)

    assert seen == [("192.0.2.10", "192.0.2.10")] * 3
    with app.app_context():
        assert set(db.session.scalars(select(LoginFailure.ip))) == {"192.0.2.10"}
        events = db.session.scalars(select(AuditEvent)).all()
        assert {e.ip for e in events} == {"192.0.2.10"} and len(events) == 3
        db.engine.dispose()
    warnings = [r for r in records if r.levelno == logging.WARNING]
    assert len(warnings) == 1  # once per process, however many requests carry it
    assert "TRUSTED_PROXY_COUNT" in warnings[0].getMessage()
    assert "192.0.2.10" in warnings[0].getMessage()


def test_behind_a_configured_proxy_its_forwarded_address_is_the_client(monkeypatch,
                                                                       tmp_path):
    from hoering.core import proxies
    from hoering.core.db import db

    monkeypatch.setattr(proxies, "_warned", False)
    app = _production_app(tmp_path, TRUSTED_PROXY_COUNT=1)
    # the client forged the first entry; the one proxy appended the address it saw
    ip, limiter_ip = _failed_login_seen_as(app, "203.0.113.9, 198.51.100.4")
    assert ip == limiter_ip == "198.51.100.4"
    assert proxies._warned is False
    with app.app_context():
        db.engine.dispose()
