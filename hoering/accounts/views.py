"""Login/logout, and the administration of users, bodies and memberships."""

from __future__ import annotations

from functools import partial
from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from hoering.accounts import operations
from hoering.accounts.auth import LoginRefused, authenticate, record_logout
from hoering.accounts.forms import (
    BODY_KIND_LABELS,
    ROLE_LABELS,
    BodyForm,
    LoginForm,
    MembershipForm,
    NewUserForm,
    PasswordForm,
    UserForm,
    body_choices,
)
from hoering.accounts.models import Body, BodyKind, Membership, Role, User
from hoering.accounts.queries import (
    all_bodies,
    bodies_query,
    body_members,
    user_memberships,
    users_query,
)
from hoering.core.db import db
from hoering.core.permissions import Permission, permission_required, public
from hoering.core.web import EmptyForm, confirmed, flash_error, form_error, perform

bp = Blueprint("accounts", __name__)


@bp.app_context_processor
def labels():
    return {"ROLE_LABELS": ROLE_LABELS, "BODY_KIND_LABELS": BODY_KIND_LABELS}


def _safe_next(target: str | None) -> str:
    """Only local paths are followed after login (no open redirect)."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("main.dashboard")


# --- login and logout ----------------------------------------------------------------


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
            return render_template("accounts/login.html", form=form), refusal.status_code
        db.session.commit()
        login_user(user)
        return redirect(_safe_next(request.args.get("next")))
    return render_template("accounts/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@permission_required(Permission.VIEW_DASHBOARD)
def logout():
    record_logout(current_user)
    db.session.commit()
    logout_user()
    flash(_("Du er logget ud."), "info")
    return redirect(url_for("accounts.login"))


@bp.route("/min-konto/adgangskode", methods=["GET", "POST"])
@permission_required(Permission.VIEW_DASHBOARD)
def own_password():
    form = PasswordForm()
    if form.validate_on_submit():
        return perform(
            lambda: operations.set_password(current_user, form.password.data,
                                            actor=current_user),
            done=_("Din adgangskode er skiftet."), next_url=url_for("main.dashboard"),
        )
    return render_template("accounts/password.html", form=form, user=current_user)


# --- users ---------------------------------------------------------------------------


@bp.route("/brugere")
@permission_required(Permission.VIEW_USERS)
def users():
    page = db.paginate(users_query(), per_page=current_app.config["PAGE_SIZE"], error_out=False)
    return render_template("accounts/users.html", page=page)


@bp.route("/brugere/ny", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_USERS)
def new_user():
    form = NewUserForm()
    page = partial(render_template, "accounts/user_form.html", form=form, user=None)
    if form.validate_on_submit():
        return perform(
            lambda: operations.create_user(
                name=form.name.data, email=form.email.data, role=Role(form.role.data),
                password=form.password.data, actor=current_user,
            ),
            done=lambda user: _("Brugeren %(name)s er oprettet.", name=user.name),
            next_url=lambda user: url_for("accounts.user", user_id=user.id),
            on_error=form_error(form.email, page),
        )
    return page()


@bp.route("/brugere/<int:user_id>")
@permission_required(Permission.VIEW_USERS)
def user(user_id: int):
    user = db.get_or_404(User, user_id)
    form = MembershipForm()
    form.body_id.choices = body_choices(all_bodies())
    return render_template(
        "accounts/user.html", user=user, memberships=user_memberships(user),
        membership_form=form, button_form=EmptyForm(),
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
    user = db.get_or_404(User, user_id)
    form = PasswordForm()
    if form.validate_on_submit():
        return perform(
            lambda: operations.set_password(user, form.password.data, actor=current_user),
            done=_("Adgangskoden for %(name)s er skiftet.", name=user.name),
            next_url=url_for("accounts.user", user_id=user.id),
        )
    return render_template("accounts/password.html", form=form, user=user)


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


# --- bodies --------------------------------------------------------------------------


@bp.route("/organer")
@permission_required(Permission.VIEW_BODIES)
def bodies():
    page = db.paginate(bodies_query(), per_page=current_app.config["PAGE_SIZE"], error_out=False)
    return render_template("accounts/bodies.html", page=page)


@bp.route("/organer/nyt", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_BODIES)
def new_body():
    form = BodyForm()
    page = partial(render_template, "accounts/body_form.html", form=form, body=None)
    if form.validate_on_submit():
        return perform(
            lambda: operations.create_body(
                name=form.name.data, abbreviation=form.abbreviation.data,
                kind=BodyKind(form.kind.data), actor=current_user,
            ),
            done=lambda body: _("%(name)s er oprettet.", name=body.name),
            next_url=lambda body: url_for("accounts.body", body_id=body.id),
            on_error=form_error(form.name, page),
        )
    return page()


@bp.route("/organer/<int:body_id>")
@permission_required(Permission.VIEW_BODIES)
def body(body_id: int):
    body = db.get_or_404(Body, body_id)
    return render_template("accounts/body.html", body=body, members=body_members(body))


@bp.route("/organer/<int:body_id>/rediger", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_BODIES)
def edit_body(body_id: int):
    body = db.get_or_404(Body, body_id)
    form = BodyForm(obj=None if request.method == "POST" else body)
    if request.method == "GET":
        form.kind.data = body.kind.value
    page = partial(render_template, "accounts/body_form.html", form=form, body=body)
    if form.validate_on_submit():
        return perform(
            lambda: operations.update_body(
                body, name=form.name.data, abbreviation=form.abbreviation.data,
                kind=BodyKind(form.kind.data), actor=current_user,
            ),
            done=_("Ændringerne er gemt."), next_url=url_for("accounts.body", body_id=body.id),
            on_error=form_error(form.name, page),
        )
    return page()


@bp.route("/organer/<int:body_id>/slet", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_BODIES)
def delete_body(body_id: int):
    body = db.get_or_404(Body, body_id)
    return confirmed(
        lambda: operations.delete_body(body, actor=current_user),  # DomainError → 409 page
        title=_("Slet organ"),
        question=_("Vil du slette %(name)s (%(abbr)s)? Medlemskaberne fjernes også.",
                   name=body.name, abbr=body.abbreviation),
        confirm_label=_("Slet organ"), cancel_url=url_for("accounts.body", body_id=body.id),
        done=_("%(name)s er slettet.", name=body.name), next_url=url_for("accounts.bodies"),
    )
