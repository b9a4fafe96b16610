"""hoering: consultations (høringer) in Danish municipalities, from draft to adopted policy."""

from __future__ import annotations

import os
import re
import uuid
from pathlib import Path
from typing import Any

from flask import Flask, g, request
from flask_babel import lazy_gettext as _l
from werkzeug.middleware.proxy_fix import ProxyFix

from config import CONFIGS, ProductionConfig
from hoering.core.converters import URL_CONVERTERS
from hoering.core.extensions import babel, csrf, db, limiter, login_manager, migrate
from hoering.core.i18n import init_i18n, select_locale
from hoering.core.proxies import warn_if_forwarded_for_ignored
from hoering.core.web import refuse_control_characters_in_query

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parent
_REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def resource_dir(name: str) -> Path:
    """``templates`` or ``migrations``: the copy installed inside the package by a wheel
    (``hoering/templates``), else the folder at the top of the checkout (a checkout or an
    editable install). The package is asked first: in a wheel, ``PROJECT_ROOT`` is
    site-packages, where another distribution may have put a folder of that name."""
    installed = PACKAGE_DIR / name
    return installed if installed.is_dir() else PROJECT_ROOT / name


def create_app(config_name: str | None = None, overrides: dict[str, Any] | None = None) -> Flask:
    """The application factory; ``config_name`` is development, testing or production."""
    config_name = config_name or os.environ.get("HOERING_ENV", "development")
    config_class = CONFIGS[config_name]
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=str(resource_dir("templates")),
    )
    app.config.from_object(config_class)
    app.config.update(overrides or {})
    if not app.config.get("SQLALCHEMY_DATABASE_URI") and config_class is not ProductionConfig:
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        app.config["SQLALCHEMY_DATABASE_URI"] = (
            f"sqlite:///{Path(app.instance_path) / 'hoering.sqlite3'}"
        )
    if config_class is ProductionConfig:
        ProductionConfig.check(app.config)
    if app.config["TRUSTED_PROXY_COUNT"]:
        count = app.config["TRUSTED_PROXY_COUNT"]
        # Flask's documented way to add WSGI middleware; Flask types wsgi_app as a method
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=count, x_proto=count, x_host=count
        )

    app.url_map.converters.update(URL_CONVERTERS)  # before any route: ids within range
    _init_extensions(app)
    _register_request_hooks(app)
    _register_blueprints(app)
    _register_template_helpers(app)
    _register_cli(app)

    from hoering.core.permissions import ensure_every_route_has_an_access_rule
    from hoering.main.audit_words import register_audit_words
    from hoering.main.errors import register_error_handlers

    register_error_handlers(app)
    register_audit_words()  # how the audit trail names the domains' objects
    ensure_every_route_has_an_access_rule(app)
    return app


def _init_extensions(app: Flask) -> None:
    import hoering.models  # noqa: F401 - registers every table on the metadata
    from hoering.core.db import render_migration_item

    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(resource_dir("migrations")),
        render_as_batch=True,
        compare_type=True,
        render_item=render_migration_item,
    )
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    init_i18n(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Log ind for at se siden.")
    login_manager.localize_callback = str  # the lazy message in the page's language
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"

    from hoering.accounts.models import User
    from hoering.accounts.sessions import load_session_user

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        # "<id>:<session version>": a session from before the user's last logout, password
        # change, role change or deactivation is refused
        return load_session_user(user_id)


def _register_request_hooks(app: Flask) -> None:
    @app.before_request
    def assign_request_id() -> None:
        incoming = request.headers.get("X-Request-ID", "")
        g.request_id = incoming if _REQUEST_ID_RE.match(incoming) else uuid.uuid4().hex
        g.client_ip = request.remote_addr
        warn_if_forwarded_for_ignored(app.config["TRUSTED_PROXY_COUNT"])
        refuse_control_characters_in_query()

    @app.after_request
    def security_headers(response):
        response.headers["X-Request-ID"] = g.get("request_id", "")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        # a page whose form goes on to the identity provider's login adds its origin
        form_action = " ".join(["'self'", *g.get("csp_form_action", ())])
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; "
            f"script-src 'self'; frame-ancestors 'none'; form-action {form_action}",
        )
        if app.config["HSTS_SECONDS"]:
            response.headers.setdefault(
                "Strict-Transport-Security",
                f"max-age={app.config['HSTS_SECONDS']}; includeSubDomains",
            )
        return response


def _register_blueprints(app: Flask) -> None:
    from hoering.accounts.views import bp as accounts_bp
    from hoering.audit.views import bp as audit_bp
    from hoering.cases.views import bp as cases_bp
    from hoering.consultations.campaigns.views import bp as campaigns_bp
    from hoering.consultations.views import bp as consultations_bp
    from hoering.main.views import bp as main_bp
    from hoering.memos.revised_views import bp as revised_draft_bp
    from hoering.memos.views import bp as memos_bp
    from hoering.municipality.views import bp as municipality_bp
    from hoering.policies.views import bp as policies_bp
    from hoering.privacy.views import bp as privacy_bp
    from hoering.public.views import bp as public_bp
    from hoering.trace.views import bp as trace_bp

    blueprints = (main_bp, accounts_bp, policies_bp, consultations_bp, campaigns_bp, memos_bp,
                  cases_bp, audit_bp, trace_bp, public_bp, privacy_bp, municipality_bp,
                  revised_draft_bp)
    for blueprint in blueprints:
        app.register_blueprint(blueprint)


def _register_template_helpers(app: Flask) -> None:
    from hoering.core import formatting
    from hoering.core.permissions import Permission, can

    app.jinja_env.add_extension("jinja2.ext.do")
    from hoering.municipality.links import law_links

    app.jinja_env.globals.update(Permission=Permission, can=can, csrf_field=formatting.csrf_field,
                                 law_links=law_links)
    from hoering.policies.diff import render_html as diff_html
    from hoering.policies.diff import render_inline_html as diff_inline_html

    app.jinja_env.filters.update(
        danish_date=formatting.danish_date,
        danish_datetime=formatting.danish_datetime,
        diff_html=diff_html,
        diff_inline_html=diff_inline_html,
    )


def _register_cli(app: Flask) -> None:
    from hoering.cli import register_commands

    register_commands(app)
