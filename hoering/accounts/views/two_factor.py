"""One's own two-factor login under "Min konto": enrolling (the same page is a step of
a login whose role requires it: ``login.login_enrol``), new recovery codes, switching it
off. What replaces or removes the second factor asks for a current code first, so that
a session left open somewhere cannot take it over."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from flask import flash, g, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from hoering.accounts import sessions, two_factor
from hoering.accounts.auth import LoginRefused
from hoering.accounts.forms import EnrolCodeForm, TwoFactorCodeForm
from hoering.accounts.models import User
from hoering.accounts.views.blueprint import bp
from hoering.core.db import db
from hoering.core.errors import DomainError
from hoering.core.permissions import Permission, permission_required
from hoering.core.web import form_error, no_store


def _setup_secret(user: User) -> str:
    """The secret this browser sets up for ``user``: the same on every visit until the
    enrolment (a QR code scanned before a login timed out still works), kept in the
    session encrypted like the stored ones."""
    kept = session.get(sessions.TWO_FACTOR_SETUP)
    if isinstance(kept, dict) and kept.get("user") == user.id:
        try:
            return two_factor.decrypt_secret(str(kept.get("secret")))
        except two_factor.TwoFactorUnavailable:
            pass  # encrypted under a key since removed: a new secret
    secret = two_factor.new_secret()
    session[sessions.TWO_FACTOR_SETUP] = {"user": user.id,
                                          "secret": two_factor.encrypt_secret(secret)}
    return secret


def _unavailable_page(user: User) -> ResponseReturnValue:
    return render_template("accounts/two_factor.html", user=user, available=False), 503


def enrolment_page(user: User, *, during_login: bool,
                   done: Callable[[list[str]], ResponseReturnValue]) -> ResponseReturnValue:
    """The enrolment: GET shows the QR code and the secret; the POST of the app's first
    code enrols ``user``, and the answer is ``done(recovery codes)``."""
    if not two_factor.available():
        return _unavailable_page(user)
    secret = _setup_secret(user)
    form = EnrolCodeForm()
    page = partial(render_template, "accounts/two_factor_enrol.html", form=form, user=user,
                   setup=two_factor.setup_for(user, secret), during_login=during_login,
                   required=two_factor.is_required(user))
    if not form.validate_on_submit():
        return page()
    try:
        codes = two_factor.enrol(user, secret, form.code.data, actor=user)
    except DomainError as error:
        db.session.rollback()
        return form_error(form.code, page)(error)
    session.pop(sessions.TWO_FACTOR_SETUP, None)
    return done(codes)


def recovery_codes_page(codes: list[str], *, continue_url: str) -> ResponseReturnValue:
    """The new recovery codes, shown this once (the database keeps only their hashes)."""
    return render_template("accounts/recovery_codes.html", codes=codes,
                           continue_url=continue_url)


@bp.route("/min-konto/tofaktor", methods=["GET", "POST"])
@no_store  # the enrolment shows the secret
@permission_required(Permission.VIEW_DASHBOARD)
def own_two_factor():
    user = current_user._get_current_object()
    enrolment = two_factor.enrolment_of(user)
    if enrolment is None:
        return enrolment_page(user, during_login=False, done=_enrolled)
    return render_template(
        "accounts/two_factor.html", user=user, available=True, enrolment=enrolment,
        codes_left=two_factor.recovery_codes_left(user), required=two_factor.is_required(user))


def _enrolled(codes: list[str]) -> ResponseReturnValue:
    db.session.commit()
    sessions.start_session(current_user._get_current_object(), keep_login_time=True)
    flash(_("Totrinsbekræftelse er slået til. Du er logget ud på dine andre enheder."),
          "success")
    return recovery_codes_page(codes, continue_url=url_for("accounts.own_two_factor"))


def _with_code(operation: Callable[[User], ResponseReturnValue], *, title: str,
               question: str, confirm_label: str) -> ResponseReturnValue:
    """A confirmation page that also asks for a current code (the app's, or a recovery
    code): checked, counted and throttled as at login, then ``operation(user)``."""
    user = current_user._get_current_object()
    if not two_factor.is_enrolled(user):
        flash(_("Totrinsbekræftelse er ikke slået til."), "info")
        return redirect(url_for("accounts.own_two_factor"))
    form = TwoFactorCodeForm()
    page = partial(render_template, "accounts/two_factor_confirm.html", form=form,
                   title=title, question=question, confirm_label=confirm_label)
    if not form.validate_on_submit():
        return page()
    try:
        two_factor.check_code(user, form.code.data, ip=g.client_ip)
    except LoginRefused as refusal:
        db.session.commit()  # a wrong code is counted and audited
        form.code.errors.append(refusal.message)
        return page(), refusal.status_code, refusal.headers
    try:
        return operation(user)
    except DomainError:
        db.session.rollback()
        raise  # the error page (409)


@bp.route("/min-konto/tofaktor/gendannelseskoder", methods=["GET", "POST"])
@no_store
@permission_required(Permission.VIEW_DASHBOARD)
def own_recovery_codes():
    def regenerate(user: User) -> ResponseReturnValue:
        codes = two_factor.new_recovery_codes(user, actor=user)
        db.session.commit()
        return recovery_codes_page(codes, continue_url=url_for("accounts.own_two_factor"))

    return _with_code(
        regenerate, title=_("Nye gendannelseskoder"),
        question=_("Du får ti nye gendannelseskoder, og de gamle holder op med at virke."),
        confirm_label=_("Lav nye gendannelseskoder"))


@bp.route("/min-konto/tofaktor/slaa-fra", methods=["GET", "POST"])
@permission_required(Permission.VIEW_DASHBOARD)
def disable_own_two_factor():
    user = current_user._get_current_object()
    if request.method == "GET" and two_factor.is_required(user):
        flash(_("Din rolle kræver totrinsbekræftelse, så den kan ikke slås fra."), "info")
        return redirect(url_for("accounts.own_two_factor"))

    def switch_off(user: User) -> ResponseReturnValue:
        two_factor.disable(user, actor=user)
        db.session.commit()
        flash(_("Totrinsbekræftelse er slået fra."), "success")
        return redirect(url_for("accounts.own_two_factor"))

    return _with_code(
        switch_off, title=_("Slå totrinsbekræftelse fra"),
        question=_("Når totrinsbekræftelse er slået fra, er din adgangskode alene nok til at "
                   "logge ind som dig. Din godkendelsesapp og dine gendannelseskoder holder "
                   "op med at virke."),
        confirm_label=_("Slå totrinsbekræftelse fra"))
