"""Logging in and out, accepting an invitation, one's own password and sessions."""

from __future__ import annotations

from functools import partial
from urllib.parse import urlsplit

from flask import current_app, flash, g, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from hoering.accounts import invitations, operations, sessions, sso_policy, two_factor
from hoering.accounts.auth import (
    LoginRefused,
    LoginThrottled,
    authenticate,
    check_throttle,
    forget_failures,
    record_login,
    record_logout,
    record_wrong_current_password,
)
from hoering.accounts.forms import LoginForm, OwnPasswordForm, PasswordForm, TwoFactorCodeForm
from hoering.accounts.models import User
from hoering.accounts.views.blueprint import allow_forms_to_provider, bp
from hoering.accounts.views.password_reset import mail_limit
from hoering.accounts.views.two_factor import enrolment_page, recovery_codes_page
from hoering.core.db import db
from hoering.core.i18n import remember_language
from hoering.core.permissions import Permission, permission_required, public
from hoering.core.web import EmptyForm, confirmed, form_error, no_store, perform, private_page


def _safe_next(target: str | None) -> str:
    """Only local paths are followed after login (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("main.dashboard")


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = authenticate(form.email.data, form.password.data, ip=g.client_ip)
        except LoginRefused as refusal:
            db.session.commit()  # the failure is counted and audited
            form.password.errors.append(refusal.message)
            return (render_template("accounts/login.html", form=form), refusal.status_code,
                    refusal.headers)
        return finish_login(user, next_target=request.args.get("next"))
    return render_template("accounts/login.html", form=form)


def finish_login(user: User, *, next_target: str | None, mfa_by_provider: bool = False):
    """The last step of every way of logging in (a password, single sign-on): the user
    whose identity was checked gets a session and goes on to ``next_target`` (a local
    path only). A user with two-factor, or whose role requires it, gets no session yet:
    the code page comes first (or, not enrolled, the enrolment), unless
    ``mfa_by_provider``: the identity provider vouched for a second factor."""
    if not mfa_by_provider and two_factor.second_factor_due(user):
        sessions.begin_pending_login(user, next_target)
        db.session.commit()  # the first step's audit event
        return redirect(url_for("accounts.login_code" if two_factor.is_enrolled(user)
                                else "accounts.login_enrol"))
    _log_in(user)
    return _in_their_language(user, redirect(_safe_next(next_target)))


def _log_in(user: User) -> None:
    """Start ``user``'s session in this browser: the login is complete."""
    record_login(user)
    forget_failures(user.email, g.client_ip)
    sessions.prune_form_stashes()
    db.session.commit()
    sessions.start_session(user)


def _in_their_language(user: User, response: BaseResponse) -> BaseResponse:
    """The page after a login in the language the user chose before (if they did)."""
    return remember_language(response, user.language) if user.language else response


