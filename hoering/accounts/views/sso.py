"""Single sign-on (hoering.accounts.sso): the login page's button, the provider's
callback, the invitation page's "use the provider instead of a password", and the
administrator's binding of a user's login at the provider. Without an issuer configured
every page here answers 404."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from hoering.accounts import identities, invitations, sso, sso_policy
from hoering.accounts.forms import IdentityForm
from hoering.accounts.identities import BoundBy, UserIdentity
from hoering.accounts.models import User
from hoering.accounts.views.blueprint import bp
from hoering.accounts.views.login import finish_login
from hoering.core.db import db
from hoering.core.permissions import Permission, permission_required, public
from hoering.core.web import EmptyForm, confirmed, flash_error, perform, public_url

# What the login started here needs at its callback, in the session (Authlib keeps its
# state, nonce and PKCE verifier there too): where to go next, and the invitation link
# it came from (the link is used up only when the callback binds the identity).
NEXT, PENDING_INVITATION = "_sso_next", "_sso_invitation"


@bp.record_once
def _check_sso_config(state) -> None:
    sso.check_config(state.app.config)


def _require_sso() -> None:
    if not sso_policy.configured():
        abort(404)


def _redirect_to_provider(next_target: str | None, invitation: str | None):
    session[NEXT] = next_target
    session[PENDING_INVITATION] = invitation
    try:
        return sso.start(public_url(url_for("accounts.sso_callback")))
    except sso.SsoUnavailable as error:
        flash(error.message, "error")
        return redirect(url_for("accounts.login"))


@bp.route("/login/sso")
@public
def sso_login():
    """The login page's button: on to the provider's login, and back to ``next``."""
    _require_sso()
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    return _redirect_to_provider(request.args.get("next"), None)


@bp.route("/invitation/<invitation_token>/sso", methods=["POST"])
@public
def invitation_sso(invitation_token: str):
    """The invitation page's "use the provider instead of a password": the link is used
    up at the callback, when the provider's login is bound to the invited user."""
    _require_sso()
    page = url_for("accounts.invitation", invitation_token=invitation_token)
    try:
        invitations.invited_user(invitation_token)
    except invitations.InvitationRefused:
        return redirect(page)  # which says why the link no longer works
    if not EmptyForm().validate_on_submit():
        return redirect(page)
    return _redirect_to_provider(None, invitation_token)


@bp.route("/login/sso/svar")
@public
def sso_callback():
    """Where the provider sends the browser back: the login is checked and matched
    (hoering.accounts.sso.complete_login), then the session starts as for a password."""
    _require_sso()
    next_target, invitation = session.pop(NEXT, None), session.pop(PENDING_INVITATION, None)
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    try:
        user = sso.complete_login(invitation=invitation)
    except sso.SsoRefused as refusal:
        db.session.commit()  # the refusal is audited
        flash(refusal.message, "error")
        return redirect(url_for("accounts.login"))
    return finish_login(user, next_target=next_target,
                        mfa_by_provider=current_app.config["OIDC_PROVIDER_ENFORCES_MFA"])


# --- an administrator binds a user's login at the provider ---------------------------


@bp.route("/brugere/<int:user_id>/sso", methods=["POST"])
@permission_required(Permission.MANAGE_USERS)
def add_identity(user_id: int):
    _require_sso()
    user = db.get_or_404(User, user_id)
    user_url = url_for("accounts.user", user_id=user.id)
    form = IdentityForm()
    if not form.validate_on_submit():
        flash(_("Skriv både udsteder og brugerens id hos udbyderen."), "error")
        return redirect(user_url)
    return perform(
        lambda: identities.bind_identity(user, issuer=form.issuer.data,
                                         subject=form.subject.data,
                                         how=BoundBy.ADMINISTRATOR, actor=current_user),
        done=_("%(name)s kan nu logge ind med %(provider)s.", name=user.name,
               provider=sso_policy.provider_name()),
        next_url=user_url, on_error=flash_error(user_url),
    )


@bp.route("/sso-identiteter/<int:identity_id>/fjern", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_USERS)
def remove_identity(identity_id: int):
    _require_sso()
    identity = db.get_or_404(UserIdentity, identity_id)
    user = db.session.get_one(User, identity.user_id)
    user_url = url_for("accounts.user", user_id=user.id)
    return confirmed(
        lambda: identities.unbind_identity(identity, actor=current_user),
        title=_("Fjern login hos identitetsudbyder"),
        question=_("Vil du fjerne login-id'et %(subject)s fra %(name)s? %(name)s kan så ikke "
                   "længere logge ind med det.", subject=identity.subject, name=user.name),
        confirm_label=_("Fjern"), cancel_url=user_url,
        done=_("Login-id'et er fjernet fra %(name)s.", name=user.name), next_url=user_url,
    )
