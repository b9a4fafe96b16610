"""The administration of users and their memberships of bodies."""

from __future__ import annotations

from functools import partial

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from hoering.accounts import invitations, operations, password_reset, sso_policy, two_factor
from hoering.accounts.forms import (
    IdentityForm,
    MembershipForm,
    NewUserForm,
    UserForm,
    body_choices,
)
from hoering.accounts.identities import identities_of
from hoering.accounts.models import Body, Membership, Role, User
from hoering.accounts.passwords import WeakPassword
from hoering.accounts.queries import all_bodies, user_memberships, users_query
from hoering.accounts.views.blueprint import bp
from hoering.core.db import db, now_utc
from hoering.core.pagination import requested_page
from hoering.core.permissions import Permission, permission_required
from hoering.core.web import EmptyForm, confirmed, flash_error, form_error, perform


@bp.route("/brugere")
@permission_required(Permission.VIEW_USERS)
def users():
    page = db.paginate(users_query(), page=requested_page(),
                       per_page=current_app.config["PAGE_SIZE"], error_out=False)
    return render_template("accounts/users.html", page=page)


@bp.route("/brugere/ny", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_USERS)
def new_user():
    """A new user gets an invitation by e-mail; a test account a password typed here."""
    form = NewUserForm()
    page = partial(render_template, "accounts/user_form.html", form=form, user=None)
    if form.validate_on_submit():
        return perform(
            partial(_create_user, form), done=_created,
            next_url=lambda user: url_for("accounts.user", user_id=user.id),
            on_error=_password_or(form.email, form, page),
        )
    return page()


def _create_user(form: NewUserForm) -> User:
    fields = {"name": form.name.data, "email": form.email.data, "role": Role(form.role.data),
              "actor": current_user}
    if form.test_account.data:
        return operations.create_user(password=form.password.data, **fields)
    return invitations.create_invited_user(**fields)


def _created(user: User) -> str:
    if invitations.awaits_password(user):
        return str(_("Brugeren %(name)s er oprettet, og en invitation er sendt til %(email)s.",
                     name=user.name, email=user.email))
    return str(_("Testkontoen %(name)s er oprettet med den adgangskode, du valgte.",
                 name=user.name))


@bp.route("/brugere/<int:user_id>/invitation", methods=["POST"])
@permission_required(Permission.MANAGE_USERS)
def resend_invitation(user_id: int):
    user = db.get_or_404(User, user_id)
    user_url = url_for("accounts.user", user_id=user.id)
    if not EmptyForm().validate_on_submit():
        return redirect(user_url)
    return perform(
        lambda: invitations.send_invitation(user, actor=current_user),
        done=_("En ny invitation er sendt til %(email)s. Den forrige virker ikke længere.",
               email=user.email),
        next_url=user_url, on_error=flash_error(user_url),
    )


def _password_or(field, form, page):
    """An ``on_error``: a refused password under the password field, other refusals
    under ``field``."""

    def show(error: Exception):
        target = form.password if isinstance(error, WeakPassword) else field
        return form_error(target, page)(error)

    return show


@bp.route("/brugere/<int:user_id>")
@permission_required(Permission.VIEW_USERS)
def user(user_id: int):
    user = db.get_or_404(User, user_id)
    form = MembershipForm()
    form.body_id.choices = body_choices(all_bodies())
    return render_template(
        "accounts/user.html", user=user, memberships=user_memberships(user),
        membership_form=form, button_form=EmptyForm(),
        awaits_password=invitations.awaits_password(user),
        invitation=invitations.pending_invitation(user), now=now_utc(),
        password_allowed=sso_policy.password_login_allowed(user),
        identities=identities_of(user) if sso_policy.configured() else None,
        identity_form=IdentityForm(issuer=current_app.config["OIDC_ISSUER"]),
        two_factor_enrolment=two_factor.enrolment_of(user),
        two_factor_required=two_factor.is_required(user),
    )


@bp.route("/brugere/<int:user_id>/rediger", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_USERS)
def edit_user(user_id: int):
    user = db.get_or_404(User, user_id)
    form = UserForm(obj=None if request.method == "POST" else user)
    if request.method == "GET":
        form.role.data = user.role.value
    page = partial(render_template, "accounts/user_form.html", form=form, user=user)
    if form.validate_on_submit():
        return perform(
            lambda: operations.update_user(
                user, name=form.name.data, email=form.email.data, role=Role(form.role.data),
                active=form.active.data, actor=current_user,
            ),
            done=_("Ændringerne er gemt."), next_url=url_for("accounts.user", user_id=user.id),
            on_error=form_error(form.email, page),
        )
    return page()


