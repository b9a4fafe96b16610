""""Glemt adgangskode": asking for a link, and choosing a new password from it."""

from __future__ import annotations

import hashlib
import hmac
import time
from functools import partial

from flask import current_app, make_response, render_template, request, url_for
from flask_babel import gettext as _

from hoering.accounts import password_reset
from hoering.accounts.forms import ForgotPasswordForm, PasswordForm
from hoering.accounts.operations import normalise_email
from hoering.accounts.views.blueprint import bp
from hoering.core.db import db
from hoering.core.extensions import limiter
from hoering.core.permissions import public
from hoering.core.web import form_error, perform, private_page


def _client_limit() -> str:
    limit: str = current_app.config["ACCOUNT_MAIL_RATE_LIMIT"]
    return limit


def _address_limit() -> str:
    limit: str = current_app.config["ACCOUNT_MAIL_ADDRESS_RATE_LIMIT"]
    return limit


def mail_limit(on_breach):
    """Asking for an e-mail (a reset link here, a new invitation in views.login): the
    POSTs of one client IP count together; ``on_breach`` answers one too many."""
    return limiter.shared_limit(_client_limit, scope="account-mail", methods=["POST"],
                                on_breach=on_breach)


def _address_key() -> str:
    """The typed address as a keyed hash: the limiter's store holds no e-mail address."""
    email = normalise_email(request.form.get("email", ""))
    return hmac.new(current_app.config["SECRET_KEY"].encode("utf-8"), email.encode("utf-8"),
                    hashlib.sha256).hexdigest()[:32]


def _refused(_limit):
    """Too many requests: the form again, with what was typed, and a message."""
    form = ForgotPasswordForm()
    form.email.errors = [_("Der er bedt om mange links på kort tid. Vent lidt, og prøv igen.")]
    return make_response(render_template("accounts/forgot_password.html", form=form,
                                         sent=False), 429)


@bp.route("/glemt-adgangskode", methods=["GET", "POST"])
@public
@mail_limit(on_breach=_refused)
@limiter.limit(_address_limit, methods=["POST"], key_func=_address_key, on_breach=_refused,
               scope="password-reset-address")
def forgot_password():
    started = time.monotonic()
    form = ForgotPasswordForm()
    if not form.validate_on_submit():
        return render_template("accounts/forgot_password.html", form=form, sent=False)
    password_reset.request_reset(form.email.data)
    db.session.commit()
    password_reset.wait_out(started)  # as long for an unknown address as for a known one
    return render_template("accounts/forgot_password.html", form=form, sent=True)


@bp.route("/nulstil-adgangskode/<reset_token>", methods=["GET", "POST"])
@public
@private_page
def reset_password(reset_token: str):
    """The link from the e-mail: a form (opening it uses nothing up); its POST sets the
    password, uses the link and sends the user to log in."""
    try:
        user = password_reset.user_of(reset_token)
    except password_reset.ResetRefused as refusal:
        return render_template("accounts/reset_password.html", refusal=refusal.message,
                               form=None, user=None), refusal.status_code
    form = PasswordForm()
    page = partial(render_template, "accounts/reset_password.html", form=form, user=user,
                   refusal=None)
    if form.validate_on_submit():
        return perform(
            lambda: password_reset.reset(reset_token, form.password.data),
            done=_("Din nye adgangskode er gemt. Log ind med den."),
            next_url=url_for("accounts.login"), on_error=form_error(form.password, page),
        )
    return page()
