"""Flask extensions, created here and bound to the app in create_app()."""

from __future__ import annotations

from flask import request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_wtf import CSRFProtect

from hoering.core.db import db

migrate = Migrate(db=db)  # the directory is given in create_app()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()


def _client_ip() -> str:
    """The client's address (ProxyFix has applied TRUSTED_PROXY_COUNT already)."""
    return request.remote_addr or "unknown"


# Limits are declared on the views that need them (no default limit); the storage comes
# from RATELIMIT_STORAGE_URI (memory:// per process, redis:// shared by the workers).
limiter = Limiter(key_func=_client_ip, default_limits=[])

__all__ = ["babel", "csrf", "db", "limiter", "login_manager", "migrate"]