@bp.route("/brugere/<int:user_id>/adgangskode", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_USERS)
def user_password(user_id: int):
    """Send the user a link to choose a new password (nobody types another's)."""
    user = db.get_or_404(User, user_id)
    if user.id == current_user.id:
        return redirect(url_for("accounts.own_password"))  # needs the current password
    user_url = url_for("accounts.user", user_id=user.id)
    return confirmed(
        lambda: password_reset.send_link(user, actor=current_user),
        title=_("Send link til ny adgangskode"),
        question=_("Vil du sende %(name)s et link til %(email)s, hvor en ny adgangskode kan "
                   "vælges? Linket virker én gang og i en time. Den nuværende adgangskode "
                   "virker, indtil den nye er valgt.", name=user.name, email=user.email),
        confirm_label=_("Send link"), cancel_url=user_url,
        done=_("Linket er sendt til %(email)s.", email=user.email), next_url=user_url,
    )


@bp.route("/brugere/<int:user_id>/log-ud-overalt", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_USERS)
def end_user_sessions(user_id: int):
    user = db.get_or_404(User, user_id)
    if user.id == current_user.id:
        return redirect(url_for("accounts.end_own_sessions"))
    user_url = url_for("accounts.user", user_id=user.id)
    return confirmed(
        lambda: operations.end_sessions(user, actor=current_user),
        title=_("Log ud på alle enheder"),
        question=_("Vil du logge %(name)s ud på alle enheder? %(name)s skal logge ind igen "
                   "alle steder, fx hvis en computer eller telefon er blevet væk.",
                   name=user.name),
        confirm_label=_("Log ud på alle enheder"), cancel_url=user_url,
        done=_("%(name)s er logget ud på alle enheder.", name=user.name), next_url=user_url,
    )


@bp.route("/brugere/<int:user_id>/tofaktor/nulstil", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_USERS)
def reset_user_two_factor(user_id: int):
    """A lost phone: the user's app and recovery codes stop working (they enrol again)."""
    user = db.get_or_404(User, user_id)
    if user.id == current_user.id:
        return redirect(url_for("accounts.own_two_factor"))  # needs a current code
    user_url = url_for("accounts.user", user_id=user.id)
    return confirmed(
        lambda: two_factor.reset(user, actor=current_user),
        title=_("Nulstil totrinsbekræftelse"),
        question=_("Vil du nulstille totrinsbekræftelsen for %(name)s? Godkendelsesappen og "
                   "gendannelseskoderne holder op med at virke, og %(name)s bliver logget ud "
                   "på alle enheder. Gør det kun, når du ved, at det er %(name)s, der har "
                   "mistet sin telefon.", name=user.name),
        confirm_label=_("Nulstil totrinsbekræftelse"), cancel_url=user_url,
        done=_("Totrinsbekræftelsen for %(name)s er nulstillet.", name=user.name),
        next_url=user_url,
    )


# --- memberships ---------------------------------------------------------------------


@bp.route("/brugere/<int:user_id>/medlemskaber", methods=["POST"])
@permission_required(Permission.MANAGE_USERS)
def add_membership(user_id: int):
    user = db.get_or_404(User, user_id)
    form = MembershipForm()
    form.body_id.choices = body_choices(all_bodies())
    user_url = url_for("accounts.user", user_id=user.id)
    if not form.validate_on_submit():
        flash(_("Vælg et organ."), "error")
        return redirect(user_url)
    body = db.get_or_404(Body, form.body_id.data)
    return perform(
        lambda: operations.add_membership(
            user, body, is_secretary=form.is_secretary.data, actor=current_user
        ),
        done=_("%(user)s er nu medlem af %(body)s.", user=user.name, body=body.name),
        next_url=user_url, on_error=flash_error(user_url),
    )


@bp.route("/medlemskaber/<int:membership_id>/sekretaer", methods=["POST"])
@permission_required(Permission.MANAGE_USERS)
def toggle_secretary(membership_id: int):
    membership = db.get_or_404(Membership, membership_id)
    user_url = url_for("accounts.user", user_id=membership.user_id)
    if not EmptyForm().validate_on_submit():
        return redirect(user_url)
    return perform(
        lambda: operations.set_secretary(membership, not membership.is_secretary,
                                         actor=current_user),
        done=_("Ændringen er gemt."), next_url=user_url,
    )


@bp.route("/medlemskaber/<int:membership_id>/slet", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_USERS)
def delete_membership(membership_id: int):
    membership = db.get_or_404(Membership, membership_id)
    user_url = url_for("accounts.user", user_id=membership.user_id)
    return confirmed(
        lambda: operations.remove_membership(membership, actor=current_user),
        title=_("Fjern medlemskab"),
        question=_("Vil du fjerne %(user)s fra %(body)s?",
                   user=membership.user.name, body=membership.body.name),
        confirm_label=_("Fjern medlemskab"), cancel_url=user_url,
        done=_("Medlemskabet er fjernet."), next_url=user_url,
    )