def _log_in_again():
    flash(_("Log ind igen: koden skal skrives inden for %(n)d minutter efter adgangskoden.",
            n=current_app.config["TWO_FACTOR_LOGIN_MINUTES"]), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/login/kode", methods=["GET", "POST"])
@public
def login_code():
    """The second step of a login with two-factor: the app's code or a recovery code.
    Wrong codes count and wait like wrong passwords (the same e-mail and IP pair)."""
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    pending = sessions.pending_login()
    if pending is None:
        return _log_in_again()
    if not two_factor.is_enrolled(pending.user):
        return redirect(url_for("accounts.login_enrol"))
    form = TwoFactorCodeForm()
    page = partial(render_template, "accounts/login_code.html", form=form)
    if not form.validate_on_submit():
        return page()
    try:
        two_factor.pass_login(pending.user, form.code.data, ip=g.client_ip)
    except LoginRefused as refusal:
        db.session.commit()  # the failure is counted and audited
        form.code.errors.append(refusal.message)
        return page(), refusal.status_code, refusal.headers
    _log_in(pending.user)
    return _in_their_language(pending.user, redirect(_safe_next(pending.next_target)))


@bp.route("/login/tofaktor", methods=["GET", "POST"])
@no_store  # it shows the secret
@public
def login_enrol():
    """A login whose role requires two-factor, by a user not enrolled: enrolling is the
    second step, and the recovery codes are shown once logged in."""
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    pending = sessions.pending_login()
    if pending is None:
        return _log_in_again()
    if two_factor.is_enrolled(pending.user):
        return redirect(url_for("accounts.login_code"))

    def enrolled(codes: list[str]):
        _log_in(pending.user)
        page = recovery_codes_page(codes, continue_url=_safe_next(pending.next_target))
        return _in_their_language(pending.user, make_response(page))

    return enrolment_page(pending.user, during_login=True, done=enrolled)


@bp.route("/logout", methods=["POST"])
@permission_required(Permission.VIEW_DASHBOARD)
def logout():
    record_logout(current_user)  # ends the user's sessions in every browser
    db.session.commit()
    sessions.end_session()
    flash(_("Du er logget ud."), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/invitation/<invitation_token>", methods=["GET", "POST"])
@public
@private_page
def invitation(invitation_token: str):
    """An invitation link: the page shows a form (opening it uses nothing up); the POST
    with the chosen password uses the link and sends the user to log in. With single
    sign-on the page also offers the provider's login instead (views.sso.invitation_sso);
    a role of SSO_ONLY_ROLES is offered only that."""
    try:
        user = invitations.invited_user(invitation_token)
    except invitations.InvitationRefused as refusal:
        return render_template("accounts/invitation.html", refusal=refusal,
                               renew_form=EmptyForm()), 410
    form = PasswordForm()
    password_allowed = sso_policy.password_login_allowed(user)  # else only the SSO button
    page = partial(render_template, "accounts/invitation.html", form=form, user=user,
                   refusal=None, password_allowed=password_allowed, sso_form=EmptyForm())
    allow_forms_to_provider()
    if password_allowed and form.validate_on_submit():
        return perform(
            lambda: invitations.accept(invitation_token, form.password.data),
            done=_("Din adgangskode er gemt. Log ind med den."),
            next_url=url_for("accounts.login"), on_error=form_error(form.password, page),
        )
    return page()


def _renewal_refused(_limit):
    flash(_("Der er bedt om mange links på kort tid. Vent lidt, og prøv igen."), "error")
    return redirect(request.path.removesuffix("/ny")), 429


@bp.route("/invitation/<invitation_token>/ny", methods=["POST"])
@public
@private_page
@mail_limit(on_breach=_renewal_refused)
def renew_invitation(invitation_token: str):
    """An expired invitation's page: a new link to the account's own address."""
    page = url_for("accounts.invitation", invitation_token=invitation_token)
    if EmptyForm().validate_on_submit() and invitations.renew_expired(invitation_token):
        db.session.commit()
        flash(_("Vi har sendt en ny invitation til din e-mailadresse. Brug linket i den "
                "nye e-mail."), "success")
        return redirect(url_for("accounts.login"))
    return redirect(page)


@bp.route("/min-konto/adgangskode", methods=["GET", "POST"])
@permission_required(Permission.VIEW_DASHBOARD)
def own_password():
    """A new password, given the current one: the user's other sessions end, this one
    goes on. Wrong current passwords count as login failures (and are throttled alike)."""
    form = OwnPasswordForm()
    page = partial(render_template, "accounts/password.html", form=form, user=current_user,
                   own=True)
    if not form.validate_on_submit():
        return page()
    user = current_user._get_current_object()
    try:
        check_throttle(user.email, g.client_ip)
    except LoginThrottled as refusal:
        db.session.commit()  # audited
        form.current_password.errors.append(refusal.message)
        return page(), refusal.status_code, refusal.headers

    def change() -> None:
        operations.set_password(user, form.password.data, actor=user,
                                current_password=form.current_password.data)
        sessions.start_session(user, keep_login_time=True)  # with the new version

    def refused(error: Exception):
        if isinstance(error, operations.WrongPassword):
            record_wrong_current_password(user, g.client_ip)
            db.session.commit()
            return form_error(form.current_password, page)(error)
        return form_error(form.password, page)(error)

    return perform(change, done=_("Din adgangskode er skiftet. Du er logget ud på dine "
                                  "andre enheder."),
                   next_url=url_for("main.dashboard"), on_error=refused)


@bp.route("/min-konto/log-ud-overalt", methods=["GET", "POST"])
@permission_required(Permission.VIEW_DASHBOARD)
def end_own_sessions():
    user = current_user._get_current_object()

    def end_all() -> None:
        operations.end_sessions(user, actor=user)
        sessions.end_session()

    return confirmed(
        end_all, title=_("Log ud på alle enheder"),
        question=_("Vil du logge ud på alle enheder, også denne? Alle steder, hvor du er "
                   "logget ind, skal du logge ind igen."),
        confirm_label=_("Log ud på alle enheder"), cancel_url=url_for("accounts.own_password"),
        done=_("Du er logget ud på alle enheder."), next_url=url_for("accounts.login"),
    )
